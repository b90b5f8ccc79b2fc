//! Benchmark of the community's thread page against its floor, in one run: a question with 200
//! answers (Markdown with paragraphs, bold, lists and links, as merchants write them) rendered by
//! the page's own template (`pages::community::question_template` + askama, a visitor in Korean)
//! against `serde_json::to_string` of the same thread with the raw Markdown (the floor). The
//! spec's target: the page within 3× of the floor.
//!
//! Bodies are cooked when a post is written (`Question::body_html`), so the page does no
//! Markdown work; the run also prints what rendering the Markdown on every read would cost, the
//! way the page worked before, to show what cooking saves. The two sides alternate in 50 ms
//! slices so a shared machine's drifting speed does not skew the ratio (the median over the slice
//! pairs). Correctness is checked along the way (every answer on the page with its cooked markup,
//! the JSON round-trips); a failed check makes the run exit non-zero. Timings are only printed.
//!
//! Run: `cargo bench -p gachi-web --bench thread_page`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use askama::Template;
use gachi_domain::accounts::{Locale, UserId};
use gachi_domain::community::text::render_markdown;
use gachi_domain::community::{Answer, Question, QuestionView, Topic};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::time::Timestamp;
use gachi_web::context::Ctx;
use gachi_web::i18n::Tr;
use gachi_web::pages::community::{AuthorStanding, ThreadExtras, question_template};

const ANSWERS: usize = 200;

/// Sellers' words the answers are made of.
const WORDS: &[&str] = &[
    "반품지",
    "출고지",
    "센터코드",
    "주소록",
    "택배사",
    "송장번호",
    "묶음배송",
    "도서산간",
    "반품배송비",
    "교환배송비",
    "Wing",
    "판매자정보",
    "상품정보제공고시",
    "정산",
    "배송비",
];

/// A tiny deterministic generator (xorshift), so every run renders the same thread.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
}

/// One answer in Markdown: two or three paragraphs with bold words, most with a list of steps,
/// every tenth with a link.
fn answer_markdown(k: usize) -> String {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15 ^ (k as u64 + 1));
    let mut text = String::new();
    for p in 0..2 + r.below(2) {
        if p > 0 {
            text.push_str("\n\n");
        }
        text.push_str(&format!(
            "**{}**에서 {}을 먼저 확인하세요. {} 메뉴에 들어가면 {}와 {}가 함께 나옵니다. \
             저는 {}을 바꾸고 나서 승인이 났어요.",
            r.word(),
            r.word(),
            r.word(),
            r.word(),
            r.word(),
            r.word()
        ));
    }
    if !k.is_multiple_of(3) {
        text.push_str("\n\n");
        for step in 1..=3 + r.below(3) {
            text.push_str(&format!("{step}. {} → {}\n", r.word(), r.word()));
        }
    }
    if k.is_multiple_of(10) {
        text.push_str("\n\n참고: [쿠팡 판매자 도움말](https://helpseller.coupang.com/)");
    }
    text
}

fn question(at: Timestamp) -> Question {
    let body = "쿠팡 **Wing**에서 반품지를 등록했는데 센터코드가 안 보여요.\n\n\
                - 출고지는 등록했어요\n- 반품지 주소도 적었어요\n\n어디서 확인하나요?"
        .to_owned();
    Question {
        id: 1,
        author: UserId(1),
        author_name: "가치농원".to_owned(),
        title: "쿠팡 반품지 센터코드는 어디서 보나요?".to_owned(),
        body_html: render_markdown(&body),
        body,
        topic: Topic::Listing,
        channel: Some(Channel::Coupang),
        error_code: "listing-setting-missing".to_owned(),
        created_at: at,
        edited_at: None,
        solved_at: Some(at),
        hidden_at: None,
        answers: ANSWERS as u32,
        first_answer_at: Some(at),
    }
}

