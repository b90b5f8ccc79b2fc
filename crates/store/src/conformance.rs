//! The storage conformance suite: one story of accounts, sessions, tokens, throttling and audit,
//! run against every backend (`tests/integration/store.rs` runs it on SQLite always and on
//! PostgreSQL when `GACHI_TEST_POSTGRES_URL` is set). It goes through the domain's use cases,
//! so it checks what a user would notice, not only that rows come back.

use std::sync::atomic::{AtomicI64, Ordering};

use async_trait::async_trait;
use gachi_domain::accounts::{
    AccountError, AccountInput, Accounts, LOGIN_MAX_FAILURES_PER_ACCOUNT, Locale, Role,
    SESSION_IDLE_SECONDS, SESSION_TOUCH_SECONDS,
};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::secret;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::{Clock, PasswordHasher, Store};

/// A clock the suite moves by hand.
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        Self(AtomicI64::new(start.unix_ms()))
    }
    pub fn advance_seconds(&self, seconds: i64) {
        self.0.fetch_add(seconds * 1000, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_ms(self.0.load(Ordering::SeqCst))
    }
}

/// Hashes on the calling thread: fine for tests, wrong for a server.
pub struct InlineHasher;

#[async_trait]
impl PasswordHasher for InlineHasher {
    async fn hash(&self, password: String) -> String {
        secret::hash_password(&password)
    }
    async fn verify(&self, password: String, phc: String) -> bool {
        secret::verify_password(&password, &phc)
    }
}

fn input(email: &str, role: &str, region: &str) -> AccountInput {
    AccountInput {
        email: email.into(),
        password: "전주한옥마을2026".into(),
        display_name: String::new(),
        role: role.into(),
        region_code: region.into(),
    }
}

/// Runs every check; panics with the name of the first that fails.
pub async fn run_all(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::now());
    let accounts = Accounts {
        store,
        hasher: &InlineHasher,
        clock: &clock,
    };
    users_are_created_once_and_audited(&accounts).await;
    sign_in_starts_a_session_and_failures_lock_the_account(&accounts).await;
    sessions_slide_and_expire(&accounts, &clock).await;
    api_tokens_identify_their_user(&accounts).await;
    password_change_ends_other_sessions(&accounts).await;
    roles_regions_and_locales_are_kept(&accounts).await;
    merchants(store).await;
    rounds(store).await;
    onboarding(store, &clock).await;
    bulk_jobs(store, &clock).await;
    market_accounts(store, &clock).await;
    categories(store, &clock).await;
    results(store, &clock).await;
    store.ping().await.expect("ping");
}

async fn users_are_created_once_and_audited(accounts: &Accounts<'_>) {
    let store = accounts.store;
    let created = accounts
        .sign_up_merchant(
            &input(" Owner@Hanok.KR ", "admin", ""),
            &Actor::anonymous(Some("10.0.0.1".into())),
        )
        .await
        .expect("sign up");
    assert_eq!(created.email, "owner@hanok.kr");
    assert_eq!(
        created.role,
        Role::Merchant,
        "self sign-up is always a merchant"
    );
    assert_eq!(created.display_name, "owner");
    assert_eq!(
        store.user(created.id).await.unwrap().as_ref(),
        Some(&created)
    );
    assert_eq!(
        store
            .user_by_email("owner@hanok.kr")
            .await
            .unwrap()
            .map(|u| u.id),
        Some(created.id)
    );
    let again = accounts
        .sign_up_merchant(&input("OWNER@hanok.kr", "", ""), &Actor::system())
        .await;
    assert!(
        matches!(again, Err(AccountError::EmailTaken)),
        "duplicate email: {again:?}"
    );
    let audit = store.recent_audit(20).await.unwrap();
    let row = audit
        .iter()
        .find(|r| {
            r.entry.action == "user.signup" && r.entry.subject == format!("user:{}", created.id.0)
        })
        .expect("sign-up audit row");
    assert_eq!(row.entry.ip.as_deref(), Some("10.0.0.1"));
    assert_eq!(
        audit
            .iter()
            .filter(|r| r.entry.action == "user.signup")
            .count(),
        1,
        "nothing half-saved"
    );
}

async fn sign_in_starts_a_session_and_failures_lock_the_account(accounts: &Accounts<'_>) {
    let store = accounts.store;
    accounts
        .sign_up_merchant(&input("lock@hanok.kr", "", ""), &Actor::system())
        .await
        .unwrap();
    let signed = accounts
        .sign_in("LOCK@hanok.kr", "전주한옥마을2026", "10.0.0.2")
        .await
        .expect("sign in");
    let (_, user) = accounts
        .session(&signed.session_token)
        .await
        .unwrap()
        .expect("live session");
    assert_eq!(user.email, "lock@hanok.kr");

    for _ in 0..LOGIN_MAX_FAILURES_PER_ACCOUNT {
        let wrong = accounts
            .sign_in("lock@hanok.kr", "wrong password", "10.0.0.3")
            .await;
        assert!(
            matches!(wrong, Err(AccountError::BadCredentials)),
            "{wrong:?}"
        );
    }
    let locked = accounts
        .sign_in("lock@hanok.kr", "전주한옥마을2026", "10.0.0.4")
        .await;
    assert!(
        matches!(locked, Err(AccountError::Throttled { retry_after_seconds }) if retry_after_seconds > 0),
        "even the right password is refused while locked: {locked:?}"
    );
    let (by_email, by_ip) = store
        .login_failures_since("lock@hanok.kr", "10.0.0.3", Timestamp::from_unix_ms(0))
        .await
        .unwrap();
    assert_eq!(
        (by_email, by_ip),
        (
            LOGIN_MAX_FAILURES_PER_ACCOUNT,
            LOGIN_MAX_FAILURES_PER_ACCOUNT
        )
    );

    let unknown = accounts
        .sign_in("nobody@hanok.kr", "whatever123", "10.0.0.5")
        .await;
    assert!(
        matches!(unknown, Err(AccountError::BadCredentials)),
        "unknown email: {unknown:?}"
    );
    let empty = accounts.sign_in("", "", "10.0.0.5").await;
    assert!(
        matches!(&empty, Err(AccountError::Invalid(e)) if e.0.len() == 2),
        "{empty:?}"
    );

    store.clear_login_failures("lock@hanok.kr").await.unwrap();
    accounts
        .sign_in("lock@hanok.kr", "전주한옥마을2026", "10.0.0.4")
        .await
        .expect("unlocked");
}

