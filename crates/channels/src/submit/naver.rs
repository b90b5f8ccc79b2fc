//! Naver Commerce API calls of the submitter: the OAuth token (bcrypt-signed client secret,
//! held while it lasts), creating an origin product, looking one up by the seller's code, and
//! uploading photos to Naver's image host.

use std::time::{Duration, Instant};

use gachi_domain::listing::marketplaces::MarketError;

use super::*;

/// A Naver access token and until when to use it. Naver's tokens last 3 hours and Naver itself
/// answers a new request with the same token while it has 30 minutes left, so asking once per
/// call only doubled the requests. It serves only the keys it was issued for: the same
/// application id with the same secret (a job's submitter sends for many shops).
pub(super) struct NaverToken {
    pub(super) keys: String,
    pub(super) token: String,
    pub(super) use_until: Instant,
}

/// What a held Naver token is matched on: the application id and a digest of the secret.
pub(super) fn naver_keys_fingerprint(k: &NaverKeys) -> String {
    format!(
        "{}:{}",
        k.client_id,
        gachi_domain::kernel::secret::sha256_hex(k.client_secret.as_bytes())
    )
}

/// How long before its expiry a Naver token is no longer used (a call must not outlive it).
pub(super) const NAVER_TOKEN_MARGIN: Duration = Duration::from_secs(300);

impl Submitter {
    /// `POST /v1/product-images/upload` with up to 10 files; the hosted addresses in order.
    pub(super) async fn naver_upload(
        &self,
        files: &[(String, hosting::PhotoType, &[u8])],
        k: &NaverKeys,
        attempts: &mut Vec<Attempt>,
    ) -> Result<Vec<String>, String> {
        let (content_type, body) = hosting::multipart_files("imageFiles", files);
        let mut wait = self.config.backoff;
        for number in 1..=self.config.max_attempts {
            self.pacer.wait().await;
            let mut record = |status: Option<u16>, result| {
                attempts.push(Attempt {
                    number,
                    status,
                    result,
                    product_id: None,
                })
            };
            let answer = self
                .naver_call(k, |token| {
                    self.client
                        .post(self.url("/v1/product-images/upload"))
                        .bearer_auth(token)
                        .header("content-type", content_type.as_str())
                        .body(body.clone())
                })
                .await;
            let answer = match answer {
                Ok(answer) => answer,
                Err(Answer::AuthRefused(status)) => {
                    record(Some(status), "auth-refused");
                    return Err(format!("naver refused the credentials ({status})"));
                }
                // A failed token request is retried like a lost upload.
                Err(_) => Err(()),
            };
            match answer {
                Ok((200, _, answer)) => {
                    let urls: Option<Vec<String>> =
                        json(&answer)["images"].as_array().map(|images| {
                            images
                                .iter()
                                .filter_map(|i| i["url"].as_str().map(str::to_owned))
                                .collect()
                        });
                    record(Some(200), "photos-uploaded");
                    return urls
                        .ok_or_else(|| "Naver's image host answered without addresses".to_owned());
                }
                Ok((status, retry_after, _)) if status == 429 || status >= 500 => {
                    record(Some(status), "photo-upload-retry");
                    tokio::time::sleep(retry_after.unwrap_or(wait).max(wait)).await;
                }
                Err(()) => {
                    record(None, "photo-upload-retry");
                    tokio::time::sleep(wait).await;
                }
                Ok((status, _, answer)) => {
                    record(Some(status), "photos-refused");
                    let v = json(&answer);
                    return Err(format!(
                        "Naver's image host refused the photos ({status}): {}",
                        v["message"].as_str().unwrap_or_default()
                    ));
                }
            }
            wait *= 2;
        }
        Err(format!(
            "Naver's image host did not take the photos after {} attempts",
            self.config.max_attempts
        ))
    }

    /// The token held for `k` while it lasts.
    pub(super) fn held_naver_token(&self, k: &NaverKeys) -> Option<String> {
        let keys = naver_keys_fingerprint(k);
        let held = self.naver_token.lock().expect("token lock");
        held.as_ref()
            .filter(|held| held.keys == keys && Instant::now() < held.use_until)
            .map(|held| held.token.clone())
    }

