//! The daily digest: once a day, each person who has notifications they have neither read nor
//! been mailed gets one mail listing them (where a mail server is configured; people may turn it
//! off on their helping settings). The mail is queued in the outbox in the same transaction that
//! marks the notifications as mailed, so a crash neither loses nor repeats one. Writing the mail's
//! sentences is the web layer's (it speaks people's languages): [`DigestWriter`].

use crate::accounts::{Locale, UserId};
use crate::community::model::Notification;
use crate::mail::OutgoingMail;

/// The most notifications one digest lists (it says how many more wait under the bell).
pub const MAX_ITEMS: usize = 20;
/// People whose digests are written per pass.
pub const USERS_PER_PASS: u32 = 500;

/// One person's digest: who, in which language, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub user: UserId,
    pub email: String,
    pub name: String,
    pub locale: Locale,
    /// Every notification due, oldest first (the mail lists the first [`MAX_ITEMS`]).
    pub notifications: Vec<Notification>,
}

/// Writes a digest as a mail.
pub trait DigestWriter: Send + Sync {
    fn write(&self, digest: &Digest) -> OutgoingMail;
}
