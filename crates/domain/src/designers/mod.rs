//! 디지털 유통설계사 (certified designers): the certificates the program issues — levels
//! (2급 → 1급), numbers, two years of validity, revocation with a reason — each an Open Badges 3.0
//! credential signed by the issuing body's `did:key` (`credential`) and listed in a Bitstring
//! Status List when revoked (`status_list`), verifiable by anyone with no account. Courses,
//! exams, matching and delegations build on these records.

mod store;
pub use store::{
    CertificateStore, CourseStore, DelegationStore, ExamStore, ProfileStore, ProposalStore,
};

pub mod caseload;
pub mod courses;
pub mod credential;
pub mod delegation;
pub mod exams;
pub mod matching;
pub mod matching_run;
pub mod outcomes;
pub mod profile;
pub mod proposals;
pub mod status_list;

use serde_json::{Value, json};

use crate::accounts::{Role, User, UserId};
use crate::kernel::audit::Actor;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::time::Timestamp;
use crate::ports::{Clock, Store, StoreError};
use credential::{CONTEXTS, Issuer, ProofError};

/// The most certificates one page of the list holds.
pub const CERTIFICATE_PAGE_MAX: u32 = 200;

/// A certificate can be renewed from this many days before it expires, until a year after.
pub const RENEWAL_WINDOW_DAYS: i64 = 90;
const DAY: i64 = 24 * 3600;

/// What a renewal rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewalBasis {
    /// The holder's record with the shops they served.
    Outcomes,
    /// 보수교육 (continuing education): hours of courses completed while the certificate ran.
    Cpd,
}

impl RenewalBasis {
    pub fn parse(code: &str) -> Option<RenewalBasis> {
        match code.trim() {
            "" | "outcomes" => Some(RenewalBasis::Outcomes),
            "cpd" => Some(RenewalBasis::Cpd),
            _ => None,
        }
    }
}

/// The 보수교육 hours a renewal by continuing education needs at each level.
pub fn cpd_hours_needed(level: Level) -> u32 {
    match level {
        Level::Second => 12,
        Level::First => 20,
    }
}

/// How long a certificate is valid: two years.
pub const VALIDITY_SECONDS: i64 = 2 * 365 * 24 * 60 * 60;

/// A certificate's level; 1급 is the higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// 2급: runs the channel track with a merchant.
    Second,
    /// 1급: runs managed shops (전담 셀러) and mentors 2급.
    First,
}

impl Level {
    pub const ALL: [Level; 2] = [Level::Second, Level::First];

    /// The grade number as printed: 2 or 1.
    pub fn grade(self) -> u8 {
        match self {
            Level::Second => 2,
            Level::First => 1,
        }
    }

    pub fn parse(input: &str, field: &str) -> Result<Level, FieldError> {
        match input.trim().trim_end_matches('급') {
            "2" => Ok(Level::Second),
            "1" => Ok(Level::First),
            _ => Err(FieldError::new(field, "error-level-invalid")),
        }
    }

    /// The qualification's name at this level, as the credential and the certificate print it.
    pub fn title(self) -> String {
        format!("디지털 유통설계사 {}급", self.grade())
    }
}

/// A revocation: when, and why in the operator's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub at: Timestamp,
    pub reason: String,
}

/// An issued certificate as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// `DDS-2026-000001`.
    pub number: String,
    pub holder: UserId,
    pub holder_name: String,
    pub level: Level,
    pub issued_at: Timestamp,
    pub valid_until: Timestamp,
    /// Its bit in the revocation status list.
    pub status_index: u32,
    /// The signed Open Badges 3.0 credential, byte for byte as issued.
    pub credential: String,
    pub revoked: Option<Revocation>,
}

/// Where a certificate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Valid,
    Expired,
    Revoked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
        }
    }
}

impl Certificate {
    /// Unrevoked, and from `RENEWAL_WINDOW_DAYS` before its end to a year after.
    pub fn in_renewal_window(&self, now: Timestamp) -> bool {
        self.revoked.is_none()
            && now >= self.valid_until.plus_seconds(-RENEWAL_WINDOW_DAYS * DAY)
            && now <= self.valid_until.plus_seconds(365 * DAY)
    }

