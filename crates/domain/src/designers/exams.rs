//! The 디지털 유통설계사 exam: a written part drawn at random from an item bank and a practical
//! part graded by the rules that gate real listings.
//!
//! - **Item bank.** Operators write items per course area, one per line: a multiple-choice item
//!   as a quiz line (`question | choice | *right choice`), a short-answer item with its accepted
//!   answers marked `=` (`question | =answer | =other accepted form`). A bad item is retired,
//!   never deleted, so past attempts still read.
//! - **Forms.** Each attempt draws its own form with the level's blueprint (`Blueprint`): the
//!   same number of items from every area, chosen at random. The right answers stay on the
//!   server; a form is shown without them and graded here.
//! - **Time.** An attempt has a deadline set when it starts. Answers are saved while it runs;
//!   after the deadline nothing more is taken and the attempt counts as run out. One attempt at a
//!   time: a second one is refused while one runs (the store holds this even for two requests at
//!   once). After a failed attempt the candidate waits the level's retake period.
//! - **Practical.** The candidate gets a product brief (what a shop owner said about a product)
//!   and builds the product in Gachi's product form until the real readiness checks of two
//!   marketplaces pass, with a practice seller account whose settings are filled in. It is passed
//!   when the product has no blocking issue for either and matches the brief (price, stock,
//!   notice type). Checks that need what operators load (Coupang's category metadata) count
//!   once it is loaded; until then the candidate is told they were not made.
//! - **Passing** both parts issues the level's certificate (`Certificates::issue_as`).

use std::collections::BTreeMap;

use crate::accounts::{Role, User, UserId};
use crate::catalog::product::ProductFile;
use crate::designers::courses::{Area, Question, parse_quiz, write_quiz};
use crate::designers::{Certificates, Level};
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::text;
use crate::kernel::time::Timestamp;
use crate::listing::market_account::ChannelAccount;
use crate::listing::marketplaces::{Marketplaces, SellerSetup};
use crate::listing::publishing::{Readiness, readiness_of};
use crate::ports::{Clock, Store, StoreError};

const DAY: i64 = 24 * 3600;

/// What an exam at one level asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blueprint {
    pub level: Level,
    /// Items drawn from every course area.
    pub per_area: usize,
    /// The time allowed for both parts.
    pub minutes: i64,
    /// The written part's pass mark, in percent of the items.
    pub pass_percent: u32,
    /// How long a candidate waits after a failed attempt.
    pub retake_days: i64,
}

impl Blueprint {
    pub fn for_level(level: Level) -> Blueprint {
        match level {
            Level::Second => Blueprint {
                level,
                per_area: 3,
                minutes: 60,
                pass_percent: 60,
                retake_days: 7,
            },
            Level::First => Blueprint {
                level,
                per_area: 5,
                minutes: 90,
                pass_percent: 70,
                retake_days: 14,
            },
        }
    }

    pub fn items(&self) -> usize {
        self.per_area * Area::ALL.len()
    }
}

/// How an item is answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    /// Choose one; `answer` is the right choice's position.
    Choice { choices: Vec<String>, answer: usize },
    /// Type the answer; any of `accepted` is right (compared loosely, see `same_answer`).
    Short { accepted: Vec<String> },
}

/// One item of the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub area: Area,
    pub prompt: String,
    pub kind: ItemKind,
    pub retired: bool,
}

/// An item as written, before it is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemText {
    pub prompt: String,
    pub kind: ItemKind,
}

impl ItemText {
    /// The item in its written form, as kept.
    pub fn written(&self) -> String {
        match &self.kind {
            ItemKind::Choice { choices, answer } => write_quiz(&[Question {
                prompt: self.prompt.clone(),
                choices: choices.clone(),
                answer: *answer,
            }]),
            ItemKind::Short { accepted } => {
                let answers: Vec<String> = accepted.iter().map(|a| format!("={a}")).collect();
                format!("{} | {}", self.prompt, answers.join(" | "))
            }
        }
    }
}

/// The most accepted answers a short-answer item has.
const MAX_ACCEPTED: usize = 6;
/// The most items one write adds.
pub const MAX_ITEMS_AT_ONCE: usize = 200;

/// Items from their written form (see the module docs), or the error of `field` naming the
/// line (`items.3` for the third).
pub fn parse_items(written: &str, field: &str) -> Result<Vec<ItemText>, FieldError> {
    let mut items = Vec::new();
    for (number, line) in written.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = format!("{field}.{}", number + 1);
        items.push(parse_item(line, &at)?);
        if items.len() > MAX_ITEMS_AT_ONCE {
            return Err(FieldError::new(field, "error-too-many"));
        }
    }
    if items.is_empty() {
        return Err(FieldError::new(field, "error-required"));
    }
    Ok(items)
}

