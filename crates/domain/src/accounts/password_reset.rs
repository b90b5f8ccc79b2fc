//! Getting back into an account without the password: a one-time link, asked for by e-mail
//! (where the server sends mail) or made by an operator for a merchant who calls them. The link
//! carries a random token; only its digest is kept. It works once, for [`LINK_MINUTES`], and
//! using it sets the new password and ends every session of the account. Asking never says
//! whether an address has an account (the page answers the same either way), and an account gets
//! at most [`LINKS_PER_HOUR`] links an hour, so nobody can flood a mailbox through Gachi.

use super::{AccountError, Accounts, Password, Role, User, UserId};
use crate::kernel::audit::Actor;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::secret;
use crate::kernel::time::Timestamp;

/// How long a link works.
pub const LINK_MINUTES: i64 = 30;
/// Links made for one account in an hour, at most (asked for or issued).
pub const LINKS_PER_HOUR: u32 = 3;

/// A link to keep: whose, its token's digest, until when, and the operator who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPasswordReset {
    pub user: UserId,
    pub token_digest: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub issued_by: Option<UserId>,
}

/// A kept link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordReset {
    pub id: i64,
    pub user: UserId,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// A link just made: the account and the token for its address (shown or sent once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetLink {
    pub user: User,
    pub token: String,
    pub expires_at: Timestamp,
}

/// Whether `staff` may make a reset link for `target`: operators for merchants (who call them),
/// admins for anyone but another admin.
pub fn may_issue(staff: &User, target: &User) -> bool {
    match staff.role {
        Role::Admin => target.role != Role::Admin || target.id == staff.id,
        Role::Operator => target.role == Role::Merchant,
        _ => false,
    }
}

fn link_refused() -> AccountError {
    ValidationErrors::from(FieldError::new("token", "error-reset-link")).into()
}

impl Accounts<'_> {
    /// A link for the account with `email`, to be mailed, or None — no such account, or its
    /// hourly links used up — which the caller must not tell apart from a sent mail.
    pub async fn request_password_reset(
        &self,
        email: &str,
        actor: &Actor,
    ) -> Result<Option<ResetLink>, AccountError> {
        let email = email.trim().to_lowercase();
        let Some(user) = self.store.user_by_email(&email).await? else {
            return Ok(None);
        };
        self.make_link(user, None, actor).await
    }

    /// A link an operator makes for a merchant who called (an admin for anyone but another
    /// admin); shown to the operator once. Refused by the hourly limit like a mailed one.
    pub async fn issue_password_reset(
        &self,
        staff: &User,
        target: UserId,
        actor: &Actor,
    ) -> Result<ResetLink, AccountError> {
        if !matches!(staff.role, Role::Admin | Role::Operator) {
            return Err(AccountError::Forbidden);
        }
        let user = self
            .store
            .user(target)
            .await?
            .ok_or(AccountError::NotFound)?;
        if !may_issue(staff, &user) {
            return Err(AccountError::Forbidden);
        }
        self.make_link(user, Some(staff.id), actor)
            .await?
            .ok_or_else(|| {
                ValidationErrors::from(FieldError::new("user", "error-reset-too-many")).into()
            })
    }

    async fn make_link(
        &self,
        user: User,
        issued_by: Option<UserId>,
        actor: &Actor,
    ) -> Result<Option<ResetLink>, AccountError> {
        let now = self.clock.now();
        let hour_ago = Timestamp::from_unix_ms(now.unix_ms() - 3_600_000);
        if self.store.password_resets_since(user.id, hour_ago).await? >= LINKS_PER_HOUR {
            return Ok(None);
        }
        let token = secret::random_token();
        let expires_at = Timestamp::from_unix_ms(now.unix_ms() + LINK_MINUTES * 60_000);
        let audit = actor.entry(
            now,
            "user.password_reset_link",
            format!("user:{}", user.id.0),
            if issued_by.is_some() {
                "issued"
            } else {
                "mailed"
            },
        );
        self.store
            .create_password_reset(
                &NewPasswordReset {
                    user: user.id,
                    token_digest: secret::token_digest(&token),
                    created_at: now,
                    expires_at,
                    issued_by,
                },
                &audit,
            )
            .await?;
        Ok(Some(ResetLink {
            user,
            token,
            expires_at,
        }))
    }

    /// The link's account while it can still be used; a refusal by the `token` field otherwise.
    pub async fn reset_link(&self, token: &str) -> Result<User, AccountError> {
        let reset = self.usable_reset(token).await?;
        self.store.user(reset.user).await?.ok_or_else(link_refused)
    }

    async fn usable_reset(&self, token: &str) -> Result<PasswordReset, AccountError> {
        let token = token.trim();
        if token.is_empty() || token.len() > 100 {
            return Err(link_refused());
        }
        let reset = self
            .store
            .password_reset(&secret::token_digest(token))
            .await?
            .ok_or_else(link_refused)?;
        if reset.used_at.is_some() || self.clock.now() >= reset.expires_at {
            return Err(link_refused());
        }
        Ok(reset)
    }

    /// Sets a new password through a link: once, before it expires; every session of the
    /// account ends (whoever knew the old password is signed out).
    pub async fn reset_password(
        &self,
        token: &str,
        new_password: &str,
        confirmation: &str,
        actor: &Actor,
    ) -> Result<User, AccountError> {
        let reset = self.usable_reset(token).await?;
        let mut errors = ValidationErrors::new();
        let password = errors.check(Password::parse(new_password, "new_password"));
        if password.is_some() && new_password != confirmation {
            errors.push("confirm_password", "error-password-mismatch");
        }
        errors.into_result()?;
        let Some(password) = password else {
            unreachable!("checked above")
        };
        let user = self
            .store
            .user(reset.user)
            .await?
            .ok_or_else(link_refused)?;
        let phc = self.hasher.hash(password.expose().to_owned()).await;
        let audit = actor.entry(
            self.clock.now(),
            "user.password_reset",
            format!("user:{}", user.id.0),
            "",
        );
        if !self
            .store
            .use_password_reset(reset.id, user.id, &phc, &audit)
            .await?
        {
            // Used by a request that got there first.
            return Err(link_refused());
        }
        Ok(user)
    }
}
