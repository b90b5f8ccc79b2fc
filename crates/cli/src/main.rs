//! `gachi`: the one binary. Serves the platform, migrates, manages accounts and tokens, backs up,
//! and seeds a demo program. With no `--database-url` everything lives in embedded SQLite under
//! `--data-dir` (default `./gachi-data`).

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand};
use gachi_domain::accounts::{AccountError, AccountInput, Accounts, Locale};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::ports::{Store, SystemClock};
use gachi_store::{Location, SqliteStore};
use gachi_web::i18n::Tr;
use gachi_web::{AppState, BlockingHasher, WebConfig};

mod certificates;
mod channels;
mod demo;
mod demo_community;
mod demo_discovery;
mod demo_live;
mod designers;
mod import;
mod listing;
mod live;
mod products;
mod sales;
mod sheet;
mod tokens;

#[derive(Parser)]
#[command(
    name = "gachi",
    version,
    about = "가치 Gachi — takes small merchants online"
)]
struct Cli {
    /// Where the embedded SQLite database lives (ignored with --database-url).
    #[arg(
        long,
        global = true,
        env = "GACHI_DATA_DIR",
        default_value = "./gachi-data"
    )]
    data_dir: PathBuf,
    /// A postgres:// URL to run on PostgreSQL instead of SQLite.
    #[arg(
        long,
        global = true,
        env = "GACHI_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// The key designer certificates are signed with (32 bytes, base64). Without it one is made
    /// once and kept in DATA_DIR/issuer.key.
    #[arg(long, global = true, env = "GACHI_ISSUER_KEY", hide_env_values = true)]
    issuer_key: Option<String>,
    /// The issuing body's name, printed on certificates and written into them.
    #[arg(
        long,
        global = true,
        env = "GACHI_ISSUER_NAME",
        default_value = "가치 디지털 유통설계사 자격 운영기관"
    )]
    issuer_name: String,
    /// The 민간자격 registration number (자격기본법) printed with every certificate, once the
    /// qualification is registered.
    #[arg(
        long,
        global = true,
        env = "GACHI_QUALIFICATION_REGISTRATION",
        default_value = ""
    )]
    qualification_registration: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and the API.
    Serve {
        #[arg(long, env = "GACHI_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Fill an empty database with the demo program first (prints the demo passwords once).
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure: set this when serving behind HTTPS.
        #[arg(long, env = "GACHI_SECURE_COOKIES")]
        secure_cookies: bool,
        /// The key that seals marketplace API keys (32 bytes, base64). Without it one is made
        /// once and kept in DATA_DIR/secret.key.
        #[arg(long, env = "GACHI_SECRET_KEY", hide_env_values = true)]
        secret_key: Option<String>,
        /// A marketplace API root to use instead of the production one, as CHANNEL=URL
        /// (e.g. naver=http://127.0.0.1:9001 for a contract server); repeatable.
        #[arg(long = "market-url", value_parser = key_value)]
        market_urls: Vec<(String, String)>,
        /// The address marketplaces reach this server at (e.g. https://gachi.example.kr),
        /// put before stored photos' paths when they are sent. Without it Coupang, 11st and
        /// ESM, which download photos, report that it must be set.
        #[arg(long, env = "GACHI_PUBLIC_URL", default_value = "")]
        public_url: String,
        /// Lets a client on another machine (Prometheus) read /metrics by sending
        /// `Authorization: Bearer TOKEN`. Without it /metrics answers loopback clients only.
        #[arg(long, env = "GACHI_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        /// API writes (POST, PUT, PATCH, DELETE) one account may make a second, after a burst
        /// of 20 seconds' worth; beyond it a 429 with Retry-After. 0 turns the limit off.
        #[arg(long, env = "GACHI_API_WRITES_PER_SECOND", default_value_t = 50)]
        api_writes_per_second: u32,
        /// An SMTP relay (smtp://host:port, plain SMTP without login) to send the community's
        /// daily digest through. Without it no mail is written or sent.
        #[arg(long, env = "GACHI_SMTP_URL")]
        smtp_url: Option<String>,
        /// Who the mail comes from: an address, or `Name <address>`.
        #[arg(
            long,
            env = "GACHI_MAIL_FROM",
            default_value = "가치 <no-reply@localhost>"
        )]
        mail_from: String,
    },
    /// Create or update the database schema, then exit.
    Migrate,
    /// Fill an empty database with the demo program (prints the demo passwords once).
    Demo,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage personal API tokens.
    Token {
        #[command(subcommand)]
        command: tokens::TokenCommand,
    },
    /// Import data files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// The MD pool's search index (DATA_DIR/search/pool).
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// Sales reports in bulk.
    Sales {
        #[command(subcommand)]
        command: SalesCommand,
    },
    /// 가치데이 live commerce.
    Live {
        #[command(subcommand)]
        command: LiveCommand,
    },
    /// Marketplace reference data: category trees, category metadata, notice code tables.
    Channels {
        #[command(subcommand)]
        command: channels::ChannelsCommand,
    },
    /// Marketplace listings: compile a product file for a marketplace.
    Listing {
        #[command(subcommand)]
        command: ListingCommand,
    },
    /// Product files v1 in bulk.
    Products {
        #[command(subcommand)]
        command: ProductsCommand,
    },
    /// 디지털 유통설계사: matching managed-track merchants to certified designers.
    Designers {
        #[command(subcommand)]
        command: designers::DesignersCommand,
    },
    /// 디지털 유통설계사 certificates: verify a downloaded one offline, or issue one.
    Certificates {
        #[command(subcommand)]
        command: certificates::CertificatesCommand,
    },
    /// Write a consistent copy of the database to PATH while Gachi runs
    /// (SQLite: VACUUM INTO; PostgreSQL: pg_dump --format=custom).
    Backup { path: PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// merchant, designer, md, operator, localgov or admin.
        #[arg(long)]
        role: String,
        /// 시도 (2 digits) or 시군구 (5 digits) code; required for localgov.
        #[arg(long, default_value = "")]
        region: String,
        #[arg(long, default_value = "")]
        name: String,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// The 소상공인시장진흥공단 상가(상권)정보 register (39 columns, comma or pipe, UTF-8 or CP949, old
    /// or new industry codes) as prospects. Bad rows go to FILE.rejected.csv; re-running is safe.
    Stores {
        file: PathBuf,
        /// Override the detected encoding.
        #[arg(long, value_enum)]
        encoding: Option<import::Encoding>,
    },
    /// A business licence list (인허가 데이터, e.g. a city's 휴게음식점 list; LOCALDATA column
    /// names by default) as prospects: the region is read from the address, the industry from
    /// 업태구분. Bad rows go to FILE.rejected.csv; re-running is safe.
    Licences {
        file: PathBuf,
        #[arg(long, value_enum)]
        encoding: Option<import::Encoding>,
        /// Column names of this file: FIELD=HEADER, fields name, kind, phone, road_address,
        /// lot_address, licensed_on, longitude, latitude (e.g. --map name=상호).
        #[arg(long = "map", value_parser = key_value)]
        map: Vec<(String, String)>,
        /// 업태구분 → 상권업종 code, added to the built-in 휴게음식점 mapping (e.g. --industry-map 극장=R10402).
        #[arg(long = "industry-map", value_parser = key_value)]
        industry_map: Vec<(String, String)>,
        /// The 상권업종 code for every 업태구분 not mapped (otherwise such rows are rejected).
        #[arg(long)]
        default_industry: Option<String>,
    },
}

