//! Accounts and access: who people are (role, region scope, language), how they sign up and
//! sign in, sessions and API tokens, and the rules for who may create whom.
//!
//! An API token lasts 90 days unless made for another period (or, explicitly, until revoked);
//! its owner sees and revokes their tokens, staff revoke all of an account's, and a password
//! change offers to revoke them all. An expired or revoked token is refused at once. Its last
//! use is recorded, at most once a minute, so a forgotten token can be found and revoked.
//!
//! Sign-in is throttled per account and per IP address, checks a dummy hash for unknown emails
//! (so response time does not reveal which emails exist), and records failures in storage so
//! the limit holds across server restarts and web nodes.

pub mod password_reset;
mod store;
pub use password_reset::{NewPasswordReset, PasswordReset, ResetLink};
pub use store::AccountStore;

use crate::kernel::audit::Actor;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::region::RegionCode;
use crate::kernel::secret;
use crate::kernel::text;
use crate::kernel::time::Timestamp;
use crate::ports::{Clock, PasswordHasher, Store, StoreError};

/// A session ends after a week without use, and a month after sign-in in any case.
pub const SESSION_IDLE_SECONDS: i64 = 7 * 24 * 3600;
pub const SESSION_MAX_SECONDS: i64 = 30 * 24 * 3600;
/// Sliding the idle expiry costs a write; do it at most this often per session.
pub const SESSION_TOUCH_SECONDS: i64 = 10 * 60;
/// Failed sign-ins counted over this window...
pub const LOGIN_WINDOW_SECONDS: i64 = 15 * 60;
/// ...lock the account after this many...
pub const LOGIN_MAX_FAILURES_PER_ACCOUNT: u32 = 5;
/// ...and the IP address after this many (an office or a 주민센터 may share one address).
pub const LOGIN_MAX_FAILURES_PER_IP: u32 = 30;

/// An API token lasts this many days unless made for another period...
pub const API_TOKEN_DEFAULT_DAYS: u32 = 90;
/// ...and at most this many (0 days: until revoked).
pub const API_TOKEN_MAX_DAYS: u32 = 3650;
/// Recording a token's last use costs a write; do it at most this often per token.
pub const API_TOKEN_TOUCH_SECONDS: i64 = 60;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const DISPLAY_NAME_MAX_CHARS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApiTokenId(pub i64);

/// The roles of DESIGN.md. The string forms are stored and used in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Merchant,
    Designer,
    Md,
    Operator,
    LocalGov,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Merchant,
        Role::Designer,
        Role::Md,
        Role::Operator,
        Role::LocalGov,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Merchant => "merchant",
            Role::Designer => "designer",
            Role::Md => "md",
            Role::Operator => "operator",
            Role::LocalGov => "localgov",
            Role::Admin => "admin",
        }
    }

    pub fn parse(input: &str, field: &str) -> Result<Role, FieldError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == input.trim())
            .ok_or_else(|| FieldError::new(field, "error-role-invalid"))
    }

    /// Program staff: see every region and manage accounts.
    pub const STAFF: [Role; 2] = [Role::Operator, Role::Admin];

    pub fn is_staff(self) -> bool {
        Role::STAFF.contains(&self)
    }

    /// Merchants sign themselves up; operators create every other role but admin and operator;
    /// admins create anyone.
    pub fn may_create(self, target: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::Operator => !matches!(target, Role::Admin | Role::Operator),
            _ => false,
        }
    }
}