async fn sessions_slide_and_expire(accounts: &Accounts<'_>, clock: &ManualClock) {
    accounts
        .sign_up_merchant(&input("slide@hanok.kr", "", ""), &Actor::system())
        .await
        .unwrap();
    let token = accounts
        .sign_in("slide@hanok.kr", "전주한옥마을2026", "10.0.0.6")
        .await
        .unwrap()
        .session_token;
    let (first, _) = accounts.session(&token).await.unwrap().unwrap();

    clock.advance_seconds(SESSION_TOUCH_SECONDS + 1);
    let (slid, _) = accounts.session(&token).await.unwrap().unwrap();
    assert!(
        slid.expires_at > first.expires_at,
        "use slides the idle expiry forward"
    );
    let (reread, _) = accounts.session(&token).await.unwrap().unwrap();
    assert_eq!(reread.expires_at, slid.expires_at, "the slide was stored");

    clock.advance_seconds(SESSION_IDLE_SECONDS + 1);
    assert!(
        accounts.session(&token).await.unwrap().is_none(),
        "idle too long: signed out"
    );
    assert!(
        accounts
            .store
            .purge_expired_sessions(clock.now())
            .await
            .unwrap()
            >= 1
    );

    let token = accounts
        .sign_in("slide@hanok.kr", "전주한옥마을2026", "10.0.0.6")
        .await
        .unwrap()
        .session_token;
    accounts.sign_out(&token, &Actor::system()).await.unwrap();
    assert!(
        accounts.session(&token).await.unwrap().is_none(),
        "signed out"
    );
    assert!(accounts.session("not-a-token").await.unwrap().is_none());
}

async fn api_tokens_identify_their_user(accounts: &Accounts<'_>) {
    let staff = accounts
        .create_user(
            None,
            &input("ops@program.kr", "operator", ""),
            &Actor::system(),
        )
        .await
        .unwrap();
    let token = accounts
        .create_api_token("ops@program.kr", "", &Actor::system())
        .await
        .unwrap();
    assert!(token.starts_with("gachi_"));
    assert_eq!(
        accounts.api_user(&token).await.unwrap().map(|u| u.id),
        Some(staff.id)
    );
    assert!(accounts.api_user("gachi_wrong").await.unwrap().is_none());
    assert!(
        accounts.api_user(&token[6..]).await.unwrap().is_none(),
        "prefix required"
    );
    let listed = accounts.store.list_api_tokens(staff.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "personal");
    let missing = accounts
        .create_api_token("ghost@program.kr", "", &Actor::system())
        .await;
    assert!(matches!(missing, Err(AccountError::NotFound)));
}

async fn password_change_ends_other_sessions(accounts: &Accounts<'_>) {
    accounts
        .sign_up_merchant(&input("change@hanok.kr", "", ""), &Actor::system())
        .await
        .unwrap();
    let phone = accounts
        .sign_in("change@hanok.kr", "전주한옥마을2026", "10.0.0.7")
        .await
        .unwrap();
    let desk = accounts
        .sign_in("change@hanok.kr", "전주한옥마을2026", "10.0.0.8")
        .await
        .unwrap();
    let (phone_session, user) = accounts
        .session(&phone.session_token)
        .await
        .unwrap()
        .unwrap();
    let actor = Actor::user(user.id, None);

    let wrong = accounts
        .change_password(&user, phone_session.id, "not it", "새비밀번호123", &actor)
        .await;
    assert!(matches!(&wrong, Err(AccountError::Invalid(e)) if e.0[0].field == "current_password"));
    let short = accounts
        .change_password(&user, phone_session.id, "전주한옥마을2026", "짧아", &actor)
        .await;
    assert!(
        matches!(&short, Err(AccountError::Invalid(e)) if e.0[0].code == "error-password-short")
    );

    accounts
        .change_password(
            &user,
            phone_session.id,
            "전주한옥마을2026",
            "새비밀번호123",
            &actor,
        )
        .await
        .unwrap();
    assert!(
        accounts
            .session(&phone.session_token)
            .await
            .unwrap()
            .is_some(),
        "this session stays"
    );
    assert!(
        accounts
            .session(&desk.session_token)
            .await
            .unwrap()
            .is_none(),
        "others end"
    );
    assert!(
        accounts
            .sign_in("change@hanok.kr", "전주한옥마을2026", "10.0.0.7")
            .await
            .is_err()
    );
    accounts
        .sign_in("change@hanok.kr", "새비밀번호123", "10.0.0.7")
        .await
        .expect("new password");
}

