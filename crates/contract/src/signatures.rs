//! The marketplaces' request signatures, checked the way each marketplace publishes them and
//! written here from those documents, never with Gachi's own signer (crates/channels): a wrong
//! algorithm on Gachi's side then fails against these servers instead of agreeing with itself.
//!
//! - Naver Commerce API: `client_secret_sign = Base64(bcrypt(client_id + "_" + timestamp))`,
//!   hashed with the application secret as the bcrypt salt (the secret *is* a salt string,
//!   `$2a$04$` and 22 characters), Base64 being the standard alphabet over the whole hash string.
//! - Coupang Open API: `Authorization: CEA algorithm=HmacSHA256, access-key=…, signed-date=…,
//!   signature=…`, the signature being lower-case hex of HMAC-SHA256 with the secret key over
//!   `signed-date + method + path + query` (`signed-date` is UTC `yyMMdd'T'HHmmss'Z'`, the query
//!   without its `?`).
//! - ESM 2.0 (Gmarket/Auction): a per-request HS256 JWT whose `kid` is the master ID.

use axum::http::HeaderMap;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::{ESM_AUCTION_SELLER, ESM_GMARKET_SELLER, ESM_MASTER_ID, ESM_SECRET};

/// bcrypt's own base64 (`./A–Za–z0–9`, no padding). Read leniently, as jBCrypt and OpenBSD do: the
/// 22nd salt character carries 4 bits more than the 16 salt bytes, and they are ignored.
const BCRYPT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::BCRYPT,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// The `client_secret_sign` Naver expects from `client_id` at `timestamp_ms` for an application
/// whose secret is `client_secret`, or `None` when the secret is not a bcrypt salt string
/// (`$2a$`, `$2b$` or `$2y$`, a two-digit cost, 22 salt characters).
pub(crate) fn naver_client_secret_sign(
    client_id: &str,
    client_secret: &str,
    timestamp_ms: i64,
) -> Option<String> {
    let rest = client_secret.strip_prefix('$')?;
    let (revision, rest) = rest.split_once('$')?;
    let (cost, salt) = rest.split_once('$')?;
    let version = match revision {
        "2a" => bcrypt::Version::TwoA,
        "2b" => bcrypt::Version::TwoB,
        "2y" => bcrypt::Version::TwoY,
        _ => return None,
    };
    if cost.len() != 2 || salt.len() != 22 {
        return None;
    }
    let cost: u32 = cost.parse().ok()?;
    let salt: [u8; 16] = BCRYPT_BASE64.decode(salt).ok()?.try_into().ok()?;
    let hashed = bcrypt::hash_with_salt(format!("{client_id}_{timestamp_ms}"), cost, salt).ok()?;
    // bcrypt keeps the salt's revision in its output (`hashpw` with a `$2a$` salt gives `$2a$…`).
    Some(STANDARD.encode(hashed.format_for_version(version)))
}

/// Whether `presented` is the `client_secret_sign` of `client_id` at `timestamp_ms`.
pub(crate) fn naver_sign_ok(
    client_id: &str,
    client_secret: &str,
    timestamp_ms: i64,
    presented: &str,
) -> bool {
    naver_client_secret_sign(client_id, client_secret, timestamp_ms)
        .is_some_and(|expected| expected == presented)
}

/// Coupang's `signed-date`: `yyMMdd'T'HHmmss'Z'`.
fn coupang_datetime_ok(datetime: &str) -> bool {
    let bytes = datetime.as_bytes();
    bytes.len() == 14
        && bytes[6] == b'T'
        && bytes[13] == b'Z'
        && bytes[..6]
            .iter()
            .chain(&bytes[7..13])
            .all(u8::is_ascii_digit)
}

