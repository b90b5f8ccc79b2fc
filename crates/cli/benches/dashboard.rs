//! Dashboard benchmark (results issue): with 6,200,000 merchants (the national count) — one in six
//! registered, some selected, onboarding and selling, cards on the onboarding board — and 12
//! months of sales for 500,000 of them, render the national dashboard and a 시도 dashboard
//! (`GET /dashboard`, in-process through the router, signed in as an operator) and report p99
//! against `SELECT count(*) FROM merchants` on the same database, in one run.
//! Run: `cargo bench -p gachi --bench dashboard` (GACHI_BENCH_MERCHANTS changes the size; the
//! database is kept under target/bench-data/dashboard-N and reused).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use gachi_domain::accounts::AccountInput;
use gachi_domain::accounts::AccountStore as _;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::{industry, region};
use sqlx::{Connection as _, Executor as _};
use tower::ServiceExt as _;

const SALES_MERCHANTS: i64 = 500_000;

fn p99(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let p50 = samples[samples.len() / 2];
    let p99 = samples[(samples.len() * 99 / 100).min(samples.len() - 1)];
    (p50, p99)
}

/// Fills a fresh database with SQL: merchants spread over every 시군구 and industry, statuses and
/// tracks in plausible shares, board cards, and 12 months of sales for one in twelve merchants
/// (then the aggregates the application keeps on its own writes: sales totals, hall of fame).
async fn generate(file: &std::path::Path, merchants: i64) {
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")
        .await
        .unwrap();
    // Counted once afterwards (as after a bulk import), not row by row.
    db.execute(
        "DROP TRIGGER IF EXISTS merchant_counts_insert; DROP TRIGGER IF EXISTS merchant_counts_delete;
         DROP TRIGGER IF EXISTS merchant_counts_update;",
    )
    .await
    .unwrap();
    db.execute("CREATE TEMP TABLE regions (i INTEGER PRIMARY KEY, code TEXT); CREATE TEMP TABLE industries (i INTEGER PRIMARY KEY, code TEXT);")
        .await
        .unwrap();
    let regions: Vec<String> = region::all_sigungu()
        .into_iter()
        .map(|r| r.code.as_str().to_owned())
        .collect();
    for (i, code) in regions.iter().enumerate() {
        sqlx::query("INSERT INTO regions VALUES (?, ?)")
            .bind(i as i64)
            .bind(code)
            .execute(&mut db)
            .await
            .unwrap();
    }
    let industries: Vec<String> = industry::all()
        .into_iter()
        .map(|i| i.code.clone())
        .collect();
    for (i, code) in industries.iter().enumerate() {
        sqlx::query("INSERT INTO industries VALUES (?, ?)")
            .bind(i as i64)
            .bind(code)
            .execute(&mut db)
            .await
            .unwrap();
    }
    let started = Instant::now();
    sqlx::query(
        "WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < ?)
         INSERT INTO merchants (name, region_code, sido_code, industry_code, status, track, source, created_at, updated_at)
         SELECT '가게 ' || x, r.code, substr(r.code, 1, 2), ind.code,
                CASE WHEN x % 6 <> 0 THEN 'prospect' WHEN x % 60 = 0 THEN 'selling' WHEN x % 30 = 0 THEN 'onboarding'
                     WHEN x % 18 = 0 THEN 'selected' ELSE 'registered' END,
                CASE WHEN x % 6 <> 0 THEN NULL WHEN x % 12 = 0 THEN 'channel' WHEN x % 18 = 0 THEN 'managed' ELSE 'education' END,
                'register', 0, 0
         FROM seq JOIN regions r ON r.i = x % ? JOIN industries ind ON ind.i = (x / 7) % ?",
    )
    .bind(merchants)
    .bind(regions.len() as i64)
    .bind(industries.len() as i64)
    .execute(&mut db)
    .await
    .unwrap();
    println!(
        "  {merchants} merchants in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let now = gachi_domain::kernel::time::Timestamp::now().unix_ms();
    sqlx::query(
        "INSERT INTO onboarding_cards (merchant_id, channel, stage, entered_at, started_at)
         SELECT id, 'naver', CASE WHEN status = 'selling' THEN 'selling' ELSE 'drafting' END, ? - (id % 300) * 86400000, ? - 400 * 86400000
         FROM merchants WHERE status IN ('onboarding', 'selling')",
    )
    .bind(now)
    .bind(now)
    .execute(&mut db)
    .await
    .unwrap();
    let month = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
    db.execute("CREATE TEMP TABLE months (k INTEGER PRIMARY KEY, month TEXT)")
        .await
        .unwrap();
    for k in 0..12 {
        sqlx::query("INSERT INTO months VALUES (?, ?)")
            .bind(k)
            .bind(month.minus(k).to_string())
            .execute(&mut db)
            .await
            .unwrap();
    }
    let every = (merchants / SALES_MERCHANTS).max(1);
    sqlx::query(
        "INSERT INTO sales_reports (merchant_id, channel, month, sales_krw, orders, updated_at)
         SELECT m.id, 'naver', mo.month, (m.id % 40) * 250000, (m.id % 40) * 10, 0
         FROM merchants m CROSS JOIN months mo WHERE m.id % ? = 0",
    )
    .bind(every)
    .execute(&mut db)
    .await
    .unwrap();
    db.execute(
        "INSERT INTO sales_totals (month, region_code, total)
           SELECT s.month, m.region_code, SUM(s.sales_krw) FROM sales_reports s JOIN merchants m ON m.id = s.merchant_id
           GROUP BY s.month, m.region_code;
         INSERT INTO hall_of_fame (merchant_id, region_code, entry_month, updated_at)
           SELECT s.merchant_id, m.region_code, MAX(s.month), 0 FROM sales_reports s JOIN merchants m ON m.id = s.merchant_id
           GROUP BY s.merchant_id, m.region_code HAVING SUM(s.sales_krw) >= 100000000;
         INSERT INTO onboarded_counts (year, region_code, n)
           SELECT CAST(strftime('%Y', c.entered_at / 1000, 'unixepoch') AS INTEGER), m.region_code, COUNT(*)
           FROM onboarding_cards c JOIN merchants m ON m.id = c.merchant_id WHERE c.stage = 'selling' GROUP BY 1, 2;",
    )
    .await
    .unwrap();
    println!(
        "  cards, {} merchants × 12 months of sales and their aggregates in {:.1} s",
        merchants / every,
        started.elapsed().as_secs_f64()
    );
    db.close().await.unwrap();
}

fn main() {
    let merchants: i64 = std::env::var("GACHI_BENCH_MERCHANTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6_200_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/bench-data")
        .join(format!("dashboard-{merchants}"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let file = dir.join(gachi_store::SQLITE_FILE);
        if !file.exists() {
            std::fs::create_dir_all(&dir).unwrap();
            println!("generating the national data set (kept in {}):", dir.display());
            drop(gachi_store::SqliteStore::open_dir(&dir).await.unwrap());
            generate(&file, merchants).await;
        }
        // Opening recounts what the generator did not count row by row, and restores the triggers.
        let store = std::sync::Arc::new(gachi_store::SqliteStore::open_dir(&dir).await.unwrap());
        let state = gachi_web::AppState::new(store.clone(), gachi_web::WebConfig::default());
        let email = "bench-operator@gachi.kr";
        if store.user_by_email(email).await.unwrap().is_none() {
            let input = AccountInput {
                email: email.into(),
                password: "대시보드벤치비밀번호1".into(),
                display_name: "bench".into(),
                role: "operator".into(),
                region_code: String::new(),
            };
            state
                .accounts()
                .create_user(None, &input, &Actor::system())
                .await
                .unwrap();
        }
        let session = state
            .accounts()
            .sign_in(email, "대시보드벤치비밀번호1", "127.0.0.1")
            .await
            .unwrap()
            .session_token;
        let app = gachi_web::app(state);
        let cookie = format!("gachi_session={session}");

        let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", file.display()))
            .await
            .unwrap();
        let mut count_samples = Vec::new();
        for _ in 0..30 {
            let started = Instant::now();
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM merchants")
                .fetch_one(&mut db)
                .await
                .unwrap();
            count_samples.push(started.elapsed());
            assert!(n >= merchants);
        }
        let (_, count_p99) = p99(count_samples.clone());
        let (count_p50, _) = p99(count_samples);

        println!("dashboard at national scale: {merchants} merchants, 12 months of sales for {SALES_MERCHANTS}");
        println!("{:<40} {:>10} {:>10} {:>14}", "", "p50 ms", "p99 ms", "p99 / count(*)");
        println!(
            "{:<40} {:>10.2} {:>10.2} {:>14}",
            "SELECT count(*) FROM merchants (baseline)",
            count_p50.as_secs_f64() * 1000.0,
            count_p99.as_secs_f64() * 1000.0,
            "1.00x"
        );
        for (name, path) in [
            ("GET /dashboard (national)", "/dashboard"),
            ("GET /dashboard?region_code=41 (경기)", "/dashboard?region_code=41"),
            ("GET /dashboard?region_code=52 (전북)", "/dashboard?region_code=52"),
        ] {
            let mut samples = Vec::new();
            for i in 0..110 {
                let request = Request::get(path)
                    .header("cookie", &cookie)
                    .body(Body::empty())
                    .unwrap();
                let started = Instant::now();
                let response = app.clone().oneshot(request).await.unwrap();
                let status = response.status();
                let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
                let elapsed = started.elapsed();
                assert_eq!(status, 200, "{path}");
                if i >= 10 {
                    samples.push(elapsed); // the first ten warm the caches
                }
            }
            let (p50, p99) = p99(samples);
            println!(
                "{:<40} {:>10.2} {:>10.2} {:>13.2}x",
                name,
                p50.as_secs_f64() * 1000.0,
                p99.as_secs_f64() * 1000.0,
                p99.as_secs_f64() / count_p99.as_secs_f64()
            );
        }
        println!("target: p99 under 100 ms for the national and the 시도 dashboards");
    });
}
