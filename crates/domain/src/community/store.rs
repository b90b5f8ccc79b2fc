//! The community's storage port.

use async_trait::async_trait;

use super::digest::Digest;
use super::model::{
    Answer, Article, ArticleStatus, Helping, Mentor, MentorRequest, NewAnswer, NewQuestion,
    Notification, NotificationKind, Question, Revision, Topic,
};
use super::routing::{Candidate, InviteReason};
use crate::accounts::UserId;
use crate::kernel::audit::AuditEntry;
use crate::kernel::channel::Channel;
use crate::kernel::time::Timestamp;
use crate::mail::OutgoingMail;
use crate::ports::StoreError;

/// Which questions a list shows (newest first). Hidden questions are never listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionFilter {
    pub topic: Option<Topic>,
    pub channel: Option<Channel>,
    pub error_code: Option<String>,
    /// `Some(true)`: solved only; `Some(false)`: unsolved only.
    pub solved: Option<bool>,
    pub author: Option<UserId>,
    pub offset: u32,
    pub limit: u32,
}

/// A question's or answer's new text (an answer has no title), its body already cooked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditedText {
    pub title: String,
    pub body: String,
    pub body_html: String,
}

/// An article's text and labels as saved by its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleText {
    pub title: String,
    pub body: String,
    /// The body's safe HTML, rendered when the text is written.
    pub body_html: String,
    pub topic: Topic,
    pub channel: Option<Channel>,
    pub error_code: String,
}

