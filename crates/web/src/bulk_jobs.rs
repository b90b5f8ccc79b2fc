//! Bulk jobs on the onboarding board, shared by the board page and the API: starting one over
//! the filtered cards of one marketplace (refused while another runs for it) and working
//! through the cards in the background — validate, submit, or ask how the marketplace's review
//! went — recording progress after each (see `gachi_domain::onboarding::bulk_job`).

use gachi_channels::submit::Submitter;
use gachi_domain::accounts::User;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::onboarding::bulk_job::{BulkJob, JobKind, JobState};
use gachi_domain::onboarding::{BulkScope, Card, OnboardingError, Stage};
use gachi_domain::ports::StoreError;

use crate::AppState;
use crate::markets::NoticeTables;
use crate::publish::Reviewed;

/// Starts a `kind` job for `channel` over the cards `user` (staff) sees in `scope` and runs it
/// in the background. `Ok(None)` when a job already runs for the marketplace.
pub async fn start(
    state: &AppState,
    user: &User,
    actor: Actor,
    kind: JobKind,
    channel: Channel,
    scope: &BulkScope,
) -> Result<Option<BulkJob>, OnboardingError> {
    let Some((job, cards)) = state
        .onboarding()
        .start_bulk_job(user, &actor, kind, channel.code(), scope)
        .await?
    else {
        return Ok(None);
    };
    tokio::spawn(run(
        state.clone(),
        user.clone(),
        actor,
        job.clone(),
        channel,
        cards,
    ));
    Ok(Some(job))
}

/// Works through a job's cards, recording progress after each, and finishes it (interrupted
/// when the store fails: the cards done so far stay done).
async fn run(
    state: AppState,
    user: User,
    actor: Actor,
    job: BulkJob,
    channel: Channel,
    cards: Vec<Card>,
) {
    let outcome = work(&state, &user, &actor, &job, channel, &cards).await;
    if let Err(error) = state
        .store()
        .finish_bulk_job(job.id, outcome, state.clock().now())
        .await
    {
        tracing::error!(job = job.id, %error, "bulk job not finished");
    }
}

/// The cards of `job`, one after the other; how the job ended.
async fn work(
    state: &AppState,
    user: &User,
    actor: &Actor,
    job: &BulkJob,
    channel: Channel,
    cards: &[Card],
) -> JobState {
    let stopped = |error: StoreError| {
        tracing::error!(job = job.id, %error, "bulk job stopped");
        JobState::Interrupted
    };
    // One client for the whole job, so the marketplace's pace holds across cards (and a shop's
    // Naver token serves all its products); the notice code tables, the same for every shop,
    // are read once.
    let submitter = Submitter::new(channel, crate::publish::config(state, channel));
    let tables = match job.kind {
        JobKind::Review => NoticeTables::default(),
        JobKind::Validate | JobKind::Submit => match crate::markets::notice_tables(state).await {
            Ok(tables) => tables,
            Err(error) => return stopped(error),
        },
    };
    let (mut done, mut passed, mut failed) = (0i64, 0i64, 0i64);
    for card in cards {
        let result = if job.kind == JobKind::Review {
            crate::publish::review_card(state, user, actor, card, &submitter)
                .await
                .map(|reviewed| match reviewed {
                    Reviewed::Moved => (1, 0),
                    Reviewed::Waiting => (0, 0),
                    Reviewed::NotAsked => (0, 1),
                })
        } else {
            bulk_card(state, user, actor, card, &submitter, &tables, job.kind).await
        };
        match result {
            Ok((p, f)) => {
                passed += p;
                failed += f;
            }
            Err(error) => return stopped(error),
        }
        done += 1;
        if let Err(error) = state
            .store()
            .bulk_job_progress(job.id, done, passed, failed)
            .await
        {
            tracing::error!(job = job.id, %error, "bulk job progress not recorded");
        }
    }
    JobState::Done
}

/// One card of a validate or submit job: (passed, failed). Validate counts the card; submit
/// counts the products sent.
async fn bulk_card(
    state: &AppState,
    user: &User,
    actor: &Actor,
    card: &Card,
    submitter: &Submitter,
    tables: &NoticeTables,
    kind: JobKind,
) -> Result<(i64, i64), StoreError> {
    let channel = submitter.channel();
    let products = state.store().products_of(card.merchant, 100).await?;
    if kind == JobKind::Submit {
        // Publishing checks each product (`gachi_channels::readiness`) and sends only a ready
        // one: nothing to check beforehand.
        let mut loaded = crate::markets::load_with(state, card.merchant, tables).await?;
        let (mut passed, mut failed) = (0, 0);
        // The marketplace's answers, to move the shop's card once for all its products.
        let mut answers = Vec::new();
        for product in &products {
            let published =
                crate::publish::publish_with(state, user, actor, product, submitter, &mut loaded)
                    .await?;
            let crate::publish::Published::Sent(sent) = published else {
                continue;
            };
            if matches!(
                sent.outcome,
                gachi_channels::submit::Outcome::Created { .. }
            ) {
                passed += 1;
            } else {
                failed += 1;
            }
            answers.push(sent.outcome.stage());
        }
        if let Some(stage) = Stage::after_answers(answers) {
            state
                .onboarding()
                .follow_marketplace(
                    user,
                    actor,
                    card.merchant,
                    channel.code(),
                    stage,
                    &format!("bulk submission of {passed} product(s)"),
                )
                .await?;
        }
        return Ok((passed, failed));
    }
    let mut context = crate::markets::load_with(state, card.merchant, tables)
        .await?
        .context;
    let mut any_ready = false;
    for product in &products {
        crate::markets::add_category_meta(state, &mut context, &product.file).await?;
        // Ready as the product page reckons it (common checks and the marketplace's rules).
        if gachi_channels::is_ready(&gachi_channels::readiness(channel, &product.file, &context)) {
            any_ready = true;
            break;
        }
    }
    if !any_ready {
        return Ok((0, 1));
    }
    if card.stage != Stage::Validated {
        match state
            .onboarding()
            .move_to(user, actor, card.merchant, channel.code(), Stage::Validated)
            .await
        {
            Ok(()) => {}
            Err(OnboardingError::Store(e)) => return Err(e),
            Err(other) => return Err(StoreError::Backend(other.to_string())),
        }
    }
    Ok((1, 0))
}
