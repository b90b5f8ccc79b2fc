//! The publish flow against the local contract servers (crates/contract): signatures checked
//! byte for byte, bodies validated against the official schemas, scripted 429s and 500s. One
//! module per marketplace, then publishing through Gachi (the CLI and the web app), the board's
//! bulk jobs, and reading the marketplaces' review back.

mod board;
mod coupang;
mod elevenst;
mod esm;
mod naver;
mod naver_photos;
mod publishing;
mod reviews;

use gachi_channels::listing::{Context, CoupangCategoryMeta, SellerSettings};
use gachi_channels::submit::{Credentials, SubmitConfig, Submitter};
use gachi_contract::{COUPANG_ACCESS, COUPANG_SECRET, NAVER_CLIENT_ID, NAVER_SECRET};
use gachi_domain::catalog::product::ProductFile;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::{KnownPhotos, Submission};
use serde_json::json;

use crate::support::{Browser, Reply, TestApp, channels_dir, jpeg};

/// A product file from crates/channels/fixtures, as the submitter takes it.
fn fixture(name: &str) -> ProductFile {
    serde_json::from_str(
        &std::fs::read_to_string(channels_dir().join("fixtures").join(name)).unwrap(),
    )
    .unwrap()
}

/// The keys every contract server accepts.
fn credentials() -> Credentials {
    serde_json::from_value(json!({
        "naver": {"client_id": NAVER_CLIENT_ID, "client_secret": NAVER_SECRET},
        "coupang": {"access_key": COUPANG_ACCESS, "secret_key": COUPANG_SECRET, "vendor_id": "A00012345"},
        "11st": {"api_key": gachi_contract::ELEVENST_KEY},
        "esm": {
            "master_id": gachi_contract::ESM_MASTER_ID,
            "secret_key": gachi_contract::ESM_SECRET,
            "gmarket_seller_id": gachi_contract::ESM_GMARKET_SELLER,
            "auction_seller_id": gachi_contract::ESM_AUCTION_SELLER
        }
    }))
    .unwrap()
}

/// The seller's settings, Coupang's category metadata and the notice code tables, from the
/// channels fixtures.
fn context() -> Context {
    let read =
        |name: &str| std::fs::read_to_string(channels_dir().join("fixtures").join(name)).unwrap();
    let mut context = Context::now();
    context.seller = serde_json::from_str::<SellerSettings>(&read("seller.json")).unwrap();
    let meta: CoupangCategoryMeta = serde_json::from_str(&read("coupang-meta-78877.json")).unwrap();
    context.coupang_meta.insert("78877".into(), meta);
    context.elevenst_notice_codes =
        serde_json::from_str(&read("notice-codes.example.json")).unwrap();
    context.esm_notice_codes = context.elevenst_notice_codes.clone();
    context
}

/// Submitting to `base_url` with short waits between attempts.
fn fast(base_url: &str) -> SubmitConfig {
    SubmitConfig {
        base_url: base_url.to_owned(),
        max_attempts: 4,
        backoff: std::time::Duration::from_millis(5),
        timeout: std::time::Duration::from_secs(10),
        rate_per_second: 20,
    }
}

/// The bytes Gachi would hold for each photo the fixture names.
fn stored_photos(file: &ProductFile) -> Vec<(String, Vec<u8>)> {
    let images = file.images.as_ref().expect("the fixture has photos");
    std::iter::once(&images.main)
        .chain(&images.extra)
        .map(|url| (url.clone(), jpeg(640, 640)))
        .collect()
}

/// Publishes `file` to the contract server at `base_url` with every photo at hand.
async fn publish(
    channel: Channel,
    file: &ProductFile,
    base_url: &str,
    keys: &Credentials,
) -> Submission {
    Submitter::new(channel, fast(base_url))
        .publish(
            file,
            &context(),
            keys,
            KnownPhotos {
                stored: &stored_photos(file),
                hosted: &[],
            },
        )
        .await
        .expect("the fixture compiles")
}

/// What each attempt of a submission came to, in order.
fn results(sent: &Submission) -> Vec<&'static str> {
    sent.attempts.iter().map(|a| a.result).collect()
}

/// A web server holding photos at `/photos/{name}` (a JPEG; `.webp` names get WebP-like bytes),
/// standing in for a merchant's own site.
async fn photo_server() -> String {
    use axum::extract::Path;
    let router = axum::Router::new().route(
        "/photos/{name}",
        axum::routing::get(|Path(name): Path<String>| async move {
            if name.ends_with(".webp") {
                b"RIFF\x10\0\0\0WEBPVP8 ".to_vec()
            } else {
                jpeg(800, 800)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

/// The app with Naver's calls going to the contract server at `url`.
async fn app_with_naver(label: &str, url: &str) -> TestApp {
    TestApp::sqlite(label).await.with_markets(&[("naver", url)])
}

/// The merchant saves the contract server's Naver keys on 마켓 계정.
async fn save_naver_keys(owner: &mut Browser) -> Reply {
    owner
        .submit(
            "/my-shop/markets",
            "/my-shop/markets",
            &[
                ("channel", "naver"),
                ("client_id", NAVER_CLIENT_ID),
                ("client_secret", NAVER_SECRET),
            ],
        )
        .await
}

/// The newest bulk job of `channel`, once it has finished (jobs run in the background).
async fn finished_job(
    store: &dyn gachi_domain::ports::Store,
    channel: gachi_domain::kernel::channel::Channel,
) -> gachi_domain::onboarding::bulk_job::BulkJob {
    for _ in 0..500 {
        let job = store.bulk_jobs(Some(channel), 1).await.unwrap().remove(0);
        if job.state != gachi_domain::onboarding::bulk_job::JobState::Running {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the {channel} job did not finish in 10 s");
}
