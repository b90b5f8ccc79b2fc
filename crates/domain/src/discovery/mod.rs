//! 디지털경제 원정대 discovery: the marketplaces' merchandisers (MD) find products in the pool,
//! pick them, and every pick is followed to a listing and to sales.
//!
//! - `pool.rs`: the pool, what keeps a product out, what MDs may see of a shop's sales.
//! - `search.rs`: the `PoolIndex` port (Korean search over the pool; `crates/search`).
//! - `picks.rs`: picks, their purposes and the shop's answer, and how far each has come.
//! - `events.rs`: 원정대 events — invitations, applications, marks and ranks, the timetable kept,
//!   agendas, outcomes and the report (use case `Expeditions`, port `ExpeditionStore`).
//! - `timetable.rs`: the 1:1 timetable of a 원정대 event (which meetings, in which slots).
//! - `store.rs`: the storage port.
//!
//! Who sees what: the shop (its merchant, its designer under a catalog delegation, staff) puts
//! products in and out; MDs and staff search and open pooled products only — a product outside
//! the pool is "not found" to an MD on every route; an MD sees a shop's contact details only
//! once the shop has accepted one of that MD's picks.

pub mod events;
pub mod picks;
pub mod pool;
pub mod search;
mod store;
pub mod timetable;
pub use store::{DiscoveryStore, PickFilter};

use crate::accounts::{Role, User};
use crate::catalog::product::{Product, ProductId};
use crate::designers::delegation::{Scope, actor_for, may_act};
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::money::Krw;
use crate::kernel::time::Timestamp;
use crate::merchants::merchant::{Merchant, MerchantId};
use crate::onboarding::{BoardFilter, Stage};
use crate::ports::{Clock, Store, StoreError};
use crate::results::{Month, SalesChannel};
use picks::{Decision, FollowedPick, NewPick, Pick, PickInput, Progress};
use pool::{PoolEntry, SalesBand, SalesVisibility};
use search::{MAX_QUERY_CHARS, PoolFacets, PoolIndex, PoolQuery, PoolSort, SearchError};

/// The most picks one list holds.
pub const PICKS_LIMIT: u32 = 500;

#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    /// The product's common checks fail: the gaps, by field.
    #[error("not ready for the pool")]
    NotReady(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// A search as typed in the MD's filters or the API's query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SearchInput {
    pub q: Option<String>,
    pub sido: Option<String>,
    pub sigungu: Option<String>,
    pub industry: Option<String>,
    pub price_min: Option<String>,
    pub price_max: Option<String>,
    pub certification: Option<String>,
    pub listed_on: Option<String>,
    pub not_listed_on: Option<String>,
    pub tax_free: Option<String>,
    pub ships_nationwide: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u32>,
    pub limit: Option<u32>,
}

/// The default page size of a search.
pub const SEARCH_PAGE: u32 = 24;

