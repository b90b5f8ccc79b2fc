//! Behaviour tests of the pool index: Korean matching (space-insensitive, particles, 초성,
//! typos), filters, facets, sorting, paging, writes, persistence on disk, hostile input, and a
//! property check that search finds every product whose name contains the query.

use gachi_domain::catalog::product::ProductId;
use gachi_domain::discovery::search::{PoolDocument, PoolIndex, PoolQuery, PoolSort};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::merchants::merchant::MerchantId;

use crate::PoolSearch;

fn product(id: i64, name: &str) -> PoolDocument {
    PoolDocument {
        product_id: ProductId(id),
        merchant_id: MerchantId(id % 7 + 1),
        name: name.to_owned(),
        brand: String::new(),
        shop_name: "가게".to_owned(),
        region_names: "서울특별시 종로구".to_owned(),
        sido: "11".to_owned(),
        sigungu: "11110".to_owned(),
        industry_code: "I21001".to_owned(),
        industry_names: "음식 제과점 빵/도넛".to_owned(),
        tags: Vec::new(),
        price: 10_000,
        listed_on: Vec::new(),
        tax_free: false,
        certifications: Vec::new(),
        ships_nationwide: true,
        pooled_at: Timestamp::from_unix_ms(1_700_000_000_000 + id * 1000),
    }
}

const MAKGEOLLI: i64 = 1;
const BIBIMBAP_KIT: i64 = 2;
const BIBIMBAP_SAUCE: i64 = 3;
const CHODANG_BRAND: i64 = 4;
const SOAP: i64 = 5;

fn fixtures() -> Vec<PoolDocument> {
    let mut makgeolli = product(MAKGEOLLI, "강릉 초당 쌀막걸리 750ml 2병");
    makgeolli.region_names = "강원특별자치도 강릉시".to_owned();
    makgeolli.sido = "51".to_owned();
    makgeolli.sigungu = "51150".to_owned();
    makgeolli.industry_code = "I21201".to_owned();
    makgeolli.industry_names = "음식 주점 요리 주점".to_owned();
    makgeolli.price = 12_000;
    makgeolli.listed_on = vec![Channel::Naver, Channel::Coupang];
    makgeolli.certifications = vec!["HACCP".to_owned()];
    makgeolli.ships_nationwide = false;

    let mut kit = product(BIBIMBAP_KIT, "전주 비빔밥 밀키트 2인분");
    kit.region_names = "전북특별자치도 전주시".to_owned();
    kit.sido = "52".to_owned();
    kit.sigungu = "52110".to_owned();
    kit.price = 15_900;
    kit.listed_on = vec![Channel::Naver];
    kit.certifications = vec!["HACCP".to_owned(), "GAP".to_owned()];

    let mut sauce = product(BIBIMBAP_SAUCE, "전주비빔밥 소스");
    sauce.region_names = "전북특별자치도 전주시".to_owned();
    sauce.sido = "52".to_owned();
    sauce.sigungu = "52110".to_owned();
    sauce.price = 6_500;
    sauce.tax_free = true;

    let mut brand = product(CHODANG_BRAND, "순두부 500g");
    brand.brand = "초당명가".to_owned();
    brand.region_names = "강원특별자치도 강릉시".to_owned();
    brand.sido = "51".to_owned();
    brand.sigungu = "51150".to_owned();
    brand.price = 4_000;
    brand.tax_free = true;

    let mut soap = product(SOAP, "수제 천연 비누 선물세트");
    soap.industry_code = "G20405".to_owned();
    soap.industry_names = "소매 생활용품 화장품 소매업".to_owned();
    soap.tags = vec!["선물".to_owned(), "친환경".to_owned()];
    soap.price = 25_000;
    soap.listed_on = vec![Channel::ElevenSt];

    vec![makgeolli, kit, sauce, brand, soap]
}

fn index() -> PoolSearch {
    let index = PoolSearch::in_memory().unwrap();
    assert_eq!(index.rebuild(&mut fixtures().into_iter()).unwrap(), 5);
    index
}

fn query(text: &str) -> PoolQuery {
    PoolQuery {
        text: text.to_owned(),
        limit: 100,
        ..PoolQuery::default()
    }
}

fn ids(index: &PoolSearch, q: &PoolQuery) -> Vec<i64> {
    index
        .search(q)
        .unwrap()
        .product_ids
        .into_iter()
        .map(|p| p.0)
        .collect()
}

fn found(index: &PoolSearch, text: &str) -> Vec<i64> {
    let mut found = ids(index, &query(text));
    found.sort_unstable();
    found
}

