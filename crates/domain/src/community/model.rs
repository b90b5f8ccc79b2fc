//! The community's records: topics, questions and answers (with votes and acceptance), know-how
//! articles (drafts, review, publishing), and the rules on what a post may hold.

use std::borrow::Cow;

use crate::accounts::UserId;
use crate::community::text::render_markdown;
use crate::kernel::channel::Channel;
use crate::kernel::error::ValidationErrors;
use crate::kernel::text;
use crate::kernel::time::Timestamp;

/// Topics, in the order menus show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    /// 입점
    Listing,
    /// 상세페이지
    DetailPage,
    /// 상품정보제공고시
    Notice,
    /// 배송·반품
    Shipping,
    /// 정산
    Settlement,
    /// 라이브
    Live,
    /// 사진
    Photos,
}

impl Topic {
    pub const ALL: [Topic; 7] = [
        Topic::Listing,
        Topic::DetailPage,
        Topic::Notice,
        Topic::Shipping,
        Topic::Settlement,
        Topic::Live,
        Topic::Photos,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Topic::Listing => "listing",
            Topic::DetailPage => "detail_page",
            Topic::Notice => "notice",
            Topic::Shipping => "shipping",
            Topic::Settlement => "settlement",
            Topic::Live => "live",
            Topic::Photos => "photos",
        }
    }

    /// By code or by its Korean name (`입점`, `상세페이지`, `상품정보제공고시` or `고시`, `배송`,
    /// `반품`, `배송·반품`, `정산`, `라이브`, `사진`).
    pub fn parse(text: &str) -> Option<Topic> {
        let t = text.trim();
        Topic::ALL.into_iter().find(|c| c.code() == t).or(match t {
            "입점" => Some(Topic::Listing),
            "상세페이지" => Some(Topic::DetailPage),
            "상품정보제공고시" | "고시" => Some(Topic::Notice),
            "배송" | "반품" | "배송·반품" | "배송/반품" => Some(Topic::Shipping),
            "정산" => Some(Topic::Settlement),
            "라이브" => Some(Topic::Live),
            "사진" => Some(Topic::Photos),
            _ => None,
        })
    }

    /// The topic an error code most likely belongs to (for a question started from an error).
    pub fn of_error(code: &str) -> Topic {
        if code.contains("notice") {
            Topic::Notice
        } else if code.contains("image") || code.contains("photo") {
            Topic::Photos
        } else if code.contains("detail") {
            Topic::DetailPage
        } else if code.contains("ship") || code.contains("return") || code.contains("delivery") {
            Topic::Shipping
        } else {
            Topic::Listing
        }
    }
}

/// Limits of what a post holds (characters).
pub const TITLE_MIN: usize = 5;
pub const TITLE_MAX: usize = 150;
pub const BODY_MIN: usize = 10;
pub const BODY_MAX: usize = 20_000;
pub const ANSWER_MIN: usize = 5;
pub const ERROR_CODE_MAX: usize = 80;

/// A solved question takes no new answers after this many days.
pub const CLOSE_AFTER_SOLVED_DAYS: i64 = 14;

/// What someone types to ask.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct QuestionInput {
    pub title: String,
    pub body: String,
    /// A topic code or Korean name.
    pub topic: String,
    /// A marketplace code, or empty.
    pub channel: String,
    /// The readiness or marketplace error code the question is about, or empty.
    pub error_code: String,
}

/// A question checked: text cleaned, topic and channel parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidQuestion {
    pub title: String,
    pub body: String,
    pub topic: Topic,
    pub channel: Option<Channel>,
    pub error_code: String,
}