async fn roles_regions_and_locales_are_kept(accounts: &Accounts<'_>) {
    let store = accounts.store;
    let no_region = accounts
        .create_user(
            None,
            &input("gov@jeonbuk.go.kr", "localgov", ""),
            &Actor::system(),
        )
        .await;
    assert!(matches!(&no_region, Err(AccountError::Invalid(e)) if e.0[0].field == "region_code"));
    // An old 전라북도 code is kept as the current 전북특별자치도 one.
    let officer = accounts
        .create_user(
            None,
            &input("gov@jeonbuk.go.kr", "localgov", "45110"),
            &Actor::system(),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .user(officer.id)
            .await
            .unwrap()
            .unwrap()
            .region
            .unwrap()
            .as_str(),
        "52110"
    );

    let operator = store
        .user_by_email("ops@program.kr")
        .await
        .unwrap()
        .unwrap();
    let forbidden = accounts
        .create_user(
            Some(&operator),
            &input("boss@program.kr", "admin", ""),
            &Actor::system(),
        )
        .await;
    assert!(matches!(forbidden, Err(AccountError::Forbidden)));
    let designer = accounts
        .create_user(
            Some(&operator),
            &input("expert@program.kr", "designer", ""),
            &Actor::system(),
        )
        .await
        .unwrap();

    // Look the designer up through a session and a token first, so any cache holds them...
    let token = accounts
        .create_api_token("expert@program.kr", "", &Actor::system())
        .await
        .unwrap();
    let session = accounts
        .sign_in("expert@program.kr", "전주한옥마을2026", "10.0.0.9")
        .await
        .unwrap()
        .session_token;
    assert_eq!(
        accounts.session(&session).await.unwrap().unwrap().1.locale,
        None
    );
    assert_eq!(
        accounts.api_user(&token).await.unwrap().unwrap().locale,
        None
    );
    accounts
        .set_locale(&designer, Locale::En, &Actor::system())
        .await
        .unwrap();
    // ...and a change is seen at once through both.
    assert_eq!(
        accounts.session(&session).await.unwrap().unwrap().1.locale,
        Some(Locale::En)
    );
    assert_eq!(
        accounts.api_user(&token).await.unwrap().unwrap().locale,
        Some(Locale::En)
    );
    assert_eq!(
        store.user(designer.id).await.unwrap().unwrap().locale,
        Some(Locale::En)
    );

    let designers = store.list_users(Some(Role::Designer), 10).await.unwrap();
    assert_eq!(
        designers.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![designer.id]
    );
    let counts = store.count_users_by_role().await.unwrap();
    assert!(
        counts.contains(&(Role::LocalGov, 1)) && counts.contains(&(Role::Designer, 1)),
        "{counts:?}"
    );
    assert!(
        store.list_users(None, 2).await.unwrap().len() == 2,
        "limit respected"
    );
}

/// The merchant registry: records, uniqueness, filters, keyset pages, register upserts.
pub async fn merchants(store: &dyn Store) {
    use gachi_domain::merchants::merchant::{
        MerchantFilter, MerchantInput, MerchantSource, MerchantStatus,
    };
    use gachi_domain::merchants::register::{Columns, OFFICIAL_HEADER, RowSchema};

    let actor = Actor::system();
    let now = Timestamp::now();
    let shop = MerchantInput {
        name: "한옥식당".into(),
        business_number: "220-81-62517".into(),
        phone: "063-123-4567".into(),
        region_code: "52111".into(),
        industry_code: "I20101".into(),
        ..MerchantInput::default()
    };
    let fields = shop.validate(true).unwrap();
    let audit = actor.entry(now, "merchant.create", "", "");
    let created = store
        .create_merchant(
            &fields,
            MerchantStatus::Registered,
            MerchantSource::Staff,
            None,
            &audit,
        )
        .await
        .unwrap();
    assert_eq!(created.name, "한옥식당");
    assert_eq!(
        created.business_number.as_ref().unwrap().display(),
        "220-81-62517"
    );
    assert_eq!(
        store.merchant(created.id).await.unwrap().as_ref(),
        Some(&created)
    );
    let duplicate = store
        .create_merchant(
            &fields,
            MerchantStatus::Registered,
            MerchantSource::Staff,
            None,
            &audit,
        )
        .await;
    assert!(matches!(
        duplicate,
        Err(gachi_domain::ports::StoreError::Conflict("business_number"))
    ));
    let found = store
        .merchant_by_business_number("2208162517")
        .await
        .unwrap();
    assert_eq!(found.map(|m| m.id), Some(created.id));

    let renamed = MerchantInput {
        name: "한옥식당 본점".into(),
        ..shop.clone()
    }
    .validate(true)
    .unwrap();
    let updated = store
        .update_merchant(created.id, &renamed, &audit)
        .await
        .unwrap();
    assert_eq!(updated.name, "한옥식당 본점");

    // Register rows: three shops in three regions.
    let columns = Columns::from_header(&OFFICIAL_HEADER).unwrap();
    let row = |id: &str, name: &str, sigungu: &str, industry: &str| -> Vec<String> {
        let mut row = vec![String::new(); 39];
        row[0] = id.into();
        row[1] = name.into();
        row[7] = industry.into();
        row[13] = sigungu.into();
        row
    };
    let rows = [
        row("R1", "전주빵집", "52113", "I21001"),
        row("R2", "군산서점", "52130", "G21501"),
        row("R3", "종로떡집", "11110", "I21001"),
    ];
    let records: Vec<_> = rows
        .iter()
        .map(|r| {
            columns
                .parse(&r.iter().map(String::as_str).collect::<Vec<_>>())
                .unwrap()
        })
        .collect();
    let counts = store
        .upsert_store_records(
            &records,
            1,
            &actor.entry(now, "merchant.import", "register", ""),
        )
        .await
        .unwrap();
    assert_eq!(
        (counts.imported, counts.updated, counts.unchanged),
        (3, 0, 0)
    );
    let again = store
        .upsert_store_records(
            &records,
            2,
            &actor.entry(now, "merchant.import", "register", ""),
        )
        .await
        .unwrap();
    assert_eq!(
        (again.imported, again.updated, again.unchanged),
        (0, 0, 3),
        "the same rows change nothing"
    );
    let mut moved = records.clone();
    moved[0].name = "전주빵집 2호점".into();
    let third = store
        .upsert_store_records(
            &moved,
            3,
            &actor.entry(now, "merchant.import", "register", ""),
        )
        .await
        .unwrap();
    assert_eq!((third.imported, third.updated, third.unchanged), (0, 1, 2));

    // A file naming one store twice: the later row wins, on both backends.
    let mut twice = records[2].clone();
    twice.name = "종로떡집 (이전)".into();
    let mut later = records[2].clone();
    later.name = "종로떡집".into();
    let dup = store
        .upsert_store_records(
            &[twice, later],
            4,
            &actor.entry(now, "merchant.import", "register", ""),
        )
        .await
        .unwrap();
    assert_eq!(
        (dup.imported, dup.updated, dup.unchanged),
        (0, 1, 1),
        "{dup:?}"
    );

    let list = |filter: MerchantFilter| async move {
        store
            .list_merchants(&filter, None, 50)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect::<Vec<_>>()
    };
    let region =
        |code: &str| Some(gachi_domain::kernel::region::RegionCode::parse(code, "r").unwrap());
    assert_eq!(
        list(MerchantFilter {
            region: region("52"),
            ..Default::default()
        })
        .await,
        ["군산서점", "전주빵집 2호점", "한옥식당 본점"]
    );
    // 전주시 (52110) holds its 구: 완산구 52111 (한옥식당) and 덕진구 52113 (전주빵집).
    assert_eq!(
        list(MerchantFilter {
            region: region("52110"),
            ..Default::default()
        })
        .await,
        ["전주빵집 2호점", "한옥식당 본점"]
    );
    let bakery = gachi_domain::kernel::industry::resolve("I21001", "i").ok();
    assert_eq!(
        list(MerchantFilter {
            industry: bakery,
            ..Default::default()
        })
        .await,
        ["종로떡집", "전주빵집 2호점"]
    );
    assert_eq!(
        list(MerchantFilter {
            name_contains: Some("떡".into()),
            ..Default::default()
        })
        .await,
        ["종로떡집"]
    );
    assert_eq!(
        list(MerchantFilter {
            name_contains: Some("%".into()),
            ..Default::default()
        })
        .await,
        Vec::<String>::new(),
        "LIKE wildcards are literal"
    );
    assert_eq!(
        list(MerchantFilter {
            status: Some(MerchantStatus::Registered),
            ..Default::default()
        })
        .await,
        ["한옥식당 본점"]
    );

    // Keyset pages: two, then the rest, never repeating.
    let first = store
        .list_merchants(&MerchantFilter::default(), None, 2)
        .await
        .unwrap();
    let rest = store
        .list_merchants(&MerchantFilter::default(), first.last().map(|m| m.id), 10)
        .await
        .unwrap();
    assert_eq!(first.len() + rest.len(), 4);
    assert!(first.iter().all(|m| rest.iter().all(|r| r.id < m.id)));

    // Shipping templates: saved by name, replaced by the same name.
    let terms = |fee: i64| gachi_domain::catalog::product::ShippingFile {
        fee: Some(gachi_domain::catalog::product::Loose::Int(fee)),
        ..Default::default()
    };
    let at = actor.entry(now, "shipping_template.save", "", "");
    store
        .save_shipping_template(created.id, "기본 택배", &terms(3000), &at)
        .await
        .unwrap();
    store
        .save_shipping_template(created.id, "기본 택배", &terms(4000), &at)
        .await
        .unwrap();
    store
        .save_shipping_template(created.id, "제주 도서산간", &terms(7000), &at)
        .await
        .unwrap();
    let saved = store.shipping_templates(created.id).await.unwrap();
    assert_eq!(
        saved
            .iter()
            .map(|(n, t)| (n.as_str(), t.fee.clone()))
            .collect::<Vec<_>>(),
        [
            (
                "기본 택배",
                Some(gachi_domain::catalog::product::Loose::Int(4000))
            ),
            (
                "제주 도서산간",
                Some(gachi_domain::catalog::product::Loose::Int(7000))
            )
        ]
    );

    // A bulk load only drops indexes on an empty registry, and they come back.
    assert!(!store.begin_bulk_load().await.unwrap());
    store.ensure_merchant_indexes().await.unwrap();
}