#[test]
fn makgeolli_is_found_by_word_particle_either_order_initials_and_typo() {
    let index = index();
    for q in [
        "막걸리",
        "쌀막걸리를",
        "초당 막걸리",
        "막걸리 초당",
        "ㅁㄱㄹ",
        "막걸이",
    ] {
        assert!(
            found(&index, q).contains(&MAKGEOLLI),
            "{q} should find the makgeolli"
        );
    }
    assert!(!found(&index, "비빔밥").contains(&MAKGEOLLI));
}

#[test]
fn bibimbap_is_found_with_or_without_the_space_particle_or_initials() {
    let index = index();
    for q in [
        "전주비빔밥",
        "전주 비빔밥",
        "비빔밥을",
        "ㅈㅈ 비빔밥",
        "비빔밥",
    ] {
        assert_eq!(
            found(&index, q),
            vec![BIBIMBAP_KIT, BIBIMBAP_SAUCE],
            "{q} should find both bibimbap products and nothing else"
        );
    }
}

#[test]
fn every_word_must_match() {
    let index = index();
    assert_eq!(found(&index, "전주 소스"), vec![BIBIMBAP_SAUCE]);
    assert!(found(&index, "막걸리 비빔밥").is_empty());
}

#[test]
fn brand_region_shop_industry_and_tags_are_searched() {
    let index = index();
    assert_eq!(found(&index, "초당명가"), vec![CHODANG_BRAND]);
    assert_eq!(found(&index, "전주시"), vec![BIBIMBAP_KIT, BIBIMBAP_SAUCE]);
    assert_eq!(found(&index, "친환경"), vec![SOAP]);
    assert_eq!(found(&index, "화장품"), vec![SOAP]);
    assert_eq!(found(&index, "주점"), vec![MAKGEOLLI]);
    assert_eq!(found(&index, "강릉"), vec![MAKGEOLLI, CHODANG_BRAND]);
}

#[test]
fn brand_match_ranks_above_name_match() {
    let index = index();
    // 초당 is in the makgeolli's name and in the tofu maker's brand: the brand ranks first.
    assert_eq!(ids(&index, &query("초당")), vec![CHODANG_BRAND, MAKGEOLLI]);
}

#[test]
fn one_character_query_uses_unigrams() {
    let index = index();
    assert_eq!(found(&index, "병"), vec![MAKGEOLLI]);
    assert_eq!(found(&index, "ㅂ").len(), 5); // in the names: 병, 비빔밥 (twice), 부, 비누
}

#[test]
fn latin_is_case_and_width_insensitive() {
    let index = index();
    assert_eq!(found(&index, "750ML"), vec![MAKGEOLLI]);
    assert_eq!(found(&index, "７５０ｍｌ"), vec![MAKGEOLLI]);
    assert_eq!(found(&index, "500G"), vec![CHODANG_BRAND]);
}

#[test]
fn exact_match_ranks_above_typo_match() {
    let index = PoolSearch::in_memory().unwrap();
    let mut typo = product(10, "쌀막걸이 1병");
    typo.pooled_at = Timestamp::from_unix_ms(2_000_000_000_000); // newer, so only score can win
    index
        .rebuild(&mut vec![product(11, "쌀막걸리 1병"), typo].into_iter())
        .unwrap();
    assert_eq!(ids(&index, &query("막걸리")), vec![11, 10]);
    assert_eq!(ids(&index, &query("막걸이")), vec![10, 11]);
}

#[test]
fn typo_needs_three_syllables_and_allows_only_one_substitution() {
    let index = PoolSearch::in_memory().unwrap();
    index
        .rebuild(
            &mut vec![
                product(1, "쌀막걸리"),
                product(2, "고추장"),
                product(3, "참기름"),
            ]
            .into_iter(),
        )
        .unwrap();
    assert_eq!(found(&index, "막걸이"), vec![1]);
    assert_eq!(found(&index, "고추잠"), vec![2]);
    assert_eq!(found(&index, "참기룸"), vec![3]);
    assert!(found(&index, "막거이").is_empty(), "two substitutions");
    assert!(
        found(&index, "고주").is_empty(),
        "two syllables get no typo"
    );
}

#[test]
fn repeated_syllables_match_as_a_phrase() {
    let index = PoolSearch::in_memory().unwrap();
    index
        .rebuild(&mut vec![product(1, "하하하하 과자"), product(2, "하과자하")].into_iter())
        .unwrap();
    assert_eq!(found(&index, "하하하"), vec![1]);
    assert_eq!(found(&index, "하하"), vec![1]);
    assert_eq!(found(&index, "하"), vec![1, 2]);
}

