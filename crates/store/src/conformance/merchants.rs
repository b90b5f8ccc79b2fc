//! The merchant registry: a shop recorded once per 사업자등록번호 and renamed, rows of the public
//! store register imported and re-imported (unchanged rows change nothing, the later of two rows
//! for one store wins), filters by region, industry, name and status, keyset pages, shipping
//! templates by name, and the bulk-load switch; diagnoses, once a day, that never undo an
//! operator's decision.

use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::Store;

/// The merchant registry: records, uniqueness, filters, keyset pages, register upserts.
pub async fn merchants(store: &dyn Store) {
    use gachi_domain::merchants::merchant::{
        MerchantFilter, MerchantInput, MerchantSource, MerchantStatus,
    };
    use gachi_domain::merchants::register::{Columns, OFFICIAL_HEADER, RowSchema};

    let actor = Actor::system();
    let now = Timestamp::now();
    let shop = MerchantInput {
        name: "한옥식당".into(),
        business_number: "220-81-62517".into(),
        phone: "063-123-4567".into(),
        region_code: "52111".into(),
        industry_code: "I20101".into(),
        ..MerchantInput::default()
    };
    let fields = shop.validate(true).unwrap();
    let audit = actor.entry(now, "merchant.create", "", "");
    let created = store
        .create_merchant(
            &fields,
            MerchantStatus::Registered,
            MerchantSource::Staff,
            None,
            &audit,
        )
        .await
        .unwrap();
    assert_eq!(created.name, "한옥식당");
    assert_eq!(
        created.business_number.as_ref().unwrap().display(),
        "220-81-62517"
    );
    assert_eq!(
        store.merchant(created.id).await.unwrap().as_ref(),
        Some(&created)
    );
    let duplicate = store
        .create_merchant(
            &fields,
            MerchantStatus::Registered,
            MerchantSource::Staff,
            None,
            &audit,
        )
        .await;
    assert!(matches!(
        duplicate,
        Err(gachi_domain::ports::StoreError::Conflict("business_number"))
    ));
    let found = store
        .merchant_by_business_number("2208162517")
        .await
        .unwrap();
    assert_eq!(found.map(|m| m.id), Some(created.id));

    let renamed = MerchantInput {
        name: "한옥식당 본점".into(),
        ..shop.clone()
    }
    .validate(true)
    .unwrap();
    let updated = store
        .update_merchant(created.id, &renamed, &audit)
        .await
        .unwrap();
    assert_eq!(updated.name, "한옥식당 본점");

    // Register rows: three shops in three regions.
    let columns = Columns::from_header(&OFFICIAL_HEADER).unwrap();
    let row = |id: &str, name: &str, sigungu: &str, industry: &str| -> Vec<String> {
        let mut row = vec![String::new(); 39];
        row[0] = id.into();
        row[1] = name.into();
        row[7] = industry.into();
        row[13] = sigungu.into();
        row
    };
    let rows = [
        row("R1", "전주빵집", "52113", "I21001"),
        row("R2", "군산서점", "52130", "G21501"),
        row("R3", "종로떡집", "11110", "I21001"),
    ];
    let records: Vec<_> = rows
        .iter()
        .map(|r| {
            columns
                .parse(&r.iter().map(String::as_str).collect::<Vec<_>>())
                .unwrap()
        })
        .collect();
    let counts = store
        .upsert_store_records(
            &records,
            1,
            &actor.entry(now, "merchant.import", "register", ""),
        )
        .await
        .unwrap();
    assert_eq!(
        (counts.imported, counts.updated, counts.unchanged),
        (3, 0, 0)
    );
    let again = store
        .upsert_store_records(
            &records,
            2,
            &actor.entry(now, "merchant.import", "register", ""),
        )
        .await
        .unwrap();
    assert_eq!(
        (again.imported, again.updated, again.unchanged),
        (0, 0, 3),
        "the same rows change nothing"
    );
    let mut moved = records.clone();
    moved[0].name = "전주빵집 2호점".into();
    let third = store
        .upsert_store_records(
            &moved,
            3,
            &actor.entry(now, "merchant.import", "register", ""),
        )
        .await
        .unwrap();
    assert_eq!((third.imported, third.updated, third.unchanged), (0, 1, 2));

    // A file naming one store twice: the later row wins, on both backends.
    let mut twice = records[2].clone();
    twice.name = "종로떡집 (이전)".into();
    let mut later = records[2].clone();
    later.name = "종로떡집".into();
    let dup = store
        .upsert_store_records(
            &[twice, later],
            4,
            &actor.entry(now, "merchant.import", "register", ""),
        )
        .await
        .unwrap();
    assert_eq!(
        (dup.imported, dup.updated, dup.unchanged),
        (0, 1, 1),
        "{dup:?}"
    );

    let list = |filter: MerchantFilter| async move {
        store
            .list_merchants(&filter, None, 50)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect::<Vec<_>>()
    };
    let region =
        |code: &str| Some(gachi_domain::kernel::region::RegionCode::parse(code, "r").unwrap());
    assert_eq!(
        list(MerchantFilter {
            region: region("52"),
            ..Default::default()
        })
        .await,
        ["군산서점", "전주빵집 2호점", "한옥식당 본점"]
    );
    // 전주시 (52110) holds its 구: 완산구 52111 (한옥식당) and 덕진구 52113 (전주빵집).
    assert_eq!(
        list(MerchantFilter {
            region: region("52110"),
            ..Default::default()
        })
        .await,
        ["전주빵집 2호점", "한옥식당 본점"]
    );
    let bakery = gachi_domain::kernel::industry::resolve("I21001", "i").ok();
    assert_eq!(
        list(MerchantFilter {
            industry: bakery,
            ..Default::default()
        })
        .await,
        ["종로떡집", "전주빵집 2호점"]
    );
    assert_eq!(
        list(MerchantFilter {
            name_contains: Some("떡".into()),
            ..Default::default()
        })
        .await,
        ["종로떡집"]
    );
    assert_eq!(
        list(MerchantFilter {
            name_contains: Some("%".into()),
            ..Default::default()
        })
        .await,
        Vec::<String>::new(),
        "LIKE wildcards are literal"
    );
    assert_eq!(
        list(MerchantFilter {
            status: Some(MerchantStatus::Registered),
            ..Default::default()
        })
        .await,
        ["한옥식당 본점"]
    );

    // Keyset pages: two, then the rest, never repeating.
    let first = store
        .list_merchants(&MerchantFilter::default(), None, 2)
        .await
        .unwrap();
    let rest = store
        .list_merchants(&MerchantFilter::default(), first.last().map(|m| m.id), 10)
        .await
        .unwrap();
    assert_eq!(first.len() + rest.len(), 4);
    assert!(first.iter().all(|m| rest.iter().all(|r| r.id < m.id)));

    // Shipping templates: saved by name, replaced by the same name.
    let terms = |fee: i64| gachi_domain::catalog::product::ShippingFile {
        fee: Some(gachi_domain::catalog::product::Loose::Int(fee)),
        ..Default::default()
    };
    let at = actor.entry(now, "shipping_template.save", "", "");
    store
        .save_shipping_template(created.id, "기본 택배", &terms(3000), &at)
        .await
        .unwrap();
    store
        .save_shipping_template(created.id, "기본 택배", &terms(4000), &at)
        .await
        .unwrap();
    store
        .save_shipping_template(created.id, "제주 도서산간", &terms(7000), &at)
        .await
        .unwrap();
    let saved = store.shipping_templates(created.id).await.unwrap();
    assert_eq!(
        saved
            .iter()
            .map(|(n, t)| (n.as_str(), t.fee.clone()))
            .collect::<Vec<_>>(),
        [
            (
                "기본 택배",
                Some(gachi_domain::catalog::product::Loose::Int(4000))
            ),
            (
                "제주 도서산간",
                Some(gachi_domain::catalog::product::Loose::Int(7000))
            )
        ]
    );

    // A bulk load only drops indexes on an empty registry, and they come back.
    assert!(!store.begin_bulk_load().await.unwrap());
    store.ensure_merchant_indexes().await.unwrap();
}

