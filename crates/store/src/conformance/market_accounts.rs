//! Marketplace accounts: a shop's seller settings and sealed keys per marketplace, who may
//! reach them, the submissions kept per product and the latest listing, and the photo
//! addresses a marketplace's image host issued.

use gachi_domain::accounts::Role;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::listing::marketplaces::OutcomeKind;
use gachi_domain::ports::{Clock, Store};

use super::{ManualClock, operator, shops, user};

/// Marketplace accounts keep settings and sealed keys (new settings without keys keep the old
/// keys), only the shop's owner and staff reach them, and submissions are kept newest first.
pub async fn market_accounts(store: &dyn Store) {
    use gachi_domain::listing::market_account::{
        MarketAccountError, MarketAccounts, SubmissionRecord,
    };
    use gachi_domain::merchants::merchant::MerchantFilter;

    let clock = &ManualClock::new(Timestamp::now());
    let operator = operator(store).await;
    shops(store).await;
    // A merchant who owns no shop: a stranger to every shop.
    user(store, "stranger@hanok.kr", "merchant", "").await;
    let accounts = MarketAccounts { store, clock };
    let actor = Actor::user(operator.id, None);
    let merchant = store
        .list_merchants(&MerchantFilter::default(), None, 1)
        .await
        .unwrap()
        .remove(0);
    accounts
        .save(
            &operator,
            &actor,
            merchant.id,
            Channel::Coupang,
            &settings("A00012345"),
            Some("v1.sealed-one"),
        )
        .await
        .unwrap();
    accounts
        .save(
            &operator,
            &actor,
            merchant.id,
            Channel::Coupang,
            &settings("A00099999"),
            None,
        )
        .await
        .unwrap();
    let saved = accounts.accounts(&operator, merchant.id).await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].settings, settings("A00099999"));
    assert_eq!(
        saved[0].sealed_credentials.as_deref(),
        Some("v1.sealed-one"),
        "keys kept"
    );

    let stranger = store
        .list_users(Some(Role::Merchant), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.id != operator.id)
        .expect("a merchant account");
    assert!(
        store
            .merchant_of_owner(stranger.id)
            .await
            .unwrap()
            .is_none_or(|shop| shop.id != merchant.id),
        "not the shop's owner"
    );
    assert!(matches!(
        accounts.accounts(&stranger, merchant.id).await,
        Err(MarketAccountError::NotFound)
    ));

    // Two products listed on Naver at different times, one refused on Coupang: the latest
    // listing is the newer product's number.
    assert_eq!(
        store
            .latest_listing(merchant.id, Channel::Naver)
            .await
            .unwrap(),
        None
    );
    let mut listed = Vec::new();
    for (sku, number) in [("CONF-1", "1000001"), ("CONF-2", "1000002")] {
        let file: gachi_domain::catalog::product::ProductFile =
            serde_json::from_value(serde_json::json!({
                "sku": sku, "name": format!("적합성 상품 {sku}"), "price": 10000, "stock": 5
            }))
            .unwrap();
        let product = store
            .create_product(
                merchant.id,
                &file,
                &file.check().unwrap(),
                &actor.entry(clock.now(), "product.create", sku, ""),
            )
            .await
            .unwrap();
        for outcome in [OutcomeKind::Failed, OutcomeKind::Created] {
            let record = SubmissionRecord {
                channel: Channel::Naver,
                outcome,
                marketplace_product_id: (outcome == OutcomeKind::Created).then(|| number.into()),
                request_digest: "ab".repeat(32),
                detail: "[]".into(),
                submitted_by: Some(operator.id),
                at: clock.now(),
            };
            accounts
                .record_submission(&actor, product.id, &record)
                .await
                .unwrap();
        }
        let kept = store.submissions(product.id).await.unwrap();
        assert_eq!(kept[0].outcome, OutcomeKind::Created, "newest first");
        assert_eq!(kept.len(), 2);
        listed.push(product);
        clock.advance_seconds(60);
    }
    let refused = SubmissionRecord {
        channel: Channel::Coupang,
        outcome: OutcomeKind::Rejected,
        marketplace_product_id: None,
        request_digest: "cd".repeat(32),
        detail: "[]".into(),
        submitted_by: Some(operator.id),
        at: clock.now(),
    };
    accounts
        .record_submission(&actor, listed[0].id, &refused)
        .await
        .unwrap();
    assert_eq!(
        store
            .latest_listing(merchant.id, Channel::Naver)
            .await
            .unwrap()
            .as_deref(),
        Some("1000002")
    );
    assert_eq!(
        store
            .latest_listing(merchant.id, Channel::Coupang)
            .await
            .unwrap(),
        None
    );

    // Photos on Naver's image host: Gachi's own photos are remembered per shop, marketplace
    // and account (a shop's own address is not: its photo may change), and forgotten when the
    // shop saves new keys for that marketplace — but not when it saves only settings.
    let ours = |n: u8| {
        format!(
            "https://gachi.example.kr/media/{}-800x800.jpg",
            format!("{n:x}").repeat(32)
        )
    };
    let theirs = "https://shop.example.kr/img/main.jpg".to_owned();
    let hosted = |n: u8| format!("https://shop-phinf.pstatic.net/contract/{n}.jpg");
    let app = "naver-application-1";
    accounts
        .remember_hosted_photos(
            merchant.id,
            Channel::Naver,
            app,
            &[
                (ours(1), hosted(1)),
                (theirs.clone(), hosted(2)),
                (ours(2), hosted(3)),
            ],
        )
        .await
        .unwrap();
    let asked = [ours(2), theirs.clone(), ours(3), ours(1)];
    let mut found = accounts
        .hosted_photos(merchant.id, Channel::Naver, app, &asked)
        .await
        .unwrap();
    found.sort();
    assert_eq!(found, [(ours(1), hosted(1)), (ours(2), hosted(3))]);
    for (channel, account) in [
        (Channel::Coupang, app),
        (Channel::Naver, "naver-application-2"),
    ] {
        assert!(
            accounts
                .hosted_photos(merchant.id, channel, account, &asked)
                .await
                .unwrap()
                .is_empty(),
            "per marketplace and account: {channel} {account}"
        );
    }
    // Uploaded again (say after the host lost it): the newer address wins.
    accounts
        .remember_hosted_photos(merchant.id, Channel::Naver, app, &[(ours(1), hosted(9))])
        .await
        .unwrap();
    let again = accounts
        .hosted_photos(merchant.id, Channel::Naver, app, &[ours(1)])
        .await
        .unwrap();
    assert_eq!(again, [(ours(1), hosted(9))]);
    accounts
        .save(
            &operator,
            &actor,
            merchant.id,
            Channel::Naver,
            &Default::default(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        accounts
            .hosted_photos(merchant.id, Channel::Naver, app, &asked)
            .await
            .unwrap()
            .len(),
        2,
        "settings alone keep them"
    );
    accounts
        .save(
            &operator,
            &actor,
            merchant.id,
            Channel::Naver,
            &Default::default(),
            Some("v1.sealed-two"),
        )
        .await
        .unwrap();
    assert!(
        accounts
            .hosted_photos(merchant.id, Channel::Naver, app, &asked)
            .await
            .unwrap()
            .is_empty(),
        "new keys forget them"
    );
}

/// Coupang settings with one vendor id.
fn settings(vendor_id: &str) -> gachi_domain::listing::market_account::SellerSettings {
    [("vendor_id".to_owned(), vendor_id.to_owned())].into()
}
