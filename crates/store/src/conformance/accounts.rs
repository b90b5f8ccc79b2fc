//! Accounts: sign-up once per e-mail with its audit row, sign-in and the lock after repeated
//! failures, sessions that slide and expire, API tokens that expire, are revoked and record their
//! last use, password changes that end the other sessions (and the tokens, when asked), and who
//! may create whom (roles, an officer's region, the language kept).

use gachi_domain::accounts::{
    API_TOKEN_TOUCH_SECONDS, AccountError, ApiTokenId, ApiTokenStatus,
    LOGIN_MAX_FAILURES_PER_ACCOUNT, Locale, Role, SESSION_IDLE_SECONDS, SESSION_TOUCH_SECONDS,
    TokenChoice,
};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::{Clock, Store};

use super::{ManualClock, accounts_on, input, operator};

/// A merchant signs up once per e-mail (any case), always as a merchant, with one audit row
/// naming the address it came from; the store answers a ping.
pub async fn users_are_created_once_and_audited(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::now());
    let accounts = accounts_on(store, &clock);
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
    store.ping().await.expect("ping");
}

/// Signing in starts a session; repeated failures lock the account (even against the right
/// password) until the failures are cleared.
pub async fn sign_in_starts_a_session_and_failures_lock_the_account(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::now());
    let accounts = accounts_on(store, &clock);
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

/// Use slides a session's idle expiry forward; idle too long or signed out, it is gone.
pub async fn sessions_slide_and_expire(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::now());
    let accounts = accounts_on(store, &clock);
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

/// An API token identifies its user only with its prefix; tokens are listed per user.
pub async fn api_tokens_identify_their_user(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::now());
    let accounts = accounts_on(store, &clock);
    let staff = accounts
        .create_user(
            None,
            &input("ops@program.kr", "operator", ""),
            &Actor::system(),
        )
        .await
        .unwrap();
    let token = accounts
        .create_api_token("ops@program.kr", "", None, &Actor::system())
        .await
        .unwrap()
        .token;
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
        .create_api_token("ghost@program.kr", "", None, &Actor::system())
        .await;
    assert!(matches!(missing, Err(AccountError::NotFound)));
}

