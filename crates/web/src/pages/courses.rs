//! 교육 과정 (courses) on the web: the list with each designer's progress and, for staff, the
//! form for a new course; a course's modules (staff add one at the end); a module's text, links
//! and quiz, which the designer answers here and the server grades — the right answers never
//! reach the browser.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::designers::courses::{
    Area, CourseError, CourseInput, CourseProgress, Graded, ModuleInput,
};

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Shell, form_value, render, see_other};

/// A course as the list shows it.
pub struct CourseView {
    pub id: i64,
    pub title: String,
    pub area: String,
    pub summary: String,
    pub modules: usize,
    pub passed: usize,
    pub completed: bool,
    /// 0–100.
    pub percent: usize,
    /// "모듈 3개 중 2개 통과" for a designer, "모듈 3개" for staff.
    pub progress: String,
    /// "보수교육 4시간", or empty when it earns none.
    pub hours: String,
}

pub(crate) fn area_label(t: Tr, area: Area) -> String {
    t.get(match area {
        Area::Listing => "course-area-listing",
        Area::DetailPage => "course-area-detail_page",
        Area::Live => "course-area-live",
        Area::Consulting => "course-area-consulting",
    })
}

fn course_view(t: Tr, p: &CourseProgress, staff: bool) -> CourseView {
    let modules = p.course.modules.len();
    CourseView {
        progress: if staff {
            t.count("course-modules", "count", modules as i64)
        } else {
            t.args(
                "course-progress",
                &[
                    ("passed", p.passed.len().to_string()),
                    ("modules", modules.to_string()),
                ],
            )
        },
        hours: if p.course.hours == 0 {
            String::new()
        } else {
            t.arg("course-hours-value", "hours", p.course.hours)
        },
        id: p.course.id,
        title: p.course.title.clone(),
        area: area_label(t, p.course.area),
        summary: p.course.summary.clone(),
        modules,
        passed: p.passed.len(),
        completed: p.completed(),
        percent: (p.passed.len() * 100).checked_div(modules).unwrap_or(0),
    }
}

#[derive(Template)]
#[template(path = "courses.html")]
struct CoursesPage {
    page: Shell,
    staff: bool,
    courses: Vec<CourseView>,
    areas: Vec<(&'static str, String)>,
    errors: Vec<String>,
    form: CourseInput,
}

async fn courses_page(
    state: &AppState,
    ctx: &Ctx,
    errors: Vec<String>,
    form: CourseInput,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Designer, Role::Operator, Role::Admin])?
        .clone();
    let t = ctx.t;
    let courses = state
        .courses()
        .list(&user)
        .await
        .map_err(|e| ctx.fail(e))?
        .iter()
        .map(|p| course_view(t, p, user.role.is_staff()))
        .collect();
    Ok(render(
        status,
        &CoursesPage {
            page: Shell::new(ctx),
            staff: user.role.is_staff(),
            courses,
            areas: Area::ALL
                .into_iter()
                .map(|a| (a.code(), area_label(t, a)))
                .collect(),
            errors,
            form,
        },
    ))
}

/// The courses with the caller's progress.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    courses_page(&state, &ctx, Vec::new(), Default::default(), StatusCode::OK).await
}

