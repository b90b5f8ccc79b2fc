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

    let listed = certificates.list(&operator).await.unwrap();
    assert_eq!(
        listed.iter().map(|c| c.number.as_str()).collect::<Vec<_>>(),
        ["DDS-2026-000002", "DDS-2026-000001"],
        "newest first"
    );
    assert_eq!(
        certificates.list(&jeonju).await.unwrap().len(),
        2,
        "their own"
    );
    assert!(matches!(
        certificates.list(&merchant).await,
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
