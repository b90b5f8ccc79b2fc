//! The discovery story: a shop puts a complete product in the MD pool (an incomplete one is
//! refused by field), the index follows the pool, an MD opens only pooled products and sees the
//! shop's contact details only after the shop accepts one of their picks, a pick is refused twice
//! for the same marketplace, and accepting puts the shop's card for the marketplace on the board.

use std::collections::BTreeMap;
use std::sync::Mutex;

use gachi_domain::catalog::Catalog;
use gachi_domain::catalog::product::{ProductFile, ProductId};
use gachi_domain::discovery::picks::{Decision, PickInput, Step};
use gachi_domain::discovery::pool::SalesVisibility;
use gachi_domain::discovery::search::{PoolDocument, PoolHits, PoolIndex, PoolQuery, SearchError};
use gachi_domain::discovery::{Discovery, DiscoveryError, SearchInput};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::merchants::merchant::{MerchantInput, MerchantSource, MerchantStatus};
use gachi_domain::onboarding::{BoardFilter, Stage};
use gachi_domain::ports::{Clock, Store};

use super::{ManualClock, operator, user};

/// Holds the documents it is given and answers every search with all of them, newest first:
/// the story checks what the pool feeds the index, not the search itself (crates/search does).
#[derive(Default)]
pub(super) struct KeptDocuments(Mutex<BTreeMap<i64, PoolDocument>>);

impl PoolIndex for KeptDocuments {
    fn rebuild(
        &self,
        documents: &mut dyn Iterator<Item = PoolDocument>,
    ) -> Result<u64, SearchError> {
        let mut kept = self.0.lock().unwrap();
        kept.clear();
        kept.extend(documents.map(|d| (d.product_id.0, d)));
        Ok(kept.len() as u64)
    }
    fn upsert(&self, document: &PoolDocument) -> Result<(), SearchError> {
        self.0
            .lock()
            .unwrap()
            .insert(document.product_id.0, document.clone());
        Ok(())
    }
    fn remove(&self, product: ProductId) -> Result<(), SearchError> {
        self.0.lock().unwrap().remove(&product.0);
        Ok(())
    }
    fn count(&self) -> Result<u64, SearchError> {
        Ok(self.0.lock().unwrap().len() as u64)
    }
    fn search(&self, _query: &PoolQuery) -> Result<PoolHits, SearchError> {
        let kept = self.0.lock().unwrap();
        Ok(PoolHits {
            product_ids: kept.keys().rev().map(|id| ProductId(*id)).collect(),
            total: kept.len() as u64,
            facets: Default::default(),
        })
    }
}

/// A complete 가공식품 product: every common check passes.
pub(super) fn complete_file(sku: &str, name: &str) -> ProductFile {
    let notice = gachi_domain::catalog::notice::find("GENERAL_FOOD").unwrap();
    let fields: serde_json::Map<String, serde_json::Value> = notice
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| {
            let value = if f.name == "geneticallyModified" {
                "false"
            } else {
                gachi_domain::catalog::notice::SEE_DETAIL_PAGE
            };
            (f.name.clone(), serde_json::json!(value))
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "sku": sku, "name": name, "brand": "초당명가",
        "price": 12000, "stock": 40, "tax": "taxable",
        "origin": {"kind": "domestic", "region": "강원특별자치도 강릉시"},
        "images": {"main": "https://img.example/main.jpg"},
        "notice": {"type": "GENERAL_FOOD", "fields": fields},
        "shipping": {"fee": 3000, "courier": "CJGLS", "return_to": "강원특별자치도 강릉시 초당동 1"},
        "after_service": {"phone": "033-123-4567"},
        "minor_purchasable": false,
        "certifications": [{"kind": "haccp", "number": "2024-1-1"}]
    }))
    .unwrap()
}

