//! The community over JSON: questions, answers, votes and acceptance, know-how articles, search
//! and help for an error code. Reading is public (a token, when sent, must be valid and shows the
//! caller's own votes and drafts); writing needs a token. Bodies come back as typed (Markdown,
//! personal data masked) and as sanitized HTML.

use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use gachi_domain::accounts::User;
use gachi_domain::community::search::{PostKind, PostQuery};
use gachi_domain::community::{
    Answer, Article, ArticleInput, Post, Question, QuestionFilter, QuestionInput, Topic,
};
use gachi_domain::kernel::channel::Channel;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiUser, ListBody, rfc3339};
use crate::error::{ApiError, ApiErrorBody, ApiErrorKind, ApiValidationBody};
use crate::i18n::Tr;
use crate::json_body::{AppJson, JsonBodyError, json_body};

/// A caller who may or may not have sent a token (public reads). A token that is sent must be
/// valid.
pub struct Reader {
    pub user: Option<ApiUser>,
    pub t: Tr,
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(AUTHORIZATION) {
            let user = ApiUser::from_request_parts(parts, state).await?;
            let t = user.t;
            return Ok(Reader {
                user: Some(user),
                t,
            });
        }
        Ok(Reader {
            user: None,
            t: crate::api::header_language(parts),
        })
    }
}

impl Reader {
    fn fail(&self, error: impl Into<ApiErrorKind>) -> ApiError {
        ApiError::new(self.t, error.into())
    }

    fn viewer(&self) -> Option<&User> {
        self.user.as_ref().map(|u| &u.user)
    }
}

/// A question in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionBody {
    pub id: i64,
    pub title: String,
    /// As typed (Markdown), personal data masked.
    pub body: String,
    /// Sanitized HTML of the body.
    pub body_html: String,
    /// `listing`, `detail_page`, `notice`, `shipping`, `settlement`, `live`, `photos`.
    pub topic: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub error_code: String,
    pub author_name: String,
    /// How many answers it has (the thread itself lists them under `answers`).
    pub answer_count: u32,
    pub solved: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
    /// Its page.
    pub url: String,
}

impl From<&Question> for QuestionBody {
    fn from(q: &Question) -> Self {
        Self {
            id: q.id,
            title: q.title.clone(),
            body: q.body.clone(),
            body_html: q.html().into_owned(),
            topic: q.topic.code().to_owned(),
            channel: q.channel.map(|c| c.code().to_owned()),
            error_code: q.error_code.clone(),
            author_name: q.author_name.clone(),
            answer_count: q.answers,
            solved: q.solved_at.is_some(),
            created_at: rfc3339(q.created_at),
            edited_at: q.edited_at.map(rfc3339),
            url: format!("/community/questions/{}", q.id),
        }
    }
}

/// An answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerBody {
    pub id: i64,
    pub question_id: i64,
    pub body: String,
    pub body_html: String,
    pub author_name: String,
    /// Upvotes minus downvotes.
    pub score: i64,
    pub accepted: bool,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
    /// The caller's vote (+1/−1), when they voted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_vote: Option<i8>,
}

fn answer_body(a: &Answer, my_vote: Option<i8>) -> AnswerBody {
    AnswerBody {
        id: a.id,
        question_id: a.question,
        body: a.body.clone(),
        body_html: a.html().into_owned(),
        author_name: a.author_name.clone(),
        score: a.score,
        accepted: a.accepted_at.is_some(),
        created_at: rfc3339(a.created_at),
        edited_at: a.edited_at.map(rfc3339),
        my_vote,
    }
}

/// A question with its answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionDetailBody {
    #[serde(flatten)]
    pub question: QuestionBody,
    /// Accepted first, then by score.
    pub answers: Vec<AnswerBody>,
    /// Solved more than 14 days ago: no new answers.
    pub closed: bool,
    pub may_answer: bool,
    pub may_accept: bool,
    /// How many owners who solved the same problem were asked to answer.
    pub invited: usize,
}

/// What was saved, and whether personal data in it was masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedBody {
    pub id: i64,
    /// Phone numbers, 사업자등록번호 or e-mail addresses were found and masked.
    pub masked: bool,
    pub url: String,
}

/// Filters of the question list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionsQuery {
    /// Topic code.
    pub topic: Option<String>,
    /// Marketplace code.
    pub channel: Option<String>,
    pub error_code: Option<String>,
    /// `true`: solved only; `false`: waiting for an answer to be accepted.
    pub solved: Option<bool>,
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub offset: Option<u32>,
    /// 1–50, 20 by default.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub limit: Option<u32>,
}