#[test]
fn filters_narrow_the_hits() {
    let index = index();
    let q = |f: &dyn Fn(&mut PoolQuery)| {
        let mut q = query("");
        f(&mut q);
        let mut v = ids(&index, &q);
        v.sort_unstable();
        v
    };
    assert_eq!(q(&|q| q.sido = Some("52".into())), vec![2, 3]);
    assert_eq!(q(&|q| q.sigungu = Some("51150".into())), vec![1, 4]);
    assert_eq!(q(&|q| q.industry_code = Some("G20405".into())), vec![5]);
    assert_eq!(q(&|q| q.price_min = Some(12_000)), vec![1, 2, 5]);
    assert_eq!(q(&|q| q.price_max = Some(6_500)), vec![3, 4]);
    assert_eq!(
        q(&|q| {
            q.price_min = Some(5_000);
            q.price_max = Some(15_900)
        }),
        vec![1, 2, 3]
    );
    assert_eq!(q(&|q| q.certification = Some("haccp".into())), vec![1, 2]);
    assert_eq!(q(&|q| q.certification = Some("GAP".into())), vec![2]);
    assert_eq!(q(&|q| q.listed_on = Some(Channel::Naver)), vec![1, 2]);
    assert_eq!(
        q(&|q| q.not_listed_on = Some(Channel::Naver)),
        vec![3, 4, 5]
    );
    assert_eq!(q(&|q| q.tax_free = Some(true)), vec![3, 4]);
    assert_eq!(q(&|q| q.tax_free = Some(false)), vec![1, 2, 5]);
    assert_eq!(q(&|q| q.ships_nationwide = Some(false)), vec![1]);
    assert_eq!(
        q(&|q| {
            q.text = "전주".into();
            q.tax_free = Some(true)
        }),
        vec![3]
    );
    assert_eq!(q(&|q| q.listed_on = Some(Channel::Esm)), Vec::<i64>::new());
}

#[test]
fn facets_count_every_hit_not_only_the_page() {
    let index = index();
    let mut q = query("");
    q.limit = 1;
    let hits = index.search(&q).unwrap();
    assert_eq!(hits.product_ids.len(), 1);
    assert_eq!(hits.total, 5);
    let f = hits.facets;
    assert_eq!(
        f.sido,
        vec![("51".into(), 2), ("52".into(), 2), ("11".into(), 1)]
    );
    assert_eq!(
        f.industry,
        vec![
            ("I21001".into(), 3),
            ("G20405".into(), 1),
            ("I21201".into(), 1)
        ]
    );
    assert_eq!(
        f.certification,
        vec![("HACCP".into(), 2), ("GAP".into(), 1)]
    );
    assert_eq!(
        f.listed_on,
        vec![
            (Channel::Naver, 2),
            (Channel::Coupang, 1),
            (Channel::ElevenSt, 1)
        ]
    );
    assert_eq!(f.tax_free, 2);
    assert_eq!(f.ships_nationwide, 4);

    let f = index.search(&query("전주")).unwrap().facets;
    assert_eq!(f.sido, vec![("52".into(), 2)]);
    assert_eq!(f.listed_on, vec![(Channel::Naver, 1)]);
    assert_eq!(f.tax_free, 1);
}

#[test]
fn sort_orders() {
    let index = index();
    let sorted = |sort: PoolSort, text: &str| {
        let mut q = query(text);
        q.sort = sort;
        ids(&index, &q)
    };
    assert_eq!(sorted(PoolSort::Newest, ""), vec![5, 4, 3, 2, 1]);
    assert_eq!(sorted(PoolSort::Relevance, ""), vec![5, 4, 3, 2, 1]);
    assert_eq!(sorted(PoolSort::PriceLow, ""), vec![4, 3, 1, 2, 5]);
    assert_eq!(sorted(PoolSort::PriceHigh, ""), vec![5, 2, 1, 3, 4]);
    assert_eq!(sorted(PoolSort::PriceLow, "전주"), vec![3, 2]);
    assert_eq!(sorted(PoolSort::PriceHigh, "전주"), vec![2, 3]);
}

#[test]
fn relevance_ties_go_to_the_newest() {
    let index = PoolSearch::in_memory().unwrap();
    index
        .rebuild(&mut (1..=4).map(|i| product(i, "찹쌀 유과")))
        .unwrap();
    assert_eq!(ids(&index, &query("유과")), vec![4, 3, 2, 1]);
}

