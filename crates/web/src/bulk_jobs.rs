//! Bulk jobs on the onboarding board, shared by the board page and the API: starting one over
//! the filtered cards of one marketplace (refused while another runs for it) and working
//! through the cards in the background — validate, submit, or ask how the marketplace's review
//! went — recording progress after each (see `gachi_domain::bulk_job`).

use gachi_channels::Channel;
use gachi_channels::submit::Submitter;
use gachi_domain::accounts::User;
use gachi_domain::audit::Actor;
use gachi_domain::bulk_job::{BulkJob, JobKind, JobState, NewBulkJob};
use gachi_domain::onboarding::{BoardFilter, Card, OnboardingError, Stage};
use gachi_domain::ports::StoreError;

use crate::AppState;
use crate::publish::Reviewed;

/// Which cards of the marketplace a job covers, as the board filters them.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    pub region_code: Option<String>,
    pub track: Option<String>,
    pub min_age_days: Option<String>,
}

/// Starts a `kind` job for `channel` over the cards `user` (staff) sees in `scope` and runs it
/// in the background. `Ok(None)` when a job already runs for the marketplace.
pub async fn start(
    state: &AppState,
    user: &User,
    actor: Actor,
    kind: JobKind,
    channel: Channel,
    scope: &Scope,
) -> Result<Option<BulkJob>, OnboardingError> {
    if !user.role.is_staff() {
        return Err(OnboardingError::Forbidden);
    }
    let filter = BoardFilter::parse(
        scope.region_code.as_deref(),
        scope.track.as_deref(),
        Some(channel.code()),
        kind.stage().map(Stage::as_str),
        scope.min_age_days.as_deref(),
    )
    .map_err(OnboardingError::Invalid)?;
    let onboarding = state.onboarding();
    let cards: Vec<Card> = onboarding
        .board(user, filter)
        .await?
        .into_iter()
        // The board holds at most `onboarding::BOARD_LIMIT` cards, so a job does too.
        .filter(|c| kind.covers(c.stage))
        .collect();
    let now = state.clock().now();
    let new = NewBulkJob {
        kind,
        channel: channel.code().to_owned(),
        total: cards.len() as i64,
        started_by: user.id,
        at: now,
    };
    let audit = actor.entry(
        now,
        "onboarding.bulk",
        format!("channel:{}", channel.code()),
        format!("{} of {} cards", kind.as_str(), cards.len()),
    );
    let job = match state.store().start_bulk_job(&new, &audit).await {
        Ok(job) => job,
        Err(StoreError::Conflict(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
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
    let (mut done, mut passed, mut failed) = (0i64, 0i64, 0i64);
    let mut outcome = JobState::Done;
    // One client for the whole job, so the marketplace's pace holds across cards (and a shop's
    // Naver token serves all its products).
    let submitter = Submitter::new(channel, crate::publish::config(&state, channel));
    for card in &cards {
        let result = if job.kind == JobKind::Review {
            crate::publish::review_card(&state, &user, &actor, card, &submitter)
                .await
                .map(|reviewed| match reviewed {
                    Reviewed::Moved => (1, 0),
                    Reviewed::Waiting => (0, 0),
                    Reviewed::NotAsked => (0, 1),
                })
        } else {
            bulk_card(&state, &user, &actor, card, &submitter, job.kind).await
        };
        match result {
            Ok((p, f)) => {
                passed += p;
                failed += f;
            }
            Err(error) => {
                tracing::error!(job = job.id, %error, "bulk job stopped");
                outcome = JobState::Interrupted;
                break;
            }
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
    if let Err(error) = state
        .store()
        .finish_bulk_job(job.id, outcome, state.clock().now())
        .await
    {
        tracing::error!(job = job.id, %error, "bulk job not finished");
    }
}

/// One card of a validate or submit job: (passed, failed). Validate counts the card; submit
/// counts the products sent.
async fn bulk_card(
    state: &AppState,
    user: &User,
    actor: &Actor,
    card: &Card,
    submitter: &Submitter,
    kind: JobKind,
) -> Result<(i64, i64), StoreError> {
    let channel = submitter.channel();
    let products = state.store().products_of(card.merchant, 100).await?;
    if kind == JobKind::Submit {
        // Publishing compiles each product first and sends only what the marketplace would
        // accept: nothing to check beforehand.
        let mut loaded = crate::markets::load(state, card.merchant).await?;
        let (mut passed, mut failed) = (0, 0);
        for product in &products {
            match crate::publish::publish_with(state, user, actor, product, submitter, &mut loaded)
                .await?
            {
                crate::publish::Published::NotReady(_) => {}
                crate::publish::Published::Sent(sent)
                    if matches!(
                        sent.outcome,
                        gachi_channels::submit::Outcome::Created { .. }
                    ) =>
                {
                    passed += 1
                }
                crate::publish::Published::Sent(_) => failed += 1,
            }
        }
        return Ok((passed, failed));
    }
    let mut context = crate::markets::load(state, card.merchant).await?.context;
    let mut any_ready = false;
    for product in &products {
        crate::markets::add_category_meta(state, &mut context, &product.file).await?;
        let issues = gachi_channels::validate(channel, &product.file, &context);
        if issues.iter().all(|i| i.warning) {
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
            .move_card(
                user,
                actor,
                card.merchant,
                channel.code(),
                Stage::Validated.as_str(),
            )
            .await
        {
            Ok(_) | Err(OnboardingError::Invalid(_)) => {}
            Err(OnboardingError::Store(e)) => return Err(e),
            Err(other) => return Err(StoreError::Backend(other.to_string())),
        }
    }
    Ok((1, 0))
}