impl QuestionInput {
    pub fn validate(&self) -> Result<ValidQuestion, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = checked_text(
            &mut errors,
            "title",
            &self.title,
            TITLE_MIN,
            TITLE_MAX,
            false,
        );
        let body = checked_text(&mut errors, "body", &self.body, BODY_MIN, BODY_MAX, true);
        let topic = Topic::parse(&self.topic);
        if topic.is_none() {
            errors.push("topic", "error-community-topic");
        }
        let channel = match self.channel.trim() {
            "" => None,
            code => match Channel::parse_field(code, "channel") {
                Ok(c) => Some(c),
                Err(_) => {
                    errors.push("channel", "error-community-channel");
                    None
                }
            },
        };
        let error_code = self.error_code.trim().to_owned();
        if error_code.chars().count() > ERROR_CODE_MAX
            || !error_code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            errors.push("error_code", "error-community-error-code");
        }
        errors.into_result()?;
        Ok(ValidQuestion {
            title,
            body,
            topic: topic.unwrap_or(Topic::Listing),
            channel,
            error_code,
        })
    }
}

/// A text field cleaned and within its length; pushes the field's error otherwise.
pub fn checked_text(
    errors: &mut ValidationErrors,
    field: &str,
    input: &str,
    min: usize,
    max: usize,
    multi_line: bool,
) -> String {
    let cleaned = if multi_line {
        text::multi_line(input)
    } else {
        text::line(input)
    };
    match cleaned {
        Err(key) => {
            errors.push(field, key);
            String::new()
        }
        Ok(t) => {
            let t = t.trim().to_owned();
            let n = text::char_len(&t);
            if n < min {
                errors.push(field, "error-community-too-short");
            } else if n > max {
                errors.push(field, "error-too-long");
            }
            t
        }
    }
}

/// A question as stored. `title` and `body` are as the author typed them (personal data masked
/// when they were saved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    pub author: UserId,
    pub author_name: String,
    pub title: String,
    pub body: String,
    /// The body's safe HTML, rendered when it was written (empty for posts kept before bodies
    /// were cooked: read it through [`Question::html`]).
    pub body_html: String,
    pub topic: Topic,
    pub channel: Option<Channel>,
    pub error_code: String,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    /// When the first answer was accepted.
    pub solved_at: Option<Timestamp>,
    /// Hidden by its author or by staff (answers keep their authors' history).
    pub hidden_at: Option<Timestamp>,
    pub answers: u32,
    /// When the first answer came (for time-to-first-answer).
    pub first_answer_at: Option<Timestamp>,
}

impl Question {
    /// The body as safe HTML: as cooked when written, or rendered now for an older post.
    pub fn html(&self) -> Cow<'_, str> {
        cooked_or_rendered(&self.body_html, &self.body)
    }

    /// Solved more than `CLOSE_AFTER_SOLVED_DAYS` ago: no new answers.
    pub fn closed_at(&self, now: Timestamp) -> bool {
        self.solved_at
            .is_some_and(|at| now.unix_ms() - at.unix_ms() > CLOSE_AFTER_SOLVED_DAYS * 86_400_000)
    }
}

/// A question to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub author: UserId,
    pub author_name: String,
    pub question: ValidQuestion,
    /// The body's safe HTML, rendered once here.
    pub body_html: String,
    pub at: Timestamp,
}

/// An answer as stored, with its score (sum of votes) and acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub id: i64,
    pub question: i64,
    pub author: UserId,
    pub author_name: String,
    pub body: String,
    /// The body's safe HTML, rendered when it was written (see [`Answer::html`]).
    pub body_html: String,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    pub accepted_at: Option<Timestamp>,
    pub accepted_by: Option<UserId>,
    pub score: i64,
    /// Hidden by staff (or by enough flags, until staff decide).
    pub hidden_at: Option<Timestamp>,
}

impl Answer {
    /// The body as safe HTML: as cooked when written, or rendered now for an older post.
    pub fn html(&self) -> Cow<'_, str> {
        cooked_or_rendered(&self.body_html, &self.body)
    }
}

/// A post's cooked HTML, or its Markdown rendered now when it was kept before posts were
/// cooked (the column is empty then).
fn cooked_or_rendered<'a>(cooked: &'a str, markdown: &str) -> Cow<'a, str> {
    if cooked.is_empty() && !markdown.is_empty() {
        Cow::Owned(render_markdown(markdown))
    } else {
        Cow::Borrowed(cooked)
    }
}