impl SearchInput {
    /// The query the index answers, and whether the text was cut to `MAX_QUERY_CHARS`.
    pub fn parse(&self) -> Result<(PoolQuery, bool), ValidationErrors> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        let mut errors = ValidationErrors::new();
        let cleaned = crate::kernel::text::clean(self.q.as_deref().unwrap_or(""));
        let truncated = cleaned.chars().count() > MAX_QUERY_CHARS;
        let text: String = cleaned.chars().take(MAX_QUERY_CHARS).collect();
        let region =
            |value: Option<&str>, field: &str, len: usize, errors: &mut ValidationErrors| {
                value.and_then(|code| {
                    let parsed =
                        errors.check(crate::kernel::region::RegionCode::parse(code, field))?;
                    if parsed.as_str().len() == len {
                        Some(parsed.as_str().to_owned())
                    } else {
                        errors.push(field, "error-region-unknown");
                        None
                    }
                })
            };
        let sido = region(given(&self.sido), "sido", 2, &mut errors);
        let sigungu = region(given(&self.sigungu), "sigungu", 5, &mut errors);
        let industry_code = given(&self.industry).and_then(|code| {
            errors
                .check(crate::kernel::industry::resolve(code, "industry"))
                .map(|industry| industry.code.clone())
        });
        let price = |value: Option<&str>, field: &str, errors: &mut ValidationErrors| {
            value.and_then(|v| errors.check(Krw::parse(v, field)).map(|k| k.0))
        };
        let price_min = price(given(&self.price_min), "price_min", &mut errors);
        let price_max = price(given(&self.price_max), "price_max", &mut errors);
        if let (Some(min), Some(max)) = (price_min, price_max)
            && min > max
        {
            errors.push("price_max", "error-price-range");
        }
        let channel = |value: Option<&str>, field: &str, errors: &mut ValidationErrors| {
            value.and_then(|c| errors.check(Channel::parse_field(c, field)))
        };
        let listed_on = channel(given(&self.listed_on), "listed_on", &mut errors);
        let not_listed_on = channel(given(&self.not_listed_on), "not_listed_on", &mut errors);
        let flag = |value: Option<&str>, field: &str, errors: &mut ValidationErrors| match value {
            None => None,
            Some("true" | "1" | "on" | "yes") => Some(true),
            Some("false" | "0" | "off" | "no") => Some(false),
            Some(_) => {
                errors.push(field, "error-boolean");
                None
            }
        };
        let tax_free = flag(given(&self.tax_free), "tax_free", &mut errors);
        let ships_nationwide = flag(
            given(&self.ships_nationwide),
            "ships_nationwide",
            &mut errors,
        );
        let sort = match given(&self.sort) {
            None => PoolSort::default(),
            Some(code) => PoolSort::parse(code).unwrap_or_else(|| {
                errors.push("sort", "error-sort-unknown");
                PoolSort::default()
            }),
        };
        let limit = self.limit.unwrap_or(SEARCH_PAGE).clamp(1, search::MAX_PAGE);
        let page = self.page.unwrap_or(1).max(1);
        errors.into_result()?;
        Ok((
            PoolQuery {
                text,
                sido,
                sigungu,
                industry_code,
                price_min,
                price_max,
                certification: given(&self.certification).map(|c| c.to_uppercase()),
                listed_on,
                not_listed_on,
                tax_free,
                ships_nationwide,
                sort,
                offset: (page - 1).saturating_mul(limit),
                limit,
            },
            truncated,
        ))
    }
}

/// One hit as a list shows it.
#[derive(Debug, Clone)]
pub struct PoolItem {
    pub product: Product,
    pub shop: Merchant,
    pub pooled_at: Timestamp,
}

/// A page of search results.
#[derive(Debug, Clone)]
pub struct SearchPage {
    pub query: PoolQuery,
    pub items: Vec<PoolItem>,
    pub total: u64,
    pub facets: PoolFacets,
    /// The text was longer than `MAX_QUERY_CHARS` and was cut.
    pub truncated: bool,
}

/// A pooled product as an MD opens it.
#[derive(Debug, Clone)]
pub struct PooledProduct {
    pub entry: PoolEntry,
    pub product: Product,
    /// The shop; its contact details (phone, address, representative, business number) are
    /// blanked unless `contact_visible`.
    pub shop: Merchant,
    pub contact_visible: bool,
    /// Marketplaces where the shop's card is on sale.
    pub on_sale: Vec<Channel>,
    /// Recent months' online sales as bands, when the shop shares them.
    pub sales_bands: Option<Vec<(Month, SalesBand)>>,
    pub hall_of_fame: bool,
    /// The viewer's own picks of this product (every pick, for staff).
    pub picks: Vec<Pick>,
}

/// A shop's part of what an MD sees, read once per shop.
struct ShopFacts {
    shop: Merchant,
    contact_visible: bool,
    on_sale: Vec<Channel>,
    sales_bands: Option<Vec<(Month, SalesBand)>>,
    hall_of_fame: bool,
    picks: Vec<Pick>,
}

