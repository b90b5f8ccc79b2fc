//! Onboarding: the merchant × marketplace board (moves and their history, filters, days in a
//! stage, what an officer sees and may do) and the bulk jobs run over it (one per marketplace at
//! a time, progress, interrupted jobs).

use gachi_domain::accounts::Role;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::{Clock, Store};

use super::{ManualClock, operator, shops, user};

/// The onboarding board: cards move with their history, filters narrow them, the age filter
/// counts days in the stage, an officer sees only their region and a merchant only their own.
pub async fn onboarding(store: &dyn Store) {
    use gachi_domain::kernel::region::RegionCode;
    use gachi_domain::merchants::merchant::MerchantFilter;
    use gachi_domain::onboarding::{BoardFilter, Onboarding, OnboardingError, Stage};

    let clock = &ManualClock::new(Timestamp::now());
    let operator = operator(store).await;
    shops(store).await;
    // An officer of 종로구, where the first shop on the board is.
    user(store, "gov@jongno.go.kr", "localgov", "11110").await;
    let board = Onboarding { store, clock };
    let actor = Actor::user(operator.id, None);
    let merchants = store
        .list_merchants(&MerchantFilter::default(), None, 50)
        .await
        .unwrap();
    let first = &merchants[0];
    let elsewhere = merchants
        .iter()
        .find(|m| m.region.sido() != first.region.sido())
        .expect("the suite's merchants span two 시도");

    board
        .move_card(&operator, &actor, first.id, "naver", "preparing", "")
        .await
        .unwrap();
    clock.advance_seconds(3 * 86_400);
    board
        .move_card(&operator, &actor, first.id, "naver", "drafting", "")
        .await
        .unwrap();
    board
        .move_card(&operator, &actor, first.id, "naver", "drafting", "")
        .await
        .unwrap(); // the same stage again is not a move
    board
        .move_card(&operator, &actor, elsewhere.id, "coupang", "in_review", "")
        .await
        .unwrap();

    let all = board
        .board(&operator, BoardFilter::default())
        .await
        .unwrap();
    let card = all
        .iter()
        .find(|c| c.merchant == first.id && c.channel == Channel::Naver)
        .unwrap();
    assert_eq!(card.stage, Stage::Drafting);
    assert_eq!(
        card.moved_by.as_deref(),
        Some(operator.display_name.as_str())
    );
    assert!(
        card.started_at < card.entered_at,
        "started when first put on the board"
    );
    let moves = board.history(&operator, first.id).await.unwrap();
    let steps: Vec<_> = moves.iter().map(|m| (m.from, m.to)).collect();
    assert_eq!(
        steps,
        [
            (None, Stage::Preparing),
            (Some(Stage::Preparing), Stage::Drafting)
        ]
    );

    let by_stage = board
        .board(
            &operator,
            BoardFilter {
                stage: Some(Stage::InReview),
                ..BoardFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(by_stage.iter().all(|c| c.stage == Stage::InReview));
    assert!(by_stage.iter().any(|c| c.merchant == elsewhere.id));
    let by_region = board
        .board(
            &operator,
            BoardFilter {
                region: Some(first.region.sido()),
                ..BoardFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(
        by_region
            .iter()
            .all(|c| first.region.sido().contains(&c.region))
    );
    assert!(!by_region.iter().any(|c| c.merchant == elsewhere.id));

    clock.advance_seconds(2 * 86_400);
    let aged = |days| BoardFilter {
        min_age_days: Some(days),
        ..BoardFilter::default()
    };
    let old = board.board(&operator, aged(2)).await.unwrap();
    assert!(old.iter().any(|c| c.merchant == first.id));
    let older = board.board(&operator, aged(3)).await.unwrap();
    assert!(
        !older.iter().any(|c| c.merchant == first.id),
        "2 days in drafting, not 3"
    );

    // Nobody but staff moves cards; a bad stage or channel names its field.
    let refused = board
        .move_card(&operator, &actor, first.id, "wemakeprice", "sold", "")
        .await;
    let Err(OnboardingError::Invalid(errors)) = refused else {
        panic!("{refused:?}")
    };
    assert!(errors.for_field("channel").is_some() && errors.for_field("stage").is_some());
    let officer = store
        .list_users(Some(Role::LocalGov), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.region.as_ref().is_some_and(|r| r.contains(&first.region)))
        .expect("an officer of the first shop's region");
    let theirs = board.board(&officer, BoardFilter::default()).await.unwrap();
    assert!(!theirs.iter().any(|c| c.merchant == elsewhere.id));
    assert!(matches!(
        board
            .move_card(&officer, &actor, first.id, "naver", "selling", "")
            .await,
        Err(OnboardingError::Forbidden)
    ));
    let outside = board
        .board(
            &officer,
            BoardFilter {
                region: Some(RegionCode::parse(elsewhere.region.sido().as_str(), "r").unwrap()),
                ..BoardFilter::default()
            },
        )
        .await;
    assert!(matches!(outside, Err(OnboardingError::Forbidden)));
}

/// Bulk jobs: one runs per marketplace at a time, progress is kept, a finished job cannot move
/// again, and the jobs a stopped server left running are marked interrupted.
pub async fn bulk_jobs(store: &dyn Store) {
    use gachi_domain::onboarding::bulk_job::{JobKind, JobState, NewBulkJob};
    use gachi_domain::ports::StoreError;

    let clock = &ManualClock::new(Timestamp::now());
    let operator = operator(store).await;
    let actor = Actor::user(operator.id, None);
    let new = |kind, channel: Channel, total| NewBulkJob {
        kind,
        channel,
        total,
        started_by: operator.id,
        at: clock.now(),
    };
    let audit = |what: &str| actor.entry(clock.now(), "onboarding.bulk", "board", what);
    let naver = store
        .start_bulk_job(
            &new(JobKind::Validate, Channel::Naver, 3),
            &audit("validate naver"),
        )
        .await
        .unwrap();
    assert_eq!(
        (naver.state, naver.done, naver.total),
        (JobState::Running, 0, 3)
    );
    assert!(
        matches!(
            store
                .start_bulk_job(
                    &new(JobKind::Submit, Channel::Naver, 1),
                    &audit("submit naver")
                )
                .await,
            Err(StoreError::Conflict("channel"))
        ),
        "one job per marketplace at a time"
    );
    let coupang = store
        .start_bulk_job(
            &new(JobKind::Submit, Channel::Coupang, 2),
            &audit("submit coupang"),
        )
        .await
        .unwrap();
    store.bulk_job_progress(naver.id, 2, 1, 1).await.unwrap();
    let read = store.bulk_job(naver.id).await.unwrap().unwrap();
    assert_eq!(
        (read.done, read.passed, read.failed, read.percent()),
        (2, 1, 1, 66)
    );
    assert_eq!(read.kind, JobKind::Validate);
    clock.advance_seconds(5);
    store
        .finish_bulk_job(naver.id, JobState::Done, clock.now())
        .await
        .unwrap();
    assert!(
        matches!(
            store.bulk_job_progress(naver.id, 3, 1, 1).await,
            Err(StoreError::NotFound)
        ),
        "a finished job does not move"
    );
    let done = store.bulk_job(naver.id).await.unwrap().unwrap();
    assert_eq!(
        (done.state, done.finished_at),
        (JobState::Done, Some(clock.now()))
    );
    // The marketplace is free again.
    let again = store
        .start_bulk_job(
            &new(JobKind::Submit, Channel::Naver, 1),
            &audit("submit naver"),
        )
        .await
        .unwrap();
    let listed: Vec<i64> = store
        .bulk_jobs(Some(Channel::Naver), 10)
        .await
        .unwrap()
        .iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(listed, [again.id, naver.id], "newest first");
    let review = store
        .start_bulk_job(
            &new(JobKind::Review, Channel::ElevenSt, 4),
            &audit("review 11st"),
        )
        .await
        .unwrap();
    assert_eq!(
        store.bulk_job(review.id).await.unwrap().unwrap().kind,
        JobKind::Review
    );
    assert_eq!(store.bulk_jobs(None, 10).await.unwrap().len(), 4);
    assert_eq!(store.interrupt_bulk_jobs(clock.now()).await.unwrap(), 3);
    for id in [again.id, coupang.id, review.id] {
        let job = store.bulk_job(id).await.unwrap().unwrap();
        assert_eq!(job.state, JobState::Interrupted);
    }
    assert_eq!(store.bulk_job(9_999_999).await.unwrap(), None);
}
