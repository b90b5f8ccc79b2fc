//! The certificates story: issued to designer accounts only, numbered and indexed once each,
//! kept byte for byte as signed, revoked once with the first reason standing, listed in the
//! status list, and counted in the program's KPI only while valid, within a region.

use gachi_domain::designers::credential::Issuer;
use gachi_domain::designers::{
    CertificateError, Certificates, Level, Status, VALIDITY_SECONDS, status_list,
};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::region::RegionCode;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::{Clock, Store};

use super::{ManualClock, operator, user};

pub async fn certificates(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::from_unix_ms(1_796_601_600_000));
    let issuer = Issuer::from_seed([5; 32], "가치 운영기관");
    let certificates = Certificates {
        store,
        clock: &clock,
        issuer: Some(&issuer),
        base_url: "https://gachi.example.kr",
        registration: "2026-001234",
    };
    let operator = operator(store).await;
    let actor = Actor::user(operator.id, None);
    let jeonju = user(store, "kim@designer.kr", "designer", "").await;
    let merchant = user(store, "shop@owner.kr", "merchant", "").await;

    assert!(matches!(
        certificates
            .issue(&operator, &actor, merchant.id, Level::Second)
            .await,
        Err(CertificateError::Invalid(_))
    ));
    assert!(matches!(
        certificates
            .issue(&jeonju, &actor, jeonju.id, Level::Second)
            .await,
        Err(CertificateError::Forbidden)
    ));

    let first = certificates
        .issue(&operator, &actor, jeonju.id, Level::Second)
        .await
        .unwrap();
    clock.advance_seconds(60);
    let second = certificates
        .issue(&operator, &actor, jeonju.id, Level::First)
        .await
        .unwrap();
    assert_eq!(first.number, "DDS-2026-000001");
    assert_eq!(second.number, "DDS-2026-000002");
    assert_eq!((first.status_index, second.status_index), (0, 1));
    assert_eq!(
        second.valid_until,
        second.issued_at.plus_seconds(VALIDITY_SECONDS)
    );

    let kept = certificates.find("DDS-2026-000001").await.unwrap();
    assert_eq!(kept, first, "kept as issued, credential byte for byte");
    assert!(matches!(
        certificates.find("DDS-2026-999999").await,
        Err(CertificateError::NotFound)
    ));
    let (_, verified) = certificates.verify(&first.number).await.unwrap();
    assert_eq!(verified.unwrap().holder_name, jeonju.display_name);

    let (listed, total) = certificates.list(&operator, 1, 50).await.unwrap();
    assert_eq!(
        listed.iter().map(|c| c.number.as_str()).collect::<Vec<_>>(),
        ["DDS-2026-000002", "DDS-2026-000001"],
        "newest first"
    );
    assert_eq!(total, 2);
    let (second_page, total) = certificates.list(&operator, 2, 1).await.unwrap();
    assert_eq!(
        second_page
            .iter()
            .map(|c| c.number.as_str())
            .collect::<Vec<_>>(),
        ["DDS-2026-000001"],
        "a page of one after the first"
    );
    assert_eq!(total, 2, "the total on every page");
    assert_eq!(
        certificates.list(&jeonju, 1, 50).await.unwrap().0.len(),
        2,
        "their own"
    );
    assert!(matches!(
        certificates.list(&merchant, 1, 50).await,
        Err(CertificateError::Forbidden)
    ));

    let now = clock.now();
    assert_eq!(store.valid_certificate_holders(now, None).await.unwrap(), 1);

    assert!(matches!(
        certificates
            .revoke(&operator, &actor, &first.number, "  ")
            .await,
        Err(CertificateError::Invalid(_))
    ));
    certificates
        .revoke(&operator, &actor, &first.number, "부정 응시")
        .await
        .unwrap();
    certificates
        .revoke(&operator, &actor, &first.number, "다른 이유")
        .await
        .unwrap();
    let revoked = certificates.find(&first.number).await.unwrap();
    assert_eq!(
        revoked.revoked.as_ref().unwrap().reason,
        "부정 응시",
        "the first reason stands"
    );
    assert_eq!(revoked.status(now), Status::Revoked);
    assert!(matches!(
        certificates
            .revoke(&operator, &actor, "DDS-2026-999999", "x")
            .await,
        Err(CertificateError::NotFound)
    ));
    let (_, verified) = certificates.verify(&first.number).await.unwrap();
    assert!(verified.is_err(), "a revoked certificate does not verify");

    let list = certificates.status_list().await.unwrap();
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    assert_eq!(status_list::is_set(encoded, 0), Some(true));
    assert_eq!(status_list::is_set(encoded, 1), Some(false));
    assert_eq!(store.revoked_certificate_indexes().await.unwrap(), [0]);

    // Still one valid holder (the 1급), until it expires.
    assert_eq!(store.valid_certificate_holders(now, None).await.unwrap(), 1);
    let later = second.valid_until;
    assert_eq!(
        store.valid_certificate_holders(later, None).await.unwrap(),
        0
    );

    // By region: the holder's account region; holders without one count only nationally.
    let seoul = user(store, "lee@designer.kr", "designer", "11110").await;
    certificates
        .issue(&operator, &actor, seoul.id, Level::Second)
        .await
        .unwrap();
    let now = clock.now();
    let in_region = |code: &str| RegionCode::parse(code, "region").unwrap();
    assert_eq!(store.valid_certificate_holders(now, None).await.unwrap(), 2);
    for (region, expected) in [("11", 1), ("11110", 1), ("26", 0)] {
        assert_eq!(
            store
                .valid_certificate_holders(now, Some(&in_region(region)))
                .await
                .unwrap(),
            expected,
            "{region}"
        );
    }
}