fn parse_channel(t: Tr, code: Option<&str>) -> Result<Option<Channel>, ApiError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(code) => Channel::parse_field(code, "channel")
            .map(Some)
            .map_err(|e| ApiError::new(t, ApiErrorKind::Validation(e.into()))),
    }
}

fn parse_topic(t: Tr, code: Option<&str>) -> Result<Option<Topic>, ApiError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(code) => Topic::parse(code).map(Some).ok_or_else(|| {
            ApiError::new(
                t,
                ApiErrorKind::Validation(
                    gachi_domain::FieldError::new("topic", "error-community-topic").into(),
                ),
            )
        }),
    }
}

/// Questions, newest first (public).
#[utoipa::path(get, path = "/api/v1/community/questions", tag = "community", params(QuestionsQuery),
    responses(
        (status = 200, description = "Newest first", body = ListBody<QuestionBody>),
        (status = 422, description = "An unknown topic or marketplace", body = ApiValidationBody),
    ))]
pub async fn questions(
    State(state): State<AppState>,
    reader: Reader,
    Query(query): Query<QuestionsQuery>,
) -> Result<Json<ListBody<QuestionBody>>, ApiError> {
    let filter = QuestionFilter {
        topic: parse_topic(reader.t, query.topic.as_deref())?,
        channel: parse_channel(reader.t, query.channel.as_deref())?,
        error_code: query.error_code.filter(|c| !c.trim().is_empty()),
        solved: query.solved,
        author: None,
        offset: query.offset.unwrap_or(0),
        limit: query.limit.unwrap_or(20),
    };
    let list = state
        .community()
        .questions(&filter)
        .await
        .map_err(|e| reader.fail(e))?;
    Ok(Json(ListBody {
        items: list.iter().map(QuestionBody::from).collect(),
    }))
}

/// Asks a question: `title`, `body` (Markdown), `topic`, optional `channel` and `error_code`.
#[utoipa::path(post, path = "/api/v1/community/questions", tag = "community",
    request_body(content = Object, description = "title, body, topic (listing, detail_page, notice, shipping, settlement, live, photos or the Korean name), channel (optional), error_code (optional)"),
    responses(
        (status = 201, description = "Asked", body = CreatedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 422, description = "A field is wrong, or the day's questions are used up", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn ask(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<QuestionInput>, JsonBodyError>,
) -> Result<(StatusCode, Json<CreatedBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let (question, masked) = state
        .community()
        .ask(&caller.user, &caller.actor(), &body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedBody {
            id: question.id,
            masked,
            url: format!("/community/questions/{}", question.id),
        }),
    ))
}

/// A question with its answers (public).
#[utoipa::path(get, path = "/api/v1/community/questions/{id}", tag = "community",
    params(("id" = i64, Path, description = "Question id")),
    responses(
        (status = 200, description = "The question", body = QuestionDetailBody),
        (status = 404, description = "No such question", body = ApiErrorBody),
    ))]
pub async fn question(
    State(state): State<AppState>,
    reader: Reader,
    Path(id): Path<i64>,
) -> Result<Json<QuestionDetailBody>, ApiError> {
    let view = state
        .community()
        .question(reader.viewer(), id)
        .await
        .map_err(|e| reader.fail(e))?;
    let vote_of = |answer: i64| {
        view.my_votes
            .iter()
            .find(|(a, _)| *a == answer)
            .map(|(_, v)| *v)
    };
    Ok(Json(QuestionDetailBody {
        question: QuestionBody::from(&view.question),
        answers: view
            .answers
            .iter()
            .map(|a| answer_body(a, vote_of(a.id)))
            .collect(),
        closed: view.closed,
        may_answer: view.may_answer,
        may_accept: view.may_accept,
        invited: view.invited,
    }))
}

/// A new text for a post.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct EditBody {
    pub title: String,
    pub body: String,
}

