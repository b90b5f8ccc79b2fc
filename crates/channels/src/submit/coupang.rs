//! Coupang Open API calls of the submitter: the HMAC signature header, creating a seller
//! product, and looking one up by its name after an ambiguous failure.

use gachi_domain::listing::marketplaces::MarketError;

use super::*;

impl Submitter {
    /// The CEA header for `method path?query`, signed now.
    pub(super) fn coupang_auth(k: &CoupangKeys, method: &str, path: &str, query: &str) -> String {
        let t = ::time::OffsetDateTime::now_utc();
        let datetime = signing::coupang_datetime(
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
        );
        signing::coupang_authorization(&k.access_key, &k.secret_key, &datetime, method, path, query)
    }

    pub(super) async fn coupang_create(&self, body: &[u8], k: &CoupangKeys) -> Answer {
        let answer = self
            .send(
                self.client
                    .post(self.url(Self::COUPANG_PRODUCTS))
                    .header(
                        "authorization",
                        Self::coupang_auth(k, "POST", Self::COUPANG_PRODUCTS, ""),
                    )
                    .header("content-type", "application/json;charset=UTF-8")
                    .header("x-requested-by", &k.vendor_id)
                    .body(body.to_vec()),
            )
            .await;
        self.classify(
            answer,
            |b| {
                let v = json(b);
                (v["code"] == "SUCCESS")
                    .then(|| v["data"].as_i64().map(|n| n.to_string()))
                    .flatten()
            },
            |b| {
                let v = json(b);
                vec![MarketError {
                    code: v["code"].as_str().unwrap_or("ERROR").to_owned(),
                    field: None,
                    message: v["message"].as_str().unwrap_or_default().to_owned(),
                }]
            },
        )
    }

    pub(super) async fn coupang_lookup(
        &self,
        key: &ProductKey,
        k: &CoupangKeys,
    ) -> Result<Option<String>, ()> {
        let query = format!(
            "vendorId={}&maxPerPage=10&sellerProductName={}",
            form_encode(&k.vendor_id),
            form_encode(&key.name)
        );
        let (status, _, body) = self
            .send(
                self.client
                    .get(format!("{}?{query}", self.url(Self::COUPANG_PRODUCTS)))
                    .header(
                        "authorization",
                        Self::coupang_auth(k, "GET", Self::COUPANG_PRODUCTS, &query),
                    ),
            )
            .await?;
        if status != 200 {
            return Err(());
        }
        let v = json(&body);
        Ok(v["data"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["sellerProductName"] == key.name.as_str())
            .and_then(|p| p["sellerProductId"].as_i64())
            .map(|n| n.to_string()))
    }
}
