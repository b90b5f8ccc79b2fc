//! The storage port of this area: accounts, sessions, api tokens, login throttling and the audit trail. `gachi-store` implements it for
//! SQLite and PostgreSQL and its conformance suite holds both to it.

use async_trait::async_trait;

use crate::accounts::{
    ApiTokenId, ApiTokenInfo, Locale, NewApiToken, NewPasswordReset, NewSession, NewUser,
    PasswordReset, Role, Session, SessionId, User, UserId, UserLogin,
};
use crate::kernel::audit::{AuditEntry, AuditRecord};
use crate::kernel::region::RegionCode;
use crate::kernel::time::Timestamp;

use crate::ports::StoreError;

/// Accounts, sessions, API tokens, login throttling and the audit trail.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Inserts a user; `StoreError::Conflict("email")` when the email is taken.
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<User, StoreError>;
    async fn user(&self, id: UserId) -> Result<Option<User>, StoreError>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;
    /// The user with their password hash, for signing in.
    async fn user_login(&self, email: &str) -> Result<Option<UserLogin>, StoreError>;
    async fn password_hash(&self, id: UserId) -> Result<Option<String>, StoreError>;
    async fn set_password(
        &self,
        id: UserId,
        phc: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    async fn set_locale(
        &self,
        id: UserId,
        locale: Locale,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Changes an account's name, role and region.
    async fn update_user(
        &self,
        id: UserId,
        display_name: &str,
        role: Role,
        region: Option<&RegionCode>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Disables an account from `at` (ending its sessions and revoking its API tokens in the
    /// same transaction), or enables it with `None`.
    async fn set_user_disabled(
        &self,
        id: UserId,
        at: Option<Timestamp>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Keeps a one-time password reset link (by its token's digest).
    async fn create_password_reset(
        &self,
        reset: &NewPasswordReset,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// A reset link by its token's digest.
    async fn password_reset(&self, token_digest: &str)
    -> Result<Option<PasswordReset>, StoreError>;
    /// How many reset links were made for `user` since `since`.
    async fn password_resets_since(
        &self,
        user: UserId,
        since: Timestamp,
    ) -> Result<u32, StoreError>;
    /// Uses a reset link, in one transaction: marks it used (false, and nothing changed, when
    /// it was used already), sets the password and ends every session of the account.
    async fn use_password_reset(
        &self,
        id: i64,
        user: UserId,
        phc: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError>;
    /// Users, newest first, optionally of one role.
    async fn list_users(&self, role: Option<Role>, limit: u32) -> Result<Vec<User>, StoreError>;
    /// How many users each role has (roles with none are left out).
    async fn count_users_by_role(&self) -> Result<Vec<(Role, i64)>, StoreError>;

    async fn create_session(
        &self,
        session: &NewSession,
        audit: &AuditEntry,
    ) -> Result<SessionId, StoreError>;
    /// The session with this token digest and its user, if it exists (expired or not).
    async fn session(&self, token_digest: &str) -> Result<Option<(Session, User)>, StoreError>;
    async fn extend_session(
        &self,
        id: SessionId,
        last_seen: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;
    async fn delete_session(
        &self,
        token_digest: &str,
        audit: Option<&AuditEntry>,
    ) -> Result<(), StoreError>;
    /// Ends every session of a user but the one kept (after a password change).
    async fn delete_other_sessions(&self, user: UserId, keep: SessionId) -> Result<(), StoreError>;
    /// Removes sessions whose expiry has passed; returns how many.
    async fn purge_expired_sessions(&self, now: Timestamp) -> Result<u64, StoreError>;

    async fn create_api_token(
        &self,
        token: &NewApiToken,
        audit: &AuditEntry,
    ) -> Result<ApiTokenId, StoreError>;
    /// The token with this digest and its user, whatever its state (expired, revoked: the use
    /// case decides). A cached answer never outlives a revocation made through this store.
    async fn api_token(
        &self,
        token_digest: &str,
    ) -> Result<Option<(ApiTokenInfo, User)>, StoreError>;
    /// Records a use of the token (bookkeeping, not audited).
    async fn touch_api_token(&self, id: ApiTokenId, at: Timestamp) -> Result<(), StoreError>;
    /// Every token of a user, revoked and expired ones too, oldest first.
    async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiTokenInfo>, StoreError>;
    /// Revokes one token of `user` at `audit.at`; `StoreError::NotFound` when the user has no
    /// token with this id. A token revoked already keeps its first revocation time.
    async fn revoke_api_token(
        &self,
        user: UserId,
        id: ApiTokenId,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Revokes every token of `user` not revoked yet, at `audit.at`; returns how many.
    async fn revoke_api_tokens(&self, user: UserId, audit: &AuditEntry) -> Result<u64, StoreError>;

    async fn record_login_failure(
        &self,
        email: &str,
        ip: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Failures since `since` for this email and for this IP address.
    async fn login_failures_since(
        &self,
        email: &str,
        ip: &str,
        since: Timestamp,
    ) -> Result<(u32, u32), StoreError>;
    /// The oldest failure for this email since `since` (when the lock will lift).
    async fn oldest_login_failure_since(
        &self,
        email: &str,
        since: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError>;
    async fn clear_login_failures(&self, email: &str) -> Result<(), StoreError>;

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;
    async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditRecord>, StoreError>;
}
