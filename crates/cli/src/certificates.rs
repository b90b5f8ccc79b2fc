//! `gachi certificates …`: the issuing body's key (made once, kept in DATA_DIR/issuer.key unless
//! `GACHI_ISSUER_KEY` gives it), issuing a certificate from the command line, and verifying a
//! downloaded credential offline — its signature by the W3C algorithm, its period, and whether
//! this server's key made it when this server's key is at hand.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use clap::Subcommand;
use gachi_domain::designers::credential::Issuer;
use gachi_domain::designers::{Certificates, Level, verify_offline};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::time::Timestamp;
use gachi_domain::ports::{Store, SystemClock};

#[derive(Subcommand)]
pub enum CertificatesCommand {
    /// Verify a downloaded certificate (the JSON credential) offline; exits 1 naming why it
    /// does not hold.
    Verify { file: PathBuf },
    /// Issue a certificate to a designer account.
    Issue {
        #[arg(long)]
        email: String,
        /// 2 or 1 (2급, 1급).
        #[arg(long, default_value = "2")]
        level: String,
    },
}

/// Who issues certificates and what the printed certificate states.
pub struct IssuerSettings {
    pub key: Option<String>,
    pub name: String,
    pub registration: String,
}

/// The issuing body: the key given (32 bytes, base64), or the one kept in DATA_DIR/issuer.key,
/// made once when there is none.
pub fn issuer(settings: &IssuerSettings, data_dir: &Path) -> Result<Issuer> {
    let decode = |text: &str| -> Result<[u8; 32]> {
        STANDARD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes.as_slice()).ok())
            .context(
                "the issuer key must be 32 bytes in base64 (e.g. from `openssl rand -base64 32`)",
            )
    };
    if let Some(key) = settings.key.as_deref().filter(|k| !k.trim().is_empty()) {
        return Ok(Issuer::from_seed(decode(key)?, &settings.name));
    }
    let path = data_dir.join("issuer.key");
    crate::key_file_once(
        &path,
        &STANDARD.encode(Issuer::new_seed()),
        "made the certificate issuer's key",
        "back it up: certificates are signed with it",
    )?;
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let seed =
        decode(&text).with_context(|| format!("{} does not hold a valid key", path.display()))?;
    Ok(Issuer::from_seed(seed, &settings.name))
}

/// Verifies `file`: prints what holds and exits 0, or names why not and fails.
pub fn verify(file: &Path, this_server: Option<&Issuer>) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let document: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))?;
    match verify_offline(&document, Timestamp::now()) {
        Ok(verified) => {
            println!(
                "valid: {} {} ({})",
                verified.title, verified.number, verified.holder_name
            );
            println!("  issuer: {}", verified.issuer);
            if let Some(until) = verified.valid_until {
                println!("  valid until: {}", until.display_seoul());
            }
            match this_server {
                Some(issuer) if issuer.did() == verified.issuer => {
                    println!("  signed with this server's issuer key")
                }
                Some(_) => println!("  note: signed by another issuer than this server's key"),
                None => {}
            }
            println!(
                "  revocation is published in the issuer's status list ({}), not checked offline",
                document["credentialStatus"]["statusListCredential"]
                    .as_str()
                    .unwrap_or("none given")
            );
            Ok(())
        }
        Err(why) => {
            // The verdict is the answer, not a failure of the command: said plainly, exit 1.
            eprintln!("not valid: {why}");
            std::process::exit(1);
        }
    }
}

/// Issues a certificate of `level` to the designer `email` as the system.
pub async fn issue(
    store: &dyn Store,
    issuer: &Issuer,
    settings: &IssuerSettings,
    email: &str,
    level: &str,
) -> Result<()> {
    let level = Level::parse(level, "level").map_err(|_| anyhow::anyhow!("--level is 2 or 1"))?;
    let holder = store
        .user_by_email(&email.trim().to_lowercase())
        .await?
        .with_context(|| format!("no account {email}"))?;
    let certificates = Certificates {
        store,
        clock: &SystemClock,
        issuer: Some(issuer),
        base_url: "",
        registration: &settings.registration,
    };
    let certificate = certificates
        .issue_as(&Actor::system(), holder.id, level)
        .await
        .map_err(|e| anyhow::anyhow!("{email}: {e}"))?;
    println!(
        "issued {} ({}) to {}",
        certificate.number,
        level.title(),
        certificate.holder_name
    );
    Ok(())
}
