//! The community's daily digest written as a mail, in the reader's language: a greeting, each
//! notification as the bell lists it with its address on this site, and how to turn the digest
//! off. Implements the domain's `DigestWriter`; the server queues digests with it once a day when
//! it can send mail.

use gachi_domain::community::digest::{Digest, DigestWriter, MAX_ITEMS};
use gachi_domain::mail::OutgoingMail;

use crate::i18n::Tr;
use crate::pages::community::notification_row;

/// Writes digests; links start with the server's public address (none when it is not known).
pub struct MailDigest {
    pub public_url: String,
}

impl DigestWriter for MailDigest {
    fn write(&self, digest: &Digest) -> OutgoingMail {
        let t = Tr(digest.locale);
        let site = self.public_url.trim_end_matches('/');
        let n = digest.notifications.len();
        let mut body = t.arg("digest-greeting", "name", &digest.name);
        body.push_str("\n\n");
        for item in digest.notifications.iter().take(MAX_ITEMS) {
            let row = notification_row(t, item);
            body.push_str(&format!("• {} ({})\n", row.text, row.when));
            if !site.is_empty() {
                body.push_str(&format!("  {site}{}\n", row.url));
            }
        }
        if n > MAX_ITEMS {
            body.push_str(&t.count("digest-more", "n", (n - MAX_ITEMS) as i64));
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&t.get("digest-footer"));
        if !site.is_empty() {
            body.push_str(&format!("\n{site}/community"));
        }
        body.push('\n');
        OutgoingMail {
            to: digest.email.clone(),
            subject: t.count("digest-subject", "n", n as i64),
            body,
        }
    }
}
