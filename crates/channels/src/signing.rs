//! Request signatures, exactly as each marketplace documents them:
//! - Naver Commerce API: `client_secret_sign = Base64(BCrypt.hashpw(client_id + "_" + timestamp,
//!   client_secret))`, where the client secret *is* a bcrypt salt string (`$2a$04$…`);
//! - Coupang Open API: `CEA algorithm=HmacSHA256` with `hex(HMAC-SHA256(secret, datetime + method
//!   + path + query))`;
//! - ESM 2.0 (Gmarket/Auction): a per-request HS256 JWT with the master ID as `kid`.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SigningError {
    #[error("the client secret is not a bcrypt salt ($2a$NN$ and 22 characters)")]
    NotABcryptSalt,
    #[error("bcrypt failed: {0}")]
    Bcrypt(String),
}

/// bcrypt's own base64 alphabet.
const BCRYPT_ALPHABET: &[u8; 64] =
    b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Decodes bcrypt's 22-character salt into its 16 bytes. Leniently, like jBCrypt and
/// node-bcrypt: the last character carries 4 bits too many, which are dropped — Naver's own
/// published example secret (`…stuv`) is not canonical and only matches that way.
fn decode_salt(salt: &str) -> Result<[u8; 16], SigningError> {
    if salt.len() != 22 {
        return Err(SigningError::NotABcryptSalt);
    }
    let mut bits: u128 = 0;
    let mut count = 0u32;
    let mut out = [0u8; 16];
    let mut written = 0;
    for c in salt.bytes() {
        let value = BCRYPT_ALPHABET
            .iter()
            .position(|&a| a == c)
            .ok_or(SigningError::NotABcryptSalt)? as u128;
        bits = (bits << 6) | value;
        count += 6;
        while count >= 8 && written < 16 {
            count -= 8;
            out[written] = ((bits >> count) & 0xff) as u8;
            written += 1;
        }
    }
    Ok(out)
}

/// Naver's `client_secret_sign` for an access-token request.
pub fn naver_client_secret_sign(
    client_id: &str,
    client_secret: &str,
    timestamp_ms: i64,
) -> Result<String, SigningError> {
    // "$2a$10$" + 22 salt characters.
    let parts: Vec<&str> = client_secret.split('$').collect();
    let ["", "2a" | "2b" | "2y", cost, salt] = parts.as_slice() else {
        return Err(SigningError::NotABcryptSalt);
    };
    let cost: u32 = cost.parse().map_err(|_| SigningError::NotABcryptSalt)?;
    let salt = decode_salt(salt)?;
    let password = format!("{client_id}_{timestamp_ms}");
    let hashed = bcrypt::hash_with_salt(password, cost, salt)
        .map_err(|e| SigningError::Bcrypt(e.to_string()))?;
    Ok(STANDARD.encode(hashed.format_for_version(bcrypt::Version::TwoA)))
}

/// Coupang's `signed-date`: UTC `yyMMdd'T'HHmmss'Z'`, from its parts.
pub fn coupang_datetime(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> String {
    format!(
        "{:02}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z",
        year.rem_euclid(100)
    )
}

/// Coupang's HMAC signature (lower-case hex) of `datetime + method + path + query`; the query
/// without its leading `?`, empty when there is none.
pub fn coupang_signature(
    secret_key: &str,
    datetime: &str,
    method: &str,
    path: &str,
    query: &str,
) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(format!("{datetime}{method}{path}{query}").as_bytes());
    gachi_domain::kernel::secret::hex(&mac.finalize().into_bytes())
}

/// The `Authorization` header value Coupang expects.
pub fn coupang_authorization(
    access_key: &str,
    secret_key: &str,
    datetime: &str,
    method: &str,
    path: &str,
    query: &str,
) -> String {
    let signature = coupang_signature(secret_key, datetime, method, path, query);
    format!(
        "CEA algorithm=HmacSHA256, access-key={access_key}, signed-date={datetime}, signature={signature}"
    )
}