/// Parses `KEY=VALUE`.
fn key_value(input: &str) -> Result<(String, String), String> {
    input
        .split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .ok_or_else(|| format!("expected KEY=VALUE, got {input}"))
}

#[derive(Subcommand)]
enum ProductsCommand {
    /// Import products for a merchant from a JSON array of product files, or from the product
    /// spreadsheet (.xlsx, or .csv in UTF-8 or CP949). A sku the shop has is updated. Bad items go
    /// to FILE.rejected.csv with item number or line, field and reason.
    Import {
        file: PathBuf,
        #[arg(long)]
        merchant: i64,
    },
    /// Write the product spreadsheet template: .xlsx (with a sheet explaining each column) or
    /// .csv (header only, UTF-8 with BOM). --notice adds the columns of a notice type.
    Template {
        #[arg(long, default_value = "products-template.xlsx")]
        output: PathBuf,
        /// A notice type (GENERAL_FOOD, 가공식품, WEAR, …) whose items get columns.
        #[arg(long)]
        notice: Option<String>,
    },
    /// Write a merchant's products as a JSON array of product files (to --output or stdout).
    Export {
        #[arg(long)]
        merchant: i64,
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Rebuilds the index from the database (the server rebuilds it at every start too; run
    /// this while the server is stopped, or after copying a database in).
    Reindex,
}

#[derive(Subcommand)]
enum LiveCommand {
    /// Import broadcast results from a live platform's export (CSV in UTF-8 or CP949, or
    /// .xlsx); columns: broadcast_id, channel, viewers, peak_viewers, likes, orders, sales_krw
    /// and optionally product_id, chats (Korean headers too). Bad rows are reported by line
    /// and go to FILE.rejected.csv; fails only when nothing could be imported.
    ImportResults {
        file: PathBuf,
        /// The operator account importing (named in the audit).
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
enum SalesCommand {
    /// Change the hall-of-fame threshold (KRW over the trailing 12 months) and recompute the
    /// members.
    Threshold { krw: i64 },
    /// Import monthly online sales from a settlement file (CSV in UTF-8 or CP949, or .xlsx);
    /// columns: 사업자등록번호 (or merchant_id), 마켓, 월, 매출, 주문수. Bad rows go to
    /// FILE.rejected.csv with their line; a file without those columns is refused whole.
    Import {
        file: PathBuf,
        /// The operator account importing (named in the audit and the correction history).
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
enum ListingCommand {
    /// Print a product's payload for one marketplace (exit 0), or its errors as JSON (exit 1).
    Compile(listing::CompileArgs),
    /// Compile and send to the marketplace; prints the outcome and every attempt (exit 1 unless
    /// the marketplace holds the product).
    Submit(listing::SubmitArgs),
}

fn cli_locale() -> Tr {
    let lang = std::env::var("GACHI_LANG")
        .or_else(|_| std::env::var("LANG"))
        .unwrap_or_default();
    Tr(if lang.starts_with("en") {
        Locale::En
    } else {
        Locale::Ko
    })
}

/// A use-case error as a message for the terminal.
pub(crate) fn explain(error: AccountError) -> anyhow::Error {
    let t = cli_locale();
    match error {
        AccountError::Invalid(errors) => {
            let lines: Vec<String> = errors
                .0
                .iter()
                .map(|e| format!("  {}: {}", e.field, t.get(e.code)))
                .collect();
            anyhow::anyhow!("{}\n{}", t.get("form-has-errors"), lines.join("\n"))
        }
        AccountError::EmailTaken => anyhow::anyhow!("email: {}", t.get("error-email-taken")),
        AccountError::NotFound => anyhow::anyhow!("{}", t.get("error-not-found")),
        other => anyhow::anyhow!(other.to_string()),
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GACHI_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let location = Location::from_args(cli.database_url.as_deref(), &cli.data_dir)?;
    let issuer_settings = certificates::IssuerSettings {
        key: cli.issuer_key.clone(),
        name: cli.issuer_name.clone(),
        registration: cli.qualification_registration.clone(),
    };
    match cli.command {
        Command::Serve {
            bind,
            demo,
            secure_cookies,
            secret_key,
            market_urls,
            public_url,
            metrics_token,
            api_writes_per_second,
            smtp_url,
            mail_from,
        } => {
            let store = open(&location).await?;
            let issuer = certificates::issuer(&issuer_settings, &cli.data_dir)?;
            if demo {
                demo::seed(
                    store.as_ref(),
                    &issuer,
                    &issuer_settings.registration,
                    &cli.data_dir.join("media"),
                )
                .await?;
            }
            let secret_box = secret_box(secret_key.as_deref(), &cli.data_dir)?;
            for (channel, _) in &market_urls {
                if gachi_domain::kernel::channel::Channel::parse(channel).is_none() {
                    bail!(
                        "--market-url {channel}=…: the channel is one of naver, coupang, 11st, esm"
                    );
                }
            }
            if !public_url.is_empty() && !gachi_domain::kernel::text::is_web_url(&public_url) {
                bail!("--public-url {public_url}: give the address with http:// or https://");
            }
            let metrics_token = metrics_token.filter(|t| !t.is_empty());
            if let Some(token) = &metrics_token
                && (token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()))
            {
                bail!(
                    "--metrics-token: give at least 16 visible characters without spaces (e.g. from `openssl rand -hex 32`)"
                );
            }
            let mailer = match smtp_url.filter(|u| !u.trim().is_empty()) {
                Some(_) if public_url.is_empty() => bail!(
                    "--smtp-url needs --public-url: links in mail must point at this server's public address"
                ),
                Some(url) => Some(
                    gachi_mail::SmtpMailer::new(&url, &mail_from)
                        .map_err(|e| anyhow::anyhow!("--smtp-url/--mail-from: {e}"))?,
                ),
                None => None,
            };
            let config = WebConfig {
                secure_cookies,
                secret_box: Some(secret_box),
                market_urls: market_urls.into_iter().collect(),
                media_dir: Some(cli.data_dir.join("media")),
                public_url,
                issuer: Some(issuer),
                qualification_registration: issuer_settings.registration.clone(),
                metrics_token: metrics_token.and_then(gachi_web::metrics::MetricsToken::new),
                api_writes_per_second,
                mail_enabled: mailer.is_some(),
            };
            serve(store, bind, config, &cli.data_dir, mailer).await
        }
        Command::Search {
            command: SearchCommand::Reindex,
        } => {
            let store = open(&location).await?;
            let index = open_pool_index(&cli.data_dir)?;
            let started = std::time::Instant::now();
            let count = gachi_domain::discovery::Discovery {
                store: store.as_ref(),
                clock: &SystemClock,
                index: &index,
            }
            .rebuild_index()
            .await
            .map_err(|e| anyhow::anyhow!("rebuilding the pool index: {e}"))?;
            println!(
                "search index rebuilt: {count} pooled products in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Migrate => {
            open(&location).await?;
            println!("database is up to date ({})", describe(&location));
            Ok(())
        }
        Command::Demo => {
            let issuer = certificates::issuer(&issuer_settings, &cli.data_dir)?;
            demo::seed(
                open(&location).await?.as_ref(),
                &issuer,
                &issuer_settings.registration,
                &cli.data_dir.join("media"),
            )
            .await
        }
        Command::Certificates {
            command: certificates::CertificatesCommand::Verify { file },
        } => {
            // This server's key, when it has one, tells whether it made the certificate; a
            // verifier elsewhere needs nothing but the file.
            let ours = (issuer_settings.key.is_some() || cli.data_dir.join("issuer.key").exists())
                .then(|| certificates::issuer(&issuer_settings, &cli.data_dir))
                .transpose()?;
            certificates::verify(&file, ours.as_ref())
        }
        Command::Designers {
            command: designers::DesignersCommand::Match { sido, dry_run },
        } => {
            let store = open(&location).await?;
            designers::run_match(store.as_ref(), sido.as_deref(), dry_run, cli_locale()).await
        }
        Command::Certificates {
            command: certificates::CertificatesCommand::Issue { email, level },
        } => {
            let store = open(&location).await?;
            let issuer = certificates::issuer(&issuer_settings, &cli.data_dir)?;
            certificates::issue(store.as_ref(), &issuer, &issuer_settings, &email, &level).await
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    role,
                    region,
                    name,
                },
        } => {
            let store = open(&location).await?;
            let password = read_password()?;
            let input = AccountInput {
                email,
                password,
                display_name: name,
                role,
                region_code: region,
            };
            let user = accounts(store.as_ref())
                .create_user(None, &input, &Actor::system())
                .await
                .map_err(explain)?;
            println!(
                "created {} ({}) id={}",
                user.email,
                user.role.as_str(),
                user.id.0
            );
            Ok(())
        }
        Command::Token { command } => {
            let store = open(&location).await?;
            tokens::run(store.as_ref(), command).await
        }
        Command::Import { command } => {
            let (file, encoding, schema): (PathBuf, _, import::SchemaFromHeader) = match command {
                ImportCommand::Stores { file, encoding } => (
                    file,
                    encoding,
                    Box::new(|header: &[&str]| {
                        gachi_domain::merchants::register::Columns::from_header(header).map(|c| {
                            Box::new(c) as Box<dyn gachi_domain::merchants::register::RowSchema>
                        })
                    }),
                ),
                ImportCommand::Licences {
                    file,
                    encoding,
                    map,
                    industry_map,
                    default_industry,
                } => {
                    let headers = gachi_domain::merchants::licence::LicenceHeaders::default()
                        .with_mapping(&map)
                        .map_err(|e| anyhow::anyhow!(e))?;
                    (
                        file,
                        encoding,
                        Box::new(move |header: &[&str]| {
                            gachi_domain::merchants::licence::LicenceSchema::from_header(
                                header,
                                &headers,
                                &industry_map,
                                default_industry.as_deref(),
                            )
                            .map(|c| {
                                Box::new(c) as Box<dyn gachi_domain::merchants::register::RowSchema>
                            })
                        }),
                    )
                }
            };
            let store = open(&location).await?;
            let summary =
                import::import_file(store.as_ref(), &file, encoding, schema, cli_locale()).await?;
            let c = summary.counts;
            println!(
                "imported {}, updated {}, unchanged {}, rejected {}",
                c.imported, c.updated, c.unchanged, summary.rejected
            );
            Ok(())
        }
        Command::Products {
            command: ProductsCommand::Import { file, merchant },
        } => {
            let store = open(&location).await?;
            let s = products::import(store.as_ref(), &file, merchant, cli_locale()).await?;
            println!(
                "created {}, updated {}, rejected {}",
                s.created, s.updated, s.rejected
            );
            Ok(())
        }
        Command::Products {
            command: ProductsCommand::Template { output, notice },
        } => {
            products::template(&output, notice.as_deref())?;
            println!("wrote {}", output.display());
            Ok(())
        }
        Command::Products {
            command: ProductsCommand::Export { merchant, output },
        } => {
            let store = open(&location).await?;
            let count = products::export(store.as_ref(), merchant, output.as_deref()).await?;
            if output.is_some() {
                println!("exported {count} products");
            }
            Ok(())
        }
        Command::Backup { path } => backup(&location, &path).await,
        Command::Sales {
            command: SalesCommand::Import { file, by },
        } => {
            let store = open(&location).await?;
            let by = match by {
                Some(email) => Some(
                    store
                        .user_by_email(&email)
                        .await?
                        .with_context(|| format!("no account {email}"))?,
                ),
                None => None,
            };
            let summary = sales::import(store.as_ref(), by.as_ref(), &file, cli_locale()).await?;
            println!(
                "imported {}, rejected {} (see {})",
                summary.imported,
                summary.rejected,
                sheet::rejected_path(&file).display()
            );
            Ok(())
        }
        Command::Live {
            command: LiveCommand::ImportResults { file, by },
        } => {
            let store = open(&location).await?;
            let by = match by {
                Some(email) => Some(
                    store
                        .user_by_email(&email)
                        .await?
                        .with_context(|| format!("no account {email}"))?,
                ),
                None => None,
            };
            let state = AppState::new(
                store,
                WebConfig {
                    media_dir: Some(cli.data_dir.join("media")),
                    ..WebConfig::default()
                },
            );
            let summary =
                live::import_results(&state.live(), by.as_ref(), &file, cli_locale()).await?;
            println!(
                "imported {}, rejected {} (see {})",
                summary.imported,
                summary.rejected,
                sheet::rejected_path(&file).display()
            );
            if summary.imported == 0 {
                bail!("nothing could be imported from {}", file.display());
            }
            Ok(())
        }
        Command::Sales {
            command: SalesCommand::Threshold { krw },
        } => {
            let store = open(&location).await?;
            let members = gachi_domain::results::Results {
                store: store.as_ref(),
                clock: &SystemClock,
            }
            .set_threshold(&Actor::system(), krw)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("threshold {krw} KRW: {members} merchants in the hall of fame");
            Ok(())
        }
        Command::Channels { command } => {
            let store = open(&location).await?;
            channels::run(store.as_ref(), command).await
        }
        Command::Listing {
            command: ListingCommand::Compile(args),
        } => {
            if !listing::compile(&args, cli_locale())? {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Listing {
            command: ListingCommand::Submit(args),
        } => {
            if !listing::submit(&args, cli_locale()).await? {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}

/// The account use cases for a command (hashing on the blocking pool, the wall clock).
pub fn accounts(store: &dyn Store) -> Accounts<'_> {
    Accounts {
        store,
        hasher: &BlockingHasher,
        clock: &SystemClock,
    }
}

fn describe(location: &Location) -> String {
    match location {
        Location::SqliteDir(dir) => format!("SQLite in {}", dir.display()),
        Location::Postgres(url) => format!("PostgreSQL at {}", gachi_store::redact(url)),
    }
}

async fn open(location: &Location) -> Result<Arc<dyn Store>> {
    gachi_store::open(location)
        .await
        .with_context(|| format!("opening {}", describe(location)))
}

/// One line from standard input, without its line ending.
fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password: ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!(
            "no password on standard input: pipe it in, e.g. `echo '...' | gachi user create ...`"
        );
    }
    Ok(password)
}

/// Makes the key file at `path` holding `contents` when there is none yet (readable by the owner
/// only), saying so on stderr with `what` and `advice`; an existing file is left as it is.
pub(crate) fn key_file_once(path: &Path, contents: &str, what: &str, advice: &str) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    writeln!(file, "{contents}")?;
    eprintln!("{what}: {} ({advice})", path.display());
    Ok(())
}

/// The key sealing marketplace API keys: given, or kept in DATA_DIR/secret.key (made once,
/// readable by the owner only).
fn secret_box(
    given: Option<&str>,
    data_dir: &Path,
) -> Result<gachi_domain::kernel::secret::SecretBox> {
    use gachi_domain::kernel::secret::SecretBox;
    if let Some(key) = given.filter(|k| !k.trim().is_empty()) {
        return SecretBox::from_base64(key).context(
            "GACHI_SECRET_KEY must be 32 bytes in base64 (e.g. from `openssl rand -base64 32`)",
        );
    }
    let path = data_dir.join("secret.key");
    key_file_once(
        &path,
        &SecretBox::generate_key(),
        "made a new key for marketplace API keys",
        "back it up with the database",
    )?;
    let key =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    SecretBox::from_base64(&key)
        .with_context(|| format!("{} does not hold a valid key", path.display()))
}

/// The MD pool's search index on disk, under the data folder.
fn open_pool_index(data_dir: &Path) -> Result<gachi_search::PoolSearch> {
    let dir = data_dir.join("search").join("pool");
    gachi_search::PoolSearch::open(&dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))
}

/// The community's search index on disk, under the data folder.
fn open_post_index(data_dir: &Path) -> Result<gachi_search::PostSearch> {
    let dir = data_dir.join("search").join("posts");
    gachi_search::PostSearch::open(&dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))
}

async fn serve(
    store: Arc<dyn Store>,
    bind: SocketAddr,
    config: WebConfig,
    data_dir: &Path,
    mailer: Option<gachi_mail::SmtpMailer>,
) -> Result<()> {
    let backend = store.backend();
    // Expired sessions are removed hourly so the table does not grow without bound.
    let purge_store = store.clone();
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            let now = gachi_domain::ports::Clock::now(&SystemClock);
            if let Err(error) = purge_store.purge_expired_sessions(now).await {
                tracing::warn!(%error, "could not purge expired sessions");
            }
        }
    });
    // Bulk jobs run inside the server: any still marked running were cut off by a stop.
    let now = gachi_domain::ports::Clock::now(&SystemClock);
    match store.interrupt_bulk_jobs(now).await {
        Ok(0) => {}
        Ok(count) => tracing::warn!(
            count,
            "bulk jobs left running by the last stop are marked interrupted"
        ),
        Err(error) => tracing::warn!(%error, "could not mark interrupted bulk jobs"),
    }
    let state = AppState::with_indexes(
        store,
        config,
        Arc::new(open_pool_index(data_dir)?),
        Arc::new(open_post_index(data_dir)?),
    );
    // The index is a cache of the pool: brought up to date with changes other processes made
    // (imports, another server) while this one serves.
    let rebuild = state.clone();
    tokio::spawn(async move {
        match rebuild.discovery().rebuild_index().await {
            Ok(count) => tracing::info!(count, "pool search index rebuilt"),
            Err(error) => tracing::warn!(%error, "could not rebuild the pool search index"),
        }
        match rebuild.community().rebuild_index().await {
            Ok(count) => tracing::info!(count, "community search index rebuilt"),
            Err(error) => tracing::warn!(%error, "could not rebuild the community search index"),
        }
    });
    // Questions nobody answered for a few hours go to owners who solved the same problem.
    let router = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            every.tick().await;
            match router.community().route_unanswered().await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "community questions routed"),
                Err(error) => tracing::warn!(%error, "could not route community questions"),
            }
        }
    });
    // With a mail relay: the daily digest at 08:00 (Seoul) and the outbox every minute.
    if let Some(mailer) = mailer {
        let mail_state = state.clone();
        tokio::spawn(async move { send_mail(mail_state, mailer).await });
    }
    let app = gachi_web::app(state);
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding {bind}"))?;
    let address = listener.local_addr()?;
    println!("가치 Gachi is serving on http://{address} ({backend})");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    println!("stopped");
    Ok(())
}

