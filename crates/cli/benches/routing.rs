//! Community routing benchmark: with 100,000 merchants' records — their owners' accounts, 40 % of
//! them opted in to being asked, a quarter with a listing taken by a marketplace, one in fifty in
//! the hall of fame, and 20,000 solved questions with accepted answers about 40 error codes on
//! four marketplaces — merchants ask new questions about those errors and each is routed at once
//! ("지금 물어보기": `Community::route_now`, the same call as the page and the server's sweep:
//! candidates, daily caps, the shop-next-door rule, invitations and notifications written). The
//! run reports p50/p99 against the spec's 50 ms and against `SELECT count(*) FROM merchants` on
//! the same database, and checks that every question was routed to owners with a reason.
//! Run: `cargo bench -p gachi --bench routing` (GACHI_BENCH_MERCHANTS changes the size; the
//! database is built fresh under target/bench-data/routing-N and deleted afterwards).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gachi_domain::accounts::AccountStore as _;
use gachi_domain::community::QuestionInput;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::{industry, region};
use sqlx::{Connection as _, Executor as _};

const CHANNELS: [&str; 4] = ["naver", "coupang", "11st", "esm"];
const ERROR_CODES: usize = 40;
const SOLVED_QUESTIONS: i64 = 20_000;
const ASKED: usize = 220;
const WARM_UP: usize = 20;