#[test]
fn paging_and_total() {
    let index = PoolSearch::in_memory().unwrap();
    index
        .rebuild(&mut (1..=250).map(|i| product(i, &format!("곶감 {i}호"))))
        .unwrap();
    let page = |offset: u32, limit: u32| {
        let mut q = query("곶감");
        q.sort = PoolSort::Newest;
        q.offset = offset;
        q.limit = limit;
        index.search(&q).unwrap()
    };
    let first = page(0, 10);
    assert_eq!(first.total, 250);
    assert_eq!(first.product_ids.first(), Some(&ProductId(250)));
    assert_eq!(first.product_ids.len(), 10);
    let second = page(10, 10);
    assert_eq!(second.product_ids.first(), Some(&ProductId(240)));
    assert_eq!(
        page(0, 1000).product_ids.len(),
        100,
        "limit clamps to MAX_PAGE"
    );
    assert_eq!(
        page(0, 0).product_ids.len(),
        1,
        "limit clamps to at least 1"
    );
    assert_eq!(page(245, 10).product_ids.len(), 5);
    assert!(page(300, 10).product_ids.is_empty());
    assert!(page(u32::MAX, 100).product_ids.is_empty());
    let mut all: Vec<i64> = (0..3)
        .flat_map(|p| page(p * 100, 100).product_ids)
        .map(|p| p.0)
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=250).collect::<Vec<_>>());
}

#[test]
fn upsert_replaces_and_remove_removes() {
    let index = index();
    let mut renamed = product(MAKGEOLLI, "강릉 초당 순두부 젤라또");
    renamed.price = 7_000;
    index.upsert(&renamed).unwrap();
    assert_eq!(index.count().unwrap(), 5);
    assert!(found(&index, "막걸리").is_empty());
    assert_eq!(found(&index, "젤라또"), vec![MAKGEOLLI]);

    index.upsert(&product(99, "제주 감귤 5kg")).unwrap();
    assert_eq!(index.count().unwrap(), 6);
    assert_eq!(found(&index, "감귤"), vec![99]);

    index.remove(ProductId(99)).unwrap();
    index.remove(ProductId(12345)).unwrap();
    assert_eq!(index.count().unwrap(), 5);
    assert!(found(&index, "감귤").is_empty());
}

#[test]
fn rebuild_replaces_everything() {
    let index = index();
    let n = index
        .rebuild(&mut vec![product(7, "안동 간고등어"), product(8, "영광 굴비")].into_iter())
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(index.count().unwrap(), 2);
    assert!(found(&index, "막걸리").is_empty());
    assert_eq!(found(&index, "").len(), 2);
    assert_eq!(found(&index, "굴비"), vec![8]);
}

#[test]
fn on_disk_index_survives_reopening_and_refuses_a_second_writer() {
    let dir = std::env::temp_dir().join(format!(
        "gachi-search-test-{}-{}",
        std::process::id(),
        Timestamp::now().unix_ms()
    ));
    let nested = dir.join("pool");
    {
        let index = PoolSearch::open(&nested).unwrap();
        index.rebuild(&mut fixtures().into_iter()).unwrap();
        assert_eq!(found(&index, "막걸리"), vec![MAKGEOLLI]);
        let second = PoolSearch::open(&nested);
        let message = match second {
            Err(e) => e.to_string(),
            Ok(_) => panic!("a second writer on the same directory must be refused"),
        };
        assert!(
            message.contains("in use by another Gachi process"),
            "{message}"
        );
    }
    {
        let index = PoolSearch::open(&nested).unwrap();
        assert_eq!(index.count().unwrap(), 5);
        assert_eq!(found(&index, "ㅁㄱㄹ"), vec![MAKGEOLLI]);
        index.remove(ProductId(MAKGEOLLI)).unwrap();
    }
    let index = PoolSearch::open(&nested).unwrap();
    assert_eq!(index.count().unwrap(), 4);
    drop(index);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hostile_input_never_fails() {
    let index = index();
    let long: String = "막걸리 ".repeat(2500);
    let mixed: String = (0..10_000)
        .map(|i| char::from_u32(0x20 + (i * 7919) % 0xD000).unwrap_or('x'))
        .collect();
    let inputs = [
        long.as_str(),
        mixed.as_str(),
        "*:\"(",
        "\"",
        "막걸리 AND 비빔밥",
        "name:막걸리 OR *",
        "\u{0}\u{1}\u{7f}\u{200b}",
        "🍶 막걸리 🍚",
        "👨‍👩‍👧‍👦",
        "      ",
        "",
        "을 를 이 가",
        "에서",
        "ㄱ",
        "ㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱㄱ",
        "\\ / [ ] { } ^ ~ ! -",
        "ﷺ ̈ ٱ א ㅏ",
    ];
    for text in inputs {
        let mut q = query(text);
        for sort in PoolSort::ALL {
            q.sort = sort;
            assert!(
                index.search(&q).is_ok(),
                "{:?}",
                text.chars().take(20).collect::<String>()
            );
        }
        assert!(index.all_matching_ids(&q).is_ok());
    }
    // The long query is cut to MAX_QUERY_CHARS (50 words of 막걸리) and still finds the product.
    assert!(found(&index, &long).contains(&MAKGEOLLI));
    // A document with hostile text indexes too.
    let mut weird = product(50, &mixed);
    weird.brand = "\u{0}🍶\"*:".to_owned();
    weird.tags = vec![String::new(), "   ".to_owned()];
    index.upsert(&weird).unwrap();
    assert!(found(&index, "🍶").contains(&50));
}

/// A tiny deterministic PRNG (xorshift64*), so the property test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: [&str; 40] = [
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
    "전주",
    "강릉",
    "초당",
    "순두부",
    "선물세트",
    "500g",
    "1kg",
    "2병",
    "유기농",
    "국산",
    "수제",
    "건조",
    "표고",
    "오미자청",
    "매실액",
];