/// The hour (Seoul) the daily digest is written.
const DIGEST_HOUR: i64 = 8;

/// Writes the daily digest once a day from `DIGEST_HOUR` and hands the outbox to the relay every
/// minute. Digests mark what they mailed, so a restart on the same day mails only what is new.
async fn send_mail(state: AppState, mailer: gachi_mail::SmtpMailer) {
    let writer = gachi_web::digest::MailDigest {
        public_url: state.config().public_url.clone(),
    };
    let mut digest_day = None;
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        let now = gachi_domain::ports::Clock::now(&SystemClock);
        let seoul_ms = now.unix_ms() + 9 * 3_600_000;
        let (day, hour) = (
            seoul_ms.div_euclid(86_400_000),
            seoul_ms.rem_euclid(86_400_000) / 3_600_000,
        );
        if hour >= DIGEST_HOUR && digest_day != Some(day) {
            match state.community().queue_digests(&writer).await {
                Ok(count) => {
                    digest_day = Some(day);
                    if count > 0 {
                        tracing::info!(count, "community digests queued");
                    }
                }
                Err(error) => tracing::warn!(%error, "could not queue the community digests"),
            }
        }
        match state.outbox(&mailer).deliver_due().await {
            Ok(done) if done.sent + done.failed > 0 => {
                tracing::info!(
                    sent = done.sent,
                    failed = done.failed,
                    "mail handed to the relay"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "could not read the mail outbox"),
        }
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

async fn backup(location: &Location, target: &Path) -> Result<()> {
    if target.exists() {
        bail!(
            "{} already exists: choose a new file name",
            target.display()
        );
    }
    match location {
        Location::SqliteDir(dir) => {
            let store = SqliteStore::open_dir(dir).await?;
            store.backup_to(target).await?;
        }
        Location::Postgres(url) => {
            let status = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--file")
                .arg(target)
                .arg(url)
                .status()
                .await
                .context("running pg_dump (install the PostgreSQL client tools, Debian package postgresql-client)")?;
            if !status.success() {
                bail!("pg_dump failed ({status})");
            }
        }
    }
    println!("backup written to {}", target.display());
    Ok(())
}
