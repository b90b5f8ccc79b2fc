//! The outbox's storage port. Mail is put in by the area that writes it (the community's digest
//! queues its mail in the same transaction that marks its notifications as mailed).

use async_trait::async_trait;

use super::{OutgoingMail, QueuedMail};
use crate::kernel::time::Timestamp;
use crate::ports::StoreError;

#[async_trait]
pub trait MailStore: Send + Sync {
    /// Puts a mail in the outbox, due at once.
    async fn queue_mail(&self, mail: &OutgoingMail, at: Timestamp) -> Result<(), StoreError>;
    /// Unsent mail whose next attempt is due at `now`, oldest first.
    async fn due_mail(&self, now: Timestamp, limit: u32) -> Result<Vec<QueuedMail>, StoreError>;
    async fn mail_sent(&self, id: i64, at: Timestamp) -> Result<(), StoreError>;
    /// Counts a failed attempt and keeps its error; `retry_at: None` gives the mail up.
    async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<(), StoreError>;
}