fn parse_item(line: &str, field: &str) -> Result<ItemText, FieldError> {
    let mut parts = line.split('|').map(str::trim);
    let prompt = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let short: Vec<&str> = rest.iter().filter_map(|p| p.strip_prefix('=')).collect();
    if short.is_empty() {
        let mut quiz = parse_quiz(line, field)?;
        let question = quiz
            .pop()
            .ok_or_else(|| FieldError::new(field, "error-quiz-line"))?;
        return Ok(ItemText {
            prompt: question.prompt,
            kind: ItemKind::Choice {
                choices: question.choices,
                answer: question.answer,
            },
        });
    }
    let accepted: Vec<String> = short.iter().map(|a| a.trim().to_owned()).collect();
    if prompt.is_empty()
        || short.len() != rest.len()
        || accepted.len() > MAX_ACCEPTED
        || accepted.iter().any(|a| normalized(a).is_empty())
    {
        return Err(FieldError::new(field, "error-exam-item-line"));
    }
    if text::line(prompt).is_err() || accepted.iter().any(|a| text::line(a).is_err()) {
        return Err(FieldError::new(field, text::INVALID_CHARACTERS));
    }
    Ok(ItemText {
        prompt: prompt.to_owned(),
        kind: ItemKind::Short { accepted },
    })
}

/// An answer as compared: NFKC, lower case, without spaces and the marks people add or leave
/// out (`180 일` = `180일`, `상품정보 제공고시` = `상품정보제공고시`).
fn normalized(answer: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    answer
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | ',' | '·' | '-' | '\'' | '"'))
        .collect()
}

/// Whether `given` answers `item` rightly: for a choice item the chosen position, for a short
/// one the typed text.
pub fn is_right(item: &ItemKind, given: Option<&str>) -> bool {
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return false;
    };
    match item {
        ItemKind::Choice { answer, .. } => given.parse::<usize>() == Ok(*answer),
        ItemKind::Short { accepted } => {
            let given = normalized(given);
            accepted.iter().any(|a| normalized(a) == given)
        }
    }
}

/// A small, seeded shuffle (SplitMix64), so a form is random per attempt and repeatable in
/// tests.
struct Shuffle(u64);

impl Shuffle {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Draws a form from `bank` (live items) with `blueprint`: `per_area` items of each area, the
/// areas in the curriculum's order, each area's items at random. `Err` names the areas with
/// too few items.
pub fn draw(bank: &[Item], blueprint: &Blueprint, seed: u64) -> Result<Vec<i64>, Vec<Area>> {
    let mut shuffle = Shuffle(seed);
    let mut form = Vec::with_capacity(blueprint.items());
    let mut short = Vec::new();
    for area in Area::ALL {
        let mut pool: Vec<i64> = bank
            .iter()
            .filter(|i| i.area == area && !i.retired)
            .map(|i| i.id)
            .collect();
        if pool.len() < blueprint.per_area {
            short.push(area);
            continue;
        }
        // A partial Fisher–Yates: the first `per_area` places get a random pick each.
        for place in 0..blueprint.per_area {
            let pick = place + shuffle.below(pool.len() - place);
            pool.swap(place, pick);
        }
        form.extend_from_slice(&pool[..blueprint.per_area]);
    }
    if short.is_empty() {
        Ok(form)
    } else {
        Err(short)
    }
}

/// A product brief for the practical: what a shop owner said, and what the product must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Brief {
    pub code: &'static str,
    pub title: &'static str,
    /// The owner's words, with every fact the listing needs.
    pub text: &'static str,
    pub price: i64,
    pub stock: i64,
    /// The notice type the product is (`GENERAL_FOOD`).
    pub notice_type: &'static str,
    /// The two marketplaces the product must be ready for.
    pub channels: [Channel; 2],
}