/// A sign-in email: trimmed, NFKC-folded (`ａ@ｂ.ｋｒ` is `a@b.kr`), lowercased; one `@` with text
/// on both sides and a dot in the domain; no control, bidi or zero-width character (refused, so
/// `a\u{200B}@b.kr` cannot become a second account that looks like `a@b.kr`; see
/// `kernel::text`). Deliverability is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str, field: &str) -> Result<Email, FieldError> {
        let email = match text::code(input) {
            Ok(email) => email.to_lowercase(),
            Err(_) => return Err(FieldError::new(field, "error-email-invalid")),
        };
        if email.is_empty() {
            return Err(FieldError::new(field, "error-required"));
        }
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if valid {
            Ok(Email(email))
        } else {
            Err(FieldError::new(field, "error-email-invalid"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8 to 128 characters. Not normalized beyond NFC, so what was typed is what
/// is checked.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(input: &str, field: &str) -> Result<Password, FieldError> {
        let password: String = unicode_normalization::UnicodeNormalization::nfc(input).collect();
        let chars = text::char_len(&password);
        if chars == 0 {
            Err(FieldError::new(field, "error-required"))
        } else if chars < PASSWORD_MIN_CHARS {
            Err(FieldError::new(field, "error-password-short"))
        } else if chars > PASSWORD_MAX_CHARS {
            Err(FieldError::new(field, "error-password-long"))
        } else {
            Ok(Password(password))
        }
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A person's name as shown in the UI: 1 to 50 characters, under the rule of `kernel::text::name`
/// (refused, not stripped: the person can retype it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str, field: &str) -> Result<DisplayName, FieldError> {
        let name = match text::name(input) {
            Ok(name) => name.into_owned(),
            Err(code) => return Err(FieldError::new(field, code)),
        };
        if name.is_empty() {
            Err(FieldError::new(field, "error-required"))
        } else if text::longer_than(&name, DISPLAY_NAME_MAX_CHARS) {
            Err(FieldError::new(field, "error-too-long"))
        } else {
            Ok(DisplayName(name))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The UI languages. Korean is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    Ko,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ko, Locale::En];
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Ko => "ko",
            Locale::En => "en",
        }
    }
    /// Accepts `ko`, `en` and regional forms such as `en-US` or `ko_KR`.
    pub fn parse(input: &str) -> Option<Locale> {
        let primary = input.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ko" => Some(Locale::Ko),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    /// The region a local-government officer is scoped to (None for other roles).
    pub region: Option<RegionCode>,
    pub display_name: String,
    pub locale: Option<Locale>,
    pub created_at: Timestamp,
    /// When staff disabled the account: it cannot sign in, and its sessions and tokens ended.
    pub disabled_at: Option<Timestamp>,
}

impl User {
    /// Whether this user may see data of `region`: staff see all, a local-government officer
    /// sees their own region and what lies inside it, nobody else sees regional views.
    pub fn may_see_region(&self, region: &RegionCode) -> bool {
        match self.role {
            Role::Operator | Role::Admin => true,
            Role::LocalGov => self.region.as_ref().is_some_and(|own| own.contains(region)),
            _ => false,
        }
    }

    /// The region a local-government officer's regional view covers: the one `asked` when it
    /// lies in their own region, else their own region; None when they asked outside it or
    /// have no region.
    pub fn officer_scope(&self, asked: Option<&RegionCode>) -> Option<RegionCode> {
        let own = self.region.as_ref()?;
        match asked {
            Some(asked) if !own.contains(asked) => None,
            Some(asked) => Some(asked.clone()),
            None => Some(own.clone()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct UserLogin {
    pub user: User,
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub password_hash: String,
    pub role: Role,
    pub region: Option<RegionCode>,
    pub display_name: DisplayName,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub user: UserId,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_digest: String,
    pub user: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub token_digest: String,
    pub user: UserId,
    pub name: String,
    pub created_at: Timestamp,
    /// None: until revoked.
    pub expires_at: Option<Timestamp>,
}

/// An API token as its owner and staff see it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenInfo {
    pub id: ApiTokenId,
    pub user: UserId,
    pub name: String,
    pub created_at: Timestamp,
    /// None: until revoked.
    pub expires_at: Option<Timestamp>,
    /// Recorded at most once every [`API_TOKEN_TOUCH_SECONDS`].
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// Whether a token still lets its holder in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiTokenStatus {
    Active,
    Expired,
    Revoked,
}

impl ApiTokenStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiTokenStatus::Active => "active",
            ApiTokenStatus::Expired => "expired",
            ApiTokenStatus::Revoked => "revoked",
        }
    }
}

impl ApiTokenInfo {
    /// Revoked first (it was a decision), then expired at or before `now`.
    pub fn status(&self, now: Timestamp) -> ApiTokenStatus {
        if self.revoked_at.is_some() {
            ApiTokenStatus::Revoked
        } else if self.expires_at.is_some_and(|end| end <= now) {
            ApiTokenStatus::Expired
        } else {
            ApiTokenStatus::Active
        }
    }

    /// Whether the last use recorded is old enough to record a new one at `now`.
    fn due_for_touch(&self, now: Timestamp) -> bool {
        self.last_used_at
            .is_none_or(|last| now.unix_ms() - last.unix_ms() >= API_TOKEN_TOUCH_SECONDS * 1000)
    }
}

/// A token as listed, with its status when it was listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedApiToken {
    pub info: ApiTokenInfo,
    pub status: ApiTokenStatus,
}

/// A new API token: the token, shown this once, and what is kept of it.
#[derive(Debug, Clone)]
pub struct CreatedApiToken {
    pub token: String,
    pub info: ApiTokenInfo,
}

