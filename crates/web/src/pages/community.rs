//! 가치삽시다 2.0 in the browser: the community page (search across questions and know-how,
//! filtered by topic and marketplace, and — reached from a readiness or marketplace error — the
//! answers that solved that error with "물어보기" prefilled); asking, with similar questions shown
//! while the title is typed; a question's page with answers, votes and acceptance; articles
//! (writing a draft, review, publishing, "도움이 됐어요"). Reading needs no sign-in.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gachi_domain::accounts::UserId;
use gachi_domain::community::search::PostQuery;
use gachi_domain::community::text::excerpt;
use gachi_domain::community::{
    ArticleInput, ArticleStatus, CommunityError, Post, QuestionInput, QuestionView, Topic,
};
use gachi_domain::kernel::channel::Channel;

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Shell, done_note, form_value, render, see_other, with_query};
use crate::photos::{self, PhotoError, PostedForm};
use gachi_domain::catalog::media::ImageError;

/// A post in a list.
pub struct PostRow {
    pub kind: &'static str,
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub topic: String,
    pub channel: String,
    pub solved: bool,
    pub answers: u32,
    pub author: String,
}

fn topic_name(t: Tr, topic: Topic) -> String {
    t.get(&format!("community-topic-{}", topic.code()))
}

fn channel_name(t: Tr, channel: Option<Channel>) -> String {
    channel
        .map(|c| t.get(&format!("channel-{}", c.code())))
        .unwrap_or_default()
}

fn post_row(t: Tr, post: &Post) -> PostRow {
    match post {
        Post::Question(q) => PostRow {
            kind: "question",
            url: format!("/community/questions/{}", q.id),
            title: q.title.clone(),
            excerpt: excerpt(&q.body, 90),
            topic: topic_name(t, q.topic),
            channel: channel_name(t, q.channel),
            solved: q.solved_at.is_some(),
            answers: q.answers,
            author: q.author_name.clone(),
        },
        Post::Article(a) => PostRow {
            kind: "article",
            url: format!("/community/articles/{}", a.id),
            title: a.title.clone(),
            excerpt: excerpt(&a.body, 90),
            topic: topic_name(t, a.topic),
            channel: channel_name(t, a.channel),
            solved: true,
            answers: 0,
            author: a.author_name.clone(),
        },
    }
}

/// An error code in words, as the readiness list says it, with `…` where the message names a
/// particular setting, limit or marketplace (those differ from shop to shop).
fn error_words(t: Tr, code: &str) -> String {
    t.args(
        code,
        &[
            ("detail", "…".to_owned()),
            ("limit", "…".to_owned()),
            ("channel", "…".to_owned()),
        ],
    )
}

fn topics(t: Tr, chosen: &str) -> Vec<(&'static str, String, bool)> {
    Topic::ALL
        .into_iter()
        .map(|c| (c.code(), topic_name(t, c), c.code() == chosen))
        .collect()
}