/// The delegations story: a shop grants a certified designer scopes for some days; the designer
/// acts within them only, their changes are recorded as acting for the shop's owner, and a
/// revocation ends it at once.
pub async fn delegations(store: &dyn Store) {
    use gachi_domain::catalog::Catalog;
    use gachi_domain::designers::delegation::{
        DelegationError, Delegations, GrantInput, Scope, may_act,
    };
    use gachi_domain::merchants::merchant::{MerchantInput, MerchantSource, MerchantStatus};

    let clock = ManualClock::new(Timestamp::from_unix_ms(1_796_601_600_000));
    let issuer = Issuer::from_seed([6; 32], "가치 운영기관");
    let operator = operator(store).await;
    let owner = user(store, "owner@hanok.kr", "merchant", "").await;
    let designer = user(store, "kim@designer.kr", "designer", "52110").await;
    let uncertified = user(store, "new@designer.kr", "designer", "").await;
    let fields = MerchantInput {
        name: "한옥식당".into(),
        business_number: "220-81-62517".into(),
        phone: "063-123-4567".into(),
        region_code: "52111".into(),
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
    Certificates {
        store,
        clock: &clock,
        issuer: Some(&issuer),
        base_url: "",
        registration: "",
    }
    .issue(
        &operator,
        &Actor::user(operator.id, None),
        designer.id,
        Level::Second,
    )
    .await
    .unwrap();

    let delegations = Delegations {
        store,
        clock: &clock,
    };
    let by_owner = Actor::user(owner.id, None);
    let grant = |email: &str, scopes: &[&str], days: &str| GrantInput {
        designer_email: email.into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        days: days.into(),
    };
    for (input, field) in [
        (
            grant("new@designer.kr", &["catalog"], "30"),
            "designer_email",
        ),
        (
            grant("nobody@designer.kr", &["catalog"], "30"),
            "designer_email",
        ),
        (grant("kim@designer.kr", &[], "30"), "scopes"),
        (grant("kim@designer.kr", &["catalog"], "400"), "days"),
    ] {
        match delegations.grant(&owner, &by_owner, None, &input).await {
            Err(DelegationError::Invalid(errors)) => {
                assert!(
                    errors.0.iter().any(|e| e.field == field),
                    "{field}: {errors:?}"
                )
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    let _ = uncertified;
    let granted = delegations
        .grant(
            &owner,
            &by_owner,
            None,
            &grant("KIM@designer.kr", &["catalog", "listing"], "90"),
        )
        .await
        .unwrap();
    assert_eq!(granted.merchant, shop.id);
    assert_eq!(granted.designer_name, designer.display_name);

    let now = clock.now();
    assert!(
        may_act(store, &designer, shop.id, Scope::Catalog, now)
            .await
            .unwrap()
    );
    assert!(
        !may_act(store, &designer, shop.id, Scope::Markets, now)
            .await
            .unwrap(),
        "not granted"
    );
    assert!(
        !may_act(store, &uncertified, shop.id, Scope::Catalog, now)
            .await
            .unwrap()
    );

    // The designer's change is the designer's, made for the shop's owner.
    let catalog = Catalog {
        store,
        clock: &clock,
        pool: None,
    };
    let product = catalog
        .create(
            &designer,
            Some(shop.id),
            &serde_json::from_value(serde_json::json!({
                "sku": "DELEGATED-1", "name": "설계사가 올린 상품", "price": 10000, "stock": 5
            }))
            .unwrap(),
            &Actor::user(designer.id, None),
        )
        .await
        .unwrap();
    assert_eq!(
        catalog.get(&designer, product.id).await.unwrap().id,
        product.id
    );
    let activity = delegations.activity(&owner).await.unwrap();
    assert_eq!(activity[0].entry.action, "product.create");
    assert_eq!(activity[0].entry.actor, Some(designer.id));
    assert_eq!(activity[0].entry.on_behalf_of, Some(owner.id));

    assert_eq!(delegations.list(&owner).await.unwrap().len(), 1);
    assert_eq!(delegations.list(&designer).await.unwrap().len(), 1);
    assert!(matches!(
        delegations
            .revoke(&designer, &Actor::user(designer.id, None), granted.id)
            .await,
        Err(DelegationError::NotFound)
    ));
    delegations
        .revoke(&owner, &by_owner, granted.id)
        .await
        .unwrap();
    assert!(
        !may_act(store, &designer, shop.id, Scope::Catalog, now)
            .await
            .unwrap()
    );
    assert!(
        catalog.get(&designer, product.id).await.is_err(),
        "refused at once"
    );

    // Expiry ends it too.
    let short = delegations
        .grant(
            &owner,
            &by_owner,
            None,
            &grant("kim@designer.kr", &["sales"], "1"),
        )
        .await
        .unwrap();
    clock.advance_seconds(2 * 24 * 3600);
    assert!(!short.allows(Scope::Sales, clock.now()));
    assert!(
        !may_act(store, &designer, shop.id, Scope::Sales, clock.now())
            .await
            .unwrap()
    );
}

/// The profiles story: a designer's profile is kept as saved, and the directory lists only
/// designers holding a valid certificate, with their level and the shops they run now.
pub async fn profiles(store: &dyn Store) {
    use gachi_domain::designers::profile::{ProfileInput, Profiles, Skill};
    use gachi_domain::merchants::diagnosis::Track;

    let clock = ManualClock::new(Timestamp::from_unix_ms(1_796_601_600_000));
    let issuer = Issuer::from_seed([4; 32], "가치 운영기관");
    let operator = operator(store).await;
    let kim = user(store, "kim@designer.kr", "designer", "52110").await;
    let profiles = Profiles {
        store,
        clock: &clock,
    };
    let input = ProfileInput {
        regions: vec!["52111".into(), "52".into()],
        industries: vec!["I2".into()],
        skills: vec!["live".into(), "onboarding".into()],
        capacity: "4".into(),
        languages: "한국어,영어".into(),
        intro: "전주 음식점 전문".into(),
    };
    let saved = profiles
        .save(&kim, &Actor::user(kim.id, None), &input)
        .await
        .unwrap();
    assert_eq!(
        store.designer_profile(kim.id).await.unwrap(),
        Some(saved.clone())
    );
    assert_eq!(saved.skills, [Skill::Live, Skill::Onboarding]);
    assert!(
        store
            .certified_designers(clock.now())
            .await
            .unwrap()
            .is_empty(),
        "no certificate yet"
    );
    Certificates {
        store,
        clock: &clock,
        issuer: Some(&issuer),
        base_url: "",
        registration: "",
    }
    .issue(
        &operator,
        &Actor::user(operator.id, None),
        kim.id,
        Level::First,
    )
    .await
    .unwrap();
    let listed = store.certified_designers(clock.now()).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0].level,
            listed[0].active_shops,
            listed[0].profile.capacity
        ),
        (Level::First, 0, 4)
    );
    let jeonbuk = RegionCode::parse("52", "sido").unwrap();
    assert!(
        store
            .merchants_awaiting_designer(Track::Managed, Some(&jeonbuk), clock.now())
            .await
            .unwrap()
            .is_empty()
    );
}