    /// A Naver call with a bearer token: the one held while it lasts, else a new one. When Naver
    /// refuses a held token (revoked, keys changed), the call is made once more with a new one.
    /// `Err` is a failed token request: nothing was sent.
    pub(super) async fn naver_call(
        &self,
        k: &NaverKeys,
        request: impl Fn(&str) -> reqwest::RequestBuilder,
    ) -> Result<Result<(u16, Option<Duration>, Vec<u8>), ()>, Answer> {
        if let Some(token) = self.held_naver_token(k) {
            let answer = self.send(request(&token)).await;
            if !matches!(answer, Ok((401, _, _))) {
                return Ok(answer);
            }
        }
        let token = self.new_naver_token(k).await?;
        Ok(self.send(request(&token)).await)
    }

    pub(super) async fn new_naver_token(&self, k: &NaverKeys) -> Result<String, Answer> {
        let timestamp = now_ms();
        let sign = signing::naver_client_secret_sign(&k.client_id, &k.client_secret, timestamp)
            .map_err(|_| Answer::AuthRefused(0))?;
        let form = [
            ("client_id", k.client_id.clone()),
            ("timestamp", timestamp.to_string()),
            ("grant_type", "client_credentials".to_owned()),
            ("client_secret_sign", sign),
            ("type", "SELF".to_owned()),
        ];
        let body: String = form
            .iter()
            .map(|(name, value)| format!("{name}={}", form_encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        match self
            .send(
                self.client
                    .post(self.url("/v1/oauth2/token"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body),
            )
            .await
        {
            Ok((200, _, body)) => {
                let answer = json(&body);
                let token = answer["access_token"]
                    .as_str()
                    .map(str::to_owned)
                    .ok_or(Answer::AuthRefused(200))?;
                let lasts = Duration::from_secs(answer["expires_in"].as_u64().unwrap_or(0));
                if let Some(usable) = lasts.checked_sub(NAVER_TOKEN_MARGIN) {
                    *self.naver_token.lock().expect("token lock") = Some(NaverToken {
                        keys: naver_keys_fingerprint(k),
                        token: token.clone(),
                        use_until: Instant::now() + usable,
                    });
                }
                Ok(token)
            }
            Ok((429, retry_after, _)) => Err(Answer::Throttled(429, retry_after)),
            Ok((status, _, _)) if status >= 500 => Err(Answer::Ambiguous(Some(status))),
            Ok((status, _, _)) => Err(Answer::AuthRefused(status)),
            Err(()) => Err(Answer::Ambiguous(None)),
        }
    }

    pub(super) async fn naver_create(&self, body: &[u8], k: &NaverKeys) -> Answer {
        let answer = self
            .naver_call(k, |token| {
                self.client
                    .post(self.url("/v2/products"))
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .body(body.to_vec())
            })
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            // No product request was sent: a failed token request is never ambiguous.
            Err(Answer::Ambiguous(status)) => {
                return Answer::Throttled(status.unwrap_or(503), None);
            }
            Err(other) => return other,
        };
        self.classify(
            answer,
            |b| json(b)["originProductNo"].as_i64().map(|n| n.to_string()),
            |b| {
                let v = json(b);
                let mut errors: Vec<MarketError> = v["invalidInputs"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| MarketError {
                        code: i["type"].as_str().unwrap_or_default().to_owned(),
                        field: i["name"].as_str().map(str::to_owned),
                        message: i["message"].as_str().unwrap_or_default().to_owned(),
                    })
                    .collect();
                if errors.is_empty() {
                    errors.push(MarketError {
                        code: v["code"].as_str().unwrap_or("UNKNOWN").to_owned(),
                        field: None,
                        message: v["message"].as_str().unwrap_or_default().to_owned(),
                    });
                }
                errors
            },
        )
    }

    pub(super) async fn naver_lookup(
        &self,
        key: &ProductKey,
        k: &NaverKeys,
    ) -> Result<Option<String>, ()> {
        let query = serde_json::json!({
            "searchKeywordType": "SELLER_CODE",
            "sellerManagementCode": key.seller_code,
            "page": 1,
            "size": 1,
        });
        let (status, _, body) = self
            .naver_call(k, |token| {
                self.client
                    .post(self.url("/v1/products/search"))
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .body(query.to_string())
            })
            .await
            .map_err(|_| ())??;
        if status != 200 {
            return Err(());
        }
        Ok(json(&body)["contents"][0]["originProductNo"]
            .as_i64()
            .map(|n| n.to_string()))
    }
}
