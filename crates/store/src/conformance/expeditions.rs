//! The 원정대 event story: an operator sets a day and invites MDs (an account that is not an MD
//! is refused); one MD confirms, one declines; two shops apply with pooled products (a product
//! outside the pool and a late application are refused); marks and ranks make the timetable,
//! which double-books no one and gives each MD one table; a hand move onto a busy slot is
//! refused; the MD's pick at a meeting is a real pick; and everyone sees only their part.

use gachi_domain::catalog::Catalog;
use gachi_domain::discovery::events::{
    Attendance, EventInput, Expeditions, Outcome, recently_met_since,
};
use gachi_domain::discovery::{Discovery, DiscoveryError};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::merchants::merchant::{MerchantInput, MerchantSource, MerchantStatus};
use gachi_domain::ports::{Clock, Store};

use super::discovery::{KeptDocuments, complete_file};
use super::{ManualClock, operator, user};

fn field(result: Result<impl std::fmt::Debug, DiscoveryError>) -> String {
    match result {
        Err(DiscoveryError::Invalid(errors)) => errors.0[0].field.clone(),
        other => panic!("expected a field error: {other:?}"),
    }
}

pub async fn expeditions(store: &dyn Store) {
    // 2026-12-01 00:00 UTC.
    let clock = ManualClock::new(Timestamp::from_unix_ms(1_796_083_200_000));
    let index = KeptDocuments::default();
    let expeditions = Expeditions {
        store,
        clock: &clock,
        index: &index,
    };
    let staff = operator(store).await;
    let by_staff = Actor::user(staff.id, None);
    let coupang = user(store, "md@coupang.kr", "md", "").await;
    let naver = user(store, "md@naver.kr", "md", "").await;
    let stranger_md = user(store, "md@11st.kr", "md", "").await;
    let officer = user(store, "gov@jeonju.go.kr", "localgov", "52110").await;
    let seoul = user(store, "gov@seoul.go.kr", "localgov", "11").await;

    // Two shops, each with a pooled product, and one product left out of the pool.
    let mut shops = Vec::new();
    for (email, name, number, region) in [
        ("owner@hanok.kr", "한옥식당", "220-81-62517", "52111"),
        ("owner@tteok.kr", "동부떡집", "106-86-41434", "52113"),
    ] {
        let owner = user(store, email, "merchant", "").await;
        let fields = MerchantInput {
            name: name.into(),
            business_number: number.into(),
            phone: "063-123-4567".into(),
            region_code: region.into(),
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
        let catalog = Catalog {
            store,
            clock: &clock,
            pool: Some(&index),
        };
        let by_owner = Actor::user(owner.id, None);
        let pooled = catalog
            .create(
                &owner,
                None,
                &complete_file(&format!("{number}-1"), &format!("{name} 대표 상품")),
                &by_owner,
            )
            .await
            .unwrap();
        let kept_out = catalog
            .create(
                &owner,
                None,
                &complete_file(&format!("{number}-2"), &format!("{name} 다른 상품")),
                &by_owner,
            )
            .await
            .unwrap();
        Discovery {
            store,
            clock: &clock,
            index: &index,
        }
        .put_in_pool(&owner, &by_owner, pooled.id)
        .await
        .unwrap();
        shops.push((owner, shop, pooled, kept_out));
    }

    let input = EventInput {
        name: "전주 원정대".into(),
        region_code: "52110".into(),
        venue: "전주 한옥마을 공예품전시관".into(),
        date: "2026-12-20".into(),
        starts: "10:00".into(),
        ends: "12:00".into(),
        slot_minutes: "20".into(),
        breaks: String::new(),
        tables: "5".into(),
        meetings_per_merchant: "2".into(),
        applications_close: "2026-12-15".into(),
    };
    let (hanok, _, _, _) = &shops[0];
    assert!(matches!(
        expeditions
            .create(hanok, &Actor::user(hanok.id, None), &input)
            .await,
        Err(DiscoveryError::Forbidden)
    ));
    let event = expeditions.create(&staff, &by_staff, &input).await.unwrap();
    assert_eq!(event.slots().len(), 6);
    // Computing a timetable before anyone is invited names what is missing.
    assert_eq!(
        field(expeditions.schedule(&staff, &by_staff, event.id).await),
        "mds"
    );

    assert_eq!(
        field(
            expeditions
                .invite(&staff, &by_staff, event.id, "owner@hanok.kr", "coupang")
                .await
        ),
        "md_email"
    );
    expeditions
        .invite(&staff, &by_staff, event.id, "MD@coupang.kr", "coupang")
        .await
        .unwrap();
    expeditions
        .invite(&staff, &by_staff, event.id, "md@naver.kr", "naver")
        .await
        .unwrap();
    expeditions
        .answer(
            &coupang,
            &Actor::user(coupang.id, None),
            event.id,
            true,
            "전통주, 밀키트",
        )
        .await
        .unwrap();
    expeditions
        .answer(&naver, &Actor::user(naver.id, None), event.id, false, "")
        .await
        .unwrap();
    assert!(matches!(
        expeditions
            .answer(
                &stranger_md,
                &Actor::user(stranger_md.id, None),
                event.id,
                true,
                ""
            )
            .await,
        Err(DiscoveryError::NotFound)
    ));

    // Applications: pooled products only, up to three, before they close.
    for (owner, _, pooled, kept_out) in &shops {
        let by_owner = Actor::user(owner.id, None);
        assert_eq!(
            field(
                expeditions
                    .apply(owner, &by_owner, event.id, &[pooled.id.0, kept_out.id.0])
                    .await
            ),
            "product_ids"
        );
        assert_eq!(
            field(expeditions.apply(owner, &by_owner, event.id, &[]).await),
            "product_ids"
        );
        expeditions
            .apply(owner, &by_owner, event.id, &[pooled.id.0])
            .await
            .unwrap();
        expeditions
            .rank(owner, &by_owner, event.id, &[coupang.id.0])
            .await
            .unwrap();
    }
    assert_eq!(
        field(
            expeditions
                .rank(
                    hanok,
                    &Actor::user(hanok.id, None),
                    event.id,
                    &[stranger_md.id.0]
                )
                .await
        ),
        "md_ids"
    );
    let by_coupang = Actor::user(coupang.id, None);
    expeditions
        .mark(&coupang, &by_coupang, event.id, shops[1].1.id.0, "must")
        .await
        .unwrap();
    assert_eq!(
        field(
            expeditions
                .mark(&coupang, &by_coupang, event.id, shops[1].1.id.0, "maybe")
                .await
        ),
        "mark"
    );

    // Everyone sees their part only.
    let seen = expeditions.view(&coupang, event.id).await.unwrap();
    assert_eq!(
        seen.applications.len(),
        2,
        "an invited MD sees the applicants"
    );
    assert_eq!(
        seen.own_invitation.unwrap().attendance,
        Attendance::Confirmed
    );
    assert!(matches!(
        expeditions.view(&stranger_md, event.id).await,
        Err(DiscoveryError::NotFound)
    ));
    assert_eq!(
        expeditions
            .view(hanok, event.id)
            .await
            .unwrap()
            .applications
            .len(),
        1
    );
    assert!(expeditions.view(&officer, event.id).await.is_ok());
    assert!(matches!(
        expeditions.view(&seoul, event.id).await,
        Err(DiscoveryError::NotFound)
    ));
    assert_eq!(expeditions.list(&stranger_md).await.unwrap().len(), 0);
    assert_eq!(expeditions.list(&coupang).await.unwrap().len(), 1);

    // The timetable: the confirmed MD meets both shops, one table, no slot twice.
    let computed = expeditions
        .schedule(&staff, &by_staff, event.id)
        .await
        .unwrap();
    assert_eq!(computed.meetings.len(), 2);
    let meetings = store.meetings(event.id).await.unwrap();
    assert_eq!(meetings.len(), 2);
    assert!(meetings.iter().all(|m| m.md == coupang.id && m.table == 1));
    assert_ne!(meetings[0].slot, meetings[1].slot);
    // Marks close once the timetable is made; a late application is refused.
    assert_eq!(
        field(
            expeditions
                .mark(&coupang, &by_coupang, event.id, shops[0].1.id.0, "would")
                .await
        ),
        "event"
    );
    clock.advance_seconds(20 * 86_400);
    let (tteok_owner, _, tteok_product, _) = &shops[1];
    assert_eq!(
        field(
            expeditions
                .apply(
                    tteok_owner,
                    &Actor::user(tteok_owner.id, None),
                    event.id,
                    &[tteok_product.id.0]
                )
                .await
        ),
        "event"
    );

    // A hand move onto the MD's other meeting is refused; onto a free slot it is done.
    let (first, second) = (&meetings[0], &meetings[1]);
    assert_eq!(
        field(
            expeditions
                .move_meeting(&staff, &by_staff, first.id, &second.slot.to_string())
                .await
        ),
        "slot"
    );
    assert_eq!(
        field(
            expeditions
                .move_meeting(&staff, &by_staff, first.id, "99")
                .await
        ),
        "slot"
    );
    let free = (0..6u16)
        .find(|s| *s != first.slot && *s != second.slot)
        .unwrap();
    expeditions
        .move_meeting(&staff, &by_staff, first.id, &free.to_string())
        .await
        .unwrap();
    assert_eq!(store.meeting(first.id).await.unwrap().unwrap().slot, free);

    // Agendas: the MD has both, each shop its own, at Seoul times of the day.
    let (_, md_agenda) = expeditions.agenda(&coupang, event.id).await.unwrap();
    assert_eq!(md_agenda.len(), 2);
    let (_, shop_agenda) = expeditions.agenda(hanok, event.id).await.unwrap();
    assert_eq!(shop_agenda.len(), 1);
    assert!(shop_agenda[0].1.display_seoul().starts_with("2026-12-20 1"));

    // Outcomes: a pick names an applied product and is a real pick; the other did not come.
    let hanok_meeting = meetings
        .iter()
        .find(|m| m.merchant == shops[0].1.id)
        .unwrap();
    let tteok_meeting = meetings
        .iter()
        .find(|m| m.merchant == shops[1].1.id)
        .unwrap();
    assert_eq!(
        field(
            expeditions
                .record_outcome(
                    &coupang,
                    &by_coupang,
                    hanok_meeting.id,
                    "pick",
                    "좋아요",
                    Some(shops[0].3.id.0)
                )
                .await
        ),
        "product_id"
    );
    expeditions
        .record_outcome(
            &coupang,
            &by_coupang,
            hanok_meeting.id,
            "pick",
            "추석 기획전에 올려요",
            Some(shops[0].2.id.0),
        )
        .await
        .unwrap();
    expeditions
        .record_outcome(&coupang, &by_coupang, tteok_meeting.id, "no_show", "", None)
        .await
        .unwrap();
    assert!(matches!(
        expeditions
            .record_outcome(
                &naver,
                &Actor::user(naver.id, None),
                hanok_meeting.id,
                "not_now",
                "",
                None
            )
            .await,
        Err(DiscoveryError::NotFound)
    ));
    let kept = store.meeting(hanok_meeting.id).await.unwrap().unwrap();
    assert_eq!(kept.outcome, Some(Outcome::Pick));
    assert_eq!(kept.feedback, "추석 기획전에 올려요");
    let pick = store.pick(kept.pick.unwrap()).await.unwrap().unwrap();
    assert_eq!(
        (pick.product, pick.channel),
        (shops[0].2.id, Channel::Coupang)
    );

    // Staff check a shop in at the door; a shop that did not apply is refused by field.
    assert!(matches!(
        expeditions
            .check_in(&coupang, &by_coupang, event.id, shops[0].1.id.0)
            .await,
        Err(DiscoveryError::Forbidden)
    ));
    expeditions
        .check_in(&staff, &by_staff, event.id, shops[0].1.id.0)
        .await
        .unwrap();
    assert_eq!(
        field(
            expeditions
                .check_in(&staff, &by_staff, event.id, 999_999)
                .await
        ),
        "merchant_id"
    );
    let arrived = store.event_applications(event.id).await.unwrap();
    assert_eq!(arrived[0].checked_in_at, Some(clock.now()));
    assert_eq!(arrived[1].checked_in_at, None);

    // The report counts what happened; the shop that met Coupang counts as met for a year.
    let report = expeditions.report(&staff, event.id).await.unwrap();
    assert_eq!((report.meetings, report.held, report.no_shows), (2, 1, 1));
    assert_eq!(report.picks.len(), 1);
    assert_eq!(report.by_md.len(), 1);
    assert_eq!(report.by_md[0].3, 1, "one pick by the Coupang MD");
    assert!(matches!(
        expeditions.report(&coupang, event.id).await,
        Err(DiscoveryError::Forbidden)
    ));
    let met = store
        .met_since(recently_met_since(event.date))
        .await
        .unwrap();
    assert_eq!(met, [(shops[0].1.id, Channel::Coupang)]);
}
