//! Courses for 디지털 유통설계사: operators author a course as ordered modules — text in
//! Markdown (sanitized like community posts), video or document links, and a short quiz — and
//! designers take them. A module is passed when every quiz answer is right (a module without a
//! quiz is passed by marking it read); a course is completed when all its modules are passed.
//! The right answers stay on the server: a quiz is shown without them and graded here.
//!
//! A quiz is written one question per line, `question | choice | *right choice | choice`, the
//! right one marked with `*`; that same text is how it is kept.

use crate::accounts::{Role, User, UserId};
use crate::kernel::audit::Actor;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::text;
use crate::kernel::time::Timestamp;
use crate::ports::{Clock, Store, StoreError};

/// The areas the curriculum covers (and the exam's item bank will follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    /// 마켓 입점 실무: the four marketplaces' rules and 상품정보제공고시.
    Listing,
    /// 상세페이지 기획과 제작.
    DetailPage,
    /// 라이브커머스 진행.
    Live,
    /// 소상공인 상담과 진단.
    Consulting,
}

impl Area {
    pub const ALL: [Area; 4] = [
        Area::Listing,
        Area::DetailPage,
        Area::Live,
        Area::Consulting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Area::Listing => "listing",
            Area::DetailPage => "detail_page",
            Area::Live => "live",
            Area::Consulting => "consulting",
        }
    }

    pub fn parse(code: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.code() == code.trim())
    }
}

/// The most questions a module's quiz has, and choices a question has.
pub const MAX_QUESTIONS: usize = 10;
pub const MAX_CHOICES: usize = 6;

/// One quiz question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub prompt: String,
    pub choices: Vec<String>,
    /// The right choice's position.
    pub answer: usize,
}

/// A quiz from its written form (see the module docs), or the field errors of `field`.
pub fn parse_quiz(written: &str, field: &str) -> Result<Vec<Question>, FieldError> {
    let mut questions = Vec::new();
    for line in written.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut parts = line.split('|').map(str::trim);
        let prompt = parts.next().unwrap_or_default();
        let mut choices = Vec::new();
        let mut answer = None;
        for part in parts {
            match part.strip_prefix('*') {
                Some(right) => {
                    if answer.replace(choices.len()).is_some() {
                        return Err(FieldError::new(field, "error-quiz-one-answer"));
                    }
                    choices.push(right.trim().to_owned());
                }
                None => choices.push(part.to_owned()),
            }
        }
        if prompt.is_empty()
            || choices.len() < 2
            || choices.len() > MAX_CHOICES
            || choices.iter().any(String::is_empty)
        {
            return Err(FieldError::new(field, "error-quiz-line"));
        }
        let Some(answer) = answer else {
            return Err(FieldError::new(field, "error-quiz-one-answer"));
        };
        if text::line(prompt).is_err() || choices.iter().any(|c| text::line(c).is_err()) {
            return Err(FieldError::new(field, text::INVALID_CHARACTERS));
        }
        questions.push(Question {
            prompt: prompt.to_owned(),
            choices,
            answer,
        });
    }
    if questions.len() > MAX_QUESTIONS {
        return Err(FieldError::new(field, "error-too-many"));
    }
    Ok(questions)
}

/// A quiz in its written form, as kept.
pub fn write_quiz(quiz: &[Question]) -> String {
    quiz.iter()
        .map(|q| {
            let choices: Vec<String> = q
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if i == q.answer {
                        format!("*{c}")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            format!("{} | {}", q.prompt, choices.join(" | "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A course as kept, with its modules in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub id: i64,
    pub title: String,
    pub area: Area,
    pub summary: String,
    /// The continuing-education (보수교육) hours completing it earns towards a renewal.
    pub hours: u32,
    pub created_at: Timestamp,
    pub modules: Vec<Module>,
}

/// One module of a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub id: i64,
    pub course: i64,
    /// From 1, in the course's order.
    pub position: u32,
    pub title: String,
    /// As written (Markdown).
    pub body: String,
    /// The sanitized HTML of `body`, rendered once when written.
    pub body_html: String,
    /// Video or document addresses (http or https).
    pub links: Vec<String>,
    pub quiz: Vec<Question>,
}

/// A new course.
#[derive(Debug, Clone)]
pub struct NewCourse {
    pub title: String,
    pub area: Area,
    pub summary: String,
    pub hours: u32,
    pub created_at: Timestamp,
}

/// A course as typed.
#[derive(Debug, Clone, Default)]
pub struct CourseInput {
    pub title: String,
    pub area: String,
    pub summary: String,
    /// The 보수교육 hours it earns, as typed (empty: none).
    pub hours: String,
}

/// The most 보수교육 hours one course earns.
pub const MAX_COURSE_HOURS: u32 = 40;

/// A module as typed: the links one per line, the quiz one question per line.
#[derive(Debug, Clone, Default)]
pub struct ModuleInput {
    pub title: String,
    pub body: String,
    pub links: String,
    pub quiz: String,
}

/// A new module, checked.
#[derive(Debug, Clone)]
pub struct NewModule {
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub links: Vec<String>,
    pub quiz: Vec<Question>,
}

/// A course's or a module's title as typed: one line, required, at most 100 characters.
fn title(errors: &mut ValidationErrors, typed: &str) -> String {
    let title = text::line(typed).unwrap_or_else(|code| {
        errors.push("title", code);
        Default::default()
    });
    if title.is_empty() {
        errors.push("title", "error-required");
    } else if text::longer_than(&title, 100) {
        errors.push("title", "error-too-long");
    }
    title.into_owned()
}

impl ModuleInput {
    pub fn validate(&self) -> Result<NewModule, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = title(&mut errors, &self.title);
        let body = text::multi_line(&self.body).unwrap_or_else(|code| {
            errors.push("body", code);
            Default::default()
        });
        if text::longer_than(&body, 20_000) {
            errors.push("body", "error-too-long");
        }
        let mut links = Vec::new();
        for link in self.links.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if (link.starts_with("https://") || link.starts_with("http://"))
                && link.len() <= 500
                && !link.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                links.push(link.to_owned());
            } else {
                errors.push("links", "error-link-invalid");
                break;
            }
        }
        let quiz = parse_quiz(&self.quiz, "quiz").unwrap_or_else(|e| {
            errors.push(e.field, e.code);
            Vec::new()
        });
        if body.is_empty() && links.is_empty() {
            errors.push("body", "error-module-empty");
        }
        errors.into_result()?;
        Ok(NewModule {
            title,
            body_html: crate::community::text::render_markdown(&body),
            body: body.into_owned(),
            links,
            quiz,
        })
    }
}

/// What a designer's answers to a module's quiz came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graded {
    pub right: usize,
    pub questions: usize,
    /// Every answer right: the module is passed.
    pub passed: bool,
}

