//! The demo program: one account of each role, with passwords made up now and printed once;
//! the demo merchant's registered shop; and prospects from the public store register (the
//! official 4-row sample and 300 real Daegu restaurants of 2022, embedded from shared/data).
//! The 원정대 story (products in the MD pool, the demo MD's picks) is in `demo_discovery.rs`.
//! Only an empty database is seeded, so running it twice changes nothing.

use anyhow::{Context as _, Result};
use gachi_domain::accounts::AccountInput;
use gachi_domain::designers::credential::Issuer;
use gachi_domain::designers::{Certificates, Level};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::kernel::secret;
use gachi_domain::ports::Store;
use gachi_domain::ports::SystemClock;
use gachi_web::i18n::Tr;

/// (email, role, display name, region code)
const DEMO_ACCOUNTS: [(&str, &str, &str, &str); 8] = [
    ("admin@gachi.demo", "admin", "시스템 관리자", ""),
    ("operator@gachi.demo", "operator", "소상공인진흥 운영팀", ""),
    ("designer@gachi.demo", "designer", "김유통 설계사", "52110"),
    (
        "candidate@gachi.demo",
        "designer",
        "이수습 예비 설계사",
        "52110",
    ),
    ("md@gachi.demo", "md", "박상품 MD", ""),
    (
        "jeonju@gachi.demo",
        "localgov",
        "전주시 소상공인과",
        "52110",
    ),
    ("hanok@gachi.demo", "merchant", "한옥식당 사장님", ""),
    ("dongbu@gachi.demo", "merchant", "동부떡집 사장님", ""),
];

/// A password that is easy to read off a console: 12 letters and digits, no look-alikes.
fn readable_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    secret::random_token()
        .bytes()
        .take(12)
        .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
        .collect()
}

pub async fn seed(
    store: &dyn Store,
    issuer: &Issuer,
    registration: &str,
    media_dir: &std::path::Path,
) -> Result<()> {
    if !store.list_users(None, 1).await?.is_empty() {
        println!("demo: the database already has accounts; nothing added");
        return Ok(());
    }
    let accounts = crate::accounts(store);
    let t = Tr::default();
    println!("demo accounts (the passwords are shown only now):");
    for (email, role, name, region) in DEMO_ACCOUNTS {
        let password = readable_password();
        let input = AccountInput {
            email: email.into(),
            password: password.clone(),
            display_name: name.into(),
            role: role.into(),
            region_code: region.into(),
        };
        accounts
            .create_user(None, &input, &Actor::system())
            .await
            .map_err(|e| anyhow::anyhow!("demo account {email}: {e}"))?;
        let role_name = gachi_domain::accounts::Role::parse(role, "role")
            .map(|r| gachi_web::pages::role_label(t, r))
            .unwrap_or_default();
        println!("  {email:<22} {password}  {role_name}");
    }
    seed_certificates(store, issuer, registration).await?;
    seed_merchants(store).await?;
    seed_designer_work(store).await?;
    seed_courses(store).await?;
    seed_exam(store).await?;
    crate::demo_discovery::seed(store, media_dir).await?;
    crate::demo_live::seed(store, media_dir).await?;
    crate::demo_community::seed(store).await
}