/// Diagnoses: the first sets the track; an operator's override then stands against every retake,
/// which is recorded with its own recommendation, until an operator changes it; a retake waits a
/// day; every diagnosis is kept and audited.
pub async fn diagnoses_keep_an_operators_decision(store: &dyn Store) {
    use gachi_domain::merchants::diagnosis::{
        Answers, QUESTIONS, RETAKE_INTERVAL_SECONDS, Track, TrackSource,
    };
    use gachi_domain::merchants::merchant::MerchantFilter;
    use gachi_domain::merchants::registry::{Registry, RegistryError};

    let staff = super::operator(store).await;
    super::shops(store).await;
    let clock = super::ManualClock::new(Timestamp::now());
    let registry = Registry {
        store,
        clock: &clock,
    };
    let actor = Actor::user(staff.id, Some("10.0.0.30".into()));
    let shop = registry
        .list(
            &staff,
            MerchantFilter {
                name_contains: Some("한옥식당".into()),
                ..MerchantFilter::default()
            },
            None,
            10,
        )
        .await
        .unwrap()
        .remove(0);
    // The best answers recommend going to the marketplaces directly; the same with the weakest
    // online answers, a managed seller.
    let best: Answers = QUESTIONS
        .iter()
        .map(|q| (q.id.to_owned(), q.answers.last().unwrap().0.to_owned()))
        .collect();
    let weak_online: Answers = QUESTIONS
        .iter()
        .map(|q| {
            let answer = match q.axis {
                gachi_domain::merchants::diagnosis::Axis::Product => q.answers.last(),
                gachi_domain::merchants::diagnosis::Axis::Online => q.answers.first(),
            };
            (q.id.to_owned(), answer.unwrap().0.to_owned())
        })
        .collect();
    let track_now = || async { store.merchant(shop.id).await.unwrap().unwrap().track };

    let first = registry
        .diagnose(&staff, shop.id, &best, &actor)
        .await
        .unwrap();
    assert_eq!(
        (
            first.record.assessment.track,
            first.track,
            first.operator_decided
        ),
        (Track::Channel, Track::Channel, false)
    );
    assert_eq!(track_now().await, Some(Track::Channel));

    clock.advance_seconds(RETAKE_INTERVAL_SECONDS - 1);
    let soon = registry
        .diagnose(&staff, shop.id, &weak_online, &actor)
        .await;
    assert!(
        matches!(soon, Err(RegistryError::RetakeTooSoon { next_at, retry_after_seconds: 1 })
            if next_at == first.record.created_at.plus_seconds(RETAKE_INTERVAL_SECONDS)),
        "{soon:?}"
    );

    registry
        .override_track(&staff, shop.id, "education", "상담 결과 교육 먼저", &actor)
        .await
        .unwrap();
    clock.advance_seconds(1);
    let retake = registry
        .diagnose(&staff, shop.id, &weak_online, &actor)
        .await
        .unwrap();
    assert_eq!(
        (
            retake.record.assessment.track,
            retake.track,
            retake.operator_decided
        ),
        (Track::Managed, Track::Education, true),
        "the retake recommends, the operator's decision stands"
    );
    assert_eq!(track_now().await, Some(Track::Education));
    assert_eq!(
        store.latest_diagnosis(shop.id).await.unwrap().map(|d| d.id),
        Some(retake.record.id),
        "the retake is kept as the latest diagnosis"
    );
    let history = store.track_history(shop.id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|c| (c.track, c.source))
            .collect::<Vec<_>>(),
        [
            (Track::Channel, TrackSource::Diagnosis),
            (Track::Education, TrackSource::Override)
        ],
        "a retake does not change the track"
    );

    // An operator changes their decision; the next retake still leaves it standing.
    registry
        .override_track(&staff, shop.id, "managed", "전담 셀러 배정", &actor)
        .await
        .unwrap();
    clock.advance_seconds(RETAKE_INTERVAL_SECONDS);
    let third = registry
        .diagnose(&staff, shop.id, &best, &actor)
        .await
        .unwrap();
    assert_eq!(
        (
            third.record.assessment.track,
            third.track,
            third.operator_decided
        ),
        (Track::Channel, Track::Managed, true)
    );
    assert_eq!(track_now().await, Some(Track::Managed));
    assert!(first.record.id < retake.record.id && retake.record.id < third.record.id);
    let diagnosed = store
        .recent_audit(50)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| {
            r.entry.action == "merchant.diagnose"
                && r.entry.subject == format!("merchant:{}", shop.id.0)
        })
        .count();
    assert_eq!(
        diagnosed, 3,
        "every diagnosis taken is audited, the refused one not"
    );
}