    pub fn status(&self, now: Timestamp) -> Status {
        if self.revoked.is_some() {
            Status::Revoked
        } else if now >= self.valid_until {
            Status::Expired
        } else {
            Status::Valid
        }
    }
}

/// A certificate to keep, as issued.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub number: String,
    pub holder: UserId,
    pub level: Level,
    pub issued_at: Timestamp,
    pub valid_until: Timestamp,
    pub status_index: u32,
    pub credential: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// No issuer key is configured: nothing can be signed.
    #[error("no issuer key")]
    NoIssuer,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What reading a credential found, offline or against the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The issuer's `did:key` whose signature holds.
    pub issuer: String,
    pub number: String,
    pub holder_name: String,
    pub title: String,
    pub valid_from: Option<Timestamp>,
    pub valid_until: Option<Timestamp>,
}

/// Why a credential is not (or no longer) good.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotValid {
    #[error("signature: {0}")]
    Proof(#[from] ProofError),
    #[error("not an Open Badges 3.0 credential")]
    NotABadge,
    #[error("expired on {0}")]
    Expired(String),
    #[error("not valid before {0}")]
    NotYetValid(String),
    #[error("revoked")]
    Revoked,
    #[error("issued by {0}, not by this server's key")]
    OtherIssuer(String),
}