/// The briefs an attempt draws from.
pub const BRIEFS: [Brief; 3] = [
    Brief {
        code: "yakgwa",
        title: "전주 수제 찹쌀약과 선물세트",
        text: "전주 한옥마을에서 20년째 약과를 굽는 '한옥당'입니다. 찹쌀약과 선물세트(약과 12개, 600g)를 \
               네이버 스마트스토어와 쿠팡에 올려 주세요. 판매가 18,900원(정가 22,000원), 재고 40세트, \
               배송비 3,000원(3만 원 이상 무료), CJ대한통운 발송. 가공식품(유형: 유탕과자), 원재료: \
               찹쌀(국산) 45%, 조청(국산), 참기름, 생강. 제조원 한옥당(전북 전주시 완산구 은행로 12), \
               소비기한 제조일로부터 60일, 유전자변형식품 아님. 고객센터 063-285-1234. 교환·반품은 \
               수령 후 7일 이내.",
        price: 18_900,
        stock: 40,
        notice_type: "GENERAL_FOOD",
        channels: [Channel::Naver, Channel::Coupang],
    },
    Brief {
        code: "sweet-potato",
        title: "고창 황토 꿀고구마 5kg",
        text: "고창에서 황토 고구마를 키우는 '선운농원'입니다. 올해 수확한 꿀고구마 5kg(중 크기 20~25개)을 \
               네이버 스마트스토어와 쿠팡에 팔고 싶어요. 판매가 24,900원, 재고 120상자, 무료배송, \
               우체국택배. 농산물(품목: 고구마, 생산자 선운농원, 전북 고창군 아산면), 상자 1개에 5kg, \
               서늘한 곳에 보관, 흙이 묻어 있어 씻어서 드세요. 원산지 국산(전북 고창). 문의 \
               010-4321-8765. 신선식품이라 단순 변심 반품은 어렵습니다.",
        price: 24_900,
        stock: 120,
        notice_type: "FOOD",
        channels: [Channel::Naver, Channel::Coupang],
    },
    Brief {
        code: "cutting-board",
        title: "원목 통도마 (대)",
        text: "익산에서 원목 주방용품을 만드는 '나무공방 결'입니다. 캄포나무 통도마 대 사이즈(40×25×3cm)를 \
               네이버 스마트스토어와 쿠팡에 올려 주세요. 판매가 45,000원, 재고 15개, 배송비 3,500원, \
               한진택배. 주방용품(품명: 원목 도마, 모델명 GYEOL-CB-L, 재질: 캄포나무, 구성: 도마 1개), \
               제조자 나무공방 결, 제조국 대한민국. 품질보증: 구입 후 1년 이내 갈라짐 무상 교환. A/S \
               나무공방 결 063-851-2468.",
        price: 45_000,
        stock: 15,
        notice_type: "KITCHEN_UTENSILS",
        channels: [Channel::Naver, Channel::Coupang],
    },
];

impl Brief {
    pub fn find(code: &str) -> Option<&'static Brief> {
        BRIEFS.iter().find(|b| b.code == code)
    }
}

/// The practice seller's marketplace settings: a fictional shop with every setting filled, so
/// the practical grades the product, not the seller-center paperwork.
pub fn practice_setup(now: Timestamp) -> SellerSetup {
    let account = |channel: Channel, settings: &[(&str, &str)]| ChannelAccount {
        channel,
        settings: settings
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        sealed_credentials: None,
        updated_at: now,
        keys_saved_at: None,
    };
    SellerSetup {
        accounts: vec![
            account(
                Channel::Naver,
                &[
                    ("shipping_address_id", "100001"),
                    ("return_address_id", "100002"),
                ],
            ),
            account(
                Channel::Coupang,
                &[
                    ("vendor_id", "A00099999"),
                    ("vendor_user_id", "gachi-practice"),
                    ("return_center_code", "1000999999"),
                    ("return_charge_name", "가치 실기 반품지"),
                    ("company_contact_number", "063-000-0000"),
                    ("return_zip_code", "54999"),
                    ("return_address", "전북특별자치도 전주시 완산구 효자로 225"),
                    ("return_address_detail", "1층"),
                    ("outbound_shipping_place_code", "74010"),
                ],
            ),
        ],
        keys: BTreeMap::new(),
        notice_codes: BTreeMap::new(),
        coupang_meta: BTreeMap::new(),
    }
}

/// A fact of the brief the product must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    Price,
    Stock,
    NoticeType,
}

/// How the practical stands: readiness for the brief's marketplaces and the brief's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticalCheck {
    /// Readiness for each marketplace of the brief, by the marketplaces' own rules.
    pub readiness: Vec<Readiness>,
    /// The brief's facts the product does not carry.
    pub wrong_facts: Vec<Fact>,
}

impl PracticalCheck {
    /// What the candidate has left to fix: each marketplace's blocking issues in the product.
    /// Issues of the seller's setup (`Issue::is_account_issue`: the practice account's settings,
    /// and tables operators load, such as Coupang's category metadata) are not the candidate's
    /// to fix, so they are not graded.
    pub fn product_issues(&self) -> impl Iterator<Item = &crate::listing::marketplaces::Issue> {
        self.readiness
            .iter()
            .flat_map(|r| r.issues.iter())
            .filter(|i| !i.warning && !i.is_account_issue())
    }

    /// Checks the seller's setup kept from being made (see `product_issues`).
    pub fn ungraded(&self) -> usize {
        self.readiness
            .iter()
            .flat_map(|r| r.issues.iter())
            .filter(|i| !i.warning && i.is_account_issue())
            .count()
    }

    pub fn passed(&self) -> bool {
        self.wrong_facts.is_empty() && self.product_issues().next().is_none()
    }