/// Grades `answers` (the chosen position of each question, `None` when left blank).
pub fn grade(quiz: &[Question], answers: &[Option<usize>]) -> Graded {
    let right = quiz
        .iter()
        .enumerate()
        .filter(|(i, q)| answers.get(*i).copied().flatten() == Some(q.answer))
        .count();
    Graded {
        right,
        questions: quiz.len(),
        passed: right == quiz.len(),
    }
}

impl Course {
    /// Whether every module is among `passed` (module ids); a course without modules is never
    /// completed.
    pub fn completed_by(&self, passed: &[i64]) -> bool {
        !self.modules.is_empty() && self.modules.iter().all(|m| passed.contains(&m.id))
    }
}

/// A course with how far one designer got.
#[derive(Debug, Clone)]
pub struct CourseProgress {
    pub course: Course,
    /// The modules the designer passed, by id.
    pub passed: Vec<i64>,
}

impl CourseProgress {
    pub fn completed(&self) -> bool {
        self.course.completed_by(&self.passed)
    }
}

/// The 보수교육 hours of the courses completed from `from` to `to`: a course counts once, when
/// its last module was passed in that time. `passes` are (module, when passed).
pub fn cpd_hours(
    courses: &[Course],
    passes: &[(i64, Timestamp)],
    from: Timestamp,
    to: Timestamp,
) -> u32 {
    courses
        .iter()
        .filter(|c| !c.modules.is_empty())
        .filter_map(|c| {
            let mut completed = None;
            for module in &c.modules {
                let passed = passes.iter().find(|(m, _)| *m == module.id)?.1;
                completed = completed.max(Some(passed));
            }
            completed
                .filter(|at| *at >= from && *at <= to)
                .map(|_| c.hours)
        })
        .sum()
}

#[derive(Debug, thiserror::Error)]
pub enum CourseError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The course use cases.
pub struct Courses<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
}