fn error_code(i: usize) -> String {
    format!("listing-rule-{:02}", i % ERROR_CODES)
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let p50 = samples[samples.len() / 2];
    let p99 = samples[(samples.len() * 99 / 100).min(samples.len() - 1)];
    (p50, p99)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Fills a fresh database with SQL: owners and their shops over every 시군구 and industry,
/// helpers, listings, hall of fame, and solved questions with accepted answers by helpers.
async fn generate(file: &std::path::Path, merchants: i64) {
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")
        .await
        .unwrap();
    db.execute(
        "CREATE TEMP TABLE regions (i INTEGER PRIMARY KEY, code TEXT);
         CREATE TEMP TABLE industries (i INTEGER PRIMARY KEY, code TEXT);
         CREATE TEMP TABLE channels (i INTEGER PRIMARY KEY, code TEXT);",
    )
    .await
    .unwrap();
    for (i, r) in region::all_sigungu().into_iter().enumerate() {
        sqlx::query("INSERT INTO regions VALUES (?, ?)")
            .bind(i as i64)
            .bind(r.code.as_str())
            .execute(&mut db)
            .await
            .unwrap();
    }
    let industries = industry::all();
    for (i, ind) in industries.iter().enumerate() {
        sqlx::query("INSERT INTO industries VALUES (?, ?)")
            .bind(i as i64)
            .bind(&ind.code)
            .execute(&mut db)
            .await
            .unwrap();
    }
    for (i, c) in CHANNELS.iter().enumerate() {
        sqlx::query("INSERT INTO channels VALUES (?, ?)")
            .bind(i as i64)
            .bind(c)
            .execute(&mut db)
            .await
            .unwrap();
    }
    let regions = region::all_sigungu().len() as i64;
    let now = gachi_domain::kernel::time::Timestamp::now().unix_ms();
    let long_ago = now - 400 * 86_400_000;
    let started = Instant::now();
    sqlx::query(
        "WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < ?)
         INSERT INTO users (id, email, password_hash, role, display_name, created_at, password_changed_at)
         SELECT x, 'owner' || x || '@bench.kr', 'not-a-hash', 'merchant', '사장님 ' || x, ?, ? FROM seq",
    )
    .bind(merchants)
    .bind(long_ago)
    .bind(long_ago)
    .execute(&mut db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO merchants (id, name, region_code, sido_code, industry_code, status, track, source,
                                created_at, updated_at, owner_user_id)
         SELECT u.id, '가게 ' || u.id, r.code, substr(r.code, 1, 2), ind.code,
                CASE WHEN u.id % 4 = 0 THEN 'selling' ELSE 'registered' END, 'channel', 'register', ?, ?, u.id
         FROM users u JOIN regions r ON r.i = u.id % ? JOIN industries ind ON ind.i = (u.id / 7) % ?",
    )
    .bind(long_ago)
    .bind(long_ago)
    .bind(regions)
    .bind(industries.len() as i64)
    .execute(&mut db)
    .await
    .unwrap();
    db.execute(&*format!(
        "INSERT INTO community_helpers (user_id, opted_in, nearby, updated_at)
           SELECT id, 1, id % 2, {long_ago} FROM users WHERE id % 5 < 2;
         INSERT INTO onboarding_cards (merchant_id, channel, stage, entered_at, started_at)
           SELECT m.id, c.code, CASE WHEN m.id % 8 = 0 THEN 'selling' ELSE 'in_review' END, {long_ago}, {long_ago}
           FROM merchants m JOIN channels c ON c.i = (m.id / 4) % 4 WHERE m.id % 4 = 0;
         INSERT INTO hall_of_fame (merchant_id, region_code, entry_month, updated_at)
           SELECT id, region_code, '2026-06', {long_ago} FROM merchants WHERE id % 50 = 0;"
    ))
    .await
    .unwrap();
    // Solved questions, each with one accepted answer by an opted-in owner.
    sqlx::query(&format!(
        "WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < ?)
         INSERT INTO community_questions (id, author_id, author_name, title, body, topic, channel, error_code,
                                          created_at, solved_at, answers, first_answer_at, body_html)
         SELECT x, 1 + (x * 7919) % {merchants}, '가게', '반품지 설정 질문 ' || x, '본문', 'listing',
                c.code, 'listing-rule-' || printf('%02d', x % {ERROR_CODES}), {long_ago}, {long_ago}, 1, {long_ago}, '<p>본문</p>'
         FROM seq JOIN channels c ON c.i = (x / {ERROR_CODES}) % 4"
    ))
    .bind(SOLVED_QUESTIONS)
    .execute(&mut db)
    .await
    .unwrap();
    db.execute(&*format!(
        "INSERT INTO community_answers (question_id, author_id, author_name, body, created_at, accepted_at,
                                        accepted_by, score, body_html)
         SELECT q.id, h.user_id, '가게', '이렇게 고쳤어요', {long_ago}, {long_ago}, q.author_id, 1, '<p>이렇게 고쳤어요</p>'
         FROM community_questions q
         JOIN community_helpers h ON h.user_id = 1 + ((q.id * 104729) % {merchants} / 5) * 5"
    ))
    .await
    .unwrap();
    println!(
        "  {merchants} owners and shops, helpers, listings, hall of fame and {SOLVED_QUESTIONS} solved questions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    db.close().await.unwrap();
}

fn main() {
    let merchants: i64 = std::env::var("GACHI_BENCH_MERCHANTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/bench-data")
        .join(format!("routing-{merchants}-{}", std::process::id()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let failed = runtime.block_on(async {
        let file = dir.join(gachi_store::SQLITE_FILE);
        std::fs::create_dir_all(&dir).unwrap();
        println!("community routing over {merchants} merchants' records:");
        drop(gachi_store::SqliteStore::open_dir(&dir).await.unwrap());
        generate(&file, merchants).await;
        let store = std::sync::Arc::new(gachi_store::SqliteStore::open_dir(&dir).await.unwrap());
        let state = gachi_web::AppState::new(store.clone(), gachi_web::WebConfig::default());
        let community = state.community();

        let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", file.display()))
            .await
            .unwrap();
        let mut count_samples = Vec::new();
        for _ in 0..60 {
            let started = Instant::now();
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM merchants")
                .fetch_one(&mut db)
                .await
                .unwrap();
            count_samples.push(started.elapsed());
            assert_eq!(n, merchants);
        }
        let (count_p50, count_p99) = percentiles(count_samples);

        // Askers are owners who are not helpers (id % 5 >= 2), each asking once.
        let mut samples = Vec::new();
        let mut failed = 0;
        let mut invited_total = 0;
        for k in 0..ASKED {
            let owner = 3 + (k as i64 * 397) % (merchants - 5);
            let owner = owner - owner % 5 + 3;
            let user = store
                .user_by_email(&format!("owner{owner}@bench.kr"))
                .await
                .unwrap()
                .expect("the owner exists");
            let actor = Actor::user(user.id, None);
            let input = QuestionInput {
                title: format!("{}에서 등록이 반려됐어요 {k}", CHANNELS[k % 4]),
                body: "상품 등록을 눌렀더니 같은 오류가 계속 나옵니다. 어떻게 고치셨나요?".to_owned(),
                topic: "listing".to_owned(),
                channel: CHANNELS[k % 4].to_owned(),
                error_code: error_code(k * 3),
            };
            let (question, _) = community.ask(&user, &actor, &input).await.unwrap();
            let started = Instant::now();
            let sent = community.route_now(&user, &actor, question.id).await.unwrap();
            let elapsed = started.elapsed();
            if k >= WARM_UP {
                samples.push(elapsed);
            }
            invited_total += sent;
            let invitations = store_invitations(&mut db, question.id).await;
            let ok = sent == 3
                && invitations.len() == 3
                && invitations.iter().all(|(user, reason)| *user != owner && reason == "solved_same");
            if !ok {
                failed += 1;
                eprintln!("question {} routed to {invitations:?} (sent {sent})", question.id);
            }
        }
        let (p50, p99) = percentiles(samples.clone());
        println!(
            "{:<52} {:>9} {:>9} {:>16}",
            "", "p50 ms", "p99 ms", "p99 / count(*)"
        );
        println!(
            "{:<52} {:>9.3} {:>9.3} {:>16}",
            "SELECT count(*) FROM merchants (baseline)",
            ms(count_p50),
            ms(count_p99),
            "1.00×"
        );
        println!(
            "{:<52} {:>9.3} {:>9.3} {:>15.2}×",
            format!("route a new question ({} runs)", samples.len()),
            ms(p50),
            ms(p99),
            p99.as_secs_f64() / count_p99.as_secs_f64()
        );
        println!(
            "summary: routing p99 {:.2} ms (target < 50 ms: {}, {:.0}% of it); {invited_total} invitations for {ASKED} questions; checks {}",
            ms(p99),
            if p99 < Duration::from_millis(50) { "met" } else { "NOT met" },
            100.0 * ms(p99) / 50.0,
            if failed == 0 { "passed".to_owned() } else { format!("{failed} FAILED") }
        );
        db.close().await.unwrap();
        failed
    });
    std::fs::remove_dir_all(&dir).ok();
    if failed > 0 {
        std::process::exit(1);
    }
}

/// Who a question's invitations went to, and why.
async fn store_invitations(db: &mut sqlx::SqliteConnection, question: i64) -> Vec<(i64, String)> {
    sqlx::query_as(
        "SELECT user_id, reason FROM community_invitations WHERE question_id = ? ORDER BY user_id",
    )
    .bind(question)
    .fetch_all(db)
    .await
    .unwrap()
}