    /// Checks `file` against `brief` with the marketplaces' own rules.
    pub fn of(
        brief: &Brief,
        file: &ProductFile,
        marketplaces: &dyn Marketplaces,
        setup: &SellerSetup,
    ) -> PracticalCheck {
        let readiness = readiness_of(marketplaces, file, setup)
            .into_iter()
            .filter(|r| brief.channels.contains(&r.channel))
            .collect();
        let whole = |v: &Option<crate::catalog::product::Loose>| v.as_ref().and_then(|l| l.whole());
        let mut wrong_facts = Vec::new();
        if whole(&file.price) != Some(brief.price) {
            wrong_facts.push(Fact::Price);
        }
        if whole(&file.stock) != Some(brief.stock) {
            wrong_facts.push(Fact::Stock);
        }
        let notice = file
            .notice
            .as_ref()
            .and_then(|n| crate::catalog::notice::find(n.kind.trim()));
        if notice.is_none_or(|n| n.upper != brief.notice_type) {
            wrong_facts.push(Fact::NoticeType);
        }
        PracticalCheck {
            readiness,
            wrong_facts,
        }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    /// The deadline passed before it was submitted.
    TimedOut,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::TimedOut => "timed_out",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        [Outcome::Passed, Outcome::Failed, Outcome::TimedOut]
            .into_iter()
            .find(|o| o.code() == code)
    }
}

/// An attempt's result, as closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub at: Timestamp,
    pub outcome: Outcome,
    pub written_right: u32,
    pub written_total: u32,
    pub practical_passed: bool,
}

impl Closed {
    pub fn written_percent(&self) -> u32 {
        (self.written_right * 100)
            .checked_div(self.written_total)
            .unwrap_or(0)
    }
}

/// One item of an attempt's form, with the answer saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormItem {
    /// From 1.
    pub position: u32,
    pub item: Item,
    pub answer: Option<String>,
}

/// An attempt as kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub id: i64,
    pub designer: UserId,
    /// The candidate's name as their account shows it.
    pub designer_name: String,
    pub level: Level,
    pub started_at: Timestamp,
    pub deadline: Timestamp,
    /// The brief's code.
    pub brief: String,
    /// The practical's product as last saved.
    pub practical: Option<ProductFile>,
    pub items: Vec<FormItem>,
    pub closed: Option<Closed>,
    pub certificate: Option<String>,
}

/// Where an attempt stands at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Running: answers are taken until the deadline.
    Open,
    /// The deadline passed and nobody submitted it.
    RanOut,
    Closed(Outcome),
}

impl Attempt {
    pub fn state(&self, now: Timestamp) -> State {
        match &self.closed {
            Some(closed) => State::Closed(closed.outcome),
            None if now >= self.deadline => State::RanOut,
            None => State::Open,
        }
    }

    pub fn brief(&self) -> Option<&'static Brief> {
        Brief::find(&self.brief)
    }

    /// When the candidate may try this level again after this attempt, if it was not passed.
    pub fn retake_from(&self) -> Option<Timestamp> {
        let ended = match &self.closed {
            Some(closed) if closed.outcome == Outcome::Passed => return None,
            Some(closed) => closed.at,
            None => self.deadline,
        };
        Some(ended.plus_seconds(Blueprint::for_level(self.level).retake_days * DAY))
    }
}

/// An attempt to start, as the store keeps it.
#[derive(Debug, Clone)]
pub struct NewAttempt {
    pub designer: UserId,
    pub level: Level,
    pub started_at: Timestamp,
    pub deadline: Timestamp,
    pub brief: &'static str,
    /// The form's items, in order.
    pub items: Vec<i64>,
}

/// Why an exam action was refused.
#[derive(Debug, thiserror::Error)]
pub enum ExamError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Another attempt runs: the candidate finishes that one first.
    #[error("an attempt is running")]
    AttemptRunning(i64),
    /// A failed attempt's waiting period runs until then.
    #[error("retake after {until:?}")]
    RetakeWait {
        until: Timestamp,
        retry_after_seconds: i64,
    },
    /// The attempt is past its deadline or already submitted.
    #[error("attempt closed")]
    Closed,
    /// The bank lacks items for these areas.
    #[error("item bank too small")]
    BankTooSmall(Vec<Area>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Certificate(#[from] crate::designers::CertificateError),
}

/// Whether a candidate may start an attempt at a level, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Eligibility {
    Eligible,
    /// Holds a valid certificate at this level already.
    Certified,
    /// 1급 needs a valid 2급 (or 1급) certificate.
    NeedsSecondLevel,
    /// The courses of these areas are not completed yet.
    CoursesMissing(Vec<Area>),
    RetakeWait(Timestamp),
    /// An attempt runs (at this level or another).
    Running {
        id: i64,
        level: Level,
    },
}

