//! Sending a compiled listing to its marketplace: signed as each documents, at most as fast as
//! the marketplace allows (Naver product create: 20 requests/s per application), retried with
//! exponential backoff on 429 and on server errors — and never creating the product twice.
//!
//! A 429 is refused before any work, so it is retried as is. A server error or a lost connection
//! is ambiguous (the product may exist), so before sending again the submitter looks the product
//! up by the seller's own code where the marketplace lets it (Naver: `POST /v1/products/search`
//! by `sellerManagementCode`; Coupang: the seller-product list by `sellerProductName`); where it
//! cannot look (11st, ESM) it stops and says so instead of risking a duplicate. Every attempt is
//! recorded: status, what happened, and the marketplace's product id.
//!
//! `Submitter::publish` is the whole way for a product file: compile, put the photos on the
//! marketplace's own host where it wants them (Naver; see `hosting`), send.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use gachi_domain::catalog::product::ProductFile;
use gachi_domain::listing::marketplaces::{
    Attempt, KnownPhotos, MarketError, Outcome, ReviewStatus, Submission,
};

use crate::hosting;
use crate::listing::{Context, Issue};
use crate::signing;

mod coupang;
mod elevenst_esm;
mod naver;

use elevenst_esm::form_encode;
use gachi_domain::kernel::channel::Channel;
use naver::NaverToken;

/// The keys a seller issued to Gachi at each marketplace. Kept encrypted at rest by the caller;
/// `Debug` never prints them.
#[derive(Clone, Default, Deserialize)]
pub struct Credentials {
    #[serde(default)]
    pub naver: Option<NaverKeys>,
    #[serde(default)]
    pub coupang: Option<CoupangKeys>,
    #[serde(default, rename = "11st")]
    pub elevenst: Option<ElevenStKeys>,
    #[serde(default)]
    pub esm: Option<EsmKeys>,
}

impl Credentials {
    /// The account a marketplace's image host files a shop's photos under (Naver: the
    /// application id), for remembering hosted photos per account; `None` where the
    /// marketplace hosts no photos or no keys are given.
    pub fn host_account(&self, channel: Channel) -> Option<&str> {
        match channel {
            Channel::Naver => self.naver.as_ref().map(|k| k.client_id.trim()),
            Channel::Coupang | Channel::ElevenSt | Channel::Esm => None,
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("naver", &self.naver.is_some())
            .field("coupang", &self.coupang.is_some())
            .field("11st", &self.elevenst.is_some())
            .field("esm", &self.esm.is_some())
            .finish()
    }
}

#[derive(Clone, Deserialize)]
pub struct NaverKeys {
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Clone, Deserialize)]
pub struct CoupangKeys {
    pub access_key: String,
    pub secret_key: String,
    pub vendor_id: String,
}

#[derive(Clone, Deserialize)]
pub struct ElevenStKeys {
    pub api_key: String,
}

#[derive(Clone, Deserialize)]
pub struct EsmKeys {
    pub master_id: String,
    pub secret_key: String,
    #[serde(default)]
    pub gmarket_seller_id: Option<String>,
    #[serde(default)]
    pub auction_seller_id: Option<String>,
}

/// Where and how hard to try.
#[derive(Debug, Clone)]
pub struct SubmitConfig {
    /// The marketplace's API root (a local contract server in tests).
    pub base_url: String,
    pub max_attempts: u32,
    /// The first wait; each retry doubles it.
    pub backoff: Duration,
    pub timeout: Duration,
    /// Requests per second allowed.
    pub rate_per_second: u32,
}

impl SubmitConfig {
    /// The marketplace's production API with the documented limits.
    pub fn production(channel: Channel) -> Self {
        let base_url = match channel {
            Channel::Naver => "https://api.commerce.naver.com/external",
            Channel::Coupang => "https://api-gateway.coupang.com",
            Channel::ElevenSt => "https://api.11st.co.kr/rest",
            Channel::Esm => "https://sa2.esmplus.com",
        };
        Self {
            base_url: base_url.to_owned(),
            max_attempts: 4,
            backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(30),
            rate_per_second: if channel == Channel::Naver { 20 } else { 10 },
        }
    }
}

/// What identifies the product at the marketplace, to look it up after an ambiguous failure.
#[derive(Debug, Clone)]
pub struct ProductKey {
    /// The seller's code (product file `sku`): Naver's `sellerManagementCode`.
    pub seller_code: String,
    /// The product name: Coupang's `sellerProductName`.
    pub name: String,
}

