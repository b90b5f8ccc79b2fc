//! Naver Smart Store: signed calls and schema-valid bodies, throttling and server errors retried
//! without ever creating a duplicate, one token shared and renewed, and the schema's refusals
//! relayed by field.

use gachi_channels::submit::{ProductKey, Submitter};
use gachi_contract::{Scripted, naver_server};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::{KnownPhotos, Outcome};

use super::{context, credentials, fast, fixture, publish, results, stored_photos};

#[tokio::test]
async fn naver_publishes_signed_and_schema_valid_retries_throttling_and_never_duplicates() {
    let file = fixture("bibimbap.json");
    let keys = credentials();

    let (url, market) = naver_server(vec![]).await;
    let sent = publish(Channel::Naver, &file, &url, &keys).await;
    assert_eq!(
        sent.outcome,
        Outcome::Created {
            product_id: "1000001".into()
        },
        "{sent:#?}"
    );
    assert_eq!(results(&sent), ["photos-uploaded", "created"]);
    assert_eq!(sent.request_digest.len(), 64);
    assert_eq!(market.lock().unwrap().rejected_signatures, 0);
    assert_eq!(
        market.lock().unwrap().images.len(),
        3,
        "the main photo and the two extra ones went to Naver's image host first"
    );

    // 429 twice: waited and sent again.
    let (url, _throttling) =
        naver_server(vec![Scripted::TooManyRequests, Scripted::TooManyRequests]).await;
    let sent = publish(Channel::Naver, &file, &url, &keys).await;
    assert!(matches!(sent.outcome, Outcome::Created { .. }), "{sent:#?}");
    assert_eq!(
        results(&sent),
        ["photos-uploaded", "throttled", "throttled", "created"]
    );

    // Created, but the answer was a 500: the retry finds it instead of creating a second one.
    let (url, market_after) = naver_server(vec![Scripted::CreateThenServerError]).await;
    let sent = publish(Channel::Naver, &file, &url, &keys).await;
    assert_eq!(
        sent.outcome,
        Outcome::Created {
            product_id: "1000001".into()
        },
        "{sent:#?}"
    );
    assert_eq!(
        results(&sent),
        ["photos-uploaded", "server-error", "found-existing"]
    );
    assert_eq!(
        market_after.lock().unwrap().products.len(),
        1,
        "no duplicate"
    );

    // A 500 before anything was created: looked up, not found, sent again.
    let (url, market_retry) = naver_server(vec![Scripted::ServerError]).await;
    let sent = publish(Channel::Naver, &file, &url, &keys).await;
    assert_eq!(
        results(&sent),
        ["photos-uploaded", "server-error", "not-found", "created"]
    );
    assert_eq!(market_retry.lock().unwrap().products.len(), 1);

    // Wrong secret: the server's byte-for-byte check refuses it, and nothing is retried.
    let mut wrong = keys.clone();
    wrong.naver.as_mut().unwrap().client_secret = "$2a$04$QKLnou1D2cSH19Pia30bcA".into();
    let sent = publish(Channel::Naver, &file, &url, &wrong).await;
    assert!(matches!(sent.outcome, Outcome::Failed { .. }), "{sent:#?}");
    assert_eq!(sent.attempts.len(), 1);
}

/// One Naver token serves a submitter's calls while it lasts (Naver's last 3 hours); a token
/// Naver no longer takes is replaced and the call made again, so nothing fails for it.
#[tokio::test]
async fn naver_calls_share_one_token_and_renew_a_refused_one() {
    let keys = credentials();
    let (url, market) = naver_server(vec![]).await;
    let mut file = fixture("bibimbap.json");
    let submitter = Submitter::new(Channel::Naver, fast(&url));
    let stored = stored_photos(&file);
    let known = KnownPhotos {
        stored: &stored,
        hosted: &[],
    };
    let sent = submitter
        .publish(&file, &context(), &keys, known)
        .await
        .unwrap();
    let Outcome::Created { product_id: id } = &sent.outcome else {
        panic!("{sent:#?}")
    };
    assert_eq!(
        market.lock().unwrap().tokens.len(),
        1,
        "the photo upload and the create used one token"
    );
    submitter.status(id, &keys).await.unwrap();
    assert_eq!(market.lock().unwrap().tokens.len(), 1, "the read-back too");

    // Naver forgets the token: the next call is refused once, renews it and goes through.
    market.lock().unwrap().tokens.clear();
    file.sku = "JJ-BIBIM-TOKEN".into();
    let again = submitter
        .publish(&file, &context(), &keys, known)
        .await
        .unwrap();
    assert!(
        matches!(again.outcome, Outcome::Created { .. }),
        "{again:#?}"
    );
    assert_eq!(market.lock().unwrap().tokens.len(), 1, "one new token");
    assert_eq!(market.lock().unwrap().products.len(), 2);

    // Other keys never use the held token (the server refuses their own token request).
    let mut other = credentials();
    other.naver.as_mut().unwrap().client_id = "other-application".into();
    let refused = submitter.status(id, &other).await;
    assert!(
        refused.is_err(),
        "the contract server knows only its own application"
    );
    // Nor the same application id with another secret (a job sends for many shops).
    let mut wrong_secret = credentials();
    wrong_secret.naver.as_mut().unwrap().client_secret = "$2a$04$wrongwrongwrongwrongwr".into();
    let refused = submitter.status(id, &wrong_secret).await;
    assert!(refused.is_err(), "a held token is not lent to other keys");
    assert!(submitter.status(id, &keys).await.is_ok());
}

#[tokio::test]
async fn naver_reports_what_its_schema_refuses() {
    let (url, market) = naver_server(vec![]).await;
    let keys = credentials();
    // A body the adapter would never build: sent raw to see the marketplace's refusal relayed.
    let body = br#"{"originProduct":{"statusType":"SOLD"},"smartstoreChannelProduct":{}}"#;
    let key = ProductKey {
        seller_code: "X".into(),
        name: "X".into(),
    };
    let sent = Submitter::new(Channel::Naver, fast(&url))
        .submit(body, &key, &keys)
        .await;
    let Outcome::Rejected { errors } = &sent.outcome else {
        panic!("{sent:#?}")
    };
    let fields: Vec<&str> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
    assert!(
        fields.contains(&"originProduct.statusType"),
        "the refused field is named: {errors:#?}"
    );
    assert!(market.lock().unwrap().products.is_empty());
}
