//! Local contract servers for the marketplaces, for tests and browser tests: each plays one
//! marketplace, checks the request's signature byte for byte with the published algorithm
//! (Naver's bcrypt `client_secret_sign` and issued bearer tokens, Coupang's CEA HMAC over date +
//! method + path + query, 11st's openapikey, ESM's HS256 JWT), validates the body against the
//! official schema (Naver's OpenAPI document, Coupang's parameter tree; for 11st and ESM, which
//! publish no schema file, the documented core rules of `<Product>` and of `item/v1/goods`),
//! hosts photos as Naver's image host does (a Naver create naming any other photo address is
//! refused), keeps the products it created, answers read-backs of their review status (which
//! tests change), and answers like the marketplace — including scripted 429s and 500s (one after
//! creating the product, the case a client must not duplicate). The `gachi-contract-server`
//! binary runs one for the browser tests.
//!
//! One module per marketplace (`naver`, `coupang`, `elevenst`, `esm`). The signature checks are
//! in `signatures`, written from the marketplaces' documents and not with Gachi's own signer, so
//! that a wrong algorithm in Gachi fails here instead of agreeing with itself.

mod coupang;
mod elevenst;
mod esm;
mod naver;
mod signatures;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;

pub use coupang::{coupang_server, coupang_server_on};
pub use elevenst::{elevenst_server, elevenst_server_on};
pub use esm::{esm_server, esm_server_on};
pub use naver::{naver_server, naver_server_on};

pub const NAVER_CLIENT_ID: &str = "aaaabbbbcccc";
/// A bcrypt salt, as Naver issues client secrets.
pub const NAVER_SECRET: &str = "$2a$04$QKLnou1D2cSH19Pia30bcu";
pub const COUPANG_ACCESS: &str = "ak-test-1";
pub const COUPANG_SECRET: &str = "sk-test-secret";
/// ESM+ master ID, secret key and the seller IDs the test keys may name.
pub const ESM_MASTER_ID: &str = "gachi-master";
pub const ESM_SECRET: &str = "esm-test-secret-key-0123456789abcdef";
pub const ESM_GMARKET_SELLER: &str = "gachi_g";
pub const ESM_AUCTION_SELLER: &str = "gachi_a";
/// The openapikey 11st issues a seller.
pub const ELEVENST_KEY: &str = "11st-test-openapikey";

/// What the next product request gets instead of the normal answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scripted {
    /// Answers as the marketplace would without a script (to script a later request).
    AsUsual,
    /// Refuses the product for a reason Gachi cannot check beforehand (Naver: a word its
    /// review forbids in the name).
    Refused,
    TooManyRequests,
    ServerError,
    /// Creates the product, then answers 500 as if the gateway failed.
    CreateThenServerError,
}

#[derive(Default)]
pub struct Market {
    pub script: VecDeque<Scripted>,
    /// Created products: (seller code or name, id).
    pub products: Vec<(String, i64)>,
    pub tokens: Vec<String>,
    /// The review status of created products, by id, as the marketplace words it (Naver
    /// `statusType`, Coupang `statusName`); tests change it to play the marketplace's review.
    pub statuses: std::collections::BTreeMap<i64, String>,
    pub product_requests: u32,
    pub rejected_signatures: u32,
    /// Addresses the image host issued (Naver): the only ones a product create may name.
    pub images: Vec<String>,
}

pub type Shared = Arc<Mutex<Market>>;

/// Serves `router` on `bind` in the background and returns its root URL.
async fn serve(router: Router, bind: SocketAddr) -> String {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .expect("bind the contract server");
    let address: SocketAddr = listener.local_addr().expect("a bound address");
    tokio::spawn(async move {
        axum::serve(listener, router)
            .await
            .expect("the contract server runs")
    });
    format!("http://{address}")
}

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// Serves one marketplace's `routes` on `bind` over a fresh state holding `script`.
async fn start(
    script: Vec<Scripted>,
    bind: SocketAddr,
    routes: Router<Shared>,
) -> (String, Shared) {
    let market: Shared = Arc::new(Mutex::new(Market {
        script: script.into(),
        ..Market::default()
    }));
    (serve(routes.with_state(market.clone()), bind).await, market)
}
