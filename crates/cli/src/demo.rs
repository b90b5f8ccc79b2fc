//! The demo program: one account of each staff role and a merchant, with passwords made up now
//! and printed once. Only an empty database is seeded, so running it twice changes nothing.

use anyhow::Result;
use gachi_domain::accounts::AccountInput;
use gachi_domain::audit::Actor;
use gachi_domain::ports::Store;
use gachi_domain::secret;
use gachi_web::i18n::Tr;

/// (email, role, display name, region code)
const DEMO_ACCOUNTS: [(&str, &str, &str, &str); 6] = [
    ("admin@gachi.demo", "admin", "시스템 관리자", ""),
    ("operator@gachi.demo", "operator", "소상공인진흥 운영팀", ""),
    ("designer@gachi.demo", "designer", "김유통 설계사", ""),
    ("md@gachi.demo", "md", "박상품 MD", ""),
    (
        "jeonju@gachi.demo",
        "localgov",
        "전주시 소상공인과",
        "52110",
    ),
    ("hanok@gachi.demo", "merchant", "한옥식당 사장님", ""),
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

pub async fn seed(store: &dyn Store) -> Result<()> {
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
    Ok(())
}
