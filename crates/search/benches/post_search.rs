//! Benchmark of the community (가치삽시다 2.0) search against what its spec asks, in one run:
//! the posts' index at scale, similar questions while typing and full-text search. (The thread
//! page's rendering is measured by `gachi-web`'s `thread_page` bench.)
//!
//! 1. Generates questions and know-how articles (default 1,000,000) with Korean titles and
//!    bodies from a vocabulary of sellers' words (marketplaces, 반품지, 출고지, 센터코드,
//!    상품정보제공고시, 정산, …; particles attached by the word's final consonant as people write
//!    them), a topic, a marketplace or none, sometimes an error code, a share solved (a solved
//!    question's body carries its accepted answer, as the index is fed). Builds the index on disk
//!    through `PostIndex::rebuild` and prints the time and size.
//! 2. "Similar while typing": the ask form calls `search` with the title as it is typed (2–4
//!    words, the last one sometimes cut mid-word), limit 5 and no total, as `Community::similar`
//!    asks; p50/p99, target p99 < 30 ms.
//! 3. "Full-text search": 1–2 words, some with particles (`반품이`, `출고지를`), limit 20, some
//!    with filters (marketplace, solved only, topic, kind, error code); p50/p99, target
//!    p99 < 30 ms.
//!
//! Correctness is checked along the way (a known post found by a particle query and ranked
//! first, filters respected by every hit, every query word in every hit's title or body, a
//! particle query finding what its stem finds); a failed check makes the run exit non-zero.
//! Timings are only printed, never asserted.
//!
//! Run: `GACHI_BENCH_POSTS=100000 cargo bench -p gachi-search --bench post_search` (default
//! 1,000,000 posts; the index is built under `target/bench-data/` and deleted afterwards).
//! `GACHI_BENCH_REPS` sets the timed runs per query (20).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gachi_domain::community::search::{PostDocument, PostIndex, PostKind, PostQuery};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::time::Timestamp;
use gachi_search::korean::{self, QueryWord};
use gachi_search::{PostSearch, TYPOS_WHEN_FEWER_THAN};

/// Marketplace words, as sellers name them, per channel.
const NAVER: &[&str] = &[
    "네이버",
    "스마트스토어",
    "스스",
    "네이버쇼핑",
    "커머스솔루션",
];
const COUPANG: &[&str] = &["쿠팡", "쿠팡윙", "윙", "로켓그로스", "쿠팡 판매자센터"];
const ELEVENST: &[&str] = &["11번가", "셀러오피스", "11번가 셀러오피스"];
const ESM: &[&str] = &["지마켓", "옥션", "ESM", "ESM PLUS", "지마켓 옥션"];

/// The community's topics and the words their posts use most.
const TOPICS: &[(&str, &[&str])] = &[
    (
        "listing",
        &[
            "상품등록",
            "카테고리",
            "옵션",
            "재고",
            "판매가",
            "승인반려",
            "검수",
            "입점",
            "노출",
            "검색어",
            "상품명",
            "판매중지",
            "대량등록",
            "엑셀",
            "속성",
            "브랜드",
            "모델명",
        ],
    ),
    (
        "detail_page",
        &[
            "상세페이지",
            "대표사진",
            "추가이미지",
            "이미지",
            "상품정보제공고시",
            "원산지",
            "제조사",
            "유통기한",
            "상세설명",
            "템플릿",
            "글자수",
            "배너",
        ],
    ),
    (
        "notice",
        &[
            "상품정보제공고시",
            "고시정보",
            "원산지",
            "인증정보",
            "표시사항",
            "식품유형",
            "제조일자",
            "소비기한",
            "영양성분",
            "품목보고번호",
            "가공식품",
            "농산물",
        ],
    ),
    (
        "shipping",
        &[
            "배송비",
            "택배",
            "반품",
            "반품지",
            "출고지",
            "출고",
            "송장번호",
            "묶음배송",
            "도서산간",
            "교환",
            "반품배송비",
            "센터코드",
            "택배사",
            "출고소요일",
            "무료배송",
            "합포장",
        ],
    ),
    (
        "settlement",
        &[
            "정산",
            "수수료",
            "부가세",
            "세금계산서",
            "사업자등록번호",
            "통신판매업",
            "정산주기",
            "구매확정",
            "정산계좌",
            "매출",
            "면세",
            "과세",
            "간이과세자",
        ],
    ),
    (
        "live",
        &[
            "라이브",
            "쇼핑라이브",
            "방송",
            "할인",
            "쿠폰",
            "알림",
            "시청자",
            "리허설",
            "가치데이",
            "스튜디오",
            "진행자",
            "특가",
            "채팅",
        ],
    ),
    (
        "photos",
        &[
            "대표사진",
            "사진",
            "촬영",
            "배경",
            "해상도",
            "누끼",
            "썸네일",
            "이미지",
            "흰배경",
            "조명",
            "용량",
            "정사각형",
        ],
    ),
];