pub async fn discovery(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::from_unix_ms(1_796_601_600_000));
    let index = KeptDocuments::default();
    let discovery = Discovery {
        store,
        clock: &clock,
        index: &index,
    };
    let staff = operator(store).await;
    let owner = user(store, "owner@chodang.kr", "merchant", "").await;
    let md = user(store, "md@coupang.kr", "md", "").await;
    let other_md = user(store, "md@naver.kr", "md", "").await;
    let stranger = user(store, "other@shop.kr", "merchant", "").await;
    let fields = MerchantInput {
        name: "초당양조".into(),
        business_number: "220-81-62517".into(),
        phone: "033-123-4567".into(),
        region_code: "51150".into(),
        industry_code: "I20101".into(),
        ..MerchantInput::default()
    }
    .validate(true)
    .unwrap();
    let shop = store
        .create_merchant(
            &fields,
            MerchantStatus::Registered,
            MerchantSource::SelfRegistered,
            Some(owner.id),
            &Actor::user(owner.id, None).entry(clock.now(), "merchant.create", "", ""),
        )
        .await
        .unwrap();
    let by_owner = Actor::user(owner.id, None);
    let catalog = Catalog {
        store,
        clock: &clock,
        pool: Some(&index),
    };
    let makgeolli = catalog
        .create(
            &owner,
            None,
            &complete_file("CD-1", "강릉 초당 쌀막걸리 750ml 2병"),
            &by_owner,
        )
        .await
        .unwrap();
    let mut unfinished = complete_file("CD-2", "초당 순두부");
    unfinished.after_service = None;
    let unfinished = catalog
        .create(&owner, None, &unfinished, &by_owner)
        .await
        .unwrap();

    // Only a complete product goes in; the refusal names the missing field.
    match discovery
        .put_in_pool(&owner, &by_owner, unfinished.id)
        .await
    {
        Err(DiscoveryError::NotReady(errors)) => {
            assert!(
                errors.0.iter().any(|e| e.field == "after_service.phone"),
                "{errors:?}"
            )
        }
        other => panic!("an incomplete product went in: {other:?}"),
    }
    // Another shop's owner cannot put it in.
    assert!(matches!(
        discovery
            .put_in_pool(&stranger, &Actor::user(stranger.id, None), makgeolli.id)
            .await,
        Err(DiscoveryError::NotFound)
    ));
    let entry = discovery
        .put_in_pool(&owner, &by_owner, makgeolli.id)
        .await
        .unwrap();
    assert_eq!(entry.merchant, shop.id);
    // Putting it in again keeps when it first went in.
    clock.advance_seconds(60);
    let again = discovery
        .put_in_pool(&owner, &by_owner, makgeolli.id)
        .await
        .unwrap();
    assert_eq!(again.pooled_at, entry.pooled_at);
    assert_eq!(store.pool_count().await.unwrap(), 1);
    let document = index.0.lock().unwrap()[&makgeolli.id.0].clone();
    assert_eq!(document.region_names, "강원특별자치도 강릉시");
    assert_eq!(document.sido, "51");
    assert_eq!(document.certifications, ["HACCP"]);
    assert!(document.ships_nationwide);

    // The MD finds it and opens it, without the shop's contact details.
    let page = discovery
        .search(&md, &SearchInput::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let seen = discovery.pooled(&md, makgeolli.id).await.unwrap();
    assert!(!seen.contact_visible);
    assert_eq!(seen.shop.phone, None);
    assert_eq!(seen.sales_bands, None, "the shop shares nothing by default");
    // A product outside the pool is not found to an MD; merchants cannot search.
    assert!(matches!(
        discovery.pooled(&md, unfinished.id).await,
        Err(DiscoveryError::NotFound)
    ));
    assert!(matches!(
        discovery.search(&owner, &SearchInput::default()).await,
        Err(DiscoveryError::Forbidden)
    ));

    discovery
        .set_sales_visibility(&owner, &by_owner, None, "band")
        .await
        .unwrap();
    assert_eq!(
        store.sales_visibility(shop.id).await.unwrap(),
        SalesVisibility::Band
    );
    assert!(
        discovery
            .pooled(&md, makgeolli.id)
            .await
            .unwrap()
            .sales_bands
            .is_some()
    );

    // Picks: one per MD, product and marketplace while open; a product outside the pool is
    // refused by field.
    let by_md = Actor::user(md.id, None);
    let input = |product: ProductId| PickInput {
        product_id: product.0,
        channel: "coupang".into(),
        purpose: "time_deal".into(),
        note: "추석 타임딜 후보".into(),
    };
    let pick = discovery
        .pick(&md, &by_md, &input(makgeolli.id))
        .await
        .unwrap();
    assert_eq!(pick.decision, Decision::Proposed);
    assert_eq!(pick.product_name, "강릉 초당 쌀막걸리 750ml 2병");
    assert_eq!(pick.md_name, md.display_name);
    for (product, field) in [(makgeolli.id, "product_id"), (unfinished.id, "product_id")] {
        match discovery.pick(&md, &by_md, &input(product)).await {
            Err(DiscoveryError::Invalid(errors)) => {
                assert_eq!(errors.0[0].field, field)
            }
            other => panic!("{other:?}"),
        }
    }
    let other_pick = discovery
        .pick(
            &other_md,
            &Actor::user(other_md.id, None),
            &PickInput {
                channel: "naver".into(),
                ..input(makgeolli.id)
            },
        )
        .await
        .unwrap();

    // Each side sees its own picks.
    let mine = discovery.picks(&md, None).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(discovery.picks(&owner, None).await.unwrap().len(), 2);
    assert_eq!(discovery.picks(&staff, None).await.unwrap().len(), 2);
    assert!(matches!(
        discovery.picks(&stranger, None).await,
        Err(DiscoveryError::NotFound)
    ));

    // Only the shop answers; accepting puts the Coupang card on the board at 준비.
    assert!(matches!(
        discovery.decide(&md, &by_md, pick.id, true).await,
        Err(DiscoveryError::NotFound)
    ));
    let accepted = discovery
        .decide(&owner, &by_owner, pick.id, true)
        .await
        .unwrap();
    assert_eq!(accepted.decision, Decision::Accepted);
    assert_eq!(accepted.decided_at, Some(clock.now()));
    assert!(matches!(
        discovery.decide(&owner, &by_owner, pick.id, false).await,
        Err(DiscoveryError::Invalid(_))
    ));
    discovery
        .decide(&owner, &by_owner, other_pick.id, false)
        .await
        .unwrap();
    let cards = store
        .onboarding_cards(
            &BoardFilter {
                merchant: Some(shop.id),
                ..BoardFilter::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(cards.len(), 1, "declining puts nothing on the board");
    assert_eq!(
        (cards[0].channel, cards[0].stage),
        (Channel::Coupang, Stage::Preparing)
    );
    let followed = discovery.picks(&md, None).await.unwrap();
    assert_eq!(followed[0].step, Step::Accepted);
    // Sales on the marketplace count for the pick only once the product is there through it.
    let report = gachi_domain::results::SalesReport {
        merchant: shop.id,
        channel: gachi_domain::results::SalesChannel::Market(Channel::Coupang),
        month: gachi_domain::results::Month::of(clock.now()),
        sales_krw: 1_200_000,
        orders: 60,
    };
    let audit = by_owner.entry(clock.now(), "sales.report", "", "");
    store
        .save_sales_report(&report, Some(owner.id), 100_000_000, &audit)
        .await
        .unwrap();
    let followed = discovery.picks(&md, None).await.unwrap();
    assert_eq!(followed[0].step, Step::Accepted, "not on Coupang yet");
    store
        .move_onboarding(
            shop.id,
            Channel::Coupang,
            Stage::Selling,
            staff.id,
            None,
            &by_owner.entry(clock.now(), "onboarding.move", "", ""),
        )
        .await
        .unwrap();
    let followed = discovery.picks(&md, None).await.unwrap();
    assert_eq!(
        followed[0].step,
        Step::Selling,
        "{:?}",
        followed[0].progress
    );
    assert_eq!(followed[0].progress.first_sales, Some(report.month));
    assert!(followed[0].progress.on_sale_since.is_some());

    // Now the MD whose pick was accepted sees how to reach the shop; the other does not.
    assert!(
        discovery
            .pooled(&md, makgeolli.id)
            .await
            .unwrap()
            .contact_visible
    );
    assert_eq!(
        discovery
            .pooled(&md, makgeolli.id)
            .await
            .unwrap()
            .shop
            .phone
            .as_deref(),
        Some("033-123-4567")
    );
    assert!(
        !discovery
            .pooled(&other_md, makgeolli.id)
            .await
            .unwrap()
            .contact_visible
    );

    // A pooled product that loses a required field leaves search but stays in the pool.
    let mut broken = makgeolli.file.clone();
    broken.after_service = None;
    catalog
        .replace(&owner, makgeolli.id, &broken, &by_owner)
        .await
        .unwrap();
    assert_eq!(index.count().unwrap(), 0, "the catalog refreshed the index");
    assert_eq!(store.pool_count().await.unwrap(), 1);
    let (_, of_shop) = discovery.pool_of_shop(&owner, None).await.unwrap();
    assert_eq!(of_shop.len(), 2, "every product of the shop, pooled or not");
    let listed = of_shop
        .iter()
        .find(|e| e.product.id == makgeolli.id)
        .unwrap();
    assert_eq!(listed.pooled_at, Some(entry.pooled_at));
    assert!(listed.gaps.iter().any(|g| g.field == "after_service.phone"));
    let other = of_shop
        .iter()
        .find(|e| e.product.id == unfinished.id)
        .unwrap();
    assert_eq!(other.pooled_at, None);

    // Taking it out, and deleting a pooled product, empties the pool; picks stay readable.
    discovery
        .take_out_of_pool(&owner, &by_owner, makgeolli.id)
        .await
        .unwrap();
    assert_eq!(store.pool_count().await.unwrap(), 0);
    catalog
        .replace(&owner, makgeolli.id, &makgeolli.file, &by_owner)
        .await
        .unwrap();
    discovery
        .put_in_pool(&owner, &by_owner, makgeolli.id)
        .await
        .unwrap();
    assert_eq!(index.count().unwrap(), 1);
    catalog
        .delete(&owner, makgeolli.id, &by_owner)
        .await
        .unwrap();
    assert_eq!(store.pool_count().await.unwrap(), 0);
    assert_eq!(index.count().unwrap(), 0);
    assert_eq!(
        store.pick(pick.id).await.unwrap().unwrap().product_name,
        "강릉 초당 쌀막걸리 750ml 2병"
    );
    assert_eq!(discovery.rebuild_index().await.unwrap(), 0);
}