/// Rounds: quotas kept, one application per merchant, decisions stored once, selected
/// merchants marked.
pub async fn rounds(store: &dyn Store) {
    use gachi_domain::merchants::diagnosis::Track;
    use gachi_domain::merchants::merchant::{MerchantFilter, MerchantStatus};
    use gachi_domain::program::rounds::{Applicant, Quotas, Reason, RoundStatus, select};

    let actor = Actor::system();
    let now = Timestamp::now();
    let staff = store
        .list_users(Some(Role::Operator), 1)
        .await
        .unwrap()
        .remove(0);
    let quotas = Quotas {
        total: 2,
        by_sido: vec![(
            gachi_domain::kernel::region::RegionCode::parse("52", "s").unwrap(),
            1,
        )],
        by_track: vec![(Track::Managed, 5)],
    };
    let round = store
        .create_round(
            "2027 온라인 판로지원 1차",
            &quotas,
            staff.id,
            &actor.entry(now, "round.open", "", ""),
        )
        .await
        .unwrap();
    let stored = store.round(round.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.quotas.clone(), stored.status),
        (quotas.clone(), RoundStatus::Open)
    );
    assert_eq!(store.rounds().await.unwrap()[0].id, round.id);

    let registered: Vec<_> = store
        .list_merchants(
            &MerchantFilter {
                status: Some(MerchantStatus::Registered),
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    let prospects = store
        .list_merchants(&MerchantFilter::default(), None, 10)
        .await
        .unwrap();
    let mut applicants = Vec::new();
    for (i, m) in registered
        .iter()
        .chain(
            prospects
                .iter()
                .filter(|m| m.status == MerchantStatus::Prospect),
        )
        .take(3)
        .enumerate()
    {
        let applicant = Applicant {
            merchant: m.id,
            sido: m.region.sido(),
            track: Track::Managed,
            product_score: 60 + i as u32,
            online_score: 40,
            applied_at: now,
        };
        store
            .apply(
                round.id,
                &applicant,
                &actor.entry(now, "round.apply", "", ""),
            )
            .await
            .unwrap();
        applicants.push(applicant);
    }
    let again = store
        .apply(
            round.id,
            &applicants[0],
            &actor.entry(now, "round.apply", "", ""),
        )
        .await;
    assert!(matches!(
        again,
        Err(gachi_domain::ports::StoreError::Conflict("application"))
    ));
    let listed = store.applications(round.id).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|a| a.decision.is_none()));

    let decisions = select(&quotas, &applicants);
    store
        .record_decisions(
            round.id,
            &decisions,
            &actor.entry(now, "round.decide", "", ""),
        )
        .await
        .unwrap();
    let decided = store.applications(round.id).await.unwrap();
    assert_eq!(
        decided
            .iter()
            .map(|a| a.decision.as_ref().unwrap().rank)
            .collect::<Vec<_>>(),
        [1, 2, 3],
        "in rank order"
    );
    for d in &decisions {
        let stored = decided
            .iter()
            .find(|a| a.applicant.merchant == d.merchant)
            .unwrap();
        assert_eq!(stored.decision.as_ref(), Some(d));
        if let Reason::SidoFull(sido) = &d.reason {
            assert_eq!(sido, &stored.applicant.sido);
        }
    }
    let first = decisions.iter().find(|d| d.rank == 1).unwrap();
    let merchant = store.merchant(first.merchant).await.unwrap().unwrap();
    if registered.iter().any(|r| r.id == merchant.id) {
        assert_eq!(
            merchant.status,
            MerchantStatus::Selected,
            "a selected registered merchant is marked"
        );
    }
    assert_eq!(
        store.round(round.id).await.unwrap().unwrap().status,
        RoundStatus::Decided
    );
    let twice = store
        .record_decisions(
            round.id,
            &decisions,
            &actor.entry(now, "round.decide", "", ""),
        )
        .await;
    assert!(
        matches!(
            twice,
            Err(gachi_domain::ports::StoreError::Conflict("round"))
        ),
        "decided once"
    );
    assert_eq!(
        store.applications_of(first.merchant).await.unwrap()[0].round,
        round.id
    );
}