/// Words every topic uses.
const COMMON: &[&str] = &[
    "상품",
    "판매자",
    "고객",
    "주문",
    "문의",
    "설정",
    "등록",
    "수정",
    "오류",
    "에러",
    "화면",
    "버튼",
    "메뉴",
    "관리자",
    "판매자센터",
    "안내",
    "기준",
    "방법",
    "이유",
    "확인",
    "처리",
    "기간",
    "주소",
    "정보",
    "가치",
    "담당자",
    "디자이너",
    "계정",
    "스토어",
    "공지",
];

/// Words that open a sentence.
const OPENERS: &[&str] = &[
    "혹시",
    "오늘",
    "어제부터",
    "며칠째",
    "처음으로",
    "계속",
    "갑자기",
    "지난주에",
    "다시",
    "그래서",
    "먼저",
    "그리고",
];

/// Verbs that join nouns inside a sentence.
const LINKS: &[&str] = &[
    "설정했는데",
    "등록하고",
    "확인하니",
    "바꿨더니",
    "넣었는데",
    "올렸는데",
    "입력하면",
    "저장하면",
    "선택하고",
    "보니까",
];

/// How a question's sentences end.
const QUESTION_ENDS: &[&str] = &[
    "안 돼요.",
    "어떻게 하나요?",
    "오류가 나요.",
    "반려됐어요.",
    "문의드립니다.",
    "안 보여요.",
    "필요한가요?",
    "어디서 바꾸나요?",
    "맞나요?",
    "방법이 있을까요?",
    "계속 실패합니다.",
    "도와주세요.",
];

/// How an answer's or article's sentences end.
const ANSWER_ENDS: &[&str] = &[
    "하시면 됩니다.",
    "확인해 보세요.",
    "바꾸면 해결됩니다.",
    "입력해야 합니다.",
    "다시 등록하세요.",
    "따로 설정해야 해요.",
    "저는 이렇게 해결했습니다.",
    "꼭 확인하세요.",
    "먼저 저장하세요.",
    "반영까지 하루 걸립니다.",
];

/// How titles end.
const QUESTION_TITLE_ENDS: &[&str] = &[
    "안 돼요",
    "어떻게 하나요?",
    "오류가 나요",
    "반려됐어요",
    "문의드립니다",
    "질문입니다",
    "안 보여요",
    "바꾸는 방법",
    "필요한가요?",
    "왜 이런가요",
];
const ARTICLE_TITLE_ENDS: &[&str] = &[
    "정리",
    "노하우",
    "체크리스트",
    "가이드",
    "총정리",
    "하는 법",
    "실수 모음",
    "꿀팁",
    "한 번에 끝내기",
];

/// Readiness and marketplace error codes posts are about.
const ERROR_CODES: &[&str] = &[
    "listing-setting-missing",
    "gap-category",
    "listing-image-public-url",
    "listing-required",
    "listing-notice-codes-missing",
    "listing-category-meta-missing",
    "listing-main-image-small",
    "listing-option-price-range",
    "listing-too-long",
];

