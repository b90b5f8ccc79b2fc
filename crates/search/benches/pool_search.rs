//! Benchmark of the pool search against what it replaces: SQLite `LIKE '%q%'` and an FTS5
//! `trigram` index, on the same generated products (real 시군구 and 상권업종 tables, a vocabulary
//! of real Korean product words).
//!
//! It reports, per kind of query, p50/p99 latency of our search (one page of 20 with total and
//! facets), of `LIKE` and of FTS5 trigram (both fetching every matching id, the least any
//! SQL plan must do), the LIKE/ours ratio, and recall against LIKE: every id LIKE finds on the
//! product name must be among our hits (`PoolSearch::all_matching_ids`).
//!
//! Run: `GACHI_BENCH_PRODUCTS=200000 cargo bench -p gachi-search --bench pool_search`
//! (default 5,000,000 products; the index and the database are built in a temporary directory
//! and deleted afterwards). Targets: p99 < 30 ms, ≥ 10× faster than LIKE, recall = 100 %.
//! `GACHI_BENCH_REPS` sets the timed runs per query (20); `GACHI_BENCH_PROFILE=1` skips SQLite
//! and prints, per query, our time with relevance sort, with newest sort, and for matching
//! alone (`all_matching_ids`), to see where the time goes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gachi_domain::catalog::product::ProductId;
use gachi_domain::discovery::search::{PoolDocument, PoolIndex, PoolQuery, PoolSort};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::industry::{self, Industry};
use gachi_domain::kernel::region::{self, Region};
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::merchants::merchant::MerchantId;
use gachi_search::PoolSearch;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Row, SqliteConnection};