/// The per-request JWT of ESM 2.0: HS256, `kid` = the ESM+ master ID; `ssi` names the Auction
/// and/or Gmarket seller IDs.
pub fn esm_jwt(
    master_id: &str,
    secret_key: &str,
    issuer: &str,
    auction_seller: Option<&str>,
    gmarket_seller: Option<&str>,
    issued_at: Option<i64>,
) -> String {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let header = format!(
        r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#,
        escape(master_id)
    );
    let ssi: Vec<String> = [("A", auction_seller), ("G", gmarket_seller)]
        .into_iter()
        .filter_map(|(site, id)| id.map(|id| format!("{site}:{}", escape(id))))
        .collect();
    let iat = issued_at
        .map(|t| format!(r#","iat":{t}"#))
        .unwrap_or_default();
    let payload = format!(
        r#"{{"iss":"{}","sub":"sell","aud":"sa.esmplus.com"{iat},"ssi":"{}"}}"#,
        escape(issuer),
        ssi.join(",")
    );
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Naver's official example (the RC spec), including its non-canonical salt.
    #[test]
    fn naver_signature_matches_the_published_vector() {
        let sign = naver_client_secret_sign(
            "aaaabbbbcccc",
            "$2a$10$abcdefghijklmnopqrstuv",
            1_643_961_623_299,
        )
        .unwrap();
        assert_eq!(
            sign,
            "JDJhJDEwJGFiY2RlZmdoaWprbG1ub3BxcnN0dXVCVldZSk42T0VPdEx1OFY0cDQxa2IuTnpVaUEzbmsy"
        );
        let decoded = String::from_utf8(STANDARD.decode(&sign).unwrap()).unwrap();
        assert_eq!(
            decoded,
            "$2a$10$abcdefghijklmnopqrstuuBVWYJN6OEOtLu8V4p41kb.NzUiA3nk2"
        );
    }

    #[test]
    fn a_secret_that_is_not_a_salt_is_refused() {
        assert_eq!(
            naver_client_secret_sign("id", "plain-secret", 1),
            Err(SigningError::NotABcryptSalt)
        );
        assert_eq!(
            naver_client_secret_sign("id", "$2a$10$short", 1),
            Err(SigningError::NotABcryptSalt)
        );
    }

    #[test]
    fn coupang_signature_matches_the_fixture() {
        let datetime = coupang_datetime(2024, 1, 1, 0, 0, 0);
        assert_eq!(datetime, "240101T000000Z");
        let path = "/v2/providers/seller_api/apis/api/v1/marketplace/seller-products";
        assert_eq!(
            coupang_signature("test-secret", &datetime, "POST", path, ""),
            "584ed36ddd4ddd53cb19c2bc1e7d102aa709d0dd4de7c1146ebd0414eaced9fb"
        );
        let header = coupang_authorization("ak", "test-secret", &datetime, "POST", path, "");
        assert_eq!(
            header,
            "CEA algorithm=HmacSHA256, access-key=ak, signed-date=240101T000000Z, signature=584ed36ddd4ddd53cb19c2bc1e7d102aa709d0dd4de7c1146ebd0414eaced9fb"
        );
        assert_ne!(
            coupang_signature("test-secret", &datetime, "GET", path, "a=1"),
            coupang_signature("test-secret", &datetime, "GET", path, "")
        );
    }

    #[test]
    fn the_esm_jwt_carries_the_documented_claims_and_verifies() {
        let jwt = esm_jwt(
            "master01",
            "secret",
            "gachi.example",
            Some("auc1"),
            Some("gmk1"),
            Some(1_700_000_000),
        );
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(header, r#"{"alg":"HS256","typ":"JWT","kid":"master01"}"#);
        assert_eq!(
            payload,
            r#"{"iss":"gachi.example","sub":"sell","aud":"sa.esmplus.com","iat":1700000000,"ssi":"A:auc1,G:gmk1"}"#
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
            .expect("signature verifies");
        let gmarket_only = esm_jwt("m", "s", "i", None, Some("g"), None);
        let payload = String::from_utf8(
            URL_SAFE_NO_PAD
                .decode(gmarket_only.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert!(
            payload.ends_with(r#""aud":"sa.esmplus.com","ssi":"G:g"}"#),
            "{payload}"
        );
    }
}