fn channels(t: Tr, chosen: &str) -> Vec<(&'static str, String, bool)> {
    Channel::ALL
        .into_iter()
        .map(|c| {
            (
                c.code(),
                t.get(&format!("channel-{}", c.code())),
                c.code() == chosen,
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "community.html")]
struct CommunityPage {
    page: Shell,
    q: String,
    error_code: String,
    /// The error's words, when the page was reached from one.
    error_text: String,
    topics: Vec<(&'static str, String, bool)>,
    channels: Vec<(&'static str, String, bool)>,
    posts: Vec<PostRow>,
    total: u64,
    /// False when `total` is a lower bound ("1,000건 이상").
    total_exact: bool,
    ask_url: String,
    signed_in: bool,
    /// Articles waiting for the reader (their drafts; staff: those in review).
    drafts: Vec<PostRow>,
    /// The reader's choice about routed questions (signed in only).
    helping: Option<gachi_domain::community::Helping>,
    alert: Option<String>,
    staff: bool,
}

/// The community: search, or the newest questions; from an error, the answers that solved it.
pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = ctx.t;
    let value = |name: &str| form_value(&pairs, name).trim().to_owned();
    let (q, topic, channel, error_code) =
        (value("q"), value("topic"), value("channel"), value("error"));
    let community = state.community();
    let parsed_channel = Channel::parse(&channel);
    let query = PostQuery {
        text: q.clone(),
        kind: None,
        topic: Topic::parse(&topic).map(|c| c.code().to_owned()),
        channel: parsed_channel,
        error_code: (!error_code.is_empty()).then(|| error_code.clone()),
        solved_only: !error_code.is_empty(),
        offset: 0,
        limit: 30,
        without_total: false,
    };
    let found = if error_code.is_empty() {
        community.search(&query).await
    } else {
        community
            .help_for(parsed_channel, &error_code, 10)
            .await
            .map(|items| gachi_domain::community::Posts {
                total: items.len() as u64,
                total_exact: true,
                items,
            })
    }
    .map_err(|e| ctx.fail(e))?;
    let helping = match &ctx.user {
        Some(user) => Some(community.helping(user).await.map_err(|e| ctx.fail(e))?),
        None => None,
    };
    let alert = done_note(&ctx, "community-done-", &["helping"]);
    let drafts = match &ctx.user {
        Some(user) => community
            .articles(Some(user))
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .filter(|a| a.status != ArticleStatus::Published)
            .map(|a| post_row(t, &Post::Article(a)))
            .collect(),
        None => Vec::new(),
    };
    let ask_url = with_query(
        "/community/ask",
        &[
            ("topic", Topic::parse(&topic).map(|c| c.code())),
            ("channel", parsed_channel.map(|c| c.code())),
            ("error", Some(error_code.as_str())),
        ],
    );
    let error_text = if error_code.is_empty() {
        String::new()
    } else {
        error_words(t, &error_code)
    };
    Ok(render(
        StatusCode::OK,
        &CommunityPage {
            page: Shell::new(&ctx),
            topics: topics(t, &topic),
            channels: channels(t, &channel),
            posts: found.items.iter().map(|p| post_row(t, p)).collect(),
            total: found.total,
            total_exact: found.total_exact,
            ask_url,
            signed_in: ctx.user.is_some(),
            q,
            error_code,
            error_text,
            drafts,
            helping,
            alert,
            staff: ctx.user.as_ref().is_some_and(|u| u.role.is_staff()),
        },
    ))
}

/// Opts in to (or out of) routed questions.
pub async fn helping_act(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let on = |name: &str| !form_value(&pairs, name).is_empty();
    state
        .community()
        .set_helping(
            user,
            &ctx.actor(),
            gachi_domain::community::Helping {
                opted_in: on("opted_in"),
                nearby: on("opted_in") && on("nearby"),
                digest: on("digest"),
            },
        )
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(see_other(&ctx, "/community?done=helping"))
}

/// One notification as the list shows it.
pub struct NotificationRow {
    pub text: String,
    pub url: String,
    pub when: String,
    pub unread: bool,
}

/// A notification in the reader's language, with the path to what it is about (the bell's list
/// and the daily digest mail).
pub fn notification_row(t: Tr, n: &gachi_domain::community::Notification) -> NotificationRow {
    NotificationRow {
        text: t.args(
            &format!("notification-{}", n.kind.code()),
            &[
                ("who", n.actor_name.clone()),
                ("title", n.question_title.clone()),
            ],
        ),
        url: match n.answer {
            Some(a) => format!("/community/questions/{}#answer-{a}", n.question),
            None => format!("/community/questions/{}", n.question),
        },
        when: n.created_at.display_seoul(),
        unread: n.read_at.is_none(),
    }
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    page: Shell,
    /// Matching proposals waiting for the reader's answer: they stay until answered.
    to_answer: Vec<NotificationRow>,
    rows: Vec<NotificationRow>,
}

/// The matching proposals waiting for `user`'s answer, as rows pointing at where they are
/// answered.
async fn proposals_to_answer(
    state: &AppState,
    ctx: &Ctx,
    user: &gachi_domain::accounts::User,
) -> Result<Vec<NotificationRow>, PageError> {
    let proposals = state
        .proposals()
        .awaiting(user)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(proposals
        .iter()
        .map(|p| NotificationRow {
            text: ctx.t.args(
                "notification-proposal",
                &[
                    ("shop", p.merchant_name.clone()),
                    ("designer", p.designer_name.clone()),
                ],
            ),
            url: format!("/delegations#proposal-{}", p.id),
            when: p.proposed_at.display_seoul(),
            unread: true,
        })
        .collect())
}

/// The reader's notifications; opening the page marks them read.
pub async fn notifications(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let t = ctx.t;
    let community = state.community();
    let (items, _) = community
        .notifications(user)
        .await
        .map_err(|e| ctx.fail(e))?;
    community.mark_read(user).await.map_err(|e| ctx.fail(e))?;
    let rows = items.iter().map(|n| notification_row(t, n)).collect();
    let to_answer = proposals_to_answer(&state, &ctx, user).await?;
    Ok(render(
        StatusCode::OK,
        &NotificationsPage {
            page: Shell::new(&ctx),
            to_answer,
            rows,
        },
    ))
}

/// The bell's count, as a fragment the header loads (empty when nothing is unread): unread
/// notifications and matching proposals waiting for an answer.
pub async fn badge(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let unread = match &ctx.user {
        Some(user) => {
            let unread = state
                .community()
                .unread(user)
                .await
                .map_err(|e| ctx.fail(e))?;
            let proposals = state
                .proposals()
                .awaiting(user)
                .await
                .map_err(|e| ctx.fail(e))?;
            unread + proposals.len() as u32
        }
        None => 0,
    };
    let html = if unread == 0 {
        String::from("<span></span>")
    } else {
        format!("<span class=\"badge\" data-testid=\"bell-count\">{unread}</span>")
    };
    Ok((StatusCode::OK, axum::response::Html(html)).into_response())
}

#[derive(Template)]
#[template(path = "community_ask.html")]
struct AskPage {
    page: Shell,
    title: String,
    body: String,
    error_code: String,
    error_text: String,
    topics: Vec<(&'static str, String, bool)>,
    channels: Vec<(&'static str, String, bool)>,
    errors: Vec<(String, String)>,
}

impl AskPage {
    fn error_of(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, m)| m.as_str())
    }
}

fn ask_page(ctx: &Ctx, input: &QuestionInput, errors: Vec<(String, String)>) -> AskPage {
    let t = ctx.t;
    let mut body = input.body.clone();
    if body.is_empty() && !input.error_code.is_empty() {
        // Started from an error: the error's words, the marketplace, nothing private.
        body = t.args(
            "community-ask-from-error",
            &[
                ("message", error_words(t, &input.error_code)),
                ("market", channel_name(t, Channel::parse(&input.channel))),
            ],
        );
    }
    AskPage {
        page: Shell::new(ctx),
        title: input.title.clone(),
        body,
        error_text: if input.error_code.is_empty() {
            String::new()
        } else {
            error_words(t, &input.error_code)
        },
        error_code: input.error_code.clone(),
        topics: topics(t, &input.topic),
        channels: channels(t, &input.channel),
        errors,
    }
}

/// The question form; from an error it comes filled with the error, the marketplace and a topic.
pub async fn ask_form(
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    ctx.require_user()?;
    let error_code = form_value(&pairs, "error");
    let topic = match form_value(&pairs, "topic") {
        t if !t.is_empty() => t,
        _ if !error_code.is_empty() => Topic::of_error(&error_code).code().to_owned(),
        _ => String::new(),
    };
    let input = QuestionInput {
        title: String::new(),
        body: String::new(),
        topic,
        channel: form_value(&pairs, "channel"),
        error_code,
    };
    Ok(render(StatusCode::OK, &ask_page(&ctx, &input, Vec::new())))
}

/// Asks; the question page says when personal data was masked.
pub async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    form: PostedForm,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let pairs = &form.pairs;
    let input = QuestionInput {
        title: form_value(pairs, "title"),
        body: form_value(pairs, "body"),
        topic: form_value(pairs, "topic"),
        channel: form_value(pairs, "channel"),
        error_code: form_value(pairs, "error_code"),
    };
    let asked = match with_attached_photo(&state, &ctx, &input.body, form.photo).await {
        Ok(body) => {
            let input = QuestionInput {
                body,
                ..input.clone()
            };
            state.community().ask(user, &ctx.actor(), &input).await
        }
        Err(e) => Err(e),
    };
    match asked {
        Ok((question, masked)) => Ok(see_other(
            &ctx,
            &format!(
                "/community/questions/{}{}",
                question.id,
                if masked { "?done=masked" } else { "" }
            ),
        )),
        Err(CommunityError::Invalid(errors)) => {
            let messages = errors
                .0
                .iter()
                .map(|e| (e.field.clone(), ctx.t.get(e.code)))
                .collect();
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ask_page(&ctx, &input, messages),
            ))
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "community_similar.html")]
struct SimilarFragment {
    page: Shell,
    posts: Vec<PostRow>,
}

/// Questions and articles like the title being typed (an htmx fragment).
pub async fn similar(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let posts = state
        .community()
        .similar(&form_value(&pairs, "title"))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(
        StatusCode::OK,
        &SimilarFragment {
            page: Shell::new(&ctx),
            posts: posts.iter().map(|p| post_row(ctx.t, p)).collect(),
        },
    ))
}