/// Real Korean product words (food, crafts, household goods).
const WORDS: &[&str] = &[
    "막걸리",
    "비빔밥",
    "김치",
    "참기름",
    "한우",
    "사과",
    "배",
    "곶감",
    "된장",
    "고추장",
    "떡",
    "한과",
    "유과",
    "젓갈",
    "김",
    "미역",
    "버섯",
    "꿀",
    "들기름",
    "도자기",
    "가죽지갑",
    "비누",
    "향초",
    "쌀",
    "찹쌀",
    "현미",
    "흑미",
    "보리",
    "귀리",
    "콩",
    "팥",
    "녹두",
    "들깨",
    "참깨",
    "고춧가루",
    "간장",
    "청국장",
    "쌈장",
    "초고추장",
    "식초",
    "매실청",
    "오미자청",
    "유자청",
    "생강청",
    "대추",
    "밤",
    "호두",
    "잣",
    "땅콩",
    "은행",
    "도토리묵",
    "메밀묵",
    "두부",
    "순두부",
    "두유",
    "배추김치",
    "총각김치",
    "깍두기",
    "열무김치",
    "갓김치",
    "백김치",
    "동치미",
    "파김치",
    "오이소박이",
    "명란젓",
    "창란젓",
    "오징어젓",
    "새우젓",
    "멸치액젓",
    "까나리액젓",
    "굴비",
    "간고등어",
    "갈치",
    "전복",
    "멍게",
    "해삼",
    "꽃게",
    "대게",
    "홍게",
    "새우",
    "오징어",
    "문어",
    "쭈꾸미",
    "낙지",
    "멸치",
    "다시마",
    "파래",
    "톳",
    "매생이",
    "황태",
    "북어",
    "코다리",
    "과메기",
    "어묵",
    "한우등심",
    "한우갈비",
    "불고기",
    "돼지갈비",
    "삼겹살",
    "목살",
    "족발",
    "보쌈",
    "순대",
    "떡갈비",
    "육포",
    "닭가슴살",
    "훈제오리",
    "삼계탕",
    "곰탕",
    "설렁탕",
    "갈비탕",
    "육개장",
    "추어탕",
    "냉면",
    "막국수",
    "칼국수",
    "잔치국수",
    "수제비",
    "만두",
    "찐빵",
    "호빵",
    "송편",
    "인절미",
    "절편",
    "백설기",
    "약과",
    "강정",
    "엿",
    "조청",
    "식혜",
    "수정과",
    "누룽지",
    "쌀과자",
    "뻥튀기",
    "양갱",
    "마카롱",
    "쿠키",
    "카스테라",
    "식빵",
    "단팥빵",
    "크림빵",
    "소보로",
    "바게트",
    "케이크",
    "초콜릿",
    "젤라또",
    "아이스크림",
    "요거트",
    "치즈",
    "우유",
    "버터",
    "딸기",
    "블루베리",
    "복분자",
    "오디",
    "포도",
    "샤인머스캣",
    "복숭아",
    "자두",
    "살구",
    "매실",
    "감귤",
    "한라봉",
    "천혜향",
    "레드향",
    "유자",
    "석류",
    "키위",
    "참외",
    "수박",
    "멜론",
    "토마토",
    "방울토마토",
    "감자",
    "고구마",
    "옥수수",
    "단호박",
    "양파",
    "마늘",
    "흑마늘",
    "생강",
    "대파",
    "쪽파",
    "부추",
    "시금치",
    "상추",
    "깻잎",
    "배추",
    "무",
    "당근",
    "오이",
    "가지",
    "애호박",
    "고추",
    "파프리카",
    "브로콜리",
    "연근",
    "우엉",
    "도라지",
    "더덕",
    "인삼",
    "홍삼",
    "수삼",
    "산삼",
    "표고버섯",
    "느타리버섯",
    "새송이버섯",
    "송이버섯",
    "목이버섯",
    "고사리",
    "취나물",
    "곤드레",
    "시래기",
    "무말랭이",
    "말린나물",
    "녹차",
    "홍차",
    "보이차",
    "둥굴레차",
    "결명자차",
    "옥수수차",
    "보리차",
    "대추차",
    "쌍화차",
    "커피",
    "원두",
    "드립백",
    "콤부차",
    "전통주",
    "소주",
    "약주",
    "청주",
    "와인",
    "맥주",
    "동동주",
    "복분자주",
    "오미자주",
    "벌꿀",
    "아카시아꿀",
    "밤꿀",
    "로열젤리",
    "프로폴리스",
    "참치",
    "연어",
    "장어",
    "민물장어",
    "고등어",
    "꽁치",
    "삼치",
    "도자기컵",
    "머그컵",
    "찻잔",
    "다기세트",
    "옹기",
    "항아리",
    "유기그릇",
    "방짜유기",
    "수저세트",
    "나무도마",
    "대나무채반",
    "소쿠리",
    "한지",
    "부채",
    "매듭",
    "자개",
    "나전칠기",
    "보자기",
    "손수건",
    "에코백",
    "파우치",
    "가죽벨트",
    "가죽카드지갑",
    "키링",
    "팔찌",
    "반지",
    "귀걸이",
    "목걸이",
    "천연비누",
    "수제비누",
    "샴푸바",
    "핸드크림",
    "립밤",
    "디퓨저",
    "캔들",
    "방향제",
    "천연염색",
    "스카프",
    "양말",
    "수면양말",
    "방석",
    "베개",
    "이불",
    "쿠션",
    "러그",
    "화분",
    "다육이",
    "허브",
    "꽃다발",
    "드라이플라워",
    "액자",
    "엽서",
    "달력",
    "노트",
    "다이어리",
];

const ADJECTIVES: &[&str] = &[
    "유기농",
    "국산",
    "수제",
    "무농약",
    "친환경",
    "전통",
    "햇",
    "생",
    "건조",
    "냉동",
    "저염",
    "특상",
    "프리미엄",
    "명품",
    "산지직송",
    "할머니",
    "옛날",
    "즉석",
    "꿀맛",
    "무첨가",
];

const UNITS: &[&str] = &[
    "500g",
    "1kg",
    "2kg",
    "3kg",
    "5kg",
    "10kg",
    "200g",
    "300g",
    "750ml",
    "1l",
    "2병",
    "3병",
    "6병",
    "1박스",
    "10개입",
    "20개입",
    "30구",
    "선물세트",
    "실속형",
    "가정용",
    "1+1",
    "소포장",
    "대용량",
];