/// Where a candidate stands for `level` given their attempts, certificates and the course
/// areas they have not completed, in the order a refusal is explained.
fn eligibility_at(
    level: Level,
    attempts: &[Attempt],
    held: &[crate::designers::Certificate],
    missing: &[Area],
    now: Timestamp,
) -> Eligibility {
    if let Some(running) = attempts.iter().find(|a| a.state(now) == State::Open) {
        return Eligibility::Running {
            id: running.id,
            level: running.level,
        };
    }
    let valid: Vec<&crate::designers::Certificate> = held
        .iter()
        .filter(|c| c.status(now) == crate::designers::Status::Valid)
        .collect();
    // A holder may sit the exam again once the certificate is in its renewal window.
    let at_level: Vec<_> = valid.iter().filter(|c| c.level == level).collect();
    if !at_level.is_empty() && !at_level.iter().all(|c| c.in_renewal_window(now)) {
        return Eligibility::Certified;
    }
    if level == Level::First && valid.is_empty() {
        return Eligibility::NeedsSecondLevel;
    }
    if let Some(wait) = attempts
        .iter()
        .filter(|a| a.level == level)
        .max_by_key(|a| a.started_at)
        .and_then(Attempt::retake_from)
        .filter(|until| *until > now)
    {
        return Eligibility::RetakeWait(wait);
    }
    if !missing.is_empty() {
        return Eligibility::CoursesMissing(missing.to_vec());
    }
    Eligibility::Eligible
}

/// The pass rate of closed attempts: (passed, closed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassRate {
    pub passed: i64,
    pub closed: i64,
}

impl PassRate {
    /// In percent, `None` before any attempt closed.
    pub fn percent(&self) -> Option<i64> {
        (self.closed > 0).then(|| self.passed * 100 / self.closed)
    }
}

/// The exam use cases.
pub struct Exams<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    pub marketplaces: &'a dyn Marketplaces,
    /// Issues the certificate of a passed attempt.
    pub certificates: Certificates<'a>,
}