/// An answer as the page shows it.
pub struct AnswerRow {
    pub id: i64,
    pub author: String,
    pub html: String,
    pub score: i64,
    pub accepted: bool,
    pub when: String,
    pub my_vote: i8,
    pub own: bool,
    pub author_reputation: i64,
    /// The author is a regular (or staff).
    pub author_regular: bool,
    /// The author's badges (첫 답변, 해결사 10, 명예의 전당 멘토), translated.
    pub author_badges: Vec<String>,
    pub hidden: bool,
    pub author_id: i64,
}

#[derive(Template)]
#[template(path = "community_question.html")]
pub struct QuestionPage {
    page: Shell,
    id: i64,
    title: String,
    description: String,
    html: String,
    author: String,
    when: String,
    topic: String,
    channel: String,
    error_code: String,
    error_text: String,
    solved: bool,
    closed: bool,
    edited: bool,
    answers: Vec<AnswerRow>,
    may_answer: bool,
    may_accept: bool,
    signed_in: bool,
    alert: Option<String>,
    errors: Vec<String>,
    /// Show the errors at the answer form (they are about the answer, and the form is there).
    errors_at_answer: bool,
    draft: String,
    /// Solved questions and articles about the same error, for the next reader.
    related: Vec<PostRow>,
    /// How many owners who solved the same problem were asked to answer.
    invited: usize,
    /// The asker (or staff) may ask them now instead of waiting.
    may_route: bool,
    /// The reader wrote the question (no flag on one's own post).
    own: bool,
    author_id: i64,
    staff: bool,
    hidden: bool,
    /// (code, label) of the flag reasons.
    flag_reasons: Vec<(&'static str, String)>,
}

async fn question_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    alert: Option<String>,
    errors: Vec<String>,
    draft: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = ctx.t;
    let community = state.community();
    let view = community
        .question(ctx.user.as_ref(), id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let q = &view.question;
    // One standing per author, however many answers they wrote here.
    let mut standings = BTreeMap::new();
    let authors: std::collections::BTreeSet<_> = view.answers.iter().map(|a| a.author).collect();
    for author in authors {
        let standing = community.standing(author).await.map_err(|e| ctx.fail(e))?;
        standings.insert(
            author,
            AuthorStanding {
                reputation: standing.reputation,
                regular: standing.trust >= gachi_domain::community::TrustLevel::Regular,
                badges: standing.badges.iter().map(|key| t.get(key)).collect(),
            },
        );
    }
    let related = if q.error_code.is_empty() {
        Vec::new()
    } else {
        community
            .help_for(q.channel, &q.error_code, 5)
            .await
            .map_err(|e| ctx.fail(e))?
            .iter()
            .filter(|p| !matches!(p, Post::Question(other) if other.id == q.id))
            .map(|p| post_row(t, p))
            .collect()
    };
    let extras = ThreadExtras {
        standings,
        related,
        alert,
        errors,
        // Only a refused answer comes back with its text.
        errors_at_answer: !draft.trim().is_empty(),
        draft,
    };
    Ok(render(status, &question_template(ctx, &view, extras)))
}

/// An answer author's standing as the page shows it.
pub struct AuthorStanding {
    pub reputation: i64,
    pub regular: bool,
    /// Badge names, translated.
    pub badges: Vec<String>,
}

/// What the question page shows besides the thread itself, loaded by its handler.
pub struct ThreadExtras {
    /// Each answer author's standing.
    pub standings: BTreeMap<UserId, AuthorStanding>,
    /// Solved questions and articles about the same error.
    pub related: Vec<PostRow>,
    pub alert: Option<String>,
    pub errors: Vec<String>,
    /// The errors are about the answer being posted: shown at its form.
    pub errors_at_answer: bool,
    /// The answer being typed, kept after an error.
    pub draft: String,
}

/// The question page for a loaded thread: no I/O, so rendering it is measured on its own (the
/// community benchmark compares it with serializing the same thread). Bodies are the HTML
/// cooked when each post was written.
pub fn question_template(ctx: &Ctx, view: &QuestionView, extras: ThreadExtras) -> QuestionPage {
    let t = ctx.t;
    let q = &view.question;
    let ThreadExtras {
        standings,
        related,
        alert,
        errors,
        errors_at_answer,
        draft,
    } = extras;
    let answers = view
        .answers
        .iter()
        .map(|a| AnswerRow {
            id: a.id,
            author: a.author_name.clone(),
            html: a.html().into_owned(),
            score: a.score,
            accepted: a.accepted_at.is_some(),
            when: a.created_at.display_seoul(),
            my_vote: view
                .my_votes
                .iter()
                .find(|(x, _)| *x == a.id)
                .map_or(0, |(_, v)| *v),
            own: ctx.user.as_ref().is_some_and(|u| u.id == a.author),
            author_reputation: standings.get(&a.author).map_or(1, |s| s.reputation),
            author_regular: standings.get(&a.author).is_some_and(|s| s.regular),
            author_badges: standings
                .get(&a.author)
                .map(|s| s.badges.clone())
                .unwrap_or_default(),
            hidden: a.hidden_at.is_some(),
            author_id: a.author.0,
        })
        .collect();
    QuestionPage {
        page: Shell::new(ctx),
        id: q.id,
        title: q.title.clone(),
        description: excerpt(&q.body, 150),
        html: q.html().into_owned(),
        author: q.author_name.clone(),
        when: q.created_at.display_seoul(),
        topic: topic_name(t, q.topic),
        channel: channel_name(t, q.channel),
        error_text: if q.error_code.is_empty() {
            String::new()
        } else {
            error_words(t, &q.error_code)
        },
        error_code: q.error_code.clone(),
        solved: q.solved_at.is_some(),
        closed: view.closed,
        edited: q.edited_at.is_some(),
        answers,
        may_answer: view.may_answer,
        may_accept: view.may_accept,
        signed_in: ctx.user.is_some(),
        alert,
        errors,
        errors_at_answer: errors_at_answer && view.may_answer,
        draft,
        related,
        may_route: view.may_route,
        invited: view.invited,
        own: ctx.user.as_ref().is_some_and(|u| u.id == q.author),
        author_id: q.author.0,
        staff: ctx.user.as_ref().is_some_and(|u| u.role.is_staff()),
        hidden: q.hidden_at.is_some(),
        flag_reasons: gachi_domain::community::FlagReason::ALL
            .into_iter()
            .map(|r| (r.code(), t.get(&format!("community-flag-{}", r.code()))))
            .collect(),
    }
}

const QUESTION_DONE: [&str; 11] = [
    "suspended",
    "flagged",
    "moderated-hidden",
    "moderated-kept",
    "masked",
    "answered",
    "voted",
    "accepted",
    "answered-masked",
    "routed",
    "routed-none",
];

/// A question's page (public).
pub async fn question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let alert = done_note(&ctx, "community-done-", &QUESTION_DONE);
    question_page(
        &state,
        &ctx,
        id,
        alert,
        Vec::new(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

/// Answers, votes, accepts or hides, by `action`.
pub async fn question_act(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: PostedForm,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let pairs = form.pairs;
    let value = |name: &str| form_value(&pairs, name);
    let answer_id = value("answer_id").trim().parse::<i64>().unwrap_or(0);
    let community = state.community();
    let actor = ctx.actor();
    let result = match value("action").as_str() {
        "answer" => match with_attached_photo(&state, &ctx, &value("body"), form.photo).await {
            Ok(body) => community.answer(&user, &actor, id, &body).await,
            Err(e) => Err(e),
        }
        .map(|(_, masked)| {
            if masked {
                "answered-masked"
            } else {
                "answered"
            }
        }),
        "vote" => community
            .vote(&user, answer_id, value("value").trim().parse().unwrap_or(0))
            .await
            .map(|()| "voted"),
        "accept" => community
            .accept(&user, &actor, answer_id)
            .await
            .map(|()| "accepted"),
        "route" => community
            .route_now(&user, &actor, id)
            .await
            .map(|n| if n == 0 { "routed-none" } else { "routed" }),
        "flag" => community
            .flag(
                &user,
                &actor,
                id,
                (answer_id != 0).then_some(answer_id),
                &value("reason"),
                &value("note"),
            )
            .await
            .map(|()| "flagged"),
        "suspend" => community
            .suspend(
                &user,
                &actor,
                gachi_domain::accounts::UserId(value("user_id").trim().parse().unwrap_or(0)),
                value("days").trim().parse().unwrap_or(0),
                &value("reason"),
            )
            .await
            .map(|_| "suspended"),
        "moderate" => {
            let hide = value("decision") == "hide";
            community
                .moderate(
                    &user,
                    &actor,
                    id,
                    (answer_id != 0).then_some(answer_id),
                    hide,
                    &value("reason"),
                )
                .await
                .map(|()| {
                    if hide {
                        "moderated-hidden"
                    } else {
                        "moderated-kept"
                    }
                })
        }
        "hide" => {
            return match community
                .hide_question(&user, &actor, id, &value("reason"))
                .await
            {
                Ok(()) => Ok(see_other(&ctx, "/community")),
                Err(e) => Err(ctx.fail(e)),
            };
        }
        _ => Err(CommunityError::Invalid(
            gachi_domain::FieldError::new("action", "error-event-action").into(),
        )),
    };
    match result {
        Ok(done) => Ok(see_other(
            &ctx,
            &format!("/community/questions/{id}?done={done}"),
        )),
        Err(CommunityError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            question_page(
                &state,
                &ctx,
                id,
                None,
                messages,
                value("body"),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "community_article.html")]
struct ArticlePage {
    page: Shell,
    id: i64,
    title: String,
    description: String,
    html: String,
    author: String,
    topic: String,
    channel: String,
    status_code: &'static str,
    status: String,
    version: u32,
    reads: i64,
    helpful: i64,
    published: String,
    may_submit: bool,
    may_review: bool,
    may_mark_helpful: bool,
    alert: Option<String>,
    errors: Vec<String>,
}

const ARTICLE_DONE: [&str; 5] = ["saved", "submitted", "published", "returned", "helpful"];

async fn article_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    alert: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = ctx.t;
    let article = state
        .community()
        .article(ctx.user.as_ref(), id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let user = ctx.user.as_ref();
    let staff = user.is_some_and(|u| u.role.is_staff());
    let own = user.is_some_and(|u| u.id == article.author);
    Ok(render(
        status,
        &ArticlePage {
            page: Shell::new(ctx),
            id: article.id,
            title: article.title.clone(),
            description: excerpt(&article.body, 150),
            html: article.html().into_owned(),
            author: article.author_name.clone(),
            topic: topic_name(t, article.topic),
            channel: channel_name(t, article.channel),
            status_code: article.status.code(),
            status: t.get(&format!("community-article-{}", article.status.code())),
            version: article.version,
            reads: article.reads,
            helpful: article.helpful,
            published: article
                .published_at
                .map(|p| p.display_seoul())
                .unwrap_or_default(),
            may_submit: own && article.status == ArticleStatus::Draft,
            may_review: staff
                && (article.status == ArticleStatus::InReview
                    || (own && article.status == ArticleStatus::Draft)),
            may_mark_helpful: user.is_some() && !own && article.status == ArticleStatus::Published,
            alert,
            errors,
        },
    ))
}

/// An article's page (published: public).
pub async fn article(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let alert = done_note(&ctx, "community-done-", &ARTICLE_DONE);
    article_page(&state, &ctx, id, alert, Vec::new(), StatusCode::OK).await
}

/// Submits, publishes, returns or marks helpful, by `action`.
pub async fn article_act(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let community = state.community();
    let actor = ctx.actor();
    let result = match form_value(&pairs, "action").as_str() {
        "submit" => community
            .submit_article(&user, &actor, id)
            .await
            .map(|()| "submitted"),
        "publish" => community
            .review_article(&user, &actor, id, true)
            .await
            .map(|()| "published"),
        "return" => community
            .review_article(&user, &actor, id, false)
            .await
            .map(|()| "returned"),
        "helpful" => community.helpful(&user, id).await.map(|()| "helpful"),
        _ => Err(CommunityError::Invalid(
            gachi_domain::FieldError::new("action", "error-event-action").into(),
        )),
    };
    match result {
        Ok(done) => Ok(see_other(
            &ctx,
            &format!("/community/articles/{id}?done={done}"),
        )),
        Err(CommunityError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            article_page(
                &state,
                &ctx,
                id,
                None,
                messages,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "community_write.html")]
struct WritePage {
    page: Shell,
    title: String,
    body: String,
    error_code: String,
    topics: Vec<(&'static str, String, bool)>,
    channels: Vec<(&'static str, String, bool)>,
    errors: Vec<(String, String)>,
}

impl WritePage {
    fn error_of(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, m)| m.as_str())
    }
}

fn write_page(ctx: &Ctx, input: &ArticleInput, errors: Vec<(String, String)>) -> WritePage {
    WritePage {
        page: Shell::new(ctx),
        title: input.title.clone(),
        body: input.body.clone(),
        error_code: input.error_code.clone(),
        topics: topics(ctx.t, &input.topic),
        channels: channels(ctx.t, &input.channel),
        errors,
    }
}

/// The article form.
pub async fn write_form(ctx: Ctx) -> Result<Response, PageError> {
    ctx.require_user()?;
    Ok(render(
        StatusCode::OK,
        &write_page(&ctx, &ArticleInput::default(), Vec::new()),
    ))
}

/// Saves a draft article.
pub async fn write(
    State(state): State<AppState>,
    ctx: Ctx,
    form: PostedForm,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let pairs = &form.pairs;
    let input = ArticleInput {
        title: form_value(pairs, "title"),
        body: form_value(pairs, "body"),
        topic: form_value(pairs, "topic"),
        channel: form_value(pairs, "channel"),
        error_code: form_value(pairs, "error_code"),
    };
    let written = match with_attached_photo(&state, &ctx, &input.body, form.photo).await {
        Ok(body) => {
            let input = ArticleInput {
                body,
                ..input.clone()
            };
            state
                .community()
                .write_article(user, &ctx.actor(), &input)
                .await
        }
        Err(e) => Err(e),
    };
    match written {
        Ok((article, _)) => Ok(see_other(
            &ctx,
            &format!("/community/articles/{}?done=saved", article.id),
        )),
        Err(CommunityError::Invalid(errors)) => {
            let messages = errors
                .0
                .iter()
                .map(|e| (e.field.clone(), ctx.t.get(e.code)))
                .collect();
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &write_page(&ctx, &input, messages),
            ))
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// `body` with the photo sent along (if any) added on a line of its own as Markdown, once the
/// author may add photos and the file is a photo Gachi keeps; refused by the `photo` field.
async fn with_attached_photo(
    state: &AppState,
    ctx: &Ctx,
    body: &str,
    photo: Option<Result<Vec<u8>, ImageError>>,
) -> Result<String, CommunityError> {
    let Some(photo) = photo else {
        return Ok(body.to_owned());
    };
    let user = ctx.user.as_ref().ok_or(CommunityError::Forbidden)?;
    state.community().may_add_photos(user).await?;
    let refused = |e: ImageError| {
        CommunityError::Invalid(gachi_domain::FieldError::new("photo", e.code()).into())
    };
    let stored = match photos::store_upload(state, photo.map_err(refused)?).await {
        Ok(stored) => stored,
        Err(PhotoError::Refused(e)) => return Err(refused(e)),
        Err(PhotoError::Store(e)) => return Err(CommunityError::Store(e)),
    };
    Ok(format!(
        "{}\n\n![{}]({})",
        body.trim_end(),
        ctx.t.get("community-photo-alt"),
        stored.url
    ))
}

/// The community's answers about an error on a marketplace (for readiness rows).
pub fn help_link(channel: Channel, error_code: &str) -> String {
    with_query(
        "/community",
        &[
            ("channel", Some(channel.code())),
            ("error", Some(error_code)),
        ],
    )
}

/// A flagged post in the review queue.
pub struct FlagRow {
    pub question: i64,
    pub answer: i64,
    pub url: String,
    pub title: String,
    pub excerpt: String,
    pub author: String,
    pub hidden: bool,
    pub reasons: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "community_flags.html")]
struct FlagsPage {
    page: Shell,
    rows: Vec<FlagRow>,
}

/// The staff's review queue of flagged posts.
pub async fn flags(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let user = ctx.require_user()?;
    let t = ctx.t;
    let posts = state
        .community()
        .flagged(user)
        .await
        .map_err(|e| ctx.fail(e))?;
    let rows = posts
        .iter()
        .map(|p| FlagRow {
            question: p.question,
            answer: p.answer.unwrap_or(0),
            url: match p.answer {
                Some(a) => format!("/community/questions/{}#answer-{a}", p.question),
                None => format!("/community/questions/{}", p.question),
            },
            title: p.title.clone(),
            excerpt: excerpt(&p.body, 160),
            author: p.author_name.clone(),
            hidden: p.hidden,
            reasons: p
                .reasons
                .iter()
                .map(|(r, n)| format!("{} {n}", t.get(&format!("community-flag-{}", r.code()))))
                .collect::<Vec<_>>()
                .join(" · "),
            when: p.first_at.display_seoul(),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &FlagsPage {
            page: Shell::new(&ctx),
            rows,
        },
    ))
}

/// A mentor as the list shows them.
pub struct MentorRow {
    pub user_id: i64,
    pub shop: String,
    pub place: String,
    pub note: String,
    pub mentees: u32,
    /// The reader asked them already.
    pub asked: bool,
}

/// A mentoring request as the list shows it.
pub struct MentorRequestRow {
    pub id: i64,
    /// The other side's name.
    pub other: String,
    pub message: String,
    pub when: String,
    pub status: String,
    /// Waiting for the reader's answer (the reader is the mentor).
    pub to_answer: bool,
}

#[derive(Template)]
#[template(path = "community_mentors.html")]
struct MentorsPage {
    page: Shell,
    mentors: Vec<MentorRow>,
    to_me: Vec<MentorRequestRow>,
    from_me: Vec<MentorRequestRow>,
    /// The reader offers to mentor now, and with which note.
    offering: Option<String>,
    /// The reader's shop is in the hall of fame, so they may offer.
    may_mentor: bool,
    merchant: bool,
    alert: Option<String>,
    errors: Vec<String>,
}

const MENTOR_DONE: [&str; 5] = [
    "offered",
    "withdrawn",
    "requested",
    "mentee-accepted",
    "declined",
];

async fn mentors_page(
    state: &AppState,
    ctx: &Ctx,
    alert: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = ctx.t;
    let community = state.community();
    let mentors = community.mentors().await.map_err(|e| ctx.fail(e))?;
    let requests = match &ctx.user {
        Some(user) => community.mentoring(user).await.map_err(|e| ctx.fail(e))?,
        None => Vec::new(),
    };
    let me = ctx.user.as_ref().map(|u| u.id);
    let may_mentor = match &ctx.user {
        Some(user) => community.may_mentor(user).await.map_err(|e| ctx.fail(e))?,
        None => false,
    };
    let status_of = |r: &gachi_domain::community::MentorRequest| {
        t.get(match r.accepted {
            None => "community-mentor-waiting",
            Some(true) => "community-mentor-accepted",
            Some(false) => "community-mentor-declined",
        })
    };
    let row = |r: &gachi_domain::community::MentorRequest, mentor_side: bool| MentorRequestRow {
        id: r.id,
        other: if mentor_side {
            r.mentee_name.clone()
        } else {
            r.mentor_name.clone()
        },
        message: r.message.clone(),
        when: r.at.display_seoul(),
        status: status_of(r),
        to_answer: mentor_side && r.accepted.is_none(),
    };
    let page = MentorsPage {
        page: Shell::new(ctx),
        may_mentor,
        offering: mentors
            .iter()
            .find(|m| Some(m.user) == me)
            .map(|m| m.note.clone()),
        mentors: mentors
            .iter()
            .filter(|m| Some(m.user) != me)
            .map(|m| MentorRow {
                user_id: m.user.0,
                shop: m.shop_name.clone(),
                place: format!(
                    "{} · {}",
                    gachi_domain::kernel::region::RegionCode::parse(&m.region_code, "r")
                        .map(|r| r.region().name)
                        .unwrap_or_default(),
                    gachi_domain::kernel::industry::resolve(&m.industry_code, "industry")
                        .map(|i| i.name.clone())
                        .unwrap_or_default()
                ),
                note: m.note.clone(),
                mentees: m.mentees,
                asked: requests
                    .iter()
                    .any(|r| Some(r.mentee) == me && r.mentor == m.user),
            })
            .collect(),
        to_me: requests
            .iter()
            .filter(|r| Some(r.mentor) == me)
            .map(|r| row(r, true))
            .collect(),
        from_me: requests
            .iter()
            .filter(|r| Some(r.mentee) == me)
            .map(|r| row(r, false))
            .collect(),
        merchant: ctx
            .user
            .as_ref()
            .is_some_and(|u| u.role == gachi_domain::accounts::Role::Merchant),
        alert,
        errors,
    };
    Ok(render(status, &page))
}

/// Mentors (public), and the reader's mentoring.
pub async fn mentors(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let alert = done_note(&ctx, "community-done-", &MENTOR_DONE);
    mentors_page(&state, &ctx, alert, Vec::new(), StatusCode::OK).await
}

/// Offers or withdraws mentoring, asks a mentor, or answers a request, by `action`.
pub async fn mentors_act(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_user()?.clone();
    let value = |name: &str| form_value(&pairs, name);
    let community = state.community();
    let actor = ctx.actor();
    let id = value("id").trim().parse::<i64>().unwrap_or(0);
    let result = match value("action").as_str() {
        "offer" => community
            .offer_mentoring(&user, &actor, &value("note"))
            .await
            .map(|()| "offered"),
        "withdraw" => community
            .withdraw_mentoring(&user, &actor)
            .await
            .map(|()| "withdrawn"),
        "request" => community
            .request_mentor(
                &user,
                &actor,
                gachi_domain::accounts::UserId(id),
                &value("message"),
            )
            .await
            .map(|_| "requested"),
        "accept" => community
            .answer_mentor_request(&user, &actor, id, true)
            .await
            .map(|()| "mentee-accepted"),
        "decline" => community
            .answer_mentor_request(&user, &actor, id, false)
            .await
            .map(|()| "declined"),
        _ => Err(CommunityError::Invalid(
            gachi_domain::FieldError::new("action", "error-event-action").into(),
        )),
    };
    match result {
        Ok(done) => Ok(see_other(&ctx, &format!("/community/mentors?done={done}"))),
        Err(CommunityError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            mentors_page(
                &state,
                &ctx,
                None,
                messages,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}
