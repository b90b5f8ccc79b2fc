//! Rounds (회차): quotas kept, one application per merchant, decisions stored once and in rank
//! order, a selected registered merchant marked.

use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::Store;

use super::{operator, shops};

/// Rounds: quotas kept, one application per merchant, decisions stored once, selected
/// merchants marked.
pub async fn rounds(store: &dyn Store) {
    use gachi_domain::merchants::diagnosis::Track;
    use gachi_domain::merchants::merchant::{MerchantFilter, MerchantStatus};
    use gachi_domain::program::rounds::{Applicant, Quotas, Reason, RoundStatus, select};

    let staff = operator(store).await;
    shops(store).await;
    let actor = Actor::system();
    let now = Timestamp::now();
    let quotas = Quotas {
        total: 2,
        by_sido: vec![(
            gachi_domain::kernel::region::RegionCode::parse("52", "s").unwrap(),
            1,
        )],
        by_track: vec![(Track::Managed, 5)],
    };
    let round = store
        .create_round(
            "2027 온라인 판로지원 1차",
            &quotas,
            staff.id,
            &actor.entry(now, "round.open", "", ""),
        )
        .await
        .unwrap();
    let stored = store.round(round.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.quotas.clone(), stored.status),
        (quotas.clone(), RoundStatus::Open)
    );
    assert_eq!(store.rounds().await.unwrap()[0].id, round.id);

    let registered: Vec<_> = store
        .list_merchants(
            &MerchantFilter {
                status: Some(MerchantStatus::Registered),
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    let prospects = store
        .list_merchants(&MerchantFilter::default(), None, 10)
        .await
        .unwrap();
    let mut applicants = Vec::new();
    for (i, m) in registered
        .iter()
        .chain(
            prospects
                .iter()
                .filter(|m| m.status == MerchantStatus::Prospect),
        )
        .take(3)
        .enumerate()
    {
        let applicant = Applicant {
            merchant: m.id,
            sido: m.region.sido(),
            track: Track::Managed,
            product_score: 60 + i as u32,
            online_score: 40,
            applied_at: now,
        };
        store
            .apply(
                round.id,
                &applicant,
                &actor.entry(now, "round.apply", "", ""),
            )
            .await
            .unwrap();
        applicants.push(applicant);
    }
    let again = store
        .apply(
            round.id,
            &applicants[0],
            &actor.entry(now, "round.apply", "", ""),
        )
        .await;
    assert!(matches!(
        again,
        Err(gachi_domain::ports::StoreError::Conflict("application"))
    ));
    let listed = store.applications(round.id).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|a| a.decision.is_none()));

    let decisions = select(&quotas, &applicants);
    store
        .record_decisions(
            round.id,
            &decisions,
            &actor.entry(now, "round.decide", "", ""),
        )
        .await
        .unwrap();
    let decided = store.applications(round.id).await.unwrap();
    assert_eq!(
        decided
            .iter()
            .map(|a| a.decision.as_ref().unwrap().rank)
            .collect::<Vec<_>>(),
        [1, 2, 3],
        "in rank order"
    );
    for d in &decisions {
        let stored = decided
            .iter()
            .find(|a| a.applicant.merchant == d.merchant)
            .unwrap();
        assert_eq!(stored.decision.as_ref(), Some(d));
        if let Reason::SidoFull(sido) = &d.reason {
            assert_eq!(sido, &stored.applicant.sido);
        }
    }
    let first = decisions.iter().find(|d| d.rank == 1).unwrap();
    let merchant = store.merchant(first.merchant).await.unwrap().unwrap();
    if registered.iter().any(|r| r.id == merchant.id) {
        assert_eq!(
            merchant.status,
            MerchantStatus::Selected,
            "a selected registered merchant is marked"
        );
    }
    assert_eq!(
        store.round(round.id).await.unwrap().unwrap().status,
        RoundStatus::Decided
    );
    let twice = store
        .record_decisions(
            round.id,
            &decisions,
            &actor.entry(now, "round.decide", "", ""),
        )
        .await;
    assert!(
        matches!(
            twice,
            Err(gachi_domain::ports::StoreError::Conflict("round"))
        ),
        "decided once"
    );
    assert_eq!(
        store.applications_of(first.merchant).await.unwrap()[0].round,
        round.id
    );
}