const BRAND_TAILS: &[&str] = &[
    "명가",
    "농원",
    "농장",
    "식품",
    "상회",
    "공방",
    "방앗간",
    "양조장",
    "수산",
    "제과",
];

const CERTIFICATIONS: &[&str] = &["HACCP", "GAP", "ORGANIC", "KC", "ISO22000"];

/// xorshift64*: deterministic, so every run builds the same products.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct Tables {
    sigungu: Vec<Region>,
    industries: Vec<&'static Industry>,
}

/// The place word of a region: `강릉시` → `강릉`, `종로구` → `종로`.
fn place(region: &Region) -> String {
    let part = region.sigungu.as_deref().unwrap_or(&region.sido);
    let first = part.split(' ').next().unwrap_or(part);
    let chars: Vec<char> = first.chars().collect();
    if chars.len() > 2 {
        chars[..chars.len() - 1].iter().collect()
    } else {
        first.to_owned()
    }
}

/// Product `i`, the same every time.
fn product(t: &Tables, i: u64) -> PoolDocument {
    let mut r = Rng::new(i + 1);
    let region = r.pick(&t.sigungu);
    let industry = *r.pick(&t.industries);
    let place = place(region);
    let mut name = Vec::new();
    if r.chance(40) {
        name.push(place.clone());
    }
    if r.chance(35) {
        name.push(r.pick(ADJECTIVES).to_string());
    }
    let words = 1 + r.below(2);
    for _ in 0..words {
        let word = *r.pick(WORDS);
        // Sometimes written without a space (전주비빔밥).
        if r.chance(20)
            && let Some(last) = name.last_mut()
        {
            last.push_str(word);
        } else {
            name.push(word.to_owned());
        }
    }
    name.push(r.pick(UNITS).to_string());
    let listed_on: Vec<Channel> = Channel::ALL.into_iter().filter(|_| r.chance(25)).collect();
    let certifications: Vec<String> = CERTIFICATIONS
        .iter()
        .filter(|_| r.chance(8))
        .map(|c| c.to_string())
        .collect();
    let code = region.code.as_str().to_owned();
    PoolDocument {
        product_id: ProductId(i as i64 + 1),
        merchant_id: MerchantId((i / 8) as i64 + 1),
        name: name.join(" "),
        brand: if r.chance(50) {
            format!("{place}{}", r.pick(BRAND_TAILS))
        } else {
            String::new()
        },
        shop_name: format!("{}{}", r.pick(WORDS), r.pick(BRAND_TAILS)),
        region_names: region.name.clone(),
        sido: code[..2].to_owned(),
        sigungu: code,
        industry_code: industry.code.clone(),
        industry_names: format!("{} {} {}", industry.major, industry.middle, industry.name),
        tags: (0..r.below(3)).map(|_| r.pick(WORDS).to_string()).collect(),
        price: 1_000 + 100 * r.below(1_000) as i64,
        listed_on,
        tax_free: r.chance(30),
        certifications,
        ships_nationwide: r.chance(80),
        pooled_at: Timestamp::from_unix_ms(1_700_000_000_000 + i as i64 * 1_000),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    OneWord,
    OneChar,
    TwoWords,
    Particle,
    Typo,
    Initials,
    Filtered,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::OneWord => "1 word",
            Kind::OneChar => "1 syllable",
            Kind::TwoWords => "2 words",
            Kind::Particle => "word+조사",
            Kind::Typo => "typo",
            Kind::Initials => "초성",
            Kind::Filtered => "filtered",
        }
    }
    const ALL: [Kind; 7] = [
        Kind::OneWord,
        Kind::OneChar,
        Kind::TwoWords,
        Kind::Particle,
        Kind::Typo,
        Kind::Initials,
        Kind::Filtered,
    ];
}

