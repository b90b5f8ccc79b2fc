//! `gachi token …`: personal API tokens from the command line. A new token is printed alone on
//! standard output (for scripts) and its expiry on standard error; tokens are listed with when
//! each expires and was last used, and revoked by id or by name.

use anyhow::{Result, bail};
use clap::Subcommand;
use gachi_domain::accounts::{ApiTokenId, ListedApiToken, TokenChoice};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::Store;

use crate::{accounts, explain};

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for the account and print it (shown only this once).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// Days until it expires (default 90; 0: until revoked).
        #[arg(long)]
        days: Option<u32>,
    },
    /// List the account's tokens: id, name, created, expires, last used, status.
    List {
        #[arg(long)]
        email: String,
    },
    /// Revoke the account's token with this id, or every live token with this name.
    Revoke {
        #[arg(long)]
        email: String,
        #[arg(long, conflicts_with = "id", required_unless_present = "id")]
        name: Option<String>,
        #[arg(long)]
        id: Option<i64>,
    },
}

fn instant(at: Option<Timestamp>, otherwise: &str) -> String {
    at.map(|t| format!("{} KST", t.display_seoul()))
        .unwrap_or_else(|| otherwise.to_owned())
}

pub async fn run(store: &dyn Store, command: TokenCommand) -> Result<()> {
    let accounts = accounts(store);
    match command {
        TokenCommand::Create { email, name, days } => {
            let created = accounts
                .create_api_token(&email, &name, days, &Actor::system())
                .await
                .map_err(explain)?;
            println!("{}", created.token);
            eprintln!(
                "token {} \"{}\" for {email}: expires {}",
                created.info.id.0,
                created.info.name,
                instant(created.info.expires_at, "never (until revoked)")
            );
            Ok(())
        }
        TokenCommand::List { email } => {
            let (user, tokens) = accounts.api_tokens_of(&email).await.map_err(explain)?;
            if tokens.is_empty() {
                eprintln!("{} has no API tokens", user.email);
                return Ok(());
            }
            println!("id\tname\tcreated\texpires\tlast used\tstatus");
            for ListedApiToken { info, status } in &tokens {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    info.id.0,
                    info.name,
                    instant(Some(info.created_at), ""),
                    instant(info.expires_at, "never"),
                    instant(info.last_used_at, "never"),
                    status.as_str()
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { email, name, id } => {
            let which = match (id, name) {
                (Some(id), _) => TokenChoice::Id(ApiTokenId(id)),
                (None, Some(name)) => TokenChoice::Name(name),
                (None, None) => bail!("give --id or --name"),
            };
            let revoked = accounts
                .revoke_api_tokens_of(&email, &which, &Actor::system())
                .await
                .map_err(explain)?;
            println!(
                "revoked {revoked} token{}",
                if revoked == 1 { "" } else { "s" }
            );
            Ok(())
        }
    }
}