/// An API token lasts 90 days unless made for another period (0 days: until revoked), records
/// its last use at most once a minute, and is refused once expired or revoked — at once, even
/// right after a request that would have put it in a cache. Its owner revokes one, staff revoke
/// all of an account's, the CLI revokes by name or id; each revocation is audited.
pub async fn api_tokens_expire_are_revoked_and_record_their_use(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::now());
    let accounts = accounts_on(store, &clock);
    let staff = operator(store).await;
    let owner = accounts
        .create_user(
            None,
            &input("ci@hanok.kr", "merchant", ""),
            &Actor::system(),
        )
        .await
        .unwrap();
    let owner_actor = Actor::user(owner.id, Some("10.0.0.20".into()));
    let made_at = clock.now();
    let create = |name: &'static str, days: Option<u32>| {
        let accounts = &accounts;
        async move {
            accounts
                .create_api_token("ci@hanok.kr", name, days, &Actor::system())
                .await
        }
    };
    let default = create("ci", None).await.unwrap();
    let week = create("week", Some(7)).await.unwrap();
    let forever = create("forever", Some(0)).await.unwrap();
    assert_eq!(
        default.info.expires_at,
        Some(made_at.plus_seconds(90 * 24 * 3600)),
        "90 days by default"
    );
    assert_eq!(
        week.info.expires_at,
        Some(made_at.plus_seconds(7 * 24 * 3600))
    );
    assert_eq!(forever.info.expires_at, None, "0 days: until revoked");
    let too_long = create("long", Some(100_000)).await;
    assert!(
        matches!(&too_long, Err(AccountError::Invalid(e)) if e.0[0].field == "days"),
        "{too_long:?}"
    );
    let listed = store.list_api_tokens(owner.id).await.unwrap();
    assert_eq!(
        listed,
        vec![
            default.info.clone(),
            week.info.clone(),
            forever.info.clone()
        ],
        "kept as made, oldest first, never used"
    );

    // The last use is recorded, but not again within the minute.
    let last_used = |id: ApiTokenId| async move {
        store
            .list_api_tokens(owner.id)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.id == id)
            .unwrap()
            .last_used_at
    };
    let first_use = clock.now();
    assert_eq!(
        accounts
            .api_user(&default.token)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(owner.id)
    );
    assert_eq!(last_used(default.info.id).await, Some(first_use));
    clock.advance_seconds(API_TOKEN_TOUCH_SECONDS - 1);
    assert!(accounts.api_user(&default.token).await.unwrap().is_some());
    assert_eq!(
        last_used(default.info.id).await,
        Some(first_use),
        "not written again within the minute"
    );
    clock.advance_seconds(1);
    assert!(accounts.api_user(&default.token).await.unwrap().is_some());
    assert_eq!(last_used(default.info.id).await, Some(clock.now()));

    // Expired: refused, whatever was looked up before.
    assert!(accounts.api_user(&week.token).await.unwrap().is_some());
    clock.advance_seconds(7 * 24 * 3600);
    assert!(
        accounts.api_user(&week.token).await.unwrap().is_none(),
        "expired after 7 days"
    );
    assert!(accounts.api_user(&default.token).await.unwrap().is_some());
    let week_listed = store.list_api_tokens(owner.id).await.unwrap()[1].clone();
    assert_eq!(week_listed.status(clock.now()), ApiTokenStatus::Expired);

    // Revoked by its owner: refused at once, though it was just looked up.
    assert!(accounts.api_user(&forever.token).await.unwrap().is_some());
    let someone_else = accounts
        .revoke_own_api_token(&staff, forever.info.id, &Actor::user(staff.id, None))
        .await;
    assert!(
        matches!(someone_else, Err(AccountError::NotFound)),
        "another account's token is not found: {someone_else:?}"
    );
    assert!(accounts.api_user(&forever.token).await.unwrap().is_some());
    let revoked_at = clock.now();
    accounts
        .revoke_own_api_token(&owner, forever.info.id, &owner_actor)
        .await
        .unwrap();
    assert!(
        accounts.api_user(&forever.token).await.unwrap().is_none(),
        "revoked: refused at once"
    );
    clock.advance_seconds(5);
    accounts
        .revoke_own_api_token(&owner, forever.info.id, &owner_actor)
        .await
        .expect("revoking twice is no error");
    let forever_listed = store.list_api_tokens(owner.id).await.unwrap()[2].clone();
    assert_eq!(
        (
            forever_listed.revoked_at,
            forever_listed.status(clock.now())
        ),
        (Some(revoked_at), ApiTokenStatus::Revoked),
        "kept, with its first revocation time"
    );

    // Staff revoke every token of an account; nobody else may.
    assert!(matches!(
        accounts
            .revoke_all_api_tokens(&owner, owner.id, &owner_actor)
            .await,
        Err(AccountError::Forbidden)
    ));
    assert!(matches!(
        accounts
            .revoke_all_api_tokens(&staff, gachi_domain::accounts::UserId(-1), &Actor::system())
            .await,
        Err(AccountError::NotFound)
    ));
    assert!(accounts.api_user(&default.token).await.unwrap().is_some());
    let all = accounts
        .revoke_all_api_tokens(&staff, owner.id, &Actor::user(staff.id, None))
        .await
        .unwrap();
    assert_eq!(all, 2, "the live token and the expired one");
    assert!(accounts.api_user(&default.token).await.unwrap().is_none());
    assert!(
        store
            .list_api_tokens(owner.id)
            .await
            .unwrap()
            .iter()
            .all(|t| t.status(clock.now()) == ApiTokenStatus::Revoked)
    );

    // The CLI revokes by name (every live token of it) or by id.
    let again = create("ci", Some(30)).await.unwrap();
    assert!(accounts.api_user(&again.token).await.unwrap().is_some());
    let by_name = accounts
        .revoke_api_tokens_of(
            "ci@hanok.kr",
            &TokenChoice::Name("ci".into()),
            &Actor::system(),
        )
        .await
        .unwrap();
    assert_eq!(by_name, 1, "the revoked token of that name is not counted");
    assert!(accounts.api_user(&again.token).await.unwrap().is_none());
    let by_id = create("build", None).await.unwrap();
    accounts
        .revoke_api_tokens_of(
            "ci@hanok.kr",
            &TokenChoice::Id(by_id.info.id),
            &Actor::system(),
        )
        .await
        .unwrap();
    assert!(accounts.api_user(&by_id.token).await.unwrap().is_none());
    let foreign = accounts
        .revoke_api_tokens_of(
            "ops@program.kr",
            &TokenChoice::Id(by_id.info.id),
            &Actor::system(),
        )
        .await;
    assert!(
        matches!(foreign, Err(AccountError::NotFound)),
        "{foreign:?}"
    );
    let unknown_name = accounts
        .revoke_api_tokens_of(
            "ci@hanok.kr",
            &TokenChoice::Name("nope".into()),
            &Actor::system(),
        )
        .await;
    assert!(matches!(unknown_name, Err(AccountError::NotFound)));

    let audit = store.recent_audit(50).await.unwrap();
    let subject = format!("user:{}", owner.id.0);
    let count = |action: &str| {
        audit
            .iter()
            .filter(|r| r.entry.action == action && r.entry.subject == subject)
            .count()
    };
    assert_eq!(count("token.create"), 5);
    assert_eq!(count("token.revoke"), 4, "owner twice, the CLI twice");
    assert_eq!(count("token.revoke_all"), 1);
    let own_revoke = audit
        .iter()
        .find(|r| r.entry.action == "token.revoke" && r.entry.actor == Some(owner.id))
        .expect("the owner's revocation is audited");
    assert_eq!(own_revoke.entry.ip.as_deref(), Some("10.0.0.20"));
    assert_eq!(
        own_revoke.entry.detail,
        format!("token={}", forever.info.id.0)
    );
}