#[async_trait]
pub trait CommunityStore: Send + Sync {
    async fn create_question(
        &self,
        question: &NewQuestion,
        audit: &AuditEntry,
    ) -> Result<Question, StoreError>;
    /// A question, hidden ones included (the caller decides who may see them).
    async fn question(&self, id: i64) -> Result<Option<Question>, StoreError>;
    async fn questions(&self, filter: &QuestionFilter) -> Result<Vec<Question>, StoreError>;
    /// Every visible question, for the search index.
    async fn all_questions(&self) -> Result<Vec<Question>, StoreError>;
    /// Replaces title and body, keeping the earlier text as a revision by `editor`.
    async fn edit_question(
        &self,
        id: i64,
        text: &EditedText,
        editor: UserId,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn hide_question(
        &self,
        id: i64,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    async fn create_answer(
        &self,
        answer: &NewAnswer,
        audit: &AuditEntry,
    ) -> Result<Answer, StoreError>;
    async fn answer(&self, id: i64) -> Result<Option<Answer>, StoreError>;
    /// A question's answers, oldest first.
    async fn answers(&self, question: i64) -> Result<Vec<Answer>, StoreError>;
    async fn edit_answer(
        &self,
        id: i64,
        text: &EditedText,
        editor: UserId,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Earlier texts of a question (`answer: None`) or an answer, newest first.
    async fn revisions(
        &self,
        question: i64,
        answer: Option<i64>,
    ) -> Result<Vec<Revision>, StoreError>;

    /// Sets `user`'s vote on an answer (+1 or −1); returns the vote it replaced.
    async fn vote(
        &self,
        answer: i64,
        user: UserId,
        value: i8,
        at: Timestamp,
    ) -> Result<Option<i8>, StoreError>;
    /// `user`'s votes on the answers of a question: (answer, value).
    async fn votes_of(&self, question: i64, user: UserId) -> Result<Vec<(i64, i8)>, StoreError>;
    /// Marks the answer accepted (and its question solved, the first time).
    async fn accept(
        &self,
        answer: i64,
        by: UserId,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Questions and answers `author` posted since `since`.
    async fn posts_since(&self, author: UserId, since: Timestamp)
    -> Result<(u32, u32), StoreError>;
    /// What happened to `user`'s answers, for reputation: (when, points).
    async fn reputation_events(&self, user: UserId) -> Result<Vec<(Timestamp, i64)>, StoreError>;
    /// `user`'s answers and accepted answers.
    async fn answer_counts(&self, user: UserId) -> Result<(u32, u32), StoreError>;
    /// Median seconds to a first answer and the share (per mille) answered within a day, over
    /// questions asked in `[from, to)`; `None` when none were asked.
    async fn answer_speed(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Option<(i64, i64, u32)>, StoreError>;

    async fn create_article(
        &self,
        author: UserId,
        author_name: &str,
        text: &ArticleText,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<Article, StoreError>;
    async fn article(&self, id: i64) -> Result<Option<Article>, StoreError>;
    /// Articles in `status` (all when `None`), newest first; `author` narrows to one author's.
    async fn articles(
        &self,
        status: Option<ArticleStatus>,
        author: Option<UserId>,
        limit: u32,
    ) -> Result<Vec<Article>, StoreError>;
    /// Saves a new version of the text (the earlier one kept as a revision).
    async fn edit_article(
        &self,
        id: i64,
        text: &ArticleText,
        editor: UserId,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn set_article_status(
        &self,
        id: i64,
        status: ArticleStatus,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn count_article_read(&self, id: i64) -> Result<(), StoreError>;
    /// Records that `user` found the article helpful; false when they had already.
    async fn mark_helpful(&self, id: i64, user: UserId, at: Timestamp) -> Result<bool, StoreError>;

    async fn helping(&self, user: UserId) -> Result<Helping, StoreError>;
    async fn set_helping(
        &self,
        user: UserId,
        helping: Helping,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Visible questions asked before `before` with no answer and nobody invited yet, oldest
    /// first, at most `limit`.
    async fn unrouted_questions(
        &self,
        before: Timestamp,
        limit: u32,
    ) -> Result<Vec<Question>, StoreError>;
    /// Opted-in people whose record fits: accepted answers on `error_code` and `channel`, cards
    /// on `channel` that reached 심사중 or 판매중, hall-of-fame members whose industry starts with
    /// `industry_major`; with their shop's 시군구 and industry.
    async fn routing_candidates(
        &self,
        channel: Option<Channel>,
        error_code: &str,
        industry_major: &str,
    ) -> Result<Vec<Candidate>, StoreError>;
    /// How many invitations each of `users` got since `since`.
    async fn invitations_since(
        &self,
        users: &[UserId],
        since: Timestamp,
    ) -> Result<Vec<(UserId, u32)>, StoreError>;
    /// Keeps the invitations of a question and notifies each person, in one transaction.
    async fn invite_helpers(
        &self,
        question: i64,
        asker_name: &str,
        invited: &[(UserId, InviteReason)],
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Who was asked to answer a question: (name, why).
    async fn question_invitations(
        &self,
        question: i64,
    ) -> Result<Vec<(String, InviteReason)>, StoreError>;
    async fn notify(
        &self,
        user: UserId,
        kind: NotificationKind,
        question: i64,
        answer: Option<i64>,
        actor_name: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// A person's notifications, newest first.
    async fn notifications(
        &self,
        user: UserId,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError>;
    async fn unread_notifications(&self, user: UserId) -> Result<u32, StoreError>;
    async fn mark_notifications_read(&self, user: UserId, at: Timestamp) -> Result<(), StoreError>;
    /// People with notifications neither read nor mailed (on visible questions), who take the
    /// digest, with those notifications oldest first; at most `users` people.
    async fn digests_due(&self, users: u32) -> Result<Vec<Digest>, StoreError>;
    /// Queues `mail` in the outbox (due at once) and marks the digest's notifications as mailed,
    /// in one transaction.
    async fn queue_digest(
        &self,
        digest: &Digest,
        mail: &OutgoingMail,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Keeps a flag on a question (`answer` 0) or an answer; `Conflict("flag")` when this person
    /// flagged that post already. Returns the post's open flags now.
    async fn add_flag(
        &self,
        question: i64,
        answer: i64,
        user: UserId,
        reason: &str,
        note: &str,
        at: Timestamp,
    ) -> Result<u32, StoreError>;
    /// Open flags: (question, answer or 0, reason, count, first flagged), oldest post first.
    async fn open_flags(
        &self,
        limit: u32,
    ) -> Result<Vec<(i64, i64, String, u32, Timestamp)>, StoreError>;
    /// Closes a post's open flags with the staff's decision (`hidden` or `kept`); the decision
    /// itself is audited by the caller.
    async fn resolve_flags(
        &self,
        question: i64,
        answer: i64,
        by: UserId,
        outcome: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    async fn hide_answer(
        &self,
        id: i64,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Until when and why `user` may not post, when suspended (the row stays after it ends).
    async fn suspension(&self, user: UserId) -> Result<Option<(Timestamp, String)>, StoreError>;
    async fn suspend(
        &self,
        user: UserId,
        until: Timestamp,
        reason: &str,
        by: UserId,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn lift_suspension(&self, user: UserId, audit: &AuditEntry) -> Result<(), StoreError>;
    /// Offers (or renews the note of) mentoring; `None` withdraws it.
    async fn set_mentoring(
        &self,
        user: UserId,
        note: Option<&str>,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Owners offering to mentor now, with their shop (names the store knows).
    async fn mentors(&self) -> Result<Vec<Mentor>, StoreError>;
    /// `Conflict("request")` when this merchant asked this mentor already.
    async fn request_mentor(
        &self,
        mentor: UserId,
        mentee: UserId,
        message: &str,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<MentorRequest, StoreError>;
    async fn mentor_request(&self, id: i64) -> Result<Option<MentorRequest>, StoreError>;
    /// Requests to or from `user`, newest first.
    async fn mentor_requests_of(&self, user: UserId) -> Result<Vec<MentorRequest>, StoreError>;
    async fn answer_mentor_request(
        &self,
        id: i64,
        accepted: bool,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Shows a hidden question or answer (`answer` 0: the question) again.
    async fn restore_post(
        &self,
        question: i64,
        answer: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
}