const LINKS_OUT: &[(&str, &str)] = &[
    ("쿠팡 윙 도움말", "https://wing.coupang.com/"),
    (
        "스마트스토어센터 공지",
        "https://sell.smartstore.naver.com/",
    ),
    ("11번가 셀러오피스", "https://soffice.11st.co.kr/"),
    ("ESM PLUS 안내", "https://www.esmplus.com/"),
];

/// xorshift64*: deterministic, so every run builds the same posts.
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

/// The final consonant (받침) of a Hangul syllable, 0 for none; `None` for anything else.
fn final_consonant(c: char) -> Option<u32> {
    korean::is_syllable(c).then(|| (c as u32 - 0xAC00) % 28)
}

/// `word` with a particle, chosen by its last syllable as Koreans write it (반품이, 출고지를,
/// 정산으로, 배송비로); after a letter or digit only the particles that do not depend on it.
fn with_particle(r: &mut Rng, word: &str) -> String {
    let last = word.chars().last().unwrap_or(' ');
    let Some(jong) = final_consonant(last) else {
        return format!("{word}{}", r.pick(&["에서", "에", "도", "의"]));
    };
    let has = jong != 0;
    let particle = match r.below(9) {
        0 => ["가", "이"][usize::from(has)],
        1 => ["는", "은"][usize::from(has)],
        2 => ["를", "을"][usize::from(has)],
        // ㄹ (8) takes 로, as a vowel does.
        3 => ["로", "으로"][usize::from(has && jong != 8)],
        4 => "에서",
        5 => "에",
        6 => "도",
        7 => "의",
        _ => ["와", "과"][usize::from(has)],
    };
    format!("{word}{particle}")
}

/// A topic's word most of the time, else a common or a marketplace word.
fn noun(r: &mut Rng, topic: &[&str], market: &[&str]) -> String {
    match r.below(10) {
        0..=5 => r.pick(topic).to_string(),
        6..=8 => r.pick(COMMON).to_string(),
        _ => r.pick(market).to_string(),
    }
}

/// One sentence: an opener sometimes, 2–4 nouns (most with particles, some joined by a verb)
/// and an ending.
fn sentence(r: &mut Rng, topic: &[&str], market: &[&str], question: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    if r.chance(30) {
        parts.push(r.pick(OPENERS).to_string());
    }
    let nouns = 2 + r.below(3);
    for k in 0..nouns {
        let word = noun(r, topic, market);
        parts.push(if r.chance(65) {
            with_particle(r, &word)
        } else {
            word
        });
        if k + 1 < nouns && r.chance(25) {
            parts.push(r.pick(LINKS).to_string());
        }
    }
    parts.push(
        r.pick(if question { QUESTION_ENDS } else { ANSWER_ENDS })
            .to_string(),
    );
    parts.join(" ")
}

/// `least` to `least + more - 1` sentences.
fn paragraph(
    r: &mut Rng,
    topic: &[&str],
    market: &[&str],
    question: bool,
    (least, more): (usize, usize),
) -> String {
    let n = least + r.below(more);
    (0..n)
        .map(|_| sentence(r, topic, market, question))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An answer or article passage in Markdown: paragraphs, sometimes a bold phrase, a list and a
/// link.
fn answer_markdown(r: &mut Rng, topic: &[&str], market: &[&str]) -> String {
    let mut blocks = Vec::new();
    let first = paragraph(r, topic, market, false, (1, 2));
    blocks.push(if r.chance(50) {
        format!("**{}** {first}", noun(r, topic, market))
    } else {
        first
    });
    if r.chance(50) {
        let ordered = r.chance(40);
        let items: Vec<String> = (0..2 + r.below(3))
            .enumerate()
            .map(|(k, _)| {
                let marker = if ordered {
                    format!("{}.", k + 1)
                } else {
                    "-".to_owned()
                };
                let item = sentence(r, topic, market, false);
                if r.chance(30) {
                    format!("{marker} **{}**: {item}", noun(r, topic, market))
                } else {
                    format!("{marker} {item}")
                }
            })
            .collect();
        blocks.push(items.join("\n"));
    }
    if r.chance(60) {
        blocks.push(paragraph(r, topic, market, false, (1, 2)));
    }
    if r.chance(25) {
        let (label, url) = r.pick(LINKS_OUT);
        blocks.push(format!("자세한 내용은 [{label}]({url})에서 확인하세요."));
    }
    blocks.join("\n\n")
}

fn market_words(channel: Option<Channel>) -> &'static [&'static str] {
    match channel {
        Some(Channel::Naver) => NAVER,
        Some(Channel::Coupang) => COUPANG,
        Some(Channel::ElevenSt) => ELEVENST,
        Some(Channel::Esm) => ESM,
        None => &["마켓", "오픈마켓", "판매처", "채널"],
    }
}