/// Changing the password checks the current one and ends every other session.
pub async fn password_change_ends_other_sessions(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::now());
    let accounts = accounts_on(store, &clock);
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
    let token = accounts
        .create_api_token("change@hanok.kr", "script", None, &Actor::system())
        .await
        .unwrap()
        .token;
    assert!(accounts.api_user(&token).await.unwrap().is_some());

    let wrong = accounts
        .change_password(
            &user,
            phone_session.id,
            "not it",
            "새비밀번호123",
            true,
            &actor,
        )
        .await;
    assert!(matches!(&wrong, Err(AccountError::Invalid(e)) if e.0[0].field == "current_password"));
    let short = accounts
        .change_password(
            &user,
            phone_session.id,
            "전주한옥마을2026",
            "짧아",
            true,
            &actor,
        )
        .await;
    assert!(
        matches!(&short, Err(AccountError::Invalid(e)) if e.0[0].code == "error-password-short")
    );
    assert!(
        accounts.api_user(&token).await.unwrap().is_some(),
        "a refused change revokes nothing"
    );

    accounts
        .change_password(
            &user,
            phone_session.id,
            "전주한옥마을2026",
            "새비밀번호123",
            true,
            &actor,
        )
        .await
        .unwrap();
    assert!(
        accounts.api_user(&token).await.unwrap().is_none(),
        "the tokens were revoked with the change"
    );
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

/// An officer needs a region (old codes are kept as current ones), an operator may not create
/// an admin, and a language change is seen at once through sessions and tokens.
pub async fn roles_regions_and_locales_are_kept(store: &dyn Store) {
    let clock = ManualClock::new(Timestamp::now());
    let accounts = accounts_on(store, &clock);
    operator(store).await; // ops@program.kr creates the designer below
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
        .create_api_token("expert@program.kr", "", None, &Actor::system())
        .await
        .unwrap()
        .token;
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
