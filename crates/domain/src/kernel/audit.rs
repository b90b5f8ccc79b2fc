//! The audit trail: every mutation writes one entry saying who did what, acting for whom, when
//! and from where. Storage writes the entry in the same transaction as the change it records.

use crate::accounts::UserId;
use crate::kernel::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// The signed-in person (None for the system itself, e.g. the CLI or a sign-up).
    pub actor: Option<UserId>,
    /// The person the actor acted for under a delegation, when not themselves.
    pub on_behalf_of: Option<UserId>,
    /// A stable dotted name, e.g. `user.create`, `session.login`.
    pub action: String,
    /// What was changed, e.g. `user:42`.
    pub subject: String,
    /// Short machine-readable detail (JSON or plain), never a secret.
    pub detail: String,
    pub ip: Option<String>,
}

/// Who is making a change and from where: passed to every use case that mutates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    pub user: Option<UserId>,
    pub on_behalf_of: Option<UserId>,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system() -> Self {
        Self::default()
    }
    pub fn user(user: UserId, ip: Option<String>) -> Self {
        Self {
            user: Some(user),
            on_behalf_of: None,
            ip,
        }
    }
    pub fn anonymous(ip: Option<String>) -> Self {
        Self {
            user: None,
            on_behalf_of: None,
            ip,
        }
    }
    pub fn entry(
        &self,
        at: Timestamp,
        action: &str,
        subject: impl Into<String>,
        detail: impl Into<String>,
    ) -> AuditEntry {
        AuditEntry {
            at,
            actor: self.user,
            on_behalf_of: self.on_behalf_of,
            action: action.to_owned(),
            subject: subject.into(),
            detail: detail.into(),
            ip: self.ip.clone(),
        }
    }
}

/// A stored audit entry, as read back for the audit log page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub entry: AuditEntry,
    pub actor_email: Option<String>,
}