fn queries() -> Vec<(Kind, PoolQuery)> {
    let text = |t: &str| PoolQuery {
        text: t.to_owned(),
        limit: 20,
        ..PoolQuery::default()
    };
    let mut out = Vec::new();
    for t in [
        "막걸리",
        "김치",
        "참기름",
        "한우",
        "곶감",
        "비빔밥",
        "들기름",
        "고추장",
        "도자기",
        "향초",
        "가죽",
        "선물세트",
    ] {
        out.push((Kind::OneWord, text(t)));
    }
    for t in ["김", "배", "꿀", "떡"] {
        out.push((Kind::OneChar, text(t)));
    }
    for t in [
        "국산 참기름",
        "유기농 쌀",
        "수제 비누",
        "한과 선물세트",
        "강릉 막걸리",
        "전주 비빔밥",
        "김치 1kg",
        "전통 약과",
    ] {
        out.push((Kind::TwoWords, text(t)));
    }
    for t in ["막걸리를", "참기름은", "김치에서", "고추장으로"] {
        out.push((Kind::Particle, text(t)));
    }
    for t in ["막걸이", "고추잠", "참기룸", "도자가"] {
        out.push((Kind::Typo, text(t)));
    }
    for t in ["ㅁㄱㄹ", "ㄱㅊㅈ", "ㅊㄱㄹ", "ㄷㅈㄱ"] {
        out.push((Kind::Initials, text(t)));
    }
    let mut q = text("막걸리");
    q.sido = Some("51".into());
    out.push((Kind::Filtered, q));
    let mut q = text("김치");
    q.price_max = Some(20_000);
    q.tax_free = Some(true);
    out.push((Kind::Filtered, q));
    let mut q = text("참기름");
    q.sort = PoolSort::PriceLow;
    q.certification = Some("HACCP".into());
    out.push((Kind::Filtered, q));
    let mut q = text("한우");
    q.sort = PoolSort::Newest;
    q.sido = Some("47".into());
    q.industry_code = Some("I21001".into());
    out.push((Kind::Filtered, q));
    out
}

/// The SQL `WHERE` clause for a query (LIKE on the name, same filters) and its bind values.
fn sql_where(q: &PoolQuery, name: &str) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    for word in q.text.split_whitespace() {
        clauses.push(format!("{name} LIKE ?"));
        binds.push(format!("%{word}%"));
    }
    if let Some(s) = &q.sido {
        clauses.push("sido = ?".into());
        binds.push(s.clone());
    }
    if let Some(s) = &q.industry_code {
        clauses.push("industry = ?".into());
        binds.push(s.clone());
    }
    if let Some(p) = q.price_max {
        clauses.push(format!("price <= {p}"));
    }
    if let Some(t) = q.tax_free {
        clauses.push(format!("tax_free = {}", i32::from(t)));
    }
    if let Some(c) = &q.certification {
        clauses.push("certs LIKE ?".into());
        binds.push(format!("%|{c}|%"));
    }
    if clauses.is_empty() {
        clauses.push("1".into());
    }
    (clauses.join(" AND "), binds)
}