fn answers(at: Timestamp) -> Vec<Answer> {
    (0..ANSWERS)
        .map(|k| {
            let body = answer_markdown(k);
            Answer {
                id: k as i64 + 1,
                question: 1,
                author: UserId(k as i64 + 2),
                author_name: format!("판매자{}", k + 1),
                body_html: render_markdown(&body),
                body,
                created_at: Timestamp::from_unix_ms(at.unix_ms() + k as i64 * 60_000),
                edited_at: None,
                accepted_at: (k == 0).then_some(at),
                accepted_by: (k == 0).then_some(UserId(1)),
                score: ((k * 7) % 13) as i64,
                hidden_at: None,
            }
        })
        .collect()
}

/// A visitor reading in Korean (the page a search engine indexes).
fn visitor() -> Ctx {
    Ctx {
        user: None,
        session: None,
        session_token: None,
        t: Tr(Locale::Ko),
        csrf: String::new(),
        ip: "127.0.0.1".to_owned(),
        path: "/community/questions/1".to_owned(),
        htmx: false,
    }
}

fn extras(view: &QuestionView) -> ThreadExtras {
    ThreadExtras {
        standings: view
            .answers
            .iter()
            .map(|a| {
                (
                    a.author,
                    AuthorStanding {
                        reputation: a.id * 10,
                        regular: a.id % 7 == 0,
                        badges: if a.id % 5 == 0 {
                            vec!["첫 답변".to_owned()]
                        } else {
                            Vec::new()
                        },
                    },
                )
            })
            .collect(),
        related: Vec::new(),
        alert: None,
        errors: Vec::new(),
        errors_at_answer: false,
        draft: String::new(),
    }
}

/// The thread as JSON with the raw Markdown: the floor the page is compared with.
fn thread_json(view: &QuestionView) -> serde_json::Value {
    let q = &view.question;
    serde_json::json!({
        "question": {
            "id": q.id,
            "title": q.title,
            "body": q.body,
            "author": q.author_name,
            "topic": q.topic.code(),
            "channel": q.channel.map(Channel::code),
            "solved": q.solved_at.is_some(),
            "created_at": q.created_at.unix_ms(),
        },
        "answers": view.answers.iter().map(|a| serde_json::json!({
            "id": a.id,
            "author": a.author_name,
            "body": a.body,
            "votes": a.score,
            "accepted": a.accepted_at.is_some(),
            "created_at": a.created_at.unix_ms(),
        })).collect::<Vec<_>>(),
    })
}

/// Runs `work` until `slice` has passed; how many it ran and how long that took.
fn run_for(slice: Duration, work: &mut impl FnMut() -> usize) -> (u64, Duration) {
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < slice {
        black_box(work());
        n += 1;
    }
    (n, started.elapsed())
}

/// `work` against `floor` in alternating slices for about `budget`: operations per second of
/// each, and the median over the slice pairs of the time per operation over the floor's.
fn paired(
    budget: Duration,
    floor: &mut impl FnMut() -> usize,
    work: &mut impl FnMut() -> usize,
) -> (f64, f64, f64) {
    for _ in 0..20 {
        floor();
        work();
    }
    let slice = Duration::from_millis(50);
    let started = Instant::now();
    let (mut floor_n, mut floor_time, mut work_n, mut work_time) =
        (0, Duration::ZERO, 0, Duration::ZERO);
    let mut ratios = Vec::new();
    while started.elapsed() < budget {
        let (fn_, ft) = run_for(slice, floor);
        let (wn, wt) = run_for(slice, work);
        ratios.push((wt.as_secs_f64() / wn as f64) / (ft.as_secs_f64() / fn_ as f64));
        (floor_n, floor_time, work_n, work_time) =
            (floor_n + fn_, floor_time + ft, work_n + wn, work_time + wt);
    }
    ratios.sort_by(f64::total_cmp);
    (
        work_n as f64 / work_time.as_secs_f64(),
        floor_n as f64 / floor_time.as_secs_f64(),
        ratios[ratios.len() / 2],
    )
}

