//! Results: monthly sales reports with corrections, the hall of fame (trailing 12 months at or
//! over the threshold), success stories, and KPI targets against actuals.

use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::{Clock, Store};

use super::{ManualClock, operator, shops};

/// Sales reports keep corrections, the hall of fame follows the trailing-12-month sum (in and
/// out), members filter by region, and the dashboard counts what is there.
pub async fn results(store: &dyn Store) {
    use gachi_domain::merchants::merchant::MerchantFilter;
    use gachi_domain::results::{Results, ResultsError, SalesInput};

    let clock = &ManualClock::new(Timestamp::now());
    let operator = operator(store).await;
    shops(store).await;
    let results = Results { store, clock };
    let actor = Actor::user(operator.id, None);
    let merchants = store
        .list_merchants(&MerchantFilter::default(), None, 10)
        .await
        .unwrap();
    let (star, other) = (&merchants[0], &merchants[1]);
    let now = gachi_domain::results::Month::of(clock.now());
    let report = |merchant, months_ago: i32, sales: i64| {
        let results = &results;
        let operator = &operator;
        let actor = &actor;
        async move {
            let input = SalesInput {
                channel: "naver".into(),
                month: now.minus(months_ago).to_string(),
                sales_krw: Some(sales),
                orders: Some(sales / 20_000),
            };
            results.report(operator, actor, merchant, &input).await
        }
    };
    for months_ago in 0..10 {
        report(star.id, months_ago, 11_000_000).await.unwrap();
    }
    report(other.id, 0, 5_000_000).await.unwrap();
    let members = store.hall_of_fame(None, None).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].merchant, star.id);
    assert_eq!(
        members[0].entry_month, now,
        "110M reached in the latest month"
    );
    assert_eq!(members[0].channels, ["naver"]);
    // A correction below the line takes the merchant out again; the old value is kept.
    report(star.id, 0, 0).await.unwrap(); // 99,000,000 now
    assert!(store.hall_of_fame(None, None).await.unwrap().is_empty());
    report(star.id, 0, 11_000_000).await.unwrap();
    assert_eq!(store.sales_of(star.id).await.unwrap().len(), 10);
    let inside = store
        .hall_of_fame(Some(&star.region.sido()), None)
        .await
        .unwrap();
    assert_eq!(inside.len(), 1);
    let elsewhere = gachi_domain::kernel::region::RegionCode::parse("11", "r").unwrap();
    if !elsewhere.contains(&star.region) {
        assert!(
            store
                .hall_of_fame(Some(&elsewhere), None)
                .await
                .unwrap()
                .is_empty()
        );
    }
    let future = SalesInput {
        channel: "naver".into(),
        month: now.minus(-1).to_string(),
        sales_krw: Some(1),
        orders: Some(1),
    };
    assert!(matches!(
        results.report(&operator, &actor, star.id, &future).await,
        Err(ResultsError::Invalid(_))
    ));
    store
        .set_success_story(
            star.id,
            "시장 골목에서 전국으로",
            &actor.entry(clock.now(), "story", "", ""),
        )
        .await
        .unwrap();
    assert_eq!(
        store.hall_of_fame(None, None).await.unwrap()[0]
            .story
            .as_deref(),
        Some("시장 골목에서 전국으로")
    );

    // A lower threshold brings the other merchant in; the old one restores the list.
    assert_eq!(results.set_threshold(&actor, 4_000_000).await.unwrap(), 2);
    assert_eq!(
        store
            .hall_of_fame(None, None)
            .await
            .unwrap()
            .iter()
            .find(|m| m.merchant == star.id)
            .and_then(|m| m.story.clone())
            .as_deref(),
        Some("시장 골목에서 전국으로"),
        "stories survive a recompute"
    );
    assert_eq!(results.set_threshold(&actor, 100_000_000).await.unwrap(), 1);
    assert!(matches!(
        results.set_threshold(&actor, 0).await,
        Err(ResultsError::Invalid(_))
    ));
    let kpi = results.kpi(&operator, now.year, None).await.unwrap();
    let target = |key: &str| kpi.targets.iter().find(|(k, _)| *k == key).unwrap().1;
    let actual = |key: &str| kpi.actuals.iter().find(|(k, _)| *k == key).unwrap().1;
    assert_eq!(target("onboarded_merchants"), 100_000);
    assert_eq!(actual("hall_of_fame"), 1);
    assert!(actual("registered_merchants") >= 1);
    results
        .set_target(&operator, &actor, now.year, "onboarded_merchants", 5_000)
        .await
        .unwrap();
    let kpi = results.kpi(&operator, now.year, None).await.unwrap();
    assert_eq!(
        kpi.targets
            .iter()
            .find(|(k, _)| *k == "onboarded_merchants")
            .unwrap()
            .1,
        5_000
    );
}