impl Exams<'_> {
    /// Adds written items to the bank of `area` (staff).
    pub async fn add_items(
        &self,
        user: &User,
        actor: &Actor,
        area: &str,
        written: &str,
    ) -> Result<usize, ExamError> {
        if !user.role.is_staff() {
            return Err(ExamError::Forbidden);
        }
        let mut errors = ValidationErrors::new();
        let area = Area::parse(area);
        if area.is_none() {
            errors.push("area", "error-course-area");
        }
        let items = parse_items(written, "items").unwrap_or_else(|e| {
            errors.push(e.field, e.code);
            Vec::new()
        });
        errors.into_result().map_err(ExamError::Invalid)?;
        let area = area.expect("checked above");
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "exam.items",
            format!("area:{}", area.code()),
            format!("{} items", items.len()),
        );
        self.store.add_exam_items(area, &items, now, &audit).await?;
        Ok(items.len())
    }

    /// Retires an item (staff): later forms leave it out; past attempts keep it.
    pub async fn retire_item(&self, user: &User, actor: &Actor, id: i64) -> Result<(), ExamError> {
        if !user.role.is_staff() {
            return Err(ExamError::Forbidden);
        }
        let now = self.clock.now();
        let audit = actor.entry(now, "exam.retire", format!("exam_item:{id}"), "");
        match self.store.retire_exam_item(id, now, &audit).await {
            Err(StoreError::NotFound) => Err(ExamError::NotFound),
            other => Ok(other?),
        }
    }

    /// The item bank, live and retired (staff).
    pub async fn bank(&self, user: &User) -> Result<Vec<Item>, ExamError> {
        if !user.role.is_staff() {
            return Err(ExamError::Forbidden);
        }
        Ok(self.store.exam_items().await?)
    }

    /// Whether `user` may start an attempt at each level now, 2급 first: their attempts,
    /// certificates and courses read once for both.
    pub async fn eligibilities(&self, user: &User) -> Result<Vec<(Level, Eligibility)>, ExamError> {
        if user.role != Role::Designer {
            return Err(ExamError::Forbidden);
        }
        let now = self.clock.now();
        let attempts = self.store.exam_attempts(Some(user.id), 100).await?;
        let (held, _) = self.store.certificates(Some(user.id), 0, 100).await?;
        let missing = self.courses_missing(user.id).await?;
        Ok(Level::ALL
            .into_iter()
            .map(|level| {
                (
                    level,
                    eligibility_at(level, &attempts, &held, &missing, now),
                )
            })
            .collect())
    }

    /// Whether `user` may start an attempt at `level` now.
    pub async fn eligibility(&self, user: &User, level: Level) -> Result<Eligibility, ExamError> {
        Ok(self
            .eligibilities(user)
            .await?
            .into_iter()
            .find(|(l, _)| *l == level)
            .map(|(_, e)| e)
            .expect("every level is assessed"))
    }

    /// The areas whose courses `designer` has not completed: an area with courses needs one
    /// of them completed.
    async fn courses_missing(&self, designer: UserId) -> Result<Vec<Area>, StoreError> {
        let courses = self.store.courses().await?;
        let passed = self.store.passed_modules(designer).await?;
        Ok(Area::ALL
            .into_iter()
            .filter(|&area| {
                let of_area: Vec<_> = courses.iter().filter(|c| c.area == area).collect();
                !of_area.is_empty() && !of_area.iter().any(|c| c.completed_by(&passed))
            })
            .collect())
    }

    /// Starts an attempt at `level`: draws the form and a brief, and sets the deadline.
    pub async fn start(
        &self,
        user: &User,
        actor: &Actor,
        level: Level,
    ) -> Result<Attempt, ExamError> {
        match self.eligibility(user, level).await? {
            Eligibility::Eligible => {}
            Eligibility::Running { id, .. } => return Err(ExamError::AttemptRunning(id)),
            Eligibility::RetakeWait(until) => {
                return Err(ExamError::RetakeWait {
                    until,
                    retry_after_seconds: self.clock.now().seconds_until(until).max(1),
                });
            }
            Eligibility::Certified => return Err(refuse("level", "error-exam-certified")),
            Eligibility::NeedsSecondLevel => {
                return Err(refuse("level", "error-exam-needs-second"));
            }
            Eligibility::CoursesMissing(_) => {
                return Err(refuse("level", "error-exam-courses-missing"));
            }
        }
        let blueprint = Blueprint::for_level(level);
        let bank = self.store.exam_items().await?;
        let mut seed = [0u8; 8];
        getrandom::fill(&mut seed).expect("the operating system's random source is available");
        let seed = u64::from_le_bytes(seed);
        let items = draw(&bank, &blueprint, seed).map_err(ExamError::BankTooSmall)?;
        let brief = &BRIEFS[(seed >> 32) as usize % BRIEFS.len()];
        let now = self.clock.now();
        let new = NewAttempt {
            designer: user.id,
            level,
            started_at: now,
            deadline: now.plus_seconds(blueprint.minutes * 60),
            brief: brief.code,
            items,
        };
        let audit = actor.entry(
            now,
            "exam.start",
            "",
            format!("level:{} brief:{}", level.grade(), brief.code),
        );
        match self.store.start_exam_attempt(&new, &audit).await {
            Ok(id) => self.attempt(user, id).await,
            // Two starts at once: the store let one through.
            Err(StoreError::Conflict(_)) => {
                let running = self
                    .store
                    .exam_attempts(Some(user.id), 1)
                    .await?
                    .into_iter()
                    .find(|a| a.closed.is_none())
                    .map_or(0, |a| a.id);
                Err(ExamError::AttemptRunning(running))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// An attempt: the candidate's own, or any for staff, closed as run out when its deadline
    /// passed. Answers are in the items; callers show the candidate only the prompts and
    /// choices.
    pub async fn attempt(&self, user: &User, id: i64) -> Result<Attempt, ExamError> {
        let mut attempt = self
            .store
            .exam_attempt(id)
            .await?
            .ok_or(ExamError::NotFound)?;
        if attempt.designer != user.id && !user.role.is_staff() {
            return Err(ExamError::NotFound);
        }
        self.settle(&mut attempt).await?;
        Ok(attempt)
    }

    /// The candidate's own running attempt, or `Closed`.
    async fn open_attempt(&self, user: &User, id: i64) -> Result<Attempt, ExamError> {
        let attempt = self.attempt(user, id).await?;
        if attempt.designer != user.id {
            return Err(ExamError::Forbidden);
        }
        match attempt.state(self.clock.now()) {
            State::Open => Ok(attempt),
            State::RanOut | State::Closed(_) => Err(ExamError::Closed),
        }
    }

    /// Closes an attempt whose deadline passed as run out (nothing is graded), in the store and
    /// in `attempt`; another request closing it first changes nothing.
    async fn settle(&self, attempt: &mut Attempt) -> Result<(), StoreError> {
        if attempt.state(self.clock.now()) != State::RanOut {
            return Ok(());
        }
        let closed = Closed {
            at: attempt.deadline,
            outcome: Outcome::TimedOut,
            written_right: 0,
            written_total: attempt.items.len() as u32,
            practical_passed: false,
        };
        let audit = Actor::system().entry(
            self.clock.now(),
            "exam.timed_out",
            format!("exam_attempt:{}", attempt.id),
            "",
        );
        match self
            .store
            .close_exam_attempt(attempt.id, &closed, &audit)
            .await
        {
            Err(StoreError::Conflict(_)) | Ok(()) => {}
            Err(other) => return Err(other),
        }
        attempt.closed = Some(closed);
        Ok(())
    }

    /// Saves the written answers (by position from 1; `None` leaves one blank) while the
    /// attempt runs.
    pub async fn save_answers(
        &self,
        user: &User,
        id: i64,
        answers: &BTreeMap<u32, Option<String>>,
    ) -> Result<Attempt, ExamError> {
        let attempt = self.open_attempt(user, id).await?;
        let mut errors = ValidationErrors::new();
        for (position, answer) in answers {
            let Some(item) = attempt.items.iter().find(|i| i.position == *position) else {
                errors.push(format!("answers.{position}"), "error-exam-no-such-item");
                continue;
            };
            if let Some(answer) = answer {
                let valid = match &item.item.kind {
                    ItemKind::Choice { choices, .. } => answer
                        .trim()
                        .parse::<usize>()
                        .is_ok_and(|c| c < choices.len()),
                    ItemKind::Short { .. } => {
                        text::line(answer).is_ok() && !text::longer_than(answer, 200)
                    }
                };
                if !valid {
                    errors.push(format!("answers.{position}"), "error-exam-answer-invalid");
                }
            }
        }
        errors.into_result().map_err(ExamError::Invalid)?;
        let answers: Vec<(u32, Option<String>)> = answers
            .iter()
            .map(|(p, a)| {
                let a = a.as_deref().map(str::trim).filter(|a| !a.is_empty());
                (*p, a.map(str::to_owned))
            })
            .collect();
        match self.store.save_exam_answers(id, &answers).await {
            Err(StoreError::Conflict(_)) => return Err(ExamError::Closed),
            other => other?,
        };
        self.attempt(user, id).await
    }

    /// Saves the practical's product as typed (even half done: it is graded when submitted)
    /// and says how it stands against the brief.
    pub async fn save_practical(
        &self,
        user: &User,
        id: i64,
        file: &ProductFile,
    ) -> Result<PracticalCheck, ExamError> {
        let attempt = self.open_attempt(user, id).await?;
        let json = serde_json::to_string(file).map_err(|e| StoreError::Backend(e.to_string()))?;
        if json.len() > 256 * 1024 {
            return Err(refuse("practical", "error-too-long"));
        }
        match self.store.save_exam_practical(id, &json).await {
            Err(StoreError::Conflict(_)) => return Err(ExamError::Closed),
            other => other?,
        };
        self.check_practical(&attempt, file).await
    }

    /// How `file` stands against the attempt's brief.
    pub async fn check_practical(
        &self,
        attempt: &Attempt,
        file: &ProductFile,
    ) -> Result<PracticalCheck, ExamError> {
        let brief = attempt.brief().ok_or(ExamError::NotFound)?;
        let mut setup = practice_setup(self.clock.now());
        if let Some(Some(code)) = file.channel_categories.get(Channel::Coupang.code())
            && let Some(meta) = self
                .store
                .category_meta(Channel::Coupang, code.trim())
                .await?
        {
            setup.coupang_meta.insert(code.trim().to_owned(), meta);
        }
        Ok(PracticalCheck::of(brief, file, self.marketplaces, &setup))
    }

    /// Submits the attempt: grades the written part and the practical as saved, closes it,
    /// and issues the certificate when both pass.
    pub async fn submit(&self, user: &User, actor: &Actor, id: i64) -> Result<Attempt, ExamError> {
        // A pass issues a certificate: without the issuer's key nothing is graded.
        if self.certificates.issuer.is_none() {
            return Err(crate::designers::CertificateError::NoIssuer.into());
        }
        let attempt = self.open_attempt(user, id).await?;
        let blueprint = Blueprint::for_level(attempt.level);
        let written_right = attempt
            .items
            .iter()
            .filter(|i| is_right(&i.item.kind, i.answer.as_deref()))
            .count() as u32;
        let written_total = attempt.items.len() as u32;
        let practical_passed = match &attempt.practical {
            Some(file) => self.check_practical(&attempt, file).await?.passed(),
            None => false,
        };
        let written_passed = written_right * 100 >= blueprint.pass_percent * written_total;
        let now = self.clock.now();
        let closed = Closed {
            at: now,
            outcome: if written_passed && practical_passed {
                Outcome::Passed
            } else {
                Outcome::Failed
            },
            written_right,
            written_total,
            practical_passed,
        };
        let audit = actor.entry(
            now,
            "exam.submit",
            format!("exam_attempt:{id}"),
            format!(
                "{} written:{written_right}/{written_total} practical:{practical_passed}",
                closed.outcome.code()
            ),
        );
        match self.store.close_exam_attempt(id, &closed, &audit).await {
            Err(StoreError::Conflict(_)) => return Err(ExamError::Closed),
            other => other?,
        }
        if closed.outcome == Outcome::Passed {
            let certificate = self
                .certificates
                .issue_as(actor, attempt.designer, attempt.level)
                .await?;
            self.store
                .set_exam_certificate(id, &certificate.number)
                .await?;
        }
        self.attempt(user, id).await
    }

    /// Attempts, newest first: the caller's (designers) or everyone's (staff).
    pub async fn history(&self, user: &User, limit: u32) -> Result<Vec<Attempt>, ExamError> {
        let designer = match user.role {
            Role::Designer => Some(user.id),
            r if r.is_staff() => None,
            _ => return Err(ExamError::Forbidden),
        };
        let mut attempts = self.store.exam_attempts(designer, limit).await?;
        for attempt in attempts.iter_mut() {
            self.settle(attempt).await?;
        }
        Ok(attempts)
    }

    /// Closed attempts and how many passed, counting run-out ones as closed: the dashboard's
    /// exam pass rate.
    pub async fn pass_rate(&self) -> Result<PassRate, StoreError> {
        self.store.exam_pass_rate(self.clock.now()).await
    }
}

fn refuse(field: &str, code: &'static str) -> ExamError {
    ExamError::Invalid(FieldError::new(field, code).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank_of(per_area: usize) -> Vec<Item> {
        let mut items = Vec::new();
        for (a, area) in Area::ALL.into_iter().enumerate() {
            for n in 0..per_area {
                items.push(Item {
                    id: (a * 100 + n) as i64,
                    area,
                    prompt: format!("{}-{n}", area.code()),
                    kind: ItemKind::Short {
                        accepted: vec!["가".into()],
                    },
                    retired: n == 0,
                });
            }
        }
        items
    }

    #[test]
    fn items_are_written_one_a_line_as_choices_or_accepted_answers() {
        let items = parse_items(
            "쿠팡 OPEN API 키의 유효기간은? | 90일 | *180일 | 365일\n\n\
             상품 필수 표시 정보의 법정 이름은? | =상품정보제공고시 | =상품정보 제공 고시",
            "items",
        )
        .unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0].kind,
            ItemKind::Choice {
                choices: vec!["90일".into(), "180일".into(), "365일".into()],
                answer: 1
            }
        );
        assert_eq!(
            parse_items(&items[1].written(), "items").unwrap()[0],
            items[1]
        );
        assert_eq!(
            parse_items(&items[0].written(), "items").unwrap()[0],
            items[0]
        );
        let error = parse_items("가? | *예 | 아니오\n나? | =답 | 섞임", "items").unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.code),
            ("items.2", "error-exam-item-line")
        );
        assert_eq!(
            parse_items("  \n", "items").unwrap_err().code,
            "error-required"
        );
    }

    #[test]
    fn short_answers_are_compared_as_people_type_them() {
        let kind = ItemKind::Short {
            accepted: vec!["상품정보제공고시".into(), "180일".into()],
        };
        assert!(is_right(&kind, Some(" 상품정보 제공고시 ")));
        assert!(is_right(&kind, Some("１８０ 일")));
        assert!(!is_right(&kind, Some("상품정보")));
        assert!(!is_right(&kind, None));
        let choice = ItemKind::Choice {
            choices: vec!["가".into(), "나".into()],
            answer: 1,
        };
        assert!(is_right(&choice, Some("1")));
        assert!(!is_right(&choice, Some("0")));
        assert!(
            !is_right(&choice, Some("나")),
            "a choice is answered by position"
        );
    }

    #[test]
    fn a_form_follows_the_blueprint_and_leaves_retired_items_out() {
        let blueprint = Blueprint::for_level(Level::Second);
        let bank = bank_of(6);
        let form = draw(&bank, &blueprint, 7).unwrap();
        assert_eq!(form.len(), blueprint.items());
        for (a, area) in Area::ALL.into_iter().enumerate() {
            let of_area: Vec<_> = form
                .iter()
                .filter(|id| bank.iter().any(|i| i.id == **id && i.area == area))
                .collect();
            assert_eq!(of_area.len(), blueprint.per_area, "{area:?}");
            assert!(!form.contains(&((a * 100) as i64)), "retired item drawn");
        }
        let mut unique = form.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), form.len(), "an item twice");
        let others: Vec<_> = (0..20)
            .map(|seed| draw(&bank, &blueprint, seed).unwrap())
            .collect();
        assert!(
            others.iter().any(|f| *f != form),
            "forms differ between attempts"
        );
        assert_eq!(
            draw(&bank_of(3), &blueprint, 1),
            Err(Area::ALL.to_vec()),
            "three items with one retired leave two per area"
        );
    }

    #[test]
    fn a_failed_attempt_waits_the_levels_retake_period() {
        let start = Timestamp::from_unix_ms(1_796_601_600_000);
        let mut attempt = Attempt {
            id: 1,
            designer: UserId(1),
            designer_name: "김설계".into(),
            level: Level::Second,
            started_at: start,
            deadline: start.plus_seconds(3600),
            brief: "yakgwa".into(),
            practical: None,
            items: Vec::new(),
            closed: None,
            certificate: None,
        };
        assert_eq!(attempt.state(start), State::Open);
        assert_eq!(attempt.state(start.plus_seconds(3600)), State::RanOut);
        assert_eq!(
            attempt.retake_from(),
            Some(start.plus_seconds(3600 + 7 * DAY))
        );
        attempt.closed = Some(Closed {
            at: start.plus_seconds(600),
            outcome: Outcome::Passed,
            written_right: 10,
            written_total: 12,
            practical_passed: true,
        });
        assert_eq!(attempt.retake_from(), None);
        assert_eq!(attempt.closed.as_ref().unwrap().written_percent(), 83);
    }

    #[test]
    fn every_brief_names_a_notice_type_that_exists() {
        for brief in BRIEFS {
            assert!(
                crate::catalog::notice::find(brief.notice_type).is_some(),
                "{}",
                brief.code
            );
            assert_eq!(
                Brief::find(brief.code),
                Some(&BRIEFS[BRIEFS.iter().position(|b| b.code == brief.code).unwrap()])
            );
        }
    }
}