/// Spaces requests at most `rate_per_second` apart.
struct Pacer {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Pacer {
    fn new(rate_per_second: u32) -> Self {
        Self {
            interval: Duration::from_secs(1) / rate_per_second.max(1),
            next: Mutex::new(Instant::now()),
        }
    }
    async fn wait(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(Instant::now());
            *next = at + self.interval;
            at
        };
        tokio::time::sleep_until(at.into()).await;
    }
}

/// One marketplace's submitter; share it so the pace holds across products (and, for Naver,
/// one access token serves its calls).
pub struct Submitter {
    channel: Channel,
    config: SubmitConfig,
    client: reqwest::Client,
    pacer: Pacer,
    naver_token: std::sync::Mutex<Option<NaverToken>>,
}

enum Answer {
    Created(String),
    Rejected(Vec<MarketError>),
    AuthRefused(u16),
    Throttled(u16, Option<Duration>),
    /// Server error or no answer: the product may or may not exist.
    Ambiguous(Option<u16>),
}

fn now_ms() -> i64 {
    gachi_domain::kernel::time::Timestamp::now().unix_ms()
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or(serde_json::Value::Null)
}

/// The text of `<tag>…</tag>` in a small XML answer.
fn xml_text<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(xml[start..end].trim())
}

impl Submitter {
    pub fn new(channel: Channel, config: SubmitConfig) -> Self {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .expect("an HTTP client with default TLS builds");
        Self {
            channel,
            pacer: Pacer::new(config.rate_per_second),
            config,
            client,
            naver_token: std::sync::Mutex::new(None),
        }
    }

