//! `gachi listing compile --channel C PRODUCT.json`: a product file compiled into a marketplace's
//! payload, printed (JSON; XML for 11st) with exit status 0, or its errors printed as
//! `{"errors":[{"channel","field","code","message","hint","target"}]}` with exit status 1.
//! `gachi listing submit …` compiles the same way and sends the payload to the marketplace (or a
//! contract server at `--base-url`), printing the submission: outcome and every attempt.
//! Seller settings, Coupang category metadata and the unpublished notice code tables are read
//! from files given as options; without them the adapters say what is missing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use gachi_channels::listing::{CoupangCategoryMeta, NoticeCodes, SellerSettings};
use gachi_channels::submit::{Credentials, SubmitConfig, Submitter};
use gachi_channels::{Context, Issue};
use gachi_domain::catalog::product::ProductFile;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::{KnownPhotos, Outcome};
use gachi_web::i18n::Tr;
use serde::de::DeserializeOwned;

#[derive(clap::Args)]
pub struct CompileArgs {
    /// naver, coupang, 11st or esm.
    #[arg(long, value_parser = parse_channel)]
    channel: Channel,
    /// A product file v1 (JSON).
    product: PathBuf,
    /// The seller's marketplace settings (JSON: {"coupang": {"vendor_id": …}, "11st": {…}, …}).
    #[arg(long)]
    seller: Option<PathBuf>,
    /// Coupang category metadata for the product's category (the meta API's answer).
    #[arg(long)]
    coupang_meta: Option<PathBuf>,
    /// 11st notice code table (JSON {"source", "types": {"GENERAL_FOOD": {"group", "fields"}}}).
    #[arg(long)]
    notice_codes_11st: Option<PathBuf>,
    /// ESM notice code table, same format.
    #[arg(long)]
    notice_codes_esm: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    compile: CompileArgs,
    /// The marketplace's API root; the production one when absent.
    #[arg(long)]
    base_url: Option<String>,
    /// The seller's API keys (JSON: {"naver": {"client_id", "client_secret"}, "coupang":
    /// {"access_key", "secret_key", "vendor_id"}, "11st": {"api_key"}, "esm": {…}}).
    #[arg(long)]
    credentials: PathBuf,
}

/// A `--channel` value (clap's value parser for every command that takes one).
pub(crate) fn parse_channel(code: &str) -> Result<Channel, String> {
    Channel::parse(code)
        .ok_or_else(|| format!("unknown channel {code}: naver, coupang, 11st or esm"))
}

fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .with_context(|| format!("{} is not valid JSON of the expected shape", path.display()))
}

/// One issue as the CLI prints it.
pub fn issue_json(issue: &Issue, t: Tr) -> serde_json::Value {
    let text = t.issue(issue);
    serde_json::json!({
        "channel": issue.channel,
        "field": issue.field,
        "code": issue.code,
        "message": text.message,
        "hint": text.hint,
        "target": issue.target,
    })
}

/// A reader that stopped reading (`| head`) is not an error.
fn to_pipe(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// The product and its compile context from the command's files.
fn load(args: &CompileArgs) -> Result<(ProductFile, Context)> {
    let product: ProductFile = read_json(&args.product)?;
    let mut context = Context::now();
    if let Some(path) = &args.seller {
        context.seller = read_json::<SellerSettings>(path)?;
    }
    if let Some(path) = &args.coupang_meta {
        let value: serde_json::Value = read_json(path)?;
        // Either the API's whole answer or its `data`.
        let data = value.get("data").cloned().unwrap_or(value);
        let meta: CoupangCategoryMeta = serde_json::from_value(data)
            .with_context(|| format!("{} is not Coupang category metadata", path.display()))?;
        let Some(Some(code)) = product.channel_categories.get("coupang") else {
            bail!("--coupang-meta needs the product's channel_categories.coupang");
        };
        context.coupang_meta.insert(code.trim().to_owned(), meta);
    }
    if let Some(path) = &args.notice_codes_11st {
        context.elevenst_notice_codes = read_json::<NoticeCodes>(path)?;
    }
    if let Some(path) = &args.notice_codes_esm {
        context.esm_notice_codes = read_json::<NoticeCodes>(path)?;
    }
    Ok((product, context))
}

/// Prints the errors of a rejected compile.
fn print_errors(issues: &[Issue], t: Tr) -> Result<()> {
    let errors: Vec<_> = issues
        .iter()
        .filter(|i| !i.warning)
        .map(|i| issue_json(i, t))
        .collect();
    let mut text = serde_json::to_vec_pretty(&serde_json::json!({ "errors": errors }))?;
    text.push(b'\n');
    to_pipe(std::io::stdout().lock().write_all(&text))?;
    Ok(())
}

/// Runs `listing compile`; `Ok(false)` when the product was rejected (exit status 1).
pub fn compile(args: &CompileArgs, t: Tr) -> Result<bool> {
    let (product, context) = load(args)?;
    let mut payload = Vec::new();
    let mut stdout = std::io::stdout().lock();
    match gachi_channels::compile(args.channel, &product, &context, &mut payload) {
        Ok(compiled) => {
            for warning in &compiled.warnings {
                eprintln!("warning: {}: {}", warning.field, t.issue(warning).message);
            }
            to_pipe(stdout.write_all(&payload).and_then(|()| writeln!(stdout)))?;
            Ok(true)
        }
        Err(issues) => {
            drop(stdout);
            print_errors(&issues, t)?;
            Ok(false)
        }
    }
}

/// Runs `listing submit`; `Ok(false)` unless the marketplace holds the product (exit status 1).
pub async fn submit(args: &SubmitArgs, t: Tr) -> Result<bool> {
    let (product, context) = load(&args.compile)?;
    let keys: Credentials = read_json(&args.credentials)?;
    let channel = args.compile.channel;
    let mut config = SubmitConfig::production(channel);
    if let Some(url) = &args.base_url {
        config.base_url = url.clone();
    }
    // Photos are fetched from their addresses where the marketplace wants them on its host.
    let submission = match Submitter::new(channel, config)
        .publish(&product, &context, &keys, KnownPhotos::default())
        .await
    {
        Ok(submission) => submission,
        Err(issues) => {
            print_errors(&issues, t)?;
            return Ok(false);
        }
    };
    let mut text = serde_json::to_vec_pretty(&submission)?;
    text.push(b'\n');
    to_pipe(std::io::stdout().lock().write_all(&text))?;
    Ok(matches!(submission.outcome, Outcome::Created { .. }))
}