/// An answer to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAnswer {
    pub question: i64,
    pub author: UserId,
    pub author_name: String,
    pub body: String,
    /// The body's safe HTML, rendered once here.
    pub body_html: String,
    pub at: Timestamp,
}

/// A kept earlier text of a post (edits keep history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub editor: UserId,
    pub editor_name: String,
    pub title: String,
    pub body: String,
    pub at: Timestamp,
}

/// Where an article is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ArticleStatus {
    Draft,
    InReview,
    Published,
}

impl ArticleStatus {
    pub fn code(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::InReview => "in_review",
            ArticleStatus::Published => "published",
        }
    }

    pub fn parse(code: &str) -> Option<ArticleStatus> {
        [
            ArticleStatus::Draft,
            ArticleStatus::InReview,
            ArticleStatus::Published,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// What an author types for a know-how article.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct ArticleInput {
    pub title: String,
    pub body: String,
    pub topic: String,
    pub channel: String,
    /// The error code the article explains, or empty.
    pub error_code: String,
}

/// A know-how article (노하우).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: i64,
    pub author: UserId,
    pub author_name: String,
    pub title: String,
    pub body: String,
    /// The body's safe HTML, rendered when it was written (see [`Article::html`]).
    pub body_html: String,
    pub topic: Topic,
    pub channel: Option<Channel>,
    pub error_code: String,
    pub status: ArticleStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub published_at: Option<Timestamp>,
    /// Edits saved (1 for a new article).
    pub version: u32,
    pub reads: i64,
    pub helpful: i64,
}

impl Article {
    /// The body as safe HTML: as cooked when written, or rendered now for an older post.
    pub fn html(&self) -> Cow<'_, str> {
        cooked_or_rendered(&self.body_html, &self.body)
    }
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// Someone answered the reader's question.
    Answer,
    /// The reader's answer was accepted.
    Accepted,
    /// The reader is asked to answer a question like one they solved.
    Invitation,
    /// Someone named the reader (`@이름`) in an answer to a thread they took part in.
    Mention,
}

impl NotificationKind {
    pub fn code(self) -> &'static str {
        match self {
            NotificationKind::Answer => "answer",
            NotificationKind::Accepted => "accepted",
            NotificationKind::Invitation => "invitation",
            NotificationKind::Mention => "mention",
        }
    }

    pub fn parse(code: &str) -> Option<NotificationKind> {
        [
            NotificationKind::Answer,
            NotificationKind::Accepted,
            NotificationKind::Invitation,
            NotificationKind::Mention,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// One of a person's notifications (in-app).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    pub question: i64,
    pub question_title: String,
    pub answer: Option<i64>,
    /// Who did it (the answerer, the asker), as their posts show them.
    pub actor_name: String,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

/// Whether a person takes questions routed to them, and the daily digest by mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Helping {
    pub opted_in: bool,
    /// Also from shops of their own 시군구 and industry.
    pub nearby: bool,
    /// A daily mail of unread notifications (on unless turned off).
    pub digest: bool,
}

impl Default for Helping {
    fn default() -> Self {
        Helping {
            opted_in: false,
            nearby: false,
            digest: true,
        }
    }
}

/// Why someone flags a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlagReason {
    Spam,
    Abuse,
    Advertising,
    PersonalData,
}

impl FlagReason {
    pub const ALL: [FlagReason; 4] = [
        FlagReason::Spam,
        FlagReason::Abuse,
        FlagReason::Advertising,
        FlagReason::PersonalData,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FlagReason::Spam => "spam",
            FlagReason::Abuse => "abuse",
            FlagReason::Advertising => "advertising",
            FlagReason::PersonalData => "personal_data",
        }
    }

    pub fn parse(code: &str) -> Option<FlagReason> {
        FlagReason::ALL
            .into_iter()
            .find(|r| r.code() == code.trim())
    }
}