fn title(
    r: &mut Rng,
    kind: PostKind,
    topic: &[&str],
    channel: Option<Channel>,
    market: &[&str],
) -> String {
    let mut words: Vec<String> = Vec::new();
    if channel.is_some() && r.chance(60) {
        words.push(r.pick(market).to_string());
    }
    let nouns = 1 + r.below(3);
    for k in 0..nouns {
        let word = r.pick(topic).to_string();
        words.push(if k + 1 == nouns && r.chance(50) {
            with_particle(r, &word)
        } else {
            word
        });
    }
    words.push(
        r.pick(match kind {
            PostKind::Question => QUESTION_TITLE_ENDS,
            PostKind::Article => ARTICLE_TITLE_ENDS,
        })
        .to_string(),
    );
    words.join(" ")
}

/// Post `i` (id `i + 1`), the same every time.
fn post(i: u64) -> PostDocument {
    let mut r = Rng::new(i + 1);
    let kind = if r.chance(75) {
        PostKind::Question
    } else {
        PostKind::Article
    };
    let (topic, words) = *r.pick(TOPICS);
    let channel = match r.below(10) {
        0..=2 => Some(Channel::Naver),
        3..=5 => Some(Channel::Coupang),
        6 => Some(Channel::ElevenSt),
        7 => Some(Channel::Esm),
        _ => None,
    };
    let market = market_words(channel);
    let title = title(&mut r, kind, words, channel, market);
    let error_code = if r.chance(12) {
        r.pick(ERROR_CODES).to_string()
    } else {
        String::new()
    };
    let (body, solved) = match kind {
        PostKind::Question => {
            let mut body = paragraph(&mut r, words, market, true, (2, 3));
            if !error_code.is_empty() {
                body.push_str(&format!("\n\n`{error_code}` 이렇게 나옵니다."));
            }
            let solved = r.chance(55);
            if solved {
                // The accepted answer's text, as the index is fed.
                body.push_str("\n\n");
                body.push_str(&answer_markdown(&mut r, words, market));
            }
            (body, solved)
        }
        PostKind::Article => {
            let body = (0..2 + r.below(2))
                .map(|_| answer_markdown(&mut r, words, market))
                .collect::<Vec<_>>()
                .join("\n\n");
            (body, true)
        }
    };
    PostDocument {
        kind,
        id: i as i64 + 1,
        title,
        body,
        topic: topic.to_owned(),
        channel,
        error_code,
        solved,
        created_at: Timestamp::from_unix_ms(1_700_000_000_000 + i as i64 * 30_000),
    }
}

/// A word no generated post has: the known post's shop (`가치농원`).
const KNOWN_WORD: &str = "가치농원";

/// The known question's own text (its page shows it above the answers).
fn known_question_body() -> String {
    format!(
        "{KNOWN_WORD}에서 쿠팡에 **김치**를 올리고 있습니다. 출고지는 전주인데 반품지는 서울 \
         창고로 하고 싶어요. 쿠팡 판매자센터에서 반품지를 바꾸면 센터코드가 달라진다는데 \
         맞나요?"
    )
}

