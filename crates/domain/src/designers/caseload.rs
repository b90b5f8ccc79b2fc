//! A designer's caseload: every shop under a running delegation to them, with the shop's
//! onboarding card on each marketplace, what blocks it (a marketplace's refusal, a card on hold,
//! no marketplace keys, no products, Coupang keys about to stop working), how many days since
//! anyone last worked on it for the shop, and the one next step that matters most — so a
//! designer with fifteen shops sees at a glance which one to open first.

use crate::accounts::{Role, User};
use crate::designers::delegation::Delegation;
use crate::kernel::channel::Channel;
use crate::kernel::time::Timestamp;
use crate::listing::market_account::coupang_key_expiry_warning;
use crate::onboarding::{BoardFilter, Card, Stage};
use crate::ports::{Clock, Store, StoreError};

/// Something that holds a shop back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    /// The marketplace refused what was sent.
    Refused(Channel),
    OnHold(Channel),
    /// No marketplace has the shop's keys.
    NoKeys,
    NoProducts,
    /// The Coupang keys stop working on that day (or did).
    CoupangKeysExpire(Timestamp),
}

impl Blocker {
    pub fn key(self) -> &'static str {
        match self {
            Blocker::Refused(_) => "caseload-blocker-refused",
            Blocker::OnHold(_) => "caseload-blocker-on-hold",
            Blocker::NoKeys => "caseload-blocker-no-keys",
            Blocker::NoProducts => "caseload-blocker-no-products",
            Blocker::CoupangKeysExpire(_) => "caseload-blocker-coupang-keys",
        }
    }
}

/// The next step for a shop: a stage's own next action on a marketplace, or getting started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Add the shop's first product.
    AddProducts,
    /// Put the shop on the board for a first marketplace.
    StartOnboarding,
    /// What the card's stage asks for (`Stage::next_action_key`).
    Card(Channel, Stage),
}

impl NextStep {
    /// How urgent the step is, most urgent first (a refusal to fix, keys to connect, a product
    /// to finish and send, getting started, then what only waits): what sorting by urgency uses.
    pub fn urgency(self) -> u8 {
        match self {
            NextStep::Card(_, stage) if urgency(stage) <= 4 => urgency(stage),
            NextStep::AddProducts | NextStep::StartOnboarding => 5,
            NextStep::Card(_, stage) => urgency(stage) + 1,
        }
    }
}

/// One shop of the caseload.
#[derive(Debug, Clone)]
pub struct CaseShop {
    pub delegation: Delegation,
    pub cards: Vec<Card>,
    pub blockers: Vec<Blocker>,
    /// The last change anyone made for the shop's owner, or the delegation's start.
    pub last_action_at: Timestamp,
    pub days_idle: u32,
    pub next_step: NextStep,
}

/// How urgent a card's stage is for the designer, most urgent first: a refusal to fix, keys to
/// connect, a product to finish and send, then what only waits.
fn urgency(stage: Stage) -> u8 {
    match stage {
        Stage::Rejected => 0,
        Stage::AccountCheck => 1,
        Stage::Preparing => 2,
        Stage::Drafting => 3,
        Stage::Validated => 4,
        Stage::OnHold => 5,
        Stage::Submitted => 6,
        Stage::InReview => 7,
        Stage::Selling => 8,
    }
}

/// The next step and the blockers of a shop from what is known of it.
pub fn assess(
    cards: &[Card],
    has_products: bool,
    has_keys: bool,
    coupang_keys_expire: Option<Timestamp>,
) -> (NextStep, Vec<Blocker>) {
    let mut blockers = Vec::new();
    for card in cards {
        match card.stage {
            Stage::Rejected => blockers.push(Blocker::Refused(card.channel)),
            Stage::OnHold => blockers.push(Blocker::OnHold(card.channel)),
            _ => {}
        }
    }
    if !has_keys {
        blockers.push(Blocker::NoKeys);
    }
    if !has_products {
        blockers.push(Blocker::NoProducts);
    }
    if let Some(at) = coupang_keys_expire {
        blockers.push(Blocker::CoupangKeysExpire(at));
    }
    let most_urgent = cards
        .iter()
        .min_by_key(|c| (urgency(c.stage), c.channel))
        .map(|c| NextStep::Card(c.channel, c.stage));
    let next = match most_urgent {
        Some(step @ NextStep::Card(_, Stage::Rejected)) => step,
        _ if !has_products => NextStep::AddProducts,
        Some(step) => step,
        None => NextStep::StartOnboarding,
    };
    (next, blockers)
}

