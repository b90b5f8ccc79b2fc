//! The storage port of the designers area: certificates as issued, and their revocations.
//! `gachi-store` implements it for SQLite and PostgreSQL and its conformance suite holds both to
//! it.

use async_trait::async_trait;

use crate::accounts::UserId;
use crate::designers::delegation::{Delegation, NewDelegation};
use crate::designers::profile::{DirectoryEntry, Profile};
use crate::designers::{Certificate, NewCertificate};
use crate::kernel::audit::{AuditEntry, AuditRecord};
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;
use crate::ports::StoreError;

#[async_trait]
pub trait CertificateStore: Send + Sync {
    /// The status-list index the next certificate takes (one past the highest given).
    async fn next_certificate_index(&self) -> Result<u32, StoreError>;
    /// Keeps an issued certificate; `StoreError::Conflict` when its number or index is taken.
    async fn insert_certificate(
        &self,
        certificate: &NewCertificate,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn certificate(&self, number: &str) -> Result<Option<Certificate>, StoreError>;
    /// Certificates, newest first: every one, or one holder's; `limit` of them after skipping
    /// `offset`, with how many there are in all.
    async fn certificates(
        &self,
        holder: Option<UserId>,
        offset: u64,
        limit: u32,
    ) -> Result<(Vec<Certificate>, u64), StoreError>;
    /// `StoreError::NotFound` when there is no such certificate; revoking twice keeps the first.
    async fn revoke_certificate(
        &self,
        number: &str,
        at: Timestamp,
        reason: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// The status-list indexes of revoked certificates.
    async fn revoked_certificate_indexes(&self) -> Result<Vec<u32>, StoreError>;
    /// Whether `holder` holds a certificate valid at `at`.
    async fn holds_valid_certificate(
        &self,
        holder: UserId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// How many people hold a certificate valid at `at` (unrevoked, unexpired), nationally or
    /// among holders whose account is in `region`.
    async fn valid_certificate_holders(
        &self,
        at: Timestamp,
        region: Option<&crate::kernel::region::RegionCode>,
    ) -> Result<i64, StoreError>;
    /// People holding a certificate valid at `at`, each at their highest valid level, by the
    /// 시도 of their account (two digits; empty without a region): (시도, grade 1 or 2, people).
    async fn certificate_holders_by_sido(
        &self,
        at: Timestamp,
    ) -> Result<Vec<(String, u8, i64)>, StoreError>;
}

/// Delegations from shops to designers.
#[async_trait]
pub trait DelegationStore: Send + Sync {
    async fn create_delegation(
        &self,
        delegation: &NewDelegation,
        audit: &AuditEntry,
    ) -> Result<Delegation, StoreError>;
    async fn delegation(&self, id: i64) -> Result<Option<Delegation>, StoreError>;
    /// Delegations, newest first: of one shop, to one designer, both, or every one.
    async fn delegations(
        &self,
        merchant: Option<MerchantId>,
        designer: Option<UserId>,
    ) -> Result<Vec<Delegation>, StoreError>;
    /// Ends a delegation at `at` (a revoked one stays revoked at its first time).
    async fn revoke_delegation(
        &self,
        id: i64,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Merchants on `track` (in `sido`, or everywhere) without a delegation running at `at`:
    /// (id, name, 시군구, industry code), by id.
    async fn merchants_awaiting_designer(
        &self,
        track: crate::merchants::diagnosis::Track,
        sido: Option<&crate::kernel::region::RegionCode>,
        at: Timestamp,
    ) -> Result<
        Vec<(
            MerchantId,
            String,
            crate::kernel::region::RegionCode,
            String,
        )>,
        StoreError,
    >;
    /// The account that owns a shop, when one does.
    async fn owner_of_merchant(&self, merchant: MerchantId) -> Result<Option<UserId>, StoreError>;
    /// Audit entries of changes made for `owner` by someone else, newest first.
    async fn audit_on_behalf_of(
        &self,
        owner: UserId,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError>;
    /// Shops under a delegation running at `at`, by the shop's 시도: (시도, shops).
    async fn delegated_merchants_by_sido(
        &self,
        at: Timestamp,
    ) -> Result<Vec<(String, i64)>, StoreError>;
    /// Every shop each designer (or one designer) served under a delegation, with what followed
    /// the first delegation there (see `outcomes`), by designer and shop.
    async fn served_shops(
        &self,
        designer: Option<UserId>,
    ) -> Result<Vec<crate::designers::outcomes::ServedShop>, StoreError>;
    /// What designers (or one designer) submitted to the marketplaces, by outcome.
    async fn designer_submissions(
        &self,
        designer: Option<UserId>,
    ) -> Result<
        std::collections::BTreeMap<UserId, crate::designers::outcomes::SubmissionCounts>,
        StoreError,
    >;
}

/// Designers' profiles, and the directory of certified designers.
#[async_trait]
pub trait ProfileStore: Send + Sync {
    async fn designer_profile(&self, designer: UserId) -> Result<Option<Profile>, StoreError>;
    async fn save_designer_profile(
        &self,
        profile: &Profile,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Designers holding a certificate valid at `at` who saved a profile, with their highest
    /// valid level and their shops under a running delegation, by name.
    async fn certified_designers(&self, at: Timestamp) -> Result<Vec<DirectoryEntry>, StoreError>;
}

/// Matching proposals and their answers.
#[async_trait]
pub trait ProposalStore: Send + Sync {
    /// Keeps the proposals of a sent run, in one transaction with its audit entry.
    async fn insert_match_proposals(
        &self,
        proposals: &[crate::designers::proposals::NewProposal],
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn match_proposal(
        &self,
        id: i64,
    ) -> Result<Option<crate::designers::proposals::MatchProposal>, StoreError>;
    /// Proposals, newest first: of one shop, to one designer, both, or every one.
    async fn match_proposals(
        &self,
        merchant: Option<MerchantId>,
        designer: Option<UserId>,
    ) -> Result<Vec<crate::designers::proposals::MatchProposal>, StoreError>;
    /// Records one side's answer while that side has not answered and the proposal is open;
    /// `StoreError::Conflict` otherwise. The proposal as it stands after.
    async fn answer_match_proposal(
        &self,
        id: i64,
        answer: &crate::designers::proposals::RecordedAnswer,
        audit: &AuditEntry,
    ) -> Result<crate::designers::proposals::MatchProposal, StoreError>;
    /// Starts the delegation of a proposal both sides accepted, unless one started already (then
    /// nothing changes).
    async fn start_proposed_delegation(
        &self,
        id: i64,
        delegation: &NewDelegation,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
}

/// Courses, their modules and the modules designers passed.
#[async_trait]
pub trait CourseStore: Send + Sync {
    async fn create_course(
        &self,
        course: &crate::designers::courses::NewCourse,
        audit: &AuditEntry,
    ) -> Result<crate::designers::courses::Course, StoreError>;
    /// Adds a module after the course's last one.
    async fn add_course_module(
        &self,
        course: i64,
        module: &crate::designers::courses::NewModule,
        audit: &AuditEntry,
    ) -> Result<crate::designers::courses::Module, StoreError>;
    async fn course(
        &self,
        id: i64,
    ) -> Result<Option<crate::designers::courses::Course>, StoreError>;
    /// Every course with its modules, by area then id.
    async fn courses(&self) -> Result<Vec<crate::designers::courses::Course>, StoreError>;
    /// The modules `designer` passed, by id.
    async fn passed_modules(&self, designer: UserId) -> Result<Vec<i64>, StoreError>;
    /// The modules `designer` passed with when, by module.
    async fn module_passes_of(&self, designer: UserId)
    -> Result<Vec<(i64, Timestamp)>, StoreError>;
    /// Records a pass (the first one stands).
    async fn pass_module(
        &self,
        designer: UserId,
        module: i64,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Every pass: (designer, module), by designer then module.
    async fn module_passes(&self) -> Result<Vec<(UserId, i64)>, StoreError>;
}

/// The exam's item bank and attempts.
#[async_trait]
pub trait ExamStore: Send + Sync {
    /// Adds items to the bank of `area`, in one transaction with the audit entry.
    async fn add_exam_items(
        &self,
        area: crate::designers::courses::Area,
        items: &[crate::designers::exams::ItemText],
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Every item, live and retired, by area then id.
    async fn exam_items(&self) -> Result<Vec<crate::designers::exams::Item>, StoreError>;
    /// Retires an item (`StoreError::NotFound` when there is none; retiring twice keeps the
    /// first time).
    async fn retire_exam_item(
        &self,
        id: i64,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Starts an attempt with its form, first closing the candidate's attempts whose deadline
    /// passed as run out. `StoreError::Conflict` while another attempt of the candidate is
    /// open, even when two starts race. The new attempt's id.
    async fn start_exam_attempt(
        &self,
        attempt: &crate::designers::exams::NewAttempt,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError>;
    /// An attempt with its form and answers.
    async fn exam_attempt(
        &self,
        id: i64,
    ) -> Result<Option<crate::designers::exams::Attempt>, StoreError>;
    /// Attempts, newest first: one candidate's or everyone's, at most `limit`, with their
    /// forms.
    async fn exam_attempts(
        &self,
        designer: Option<UserId>,
        limit: u32,
    ) -> Result<Vec<crate::designers::exams::Attempt>, StoreError>;
    /// Saves answers by position while the attempt is not closed; `StoreError::Conflict`
    /// after.
    async fn save_exam_answers(
        &self,
        attempt: i64,
        answers: &[(u32, Option<String>)],
    ) -> Result<(), StoreError>;
    /// Saves the practical's product (JSON) while the attempt is not closed;
    /// `StoreError::Conflict` after.
    async fn save_exam_practical(&self, attempt: i64, product: &str) -> Result<(), StoreError>;
    /// Closes an attempt with its result, once: `StoreError::Conflict` when it was closed.
    async fn close_exam_attempt(
        &self,
        attempt: i64,
        closed: &crate::designers::exams::Closed,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Records the certificate a passed attempt earned.
    async fn set_exam_certificate(&self, attempt: i64, number: &str) -> Result<(), StoreError>;
    /// Attempts closed (or run out by `now`) and how many of them passed.
    async fn exam_pass_rate(
        &self,
        now: Timestamp,
    ) -> Result<crate::designers::exams::PassRate, StoreError>;
}