/// The onboarding board: cards move with their history, filters narrow them, the age filter
/// counts days in the stage, an officer sees only their region and a merchant only their own.
pub async fn onboarding(store: &dyn Store, clock: &ManualClock) {
    use gachi_domain::kernel::region::RegionCode;
    use gachi_domain::merchants::merchant::MerchantFilter;
    use gachi_domain::onboarding::{BoardFilter, Onboarding, OnboardingError, Stage};

    let board = Onboarding { store, clock };
    let operator = store
        .list_users(Some(Role::Operator), 1)
        .await
        .unwrap()
        .remove(0);
    let actor = Actor::user(operator.id, None);
    let merchants = store
        .list_merchants(&MerchantFilter::default(), None, 50)
        .await
        .unwrap();
    let first = &merchants[0];
    let elsewhere = merchants
        .iter()
        .find(|m| m.region.sido() != first.region.sido())
        .expect("the suite's merchants span two 시도");

    board
        .move_card(&operator, &actor, first.id, "naver", "preparing")
        .await
        .unwrap();
    clock.advance_seconds(3 * 86_400);
    board
        .move_card(&operator, &actor, first.id, "naver", "drafting")
        .await
        .unwrap();
    board
        .move_card(&operator, &actor, first.id, "naver", "drafting")
        .await
        .unwrap(); // the same stage again is not a move
    board
        .move_card(&operator, &actor, elsewhere.id, "coupang", "in_review")
        .await
        .unwrap();

    let all = board
        .board(&operator, BoardFilter::default())
        .await
        .unwrap();
    let card = all
        .iter()
        .find(|c| c.merchant == first.id && c.channel == "naver")
        .unwrap();
    assert_eq!(card.stage, Stage::Drafting);
    assert_eq!(
        card.moved_by.as_deref(),
        Some(operator.display_name.as_str())
    );
    assert!(
        card.started_at < card.entered_at,
        "started when first put on the board"
    );
    let moves = board.history(&operator, first.id).await.unwrap();
    let steps: Vec<_> = moves.iter().map(|m| (m.from, m.to)).collect();
    assert_eq!(
        steps,
        [
            (None, Stage::Preparing),
            (Some(Stage::Preparing), Stage::Drafting)
        ]
    );

    let by_stage = board
        .board(
            &operator,
            BoardFilter {
                stage: Some(Stage::InReview),
                ..BoardFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(by_stage.iter().all(|c| c.stage == Stage::InReview));
    assert!(by_stage.iter().any(|c| c.merchant == elsewhere.id));
    let by_region = board
        .board(
            &operator,
            BoardFilter {
                region: Some(first.region.sido()),
                ..BoardFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(
        by_region
            .iter()
            .all(|c| first.region.sido().contains(&c.region))
    );
    assert!(!by_region.iter().any(|c| c.merchant == elsewhere.id));

    clock.advance_seconds(2 * 86_400);
    let aged = |days| BoardFilter {
        min_age_days: Some(days),
        ..BoardFilter::default()
    };
    let old = board.board(&operator, aged(2)).await.unwrap();
    assert!(old.iter().any(|c| c.merchant == first.id));
    let older = board.board(&operator, aged(3)).await.unwrap();
    assert!(
        !older.iter().any(|c| c.merchant == first.id),
        "2 days in drafting, not 3"
    );

    // Nobody but staff moves cards; a bad stage or channel names its field.
    let refused = board
        .move_card(&operator, &actor, first.id, "wemakeprice", "sold")
        .await;
    let Err(OnboardingError::Invalid(errors)) = refused else {
        panic!("{refused:?}")
    };
    assert!(errors.for_field("channel").is_some() && errors.for_field("stage").is_some());
    let officer = store
        .list_users(Some(Role::LocalGov), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.region.as_ref().is_some_and(|r| r.contains(&first.region)));
    if let Some(officer) = officer {
        let theirs = board.board(&officer, BoardFilter::default()).await.unwrap();
        assert!(!theirs.iter().any(|c| c.merchant == elsewhere.id));
        assert!(matches!(
            board
                .move_card(&officer, &actor, first.id, "naver", "selling")
                .await,
            Err(OnboardingError::Forbidden)
        ));
        let outside = board
            .board(
                &officer,
                BoardFilter {
                    region: Some(RegionCode::parse(elsewhere.region.sido().as_str(), "r").unwrap()),
                    ..BoardFilter::default()
                },
            )
            .await;
        assert!(matches!(outside, Err(OnboardingError::Forbidden)));
    }
}

/// Bulk jobs: one runs per marketplace at a time, progress is kept, a finished job cannot move
/// again, and the jobs a stopped server left running are marked interrupted.
pub async fn bulk_jobs(store: &dyn Store, clock: &ManualClock) {
    use gachi_domain::onboarding::bulk_job::{JobKind, JobState, NewBulkJob};
    use gachi_domain::ports::StoreError;

    let operator = store
        .list_users(Some(Role::Operator), 1)
        .await
        .unwrap()
        .remove(0);
    let actor = Actor::user(operator.id, None);
    let new = |kind, channel: &str, total| NewBulkJob {
        kind,
        channel: channel.to_owned(),
        total,
        started_by: operator.id,
        at: clock.now(),
    };
    let audit = |what: &str| actor.entry(clock.now(), "onboarding.bulk", "board", what);
    let naver = store
        .start_bulk_job(
            &new(JobKind::Validate, "naver", 3),
            &audit("validate naver"),
        )
        .await
        .unwrap();
    assert_eq!(
        (naver.state, naver.done, naver.total),
        (JobState::Running, 0, 3)
    );
    assert!(
        matches!(
            store
                .start_bulk_job(&new(JobKind::Submit, "naver", 1), &audit("submit naver"))
                .await,
            Err(StoreError::Conflict("channel"))
        ),
        "one job per marketplace at a time"
    );
    let coupang = store
        .start_bulk_job(
            &new(JobKind::Submit, "coupang", 2),
            &audit("submit coupang"),
        )
        .await
        .unwrap();
    store.bulk_job_progress(naver.id, 2, 1, 1).await.unwrap();
    let read = store.bulk_job(naver.id).await.unwrap().unwrap();
    assert_eq!(
        (read.done, read.passed, read.failed, read.percent()),
        (2, 1, 1, 66)
    );
    assert_eq!(read.kind, JobKind::Validate);
    clock.advance_seconds(5);
    store
        .finish_bulk_job(naver.id, JobState::Done, clock.now())
        .await
        .unwrap();
    assert!(
        matches!(
            store.bulk_job_progress(naver.id, 3, 1, 1).await,
            Err(StoreError::NotFound)
        ),
        "a finished job does not move"
    );
    let done = store.bulk_job(naver.id).await.unwrap().unwrap();
    assert_eq!(
        (done.state, done.finished_at),
        (JobState::Done, Some(clock.now()))
    );
    // The marketplace is free again.
    let again = store
        .start_bulk_job(&new(JobKind::Submit, "naver", 1), &audit("submit naver"))
        .await
        .unwrap();
    let listed: Vec<i64> = store
        .bulk_jobs(Some("naver"), 10)
        .await
        .unwrap()
        .iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(listed, [again.id, naver.id], "newest first");
    let review = store
        .start_bulk_job(&new(JobKind::Review, "11st", 4), &audit("review 11st"))
        .await
        .unwrap();
    assert_eq!(
        store.bulk_job(review.id).await.unwrap().unwrap().kind,
        JobKind::Review
    );
    assert_eq!(store.bulk_jobs(None, 10).await.unwrap().len(), 4);
    assert_eq!(store.interrupt_bulk_jobs(clock.now()).await.unwrap(), 3);
    for id in [again.id, coupang.id, review.id] {
        let job = store.bulk_job(id).await.unwrap().unwrap();
        assert_eq!(job.state, JobState::Interrupted);
    }
    assert_eq!(store.bulk_job(9_999_999).await.unwrap(), None);
}

/// Marketplace accounts keep settings and sealed keys (new settings without keys keep the old
/// keys), only the shop's owner and staff reach them, and submissions are kept newest first.
pub async fn market_accounts(store: &dyn Store, clock: &ManualClock) {
    use gachi_domain::listing::market_account::{
        MarketAccountError, MarketAccounts, SubmissionRecord,
    };
    use gachi_domain::merchants::merchant::MerchantFilter;

    let accounts = MarketAccounts { store, clock };
    let operator = store
        .list_users(Some(Role::Operator), 1)
        .await
        .unwrap()
        .remove(0);
    let actor = Actor::user(operator.id, None);
    let merchant = store
        .list_merchants(&MerchantFilter::default(), None, 1)
        .await
        .unwrap()
        .remove(0);
    accounts
        .save(
            &operator,
            &actor,
            merchant.id,
            "coupang",
            r#"{"vendor_id":"A00012345"}"#,
            Some("v1.sealed-one"),
        )
        .await
        .unwrap();
    accounts
        .save(
            &operator,
            &actor,
            merchant.id,
            "coupang",
            r#"{"vendor_id":"A00099999"}"#,
            None,
        )
        .await
        .unwrap();
    let saved = accounts.accounts(&operator, merchant.id).await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].settings, r#"{"vendor_id":"A00099999"}"#);
    assert_eq!(
        saved[0].sealed_credentials.as_deref(),
        Some("v1.sealed-one"),
        "keys kept"
    );
    let refused = accounts
        .save(&operator, &actor, merchant.id, "wemakeprice", "{}", None)
        .await;
    assert!(matches!(refused, Err(MarketAccountError::Invalid(_))));

    let stranger = store
        .list_users(Some(Role::Merchant), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.id != operator.id);
    if let Some(stranger) = stranger
        && store
            .merchant_of_owner(stranger.id)
            .await
            .unwrap()
            .is_none_or(|shop| shop.id != merchant.id)
    {
        assert!(matches!(
            accounts.accounts(&stranger, merchant.id).await,
            Err(MarketAccountError::NotFound)
        ));
    }

    // Two products listed on Naver at different times, one refused on Coupang: the latest
    // listing is the newer product's number.
    assert_eq!(
        store.latest_listing(merchant.id, "naver").await.unwrap(),
        None
    );
    let mut listed = Vec::new();
    for (sku, number) in [("CONF-1", "1000001"), ("CONF-2", "1000002")] {
        let file: gachi_domain::catalog::product::ProductFile =
            serde_json::from_value(serde_json::json!({
                "sku": sku, "name": format!("적합성 상품 {sku}"), "price": 10000, "stock": 5
            }))
            .unwrap();
        let product = store
            .create_product(
                merchant.id,
                &file,
                &file.check().unwrap(),
                &actor.entry(clock.now(), "product.create", sku, ""),
            )
            .await
            .unwrap();
        for outcome in ["failed", "created"] {
            let record = SubmissionRecord {
                channel: "naver".into(),
                outcome: outcome.into(),
                marketplace_product_id: (outcome == "created").then(|| number.into()),
                request_digest: "ab".repeat(32),
                detail: "[]".into(),
                submitted_by: Some(operator.id),
                at: clock.now(),
            };
            accounts
                .record_submission(&actor, product.id, &record)
                .await
                .unwrap();
        }
        let kept = store.submissions(product.id).await.unwrap();
        assert_eq!(kept[0].outcome, "created", "newest first");
        assert_eq!(kept.len(), 2);
        listed.push(product);
        clock.advance_seconds(60);
    }
    let refused = SubmissionRecord {
        channel: "coupang".into(),
        outcome: "rejected".into(),
        marketplace_product_id: None,
        request_digest: "cd".repeat(32),
        detail: "[]".into(),
        submitted_by: Some(operator.id),
        at: clock.now(),
    };
    accounts
        .record_submission(&actor, listed[0].id, &refused)
        .await
        .unwrap();
    assert_eq!(
        store
            .latest_listing(merchant.id, "naver")
            .await
            .unwrap()
            .as_deref(),
        Some("1000002")
    );
    assert_eq!(
        store.latest_listing(merchant.id, "coupang").await.unwrap(),
        None
    );

    // Photos on Naver's image host: Gachi's own photos are remembered per shop, marketplace
    // and account (a shop's own address is not: its photo may change), and forgotten when the
    // shop saves new keys for that marketplace — but not when it saves only settings.
    let ours = |n: u8| {
        format!(
            "https://gachi.example.kr/media/{}-800x800.jpg",
            format!("{n:x}").repeat(32)
        )
    };
    let theirs = "https://shop.example.kr/img/main.jpg".to_owned();
    let hosted = |n: u8| format!("https://shop-phinf.pstatic.net/contract/{n}.jpg");
    let app = "naver-application-1";
    accounts
        .remember_hosted_photos(
            merchant.id,
            "naver",
            app,
            &[
                (ours(1), hosted(1)),
                (theirs.clone(), hosted(2)),
                (ours(2), hosted(3)),
            ],
        )
        .await
        .unwrap();
    let asked = [ours(2), theirs.clone(), ours(3), ours(1)];
    let mut found = accounts
        .hosted_photos(merchant.id, "naver", app, &asked)
        .await
        .unwrap();
    found.sort();
    assert_eq!(found, [(ours(1), hosted(1)), (ours(2), hosted(3))]);
    for (channel, account) in [("coupang", app), ("naver", "naver-application-2")] {
        assert!(
            accounts
                .hosted_photos(merchant.id, channel, account, &asked)
                .await
                .unwrap()
                .is_empty(),
            "per marketplace and account: {channel} {account}"
        );
    }
    // Uploaded again (say after the host lost it): the newer address wins.
    accounts
        .remember_hosted_photos(merchant.id, "naver", app, &[(ours(1), hosted(9))])
        .await
        .unwrap();
    let again = accounts
        .hosted_photos(merchant.id, "naver", app, &[ours(1)])
        .await
        .unwrap();
    assert_eq!(again, [(ours(1), hosted(9))]);
    accounts
        .save(&operator, &actor, merchant.id, "naver", "{}", None)
        .await
        .unwrap();
    assert_eq!(
        accounts
            .hosted_photos(merchant.id, "naver", app, &asked)
            .await
            .unwrap()
            .len(),
        2,
        "settings alone keep them"
    );
    accounts
        .save(
            &operator,
            &actor,
            merchant.id,
            "naver",
            "{}",
            Some("v1.sealed-two"),
        )
        .await
        .unwrap();
    assert!(
        accounts
            .hosted_photos(merchant.id, "naver", app, &asked)
            .await
            .unwrap()
            .is_empty(),
        "new keys forget them"
    );
}

/// Category trees load whole (vanished codes go, the rest keep their metadata), search by path,
/// suggest from a product name, and keep per-category metadata and code tables.
pub async fn categories(store: &dyn Store, clock: &ManualClock) {
    use gachi_domain::catalog::category::{Categories, CategoryError};

    let categories = Categories { store, clock };
    let actor = Actor::system();
    let tree = |rows: &[(&str, &str)]| -> Vec<(String, String)> {
        rows.iter()
            .map(|(c, p)| (c.to_string(), p.to_string()))
            .collect()
    };
    let loaded = categories
        .load_tree(
            &actor,
            "coupang",
            &tree(&[
                ("58927", "식품>간편조리식품>밀키트"),
                ("58930", "식품>전통식품>떡"),
                ("78877", "자동차용품>차량용 거치대>스마트폰 거치대"),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(loaded, 3);
    categories
        .load_meta(&actor, "coupang", "58927", r#"{"noticeCategories":[]}"#)
        .await
        .unwrap();
    assert!(matches!(
        categories.load_meta(&actor, "coupang", "99999", "{}").await,
        Err(CategoryError::NotFound)
    ));
    // Reloading drops the vanished code and keeps the metadata of the others.
    categories
        .load_tree(
            &actor,
            "coupang",
            &tree(&[
                ("58927", "식품>간편조리식품>밀키트"),
                ("58930", "식품>전통식품>떡"),
            ]),
        )
        .await
        .unwrap();
    assert!(store.category("coupang", "78877").await.unwrap().is_none());
    let kit = store.category("coupang", "58927").await.unwrap().unwrap();
    assert!(kit.has_meta);
    assert_eq!(
        store
            .category_meta("coupang", "58927")
            .await
            .unwrap()
            .as_deref(),
        Some(r#"{"noticeCategories":[]}"#)
    );
    let suggested = categories
        .suggest("coupang", "전주 한옥마을 비빔밥 밀키트 2인분", 3)
        .await
        .unwrap();
    assert_eq!(suggested[0].code, "58927");
    assert!(
        categories
            .suggest("naver", "전주 비빔밥 밀키트", 3)
            .await
            .unwrap()
            .is_empty(),
        "nothing loaded for Naver"
    );
    let found = store.search_categories("coupang", "떡", 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert!(matches!(
        categories.load_tree(&actor, "wemakeprice", &[]).await,
        Err(CategoryError::Invalid(_))
    ));
    categories
        .load_table(&actor, "11st", "notice_codes", r#"{"types":{}}"#)
        .await
        .unwrap();
    assert_eq!(
        store
            .channel_table("11st", "notice_codes")
            .await
            .unwrap()
            .as_deref(),
        Some(r#"{"types":{}}"#)
    );
}

/// Sales reports keep corrections, the hall of fame follows the trailing-12-month sum (in and
/// out), members filter by region, and the dashboard counts what is there.
pub async fn results(store: &dyn Store, clock: &ManualClock) {
    use gachi_domain::merchants::merchant::MerchantFilter;
    use gachi_domain::results::{Results, ResultsError, SalesInput};

    let results = Results { store, clock };
    let operator = store
        .list_users(Some(Role::Operator), 1)
        .await
        .unwrap()
        .remove(0);
    let actor = Actor::user(operator.id, None);
    let merchants = store
        .list_merchants(&MerchantFilter::default(), None, 10)
        .await
        .unwrap();
    let (star, other) = (&merchants[0], &merchants[1]);
    let now = gachi_domain::results::Month::of(clock.now());
    let report = |merchant, months_ago: i32, sales: i64| {
        let results = &results;
        let operator = &operator;
        let actor = &actor;
        async move {
            let input = SalesInput {
                channel: "naver".into(),
                month: now.minus(months_ago).to_string(),
                sales_krw: Some(sales),
                orders: Some(sales / 20_000),
            };
            results.report(operator, actor, merchant, &input).await
        }
    };
    for months_ago in 0..10 {
        report(star.id, months_ago, 11_000_000).await.unwrap();
    }
    report(other.id, 0, 5_000_000).await.unwrap();
    let members = store.hall_of_fame(None, None).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].merchant, star.id);
    assert_eq!(
        members[0].entry_month, now,
        "110M reached in the latest month"
    );
    assert_eq!(members[0].channels, ["naver"]);
    // A correction below the line takes the merchant out again; the old value is kept.
    report(star.id, 0, 0).await.unwrap(); // 99,000,000 now
    assert!(store.hall_of_fame(None, None).await.unwrap().is_empty());
    report(star.id, 0, 11_000_000).await.unwrap();
    assert_eq!(store.sales_of(star.id).await.unwrap().len(), 10);
    let inside = store
        .hall_of_fame(Some(&star.region.sido()), None)
        .await
        .unwrap();
    assert_eq!(inside.len(), 1);
    let elsewhere = gachi_domain::kernel::region::RegionCode::parse("11", "r").unwrap();
    if !elsewhere.contains(&star.region) {
        assert!(
            store
                .hall_of_fame(Some(&elsewhere), None)
                .await
                .unwrap()
                .is_empty()
        );
    }
    let future = SalesInput {
        channel: "naver".into(),
        month: now.minus(-1).to_string(),
        sales_krw: Some(1),
        orders: Some(1),
    };
    assert!(matches!(
        results.report(&operator, &actor, star.id, &future).await,
        Err(ResultsError::Invalid(_))
    ));
    store
        .set_success_story(
            star.id,
            "시장 골목에서 전국으로",
            &actor.entry(clock.now(), "story", "", ""),
        )
        .await
        .unwrap();
    assert_eq!(
        store.hall_of_fame(None, None).await.unwrap()[0]
            .story
            .as_deref(),
        Some("시장 골목에서 전국으로")
    );

    // A lower threshold brings the other merchant in; the old one restores the list.
    assert_eq!(results.set_threshold(&actor, 4_000_000).await.unwrap(), 2);
    assert_eq!(
        store
            .hall_of_fame(None, None)
            .await
            .unwrap()
            .iter()
            .find(|m| m.merchant == star.id)
            .and_then(|m| m.story.clone())
            .as_deref(),
        Some("시장 골목에서 전국으로"),
        "stories survive a recompute"
    );
    assert_eq!(results.set_threshold(&actor, 100_000_000).await.unwrap(), 1);
    assert!(matches!(
        results.set_threshold(&actor, 0).await,
        Err(ResultsError::Invalid(_))
    ));
    let kpi = results.kpi(&operator, now.year, None).await.unwrap();
    let target = |key: &str| kpi.targets.iter().find(|(k, _)| *k == key).unwrap().1;
    let actual = |key: &str| kpi.actuals.iter().find(|(k, _)| *k == key).unwrap().1;
    assert_eq!(target("onboarded_merchants"), 100_000);
    assert_eq!(actual("hall_of_fame"), 1);
    assert!(actual("registered_merchants") >= 1);
    results
        .set_target(&operator, &actor, now.year, "onboarded_merchants", 5_000)
        .await
        .unwrap();
    let kpi = results.kpi(&operator, now.year, None).await.unwrap();
    assert_eq!(
        kpi.targets
            .iter()
            .find(|(k, _)| *k == "onboarded_merchants")
            .unwrap()
            .1,
        5_000
    );
}
