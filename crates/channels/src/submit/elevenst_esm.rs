//! 11st and ESM PLUS calls of the submitter: creating a product (11st: XML with its API key;
//! ESM: a signed JSON request). Neither publishes a look-up by the seller's code, so an
//! ambiguous failure there stops instead of risking a duplicate.

use gachi_domain::listing::marketplaces::MarketError;

use super::*;

impl Submitter {
    pub(super) async fn elevenst_create(&self, body: &[u8], k: &ElevenStKeys) -> Answer {
        let answer = self
            .send(
                self.client
                    .post(self.url("/prodservices/product"))
                    .header("openapikey", &k.api_key)
                    .header("content-type", "text/xml; charset=utf-8")
                    .body(body.to_vec()),
            )
            .await;
        // 11st answers 200 with `<ClientMessage><resultCode>`: 200/210 created, else refused.
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        match answer {
            Ok((200, _, b)) if text(&b).contains("<AuthMessage>") => Answer::AuthRefused(200),
            other => self.classify(
                other,
                |b| {
                    let xml = text(b);
                    matches!(xml_text(&xml, "resultCode"), Some("200" | "210"))
                        .then(|| xml_text(&xml, "productNo").map(str::to_owned))
                        .flatten()
                },
                |b| {
                    let xml = text(b);
                    vec![MarketError {
                        code: xml_text(&xml, "resultCode").unwrap_or("500").to_owned(),
                        field: None,
                        message: xml_text(&xml, "message").unwrap_or_default().to_owned(),
                    }]
                },
            ),
        }
    }

    pub(super) async fn esm_create(&self, body: &[u8], k: &EsmKeys) -> Answer {
        let jwt = signing::esm_jwt(
            &k.master_id,
            &k.secret_key,
            "gachi",
            k.auction_seller_id.as_deref(),
            k.gmarket_seller_id.as_deref(),
            Some(now_ms() / 1000),
        );
        let answer = self
            .send(
                self.client
                    .post(self.url("/item/v1/goods"))
                    .bearer_auth(jwt)
                    .header("content-type", "application/json")
                    .body(body.to_vec()),
            )
            .await;
        self.classify(
            answer,
            |b| {
                let v = json(b);
                v["goodsNo"]
                    .as_i64()
                    .map(|n| n.to_string())
                    .or_else(|| v["goodsNo"].as_str().map(str::to_owned))
            },
            |b| {
                let v = json(b);
                vec![MarketError {
                    code: v["resultCode"].as_str().unwrap_or("ERROR").to_owned(),
                    field: None,
                    message: v["message"].as_str().unwrap_or_default().to_owned(),
                }]
            },
        )
    }
}

/// `application/x-www-form-urlencoded` value encoding.
pub(super) fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