/// Which of an account's tokens the CLI revokes: one by id, or every live one of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenChoice {
    Id(ApiTokenId),
    Name(String),
}

/// A token's lifetime in days as asked for: None is the default, 0 is until revoked.
pub fn token_expiry(now: Timestamp, days: Option<u32>) -> Result<Option<Timestamp>, FieldError> {
    match days.unwrap_or(API_TOKEN_DEFAULT_DAYS) {
        0 => Ok(None),
        days if days > API_TOKEN_MAX_DAYS => Err(FieldError::new("days", "error-token-days")),
        days => Ok(Some(now.plus_seconds(i64::from(days) * 24 * 3600))),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("email already registered")]
    EmailTaken,
    #[error("wrong email or password")]
    BadCredentials,
    #[error("too many failed sign-ins; retry in {retry_after_seconds} s")]
    Throttled { retry_after_seconds: i64 },
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ValidationErrors> for AccountError {
    fn from(errors: ValidationErrors) -> Self {
        AccountError::Invalid(errors)
    }
}

/// What a person types to sign up (merchants) or what staff type to create an account.
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// Role name; ignored for self sign-up, which is always `merchant`.
    pub role: String,
    /// Region code, required for `localgov`.
    pub region_code: String,
}

/// A new session: the cookie value is shown once and stored only as a digest.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session_token: String,
}

/// The account use cases, over the ports they need.
fn staff_only(user: &User) -> Result<(), AccountError> {
    if user.role.is_staff() {
        Ok(())
    } else {
        Err(AccountError::Forbidden)
    }
}

/// The region an account of `role` keeps from what was typed: an officer must name one, a
/// designer may (the KPI counts them there), other roles keep none.
fn region_for(role: Option<Role>, typed: &str) -> Result<Option<RegionCode>, FieldError> {
    match (role, typed.trim()) {
        (Some(Role::LocalGov), "") => Err(FieldError::new("region_code", "error-region-required")),
        (Some(Role::LocalGov), code) => RegionCode::parse(code, "region_code").map(Some),
        (Some(Role::Designer), code) if !code.is_empty() => {
            RegionCode::parse(code, "region_code").map(Some)
        }
        _ => Ok(None),
    }
}

/// An account's changes as staff type them.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub display_name: String,
    pub role: String,
    pub region_code: String,
}

pub struct Accounts<'a> {
    pub store: &'a dyn Store,
    pub hasher: &'a dyn PasswordHasher,
    pub clock: &'a dyn Clock,
}

