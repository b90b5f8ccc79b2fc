//! Delegations (위임): a merchant lets a certified designer work on their shop within the scopes
//! granted — the catalog (products and 상세페이지), listing (sending to the marketplaces), the
//! marketplace accounts (settings and keys, which nobody reads back), sales reports — until an
//! end date at most 365 days away, revocable at once. While one lasts the designer works on the
//! shop's pages and API as the shop would, within those scopes only, and every change is
//! recorded as the designer acting for the shop's owner.

use std::collections::BTreeSet;

use crate::accounts::{Role, User, UserId};
use crate::kernel::audit::Actor;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::MerchantId;
use crate::ports::{Clock, Store, StoreError};

/// The longest a delegation may run before the merchant renews it.
pub const MAX_DAYS: i64 = 365;

/// What a delegation lets the designer do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Edit products and the 상세페이지.
    Catalog,
    /// Send products to the marketplaces.
    Listing,
    /// See and fill the marketplace settings and keys (keys are never shown back).
    Markets,
    /// Report sales.
    Sales,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::Catalog, Scope::Listing, Scope::Markets, Scope::Sales];

    pub fn code(self) -> &'static str {
        match self {
            Scope::Catalog => "catalog",
            Scope::Listing => "listing",
            Scope::Markets => "markets",
            Scope::Sales => "sales",
        }
    }

    pub fn parse(code: &str) -> Option<Scope> {
        let code = code.trim();
        Scope::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The stored form: codes joined by commas, in a fixed order.
    pub fn encode(scopes: &BTreeSet<Scope>) -> String {
        scopes
            .iter()
            .map(|s| s.code())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn decode(stored: &str) -> BTreeSet<Scope> {
        stored.split(',').filter_map(Scope::parse).collect()
    }
}

/// A delegation as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegation {
    pub id: i64,
    pub merchant: MerchantId,
    pub merchant_name: String,
    pub designer: UserId,
    pub designer_name: String,
    pub scopes: BTreeSet<Scope>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

impl Delegation {
    /// Running at `now`: started, not ended, not revoked.
    pub fn active(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.starts_at <= now && now < self.ends_at
    }

    pub fn allows(&self, scope: Scope, now: Timestamp) -> bool {
        self.active(now) && self.scopes.contains(&scope)
    }
}

/// A delegation to keep.
#[derive(Debug, Clone)]
pub struct NewDelegation {
    pub merchant: MerchantId,
    pub designer: UserId,
    pub scopes: BTreeSet<Scope>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

/// A grant as typed in the merchant's form.
#[derive(Debug, Clone, Default)]
pub struct GrantInput {
    /// The designer's sign-in e-mail.
    pub designer_email: String,
    pub scopes: Vec<String>,
    /// How many days it runs (1–365).
    pub days: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DelegationError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The scopes and days of a grant as typed (`scopes`, `days` fields): at least one known scope,
/// 1 to `MAX_DAYS` days. Faults go to `errors`.
pub fn grant_terms(
    errors: &mut ValidationErrors,
    codes: &[String],
    days: &str,
) -> (BTreeSet<Scope>, i64) {
    let mut scopes = BTreeSet::new();
    for code in codes {
        match Scope::parse(code) {
            Some(scope) => {
                scopes.insert(scope);
            }
            None => errors.push("scopes", "error-scope-unknown"),
        }
    }
    if scopes.is_empty() {
        errors.push("scopes", "error-scope-required");
    }
    let days = match days.trim().parse::<i64>() {
        Ok(d) if (1..=MAX_DAYS).contains(&d) => d,
        _ => {
            errors.push("days", "error-delegation-days");
            0
        }
    };
    (scopes, days)
}

/// Whether `user` may act on `merchant`'s shop in `scope` at `now`: staff always (for an existing
/// shop), the owner always, a designer under a delegation granting the scope.
pub async fn may_act(
    store: &dyn Store,
    user: &User,
    merchant: MerchantId,
    scope: Scope,
    now: Timestamp,
) -> Result<bool, StoreError> {
    match user.role {
        r if r.is_staff() => Ok(store.merchant(merchant).await?.is_some()),
        Role::Merchant => Ok(store
            .merchant_of_owner(user.id)
            .await?
            .is_some_and(|shop| shop.id == merchant)),
        Role::Designer => Ok(store
            .delegations(Some(merchant), Some(user.id))
            .await?
            .iter()
            .any(|d| d.allows(scope, now))),
        _ => Ok(false),
    }
}

/// The actor of a change `user` makes to `merchant`'s shop: a designer acts for the shop's owner,
/// so the trail says "designer X for shop Y"; everyone else acts as themselves.
pub async fn actor_for(
    store: &dyn Store,
    user: &User,
    actor: &Actor,
    merchant: MerchantId,
) -> Result<Actor, StoreError> {
    let mut actor = actor.clone();
    if user.role == Role::Designer {
        actor.on_behalf_of = store.owner_of_merchant(merchant).await?;
    }
    Ok(actor)
}

/// The delegation use cases.
pub struct Delegations<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Delegations<'_> {
    /// The merchant `user` grants: their own shop (a merchant) — staff may grant for any shop.
    async fn shop_of(
        &self,
        user: &User,
        merchant: Option<MerchantId>,
    ) -> Result<MerchantId, DelegationError> {
        match (user.role, merchant) {
            (Role::Merchant, _) => self
                .store
                .merchant_of_owner(user.id)
                .await?
                .map(|m| m.id)
                .ok_or_else(|| {
                    DelegationError::Invalid(
                        FieldError::new("merchant_id", "error-round-no-shop").into(),
                    )
                }),
            (r, Some(id)) if r.is_staff() => {
                self.store
                    .merchant(id)
                    .await?
                    .ok_or(DelegationError::NotFound)?;
                Ok(id)
            }
            _ => Err(DelegationError::Forbidden),
        }
    }

    /// Grants a certified designer the scopes typed, for the days typed.
    pub async fn grant(
        &self,
        user: &User,
        actor: &Actor,
        merchant: Option<MerchantId>,
        input: &GrantInput,
    ) -> Result<Delegation, DelegationError> {
        let shop = self.shop_of(user, merchant).await?;
        let mut errors = ValidationErrors::new();
        let now = self.clock.now();
        let designer = match self
            .store
            .user_by_email(&input.designer_email.trim().to_lowercase())
            .await?
        {
            Some(d) if d.role == Role::Designer => {
                if !self.store.holds_valid_certificate(d.id, now).await? {
                    errors.push("designer_email", "error-designer-not-certified");
                }
                Some(d)
            }
            _ => {
                errors.push("designer_email", "error-designer-unknown");
                None
            }
        };
        let (scopes, days) = grant_terms(&mut errors, &input.scopes, &input.days);
        errors.into_result().map_err(DelegationError::Invalid)?;
        let designer = designer.expect("checked above");
        let new = NewDelegation {
            merchant: shop,
            designer: designer.id,
            scopes,
            starts_at: now,
            ends_at: now.plus_seconds(days * 24 * 3600),
        };
        let audit = actor.entry(
            now,
            "delegation.grant",
            format!("merchant:{}", shop.0),
            format!(
                "designer:{} scopes:{} days:{days}",
                designer.id.0,
                Scope::encode(&new.scopes)
            ),
        );
        Ok(self.store.create_delegation(&new, &audit).await?)
    }

    /// Ends a delegation now: the designer's next request is refused. The shop's owner or staff.
    pub async fn revoke(&self, user: &User, actor: &Actor, id: i64) -> Result<(), DelegationError> {
        let delegation = self
            .store
            .delegation(id)
            .await?
            .ok_or(DelegationError::NotFound)?;
        let owns = match user.role {
            r if r.is_staff() => true,
            Role::Merchant => self
                .store
                .merchant_of_owner(user.id)
                .await?
                .is_some_and(|m| m.id == delegation.merchant),
            _ => false,
        };
        if !owns {
            return Err(DelegationError::NotFound);
        }
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "delegation.revoke",
            format!("merchant:{}", delegation.merchant.0),
            format!("delegation:{id}"),
        );
        Ok(self.store.revoke_delegation(id, now, &audit).await?)
    }

    /// The delegations `user` sees: a merchant's own shop's, a designer's own, every one (staff).
    pub async fn list(&self, user: &User) -> Result<Vec<Delegation>, DelegationError> {
        match user.role {
            Role::Merchant => match self.store.merchant_of_owner(user.id).await? {
                Some(shop) => Ok(self.store.delegations(Some(shop.id), None).await?),
                None => Ok(Vec::new()),
            },
            Role::Designer => Ok(self.store.delegations(None, Some(user.id)).await?),
            r if r.is_staff() => Ok(self.store.delegations(None, None).await?),
            _ => Err(DelegationError::Forbidden),
        }
    }

    /// What designers did for `user`'s shop (the 활동 기록 a merchant reads), newest first.
    pub async fn activity(
        &self,
        user: &User,
    ) -> Result<Vec<crate::kernel::audit::AuditRecord>, DelegationError> {
        if user.role != Role::Merchant {
            return Err(DelegationError::Forbidden);
        }
        Ok(self.store.audit_on_behalf_of(user.id, 200).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_and_a_delegation_allows_only_them_while_it_runs() {
        let scopes: BTreeSet<Scope> = [Scope::Listing, Scope::Catalog].into();
        assert_eq!(Scope::encode(&scopes), "catalog,listing");
        assert_eq!(Scope::decode("catalog,listing,bogus"), scopes);
        let start = Timestamp::from_unix_ms(1_000_000);
        let delegation = Delegation {
            id: 1,
            merchant: MerchantId(1),
            merchant_name: "한옥식당".into(),
            designer: UserId(2),
            designer_name: "김설계".into(),
            scopes,
            starts_at: start,
            ends_at: start.plus_seconds(3600),
            revoked_at: None,
        };
        let during = start.plus_seconds(60);
        assert!(delegation.allows(Scope::Catalog, during));
        assert!(!delegation.allows(Scope::Markets, during), "not granted");
        assert!(
            !delegation.allows(Scope::Catalog, start.plus_seconds(3600)),
            "ended"
        );
        let revoked = Delegation {
            revoked_at: Some(during),
            ..delegation
        };
        assert!(!revoked.allows(Scope::Catalog, during));
    }
}