fn main() {
    let at = Timestamp::from_unix_ms(1_780_000_000_000);
    let view = QuestionView {
        question: question(at),
        answers: answers(at),
        my_votes: Vec::new(),
        may_answer: false,
        may_accept: false,
        may_edit: false,
        closed: false,
        invited: 0,
        may_route: false,
        revisions: Vec::new(),
    };
    let ctx = visitor();
    let thread = thread_json(&view);
    let mut failed = 0;
    let mut check = |ok: bool, what: &str| {
        if !ok {
            eprintln!("check failed: {what}");
            failed += 1;
        }
    };

    let page = question_template(&ctx, &view, extras(&view))
        .render()
        .expect("the page renders");
    check(
        view.answers
            .iter()
            .all(|a| page.contains(&format!("id=\"answer-{}\"", a.id))),
        "every answer is on the page",
    );
    check(
        page.matches("<strong>").count() > ANSWERS
            && page.contains("<li>")
            && page.contains("rel=\"nofollow ugc noopener noreferrer\"")
            && !page.contains("**"),
        "the page carries the cooked markup (bold, lists, safe links) and no Markdown",
    );
    let parsed: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&thread).expect("json")).expect("parse");
    check(parsed == thread, "the thread JSON round-trips");

    let markdown_bytes: usize =
        view.question.body.len() + view.answers.iter().map(|a| a.body.len()).sum::<usize>();
    let json_bytes = serde_json::to_string(&thread).expect("json").len();
    println!(
        "thread page: a question and {ANSWERS} answers, {:.0} KB of Markdown; page {:.0} KB of \
         HTML; floor: serde_json::to_string of the same thread (raw Markdown), {:.0} KB",
        markdown_bytes as f64 / 1e3,
        page.len() as f64 / 1e3,
        json_bytes as f64 / 1e3
    );
    println!(
        "  alternating 50 ms slices for 6 s each; ratio = page time over serialize time, median of \
         the slice pairs"
    );

    let mut floor = || {
        serde_json::to_string(black_box(&thread))
            .expect("serializes")
            .len()
    };
    // The page as it is served: the template over cooked bodies.
    let mut cooked_page = || {
        question_template(&ctx, black_box(&view), extras(&view))
            .render()
            .expect("renders")
            .len()
    };
    let (pages, floors, ratio) = paired(Duration::from_secs(6), &mut floor, &mut cooked_page);
    // The same page if every body were rendered from Markdown on each read (before cooking).
    let uncooked_view = uncooked(&view);
    let mut uncooked_page = || {
        question_template(&ctx, black_box(&uncooked_view), extras(&uncooked_view))
            .render()
            .expect("renders")
            .len()
    };
    let (slow_pages, slow_floors, slow_ratio) =
        paired(Duration::from_secs(6), &mut floor, &mut uncooked_page);

    println!(
        "  page from cooked bodies:       {:.3} ms ({:.0} pages/s); serde_json {:.3} ms; ratio {ratio:.2}×",
        1000.0 / pages,
        pages,
        1000.0 / floors
    );
    println!(
        "  page rendering Markdown anew:  {:.3} ms ({:.0} pages/s); serde_json {:.3} ms; ratio {slow_ratio:.2}×",
        1000.0 / slow_pages,
        slow_pages,
        1000.0 / slow_floors
    );
    println!();
    println!(
        "summary: thread page (200 answers) {:.3} ms vs serde_json {:.3} ms → {ratio:.2}× (target ≤ 3×: {}); \
         without cooking {slow_ratio:.2}×; checks {}",
        1000.0 / pages,
        1000.0 / floors,
        if ratio <= 3.0 { "met" } else { "NOT met" },
        if failed == 0 { "passed" } else { "FAILED" }
    );
    if failed > 0 {
        std::process::exit(1);
    }
}

/// The view with every cooked body cleared, as posts kept before cooking are read.
fn uncooked(view: &QuestionView) -> QuestionView {
    let mut copy = QuestionView {
        question: view.question.clone(),
        answers: view.answers.clone(),
        my_votes: Vec::new(),
        may_answer: view.may_answer,
        may_accept: view.may_accept,
        may_edit: view.may_edit,
        closed: view.closed,
        invited: view.invited,
        may_route: view.may_route,
        revisions: Vec::new(),
    };
    copy.question.body_html.clear();
    for a in &mut copy.answers {
        a.body_html.clear();
    }
    copy
}