/// The demo designer's profile, and 한옥식당 delegating its catalog and listings to them: the
/// designer has a shop to work on, and the directory and matching have someone to show.
async fn seed_designer_work(store: &dyn Store) -> Result<()> {
    use gachi_domain::designers::delegation::{Delegations, GrantInput};
    use gachi_domain::designers::profile::{ProfileInput, Profiles};

    let designer = store
        .user_by_email("designer@gachi.demo")
        .await?
        .context("the demo designer was just created")?;
    let owner = store
        .user_by_email("hanok@gachi.demo")
        .await?
        .context("the demo merchant was just created")?;
    Profiles {
        store,
        clock: &SystemClock,
    }
    .save(
        &designer,
        &Actor::user(designer.id, None),
        &ProfileInput {
            regions: vec!["52110".into(), "52130".into()],
            industries: vec!["I2".into()],
            skills: vec!["onboarding".into(), "detail_page".into(), "live".into()],
            capacity: "6".into(),
            languages: "한국어".into(),
            intro: "전주·군산 음식점의 스마트스토어와 쿠팡 입점, 상세페이지를 함께 만듭니다."
                .into(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo designer profile: {e}"))?;
    let delegation = Delegations {
        store,
        clock: &SystemClock,
    }
    .grant(
        &owner,
        &Actor::user(owner.id, None),
        None,
        &GrantInput {
            designer_email: "designer@gachi.demo".into(),
            scopes: vec!["catalog".into(), "listing".into()],
            days: "180".into(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo delegation: {e}"))?;
    println!(
        "demo delegation: {} lets {} edit and list its products",
        delegation.merchant_name, delegation.designer_name
    );

    // 동부떡집 cannot run its shops alone: the operator puts it on the 전담 셀러 track and sends
    // the 전북 matching, which proposes the 1급 designer; the proposal waits for both answers.
    let operator = store
        .user_by_email("operator@gachi.demo")
        .await?
        .context("the demo operator was just created")?;
    let dongbu_owner = store
        .user_by_email("dongbu@gachi.demo")
        .await?
        .context("the demo merchant was just created")?;
    let dongbu = store
        .merchant_of_owner(dongbu_owner.id)
        .await?
        .context("동부떡집 was just registered")?;
    let as_operator = Actor::user(operator.id, None);
    gachi_domain::merchants::registry::Registry {
        store,
        clock: &SystemClock,
    }
    .override_track(
        &operator,
        dongbu.id,
        "managed",
        "사장님 혼자 마켓을 운영하기 어려워 전담 설계사를 요청",
        &as_operator,
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo track: {e}"))?;
    let jeonbuk = gachi_domain::kernel::region::RegionCode::parse("52", "sido")
        .map_err(|e| anyhow::anyhow!("demo region: {e:?}"))?;
    let (_, sent) = gachi_domain::designers::matching_run::Matchings {
        store,
        clock: &SystemClock,
    }
    .send(&operator, &as_operator, Some(&jeonbuk))
    .await
    .map_err(|e| anyhow::anyhow!("demo matching: {e}"))?;
    println!(
        "demo matching: {sent} proposal(s) sent in 전북, waiting for the shop and the designer"
    );
    Ok(())
}

/// The starter curriculum (four courses, one per area, each with a module and its quiz), written
/// by the operator as staff write courses; the demo designer completed the first.
async fn seed_courses(store: &dyn Store) -> Result<()> {
    use gachi_domain::designers::courses::{CourseInput, Courses, ModuleInput};
    let operator = store
        .user_by_email("operator@gachi.demo")
        .await?
        .context("the demo operator was just created")?;
    let designer = store
        .user_by_email("designer@gachi.demo")
        .await?
        .context("the demo designer was just created")?;
    let courses = Courses {
        store,
        clock: &SystemClock,
    };
    let as_operator = Actor::user(operator.id, None);
    // (title, area, summary, 보수교육 hours, module title, module text, quiz)
    let curriculum: [(&str, &str, &str, u32, &str, &str, &str); 4] = [
        (
            "마켓 입점 실무",
            "listing",
            "네이버 스마트스토어, 쿠팡, 11번가, G마켓·옥션의 입점 규칙과 상품정보제공고시를 익힙니다.",
            4,
            "마켓별 상품 등록 규칙",
            "## 네 마켓의 공통점\n\n- 상품명, 가격, 재고, 카테고리, 대표 사진은 모든 마켓이 요구합니다.\n- **상품정보제공고시**는 상품군(예: 가공식품)마다 적어야 할 항목이 정해져 있습니다.\n\n## 다른 점\n\n쿠팡은 판매자 센터(Wing)에서 발급한 OPEN API 키가 180일 동안만 유효하고, 만료 14일 전부터 재발급할 수 있습니다.",
            "쿠팡 OPEN API 키는 얼마 동안 쓸 수 있나요? | 30일 | 90일 | *180일\n가공식품의 상품정보제공고시는 무엇을 기준으로 항목이 정해지나요? | 판매 마켓 | *상품군 | 판매 지역",
        ),
        (
            "상세페이지 기획과 제작",
            "detail_page",
            "사진 한 장과 이야기 한 줄로 사고 싶은 상세페이지를 만드는 법.",
            4,
            "첫 화면에서 말할 세 가지",
            "상세페이지 첫 화면에는 **무엇을**, **누가**, **왜 믿을 수 있는지**를 보여 줍니다. 판매 포인트는 세 개까지만 고르세요.",
            "상세페이지의 판매 포인트는 몇 개까지 고르나요? | 한 개 | *세 개 | 열 개",
        ),
        (
            "라이브커머스 진행",
            "live",
            "가치데이 방송을 준비하고 진행하는 순서: 큐시트, 할인, 리허설.",
            2,
            "방송 전 점검",
            "방송 전에는 큐시트, 할인 조건, 배송 안내, 리허설을 모두 마쳐야 편성이 확정됩니다.",
            "편성이 확정되려면 방송 전에 무엇을 마쳐야 하나요? | 촬영 장비 구매 | *큐시트·할인·배송 안내·리허설 | 광고 집행",
        ),
        (
            "소상공인 상담과 진단",
            "consulting",
            "온라인 판매 진단 결과를 사장님과 함께 읽고 다음 걸음을 정합니다.",
            2,
            "진단 결과 함께 읽기",
            "진단은 혼자 입점, 전담 셀러, 교육 중 맞는 길을 추천합니다. 추천과 운영팀 결정이 다르면 운영팀 결정이 우선합니다.",
            "추천과 운영팀의 결정이 다르면 무엇을 따르나요? | *운영팀 결정 | 진단 추천 | 사장님 선택",
        ),
    ];
    let mut first = None;
    for (title, area, summary, hours, module_title, body, quiz) in curriculum {
        let course = courses
            .create(
                &operator,
                &as_operator,
                &CourseInput {
                    title: title.into(),
                    area: area.into(),
                    summary: summary.into(),
                    hours: hours.to_string(),
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo course {title}: {e}"))?;
        let module = courses
            .add_module(
                &operator,
                &as_operator,
                course.id,
                &ModuleInput {
                    title: module_title.into(),
                    body: body.into(),
                    links: String::new(),
                    quiz: quiz.into(),
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo module {module_title}: {e:?}"))?;
        first.get_or_insert((course.id, module));
    }
    if let Some((course, module)) = first {
        let answers: Vec<Option<usize>> = module.quiz.iter().map(|q| Some(q.answer)).collect();
        courses
            .answer(
                &designer,
                &Actor::user(designer.id, None),
                course,
                module.id,
                &answers,
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo course answer: {e}"))?;
    }
    println!(
        "demo courses: the starter curriculum (4 courses); the designer completed 마켓 입점 실무"
    );
    Ok(())
}

/// The exam's item bank (six items per area, written by the operator as staff write them),
/// and a candidate who completed every course and may now sit the 2급 exam.
async fn seed_exam(store: &dyn Store) -> Result<()> {
    use gachi_domain::designers::courses::Courses;
    use gachi_domain::designers::exams::Exams;
    let operator = store
        .user_by_email("operator@gachi.demo")
        .await?
        .context("the demo operator was just created")?;
    let candidate = store
        .user_by_email("candidate@gachi.demo")
        .await?
        .context("the demo candidate was just created")?;
    let no_issuer_needed = Certificates {
        store,
        clock: &SystemClock,
        issuer: None,
        base_url: "",
        registration: "",
    };
    // Adding items and answering courses reach no marketplace.
    let markets = gachi_channels::markets::Markets::new(&Default::default());
    let exams = Exams {
        store,
        clock: &SystemClock,
        marketplaces: &markets,
        certificates: no_issuer_needed,
    };
    let as_operator = Actor::user(operator.id, None);
    for (area, items) in EXAM_BANK {
        exams
            .add_items(&operator, &as_operator, area, items)
            .await
            .map_err(|e| anyhow::anyhow!("demo exam items {area}: {e:?}"))?;
    }
    let courses = Courses {
        store,
        clock: &SystemClock,
    };
    let as_candidate = Actor::user(candidate.id, None);
    for progress in courses
        .list(&candidate)
        .await
        .map_err(|e| anyhow::anyhow!("demo courses: {e}"))?
    {
        for module in &progress.course.modules {
            let answers: Vec<Option<usize>> = module.quiz.iter().map(|q| Some(q.answer)).collect();
            courses
                .answer(
                    &candidate,
                    &as_candidate,
                    progress.course.id,
                    module.id,
                    &answers,
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo course answer: {e}"))?;
        }
    }
    println!(
        "demo exam: an item bank of {} items; 이수습 예비 설계사 completed every course and may sit the 2급 exam",
        EXAM_BANK
            .iter()
            .map(|(_, items)| items.lines().count())
            .sum::<usize>()
    );
    Ok(())
}

/// The demo item bank, by area, in the bank's written form.
const EXAM_BANK: [(&str, &str); 4] = [
    (
        "listing",
        "쿠팡 OPEN API 키는 발급 후 며칠 동안 쓸 수 있나요? | 90일 | *180일 | 365일
상품군마다 소비자에게 알려야 할 항목을 정한 표시 제도의 이름은? | =상품정보제공고시 | =상품정보 제공고시
네이버 스마트스토어 상품을 외부 프로그램으로 등록하려면 판매자센터에서 무엇을 지정하나요? | 광고 대행사 | *API 대행사(솔루션) | 택배사
가공식품의 상품정보제공고시에서 반드시 적어야 하는 항목은? | 영양 성분 | *원재료명 및 함량 | 제조 공장 사진
11번가 상품 등록 요청 본문의 형식은? | JSON | *XML | CSV
쿠팡 상품의 반품지와 출고지는 어디에 먼저 등록해 두나요? | =Wing | =쿠팡 Wing | =윙",
    ),
    (
        "detail_page",
        "상세페이지 첫 화면의 판매 포인트는 몇 개까지 고르나요? | 한 개 | *세 개 | 열 개
상세페이지 첫 화면에서 보여 줄 세 가지가 아닌 것은? | 무엇을 | 누가 | *경쟁 상품의 가격 | 왜 믿을 수 있는지
대표 사진으로 가장 알맞은 것은? | *상품이 잘 보이는 밝은 단독 사진 | 가게 간판 사진 | 글자가 가득한 홍보 이미지
상세 설명 이미지를 올리기 전에 확인할 것은? | *휴대폰 화면에서도 글자가 읽히는지 | 파일 이름이 한글인지 | 이미지가 열 장 이상인지
손님이 상품을 가장 많이 보는 기기는? | =휴대폰 | =스마트폰 | =모바일
과장 광고로 볼 수 있는 표현은? | 국산 찹쌀 사용 | *먹으면 병이 낫는 약과 | 20년 전통",
    ),
    (
        "live",
        "편성이 확정되려면 방송 전에 무엇을 마쳐야 하나요? | 촬영 장비 구매 | *큐시트·할인·배송 안내·리허설 | 광고 집행
방송 순서와 멘트를 시간대별로 정리한 문서는? | =큐시트 | =cue sheet
방송 중 할인을 안내할 때 함께 알려야 할 것은? | *할인 기간과 조건 | 경쟁사 가격 | 제조 원가
방송 전 리허설의 목적은? | *진행 순서·장비·상품 시연 점검 | 시청자 수 늘리기 | 광고비 정산
시청자 질문에 답하기 가장 좋은 때는? | *방송 중 바로 | 방송이 끝난 다음 날 | 답하지 않는다
방송이 끝난 뒤 꼭 챙길 일은? | *주문·배송 안내와 문의 답변 | 방송 장비 판매 | 시청자 개인정보 수집",
    ),
    (
        "consulting",
        "진단의 추천과 운영팀의 결정이 다르면 무엇을 따르나요? | *운영팀 결정 | 진단 추천 | 사장님 선택
혼자 입점하기 어려운 사장님의 가게를 설계사가 맡아 운영하는 과정은? | =전담 셀러 | =전담셀러
진단이 추천하는 길이 아닌 것은? | 혼자 입점 | 전담 셀러 | 교육 | *가게 폐업
사장님이 설계사에게 권한을 맡길 수 있는 가장 긴 기간은? | 30일 | 90일 | *365일
설계사가 사장님 대신 한 일은 사장님이 어디에서 확인하나요? | =활동 기록 | =활동기록
설계사가 사장님의 마켓 API 키를 다시 볼 수 있나요? | 언제든지 | 사장님이 허락하면 | *볼 수 없다",
    ),
];

/// The demo designer passed the exam: a valid 2급 certificate, issued as staff issue one.
async fn seed_certificates(store: &dyn Store, issuer: &Issuer, registration: &str) -> Result<()> {
    let designer = store
        .user_by_email("designer@gachi.demo")
        .await?
        .context("the demo designer was just created")?;
    let certificates = Certificates {
        store,
        clock: &SystemClock,
        issuer: Some(issuer),
        base_url: "",
        registration,
    };
    let certificate = certificates
        .issue_as(&Actor::system(), designer.id, Level::Second)
        .await
        .map_err(|e| anyhow::anyhow!("demo certificate: {e}"))?;
    println!(
        "demo certificate {} ({}): verify it at /verify/{}",
        certificate.number,
        Level::Second.title(),
        certificate.number
    );
    // The designer went on to pass 1급, which the 전담 셀러 track needs.
    let first = certificates
        .issue_as(&Actor::system(), designer.id, Level::First)
        .await
        .map_err(|e| anyhow::anyhow!("demo certificate: {e}"))?;
    println!(
        "demo certificate {} ({}): verify it at /verify/{}",
        first.number,
        Level::First.title(),
        first.number
    );
    Ok(())
}

/// Register files embedded for the demo (copies of shared/data/sangga).
const REGISTER_SAMPLES: [&str; 2] = [
    include_str!("../demo/stores-sample-new-format.csv"),
    include_str!("../demo/stores-daegu-2022-06-300rows-old-format.csv"),
];

async fn seed_merchants(store: &dyn Store) -> Result<()> {
    use gachi_domain::kernel::time::Timestamp;
    use gachi_domain::merchants::merchant::{MerchantInput, MerchantSource, MerchantStatus};
    use gachi_domain::merchants::register::{Columns, RowSchema};

    let now = Timestamp::now();
    let owner = store.user_by_email("hanok@gachi.demo").await?.map(|u| u.id);
    let dongbu_owner = store
        .user_by_email("dongbu@gachi.demo")
        .await?
        .map(|u| u.id);
    let shops = [
        (
            "한옥식당",
            "220-81-62517",
            "063-288-5072",
            "전북특별자치도 전주시 완산구 동문길 67",
            "52111",
            "I20101",
            owner,
        ),
        (
            "동부떡집",
            "106-86-41434",
            "063-282-9789",
            "전북특별자치도 전주시 완산구 충경로 109",
            "52111",
            "I21001",
            dongbu_owner,
        ),
        (
            "덕진꽈배기",
            "101-81-12341",
            "063-271-1234",
            "전북특별자치도 전주시 덕진구 권삼득로 10",
            "52113",
            "I21001",
            None,
        ),
    ];
    let mut registered = Vec::new();
    for (name, number, phone, address, region, industry, owner) in shops {
        let input = MerchantInput {
            name: name.into(),
            business_number: number.into(),
            phone: phone.into(),
            road_address: address.into(),
            region_code: region.into(),
            industry_code: industry.into(),
            ..MerchantInput::default()
        };
        let fields = input
            .validate(true)
            .map_err(|e| anyhow::anyhow!("demo shop {name}: {e:?}"))?;
        let source = if owner.is_some() {
            MerchantSource::SelfRegistered
        } else {
            MerchantSource::Staff
        };
        let audit = Actor::system().entry(now, "merchant.create", "", "demo");
        let shop = store
            .create_merchant(&fields, MerchantStatus::Registered, source, owner, &audit)
            .await?;
        registered.push(shop.id);
    }
    seed_onboarding(store, &registered, now).await?;
    seed_sales(store, &registered).await?;
    let mut prospects = 0;
    for sample in REGISTER_SAMPLES {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(sample.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
        let columns = Columns::from_header(&header.iter().map(String::as_str).collect::<Vec<_>>())
            .map_err(|e| anyhow::anyhow!(e))?;
        let mut records = Vec::new();
        for row in reader.records() {
            let row = row?;
            if let Ok(record) = columns.parse(&row.iter().collect::<Vec<_>>()) {
                records.push(record);
            }
        }
        prospects += records.len();
        let audit = Actor::system().entry(now, "merchant.import", "register", "demo");
        store
            .upsert_store_records(&records, now.unix_ms(), &audit)
            .await?;
    }
    // The 전주시 휴게음식점 licence list (CP949): prospects with phones, regions from addresses.
    let (licences, _, _) =
        encoding_rs::EUC_KR.decode(include_bytes!("../demo/jeonju-cafes-2026-02.cp949.csv"));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(licences.as_bytes());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    let schema = gachi_domain::merchants::licence::LicenceSchema::from_header(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        &gachi_domain::merchants::licence::LicenceHeaders::default(),
        &[],
        None,
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    let mut records = Vec::new();
    for row in reader.records() {
        if let Ok(record) = schema.parse(&row?.iter().collect::<Vec<_>>()) {
            records.push(record);
        }
    }
    let audit = Actor::system().entry(now, "merchant.import", "licences", "demo");
    store
        .upsert_store_records(&records, now.unix_ms(), &audit)
        .await?;
    println!(
        "demo merchants: 3 registered shops in 전주, {prospects} prospects from the public store register, {} from the 전주 licence list",
        records.len()
    );
    Ok(())
}

/// Puts the registered shops on the onboarding board at different stages (one long in its
/// stage), moved by the demo operator, so the board has something to show.
async fn seed_onboarding(
    store: &dyn Store,
    shops: &[gachi_domain::merchants::merchant::MerchantId],
    now: gachi_domain::kernel::time::Timestamp,
) -> Result<()> {
    use gachi_domain::onboarding::Stage;
    let Some(operator) = store.user_by_email("operator@gachi.demo").await? else {
        return Ok(());
    };
    let day = 86_400;
    let cards = [
        (0, Channel::Naver, Stage::Drafting, 2),
        (0, Channel::Coupang, Stage::AccountCheck, 20),
        (1, Channel::Naver, Stage::InReview, 1),
        (1, Channel::ElevenSt, Stage::Preparing, 5),
        (2, Channel::Naver, Stage::Selling, 40),
    ];
    for (shop, channel, stage, days_ago) in cards {
        let Some(&merchant) = shops.get(shop) else {
            continue;
        };
        let at = now.minus_seconds(days_ago * day);
        let audit = Actor::user(operator.id, None).entry(
            at,
            "onboarding.move",
            format!("merchant:{}:{channel}", merchant.0),
            stage.as_str(),
        );
        store
            .move_onboarding(merchant, channel, stage, operator.id, None, &audit)
            .await?;
    }
    Ok(())
}

/// A year of online sales for the demo shops, so the hall of fame and the dashboard have
/// something to show: 한옥식당 passes 1억 over the last 12 months, the others do not.
async fn seed_sales(
    store: &dyn Store,
    shops: &[gachi_domain::merchants::merchant::MerchantId],
) -> Result<()> {
    use gachi_domain::ports::SystemClock;
    use gachi_domain::results::{Month, Results, SalesInput};
    let results = Results {
        store,
        clock: &SystemClock,
    };
    let now = Month::of(gachi_domain::kernel::time::Timestamp::now());
    for (shop, monthly) in shops.iter().zip([9_200_000_i64, 3_100_000, 1_800_000]) {
        for months_ago in 0..12 {
            // A little seasonal swing around the monthly figure.
            let sales = monthly + monthly / 10 * ((months_ago % 4) as i64 - 1);
            let input = SalesInput {
                channel: if months_ago % 3 == 0 {
                    "coupang"
                } else {
                    "naver"
                }
                .into(),
                month: now.minus(months_ago).to_string(),
                sales_krw: Some(sales),
                orders: Some(sales / 18_000),
            };
            results
                .report_as_system(&Actor::system(), *shop, &input)
                .await
                .map_err(|e| anyhow::anyhow!("demo sales: {e}"))?;
        }
    }
    Ok(())
}