impl Accounts<'_> {
    /// Users, newest first, optionally of one role (staff).
    pub async fn list_users(
        &self,
        caller: &User,
        role: Option<Role>,
        limit: u32,
    ) -> Result<Vec<User>, AccountError> {
        staff_only(caller)?;
        Ok(self.store.list_users(role, limit).await?)
    }

    /// How many users each role has (staff; roles with none are left out).
    pub async fn count_users_by_role(
        &self,
        caller: &User,
    ) -> Result<Vec<(Role, i64)>, AccountError> {
        staff_only(caller)?;
        Ok(self.store.count_users_by_role().await?)
    }

    /// The latest entries of the audit trail (staff).
    pub async fn recent_audit(
        &self,
        caller: &User,
        limit: u32,
    ) -> Result<Vec<crate::kernel::audit::AuditRecord>, AccountError> {
        staff_only(caller)?;
        Ok(self.store.recent_audit(limit).await?)
    }

    /// The caller's own API tokens, oldest first (names, dates and status; never the tokens).
    pub async fn api_tokens(&self, caller: &User) -> Result<Vec<ListedApiToken>, StoreError> {
        self.listed_tokens(caller.id).await
    }

    /// The account with this email and its API tokens, oldest first (the CLI, run by whoever
    /// holds the server).
    pub async fn api_tokens_of(
        &self,
        email: &str,
    ) -> Result<(User, Vec<ListedApiToken>), AccountError> {
        let user = self.user_by_email(email).await?;
        let tokens = self.listed_tokens(user.id).await?;
        Ok((user, tokens))
    }

    async fn listed_tokens(&self, user: UserId) -> Result<Vec<ListedApiToken>, StoreError> {
        let now = self.clock.now();
        Ok(self
            .store
            .list_api_tokens(user)
            .await?
            .into_iter()
            .map(|info| ListedApiToken {
                status: info.status(now),
                info,
            })
            .collect())
    }

    async fn user_by_email(&self, email: &str) -> Result<User, AccountError> {
        let email = Email::parse(email, "email").map_err(ValidationErrors::from)?;
        self.store
            .user_by_email(email.as_str())
            .await?
            .ok_or(AccountError::NotFound)
    }

    /// A merchant signs themselves up.
    pub async fn sign_up_merchant(
        &self,
        input: &AccountInput,
        actor: &Actor,
    ) -> Result<User, AccountError> {
        let input = AccountInput {
            role: Role::Merchant.as_str().into(),
            ..input.clone()
        };
        self.insert(&input, actor, "user.signup").await
    }

    /// Staff create an account of another role.
    pub async fn create_user(
        &self,
        creator: Option<&User>,
        input: &AccountInput,
        actor: &Actor,
    ) -> Result<User, AccountError> {
        // `None` is the system itself (the CLI run by whoever holds the server), which may
        // create anyone, including the first admin.
        if let (Some(creator), Ok(role)) = (creator, Role::parse(&input.role, "role"))
            && !creator.role.may_create(role)
        {
            return Err(AccountError::Forbidden);
        }
        self.insert(input, actor, "user.create").await
    }

    /// One account (staff).
    pub async fn user(&self, caller: &User, id: UserId) -> Result<User, AccountError> {
        staff_only(caller)?;
        self.store.user(id).await?.ok_or(AccountError::NotFound)
    }

    /// Changes an account's name, role and region (staff, for the roles they may create: an
    /// operator leaves admins and operators alone). Nobody changes their own role.
    pub async fn update_user(
        &self,
        caller: &User,
        id: UserId,
        changes: &AccountChanges,
        actor: &Actor,
    ) -> Result<User, AccountError> {
        staff_only(caller)?;
        let target = self.store.user(id).await?.ok_or(AccountError::NotFound)?;
        if !caller.role.may_create(target.role) && caller.id != target.id {
            return Err(AccountError::Forbidden);
        }
        let mut errors = ValidationErrors::new();
        let display_name = errors.check(DisplayName::parse(&changes.display_name, "display_name"));
        let role = errors.check(Role::parse(&changes.role, "role"));
        let region = errors
            .check(region_for(role, &changes.region_code))
            .flatten();
        if let Some(role) = role {
            if caller.id == target.id && role != target.role {
                errors.push("role", "error-own-role");
            } else if caller.id != target.id && !caller.role.may_create(role) {
                errors.push("role", "error-role-not-allowed");
            }
        }
        errors.into_result()?;
        let (Some(display_name), Some(role)) = (display_name, role) else {
            unreachable!("every missing value recorded an error above");
        };
        let now = self.clock.now();
        let detail = format!(
            "role={}->{} region={}",
            target.role.as_str(),
            role.as_str(),
            region.as_ref().map(|r| r.as_str()).unwrap_or("-")
        );
        let audit = actor.entry(now, "user.update", format!("user:{}", id.0), detail);
        self.store
            .update_user(id, display_name.as_str(), role, region.as_ref(), &audit)
            .await?;
        self.store.user(id).await?.ok_or(AccountError::NotFound)
    }

    /// Disables an account (staff, for the roles they may create; never their own): it can no
    /// longer sign in, and its sessions and API tokens end at once. Enabling lets it sign in
    /// again with its password (no session or token comes back).
    pub async fn set_disabled(
        &self,
        caller: &User,
        id: UserId,
        disabled: bool,
        actor: &Actor,
    ) -> Result<(), AccountError> {
        staff_only(caller)?;
        let target = self.store.user(id).await?.ok_or(AccountError::NotFound)?;
        if caller.id == target.id {
            return Err(AccountError::Invalid(
                FieldError::new("user", "error-disable-self").into(),
            ));
        }
        if !caller.role.may_create(target.role) {
            return Err(AccountError::Forbidden);
        }
        let now = self.clock.now();
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        let audit = actor.entry(now, action, format!("user:{}", id.0), "");
        self.store
            .set_user_disabled(id, disabled.then_some(now), &audit)
            .await?;
        Ok(())
    }

    async fn insert(
        &self,
        input: &AccountInput,
        actor: &Actor,
        action: &str,
    ) -> Result<User, AccountError> {
        let mut errors = ValidationErrors::new();
        let email = errors.check(Email::parse(&input.email, "email"));
        let password = errors.check(Password::parse(&input.password, "password"));
        let role = errors.check(Role::parse(&input.role, "role"));
        let display_name = if input.display_name.trim().is_empty() {
            // The part of the email before `@` is a fine name until the person sets one.
            email.as_ref().and_then(|e| {
                DisplayName::parse(
                    e.as_str().split('@').next().unwrap_or_default(),
                    "display_name",
                )
                .ok()
            })
        } else {
            errors.check(DisplayName::parse(&input.display_name, "display_name"))
        };
        let region = errors.check(region_for(role, &input.region_code)).flatten();
        errors.into_result()?;
        let (Some(email), Some(password), Some(role), Some(display_name)) =
            (email, password, role, display_name)
        else {
            unreachable!("every missing value recorded an error above");
        };
        if self.store.user_by_email(email.as_str()).await?.is_some() {
            return Err(AccountError::EmailTaken);
        }
        let now = self.clock.now();
        let new = NewUser {
            password_hash: self.hasher.hash(password.expose().to_owned()).await,
            email,
            role,
            region,
            display_name,
            created_at: now,
        };
        let detail = format!("role={}", role.as_str());
        let audit = actor.entry(now, action, format!("email:{}", new.email.as_str()), detail);
        match self.store.create_user(&new, &audit).await {
            Ok(user) => Ok(user),
            Err(StoreError::Conflict("email")) => Err(AccountError::EmailTaken),
            Err(other) => Err(other.into()),
        }
    }

    /// Signs in with email and password, starting a session.
    pub async fn sign_in(
        &self,
        email_input: &str,
        password: &str,
        ip: &str,
    ) -> Result<SignedIn, AccountError> {
        let mut errors = ValidationErrors::new();
        if email_input.trim().is_empty() {
            errors.push("email", "error-required");
        }
        if password.is_empty() {
            errors.push("password", "error-required");
        }
        errors.into_result()?;
        // An unparseable email cannot exist; it still goes through the same checks and the
        // dummy hash so it is indistinguishable from an unknown one.
        let email = Email::parse(email_input, "email")
            .map(|e| e.0)
            .unwrap_or_else(|_| text::clean(email_input).to_lowercase());
        let now = self.clock.now();
        let since = now.minus_seconds(LOGIN_WINDOW_SECONDS);
        let (account_failures, ip_failures) =
            self.store.login_failures_since(&email, ip, since).await?;
        if account_failures >= LOGIN_MAX_FAILURES_PER_ACCOUNT
            || ip_failures >= LOGIN_MAX_FAILURES_PER_IP
        {
            let oldest = self.store.oldest_login_failure_since(&email, since).await?;
            let lifts_at = oldest.unwrap_or(now).plus_seconds(LOGIN_WINDOW_SECONDS);
            return Err(AccountError::Throttled {
                retry_after_seconds: now.seconds_until(lifts_at).max(1),
            });
        }
        let login = self.store.user_login(&email).await?;
        let phc = login
            .as_ref()
            .map(|l| l.password_hash.clone())
            .unwrap_or_else(|| secret::dummy_password_hash().to_owned());
        let verified = self.hasher.verify(password.to_owned(), phc).await;
        let Some(UserLogin { user, .. }) = login.filter(|_| verified) else {
            self.store.record_login_failure(&email, ip, now).await?;
            return Err(AccountError::BadCredentials);
        };
        self.store.clear_login_failures(&email).await?;
        let session_token = self.start_session(&user, Some(ip.to_owned())).await?;
        Ok(SignedIn {
            user,
            session_token,
        })
    }

    async fn start_session(&self, user: &User, ip: Option<String>) -> Result<String, StoreError> {
        let now = self.clock.now();
        let token = secret::random_token();
        let new = NewSession {
            token_digest: secret::token_digest(&token),
            user: user.id,
            created_at: now,
            expires_at: now.plus_seconds(SESSION_IDLE_SECONDS),
        };
        let audit =
            Actor::user(user.id, ip).entry(now, "session.start", format!("user:{}", user.id.0), "");
        self.store.create_session(&new, &audit).await?;
        Ok(token)
    }

    /// The live session for a cookie value, sliding its idle expiry forward when due.
    pub async fn session(&self, token: &str) -> Result<Option<(Session, User)>, StoreError> {
        let Some((mut session, user)) = self.store.session(&secret::token_digest(token)).await?
        else {
            return Ok(None);
        };
        let now = self.clock.now();
        if session.expires_at <= now {
            return Ok(None);
        }
        if now.unix_ms() - session.last_seen_at.unix_ms() >= SESSION_TOUCH_SECONDS * 1000 {
            let hard_end = session.created_at.plus_seconds(SESSION_MAX_SECONDS);
            let expires = now.plus_seconds(SESSION_IDLE_SECONDS).min(hard_end);
            self.store.extend_session(session.id, now, expires).await?;
            session.last_seen_at = now;
            session.expires_at = expires;
        }
        Ok(Some((session, user)))
    }

    pub async fn sign_out(&self, token: &str, actor: &Actor) -> Result<(), StoreError> {
        let now = self.clock.now();
        let subject = actor
            .user
            .map(|u| format!("user:{}", u.0))
            .unwrap_or_default();
        let audit = actor.entry(now, "session.end", subject, "");
        self.store
            .delete_session(&secret::token_digest(token), Some(&audit))
            .await
    }

    /// Changes the password after checking the current one; other sessions are ended, and with
    /// `revoke_tokens` every API token of the account too.
    pub async fn change_password(
        &self,
        user: &User,
        session: SessionId,
        current: &str,
        new_password: &str,
        revoke_tokens: bool,
        actor: &Actor,
    ) -> Result<(), AccountError> {
        let mut errors = ValidationErrors::new();
        if current.is_empty() {
            errors.push("current_password", "error-required");
        }
        let new_password = errors.check(Password::parse(new_password, "new_password"));
        errors.into_result()?;
        let Some(new_password) = new_password else {
            unreachable!("checked above")
        };
        let stored = self
            .store
            .password_hash(user.id)
            .await?
            .ok_or(AccountError::NotFound)?;
        if !self.hasher.verify(current.to_owned(), stored).await {
            return Err(ValidationErrors::from(FieldError::new(
                "current_password",
                "error-password-wrong",
            ))
            .into());
        }
        let phc = self.hasher.hash(new_password.expose().to_owned()).await;
        let now = self.clock.now();
        let audit = actor.entry(now, "user.password", format!("user:{}", user.id.0), "");
        self.store.set_password(user.id, &phc, &audit).await?;
        self.store.delete_other_sessions(user.id, session).await?;
        if revoke_tokens {
            let audit = actor.entry(
                now,
                "token.revoke_all",
                format!("user:{}", user.id.0),
                "reason=password",
            );
            self.store.revoke_api_tokens(user.id, &audit).await?;
        }
        Ok(())
    }

    pub async fn set_locale(
        &self,
        user: &User,
        locale: Locale,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let audit = actor.entry(
            self.clock.now(),
            "user.locale",
            format!("user:{}", user.id.0),
            locale.as_str(),
        );
        self.store.set_locale(user.id, locale, &audit).await
    }

    /// Creates a personal API token for the account with this email, lasting `days` days
    /// ([`API_TOKEN_DEFAULT_DAYS`] when None; 0: until revoked). The token is returned once and
    /// stored only as a digest.
    pub async fn create_api_token(
        &self,
        email: &str,
        name: &str,
        days: Option<u32>,
        actor: &Actor,
    ) -> Result<CreatedApiToken, AccountError> {
        let mut errors = ValidationErrors::new();
        let email = errors.check(Email::parse(email, "email"));
        let now = self.clock.now();
        let expires_at = errors.check(token_expiry(now, days));
        errors.into_result()?;
        let (Some(email), Some(expires_at)) = (email, expires_at) else {
            unreachable!("every missing value recorded an error above");
        };
        let user = self
            .store
            .user_by_email(email.as_str())
            .await?
            .ok_or(AccountError::NotFound)?;
        let name = text::clean(name);
        let name = if name.is_empty() {
            "personal".to_owned()
        } else {
            name
        };
        let token = format!("gachi_{}", secret::random_token());
        let new = NewApiToken {
            token_digest: secret::token_digest(&token),
            user: user.id,
            name: name.clone(),
            created_at: now,
            expires_at,
        };
        let detail = match expires_at {
            Some(end) => format!("name={name} expires={}", end.rfc3339_seconds()),
            None => format!("name={name} expires=never"),
        };
        let audit = actor.entry(now, "token.create", format!("user:{}", user.id.0), detail);
        let id = self.store.create_api_token(&new, &audit).await?;
        Ok(CreatedApiToken {
            token,
            info: ApiTokenInfo {
                id,
                user: user.id,
                name,
                created_at: now,
                expires_at,
                last_used_at: None,
                revoked_at: None,
            },
        })
    }

    /// The user a bearer token belongs to, while the token is neither expired nor revoked; the
    /// use is recorded when the last one recorded is a minute old.
    pub async fn api_user(&self, token: &str) -> Result<Option<User>, StoreError> {
        if !token.starts_with("gachi_") {
            return Ok(None);
        }
        let Some((info, user)) = self.store.api_token(&secret::token_digest(token)).await? else {
            return Ok(None);
        };
        let now = self.clock.now();
        if info.status(now) != ApiTokenStatus::Active {
            return Ok(None);
        }
        if info.due_for_touch(now) {
            self.store.touch_api_token(info.id, now).await?;
        }
        Ok(Some(user))
    }

    /// Revokes one of the caller's own tokens (another account's is "not found").
    pub async fn revoke_own_api_token(
        &self,
        caller: &User,
        id: ApiTokenId,
        actor: &Actor,
    ) -> Result<(), AccountError> {
        self.revoke_one(caller.id, id, actor).await
    }

    /// Staff revoke every token of an account; returns how many were not revoked yet.
    pub async fn revoke_all_api_tokens(
        &self,
        caller: &User,
        target: UserId,
        actor: &Actor,
    ) -> Result<u64, AccountError> {
        staff_only(caller)?;
        let user = self
            .store
            .user(target)
            .await?
            .ok_or(AccountError::NotFound)?;
        let audit = actor.entry(
            self.clock.now(),
            "token.revoke_all",
            format!("user:{}", user.id.0),
            "reason=staff",
        );
        Ok(self.store.revoke_api_tokens(user.id, &audit).await?)
    }

    /// Revokes tokens of the account with this email (the CLI): the one with this id, or every
    /// token of this name not yet revoked. Returns how many; none found is "not found".
    pub async fn revoke_api_tokens_of(
        &self,
        email: &str,
        which: &TokenChoice,
        actor: &Actor,
    ) -> Result<u64, AccountError> {
        let user = self.user_by_email(email).await?;
        let ids: Vec<ApiTokenId> = match which {
            TokenChoice::Id(id) => vec![*id],
            TokenChoice::Name(name) => {
                let name = text::clean(name);
                self.store
                    .list_api_tokens(user.id)
                    .await?
                    .into_iter()
                    .filter(|t| t.name == name && t.revoked_at.is_none())
                    .map(|t| t.id)
                    .collect()
            }
        };
        if ids.is_empty() {
            return Err(AccountError::NotFound);
        }
        for id in &ids {
            self.revoke_one(user.id, *id, actor).await?;
        }
        Ok(ids.len() as u64)
    }

    async fn revoke_one(
        &self,
        owner: UserId,
        id: ApiTokenId,
        actor: &Actor,
    ) -> Result<(), AccountError> {
        let audit = actor.entry(
            self.clock.now(),
            "token.revoke",
            format!("user:{}", owner.0),
            format!("token={}", id.0),
        );
        match self.store.revoke_api_token(owner, id, &audit).await {
            Ok(()) => Ok(()),
            Err(StoreError::NotFound) => Err(AccountError::NotFound),
            Err(other) => Err(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            Email::parse("  Kim@Example.KR ", "email").unwrap().as_str(),
            "kim@example.kr"
        );
        for bad in [
            "kim",
            "kim@",
            "@example.kr",
            "kim@example",
            "kim@@example.kr",
            "k m@example.kr",
        ] {
            assert_eq!(
                Email::parse(bad, "email").unwrap_err().code,
                "error-email-invalid",
                "{bad}"
            );
        }
        assert_eq!(
            Email::parse(" ", "email").unwrap_err().code,
            "error-required"
        );
    }

    /// Probe: an e-mail with U+200B (or full-width letters) beside the plain one must not make a
    /// second account that looks the same.
    #[test]
    fn look_alike_emails_are_refused_or_folded() {
        for bad in [
            "kim\u{200B}@example.kr",
            "kim@exam\u{200D}ple.kr",
            "kim@example.kr\u{FEFF}x",
            "\u{202E}rk.elpmaxe@mik",
            "kim\0@example.kr",
        ] {
            assert_eq!(
                Email::parse(bad, "email").unwrap_err().code,
                "error-email-invalid",
                "{bad:?}"
            );
        }
        assert_eq!(
            Email::parse("ＫＩＭ@ｅｘａｍｐｌｅ.ｋｒ", "email")
                .unwrap()
                .as_str(),
            "kim@example.kr"
        );
    }

    #[test]
    fn display_names_need_a_visible_letter_and_no_invisible_characters() {
        for bad in ["\u{200B}\u{200B}", "김\u{202E}철수", "김\0철수", "..."] {
            assert_eq!(
                DisplayName::parse(bad, "name").unwrap_err().code,
                "error-invalid-characters",
                "{bad:?}"
            );
        }
        assert_eq!(
            DisplayName::parse(" 김철수 ", "name").unwrap().as_str(),
            "김철수"
        );
    }

    #[test]
    fn passwords_need_eight_characters_counting_hangul_as_one() {
        assert_eq!(
            Password::parse("짧은비번", "p").unwrap_err().code,
            "error-password-short"
        );
        assert!(Password::parse("가치가치가치가치", "p").is_ok());
        assert_eq!(
            Password::parse(&"a".repeat(129), "p").unwrap_err().code,
            "error-password-long"
        );
    }

    #[test]
    fn operators_cannot_create_operators_or_admins() {
        assert!(Role::Operator.may_create(Role::Designer));
        assert!(Role::Operator.may_create(Role::LocalGov));
        assert!(!Role::Operator.may_create(Role::Operator));
        assert!(!Role::Operator.may_create(Role::Admin));
        assert!(Role::Admin.may_create(Role::Operator));
        assert!(!Role::Merchant.may_create(Role::Merchant));
    }

    #[test]
    fn local_government_officers_see_only_their_region() {
        let jeonbuk = RegionCode::parse("52", "r").unwrap();
        let officer = User {
            id: UserId(1),
            email: "officer@jeonbuk.go.kr".into(),
            role: Role::LocalGov,
            region: Some(jeonbuk),
            display_name: "전북 담당".into(),
            locale: None,
            created_at: Timestamp::from_unix_ms(0),
            disabled_at: None,
        };
        assert!(officer.may_see_region(&RegionCode::parse("52111", "r").unwrap()));
        assert!(officer.may_see_region(&RegionCode::parse("45111", "r").unwrap()));
        assert!(!officer.may_see_region(&RegionCode::parse("11", "r").unwrap()));
        let merchant = User {
            role: Role::Merchant,
            ..officer.clone()
        };
        assert!(!merchant.may_see_region(&RegionCode::parse("52", "r").unwrap()));
        let operator = User {
            role: Role::Operator,
            region: None,
            ..officer
        };
        assert!(operator.may_see_region(&RegionCode::parse("11", "r").unwrap()));
    }

    #[test]
    fn tokens_last_ninety_days_unless_asked_otherwise() {
        let now = Timestamp::from_unix_ms(1_000_000);
        assert_eq!(
            token_expiry(now, None).unwrap(),
            Some(now.plus_seconds(90 * 24 * 3600))
        );
        assert_eq!(
            token_expiry(now, Some(7)).unwrap(),
            Some(now.plus_seconds(7 * 24 * 3600))
        );
        assert_eq!(token_expiry(now, Some(0)).unwrap(), None, "until revoked");
        assert_eq!(
            token_expiry(now, Some(API_TOKEN_MAX_DAYS + 1))
                .unwrap_err()
                .code,
            "error-token-days"
        );
    }

    #[test]
    fn a_token_is_refused_once_revoked_or_expired() {
        let now = Timestamp::from_unix_ms(10_000_000);
        let token = ApiTokenInfo {
            id: ApiTokenId(1),
            user: UserId(1),
            name: "ci".into(),
            created_at: now.minus_seconds(100),
            expires_at: Some(now.plus_seconds(1)),
            last_used_at: None,
            revoked_at: None,
        };
        assert_eq!(token.status(now), ApiTokenStatus::Active);
        assert_eq!(
            token.status(now.plus_seconds(1)),
            ApiTokenStatus::Expired,
            "expired at its expiry"
        );
        let revoked = ApiTokenInfo {
            revoked_at: Some(now),
            ..token.clone()
        };
        assert_eq!(revoked.status(now), ApiTokenStatus::Revoked);
        let forever = ApiTokenInfo {
            expires_at: None,
            ..token.clone()
        };
        assert_eq!(
            forever.status(now.plus_seconds(10 * 365 * 24 * 3600)),
            ApiTokenStatus::Active
        );
        assert!(token.due_for_touch(now), "never used");
        let used = ApiTokenInfo {
            last_used_at: Some(now),
            ..token
        };
        assert!(!used.due_for_touch(now.plus_seconds(API_TOKEN_TOUCH_SECONDS - 1)));
        assert!(used.due_for_touch(now.plus_seconds(API_TOKEN_TOUCH_SECONDS)));
    }

    #[test]
    fn locales_accept_regional_forms() {
        assert_eq!(Locale::parse("en-US"), Some(Locale::En));
        assert_eq!(Locale::parse("ko_KR"), Some(Locale::Ko));
        assert_eq!(Locale::parse("ja"), None);
    }
}
