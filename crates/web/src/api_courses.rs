//! `/api/v1/courses`: 디지털 유통설계사 courses — listed with the caller's progress, authored
//! by staff (a course, then modules at its end), and a module's quiz answered by a designer and
//! graded by the server. A module read by the API carries its quiz without the right answers.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use gachi_domain::designers::courses::{CourseInput, CourseProgress, Module, ModuleInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ApiUser;
use crate::error::{ApiError, ApiErrorBody, ApiValidationBody};
use crate::json_body::{AppJson, JsonBodyError, json_body};

/// A quiz question as a designer sees it: no right answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuizQuestionBody {
    pub prompt: String,
    pub choices: Vec<String>,
}

/// A module of a course.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleBody {
    pub id: i64,
    /// From 1.
    pub position: u32,
    pub title: String,
    /// Sanitized HTML of the module's Markdown.
    pub body_html: String,
    pub links: Vec<String>,
    pub quiz: Vec<QuizQuestionBody>,
    /// The caller passed it.
    pub passed: bool,
}

/// A course with the caller's progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseBody {
    pub id: i64,
    pub title: String,
    /// `listing`, `detail_page`, `live` or `consulting`.
    pub area: String,
    pub summary: String,
    /// The continuing-education (보수교육) hours completing it earns.
    pub hours: u32,
    pub modules: Vec<ModuleBody>,
    /// Every module passed.
    pub completed: bool,
}

fn module_body(m: &Module, passed: bool) -> ModuleBody {
    ModuleBody {
        id: m.id,
        position: m.position,
        title: m.title.clone(),
        body_html: m.body_html.clone(),
        links: m.links.clone(),
        quiz: m
            .quiz
            .iter()
            .map(|q| QuizQuestionBody {
                prompt: q.prompt.clone(),
                choices: q.choices.clone(),
            })
            .collect(),
        passed,
    }
}

fn course_body(p: &CourseProgress) -> CourseBody {
    CourseBody {
        id: p.course.id,
        title: p.course.title.clone(),
        area: p.course.area.code().to_owned(),
        summary: p.course.summary.clone(),
        hours: p.course.hours,
        modules: p
            .course
            .modules
            .iter()
            .map(|m| module_body(m, p.passed.contains(&m.id)))
            .collect(),
        completed: p.completed(),
    }
}

/// Every course with the caller's progress (designers and staff).
#[utoipa::path(get, path = "/api/v1/courses", tag = "designers",
    responses(
        (status = 200, description = "By area", body = [CourseBody]),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Neither a designer nor staff", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<CourseBody>>, ApiError> {
    let courses = state
        .courses()
        .list(&caller.user)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(courses.iter().map(course_body).collect()))
}

/// A new course.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCourseBody {
    pub title: String,
    /// `listing`, `detail_page`, `live` or `consulting`.
    pub area: String,
    #[serde(default)]
    pub summary: String,
    /// The continuing-education hours it earns, 0 to 40 (none when left out).
    #[serde(default)]
    pub hours: u32,
}

/// Creates a course (staff); modules are added to it one by one.
#[utoipa::path(post, path = "/api/v1/courses", tag = "designers", request_body = NewCourseBody,
    responses(
        (status = 201, description = "Created", body = CourseBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 422, description = "Title missing or too long, unknown area", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    body: Result<AppJson<NewCourseBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<CourseBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let course = state
        .courses()
        .create(
            &caller.user,
            &caller.actor(),
            &CourseInput {
                title: body.title,
                area: body.area,
                summary: body.summary,
                hours: body.hours.to_string(),
            },
        )
        .await
        .map_err(|e| caller.fail(e))?;
    let progress = CourseProgress {
        course,
        passed: Vec::new(),
    };
    Ok((StatusCode::CREATED, Json(course_body(&progress))))
}

/// One course with the caller's progress.
#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = "designers",
    params(("id" = i64, Path, description = "Course id")),
    responses(
        (status = 200, description = "The course", body = CourseBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Neither a designer nor staff", body = ApiErrorBody),
        (status = 404, description = "No such course", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<CourseBody>, ApiError> {
    let course = state
        .courses()
        .get(&caller.user, id)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(course_body(&course)))
}

/// A new module: Markdown text, links (http or https), and a quiz written one question per line
/// as `question | choice | *right choice | choice`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewModuleBody {
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub quiz: Vec<String>,
}

/// Adds a module at the end of a course (staff).
#[utoipa::path(post, path = "/api/v1/courses/{id}/modules", tag = "designers",
    params(("id" = i64, Path, description = "Course id")),
    request_body = NewModuleBody,
    responses(
        (status = 201, description = "Added", body = ModuleBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not staff", body = ApiErrorBody),
        (status = 404, description = "No such course", body = ApiErrorBody),
        (status = 422, description = "Title missing, no text and no link, a link or quiz line malformed", body = ApiValidationBody),
    ),
    security(("bearer" = [])))]
pub async fn add_module(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<i64>,
    body: Result<AppJson<NewModuleBody>, JsonBodyError>,
) -> Result<(StatusCode, Json<ModuleBody>), ApiError> {
    let body = json_body(caller.t, body)?;
    let module = state
        .courses()
        .add_module(
            &caller.user,
            &caller.actor(),
            id,
            &ModuleInput {
                title: body.title,
                body: body.body,
                links: body.links.join("\n"),
                quiz: body.quiz.join("\n"),
            },
        )
        .await
        .map_err(|e| caller.fail(e))?;
    Ok((StatusCode::CREATED, Json(module_body(&module, false))))
}

/// A designer's answers: the chosen choice's position (from 0) for each question, in order.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswersBody {
    #[serde(default)]
    pub answers: Vec<Option<u32>>,
}

/// What the answers came to.
#[derive(Debug, Serialize, ToSchema)]
pub struct GradedBody {
    pub right: usize,
    pub questions: usize,
    /// Every answer right: the module is passed.
    pub passed: bool,
}

/// A designer answers a module's quiz (an empty list marks a module without a quiz read).
#[utoipa::path(post, path = "/api/v1/courses/{id}/modules/{module}/answers", tag = "designers",
    params(("id" = i64, Path, description = "Course id"), ("module" = i64, Path, description = "Module id")),
    request_body = AnswersBody,
    responses(
        (status = 200, description = "Graded", body = GradedBody),
        (status = 401, description = "No or an unknown token", body = ApiErrorBody),
        (status = 403, description = "Not a designer", body = ApiErrorBody),
        (status = 404, description = "No such course or module", body = ApiErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn answer(
    State(state): State<AppState>,
    caller: ApiUser,
    Path((id, module)): Path<(i64, i64)>,
    body: Result<AppJson<AnswersBody>, JsonBodyError>,
) -> Result<Json<GradedBody>, ApiError> {
    let body = json_body(caller.t, body)?;
    let answers: Vec<Option<usize>> = body.answers.iter().map(|a| a.map(|n| n as usize)).collect();
    let graded = state
        .courses()
        .answer(&caller.user, &caller.actor(), id, module, &answers)
        .await
        .map_err(|e| caller.fail(e))?;
    Ok(Json(GradedBody {
        right: graded.right,
        questions: graded.questions,
        passed: graded.passed,
    }))
}