/// Staff create a course.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let input = CourseInput {
        title: form_value(&pairs, "title"),
        area: form_value(&pairs, "area"),
        summary: form_value(&pairs, "summary"),
        hours: form_value(&pairs, "hours"),
    };
    match state.courses().create(&user, &ctx.actor(), &input).await {
        Ok(course) => Ok(see_other(&ctx, &format!("/courses/{}", course.id))),
        Err(CourseError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            courses_page(
                &state,
                &ctx,
                messages,
                input,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// A module in a course's list.
pub struct ModuleRow {
    pub id: i64,
    pub position: u32,
    pub title: String,
    pub passed: bool,
    /// "문제 3개", or empty without a quiz.
    pub questions: String,
}

#[derive(Template)]
#[template(path = "course.html")]
struct CoursePage {
    page: Shell,
    staff: bool,
    course: CourseView,
    modules: Vec<ModuleRow>,
    errors: Vec<String>,
    form: ModuleInput,
}

async fn course_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: Vec<String>,
    form: ModuleInput,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Designer, Role::Operator, Role::Admin])?
        .clone();
    let progress = state
        .courses()
        .get(&user, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let modules = progress
        .course
        .modules
        .iter()
        .map(|m| ModuleRow {
            id: m.id,
            position: m.position,
            title: m.title.clone(),
            passed: progress.passed.contains(&m.id),
            questions: if m.quiz.is_empty() {
                String::new()
            } else {
                ctx.t
                    .count("course-questions", "count", m.quiz.len() as i64)
            },
        })
        .collect();
    Ok(render(
        status,
        &CoursePage {
            page: Shell::new(ctx),
            staff: user.role.is_staff(),
            course: course_view(ctx.t, &progress, user.role.is_staff()),
            modules,
            errors,
            form,
        },
    ))
}

/// A course and its modules.
pub async fn course(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    course_page(
        &state,
        &ctx,
        id,
        Vec::new(),
        ModuleInput::default(),
        StatusCode::OK,
    )
    .await
}

/// Staff add a module at the end of a course.
pub async fn add_module(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let input = ModuleInput {
        title: form_value(&pairs, "title"),
        body: form_value(&pairs, "body"),
        links: form_value(&pairs, "links"),
        quiz: form_value(&pairs, "quiz"),
    };
    match state
        .courses()
        .add_module(&user, &ctx.actor(), id, &input)
        .await
    {
        Ok(_) => Ok(see_other(&ctx, &format!("/courses/{id}"))),
        Err(CourseError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            course_page(
                &state,
                &ctx,
                id,
                messages,
                input,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// A quiz question as the module page shows it: no right answer.
pub struct QuestionView {
    pub number: usize,
    pub prompt: String,
    pub choices: Vec<(usize, String)>,
}

#[derive(Template)]
#[template(path = "course_module.html")]
struct ModulePage {
    page: Shell,
    designer: bool,
    course_id: i64,
    course_title: String,
    id: i64,
    position: u32,
    title: String,
    body_html: String,
    links: Vec<String>,
    questions: Vec<QuestionView>,
    questions_text: String,
    passed: bool,
    /// What the last answer came to.
    result: Option<(bool, String)>,
    next: Option<i64>,
}

async fn module_page(
    state: &AppState,
    ctx: &Ctx,
    course: i64,
    module: i64,
    graded: Option<Graded>,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Designer, Role::Operator, Role::Admin])?
        .clone();
    let t = ctx.t;
    let progress = state
        .courses()
        .get(&user, course)
        .await
        .map_err(|e| ctx.fail(e))?;
    let Some(index) = progress.course.modules.iter().position(|m| m.id == module) else {
        return Err(ctx.fail(CourseError::NotFound));
    };
    let found = &progress.course.modules[index];
    let result = graded.map(|g| {
        let message = if g.passed {
            t.get("course-module-passed")
        } else {
            t.args(
                "course-module-retry",
                &[
                    ("right", g.right.to_string()),
                    ("questions", g.questions.to_string()),
                ],
            )
        };
        (g.passed, message)
    });
    Ok(render(
        if graded.is_some_and(|g| !g.passed) {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &ModulePage {
            page: Shell::new(ctx),
            designer: user.role == Role::Designer,
            course_id: course,
            course_title: progress.course.title.clone(),
            id: found.id,
            position: found.position,
            title: found.title.clone(),
            body_html: found.body_html.clone(),
            links: found.links.clone(),
            questions: found
                .quiz
                .iter()
                .enumerate()
                .map(|(i, q)| QuestionView {
                    number: i + 1,
                    prompt: q.prompt.clone(),
                    choices: q.choices.iter().cloned().enumerate().collect(),
                })
                .collect(),
            questions_text: t.count("course-questions", "count", found.quiz.len() as i64),
            passed: progress.passed.contains(&found.id),
            result,
            next: progress.course.modules.get(index + 1).map(|m| m.id),
        },
    ))
}

/// A module: its text, links and quiz.
pub async fn module(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((course, module)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    module_page(&state, &ctx, course, module, None).await
}

/// A designer's answers to a module's quiz (`q1`, `q2`, … the chosen position).
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((course, module)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Designer])?.clone();
    let answers: Vec<Option<usize>> = (1..=gachi_domain::designers::courses::MAX_QUESTIONS)
        .map(|n| form_value(&pairs, &format!("q{n}")).trim().parse().ok())
        .collect();
    let graded = state
        .courses()
        .answer(&user, &ctx.actor(), course, module, &answers)
        .await
        .map_err(|e| ctx.fail(e))?;
    module_page(&state, &ctx, course, module, Some(graded)).await
}