/// Edits a question (its author or staff); the earlier text is kept.
#[utoipa::path(patch, path = "/api/v1/community/questions/{id}", tag = "community",
    params(("id" = i64, Path, description = "Question id")),
    request_body(content = EditBody),
    responses(
        (status = 200, description = "Saved", body = CreatedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the author", body = ApiErrorBody),
        (status = 404, description = "No such question", body = ApiErrorBody),
        (status = 422, description = "A field is wrong", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn edit_question(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<EditBody>, JsonBodyError>,
) -> Result<Json<CreatedBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let masked = state
        .community()
        .edit_question(&caller.user, &caller.actor(), id, &body.title, &body.body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(CreatedBody {
        id,
        masked,
        url: format!("/community/questions/{id}"),
    }))
}

/// Why a post is hidden.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HideQuery {
    pub reason: Option<String>,
}

/// Hides a question (its author or staff); its answers stay in their authors' history.
#[utoipa::path(delete, path = "/api/v1/community/questions/{id}", tag = "community",
    params(("id" = i64, Path, description = "Question id"), HideQuery),
    responses(
        (status = 204, description = "Hidden"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the author", body = ApiErrorBody),
        (status = 404, description = "No such question", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn hide_question(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<HideQuery>,
) -> Result<StatusCode, ApiError> {
    state
        .community()
        .hide_question(
            &caller.user,
            &caller.actor(),
            id,
            query.reason.as_deref().unwrap_or(""),
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// An answer's text.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AnswerInputBody {
    /// Markdown.
    pub body: String,
}

/// Answers a question (unless it was solved more than 14 days ago).
#[utoipa::path(post, path = "/api/v1/community/questions/{id}/answers", tag = "community",
    params(("id" = i64, Path, description = "Question id")),
    request_body(content = AnswerInputBody),
    responses(
        (status = 201, description = "Answered", body = CreatedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such question", body = ApiErrorBody),
        (status = 422, description = "A field is wrong, or the question is closed", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn answer(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<AnswerInputBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<CreatedBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let (answer, masked) = state
        .community()
        .answer(&caller.user, &caller.actor(), id, &body.body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedBody {
            id: answer.id,
            masked,
            url: format!("/community/questions/{id}#answer-{}", answer.id),
        }),
    ))
}

/// Edits an answer (its author or staff); the earlier text is kept.
#[utoipa::path(patch, path = "/api/v1/community/answers/{id}", tag = "community",
    params(("id" = i64, Path, description = "Answer id")),
    request_body(content = AnswerInputBody),
    responses(
        (status = 200, description = "Saved", body = CreatedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the author", body = ApiErrorBody),
        (status = 404, description = "No such answer", body = ApiErrorBody),
        (status = 422, description = "A field is wrong", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn edit_answer(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<AnswerInputBody>, JsonBodyError>,
) -> Result<Json<CreatedBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let masked = state
        .community()
        .edit_answer(&caller.user, &caller.actor(), id, &body.body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(CreatedBody {
        id,
        masked,
        url: String::new(),
    }))
}

/// A vote.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct VoteBody {
    /// 1 (up) or -1 (down).
    pub value: i64,
}

/// Votes an answer up or down; never one's own, never the same vote twice.
#[utoipa::path(post, path = "/api/v1/community/answers/{id}/votes", tag = "community",
    params(("id" = i64, Path, description = "Answer id")),
    request_body(content = VoteBody),
    responses(
        (status = 204, description = "Voted"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such answer", body = ApiErrorBody),
        (status = 422, description = "One's own answer, the same vote again, or a value other than 1 or -1", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn vote(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<VoteBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .community()
        .vote(&caller.user, id, body.value)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accepts an answer: the asker, staff, or (a week after asking) the asker's designer.
#[utoipa::path(post, path = "/api/v1/community/answers/{id}/accept", tag = "community",
    params(("id" = i64, Path, description = "Answer id")),
    responses(
        (status = 204, description = "Accepted"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the asker", body = ApiErrorBody),
        (status = 404, description = "No such answer", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn accept(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .community()
        .accept(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A hit of the search: a question or an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostBody {
    /// `question` or `article`.
    pub kind: String,
    pub id: i64,
    pub title: String,
    /// The first words of the body, as plain text.
    pub excerpt: String,
    pub topic: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    pub solved: bool,
    pub url: String,
}

pub fn post_body(post: &Post) -> PostBody {
    use gachi_domain::community::text::excerpt;
    match post {
        Post::Question(q) => PostBody {
            kind: PostKind::Question.code().to_owned(),
            id: q.id,
            title: q.title.clone(),
            excerpt: excerpt(&q.body, 120),
            topic: q.topic.code().to_owned(),
            channel: q.channel.map(|c| c.code().to_owned()),
            solved: q.solved_at.is_some(),
            url: format!("/community/questions/{}", q.id),
        },
        Post::Article(a) => PostBody {
            kind: PostKind::Article.code().to_owned(),
            id: a.id,
            title: a.title.clone(),
            excerpt: excerpt(&a.body, 120),
            topic: a.topic.code().to_owned(),
            channel: a.channel.map(|c| c.code().to_owned()),
            solved: true,
            url: format!("/community/articles/{}", a.id),
        },
    }
}

/// A page of hits.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchBody {
    pub items: Vec<PostBody>,
    /// How many posts match; counted exactly up to 1,000, "at least" past it.
    pub total: u64,
    /// False when `total` is a lower bound.
    pub total_exact: bool,
}

/// What to search for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words in any order; particles are ignored (`반품이` finds `반품`).
    pub q: Option<String>,
    /// `question` or `article`.
    pub kind: Option<String>,
    pub topic: Option<String>,
    pub channel: Option<String>,
    pub error_code: Option<String>,
    /// Only solved questions and articles.
    pub solved: Option<bool>,
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub offset: Option<u32>,
    /// 1–50, 20 by default.
    #[param(format = Int64, minimum = 0, maximum = 4294967295.0)]
    pub limit: Option<u32>,
}

/// Searches questions and articles (public).
#[utoipa::path(get, path = "/api/v1/community/search", tag = "community", params(SearchQuery),
    responses(
        (status = 200, description = "Best first", body = SearchBody),
        (status = 422, description = "An unknown kind, topic or marketplace", body = ApiValidationBody),
    ))]
pub async fn search(
    State(state): State<AppState>,
    reader: Reader,
    Query(query): Query<SearchQuery>,
) -> Result<Json<SearchBody>, ApiError> {
    let kind = match query
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => None,
        Some(code) => Some(PostKind::parse(code).ok_or_else(|| {
            reader.fail(ApiErrorKind::Validation(
                gachi_domain::FieldError::new("kind", "error-community-kind").into(),
            ))
        })?),
    };
    let post_query = PostQuery {
        text: query.q.unwrap_or_default(),
        kind,
        topic: parse_topic(reader.t, query.topic.as_deref())?.map(|t| t.code().to_owned()),
        channel: parse_channel(reader.t, query.channel.as_deref())?,
        error_code: query.error_code.filter(|c| !c.trim().is_empty()),
        solved_only: query.solved.unwrap_or(false),
        offset: query.offset.unwrap_or(0),
        limit: query.limit.unwrap_or(20),
        without_total: false,
    };
    let found = state
        .community()
        .search(&post_query)
        .await
        .map_err(|e| reader.fail(e))?;
    Ok(Json(SearchBody {
        items: found.items.iter().map(post_body).collect(),
        total: found.total,
        total_exact: found.total_exact,
    }))
}

/// An article.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleBody {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub topic: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub error_code: String,
    /// `draft`, `in_review` or `published`.
    pub status: String,
    pub author_name: String,
    pub version: u32,
    pub reads: i64,
    pub helpful: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    pub url: String,
}

impl From<&Article> for ArticleBody {
    fn from(a: &Article) -> Self {
        Self {
            id: a.id,
            title: a.title.clone(),
            body: a.body.clone(),
            body_html: a.html().into_owned(),
            topic: a.topic.code().to_owned(),
            channel: a.channel.map(|c| c.code().to_owned()),
            error_code: a.error_code.clone(),
            status: a.status.code().to_owned(),
            author_name: a.author_name.clone(),
            version: a.version,
            reads: a.reads,
            helpful: a.helpful,
            published_at: a.published_at.map(rfc3339),
            url: format!("/community/articles/{}", a.id),
        }
    }
}

/// Know-how articles: the published ones; with a token also one's own drafts (staff: those
/// waiting for review).
#[utoipa::path(get, path = "/api/v1/community/articles", tag = "community",
    responses((status = 200, description = "Newest first", body = ListBody<ArticleBody>)))]
pub async fn articles(
    State(state): State<AppState>,
    reader: Reader,
) -> Result<Json<ListBody<ArticleBody>>, ApiError> {
    let list = state
        .community()
        .articles(reader.viewer())
        .await
        .map_err(|e| reader.fail(e))?;
    Ok(Json(ListBody {
        items: list.iter().map(ArticleBody::from).collect(),
    }))
}

/// Writes a draft article (staff, designers, merchants): `title`, `body`, `topic`, optional
/// `channel` and `error_code`. Staff review it before it is published.
#[utoipa::path(post, path = "/api/v1/community/articles", tag = "community",
    request_body(content = Object, description = "title, body (Markdown), topic, channel (optional), error_code (optional)"),
    responses(
        (status = 201, description = "Saved as a draft", body = CreatedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "This role does not write articles", body = ApiErrorBody),
        (status = 422, description = "A field is wrong", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn write_article(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<ArticleInput>, JsonBodyError>,
) -> Result<(StatusCode, Json<CreatedBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let (article, masked) = state
        .community()
        .write_article(&caller.user, &caller.actor(), &body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedBody {
            id: article.id,
            masked,
            url: format!("/community/articles/{}", article.id),
        }),
    ))
}

/// An article: published ones for everyone, drafts for their author and staff.
#[utoipa::path(get, path = "/api/v1/community/articles/{id}", tag = "community",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 200, description = "The article", body = ArticleBody),
        (status = 404, description = "No such article, or not published", body = ApiErrorBody),
    ))]
pub async fn article(
    State(state): State<AppState>,
    reader: Reader,
    Path(id): Path<i64>,
) -> Result<Json<ArticleBody>, ApiError> {
    let article = state
        .community()
        .article(reader.viewer(), id)
        .await
        .map_err(|e| reader.fail(e))?;
    Ok(Json(ArticleBody::from(&article)))
}

/// Saves a new version of an article (its author or staff).
#[utoipa::path(patch, path = "/api/v1/community/articles/{id}", tag = "community",
    params(("id" = i64, Path, description = "Article id")),
    request_body(content = Object, description = "title, body, topic, channel, error_code"),
    responses(
        (status = 200, description = "Saved", body = CreatedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the author", body = ApiErrorBody),
        (status = 404, description = "No such article", body = ApiErrorBody),
        (status = 422, description = "A field is wrong", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn edit_article(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<ArticleInput>, JsonBodyError>,
) -> Result<Json<CreatedBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let masked = state
        .community()
        .edit_article(&caller.user, &caller.actor(), id, &body)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(CreatedBody {
        id,
        masked,
        url: format!("/community/articles/{id}"),
    }))
}

/// What happens to an article in review.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
#[schema(as = ArticleReviewBody)]
pub struct ReviewBody {
    /// `submit` (the author sends the draft), `publish` or `return` (staff).
    pub action: String,
}

/// Moves an article through review: the author submits, staff publish or send it back.
#[utoipa::path(post, path = "/api/v1/community/articles/{id}/review", tag = "community",
    params(("id" = i64, Path, description = "Article id")),
    request_body(content = ReviewBody),
    responses(
        (status = 204, description = "Done"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not allowed", body = ApiErrorBody),
        (status = 404, description = "No such article", body = ApiErrorBody),
        (status = 422, description = "Not in a state for that", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn review_article(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<ReviewBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    let community = state.community();
    let actor = caller.actor();
    let done = match body.action.as_str() {
        "submit" => community.submit_article(&caller.user, &actor, id).await,
        "publish" => {
            community
                .review_article(&caller.user, &actor, id, true)
                .await
        }
        "return" => {
            community
                .review_article(&caller.user, &actor, id, false)
                .await
        }
        _ => {
            return Err(caller.fail(ApiErrorKind::Validation(
                gachi_domain::FieldError::new("action", "error-community-review-action").into(),
            )));
        }
    };
    done.map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// "도움이 됐어요" on a published article (once per account, not one's own).
#[utoipa::path(post, path = "/api/v1/community/articles/{id}/helpful", tag = "community",
    params(("id" = i64, Path, description = "Article id")),
    responses(
        (status = 204, description = "Counted"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such published article", body = ApiErrorBody),
        (status = 422, description = "One's own article, or counted already", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn helpful(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .community()
        .helpful(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// One notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationBody {
    pub id: i64,
    /// `answer` (someone answered your question), `accepted` (your answer was accepted) or
    /// `invitation` (you are asked to answer a question like one you solved).
    pub kind: String,
    pub question_id: i64,
    pub question_title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_id: Option<i64>,
    pub actor_name: String,
    pub created_at: String,
    pub read: bool,
    pub url: String,
}

/// The caller's notifications and how many are unread.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsBody {
    pub items: Vec<NotificationBody>,
    pub unread: u32,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/community/notifications", tag = "community",
    responses(
        (status = 200, description = "Newest first", body = NotificationsBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn notifications(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<NotificationsBody>, ApiError> {
    let (items, unread) = state
        .community()
        .notifications(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(NotificationsBody {
        items: items
            .iter()
            .map(|n| NotificationBody {
                id: n.id,
                kind: n.kind.code().to_owned(),
                question_id: n.question,
                question_title: n.question_title.clone(),
                answer_id: n.answer,
                actor_name: n.actor_name.clone(),
                created_at: rfc3339(n.created_at),
                read: n.read_at.is_some(),
                url: match n.answer {
                    Some(a) => format!("/community/questions/{}#answer-{a}", n.question),
                    None => format!("/community/questions/{}", n.question),
                },
            })
            .collect(),
        unread,
    }))
}

/// Marks every notification of the caller read.
#[utoipa::path(post, path = "/api/v1/community/notifications/read", tag = "community",
    responses(
        (status = 204, description = "Read"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn read_notifications(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<StatusCode, ApiError> {
    state
        .community()
        .mark_read(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the caller takes questions routed to them, and the daily digest by mail.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct HelpingBody {
    pub opted_in: bool,
    /// Also from shops of the caller's own 시군구 and industry.
    pub nearby: bool,
    /// A daily mail of unread notifications, where the server sends mail (on when left out).
    pub digest: bool,
}

impl Default for HelpingBody {
    fn default() -> Self {
        let h = gachi_domain::community::Helping::default();
        HelpingBody {
            opted_in: h.opted_in,
            nearby: h.nearby,
            digest: h.digest,
        }
    }
}

/// Whether the caller takes questions routed to them.
#[utoipa::path(get, path = "/api/v1/community/helping", tag = "community",
    responses(
        (status = 200, description = "The caller's choice", body = HelpingBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn helping(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<HelpingBody>, ApiError> {
    let h = state
        .community()
        .helping(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(HelpingBody {
        opted_in: h.opted_in,
        nearby: h.nearby,
        digest: h.digest,
    }))
}

/// Opts in to (or out of) being asked to answer questions like ones the caller solved.
#[utoipa::path(put, path = "/api/v1/community/helping", tag = "community",
    request_body(content = HelpingBody),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn set_helping(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<HelpingBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .community()
        .set_helping(
            &caller.user,
            &caller.actor(),
            gachi_domain::community::Helping {
                opted_in: body.opted_in,
                nearby: body.nearby,
                digest: body.digest,
            },
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many invitations went out.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoutedBody {
    pub invited: usize,
}

/// Routes now every question that waited without an answer (staff; the server also does this
/// every five minutes).
#[utoipa::path(post, path = "/api/v1/community/routing", tag = "community",
    responses(
        (status = 200, description = "Routed", body = RoutedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn route(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<RoutedBody>, ApiError> {
    let invited = state
        .community()
        .route_unanswered_for(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(RoutedBody { invited }))
}

/// How fast questions get a first answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerSpeedBody {
    /// Questions asked in the period.
    pub asked: u32,
    /// Median seconds to a first answer over the answered ones (null when none was answered).
    pub median_seconds_to_first_answer: Option<i64>,
    /// Share of the questions answered within 24 hours, in per cent with one decimal.
    pub answered_within_24h_percent: f64,
}

/// The period to measure.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpeedQuery {
    /// Days back from now, 30 by default (1–366).
    pub days: Option<i64>,
}

/// Median time to a first answer and the share answered within 24 h (staff and officers).
#[utoipa::path(get, path = "/api/v1/community/answer-speed", tag = "community", params(SpeedQuery),
    responses(
        (status = 200, description = "The figures", body = AnswerSpeedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff or an officer", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn answer_speed(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<SpeedQuery>,
) -> Result<Json<AnswerSpeedBody>, ApiError> {
    let days = query.days.unwrap_or(30).clamp(1, 366);
    let speed = state
        .community()
        .answer_speed(&caller.user, days)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(match speed {
        None => AnswerSpeedBody {
            asked: 0,
            median_seconds_to_first_answer: None,
            answered_within_24h_percent: 0.0,
        },
        Some((median, within, asked)) => AnswerSpeedBody {
            asked,
            median_seconds_to_first_answer: (median >= 0).then_some(median),
            answered_within_24h_percent: within as f64 / 10.0,
        },
    }))
}

/// Asks the owners who solved the same problem now, instead of waiting (the asker or staff).
#[utoipa::path(post, path = "/api/v1/community/questions/{id}/route", tag = "community",
    params(("id" = i64, Path, description = "Question id")),
    responses(
        (status = 200, description = "How many were asked", body = RoutedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not the asker", body = ApiErrorBody),
        (status = 404, description = "No such question", body = ApiErrorBody),
        (status = 422, description = "Owners were asked already", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn route_question(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<RoutedBody>, ApiError> {
    let invited = state
        .community()
        .route_now(&caller.user, &caller.actor(), id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(RoutedBody { invited }))
}

/// Why a post is reported.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct FlagBody {
    /// `spam`, `abuse`, `advertising` or `personal_data`.
    pub reason: String,
    pub note: String,
}

/// Reports a question (anyone signed in, once, not one's own).
#[utoipa::path(post, path = "/api/v1/community/questions/{id}/flags", tag = "community",
    params(("id" = i64, Path, description = "Question id")),
    request_body(content = FlagBody),
    responses(
        (status = 204, description = "Reported"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such question", body = ApiErrorBody),
        (status = 422, description = "One's own post, reported already, or an unknown reason", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn flag_question(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<FlagBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .community()
        .flag(
            &caller.user,
            &caller.actor(),
            id,
            None,
            &body.reason,
            &body.note,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reports an answer (anyone signed in, once, not one's own).
#[utoipa::path(post, path = "/api/v1/community/answers/{id}/flags", tag = "community",
    params(("id" = i64, Path, description = "Answer id")),
    request_body(content = FlagBody),
    responses(
        (status = 204, description = "Reported"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such answer", body = ApiErrorBody),
        (status = 422, description = "One's own post, reported already, or an unknown reason", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn flag_answer(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<FlagBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    let community = state.community();
    let question = community
        .answer_question(id)
        .await
        .map_err(|e| caller.fail(e))?;
    community
        .flag(
            &caller.user,
            &caller.actor(),
            question,
            Some(id),
            &body.reason,
            &body.note,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A reported post in the review queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlaggedBody {
    pub question_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub author_name: String,
    pub hidden: bool,
    /// Reason → how many reported it for that.
    #[schema(schema_with = crate::api::labelled_numbers)]
    pub reasons: Vec<(String, u32)>,
    pub first_reported_at: String,
}

/// The review queue: posts with open reports (staff).
#[utoipa::path(get, path = "/api/v1/community/flags", tag = "community",
    responses(
        (status = 200, description = "Oldest report first", body = ListBody<FlaggedBody>),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn flagged(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ListBody<FlaggedBody>>, ApiError> {
    let posts = state
        .community()
        .flagged(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(ListBody {
        items: posts
            .iter()
            .map(|p| FlaggedBody {
                question_id: p.question,
                answer_id: p.answer,
                title: p.title.clone(),
                body: p.body.clone(),
                author_name: p.author_name.clone(),
                hidden: p.hidden,
                reasons: p
                    .reasons
                    .iter()
                    .map(|(r, n)| (r.code().to_owned(), *n))
                    .collect(),
                first_reported_at: rfc3339(p.first_at),
            })
            .collect(),
    }))
}

/// A staff decision on a post.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
#[schema(as = FlagDecisionBody)]
pub struct DecisionBody {
    pub question_id: i64,
    /// The answer decided on; absent for the question itself.
    pub answer_id: Option<i64>,
    /// Hide the post (true) or keep it, showing it again if it was hidden (false).
    pub hide: bool,
    /// Why, for the audit trail.
    pub reason: String,
}

/// Hides or keeps a post and closes its reports (staff).
#[utoipa::path(post, path = "/api/v1/community/flags/decision", tag = "community",
    request_body(content = DecisionBody),
    responses(
        (status = 204, description = "Decided"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such post", body = ApiErrorBody),
        (status = 422, description = "No reason given", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<DecisionBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .community()
        .moderate(
            &caller.user,
            &caller.actor(),
            body.question_id,
            body.answer_id,
            body.hide,
            &body.reason,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A suspension of an account's posting.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SuspendBody {
    pub user_id: i64,
    /// 1–365.
    pub days: i64,
    /// Why, for the audit trail.
    pub reason: String,
}

/// Until when the account may not post.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuspendedBody {
    pub user_id: i64,
    /// RFC 3339, UTC.
    pub until: String,
}

/// Stops an account from posting in the community for some days (staff).
#[utoipa::path(post, path = "/api/v1/community/suspensions", tag = "community",
    request_body(content = SuspendBody),
    responses(
        (status = 200, description = "Suspended", body = SuspendedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such account", body = ApiErrorBody),
        (status = 422, description = "A staff account, days outside 1–365, or no reason", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn suspend(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<SuspendBody>, JsonBodyError>,
) -> Result<Json<SuspendedBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let until = state
        .community()
        .suspend(
            &caller.user,
            &caller.actor(),
            gachi_domain::accounts::UserId(body.user_id),
            body.days,
            &body.reason,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(SuspendedBody {
        user_id: body.user_id,
        until: rfc3339(until),
    }))
}

/// Lifts an account's suspension (staff).
#[utoipa::path(delete, path = "/api/v1/community/suspensions/{user_id}", tag = "community",
    params(("user_id" = i64, Path, description = "Account id")),
    responses(
        (status = 204, description = "Lifted, or there was none"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn lift_suspension(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(user_id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .community()
        .lift_suspension(
            &caller.user,
            &caller.actor(),
            gachi_domain::accounts::UserId(user_id),
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A mentor.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorBody {
    pub user_id: i64,
    pub shop_name: String,
    pub region_code: String,
    pub industry_code: String,
    pub note: String,
    pub mentees: u32,
}

/// The owners offering to mentor (public).
#[utoipa::path(get, path = "/api/v1/community/mentors", tag = "community",
    responses((status = 200, description = "Mentors", body = ListBody<MentorBody>)))]
pub async fn mentors(
    State(state): State<AppState>,
    reader: Reader,
) -> Result<Json<ListBody<MentorBody>>, ApiError> {
    let list = state
        .community()
        .mentors()
        .await
        .map_err(|e| reader.fail(e))?;
    Ok(Json(ListBody {
        items: list
            .iter()
            .map(|m| MentorBody {
                user_id: m.user.0,
                shop_name: m.shop_name.clone(),
                region_code: m.region_code.clone(),
                industry_code: m.industry_code.clone(),
                note: m.note.clone(),
                mentees: m.mentees,
            })
            .collect(),
    }))
}

/// What a mentor offers.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct MentoringBody {
    /// What they can help with (5–300 characters).
    pub note: String,
}

/// Offers to mentor (owners of hall-of-fame shops).
#[utoipa::path(put, path = "/api/v1/community/mentoring", tag = "community",
    request_body(content = MentoringBody),
    responses(
        (status = 204, description = "Offered"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 422, description = "Not in the hall of fame, or the note is too short", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn offer_mentoring(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<MentoringBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .community()
        .offer_mentoring(&caller.user, &caller.actor(), &body.note)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stops offering to mentor.
#[utoipa::path(delete, path = "/api/v1/community/mentoring", tag = "community",
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn withdraw_mentoring(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<StatusCode, ApiError> {
    state
        .community()
        .withdraw_mentoring(&caller.user, &caller.actor())
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A request to a mentor.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct MentorRequestBody {
    pub message: String,
}

/// What was asked of whom.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorRequestCreated {
    pub id: i64,
}

/// A merchant asks a mentor (once per mentor).
#[utoipa::path(post, path = "/api/v1/community/mentors/{user_id}/requests", tag = "community",
    params(("user_id" = i64, Path, description = "The mentor's account id")),
    request_body(content = MentorRequestBody),
    responses(
        (status = 201, description = "Asked", body = MentorRequestCreated),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not a merchant", body = ApiErrorBody),
        (status = 404, description = "Not a mentor", body = ApiErrorBody),
        (status = 422, description = "Asked already, oneself, or no message", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn request_mentor(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(user_id): Path<i64>,
    body: Result<AppJson<MentorRequestBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<MentorRequestCreated>), ApiError> {
    let body = json_body(caller.t, body)?;
    let request = state
        .community()
        .request_mentor(
            &caller.user,
            &caller.actor(),
            gachi_domain::accounts::UserId(user_id),
            &body.message,
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((
        StatusCode::CREATED,
        Json(MentorRequestCreated { id: request.id }),
    ))
}

/// The mentor's answer.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct MentorAnswerBody {
    pub accept: bool,
}

/// The mentor accepts or declines a request.
#[utoipa::path(post, path = "/api/v1/community/mentor-requests/{id}", tag = "community",
    params(("id" = i64, Path, description = "Request id")),
    request_body(content = MentorAnswerBody),
    responses(
        (status = 204, description = "Answered"),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 404, description = "No such request to the caller", body = ApiErrorBody),
        (status = 422, description = "Answered already", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn answer_mentor_request(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<MentorAnswerBody>, JsonBodyError>,
) -> Result<StatusCode, ApiError> {
    let body = json_body(caller.t, body)?;
    state
        .community()
        .answer_mentor_request(&caller.user, &caller.actor(), id, body.accept)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(StatusCode::NO_CONTENT)
}