/// One of a shop's products, for the shop's own pool list.
#[derive(Debug, Clone)]
pub struct ShopPoolEntry {
    pub product: Product,
    /// When it went in the pool; `None`: not in it.
    pub pooled_at: Option<Timestamp>,
    /// What keeps it out of the pool (or, when in, out of search); empty: nothing.
    pub gaps: Vec<crate::catalog::completeness::Gap>,
}

/// Re-reads one product into the index: in when pooled and complete, out otherwise. Called
/// whenever a product, its pool entry or its shop's marketplaces change.
pub async fn refresh_in_index(
    store: &dyn Store,
    index: &dyn PoolIndex,
    product: ProductId,
) -> Result<(), DiscoveryError> {
    let document = match store.pool_entry(product).await? {
        None => None,
        Some(entry) => document_of(store, &entry).await?,
    };
    match document {
        Some(document) => index.upsert(&document)?,
        None => index.remove(product)?,
    }
    Ok(())
}

async fn document_of(
    store: &dyn Store,
    entry: &PoolEntry,
) -> Result<Option<search::PoolDocument>, StoreError> {
    let Some(product) = store.product(entry.product).await? else {
        return Ok(None);
    };
    let Some(shop) = store.merchant(product.merchant).await? else {
        return Ok(None);
    };
    let on_sale = on_sale(store, shop.id).await?;
    Ok(pool::document(&product, &shop, &on_sale, entry.pooled_at))
}

/// The marketplaces where the shop's card is 판매중.
async fn on_sale(store: &dyn Store, merchant: MerchantId) -> Result<Vec<Channel>, StoreError> {
    Ok(store
        .onboarding_cards(
            &BoardFilter {
                merchant: Some(merchant),
                ..BoardFilter::default()
            },
            16,
        )
        .await?
        .into_iter()
        .filter(|c| c.stage == Stage::Selling)
        .map(|c| c.channel)
        .collect())
}

fn md_or_staff(user: &User) -> Result<(), DiscoveryError> {
    if user.role == Role::Md || user.role.is_staff() {
        Ok(())
    } else {
        Err(DiscoveryError::Forbidden)
    }
}

/// The discovery use cases.
pub struct Discovery<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    pub index: &'a dyn PoolIndex,
}