    /// The marketplace this submitter sends to.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url.trim_end_matches('/'))
    }

    /// Sends `body` (the compiled payload) and returns what became of it.
    pub async fn submit(&self, body: &[u8], key: &ProductKey, keys: &Credentials) -> Submission {
        let mut attempts = Vec::new();
        let outcome = self.run(body, key, keys, &mut attempts).await;
        self.submission(body, outcome, attempts)
    }

    /// The record of sending `body`.
    fn submission(&self, body: &[u8], outcome: Outcome, attempts: Vec<Attempt>) -> Submission {
        Submission {
            channel: self.channel,
            request_digest: gachi_domain::kernel::secret::sha256_hex(body),
            outcome,
            attempts,
            hosted_photos: Vec::new(),
        }
    }

    async fn run(
        &self,
        body: &[u8],
        key: &ProductKey,
        keys: &Credentials,
        attempts: &mut Vec<Attempt>,
    ) -> Outcome {
        let missing = || Outcome::Failed {
            reason: format!("no {} credentials", self.channel.code()),
        };
        let mut wait = self.config.backoff;
        for number in 1..=self.config.max_attempts {
            self.pacer.wait().await;
            let answer = match self.channel {
                Channel::Naver => match &keys.naver {
                    Some(k) => self.naver_create(body, k).await,
                    None => return missing(),
                },
                Channel::Coupang => match &keys.coupang {
                    Some(k) => self.coupang_create(body, k).await,
                    None => return missing(),
                },
                Channel::ElevenSt => match &keys.elevenst {
                    Some(k) => self.elevenst_create(body, k).await,
                    None => return missing(),
                },
                Channel::Esm => match &keys.esm {
                    Some(k) => self.esm_create(body, k).await,
                    None => return missing(),
                },
            };
            let mut record = |status, result, product_id: Option<&str>| {
                attempts.push(Attempt {
                    number,
                    status,
                    result,
                    product_id: product_id.map(str::to_owned),
                })
            };
            match answer {
                Answer::Created(id) => {
                    record(Some(200), "created", Some(&id));
                    return Outcome::Created { product_id: id };
                }
                Answer::Rejected(errors) => {
                    record(Some(400), "rejected", None);
                    return Outcome::Rejected { errors };
                }
                Answer::AuthRefused(status) => {
                    record(Some(status), "auth-refused", None);
                    return Outcome::Failed {
                        reason: format!(
                            "{} refused the credentials ({status})",
                            self.channel.code()
                        ),
                    };
                }
                Answer::Throttled(status, retry_after) => {
                    record(Some(status), "throttled", None);
                    tokio::time::sleep(retry_after.unwrap_or(wait).max(wait)).await;
                }
                Answer::Ambiguous(status) => {
                    record(
                        status,
                        if status.is_some() {
                            "server-error"
                        } else {
                            "network-error"
                        },
                        None,
                    );
                    tokio::time::sleep(wait).await;
                    // Ask before sending again, so a product created despite the error is
                    // not created twice.
                    self.pacer.wait().await;
                    match self.lookup(key, keys).await {
                        Some(Ok(Some(id))) => {
                            record(None, "found-existing", Some(&id));
                            return Outcome::Created { product_id: id };
                        }
                        Some(Ok(None)) => record(None, "not-found", None),
                        Some(Err(())) | None => {
                            return Outcome::Failed {
                                reason: format!(
                                    "{} answered {} and cannot be asked whether the product was created; check the seller center before sending again",
                                    self.channel.code(),
                                    status.map_or("nothing".to_owned(), |s| s.to_string())
                                ),
                            };
                        }
                    }
                }
            }
            wait *= 2;
        }
        Outcome::Failed {
            reason: format!("gave up after {} attempts", self.config.max_attempts),
        }
    }

    /// Compiles `file` for this marketplace, puts its photos where the marketplace wants them
    /// (Naver: on its own image host; those `known.hosted` names are there already, those
    /// `known.stored` holds are read from it, any other is fetched from its address), and sends
    /// it. `Err` holds the issues of a product that is not ready (`listing::readiness`): then
    /// nothing was sent. Photos uploaded are in `Submission::hosted_photos`, whatever became
    /// of the product.
    pub async fn publish(
        &self,
        file: &ProductFile,
        context: &Context,
        keys: &Credentials,
        known: KnownPhotos<'_>,
    ) -> Result<Submission, Vec<Issue>> {
        // The catalog's common checks first; the compile below holds the marketplace's rules.
        let common = crate::listing::common_checks(file, self.channel);
        if !common.gaps.is_empty() {
            return Err(crate::listing::joined_with(
                &common,
                self.channel,
                file,
                context,
            ));
        }
        let mut body = Vec::new();
        crate::compile(self.channel, file, context, &mut body)?;
        let key = ProductKey {
            seller_code: file.sku.trim().to_owned(),
            name: file.name.trim().to_owned(),
        };
        let mut attempts = Vec::new();
        let wanted = hosting::photos_to_host(self.channel, file);
        if wanted.is_empty() {
            return Ok(self.submit(&body, &key, keys).await);
        }
        let named: Vec<(String, String)> = known
            .hosted
            .iter()
            .filter(|(from, _)| wanted.contains(from))
            .cloned()
            .collect();
        let to_upload: Vec<String> = wanted
            .iter()
            .filter(|url| !named.iter().any(|(from, _)| from == *url))
            .cloned()
            .collect();
        let mut uploaded = Vec::new();
        if !to_upload.is_empty() {
            match self
                .host_photos(&to_upload, keys, known.stored, &mut attempts)
                .await
            {
                Ok(hosted) => uploaded = hosted,
                Err(reason) => {
                    return Ok(self.submission(&body, Outcome::Failed { reason }, attempts));
                }
            }
        }
        let mut on_host = named.clone();
        on_host.extend(uploaded.iter().cloned());
        let mut submission = self
            .send_on_host(file, &on_host, context, &key, keys)
            .await?;

        // A hosted address the host no longer holds is refused by its image field: upload the
        // photos named from `known.hosted` again, once, and send again.
        let images_refused = matches!(&submission.outcome, Outcome::Rejected { errors }
            if errors.iter().any(|e| e.field.as_deref().is_some_and(|f| f.contains("images"))));
        if images_refused && !named.is_empty() {
            attempts.append(&mut submission.attempts);
            let again: Vec<String> = named.iter().map(|(from, _)| from.clone()).collect();
            match self
                .host_photos(&again, keys, known.stored, &mut attempts)
                .await
            {
                Ok(hosted) => {
                    uploaded.extend(hosted);
                    submission = self
                        .send_on_host(file, &uploaded, context, &key, keys)
                        .await?;
                }
                Err(reason) => submission.outcome = Outcome::Failed { reason },
            }
        }
        attempts.append(&mut submission.attempts);
        submission.attempts = attempts;
        submission.hosted_photos = uploaded;
        Ok(submission)
    }

    /// Compiles `file` with its photos at their hosted addresses (`hosted`: address → hosted
    /// address) and sends it.
    async fn send_on_host(
        &self,
        file: &ProductFile,
        hosted: &[(String, String)],
        context: &Context,
        key: &ProductKey,
        keys: &Credentials,
    ) -> Result<Submission, Vec<Issue>> {
        let mut pointed = file.clone();
        hosting::use_hosted(&mut pointed, hosted);
        let mut body = Vec::new();
        crate::compile(self.channel, &pointed, context, &mut body)?;
        Ok(self.submit(&body, key, keys).await)
    }

    /// Uploads the photos at `urls` to Naver's image host and returns `(address, hosted
    /// address)` pairs. Throttling and server errors are retried (a photo uploaded twice only
    /// leaves an unused copy on Naver's host); a refusal is not.
    async fn host_photos(
        &self,
        urls: &[String],
        keys: &Credentials,
        stored: &[(String, Vec<u8>)],
        attempts: &mut Vec<Attempt>,
    ) -> Result<Vec<(String, String)>, String> {
        let k = keys
            .naver
            .as_ref()
            .ok_or_else(|| "no naver credentials".to_owned())?;
        let mut photos: Vec<(String, hosting::PhotoType, Cow<[u8]>)> = Vec::new();
        for url in urls {
            let bytes = match stored.iter().find(|(address, _)| address == url) {
                Some((_, bytes)) => Cow::Borrowed(bytes.as_slice()),
                None => Cow::Owned(self.fetch_photo(url).await?),
            };
            let kind = hosting::naver_photo_type(&bytes).ok_or_else(|| {
                format!("Naver takes JPG, GIF, PNG or BMP photos; {url} is none of them (upload it to Gachi, which converts it)")
            })?;
            photos.push((url.clone(), kind, bytes));
        }
        let mut hosted = Vec::new();
        for chunk in photos.chunks(hosting::NAVER_FILES_PER_UPLOAD) {
            let files: Vec<(String, hosting::PhotoType, &[u8])> = chunk
                .iter()
                .enumerate()
                .map(|(i, (_, kind, bytes))| {
                    (
                        format!("photo-{}.{}", hosted.len() + i + 1, kind.extension),
                        *kind,
                        bytes.as_ref(),
                    )
                })
                .collect();
            let urls = self.naver_upload(&files, k, attempts).await?;
            if urls.len() != chunk.len() {
                return Err(format!(
                    "Naver's image host returned {} addresses for {} photos",
                    urls.len(),
                    chunk.len()
                ));
            }
            hosted.extend(chunk.iter().map(|(from, _, _)| from.clone()).zip(urls));
        }
        Ok(hosted)
    }

    /// The largest photo fetched from an address (Naver's own limit is not published; phone
    /// photos Gachi stores are far below this).
    const MAX_FETCHED_PHOTO: usize = 20 * 1024 * 1024;

    /// The bytes of a photo Gachi does not keep, from its address.
    async fn fetch_photo(&self, url: &str) -> Result<Vec<u8>, String> {
        let cannot = |why: String| format!("could not fetch the photo {url}: {why}");
        if !gachi_domain::kernel::text::is_web_url(url) {
            return Err(cannot("not a web address".to_owned()));
        }
        let mut response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| cannot(e.without_url().to_string()))?;
        if !response.status().is_success() {
            return Err(cannot(format!("answered {}", response.status().as_u16())));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| cannot(e.without_url().to_string()))?
        {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > Self::MAX_FETCHED_PHOTO {
                return Err(cannot("larger than 20 MB".to_owned()));
            }
        }
        Ok(bytes)
    }

    /// Whether the product exists: `None` where the marketplace offers no way to ask,
    /// `Some(Err)` when asking failed.
    async fn lookup(
        &self,
        key: &ProductKey,
        keys: &Credentials,
    ) -> Option<Result<Option<String>, ()>> {
        match self.channel {
            Channel::Naver => {
                let k = keys.naver.as_ref()?;
                Some(self.naver_lookup(key, k).await)
            }
            Channel::Coupang => {
                let k = keys.coupang.as_ref()?;
                Some(self.coupang_lookup(key, k).await)
            }
            Channel::ElevenSt | Channel::Esm => None,
        }
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(u16, Option<Duration>, Vec<u8>), ()> {
        let response = request.send().await.map_err(|_| ())?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = response.bytes().await.map_err(|_| ())?;
        Ok((status, retry_after, bytes.to_vec()))
    }

    /// Maps an answer's status; `created` reads the product id from a 2xx body.
    fn classify(
        &self,
        answer: Result<(u16, Option<Duration>, Vec<u8>), ()>,
        created: impl FnOnce(&[u8]) -> Option<String>,
        rejected: impl FnOnce(&[u8]) -> Vec<MarketError>,
    ) -> Answer {
        match answer {
            Err(()) => Answer::Ambiguous(None),
            Ok((status, _, body)) if (200..300).contains(&status) => match created(&body) {
                Some(id) => Answer::Created(id),
                // A success without an id, or an error wrapped in 200 (Coupang's `"ERROR"`).
                None => Answer::Rejected(rejected(&body)),
            },
            Ok((status @ (401 | 403), _, _)) => Answer::AuthRefused(status),
            Ok((429, retry_after, _)) => Answer::Throttled(429, retry_after),
            Ok((status, _, _)) if status >= 500 => Answer::Ambiguous(Some(status)),
            Ok((_, _, body)) => Answer::Rejected(rejected(&body)),
        }
    }

    /// Asks the marketplace where a listed product stands: Naver by the origin product's
    /// `statusType`, Coupang by the seller product's `statusName`. `Err` says, for people, why
    /// it could not be asked (11st and ESM publish no read-back we could check against).
    pub async fn status(
        &self,
        product_id: &str,
        keys: &Credentials,
    ) -> Result<ReviewStatus, String> {
        if product_id.is_empty() || !product_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!("not a marketplace product number: {product_id:?}"));
        }
        self.pacer.wait().await;
        match self.channel {
            Channel::Naver => {
                let k = keys.naver.as_ref().ok_or("no Naver keys")?;
                let path = format!("/v2/products/origin-products/{product_id}");
                let (status, _, body) = self
                    .naver_call(k, |token| {
                        self.client.get(self.url(&path)).bearer_auth(token)
                    })
                    .await
                    .map_err(|_| "the Naver token request failed".to_owned())?
                    .map_err(|()| "Naver did not answer".to_owned())?;
                if status != 200 {
                    return Err(format!("Naver answered {status}"));
                }
                let v = json(&body);
                let status = v["originProduct"]["statusType"]
                    .as_str()
                    .unwrap_or_default();
                Ok(match status {
                    "SALE" | "OUTOFSTOCK" => ReviewStatus::Selling,
                    "WAIT" => ReviewStatus::InReview,
                    "UNADMISSION" | "REJECTION" | "PROHIBITION" => ReviewStatus::Rejected {
                        reason: status.to_owned(),
                    },
                    "SUSPENSION" | "CLOSE" | "DELETE" => ReviewStatus::Stopped {
                        reason: status.to_owned(),
                    },
                    other => return Err(format!("unknown Naver statusType {other:?}")),
                })
            }
            Channel::Coupang => {
                let k = keys.coupang.as_ref().ok_or("no Coupang keys")?;
                let path = format!("{}/{product_id}", Self::COUPANG_PRODUCTS);
                let (status, _, body) = self
                    .send(
                        self.client
                            .get(self.url(&path))
                            .header("authorization", Self::coupang_auth(k, "GET", &path, "")),
                    )
                    .await
                    .map_err(|()| "Coupang did not answer".to_owned())?;
                let v = json(&body);
                if status != 200 || v["code"] != "SUCCESS" {
                    return Err(format!(
                        "Coupang answered {status}: {}",
                        v["message"].as_str().unwrap_or_default()
                    ));
                }
                let name = v["data"]["statusName"].as_str().unwrap_or_default();
                Ok(match name {
                    "승인완료" | "부분승인완료" => ReviewStatus::Selling,
                    "심사중" | "승인대기중" | "임시저장" => ReviewStatus::InReview,
                    "승인반려" => ReviewStatus::Rejected {
                        reason: name.to_owned(),
                    },
                    "상품삭제" => ReviewStatus::Stopped {
                        reason: name.to_owned(),
                    },
                    other => return Err(format!("unknown Coupang statusName {other:?}")),
                })
            }
            Channel::ElevenSt | Channel::Esm => Err(format!(
                "{} publishes no product read-back Gachi can check",
                self.channel.code()
            )),
        }
    }

    const COUPANG_PRODUCTS: &str =
        "/v2/providers/seller_api/apis/api/v1/marketplace/seller-products";
}