async fn sql_ids(
    db: &mut SqliteConnection,
    table: &str,
    id: &str,
    name: &str,
    q: &PoolQuery,
) -> (Vec<i64>, Duration) {
    let (clause, binds) = sql_where(q, name);
    let sql = format!("SELECT {id} FROM {table} WHERE {clause}");
    let started = Instant::now();
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(&mut *db).await.expect("sql query");
    let elapsed = started.elapsed();
    (rows.iter().map(|r| r.get::<i64, _>(0)).collect(), elapsed)
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        dir_size(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort_unstable();
    let rank = ((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len());
    samples[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[derive(Default)]
struct Stats {
    ours: Vec<Duration>,
    like: Vec<Duration>,
    fts: Vec<Duration>,
    like_ids: u64,
    recalled: u64,
    hits: u64,
}

fn main() {
    let n: u64 = std::env::var("GACHI_BENCH_PRODUCTS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(5_000_000);
    let reps: usize = std::env::var("GACHI_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let tables = Tables {
        sigungu: region::all_sigungu(),
        industries: industry::all(),
    };
    let work: PathBuf =
        std::env::temp_dir().join(format!("gachi-pool-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("temp dir");
    println!(
        "pool search benchmark: {n} products ({} 시군구, {} industries, {} words), work dir {}",
        tables.sigungu.len(),
        tables.industries.len(),
        WORDS.len(),
        work.display()
    );
    for i in [0, 1, 2] {
        println!("  e.g. {:?}", product(&tables, i).name);
    }

    // Our index, on disk.
    let index_dir = work.join("index");
    let index = PoolSearch::open(&index_dir).expect("open index");
    let started = Instant::now();
    let indexed = index
        .rebuild(&mut (0..n).map(|i| product(&tables, i)))
        .expect("rebuild");
    let build = started.elapsed();
    let size = dir_size(&index_dir);
    let per_million = 1_000_000.0 / n as f64;
    println!(
        "tantivy: {indexed} products in {:.1} s ({:.1} s per million), {:.1} MB ({:.1} MB per million)",
        build.as_secs_f64(),
        build.as_secs_f64() * per_million,
        size as f64 / 1e6,
        size as f64 / 1e6 * per_million
    );

    if std::env::var("GACHI_BENCH_PROFILE").is_ok() {
        for (kind, q) in queries() {
            let time = |f: &dyn Fn()| {
                f();
                let started = Instant::now();
                for _ in 0..10 {
                    f();
                }
                started.elapsed() / 10
            };
            let mut newest = q.clone();
            newest.sort = PoolSort::Newest;
            println!(
                "{:<12} {:<16} relevance {} newest {} ids {}",
                kind.label(),
                q.text,
                ms(time(&|| {
                    index.search(&q).unwrap();
                })),
                ms(time(&|| {
                    index.search(&newest).unwrap();
                })),
                ms(time(&|| {
                    index.all_matching_ids(&q).unwrap();
                })),
            );
        }
        drop(index);
        std::fs::remove_dir_all(&work).ok();
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio");
    runtime.block_on(async {
        let db_path = work.join("pool.sqlite");
        let options = SqliteConnectOptions::new()
            .filename(&db_path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Off)
            .synchronous(SqliteSynchronous::Off);
        let mut db = SqliteConnection::connect_with(&options).await.expect("sqlite");
        for ddl in [
            "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sido TEXT NOT NULL, \
             industry TEXT NOT NULL, price INTEGER NOT NULL, tax_free INTEGER NOT NULL, \
             certs TEXT NOT NULL, pooled_at INTEGER NOT NULL)",
            "CREATE VIRTUAL TABLE products_fts USING fts5(name, tokenize = 'trigram')",
        ] {
            sqlx::query(ddl).execute(&mut db).await.expect("ddl");
        }
        let started = Instant::now();
        let mut tx = db.begin().await.expect("begin");
        for i in 0..n {
            let p = product(&tables, i);
            let certs = format!("|{}|", p.certifications.join("|"));
            sqlx::query("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(p.product_id.0)
                .bind(&p.name)
                .bind(&p.sido)
                .bind(&p.industry_code)
                .bind(p.price)
                .bind(p.tax_free)
                .bind(certs)
                .bind(p.pooled_at.unix_ms())
                .execute(&mut *tx)
                .await
                .expect("insert");
        }
        tx.commit().await.expect("commit");
        let plain = started.elapsed();
        let started = Instant::now();
        sqlx::query("INSERT INTO products_fts (rowid, name) SELECT id, name FROM products")
            .execute(&mut db)
            .await
            .expect("fts fill");
        println!(
            "sqlite: rows in {:.1} s, FTS5 trigram in {:.1} s, database {:.1} MB",
            plain.as_secs_f64(),
            started.elapsed().as_secs_f64(),
            std::fs::metadata(&db_path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
        );
        // Filters for the FTS table come from the plain table by rowid.
        let fts_table = "products_fts JOIN products ON products.id = products_fts.rowid";

        let mut stats: Vec<Stats> = Kind::ALL.iter().map(|_| Stats::default()).collect();
        let sql_reps = if n > 1_000_000 { 1 } else { 3 };
        println!();
        println!(
            "{:<12} {:<28} {:>8} {:>8} {:>9} {:>9}",
            "kind", "query", "ours", "LIKE", "ours ms", "LIKE ms"
        );
        for (kind, q) in queries() {
            let s = &mut stats[Kind::ALL.iter().position(|k| *k == kind).unwrap()];
            // Warm once, then time.
            let hits = index.search(&q).expect("search");
            for _ in 0..reps {
                let started = Instant::now();
                let page = index.search(&q).expect("search");
                s.ours.push(started.elapsed());
                assert_eq!(page.total, hits.total);
            }
            let ours: HashSet<i64> = index
                .all_matching_ids(&q)
                .expect("ids")
                .into_iter()
                .map(|p| p.0)
                .collect();
            assert_eq!(ours.len() as u64, hits.total);
            s.hits += hits.total;
            let mut like_ids = Vec::new();
            let mut like_time = Duration::ZERO;
            for _ in 0..sql_reps {
                let (ids, t) = sql_ids(&mut db, "products", "id", "name", &q).await;
                s.like.push(t);
                like_ids = ids;
                like_time = t;
            }
            let use_fts = q.text.split_whitespace().count() > 0;
            if use_fts {
                for _ in 0..sql_reps {
                    let (ids, t) = sql_ids(&mut db, fts_table, "products.id", "products_fts.name", &q).await;
                    s.fts.push(t);
                    assert_eq!(ids.len(), like_ids.len(), "FTS5 trigram LIKE = plain LIKE");
                }
            }
            s.like_ids += like_ids.len() as u64;
            s.recalled += like_ids.iter().filter(|id| ours.contains(id)).count() as u64;
            let missed: Vec<&i64> = like_ids.iter().filter(|id| !ours.contains(id)).take(3).collect();
            println!(
                "{:<12} {:<28} {:>8} {:>8} {:>9} {:>9}{}",
                kind.label(),
                format!("{:?}", q.text),
                hits.total,
                like_ids.len(),
                ms(percentile(&mut s.ours[s.ours.len() - reps..].to_vec(), 0.5)),
                ms(like_time),
                if missed.is_empty() {
                    String::new()
                } else {
                    format!("  MISSED e.g. {missed:?}")
                }
            );
        }

        println!();
        println!(
            "{:<12} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9}",
            "kind", "ours p50", "ours p99", "LIKE p50", "LIKE p99", "FTS p50", "FTS p99", "LIKE/ours", "recall"
        );
        let mut all_ours = Vec::new();
        let (mut all_like, mut all_recalled) = (0u64, 0u64);
        for (kind, s) in Kind::ALL.iter().zip(stats.iter_mut()) {
            all_ours.extend_from_slice(&s.ours);
            all_like += s.like_ids;
            all_recalled += s.recalled;
            let ours50 = percentile(&mut s.ours, 0.5);
            let like50 = percentile(&mut s.like, 0.5);
            println!(
                "{:<12} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9.1}× {:>9}",
                kind.label(),
                ms(ours50),
                ms(percentile(&mut s.ours, 0.99)),
                ms(like50),
                ms(percentile(&mut s.like, 0.99)),
                if s.fts.is_empty() { "-".into() } else { ms(percentile(&mut s.fts, 0.5)) },
                if s.fts.is_empty() { "-".into() } else { ms(percentile(&mut s.fts, 0.99)) },
                like50.as_secs_f64() / ours50.as_secs_f64().max(1e-9),
                if s.like_ids == 0 {
                    "n/a".to_owned()
                } else {
                    format!("{:.2}%", 100.0 * s.recalled as f64 / s.like_ids as f64)
                }
            );
        }
        println!(
            "all queries: ours p99 {} ms (target < 30), recall {:.3}% of {} LIKE hits (target 100%)",
            ms(percentile(&mut all_ours, 0.99)),
            100.0 * all_recalled as f64 / all_like.max(1) as f64,
            all_like
        );
        db.close().await.ok();
    });
    drop(index);
    std::fs::remove_dir_all(&work).ok();
}