/// The known post, added after the generated ones (id `n + 1`): a solved Coupang shipping
/// question.
fn known_post(n: u64, accepted_answer: &str) -> PostDocument {
    PostDocument {
        kind: PostKind::Question,
        id: n as i64 + 1,
        title: "쿠팡 반품지와 출고지를 다르게 등록하는 방법이 있나요?".to_owned(),
        body: format!("{}\n\n{accepted_answer}", known_question_body()),
        topic: "shipping".to_owned(),
        channel: Some(Channel::Coupang),
        error_code: "listing-setting-missing".to_owned(),
        solved: true,
        created_at: Timestamp::from_unix_ms(1_700_000_000_000 + n as i64 * 30_000),
    }
}

/// The known question's accepted answer, in Markdown (bold, a list, a link), as its body is
/// indexed with it.
fn accepted_answer() -> String {
    let (_, words) = TOPICS[3];
    let mut r = Rng::new(0xA11CE);
    let mut text = answer_markdown(&mut r, words, COUPANG);
    if !text.contains("**") {
        text = format!("**{}** {text}", r.pick(words));
    }
    let (label, url) = LINKS_OUT[0];
    text.push_str(&format!("\n\n참고: [{label}]({url})"));
    text
}

/// What the ask form sends as the title is typed: the first 2–4 words of a title, the last one
/// sometimes cut mid-word (the form searches 400 ms after the last keystroke).
fn typing_queries(count: u64) -> Vec<String> {
    let mut out: Vec<String> = [
        "쿠팡 반품지 설정",
        "스마트스토어 상세페이지 대표사진이",
        "11번가 정산 언제",
        "네이버 상품정보제공고시 원산",
        "쿠팡 출고지를 바꾸",
        "라이브 쿠폰 할인이 안",
        "사업자등록번호 통신판매업 신고",
        "ESM 카테고리 승인반려",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for k in 0..count {
        let mut r = Rng::new(0x7E57_0000 + k);
        let kind = if r.chance(75) {
            PostKind::Question
        } else {
            PostKind::Article
        };
        let (_, words) = *r.pick(TOPICS);
        let channel = Some(*r.pick(&Channel::ALL)).filter(|_| r.chance(80));
        let full = title(&mut r, kind, words, channel, market_words(channel));
        let all: Vec<&str> = full.split_whitespace().collect();
        if all.len() < 2 {
            continue;
        }
        let take = (2 + r.below(3)).min(all.len());
        let mut typed: Vec<String> = all[..take].iter().map(|w| w.to_string()).collect();
        if r.chance(35) {
            let last: Vec<char> = typed[take - 1].chars().collect();
            if last.len() >= 2 {
                typed[take - 1] = last[..last.len().div_ceil(2)].iter().collect();
            }
        }
        out.push(typed.join(" "));
    }
    out
}

/// Full-text queries: 1–2 words, some with particles, some with filters.
fn full_text_queries(known: i64) -> Vec<(String, PostQuery)> {
    let text = |t: &str| PostQuery {
        text: t.to_owned(),
        limit: 20,
        ..PostQuery::default()
    };
    let mut out = Vec::new();
    for t in [
        "반품",
        "반품이",
        "출고지를",
        "정산",
        "센터코드",
        "상품정보제공고시를",
        "대표사진",
        "승인반려",
        "배송비가",
        "통신판매업",
        "카테고리에서",
        "옵션으로",
        "쿠팡 반품",
        "반품지 출고지",
        "상세페이지 대표사진",
        "정산이 수수료",
        "라이브 쿠폰",
        "사업자등록번호를",
        "스마트스토어 원산지",
        "11번가 정산",
    ] {
        out.push((String::new(), text(t)));
    }
    let mut q = text("반품지");
    q.channel = Some(Channel::Coupang);
    out.push(("channel=coupang".into(), q));
    let mut q = text("정산이");
    q.solved_only = true;
    out.push(("solved".into(), q));
    let mut q = text("상세페이지 대표사진을");
    q.channel = Some(Channel::Naver);
    q.solved_only = true;
    out.push(("channel=naver solved".into(), q));
    let mut q = text("택배");
    q.topic = Some("shipping".into());
    q.kind = Some(PostKind::Question);
    out.push(("topic=shipping kind=question".into(), q));
    let mut q = text("카테고리");
    q.error_code = Some("gap-category".into());
    q.solved_only = true;
    out.push(("error=gap-category solved".into(), q));
    let mut q = text("출고지를");
    q.channel = Some(Channel::ElevenSt);
    q.kind = Some(PostKind::Article);
    out.push(("channel=11st kind=article".into(), q));
    let mut q = text("쿠폰 할인");
    q.topic = Some("live".into());
    q.solved_only = true;
    out.push(("topic=live solved".into(), q));
    // The known post, by words that only it has, with particles.
    let mut q = text(&format!("{KNOWN_WORD}에서 센터코드가"));
    q.channel = Some(Channel::Coupang);
    q.solved_only = true;
    out.push((format!("coupang solved (#{known})"), q));
    out
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

/// `text` padded with spaces to `width` terminal columns (Hangul takes two).
fn pad(text: &str, width: usize) -> String {
    let used: usize = text
        .chars()
        .map(|c| if korean::is_syllable(c) { 2 } else { 1 })
        .sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// Correctness checks: each prints a line when it fails; the run exits non-zero if any did.
#[derive(Default)]
struct Checks {
    passed: u64,
    failed: u64,
}

impl Checks {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            println!("CHECK FAILED: {}", what());
        }
    }
}

/// Whether `doc` satisfies the query's filters, and (when `words` is set) has every query word
/// (its stem, spaces ignored) in its title or its body.
fn satisfies(doc: &PostDocument, q: &PostQuery, words: bool) -> bool {
    let filters = q.kind.is_none_or(|k| k == doc.kind)
        && q.topic.as_deref().is_none_or(|t| t == doc.topic)
        && q.channel.is_none_or(|c| Some(c) == doc.channel)
        && q.error_code.as_deref().is_none_or(|e| e == doc.error_code)
        && (!q.solved_only || doc.solved);
    if !filters || !words {
        return filters;
    }
    let title = korean::content_chars(&doc.title);
    let body = korean::content_chars(&doc.body);
    let within = |hay: &[char], needle: &[char]| hay.windows(needle.len()).any(|w| w == needle);
    korean::query_words(&q.text).iter().all(|w| match w {
        QueryWord::Text { stem, .. } => within(&title, stem) || within(&body, stem),
        QueryWord::Initials(_) => true,
    })
}

/// Timed runs of each query; checks every hit (filters always; words when the search could
/// not have fallen back to typo matching) and, with `expect_hits`, that something was found.
/// Returns the samples and prints one line per query.
fn run_queries(
    index: &PostSearch,
    queries: &[(String, PostQuery)],
    reps: usize,
    expect_hits: bool,
    lookup: &dyn Fn(PostKind, i64) -> Option<PostDocument>,
    checks: &mut Checks,
) -> Vec<Duration> {
    let mut all = Vec::new();
    println!(
        "  {:<38} {:<30} {:>8} {:>8} {:>8}",
        "query", "filters", "total", "p50 ms", "p99 ms"
    );
    for (label, q) in queries {
        let first = index.search(q).expect("search");
        let mut samples = Vec::with_capacity(reps);
        for _ in 0..reps {
            let started = Instant::now();
            let page = black_box(index.search(black_box(q)).expect("search"));
            samples.push(started.elapsed());
            checks.check(page == first, || {
                format!("{:?}: same hits every run", q.text)
            });
        }
        all.extend_from_slice(&samples);
        // Misspellings are never guessed while typing, and otherwise only below the threshold.
        let exact = q.without_total || first.total >= TYPOS_WHEN_FEWER_THAN;
        for &(kind, id) in &first.hits {
            let ok = lookup(kind, id).is_some_and(|doc| satisfies(&doc, q, exact));
            checks.check(ok, || {
                format!(
                    "{:?} ({label}): hit {} {id} does not match",
                    q.text,
                    kind.code()
                )
            });
        }
        checks.check(!expect_hits || first.total > 0, || {
            format!("{:?} ({label}): found nothing", q.text)
        });
        println!(
            "  {} {} {:>8} {:>8} {:>8}",
            pad(&format!("{:?}", q.text), 38),
            pad(label, 30),
            first.total,
            ms(percentile(&mut samples.clone(), 0.5)),
            ms(percentile(&mut samples, 0.99)),
        );
    }
    all
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

fn main() {
    let n: u64 = std::env::var("GACHI_BENCH_POSTS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let reps: usize = std::env::var("GACHI_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
        .max(1);
    // GACHI_BENCH_KEEP_INDEX=1 keeps the index for the next run (which then skips the build):
    // for trying query changes, not for the figures of record.
    let keep = std::env::var("GACHI_BENCH_KEEP_INDEX").is_ok_and(|v| v == "1");
    let work: PathBuf = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/bench-data")
        .join(if keep {
            format!("post-search-kept-{n}")
        } else {
            format!("post-search-{}", std::process::id())
        });
    std::fs::create_dir_all(&work).expect("bench dir");
    let work = work.canonicalize().unwrap_or(work);
    let mut checks = Checks::default();

    let known = known_post(n, &accepted_answer());
    let known_id = known.id;
    let sample: Vec<PostDocument> = (0..n.min(10_000)).map(post).collect();
    let questions = sample
        .iter()
        .filter(|p| p.kind == PostKind::Question)
        .count();
    let solved = sample.iter().filter(|p| p.solved).count();
    let body_chars: usize = sample.iter().map(|p| p.body.chars().count()).sum();
    println!(
        "community post search benchmark: {n} posts + 1 known, {reps} runs per query, work dir {}",
        work.display()
    );
    println!(
        "  generated (first {}): {:.0}% questions, {:.0}% solved, {:.0} characters of body on average",
        sample.len(),
        100.0 * questions as f64 / sample.len().max(1) as f64,
        100.0 * solved as f64 / sample.len().max(1) as f64,
        body_chars as f64 / sample.len().max(1) as f64
    );
    for p in sample.iter().take(3) {
        println!(
            "  e.g. {} #{} [{} {} {}] {:?}\n       {:?}",
            p.kind.code(),
            p.id,
            p.topic,
            p.channel.map_or("-", Channel::code),
            if p.error_code.is_empty() {
                "-"
            } else {
                &p.error_code
            },
            p.title,
            p.body.chars().take(110).collect::<String>()
        );
    }
    drop(sample);

    // 1. The index, on disk, through the port.
    let index_dir = work.join("posts");
    let index = PostSearch::open(&index_dir).expect("open index");
    let started = Instant::now();
    let indexed = if keep && index.count().expect("count") == n + 1 {
        println!("index: kept from an earlier run (GACHI_BENCH_KEEP_INDEX)");
        n + 1
    } else {
        index
            .rebuild(&mut (0..n).map(post).chain(std::iter::once(known.clone())))
            .expect("rebuild")
    };
    let build = started.elapsed();
    let size = dir_size(&index_dir);
    let per_million = 1_000_000.0 / (n.max(1)) as f64;
    println!(
        "index: {indexed} posts in {:.1} s ({:.1} s per million), {:.1} MB on disk ({:.1} MB per million)",
        build.as_secs_f64(),
        build.as_secs_f64() * per_million,
        size as f64 / 1e6,
        size as f64 / 1e6 * per_million
    );
    checks.check(
        indexed == n + 1 && index.count().expect("count") == n + 1,
        || {
            format!(
                "indexed {indexed}, count {:?}, expected {}",
                index.count(),
                n + 1
            )
        },
    );

    let lookup = |kind: PostKind, id: i64| -> Option<PostDocument> {
        if id == known_id && kind == PostKind::Question {
            return Some(known.clone());
        }
        let doc = (1..=n as i64).contains(&id).then(|| post(id as u64 - 1))?;
        (doc.kind == kind).then_some(doc)
    };

    // The known post: found first by particle queries, and by the title as it is typed.
    let first_hit = |q: &PostQuery| index.search(q).expect("search").hits.first().copied();
    for text in [
        format!("{KNOWN_WORD}에서 출고지를"),
        format!("{KNOWN_WORD}가 반품지를"),
        format!("{KNOWN_WORD}의 센터코드가"),
    ] {
        let q = PostQuery {
            text: text.clone(),
            limit: 20,
            ..PostQuery::default()
        };
        checks.check(
            first_hit(&q) == Some((PostKind::Question, known_id)),
            || format!("{text:?} does not find the known post #{known_id} first"),
        );
    }
    let q = PostQuery {
        text: format!("{KNOWN_WORD} 반품지 출"),
        limit: 5,
        ..PostQuery::default()
    };
    checks.check(
        first_hit(&q) == Some((PostKind::Question, known_id)),
        || format!("typing {:?} does not suggest the known post", q.text),
    );
    let q = PostQuery {
        text: format!("{KNOWN_WORD}에서"),
        channel: Some(Channel::Naver),
        limit: 20,
        ..PostQuery::default()
    };
    checks.check(index.search(&q).expect("search").total == 0, || {
        "the known Coupang post found with the Naver filter".to_owned()
    });
    // A particle only widens to the stem: `반품이` finds what `반품` finds.
    for (with, without) in [
        ("반품이", "반품"),
        ("출고지를", "출고지"),
        ("정산으로", "정산"),
    ] {
        let total = |t: &str| {
            index
                .search(&PostQuery {
                    text: t.to_owned(),
                    limit: 20,
                    ..PostQuery::default()
                })
                .expect("search")
                .total
        };
        let (a, b) = (total(with), total(without));
        checks.check(a == b && a > 0, || {
            format!("{with:?} finds {a} posts, {without:?} {b}")
        });
    }

    // 2. Similar while typing.
    println!();
    println!("similar while typing (the ask form's title, limit 5):");
    let typing: Vec<(String, PostQuery)> = typing_queries(32)
        .into_iter()
        .map(|t| {
            (
                format!("{} words", t.split_whitespace().count()),
                PostQuery {
                    text: t,
                    limit: 5,
                    without_total: true,
                    ..PostQuery::default()
                },
            )
        })
        .collect();
    let mut typing_samples = run_queries(&index, &typing, reps, false, &lookup, &mut checks);
    let typing50 = percentile(&mut typing_samples, 0.5);
    let typing99 = percentile(&mut typing_samples, 0.99);
    println!(
        "  all {} queries × {reps}: p50 {} ms, p99 {} ms (target p99 < 30 ms)",
        typing.len(),
        ms(typing50),
        ms(typing99)
    );

    // 3. Full-text search.
    println!();
    println!("full-text search (limit 20):");
    let full = full_text_queries(known_id);
    let mut full_samples = run_queries(&index, &full, reps, true, &lookup, &mut checks);
    let known_query = &full.last().expect("queries").1;
    checks.check(
        first_hit(known_query) == Some((PostKind::Question, known_id)),
        || format!("{:?} does not find the known post first", known_query.text),
    );
    let full50 = percentile(&mut full_samples, 0.5);
    let full99 = percentile(&mut full_samples, 0.99);
    println!(
        "  all {} queries × {reps}: p50 {} ms, p99 {} ms (target p99 < 30 ms)",
        full.len(),
        ms(full50),
        ms(full99)
    );
    drop(index);
    if !keep {
        std::fs::remove_dir_all(&work).ok();
    }

    println!();
    println!("summary ({n} posts, {reps} runs per query):");
    println!(
        "  index build               {:.1} s ({:.1} s per million), {:.1} MB",
        build.as_secs_f64(),
        build.as_secs_f64() * per_million,
        size as f64 / 1e6
    );
    println!(
        "  similar while typing      p50 {} ms, p99 {} ms   target p99 < 30 ms: {}",
        ms(typing50),
        ms(typing99),
        verdict(typing99 < Duration::from_millis(30))
    );
    println!(
        "  full-text search          p50 {} ms, p99 {} ms   target p99 < 30 ms: {}",
        ms(full50),
        ms(full99),
        verdict(full99 < Duration::from_millis(30))
    );
    println!(
        "  correctness checks        {} passed, {} failed",
        checks.passed, checks.failed
    );
    if checks.failed > 0 {
        std::process::exit(1);
    }
}