/// A post with open flags, for the staff's review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedPost {
    pub question: i64,
    /// `None`: the question itself.
    pub answer: Option<i64>,
    pub title: String,
    pub body: String,
    pub author_name: String,
    pub hidden: bool,
    /// (reason, how many flagged it for that), most first.
    pub reasons: Vec<(FlagReason, u32)>,
    pub first_at: Timestamp,
}

/// A post with this many open flags is hidden until staff decide.
pub const AUTO_HIDE_FLAGS: u32 = 3;

/// A hall-of-fame owner who offers to mentor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentor {
    pub user: UserId,
    /// The shop's name, its 시군구 code and industry code.
    pub shop_name: String,
    pub region_code: String,
    pub industry_code: String,
    pub note: String,
    /// Requests accepted so far.
    pub mentees: u32,
}

/// A merchant's request to a mentor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentorRequest {
    pub id: i64,
    pub mentor: UserId,
    pub mentor_name: String,
    pub mentee: UserId,
    pub mentee_name: String,
    pub message: String,
    pub at: Timestamp,
    /// `None` while waiting; then accepted or declined.
    pub accepted: Option<bool>,
}

/// How far the community trusts an account, earned from its record and re-evaluated on every
/// use: a new account (under three days, or nothing posted yet) posts links as plain text and
/// cannot report; a member can; a regular (30 days, 10 answers, one accepted, or a hall-of-fame
/// owner) may also edit others' published know-how articles (the wiki); staff may do anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TrustLevel {
    New,
    Member,
    Regular,
    Staff,
}

impl TrustLevel {
    pub fn code(self) -> &'static str {
        match self {
            TrustLevel::New => "new",
            TrustLevel::Member => "member",
            TrustLevel::Regular => "regular",
            TrustLevel::Staff => "staff",
        }
    }

    /// The level of an account `age_days` old with `posts` questions and answers, `answers` of
    /// them answers, `accepted` of those accepted.
    pub fn of(
        staff: bool,
        age_days: i64,
        posts: u32,
        answers: u32,
        accepted: u32,
        hall_of_fame: bool,
    ) -> TrustLevel {
        if staff {
            TrustLevel::Staff
        } else if hall_of_fame {
            // The program's own record vouches for them (a shop past 1억 online), however new
            // the account.
            TrustLevel::Regular
        } else if age_days < 3 || posts == 0 {
            TrustLevel::New
        } else if age_days >= 30 && answers >= 10 && accepted >= 1 {
            TrustLevel::Regular
        } else {
            TrustLevel::Member
        }
    }
}

/// Reputation points: +10 per upvote and +15 per accepted answer, −2 per downvote, at most 200
/// gained in one (Seoul) day, never below 1.
pub const POINTS_UPVOTE: i64 = 10;
pub const POINTS_DOWNVOTE: i64 = -2;
pub const POINTS_ACCEPTED: i64 = 15;
pub const POINTS_DAILY_CAP: i64 = 200;

/// A user's reputation from what happened to their answers: `(when, points)` in any order.
pub fn reputation(events: &[(Timestamp, i64)]) -> i64 {
    let mut by_day: std::collections::BTreeMap<crate::kernel::time::Date, (i64, i64)> =
        std::collections::BTreeMap::new();
    for (at, points) in events {
        let day = by_day
            .entry(crate::kernel::time::seoul_date(*at))
            .or_default();
        if *points > 0 {
            day.0 += points;
        } else {
            day.1 += points;
        }
    }
    let total: i64 = by_day
        .values()
        .map(|(gained, lost)| gained.min(&POINTS_DAILY_CAP) + lost)
        .sum();
    (1 + total).max(1)
}