/// Checks a credential's signature (the W3C `eddsa-jcs-2022` algorithm), that it is an
/// `OpenBadgeCredential`, and its validity period at `now`. Revocation needs the issuer's
/// status list, so it is the caller's to add (`Certificates::verify`).
pub fn verify_offline(document: &Value, now: Timestamp) -> Result<Verified, NotValid> {
    let issuer = credential::verify(document)?;
    let types = document["type"].as_array().cloned().unwrap_or_default();
    if !types.iter().any(|t| t == "OpenBadgeCredential") {
        return Err(NotValid::NotABadge);
    }
    let time = |name: &str| document[name].as_str().and_then(Timestamp::parse_rfc3339);
    let (valid_from, valid_until) = (time("validFrom"), time("validUntil"));
    if let Some(from) = valid_from
        && now < from
    {
        return Err(NotValid::NotYetValid(from.rfc3339_seconds()));
    }
    if let Some(until) = valid_until
        && now >= until
    {
        return Err(NotValid::Expired(until.rfc3339_seconds()));
    }
    let subject = &document["credentialSubject"];
    Ok(Verified {
        issuer,
        number: subject["licenseNumber"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        holder_name: subject["identifier"][0]["identityHash"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        title: subject["achievement"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        valid_from,
        valid_until,
    })
}

/// The certificate use cases.
pub struct Certificates<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    /// The issuing body's key; without one nothing can be issued or listed as revoked.
    pub issuer: Option<&'a Issuer>,
    /// The address the server is reached at (`https://gachi.example.kr`), for the credentials'
    /// links; empty: URNs are used instead.
    pub base_url: &'a str,
    /// The 민간자격 registration number printed with every certificate, when registered.
    pub registration: &'a str,
}

impl Certificates<'_> {
    fn issuer(&self) -> Result<&Issuer, CertificateError> {
        self.issuer.ok_or(CertificateError::NoIssuer)
    }

    /// Where the revocation list is served.
    pub fn status_list_url(&self) -> String {
        if self.base_url.is_empty() {
            "urn:gachi:certificates:status-list".into()
        } else {
            format!(
                "{}/api/v1/certificates/status-list",
                self.base_url.trim_end_matches('/')
            )
        }
    }

    fn credential_id(&self, number: &str) -> String {
        if self.base_url.is_empty() {
            format!("urn:gachi:certificate:{number}")
        } else {
            format!(
                "{}/api/v1/certificates/{number}",
                self.base_url.trim_end_matches('/')
            )
        }
    }

    /// What the issuing body states with every certificate: that it is a registered private
    /// qualification under 자격기본법 (with its number when registered), not a national one.
    pub fn legal_notice(&self) -> String {
        let registration = if self.registration.trim().is_empty() {
            "민간자격 등록번호 미기재".to_owned()
        } else {
            format!("민간자격 등록번호 {}", self.registration.trim())
        };
        format!(
            "「자격기본법」에 따른 민간자격({registration})이며, 국가자격 또는 국가공인자격이 아닙니다."
        )
    }

    /// The unsigned Open Badges 3.0 document of a certificate.
    #[allow(clippy::too_many_arguments)]
    fn document(
        &self,
        issuer: &Issuer,
        number: &str,
        holder_name: &str,
        level: Level,
        issued_at: Timestamp,
        valid_until: Timestamp,
        status_index: u32,
    ) -> Value {
        json!({
            "@context": CONTEXTS,
            "id": self.credential_id(number),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer.did(), "type": ["Profile"], "name": issuer.name},
            "name": level.title(),
            "validFrom": issued_at.rfc3339_seconds(),
            "validUntil": valid_until.rfc3339_seconds(),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "licenseNumber": number,
                "identifier": [{
                    "type": "IdentityObject",
                    "identityHash": holder_name,
                    "identityType": "name",
                    "hashed": false
                }],
                "achievement": {
                    "id": format!("urn:gachi:achievement:digital-distribution-designer:{}", level.grade()),
                    "type": ["Achievement"],
                    "achievementType": "Certificate",
                    "name": level.title(),
                    "description": format!(
                        "소상공인의 온라인 판로(마켓 입점, 상세페이지, 라이브커머스)를 설계하고 운영하는 전문가 자격. {}",
                        self.legal_notice()
                    ),
                    "criteria": {"narrative": "교육 과정 이수, 필기 시험과 실기(실제 마켓 검증을 통과하는 상품 등록) 합격."}
                }
            },
            "credentialStatus": {
                "id": format!("{}#{status_index}", self.status_list_url()),
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": status_index.to_string(),
                "statusListCredential": self.status_list_url()
            }
        })
    }

    /// Issues a certificate of `level` to the designer account `holder` (staff), signed now and
    /// valid for two years.
    pub async fn issue(
        &self,
        user: &User,
        actor: &Actor,
        holder: UserId,
        level: Level,
    ) -> Result<Certificate, CertificateError> {
        if !user.role.is_staff() {
            return Err(CertificateError::Forbidden);
        }
        self.issue_as(actor, holder, level).await
    }

    /// `issue` as the system (the command line, the demo).
    pub async fn issue_as(
        &self,
        actor: &Actor,
        holder: UserId,
        level: Level,
    ) -> Result<Certificate, CertificateError> {
        let issuer = self.issuer()?;
        let person = self
            .store
            .user(holder)
            .await?
            .filter(|u| u.role == Role::Designer)
            .ok_or_else(|| {
                CertificateError::Invalid(
                    FieldError::new("holder", "error-holder-not-designer").into(),
                )
            })?;
        let issued_at = self.clock.now();
        let valid_until = issued_at.plus_seconds(VALIDITY_SECONDS);
        let year = issued_at.in_seoul().year();
        // Two issues at once may pick the same next index: the second retries with the next.
        for _ in 0..5 {
            let index = self.store.next_certificate_index().await?;
            let number = format!("DDS-{year}-{:06}", index + 1);
            let document = self.document(
                issuer,
                &number,
                &person.display_name,
                level,
                issued_at,
                valid_until,
                index,
            );
            let signed = issuer.sign(document, issued_at);
            let new = NewCertificate {
                number: number.clone(),
                holder,
                level,
                issued_at,
                valid_until,
                status_index: index,
                credential: signed.to_string(),
            };
            let audit = actor.entry(
                issued_at,
                "certificate.issue",
                format!("certificate:{number}"),
                format!("user:{} level:{}", holder.0, level.grade()),
            );
            match self.store.insert_certificate(&new, &audit).await {
                Ok(()) => {
                    return Ok(Certificate {
                        number,
                        holder,
                        holder_name: person.display_name.clone(),
                        level,
                        issued_at,
                        valid_until,
                        status_index: index,
                        credential: new.credential,
                        revoked: None,
                    });
                }
                Err(StoreError::Conflict(_)) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Err(StoreError::Conflict("certificate").into())
    }

    /// Renews a certificate (the holder or staff): from `RENEWAL_WINDOW_DAYS` before it
    /// expires to a year after, when it is not revoked and the holder earned it on `basis` —
    /// the outcomes of the shops they served (`outcomes::earns_renewal`), or 보수교육 hours of
    /// courses completed while it was valid (`cpd_hours_needed`). The renewal is a new
    /// certificate of the same level, valid for two years; the old one runs out on its own date.
    pub async fn renew(
        &self,
        user: &User,
        actor: &Actor,
        number: &str,
        basis: RenewalBasis,
    ) -> Result<Certificate, CertificateError> {
        let certificate = self.find(number).await?;
        if certificate.holder != user.id && !user.role.is_staff() {
            return Err(CertificateError::NotFound);
        }
        let now = self.clock.now();
        let refuse = |code: &'static str| {
            CertificateError::Invalid(FieldError::new("certificate", code).into())
        };
        if certificate.revoked.is_some() {
            return Err(refuse("error-renewal-revoked"));
        }
        if now
            < certificate
                .valid_until
                .plus_seconds(-RENEWAL_WINDOW_DAYS * DAY)
        {
            return Err(refuse("error-renewal-too-early"));
        }
        if !certificate.in_renewal_window(now) {
            return Err(refuse("error-renewal-too-late"));
        }
        match basis {
            RenewalBasis::Outcomes => {
                let record = outcomes::recorded(self.store, Some(certificate.holder))
                    .await?
                    .remove(&certificate.holder)
                    .unwrap_or_default();
                if !outcomes::earns_renewal(certificate.level, &record) {
                    return Err(refuse("error-renewal-outcomes"));
                }
            }
            RenewalBasis::Cpd => {
                let hours = self.cpd_hours(&certificate, now).await?;
                if hours < cpd_hours_needed(certificate.level) {
                    return Err(refuse("error-renewal-cpd"));
                }
            }
        }
        self.issue_as(actor, certificate.holder, certificate.level)
            .await
    }

    /// The 보수교육 hours the holder of `certificate` completed from its issue to `now`.
    pub async fn cpd_hours(
        &self,
        certificate: &Certificate,
        now: Timestamp,
    ) -> Result<u32, StoreError> {
        let courses = self.store.courses().await?;
        let passes = self.store.module_passes_of(certificate.holder).await?;
        Ok(courses::cpd_hours(
            &courses,
            &passes,
            certificate.issued_at,
            now,
        ))
    }

    /// Every certificate, newest first (staff), or a designer's own: page `page` (from 1) of
    /// `per_page` (1 to `CERTIFICATE_PAGE_MAX`), with how many there are in all.
    pub async fn list(
        &self,
        user: &User,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<Certificate>, u64), CertificateError> {
        let holder = match user.role {
            r if r.is_staff() => None,
            Role::Designer => Some(user.id),
            _ => return Err(CertificateError::Forbidden),
        };
        let per_page = per_page.clamp(1, CERTIFICATE_PAGE_MAX);
        let offset = u64::from(page.max(1) - 1) * u64::from(per_page);
        Ok(self.store.certificates(holder, offset, per_page).await?)
    }

    /// A certificate by its number: public, as verification is.
    pub async fn find(&self, number: &str) -> Result<Certificate, CertificateError> {
        self.store
            .certificate(number.trim())
            .await?
            .ok_or(CertificateError::NotFound)
    }

    /// Revokes a certificate (staff) with the reason people will be told.
    pub async fn revoke(
        &self,
        user: &User,
        actor: &Actor,
        number: &str,
        reason: &str,
    ) -> Result<(), CertificateError> {
        if !user.role.is_staff() {
            return Err(CertificateError::Forbidden);
        }
        let reason = crate::kernel::text::clean(reason);
        if reason.is_empty() {
            return Err(CertificateError::Invalid(
                FieldError::new("reason", "error-required").into(),
            ));
        }
        let at = self.clock.now();
        let audit = actor.entry(
            at,
            "certificate.revoke",
            format!("certificate:{number}"),
            &reason,
        );
        match self
            .store
            .revoke_certificate(number.trim(), at, &reason, &audit)
            .await
        {
            Err(StoreError::NotFound) => Err(CertificateError::NotFound),
            other => Ok(other?),
        }
    }

    /// The signed revocation list every credential points to.
    pub async fn status_list(&self) -> Result<Value, CertificateError> {
        let issuer = self.issuer()?;
        let revoked = self.store.revoked_certificate_indexes().await?;
        let now = self.clock.now();
        let url = self.status_list_url();
        let document = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": {"id": issuer.did(), "type": ["Profile"], "name": issuer.name},
            "validFrom": now.rfc3339_seconds(),
            "credentialSubject": {
                "id": format!("{url}#list"),
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": status_list::encode(&revoked)
            }
        });
        Ok(issuer.sign(document, now))
    }

    /// Verifies a certificate as a visitor's page does: the signature of the credential kept,
    /// that this server's key made it, its period, and whether it was revoked.
    pub async fn verify(
        &self,
        number: &str,
    ) -> Result<(Certificate, Result<Verified, NotValid>), CertificateError> {
        let certificate = self.find(number).await?;
        let now = self.clock.now();
        let checked = serde_json::from_str::<Value>(&certificate.credential)
            .map_err(|_| NotValid::NotABadge)
            .and_then(|document| verify_offline(&document, now))
            .and_then(|verified| match self.issuer {
                Some(issuer) if issuer.did() != verified.issuer => {
                    Err(NotValid::OtherIssuer(verified.issuer))
                }
                _ if certificate.revoked.is_some() => Err(NotValid::Revoked),
                _ => Ok(verified),
            });
        Ok((certificate, checked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_as_people_write_them() {
        assert_eq!(Level::parse("2급", "level"), Ok(Level::Second));
        assert_eq!(Level::parse(" 1 ", "level"), Ok(Level::First));
        assert!(Level::parse("3", "level").is_err());
        assert_eq!(Level::First.title(), "디지털 유통설계사 1급");
    }

    #[test]
    fn offline_verification_names_what_is_wrong() {
        let issuer = Issuer::from_seed([3; 32], "가치 운영기관");
        let issued = Timestamp::from_unix_ms(1_796_601_600_000);
        let document = json!({
            "@context": CONTEXTS,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": issuer.did(), "type": ["Profile"], "name": issuer.name},
            "validFrom": issued.rfc3339_seconds(),
            "validUntil": issued.plus_seconds(VALIDITY_SECONDS).rfc3339_seconds(),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "licenseNumber": "DDS-2026-000001",
                "identifier": [{"type": "IdentityObject", "identityHash": "김설계", "identityType": "name", "hashed": false}],
                "achievement": {"type": ["Achievement"], "name": "디지털 유통설계사 2급"}
            }
        });
        let signed = issuer.sign(document, issued);
        let verified = verify_offline(&signed, issued.plus_seconds(60)).unwrap();
        assert_eq!(
            (verified.number.as_str(), verified.holder_name.as_str()),
            ("DDS-2026-000001", "김설계")
        );
        assert!(matches!(
            verify_offline(&signed, issued.plus_seconds(VALIDITY_SECONDS + 1)),
            Err(NotValid::Expired(_))
        ));
        assert!(matches!(
            verify_offline(&signed, issued.minus_seconds(60)),
            Err(NotValid::NotYetValid(_))
        ));
        let mut altered = signed.clone();
        altered["credentialSubject"]["identifier"][0]["identityHash"] = json!("김설께");
        assert_eq!(
            verify_offline(&altered, issued.plus_seconds(60)),
            Err(NotValid::Proof(ProofError::BadSignature))
        );
    }
}