/// Lower-case hex of HMAC-SHA256 with `secret_key` over `datetime + method + path + query`.
pub(crate) fn coupang_signature(
    secret_key: &str,
    datetime: &str,
    method: &str,
    path: &str,
    query: &str,
) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).expect("HMAC takes any key length");
    mac.update(datetime.as_bytes());
    mac.update(method.as_bytes());
    mac.update(path.as_bytes());
    mac.update(query.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `authorization` is Coupang's CEA header for this request signed with `secret_key`
/// under `access_key`: the four parts each given once, the algorithm `HmacSHA256`, a
/// well-formed `signed-date`, and the signature over exactly `method`, `path` and `query`.
pub(crate) fn coupang_authorization_ok(
    authorization: &str,
    access_key: &str,
    secret_key: &str,
    method: &str,
    path: &str,
    query: &str,
) -> bool {
    let Some(parts) = authorization.strip_prefix("CEA ") else {
        return false;
    };
    let parts: Vec<(&str, &str)> = parts
        .split(',')
        .filter_map(|part| part.trim().split_once('='))
        .collect();
    let [
        ("algorithm", algorithm),
        ("access-key", key),
        ("signed-date", datetime),
        ("signature", signature),
    ] = parts[..]
    else {
        return false;
    };
    algorithm == "HmacSHA256"
        && key == access_key
        && coupang_datetime_ok(datetime)
        && signature == coupang_signature(secret_key, datetime, method, path, query)
}

/// Checks ESM's per-request JWT: HS256 over `header.payload` with the secret key, `kid` = the
/// master ID, `sub` = `sell`, `aud` = `sa.esmplus.com`, `ssi` naming known seller IDs (`A:…`,
/// `G:…`), `iat` (when sent) within five minutes.
pub(crate) fn esm_token_ok(headers: &HeaderMap) -> bool {
    let Some(token) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return false;
    };
    let decode = |part: &str| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
    };
    let (Some(header_json), Some(claims), Ok(signature)) = (
        decode(header),
        decode(payload),
        URL_SAFE_NO_PAD.decode(signature),
    ) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(ESM_SECRET.as_bytes()).expect("any key length");
    mac.update(format!("{header}.{payload}").as_bytes());
    if mac.verify_slice(&signature).is_err() {
        return false;
    }
    let now = gachi_domain::kernel::time::Timestamp::now().unix_ms() / 1000;
    let sellers_known = claims["ssi"].as_str().is_some_and(|ssi| {
        !ssi.is_empty()
            && ssi.split(',').all(|s| {
                s == format!("A:{ESM_AUCTION_SELLER}") || s == format!("G:{ESM_GMARKET_SELLER}")
            })
    });
    header_json["alg"] == "HS256"
        && header_json["kid"] == ESM_MASTER_ID
        && claims["sub"] == "sell"
        && claims["aud"] == "sa.esmplus.com"
        && claims["iss"].as_str().is_some_and(|i| !i.is_empty())
        && sellers_known
        && claims["iat"]
            .as_i64()
            .is_none_or(|iat| (now - iat).abs() <= 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Naver's published example (Commerce API docs, the RC OpenAPI document): client ID
    /// `aaaabbbbcccc`, secret `$2a$10$abcdefghijklmnopqrstuv`, timestamp 1643961623299.
    const NAVER_ID: &str = "aaaabbbbcccc";
    const NAVER_EXAMPLE_SECRET: &str = "$2a$10$abcdefghijklmnopqrstuv";
    const NAVER_TIMESTAMP: i64 = 1_643_961_623_299;
    const NAVER_SIGN: &str =
        "JDJhJDEwJGFiY2RlZmdoaWprbG1ub3BxcnN0dXVCVldZSk42T0VPdEx1OFY0cDQxa2IuTnpVaUEzbmsy";
    const NAVER_HASH: &str = "$2a$10$abcdefghijklmnopqrstuuBVWYJN6OEOtLu8V4p41kb.NzUiA3nk2";

    /// The fixture of the Coupang signer's test; the signature is what any HMAC-SHA256 gives
    /// (e.g. `printf '240101T000000ZPOST/v2/…/seller-products' | openssl dgst -sha256 -hmac
    /// test-secret`).
    const COUPANG_PATH: &str = "/v2/providers/seller_api/apis/api/v1/marketplace/seller-products";
    const COUPANG_DATE: &str = "240101T000000Z";
    const COUPANG_SIGNATURE: &str =
        "584ed36ddd4ddd53cb19c2bc1e7d102aa709d0dd4de7c1146ebd0414eaced9fb";

    fn coupang_header(access_key: &str, datetime: &str, signature: &str) -> String {
        format!(
            "CEA algorithm=HmacSHA256, access-key={access_key}, signed-date={datetime}, signature={signature}"
        )
    }

    /// `text` with the character at `index` replaced by another one of the same kind.
    fn one_changed(text: &str, index: usize) -> String {
        text.char_indices()
            .map(|(i, c)| match (i == index, c) {
                (false, c) => c,
                (true, '0'..='8' | 'a'..='y' | 'A'..='Y') => char::from(c as u8 + 1),
                (true, _) => '0',
            })
            .collect()
    }

    #[test]
    fn the_naver_example_is_a_bcrypt_hash_of_id_and_timestamp() {
        // The published hash verifies with bcrypt's own checker: the vector is sound.
        assert!(bcrypt::verify(format!("{NAVER_ID}_{NAVER_TIMESTAMP}"), NAVER_HASH).unwrap());
        assert_eq!(STANDARD.decode(NAVER_SIGN).unwrap(), NAVER_HASH.as_bytes());
    }

    #[test]
    fn the_naver_verifier_accepts_the_published_example() {
        assert_eq!(
            naver_client_secret_sign(NAVER_ID, NAVER_EXAMPLE_SECRET, NAVER_TIMESTAMP).as_deref(),
            Some(NAVER_SIGN)
        );
        assert!(naver_sign_ok(
            NAVER_ID,
            NAVER_EXAMPLE_SECRET,
            NAVER_TIMESTAMP,
            NAVER_SIGN
        ));
    }

    #[test]
    fn the_naver_verifier_refuses_a_sign_with_one_character_changed() {
        for index in [0, 7, 40, NAVER_SIGN.len() - 1] {
            let changed = one_changed(NAVER_SIGN, index);
            assert_ne!(changed, NAVER_SIGN);
            assert!(
                !naver_sign_ok(NAVER_ID, NAVER_EXAMPLE_SECRET, NAVER_TIMESTAMP, &changed),
                "{changed}"
            );
        }
    }

    #[test]
    fn the_naver_verifier_refuses_another_timestamp_id_or_secret() {
        let ok = |id: &str, secret: &str, timestamp: i64| {
            naver_sign_ok(id, secret, timestamp, NAVER_SIGN)
        };
        assert!(!ok(NAVER_ID, NAVER_EXAMPLE_SECRET, NAVER_TIMESTAMP + 1));
        assert!(!ok("aaaabbbbcccd", NAVER_EXAMPLE_SECRET, NAVER_TIMESTAMP));
        assert!(!ok(
            NAVER_ID,
            "$2a$10$bbcdefghijklmnopqrstuv",
            NAVER_TIMESTAMP
        ));
        assert!(!ok(
            NAVER_ID,
            "$2a$11$abcdefghijklmnopqrstuv",
            NAVER_TIMESTAMP
        ));
        // Secrets that are no bcrypt salt sign nothing.
        for secret in [
            "plain-secret",
            "$2a$10$short",
            "$2a$10$abcdefghijklmnopqrstuvw",
            "$2x$10$abcdefghijklmnopqrstuv",
            "$2a$1$abcdefghijklmnopqrstuv",
            "$2a$10$abcdefghijklmnopqrstu!",
        ] {
            assert_eq!(
                naver_client_secret_sign(NAVER_ID, secret, NAVER_TIMESTAMP),
                None,
                "{secret}"
            );
        }
    }

    #[test]
    fn the_coupang_verifier_accepts_the_fixture() {
        assert_eq!(
            coupang_signature("test-secret", COUPANG_DATE, "POST", COUPANG_PATH, ""),
            COUPANG_SIGNATURE
        );
        let header = coupang_header("ak", COUPANG_DATE, COUPANG_SIGNATURE);
        assert!(coupang_authorization_ok(
            &header,
            "ak",
            "test-secret",
            "POST",
            COUPANG_PATH,
            ""
        ));
    }

    #[test]
    fn the_coupang_verifier_refuses_a_signature_with_one_character_changed() {
        for index in [0, 31, COUPANG_SIGNATURE.len() - 1] {
            let changed = one_changed(COUPANG_SIGNATURE, index);
            assert_ne!(changed, COUPANG_SIGNATURE);
            let header = coupang_header("ak", COUPANG_DATE, &changed);
            assert!(
                !coupang_authorization_ok(&header, "ak", "test-secret", "POST", COUPANG_PATH, ""),
                "{header}"
            );
        }
        // Hex in capitals is not what Coupang computes.
        let header = coupang_header("ak", COUPANG_DATE, &COUPANG_SIGNATURE.to_uppercase());
        assert!(!coupang_authorization_ok(
            &header,
            "ak",
            "test-secret",
            "POST",
            COUPANG_PATH,
            ""
        ));
    }

    #[test]
    fn the_coupang_signature_covers_date_method_path_query_and_key() {
        let header = coupang_header("ak", COUPANG_DATE, COUPANG_SIGNATURE);
        let ok = |access: &str, secret: &str, method: &str, path: &str, query: &str| {
            coupang_authorization_ok(&header, access, secret, method, path, query)
        };
        assert!(ok("ak", "test-secret", "POST", COUPANG_PATH, ""));
        assert!(!ok("ak", "test-secret", "GET", COUPANG_PATH, ""));
        assert!(!ok(
            "ak",
            "test-secret",
            "POST",
            &format!("{COUPANG_PATH}/1"),
            ""
        ));
        assert!(!ok("ak", "test-secret", "POST", COUPANG_PATH, "a=1"));
        assert!(!ok("ak", "other-secret", "POST", COUPANG_PATH, ""));
        assert!(!ok("ak2", "test-secret", "POST", COUPANG_PATH, ""));
        let later = coupang_header("ak", "240101T000001Z", COUPANG_SIGNATURE);
        assert!(!coupang_authorization_ok(
            &later,
            "ak",
            "test-secret",
            "POST",
            COUPANG_PATH,
            ""
        ));
    }

    #[test]
    fn a_malformed_cea_header_is_refused() {
        let signed =
            |datetime: &str| coupang_signature("test-secret", datetime, "POST", COUPANG_PATH, "");
        let accepted = |header: &str| {
            coupang_authorization_ok(header, "ak", "test-secret", "POST", COUPANG_PATH, "")
        };
        // A date that is not `yyMMdd'T'HHmmss'Z'`, even when signed as sent.
        for datetime in [
            "20240101T000000Z",
            "240101 000000Z",
            "240101T000000",
            "24010aT000000Z",
        ] {
            assert!(
                !accepted(&coupang_header("ak", datetime, &signed(datetime))),
                "{datetime}"
            );
        }
        let fine = coupang_header("ak", COUPANG_DATE, COUPANG_SIGNATURE);
        for header in [
            fine.replacen("CEA ", "HMAC ", 1),
            fine.replacen("HmacSHA256", "HmacSHA1", 1),
            format!("CEA access-key=ak, signed-date={COUPANG_DATE}, signature={COUPANG_SIGNATURE}"),
            format!("{fine}, signature={COUPANG_SIGNATURE}"),
            String::new(),
        ] {
            assert!(!accepted(&header), "{header}");
        }
    }
}