#[test]
fn search_finds_every_name_containing_the_query() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let names: Vec<String> = (0..400)
        .map(|_| {
            let n = 1 + rng.below(5);
            (0..n)
                .map(|_| WORDS[rng.below(WORDS.len())])
                .collect::<Vec<_>>()
                .join(if rng.below(3) == 0 { "" } else { " " })
        })
        .collect();
    let index = PoolSearch::in_memory().unwrap();
    index
        .rebuild(
            &mut names
                .iter()
                .enumerate()
                .map(|(i, name)| product(i as i64 + 1, name)),
        )
        .unwrap();
    let despaced: Vec<String> = names.iter().map(|n| n.replace(' ', "")).collect();
    for _ in 0..300 {
        let source = &despaced[rng.below(despaced.len())];
        let chars: Vec<char> = source.chars().collect();
        let start = rng.below(chars.len());
        let len = 1 + rng.below((chars.len() - start).min(8));
        let needle: String = chars[start..start + len].iter().collect();
        let expected: Vec<i64> = despaced
            .iter()
            .enumerate()
            .filter(|(_, n)| n.contains(&needle))
            .map(|(i, _)| i as i64 + 1)
            .collect();
        let got: std::collections::HashSet<i64> = index
            .all_matching_ids(&query(&needle))
            .unwrap()
            .into_iter()
            .map(|p| p.0)
            .collect();
        for id in &expected {
            assert!(
                got.contains(id),
                "{needle:?} must find {:?}",
                names[*id as usize - 1]
            );
        }
        // The paged search agrees with the full id set on the total.
        assert_eq!(
            index.search(&query(&needle)).unwrap().total,
            got.len() as u64
        );
    }
}

#[test]
fn misspellings_are_guessed_only_when_the_words_as_typed_find_few() {
    let index = PoolSearch::in_memory().unwrap();
    // "막거리" is one syllable away from "막걸리".
    let mut documents = vec![product(1, "막거리 시골 선물")];
    documents.extend((2..=4).map(|id| product(id, &format!("쌀막걸리 {id}병"))));
    index.rebuild(&mut documents.clone().into_iter()).unwrap();
    let few = ids(&index, &query("막걸리"));
    assert!(
        few.contains(&1),
        "few exact hits: the near miss is offered too: {few:?}"
    );
    assert_eq!(few.last(), Some(&1), "and ranks after the exact hits");

    let many = crate::TYPOS_WHEN_FEWER_THAN as i64 + 5;
    documents.extend((5..=many).map(|id| product(id, &format!("쌀막걸리 {id}병"))));
    index.rebuild(&mut documents.into_iter()).unwrap();
    let total = index
        .search(&PoolQuery {
            limit: 100,
            ..query("막걸리")
        })
        .unwrap();
    assert_eq!(total.total, many as u64 - 1, "only the exact hits");
    assert!(!total.product_ids.contains(&ProductId(1)));
    // Typed as "막거리", its one exact hit is few: the near misses come after it.
    assert_eq!(ids(&index, &query("막거리")).first(), Some(&1));
}