impl Courses<'_> {
    fn may_read(user: &User) -> Result<(), CourseError> {
        if user.role == Role::Designer || user.role.is_staff() {
            Ok(())
        } else {
            Err(CourseError::Forbidden)
        }
    }

    /// Creates a course (staff).
    pub async fn create(
        &self,
        user: &User,
        actor: &Actor,
        input: &CourseInput,
    ) -> Result<Course, CourseError> {
        if !user.role.is_staff() {
            return Err(CourseError::Forbidden);
        }
        let mut errors = ValidationErrors::new();
        let title = title(&mut errors, &input.title);
        let area = Area::parse(&input.area);
        if area.is_none() {
            errors.push("area", "error-course-area");
        }
        let summary = text::multi_line(&input.summary).unwrap_or_else(|code| {
            errors.push("summary", code);
            Default::default()
        });
        if text::longer_than(&summary, 1000) {
            errors.push("summary", "error-too-long");
        }
        let hours = match input.hours.trim() {
            "" => Some(0),
            typed => typed.parse::<u32>().ok().filter(|h| *h <= MAX_COURSE_HOURS),
        };
        if hours.is_none() {
            errors.push("hours", "error-course-hours");
        }
        errors.into_result().map_err(CourseError::Invalid)?;
        let now = self.clock.now();
        let new = NewCourse {
            title,
            area: area.expect("checked above"),
            summary: summary.into_owned(),
            hours: hours.expect("checked above"),
            created_at: now,
        };
        let audit = actor.entry(now, "course.create", "", new.title.clone());
        Ok(self.store.create_course(&new, &audit).await?)
    }

    /// Adds a module at the end of a course (staff).
    pub async fn add_module(
        &self,
        user: &User,
        actor: &Actor,
        course: i64,
        input: &ModuleInput,
    ) -> Result<Module, CourseError> {
        if !user.role.is_staff() {
            return Err(CourseError::Forbidden);
        }
        self.store
            .course(course)
            .await?
            .ok_or(CourseError::NotFound)?;
        let module = input.validate().map_err(CourseError::Invalid)?;
        let audit = actor.entry(
            self.clock.now(),
            "course.module",
            format!("course:{course}"),
            module.title.clone(),
        );
        Ok(self
            .store
            .add_course_module(course, &module, &audit)
            .await?)
    }

    /// Every course with the caller's progress (designers and staff; staff have none).
    pub async fn list(&self, user: &User) -> Result<Vec<CourseProgress>, CourseError> {
        Self::may_read(user)?;
        let passed = self.store.passed_modules(user.id).await?;
        Ok(self
            .store
            .courses()
            .await?
            .into_iter()
            .map(|course| {
                let passed = course
                    .modules
                    .iter()
                    .map(|m| m.id)
                    .filter(|id| passed.contains(id))
                    .collect();
                CourseProgress { course, passed }
            })
            .collect())
    }

    /// One course with the caller's progress.
    pub async fn get(&self, user: &User, id: i64) -> Result<CourseProgress, CourseError> {
        Self::may_read(user)?;
        let course = self.store.course(id).await?.ok_or(CourseError::NotFound)?;
        let passed = self.store.passed_modules(user.id).await?;
        let passed = course
            .modules
            .iter()
            .map(|m| m.id)
            .filter(|id| passed.contains(id))
            .collect();
        Ok(CourseProgress { course, passed })
    }

    /// A designer answers a module's quiz (or marks a module without one read): graded here,
    /// and the module passed when every answer is right.
    pub async fn answer(
        &self,
        user: &User,
        actor: &Actor,
        course: i64,
        module: i64,
        answers: &[Option<usize>],
    ) -> Result<Graded, CourseError> {
        if user.role != Role::Designer {
            return Err(CourseError::Forbidden);
        }
        let found = self
            .store
            .course(course)
            .await?
            .ok_or(CourseError::NotFound)?;
        let module = found
            .modules
            .iter()
            .find(|m| m.id == module)
            .ok_or(CourseError::NotFound)?;
        let graded = grade(&module.quiz, answers);
        if graded.passed {
            let now = self.clock.now();
            let audit = actor.entry(
                now,
                "course.pass",
                format!("course:{course}"),
                format!("module:{}", module.id),
            );
            self.store
                .pass_module(user.id, module.id, now, &audit)
                .await?;
        }
        Ok(graded)
    }

    /// How many (designer, course) completions there are: the dashboard's "courses completed".
    /// Two reads, whatever the number of designers.
    pub async fn completions(&self) -> Result<i64, StoreError> {
        let courses = self.store.courses().await?;
        let mut passed: std::collections::BTreeMap<UserId, Vec<i64>> = Default::default();
        for (designer, module) in self.store.module_passes().await? {
            passed.entry(designer).or_default().push(module);
        }
        Ok(passed
            .values()
            .map(|modules| courses.iter().filter(|c| c.completed_by(modules)).count() as i64)
            .sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quiz_is_written_one_question_a_line_with_the_right_choice_starred() {
        let quiz = parse_quiz(
            "쿠팡 OPEN API 키는 며칠 동안 쓸 수 있나요? | 30일 | 90일 | *180일\n\n네이버 상품명 최대 길이는? | *100자 | 50자",
            "quiz",
        )
        .unwrap();
        assert_eq!(quiz.len(), 2);
        assert_eq!(quiz[0].answer, 2);
        assert_eq!(quiz[1].choices, ["100자", "50자"]);
        assert_eq!(parse_quiz(&write_quiz(&quiz), "quiz").unwrap(), quiz);
        for bad in [
            "질문만 | 보기",
            "질문 | *가 | *나",
            "질문 | 가 | 나",
            " | *가 | 나",
        ] {
            assert!(parse_quiz(bad, "quiz").is_err(), "{bad}");
        }
    }

    #[test]
    fn a_module_passes_only_with_every_answer_right() {
        let quiz = parse_quiz("가? | *예 | 아니오\n나? | 예 | *아니오", "quiz").unwrap();
        assert!(grade(&quiz, &[Some(0), Some(1)]).passed);
        let one_wrong = grade(&quiz, &[Some(0), Some(0)]);
        assert_eq!((one_wrong.right, one_wrong.passed), (1, false));
        assert!(!grade(&quiz, &[Some(0)]).passed, "a blank answer is wrong");
        assert!(
            grade(&[], &[]).passed,
            "a module without a quiz is passed by reading it"
        );
    }
}
