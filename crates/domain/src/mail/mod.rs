//! Mail that Gachi sends (the community's daily digest today): an outbox kept in the database, so
//! nothing is lost while the mail server is down, and the use case that hands what is due to the
//! `Mailer` port (SMTP in the binary). Sending is off unless a mail server is configured; mail is
//! only queued when it is. A failed attempt is kept with its error and retried later, backing off,
//! until `MAX_ATTEMPTS`.

mod store;

use async_trait::async_trait;

use crate::kernel::time::Timestamp;
use crate::ports::{Clock, StoreError};

pub use store::MailStore;

/// Attempts before a mail is given up (kept in the outbox with its last error).
pub const MAX_ATTEMPTS: u32 = 8;
/// Mails handed to the server per delivery run.
pub const BATCH: u32 = 50;

/// A plain-text mail to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    /// Plain text, lines separated by `\n`.
    pub body: String,
}

/// A mail waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: i64,
    pub mail: OutgoingMail,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// What sending one mail can run into.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// The mail server.
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError>;
}

/// How long to wait before the next attempt after `attempts` failures: 1, 2, 4 … minutes, at
/// most a day apart.
pub fn retry_after_ms(attempts: u32) -> i64 {
    let minutes = 1i64 << attempts.saturating_sub(1).min(11);
    minutes.min(24 * 60) * 60_000
}

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: u32,
    pub failed: u32,
}

/// Puts mail in the outbox; the server hands it to the relay within a minute.
pub struct Mailbox<'a> {
    pub store: &'a dyn MailStore,
    pub clock: &'a dyn Clock,
}

impl Mailbox<'_> {
    pub async fn queue(&self, mail: &OutgoingMail) -> Result<(), StoreError> {
        self.store.queue_mail(mail, self.clock.now()).await
    }
}

/// Hands due mail to the mail server.
pub struct Outbox<'a> {
    pub store: &'a dyn MailStore,
    pub mailer: &'a dyn Mailer,
    pub clock: &'a dyn Clock,
}

impl Outbox<'_> {
    /// Sends what is due (up to `BATCH`), oldest first; each result is kept at once, so a stop
    /// in the middle sends nothing twice but the mail being sent.
    pub async fn deliver_due(&self) -> Result<Delivered, StoreError> {
        let mut done = Delivered::default();
        for queued in self.store.due_mail(self.clock.now(), BATCH).await? {
            match self.mailer.send(&queued.mail).await {
                Ok(()) => {
                    self.store.mail_sent(queued.id, self.clock.now()).await?;
                    done.sent += 1;
                }
                Err(error) => {
                    let attempts = queued.attempts + 1;
                    let now = self.clock.now();
                    let retry = (attempts < MAX_ATTEMPTS)
                        .then(|| Timestamp::from_unix_ms(now.unix_ms() + retry_after_ms(attempts)));
                    self.store.mail_failed(queued.id, &error.0, retry).await?;
                    done.failed += 1;
                }
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_a_day() {
        assert_eq!(retry_after_ms(1), 60_000);
        assert_eq!(retry_after_ms(2), 120_000);
        assert_eq!(retry_after_ms(4), 480_000);
        assert_eq!(retry_after_ms(30), 24 * 60 * 60_000);
    }
}