/// Badges earned, as message keys (`community-badge-…`).
pub fn badges(answers: u32, accepted: u32, hall_of_fame: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if answers >= 1 {
        out.push("community-badge-first-answer");
    }
    if accepted >= 10 {
        out.push("community-badge-solver-10");
    }
    if hall_of_fame && accepted >= 1 {
        out.push("community-badge-mentor");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_is_checked_by_field() {
        let errors = QuestionInput {
            title: "짧음".into(),
            body: "본문".into(),
            topic: "우주".into(),
            channel: "amazon".into(),
            error_code: "<script>".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "body", "topic", "channel", "error_code"]);
        let ok = QuestionInput {
            title: "쿠팡 반품지 코드는 어디서 보나요?".into(),
            body: "Wing에서 반품지 센터코드를 못 찾겠어요.".into(),
            topic: "입점".into(),
            channel: "coupang".into(),
            error_code: "listing-setting-missing".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.topic, Topic::Listing);
        assert_eq!(ok.channel, Some(Channel::Coupang));
    }

    #[test]
    fn reputation_caps_a_day_and_never_drops_below_one() {
        let day = Timestamp::from_unix_ms(1_796_083_200_000);
        let next = Timestamp::from_unix_ms(1_796_083_200_000 + 86_400_000);
        let many: Vec<(Timestamp, i64)> = (0..30).map(|_| (day, POINTS_UPVOTE)).collect();
        assert_eq!(reputation(&many), 1 + 200);
        let mut two_days = many.clone();
        two_days.push((next, POINTS_ACCEPTED));
        two_days.push((next, POINTS_DOWNVOTE));
        assert_eq!(reputation(&two_days), 1 + 200 + 15 - 2);
        assert_eq!(reputation(&[(day, POINTS_DOWNVOTE)]), 1);
    }

    #[test]
    fn trust_is_earned_by_age_and_record() {
        assert_eq!(TrustLevel::of(false, 10, 0, 0, 0, false), TrustLevel::New);
        assert_eq!(TrustLevel::of(false, 2, 5, 5, 1, false), TrustLevel::New);
        assert_eq!(TrustLevel::of(false, 3, 1, 0, 0, false), TrustLevel::Member);
        assert_eq!(
            TrustLevel::of(false, 29, 20, 20, 5, false),
            TrustLevel::Member
        );
        assert_eq!(
            TrustLevel::of(false, 30, 10, 10, 1, false),
            TrustLevel::Regular
        );
        assert_eq!(TrustLevel::of(false, 5, 1, 0, 0, true), TrustLevel::Regular);
        // The hall of fame vouches for a new account too.
        assert_eq!(TrustLevel::of(false, 0, 0, 0, 0, true), TrustLevel::Regular);
        assert_eq!(TrustLevel::of(true, 0, 0, 0, 0, false), TrustLevel::Staff);
    }

    #[test]
    fn a_solved_question_closes_after_fourteen_days() {
        let at = Timestamp::from_unix_ms(1_796_083_200_000);
        let q = Question {
            id: 1,
            author: UserId(1),
            author_name: String::new(),
            title: String::new(),
            body: String::new(),
            body_html: String::new(),
            topic: Topic::Listing,
            channel: None,
            error_code: String::new(),
            created_at: at,
            edited_at: None,
            solved_at: Some(at),
            hidden_at: None,
            answers: 1,
            first_answer_at: Some(at),
        };
        assert!(!q.closed_at(Timestamp::from_unix_ms(at.unix_ms() + 13 * 86_400_000)));
        assert!(q.closed_at(Timestamp::from_unix_ms(at.unix_ms() + 15 * 86_400_000)));
    }

    #[test]
    fn cooked_html_is_served_and_an_uncooked_post_is_rendered_on_reading() {
        let at = Timestamp::from_unix_ms(0);
        let mut answer = Answer {
            id: 1,
            question: 1,
            author: UserId(1),
            author_name: String::new(),
            body: "**반품**은 7일".into(),
            body_html: "<p>cooked</p>".into(),
            created_at: at,
            edited_at: None,
            accepted_at: None,
            accepted_by: None,
            score: 0,
            hidden_at: None,
        };
        assert_eq!(answer.html(), "<p>cooked</p>");
        // Kept before bodies were cooked: rendered from the Markdown now.
        answer.body_html.clear();
        assert_eq!(answer.html().trim(), "<p><strong>반품</strong>은 7일</p>");
    }
}