/// The caseload use case.
pub struct Caseloads<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

#[derive(Debug, thiserror::Error)]
pub enum CaseloadError {
    #[error("not allowed")]
    Forbidden,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Caseloads<'_> {
    /// The designer's shops under a running delegation, the longest idle first.
    pub async fn of(&self, user: &User) -> Result<Vec<CaseShop>, CaseloadError> {
        if user.role != Role::Designer {
            return Err(CaseloadError::Forbidden);
        }
        let now = self.clock.now();
        let mut shops = Vec::new();
        for delegation in self.store.delegations(None, Some(user.id)).await? {
            if !delegation.active(now)
                || shops
                    .iter()
                    .any(|s: &CaseShop| s.delegation.merchant == delegation.merchant)
            {
                continue;
            }
            let merchant = delegation.merchant;
            let filter = BoardFilter {
                merchant: Some(merchant),
                ..BoardFilter::default()
            };
            let cards = self.store.onboarding_cards(&filter, 20).await?;
            let accounts = self.store.channel_accounts(merchant).await?;
            let has_keys = accounts.iter().any(|a| a.sealed_credentials.is_some());
            let has_products = !self.store.products_of(merchant, None, 1).await?.is_empty();
            let last_change = match self.store.owner_of_merchant(merchant).await? {
                Some(owner) => self
                    .store
                    .audit_on_behalf_of(owner, 1)
                    .await?
                    .first()
                    .map(|r| r.entry.at),
                None => None,
            };
            let last_action_at = last_change
                .into_iter()
                .chain(cards.iter().map(|c| c.entered_at))
                .chain([delegation.starts_at])
                .max()
                .unwrap_or(delegation.starts_at);
            let days_idle =
                u32::try_from((now.unix_ms() - last_action_at.unix_ms()).max(0) / 86_400_000)
                    .unwrap_or(u32::MAX);
            let (next_step, blockers) = assess(
                &cards,
                has_products,
                has_keys,
                coupang_key_expiry_warning(&accounts, now),
            );
            shops.push(CaseShop {
                delegation,
                cards,
                blockers,
                last_action_at,
                days_idle,
                next_step,
            });
        }
        shops.sort_by(|a, b| {
            b.days_idle
                .cmp(&a.days_idle)
                .then_with(|| a.delegation.merchant_name.cmp(&b.delegation.merchant_name))
        });
        Ok(shops)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::region::RegionCode;
    use crate::merchants::merchant::MerchantId;

    fn card(channel: Channel, stage: Stage) -> Card {
        Card {
            merchant: MerchantId(1),
            merchant_name: "한옥식당".into(),
            region: RegionCode::parse("52111", "r").unwrap(),
            track: None,
            channel,
            stage,
            entered_at: Timestamp::from_unix_ms(0),
            started_at: Timestamp::from_unix_ms(0),
            moved_by: None,
            reason: None,
        }
    }

    #[test]
    fn the_next_step_is_the_most_urgent_card_and_a_refusal_comes_first() {
        let cards = [
            card(Channel::Naver, Stage::InReview),
            card(Channel::Coupang, Stage::Drafting),
        ];
        let (next, blockers) = assess(&cards, true, true, None);
        assert_eq!(next, NextStep::Card(Channel::Coupang, Stage::Drafting));
        assert!(blockers.is_empty());

        let refused = [
            card(Channel::Naver, Stage::Rejected),
            card(Channel::Coupang, Stage::AccountCheck),
        ];
        let (next, blockers) = assess(&refused, false, false, None);
        assert_eq!(next, NextStep::Card(Channel::Naver, Stage::Rejected));
        assert_eq!(
            blockers,
            [
                Blocker::Refused(Channel::Naver),
                Blocker::NoKeys,
                Blocker::NoProducts
            ]
        );
    }

    #[test]
    fn a_shop_without_products_or_cards_is_told_how_to_start() {
        assert_eq!(assess(&[], false, false, None).0, NextStep::AddProducts);
        assert_eq!(assess(&[], true, true, None).0, NextStep::StartOnboarding);
        let drafting = [card(Channel::Naver, Stage::Drafting)];
        assert_eq!(
            assess(&drafting, false, true, None).0,
            NextStep::AddProducts
        );
    }
}
