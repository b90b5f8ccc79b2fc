//! The storage conformance suite: the stories every backend must tell the same way, one file per
//! area. `tests/integration/store.rs` runs each story as its own named test, on a fresh SQLite
//! store always and on a fresh PostgreSQL schema when `GACHI_TEST_POSTGRES_URL` is set, so a
//! failure names the story and the backend. The stories go through the domain's use cases where
//! there is one, so they check what a user would notice, not only that rows come back.
//!
//! Every story is a `pub async fn(&dyn Store)` that needs nothing but an empty store: what it
//! reads and does not itself create (the operator, the shops) it makes first with the helpers
//! below, and a story that moves time makes its own [`ManualClock`].
//!
//! - [`accounts`]: sign-up, sign-in and its lock, sessions, API tokens, password changes, roles.
//! - [`merchants`]: the registry, its filters and pages, register imports, shipping templates.
//! - [`rounds`]: quotas, applications and decisions.
//! - [`onboarding`]: the board and its filters, bulk jobs.
//! - [`market_accounts`]: seller settings and sealed keys, submissions, hosted photos.
//! - [`categories`]: marketplace category trees, metadata and code tables.
//! - [`results`]: sales reports, the hall of fame, KPI targets.
//! - [`designers`]: certificates, delegations, profiles.
//! - [`discovery`]: the MD pool, what MDs see, picks and what accepting one does.
//! - [`expeditions`]: 원정대 events, from invitations to the timetable, outcomes and the report.

pub mod accounts;
pub mod categories;
pub mod designers;
pub mod discovery;
pub mod expeditions;
pub mod market_accounts;
pub mod merchants;
pub mod onboarding;
pub mod results;
pub mod rounds;

use std::sync::atomic::{AtomicI64, Ordering};

use async_trait::async_trait;
use gachi_domain::accounts::{AccountInput, Accounts, User};
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

/// The password of every account the suite makes.
const PASSWORD: &str = "전주한옥마을2026";

/// The e-mail of the program operator the stories act as.
const OPERATOR: &str = "ops@program.kr";

fn input(email: &str, role: &str, region: &str) -> AccountInput {
    AccountInput {
        email: email.into(),
        password: PASSWORD.into(),
        display_name: String::new(),
        role: role.into(),
        region_code: region.into(),
    }
}

/// The accounts use case on `store`, hashing inline, at `clock`'s time.
fn accounts_on<'a>(store: &'a dyn Store, clock: &'a ManualClock) -> Accounts<'a> {
    Accounts {
        store,
        hasher: &InlineHasher,
        clock,
    }
}

/// A new account of `role` (in `region`, for an officer), made by the system through the use
/// case, as the CLI makes one.
async fn user(store: &dyn Store, email: &str, role: &str, region: &str) -> User {
    let clock = ManualClock::new(Timestamp::now());
    accounts_on(store, &clock)
        .create_user(None, &input(email, role, region), &Actor::system())
        .await
        .unwrap_or_else(|e| panic!("set-up: create {email} ({role}): {e:?}"))
}

/// The program operator ([`OPERATOR`]) the stories act as.
async fn operator(store: &dyn Store) -> User {
    user(store, OPERATOR, "operator", "").await
}

/// The registry the stories after [`merchants::merchants`] work on, as that story leaves it:
/// 한옥식당 (registered by staff, 전주시 완산구 52111), then three prospects from the public store
/// register, 전주빵집 (전주시 덕진구 52113), 군산서점 (군산시 52130) and 종로떡집 (서울 종로구
/// 11110). Listed newest first, 종로떡집 comes first and 군산서점 is the first in another 시도.
async fn shops(store: &dyn Store) {
    use gachi_domain::merchants::merchant::{MerchantInput, MerchantSource, MerchantStatus};
    use gachi_domain::merchants::register::{Columns, OFFICIAL_HEADER, RowSchema};

    let actor = Actor::system();
    let now = Timestamp::now();
    let fields = MerchantInput {
        name: "한옥식당".into(),
        business_number: "220-81-62517".into(),
        phone: "063-123-4567".into(),
        region_code: "52111".into(),
        industry_code: "I20101".into(),
        ..MerchantInput::default()
    }
    .validate(true)
    .unwrap();
    store
        .create_merchant(
            &fields,
            MerchantStatus::Registered,
            MerchantSource::Staff,
            None,
            &actor.entry(now, "merchant.create", "", ""),
        )
        .await
        .expect("set-up: create 한옥식당");

    let columns = Columns::from_header(&OFFICIAL_HEADER).unwrap();
    let records: Vec<_> = [
        ("R1", "전주빵집", "52113", "I21001"),
        ("R2", "군산서점", "52130", "G21501"),
        ("R3", "종로떡집", "11110", "I21001"),
    ]
    .iter()
    .map(|(id, name, sigungu, industry)| {
        let mut row = vec![""; 39];
        row[0] = id;
        row[1] = name;
        row[7] = industry;
        row[13] = sigungu;
        columns.parse(&row).unwrap()
    })
    .collect();
    let counts = store
        .upsert_store_records(
            &records,
            1,
            &actor.entry(now, "merchant.import", "register", ""),
        )
        .await
        .expect("set-up: import the register rows");
    assert_eq!(counts.imported, 3, "set-up: {counts:?}");
}