impl Discovery<'_> {
    /// The product, if `user` may manage its shop's catalog (others: not found).
    async fn managed_product(&self, user: &User, id: ProductId) -> Result<Product, DiscoveryError> {
        let product = self
            .store
            .product(id)
            .await?
            .ok_or(DiscoveryError::NotFound)?;
        let now = self.clock.now();
        if may_act(self.store, user, product.merchant, Scope::Catalog, now).await? {
            Ok(product)
        } else {
            Err(DiscoveryError::NotFound)
        }
    }

    /// Puts a product in the pool for MDs to see. Refused, with its gaps by field, while the
    /// product's common checks fail.
    pub async fn put_in_pool(
        &self,
        user: &User,
        actor: &Actor,
        id: ProductId,
    ) -> Result<PoolEntry, DiscoveryError> {
        let product = self.managed_product(user, id).await?;
        let gaps = pool::common_gaps(&product.file);
        if !gaps.is_empty() {
            let mut errors = ValidationErrors::new();
            for gap in gaps {
                errors.0.push(FieldError::new(&gap.field, gap.code));
            }
            return Err(DiscoveryError::NotReady(errors));
        }
        let actor = actor_for(self.store, user, actor, product.merchant).await?;
        let now = self.clock.now();
        let entry = PoolEntry {
            product: product.id,
            merchant: product.merchant,
            pooled_at: now,
        };
        let audit = actor.entry(now, "pool.put", format!("product:{}", id.0), "");
        self.store.put_in_pool(&entry, &audit).await?;
        refresh_in_index(self.store, self.index, id).await?;
        Ok(self.store.pool_entry(id).await?.unwrap_or(entry))
    }

    /// Takes a product out of the pool (picks already made stay).
    pub async fn take_out_of_pool(
        &self,
        user: &User,
        actor: &Actor,
        id: ProductId,
    ) -> Result<(), DiscoveryError> {
        let product = self.managed_product(user, id).await?;
        let actor = actor_for(self.store, user, actor, product.merchant).await?;
        let audit = actor.entry(
            self.clock.now(),
            "pool.remove",
            format!("product:{}", id.0),
            "",
        );
        self.store.take_out_of_pool(id, &audit).await?;
        refresh_in_index(self.store, self.index, id).await?;
        Ok(())
    }

    /// The shop's products (newest first, at most `catalog::MAX_PAGE`), each with whether it
    /// is in the pool and what keeps it out of search. `named` is the shop for staff and
    /// designers; a merchant's is their own.
    pub async fn pool_of_shop(
        &self,
        user: &User,
        named: Option<MerchantId>,
    ) -> Result<(MerchantId, Vec<ShopPoolEntry>), DiscoveryError> {
        let merchant = self.shop_of(user, named).await?;
        let pooled: std::collections::HashMap<ProductId, Timestamp> = self
            .store
            .pool_entries_of(merchant)
            .await?
            .into_iter()
            .map(|e| (e.product, e.pooled_at))
            .collect();
        let products = self
            .store
            .products_of(merchant, None, crate::catalog::MAX_PAGE)
            .await?;
        Ok((
            merchant,
            products
                .into_iter()
                .map(|product| ShopPoolEntry {
                    pooled_at: pooled.get(&product.id).copied(),
                    gaps: pool::common_gaps(&product.file),
                    product,
                })
                .collect(),
        ))
    }

    /// The shop `user` works on: their own (a merchant), or the one named (staff, a designer
    /// with a catalog delegation).
    async fn shop_of(
        &self,
        user: &User,
        named: Option<MerchantId>,
    ) -> Result<MerchantId, DiscoveryError> {
        let merchant = match (user.role, named) {
            (Role::Merchant, named) => {
                let own = self
                    .store
                    .merchant_of_owner(user.id)
                    .await?
                    .ok_or(DiscoveryError::NotFound)?
                    .id;
                // Another shop named is not one this merchant works on.
                if named.is_some_and(|id| id != own) {
                    return Err(DiscoveryError::NotFound);
                }
                own
            }
            (_, Some(id)) => id,
            (_, None) => return Err(DiscoveryError::NotFound),
        };
        if may_act(self.store, user, merchant, Scope::Catalog, self.clock.now()).await? {
            Ok(merchant)
        } else {
            Err(DiscoveryError::NotFound)
        }
    }

    /// What MDs may see of the shop's sales.
    pub async fn sales_visibility(
        &self,
        user: &User,
        named: Option<MerchantId>,
    ) -> Result<SalesVisibility, DiscoveryError> {
        let merchant = self.shop_of(user, named).await?;
        Ok(self.store.sales_visibility(merchant).await?)
    }

    /// Sets what MDs may see of the shop's sales (`band` or `hidden`).
    pub async fn set_sales_visibility(
        &self,
        user: &User,
        actor: &Actor,
        named: Option<MerchantId>,
        code: &str,
    ) -> Result<SalesVisibility, DiscoveryError> {
        let merchant = self.shop_of(user, named).await?;
        let visibility = SalesVisibility::parse(code).ok_or_else(|| {
            DiscoveryError::Invalid(FieldError::new("visibility", "error-sales-visibility").into())
        })?;
        let actor = actor_for(self.store, user, actor, merchant).await?;
        let audit = actor.entry(
            self.clock.now(),
            "pool.sales_visibility",
            format!("merchant:{}", merchant.0),
            visibility.code(),
        );
        self.store
            .set_sales_visibility(merchant, visibility, &audit)
            .await?;
        Ok(visibility)
    }

    /// Rebuilds the index from the pool as kept; how many products it now holds. A product put
    /// in or taken out while the pool was being read would be undone by the rebuild, so when
    /// the pool's size changed meanwhile it is read again (a few times at most).
    pub async fn rebuild_index(&self) -> Result<u64, DiscoveryError> {
        let mut indexed = 0;
        for _ in 0..3 {
            let before = self.store.pool_count().await?;
            let mut documents = Vec::new();
            let mut after = None;
            loop {
                let page = self.store.pool_entries(after, 1000).await?;
                let Some(last) = page.last() else { break };
                after = Some(last.product);
                for entry in &page {
                    if let Some(document) = document_of(self.store, entry).await? {
                        documents.push(document);
                    }
                }
            }
            indexed = self.index.rebuild(&mut documents.into_iter())?;
            if self.store.pool_count().await? == before {
                break;
            }
        }
        Ok(indexed)
    }

    /// Searches the pool (MDs and staff).
    pub async fn search(
        &self,
        user: &User,
        input: &SearchInput,
    ) -> Result<SearchPage, DiscoveryError> {
        md_or_staff(user)?;
        let (query, truncated) = input.parse().map_err(DiscoveryError::Invalid)?;
        // The index is a cache: after a restart with another process's changes, or when it
        // was thrown away, it is filled again from the pool before answering.
        if self.index.count()? == 0 && self.store.pool_count().await? > 0 {
            self.rebuild_index().await?;
        }
        let hits = self.index.search(&query)?;
        let mut items = Vec::with_capacity(hits.product_ids.len());
        for id in &hits.product_ids {
            let Some(entry) = self.store.pool_entry(*id).await? else {
                continue;
            };
            let Some(product) = self.store.product(*id).await? else {
                continue;
            };
            let Some(shop) = self.store.merchant(product.merchant).await? else {
                continue;
            };
            items.push(PoolItem {
                product,
                shop,
                pooled_at: entry.pooled_at,
            });
        }
        Ok(SearchPage {
            query,
            items,
            total: hits.total,
            facets: hits.facets,
            truncated,
        })
    }

    /// A pooled product as an MD sees it (MDs and staff; outside the pool: not found).
    pub async fn pooled(
        &self,
        user: &User,
        id: ProductId,
    ) -> Result<PooledProduct, DiscoveryError> {
        self.pooled_many(user, &[id])
            .await?
            .pop()
            .ok_or(DiscoveryError::NotFound)
    }

    /// Pooled products as an MD sees them, in the order asked; products outside the pool are
    /// left out. What belongs to a shop (its contact, sales, hall of fame, marketplaces, the
    /// viewer's picks) is read once per shop, however many of its products are asked for.
    pub async fn pooled_many(
        &self,
        user: &User,
        ids: &[ProductId],
    ) -> Result<Vec<PooledProduct>, DiscoveryError> {
        md_or_staff(user)?;
        let mut shops: std::collections::HashMap<MerchantId, ShopFacts> = Default::default();
        let mut seen = Vec::with_capacity(ids.len());
        for &id in ids {
            let Some(entry) = self.store.pool_entry(id).await? else {
                continue;
            };
            let Some(product) = self.store.product(id).await? else {
                continue;
            };
            let facts = match shops.entry(product.merchant) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    match self.shop_facts(user, product.merchant).await? {
                        Some(facts) => slot.insert(facts),
                        None => continue,
                    }
                }
            };
            seen.push(PooledProduct {
                picks: facts
                    .picks
                    .iter()
                    .filter(|p| p.product == id)
                    .cloned()
                    .collect(),
                shop: facts.shop.clone(),
                contact_visible: facts.contact_visible,
                on_sale: facts.on_sale.clone(),
                sales_bands: facts.sales_bands.clone(),
                hall_of_fame: facts.hall_of_fame,
                entry,
                product,
            });
        }
        Ok(seen)
    }

    /// What an MD (or staff) sees of a shop: contact details only after the shop accepted one
    /// of that MD's picks; the viewer's picks of the shop (every pick, for staff).
    async fn shop_facts(
        &self,
        user: &User,
        merchant: MerchantId,
    ) -> Result<Option<ShopFacts>, StoreError> {
        let Some(mut shop) = self.store.merchant(merchant).await? else {
            return Ok(None);
        };
        let picks = self
            .store
            .picks(
                &PickFilter {
                    md: (user.role == Role::Md).then_some(user.id),
                    merchant: Some(merchant),
                    product: None,
                },
                PICKS_LIMIT,
            )
            .await?;
        let contact_visible =
            user.role.is_staff() || picks.iter().any(|p| p.decision == Decision::Accepted);
        if !contact_visible {
            shop.phone = None;
            shop.road_address = None;
            shop.representative = None;
            shop.business_number = None;
            shop.mail_order_number = None;
            shop.location = None;
            shop.floor = None;
        }
        let sales_bands = match self.store.sales_visibility(merchant).await? {
            SalesVisibility::Hidden => None,
            SalesVisibility::Band => {
                Some(pool::monthly_bands(&self.store.sales_of(merchant).await?))
            }
        };
        let hall_of_fame = self
            .store
            .hall_of_fame(Some(&shop.region), Some(&shop.industry.code))
            .await?
            .iter()
            .any(|m| m.merchant == merchant);
        Ok(Some(ShopFacts {
            on_sale: on_sale(self.store, merchant).await?,
            shop,
            contact_visible,
            sales_bands,
            hall_of_fame,
            picks,
        }))
    }

    /// An MD picks a pooled product for a purpose on a marketplace.
    pub async fn pick(
        &self,
        user: &User,
        actor: &Actor,
        input: &PickInput,
    ) -> Result<Pick, DiscoveryError> {
        if user.role != Role::Md {
            return Err(DiscoveryError::Forbidden);
        }
        let (channel, purpose, note) =
            picks::check_input(input).map_err(DiscoveryError::Invalid)?;
        let product = ProductId(input.product_id);
        let entry = self.store.pool_entry(product).await?.ok_or_else(|| {
            DiscoveryError::Invalid(FieldError::new("product_id", "error-pick-not-pooled").into())
        })?;
        let now = self.clock.now();
        let new = NewPick {
            product,
            merchant: entry.merchant,
            md: user.id,
            channel,
            purpose,
            note,
            created_at: now,
        };
        let audit = actor.entry(
            now,
            "pick.create",
            format!("product:{}", product.0),
            format!("channel:{channel} purpose:{}", purpose.code()),
        );
        match self.store.create_pick(&new, &audit).await {
            Ok(pick) => Ok(pick),
            Err(StoreError::Conflict(_)) => Err(DiscoveryError::Invalid(
                FieldError::new("product_id", "error-pick-duplicate").into(),
            )),
            Err(other) => Err(other.into()),
        }
    }

    /// The picks `user` sees, each followed to where it has come: an MD's own, a shop's
    /// (its merchant, or its designer under a catalog delegation), every one (staff).
    pub async fn picks(
        &self,
        user: &User,
        named: Option<MerchantId>,
    ) -> Result<Vec<FollowedPick>, DiscoveryError> {
        let filter = match user.role {
            Role::Md => PickFilter {
                md: Some(user.id),
                ..PickFilter::default()
            },
            r if r.is_staff() && named.is_none() => PickFilter::default(),
            Role::Merchant | Role::Designer | Role::Operator | Role::Admin => PickFilter {
                merchant: Some(self.shop_of(user, named).await?),
                ..PickFilter::default()
            },
            _ => return Err(DiscoveryError::Forbidden),
        };
        let picks = self.store.picks(&filter, PICKS_LIMIT).await?;
        let mut followed = Vec::with_capacity(picks.len());
        for pick in picks {
            followed.push(self.follow(pick).await?);
        }
        Ok(followed)
    }

    /// A pick with how far it has come.
    pub(crate) async fn follow(&self, pick: Pick) -> Result<FollowedPick, StoreError> {
        let progress = self.progress(&pick).await?;
        let step = progress.step(pick.decision);
        Ok(FollowedPick {
            pick,
            progress,
            step,
        })
    }

    /// How far an accepted pick has come, read from the submissions, the board and the sales.
    async fn progress(&self, pick: &Pick) -> Result<Progress, StoreError> {
        let Some(accepted_at) = pick
            .decided_at
            .filter(|_| pick.decision == Decision::Accepted)
        else {
            return Ok(Progress::default());
        };
        let listed_at = self
            .store
            .submissions(pick.product)
            .await?
            .into_iter()
            .filter(|s| {
                s.channel == pick.channel
                    && s.outcome == crate::listing::marketplaces::OutcomeKind::Created
                    && s.at >= pick.created_at
            })
            .map(|s| s.at)
            .min();
        let on_sale_since = self
            .store
            .onboarding_cards(
                &BoardFilter {
                    merchant: Some(pick.merchant),
                    channel: Some(pick.channel),
                    ..BoardFilter::default()
                },
                1,
            )
            .await?
            .into_iter()
            .find(|c| c.stage == Stage::Selling)
            .map(|c| c.entered_at);
        // Sales count for the pick only once the product is on the marketplace through it
        // (listed or on sale), from that month on: the steps come in order.
        let first_sales = match listed_at.or(on_sale_since) {
            None => None,
            Some(since) => {
                let from = Month::of(since.max(pick.created_at));
                self.store
                    .sales_of(pick.merchant)
                    .await?
                    .into_iter()
                    .filter(|r| {
                        r.channel == SalesChannel::Market(pick.channel)
                            && r.month >= from
                            && r.sales_krw > 0
                    })
                    .map(|r| r.month)
                    .min()
            }
        };
        Ok(Progress {
            accepted_at: Some(accepted_at),
            listed_at,
            on_sale_since,
            first_sales,
        })
    }

    /// The shop answers a proposed pick. Accepting puts the shop's card for the pick's
    /// marketplace on the board at 준비 (or brings it back from 보류), so the product's
    /// readiness for that marketplace becomes the shop's next step.
    pub async fn decide(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        accept: bool,
    ) -> Result<Pick, DiscoveryError> {
        let pick = self.store.pick(id).await?.ok_or(DiscoveryError::NotFound)?;
        let allowed = match user.role {
            Role::Merchant => self
                .store
                .merchant_of_owner(user.id)
                .await?
                .is_some_and(|shop| shop.id == pick.merchant),
            r => r.is_staff(),
        };
        if !allowed {
            return Err(DiscoveryError::NotFound);
        }
        if pick.decision != Decision::Proposed {
            return Err(DiscoveryError::Invalid(
                FieldError::new("decision", "error-pick-decided").into(),
            ));
        }
        let now = self.clock.now();
        let decision = if accept {
            Decision::Accepted
        } else {
            Decision::Declined
        };
        if accept {
            let card = self
                .store
                .onboarding_cards(
                    &BoardFilter {
                        merchant: Some(pick.merchant),
                        channel: Some(pick.channel),
                        ..BoardFilter::default()
                    },
                    1,
                )
                .await?
                .into_iter()
                .next();
            if card.is_none_or(|c| c.stage == Stage::OnHold) {
                let audit = actor.entry(
                    now,
                    "onboarding.move",
                    format!("merchant:{}:{}", pick.merchant.0, pick.channel),
                    format!("preparing pick:{id}"),
                );
                self.store
                    .move_onboarding(
                        pick.merchant,
                        pick.channel,
                        Stage::Preparing,
                        user.id,
                        None,
                        &audit,
                    )
                    .await?;
            }
        }
        let audit = actor.entry(
            now,
            if accept {
                "pick.accept"
            } else {
                "pick.decline"
            },
            format!("pick:{id}"),
            format!("product:{}", pick.product.0),
        );
        match self.store.decide_pick(id, decision, now, &audit).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                return Err(DiscoveryError::Invalid(
                    FieldError::new("decision", "error-pick-decided").into(),
                ));
            }
            Err(other) => return Err(other.into()),
        }
        self.store.pick(id).await?.ok_or(DiscoveryError::NotFound)
    }
}
