//! The publish flow against the local contract servers (crates/contract): signatures checked
//! byte for byte, bodies validated against the official schemas, scripted 429s and 500s.

use gachi_channels::Channel;
use gachi_channels::listing::{Context, CoupangCategoryMeta, SellerSettings};
use gachi_channels::submit::{
    Credentials, KnownPhotos, Outcome, ProductKey, SubmitConfig, Submitter,
};
use gachi_contract::{
    COUPANG_ACCESS, COUPANG_SECRET, NAVER_CLIENT_ID, NAVER_SECRET, Scripted, coupang_server,
    naver_server,
};
use gachi_domain::catalog::product::ProductFile;
use serde_json::{Value, json};

fn channels_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../channels")
}

// ---------------------------------------------------------------- the publish flow

fn fixture(name: &str) -> ProductFile {
    serde_json::from_str(
        &std::fs::read_to_string(channels_dir().join("fixtures").join(name)).unwrap(),
    )
    .unwrap()
}

pub fn credentials() -> Credentials {
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

fn context() -> Context {
    let mut context = Context::now();
    context.seller = serde_json::from_str::<SellerSettings>(
        &std::fs::read_to_string(channels_dir().join("fixtures/seller.json")).unwrap(),
    )
    .unwrap();
    let meta: CoupangCategoryMeta = serde_json::from_str(
        &std::fs::read_to_string(channels_dir().join("fixtures/coupang-meta-78877.json")).unwrap(),
    )
    .unwrap();
    context.coupang_meta.insert("78877".into(), meta);
    context.elevenst_notice_codes = serde_json::from_str(
        &std::fs::read_to_string(channels_dir().join("fixtures/notice-codes.example.json"))
            .unwrap(),
    )
    .unwrap();
    context.esm_notice_codes = context.elevenst_notice_codes.clone();
    context
}

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
        .map(|url| (url.clone(), crate::photos::jpeg(640, 640)))
        .collect()
}

async fn publish(
    channel: Channel,
    file: &ProductFile,
    base_url: &str,
    keys: &Credentials,
) -> gachi_channels::submit::Submission {
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
fn results(sent: &gachi_channels::submit::Submission) -> Vec<&'static str> {
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
                crate::photos::jpeg(800, 800)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

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
    let (url, market) =
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
    drop(market);
}

/// Smart Store takes only photos on its own image host: a create naming any other address is
/// refused (the contract server checks it), so the submitter uploads them first — Gachi's
/// stored photos from the blob store, others fetched from their address — and refuses formats
/// Naver does not take before anything is created.
#[tokio::test]
async fn naver_listings_carry_photos_uploaded_to_its_image_host() {
    let keys = credentials();
    let (url, market) = naver_server(vec![]).await;
    let mut file = fixture("bibimbap.json");

    // Sent as compiled, with the shop's own photo addresses: refused by field.
    let mut body = Vec::new();
    gachi_channels::compile(Channel::Naver, &file, &context(), &mut body).unwrap();
    let key = ProductKey {
        seller_code: file.sku.clone(),
        name: file.name.clone(),
    };
    let sent = Submitter::new(Channel::Naver, fast(&url))
        .submit(&body, &key, &keys)
        .await;
    let Outcome::Rejected { errors } = &sent.outcome else {
        panic!("{sent:#?}")
    };
    let fields: Vec<&str> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            "originProduct.images.representativeImage.url",
            "originProduct.images.optionalImages[0].url",
            "originProduct.images.optionalImages[1].url"
        ]
    );

    // Photos on the shop's own site are fetched and uploaded; the create names Naver's copies.
    let photos = photo_server().await;
    file.images = Some(gachi_domain::catalog::product::ImagesFile {
        main: format!("{photos}/photos/main.jpg"),
        extra: vec![format!("{photos}/photos/side.jpg")],
    });
    let sent = Submitter::new(Channel::Naver, fast(&url))
        .publish(&file, &context(), &keys, KnownPhotos::default())
        .await
        .unwrap();
    assert!(matches!(sent.outcome, Outcome::Created { .. }), "{sent:#?}");
    assert_eq!(
        market.lock().unwrap().images,
        [
            "https://shop-phinf.pstatic.net/contract/1.jpg",
            "https://shop-phinf.pstatic.net/contract/2.jpg"
        ]
    );

    // A WebP Naver would not take, and an address that does not answer: nothing is created.
    for (main, why) in [
        (format!("{photos}/photos/main.webp"), "JPG, GIF, PNG or BMP"),
        ("http://127.0.0.1:9/gone.jpg".to_owned(), "could not fetch"),
    ] {
        file.sku = format!("SKU-{}", why.len());
        file.images.as_mut().unwrap().main = main;
        let sent = Submitter::new(Channel::Naver, fast(&url))
            .publish(&file, &context(), &keys, KnownPhotos::default())
            .await
            .unwrap();
        let Outcome::Failed { reason } = &sent.outcome else {
            panic!("{sent:#?}")
        };
        assert!(reason.contains(why), "{reason}");
    }
    assert_eq!(market.lock().unwrap().products.len(), 1);
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
    assert!(matches!(sent.outcome, Outcome::Created { .. }), "{sent:#?}");
    assert_eq!(
        market.lock().unwrap().tokens.len(),
        1,
        "the photo upload and the create used one token"
    );
    let id = match &sent.outcome {
        Outcome::Created { product_id } => product_id.clone(),
        _ => unreachable!(),
    };
    submitter.status(&id, &keys).await.unwrap();
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
    let refused = submitter.status(&id, &other).await;
    assert!(
        refused.is_err(),
        "the contract server knows only its own application"
    );
    // Nor the same application id with another secret (a job sends for many shops).
    let mut wrong_secret = credentials();
    wrong_secret.naver.as_mut().unwrap().client_secret = "$2a$04$wrongwrongwrongwrongwr".into();
    let refused = submitter.status(&id, &wrong_secret).await;
    assert!(refused.is_err(), "a held token is not lent to other keys");
    assert!(submitter.status(&id, &keys).await.is_ok());
}

/// Photos Naver's host holds already are named as they are, not uploaded again; only the
/// others are uploaded, and those are reported for the caller to remember.
#[tokio::test]
async fn naver_names_photos_its_host_holds_and_uploads_only_the_others() {
    let keys = credentials();
    let (url, market) = naver_server(vec![]).await;
    let mut file = fixture("bibimbap.json");
    let submitter = Submitter::new(Channel::Naver, fast(&url));

    let first = publish(Channel::Naver, &file, &url, &keys).await;
    assert!(
        matches!(first.outcome, Outcome::Created { .. }),
        "{first:#?}"
    );
    let photos = stored_photos(&file);
    assert_eq!(first.hosted_photos.len(), photos.len());
    for ((from, to), (address, _)) in first.hosted_photos.iter().zip(&photos) {
        assert_eq!(from, address);
        assert!(to.starts_with("https://shop-phinf.pstatic.net/"), "{to}");
    }
    assert_eq!(market.lock().unwrap().images.len(), photos.len());

    // The same photos again: no upload call, and the create names the hosted copies (the
    // contract server refuses any address its host did not issue).
    file.sku = "JJ-BIBIM-AGAIN".into();
    let again = submitter
        .publish(
            &file,
            &context(),
            &keys,
            KnownPhotos {
                stored: &[],
                hosted: &first.hosted_photos,
            },
        )
        .await
        .unwrap();
    assert!(
        matches!(again.outcome, Outcome::Created { .. }),
        "{again:#?}"
    );
    assert_eq!(results(&again), ["created"]);
    assert!(again.hosted_photos.is_empty());
    assert_eq!(market.lock().unwrap().images.len(), photos.len());

    // One new photo: only it is uploaded.
    file.sku = "JJ-BIBIM-3".into();
    let new_photo = "https://shop.example.kr/img/bibim-new.jpg".to_owned();
    file.images.as_mut().unwrap().extra.push(new_photo.clone());
    let third = submitter
        .publish(
            &file,
            &context(),
            &keys,
            KnownPhotos {
                stored: &stored_photos(&file),
                hosted: &first.hosted_photos,
            },
        )
        .await
        .unwrap();
    assert!(
        matches!(third.outcome, Outcome::Created { .. }),
        "{third:#?}"
    );
    assert_eq!(results(&third), ["photos-uploaded", "created"]);
    let issued = market.lock().unwrap().images.last().cloned().unwrap();
    assert_eq!(third.hosted_photos, [(new_photo, issued)]);
    assert_eq!(market.lock().unwrap().images.len(), photos.len() + 1);

    // A remembered address the host no longer holds: Naver refuses it by its image field, so
    // the photo is uploaded again, once, and the product sent again.
    file.sku = "JJ-BIBIM-4".into();
    file.images.as_mut().unwrap().extra.pop();
    let main = file.images.as_ref().unwrap().main.clone();
    let stale = [(
        main.clone(),
        "https://shop-phinf.pstatic.net/contract/gone.jpg".to_owned(),
    )];
    let renewed = submitter
        .publish(
            &file,
            &context(),
            &keys,
            KnownPhotos {
                stored: &stored_photos(&file),
                hosted: &stale,
            },
        )
        .await
        .unwrap();
    assert!(
        matches!(renewed.outcome, Outcome::Created { .. }),
        "{renewed:#?}"
    );
    assert_eq!(
        results(&renewed),
        ["photos-uploaded", "rejected", "photos-uploaded", "created"]
    );
    let again = renewed.hosted_photos.iter().find(|(from, _)| *from == main);
    assert!(
        again.is_some_and(|(_, to)| !to.ends_with("gone.jpg")),
        "the new address is reported, to be remembered: {:#?}",
        renewed.hosted_photos
    );
    assert_eq!(market.lock().unwrap().products.len(), 4);

    // Without the photo's bytes at hand and at an address that does not answer, it stops.
    file.sku = "JJ-BIBIM-5".into();
    file.images.as_mut().unwrap().main = "http://127.0.0.1:9/gone.jpg".into();
    let stale = [(
        file.images.as_ref().unwrap().main.clone(),
        "https://shop-phinf.pstatic.net/contract/gone.jpg".to_owned(),
    )];
    let extras: Vec<(String, Vec<u8>)> = stored_photos(&file)
        .into_iter()
        .filter(|(address, _)| *address != stale[0].0)
        .collect();
    let stopped = submitter
        .publish(
            &file,
            &context(),
            &keys,
            KnownPhotos {
                stored: &extras,
                hosted: &stale,
            },
        )
        .await
        .unwrap();
    let Outcome::Failed { reason } = &stopped.outcome else {
        panic!("{stopped:#?}")
    };
    assert!(reason.contains("could not fetch"), "{reason}");
    assert_eq!(results(&stopped), ["photos-uploaded", "rejected"]);
    assert_eq!(
        stopped.hosted_photos.len(),
        extras.len(),
        "what was uploaded is still reported"
    );
    assert_eq!(market.lock().unwrap().products.len(), 4);
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
    assert!(
        errors
            .iter()
            .any(|e| e.field.as_deref() == Some("originProduct.statusType")),
        "{errors:#?}"
    );
    assert!(market.lock().unwrap().products.is_empty());
}

#[tokio::test]
async fn coupang_publishes_with_a_verified_signature_and_never_duplicates() {
    let file = fixture("phone-holder.json");
    let keys = credentials();
    let (url, market) = coupang_server(vec![Scripted::CreateThenServerError]).await;
    let sent = publish(Channel::Coupang, &file, &url, &keys).await;
    assert_eq!(
        sent.outcome,
        Outcome::Created {
            product_id: "2000001".into()
        },
        "{sent:#?}"
    );
    assert_eq!(results(&sent), ["server-error", "found-existing"]);
    let counts = {
        let m = market.lock().unwrap();
        (m.products.len(), m.rejected_signatures)
    };
    assert_eq!(counts, (1, 0));

    let mut wrong = keys.clone();
    wrong.coupang.as_mut().unwrap().secret_key = "not-the-secret".into();
    let sent = publish(Channel::Coupang, &file, &url, &wrong).await;
    assert!(matches!(sent.outcome, Outcome::Failed { .. }), "{sent:#?}");
    assert_eq!(market.lock().unwrap().rejected_signatures, 1);
}

#[tokio::test]
async fn gachi_listing_submit_sends_to_the_contract_server() {
    let (url, market) = naver_server(vec![Scripted::TooManyRequests]).await;
    let dir = crate::support::TempDir::new("listing-submit");
    let keys = dir.path().join("keys.json");
    std::fs::write(
        &keys,
        json!({"naver": {"client_id": NAVER_CLIENT_ID, "client_secret": NAVER_SECRET}}).to_string(),
    )
    .unwrap();
    // The photos are on the shop's own site: fetched and put on Naver's image host first.
    let photos = photo_server().await;
    let mut file = fixture("bibimbap.json");
    file.images = Some(gachi_domain::catalog::product::ImagesFile {
        main: format!("{photos}/photos/main.jpg"),
        extra: vec![format!("{photos}/photos/side.jpg")],
    });
    let product = dir.path().join("bibimbap.json");
    std::fs::write(&product, serde_json::to_vec(&file).unwrap()).unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_gachi"))
        .args([
            "listing",
            "submit",
            "--channel",
            "naver",
            "--base-url",
            &url,
            "--credentials",
        ])
        .arg(&keys)
        .arg(&product)
        .env("GACHI_LOG", "warn")
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let submission: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(submission["outcome"], "created");
    assert_eq!(submission["attempts"][0]["result"], "photos-uploaded");
    assert_eq!(submission["attempts"][1]["result"], "throttled");
    assert_eq!(market.lock().unwrap().products.len(), 1);
    assert_eq!(market.lock().unwrap().images.len(), 2);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(NAVER_SECRET)
            && !String::from_utf8_lossy(&out.stderr).contains(NAVER_SECRET),
        "the secret is never printed"
    );
}

/// The merchant registers 한옥식당 on 내 가게 (the answer is returned for checking).
async fn register_hanok(owner: &mut crate::support::Browser) -> crate::support::Reply {
    owner.get("/my-shop").await;
    owner
        .post_form(
            "/my-shop",
            &[
                ("name", "한옥식당"),
                ("business_number", "2208162517"),
                ("region_code", "52111"),
                ("industry_code", "I20101"),
            ],
        )
        .await
}

/// The shop creates the bibimbap product through the API with one photo uploaded to Gachi as
/// its main image (the fixture's own photo addresses are not reachable from here); its id.
async fn create_bibimbap(api: &mut crate::support::Browser, token: &str) -> i64 {
    create_bibimbap_as(api, token, |_| {}).await
}

/// The bibimbap product changed by `edit`, with its main photo uploaded to Gachi.
async fn create_bibimbap_as(
    api: &mut crate::support::Browser,
    token: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) -> i64 {
    use axum::http::StatusCode;
    let mut product = serde_json::to_value(fixture("bibimbap.json")).unwrap();
    product["images"]["extra"] = json!([]);
    edit(&mut product);
    let created = api
        .send(crate::support::api_request(
            "POST",
            "/api/v1/products",
            Some(token),
            Some(product),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let photo = api
        .send(crate::photos::upload(
            &format!("/api/v1/products/{id}/images"),
            token,
            crate::photos::jpeg(800, 800),
            "image/jpeg",
        ))
        .await;
    assert_eq!(photo.status, StatusCode::CREATED, "{}", photo.body);
    id
}

/// The merchant saves the contract server's Naver keys on 마켓 계정.
async fn save_naver_keys(owner: &mut crate::support::Browser) -> crate::support::Reply {
    owner.get("/my-shop/markets").await;
    owner
        .post_form(
            "/my-shop/markets",
            &[
                ("channel", "naver"),
                ("client_id", NAVER_CLIENT_ID),
                ("client_secret", NAVER_SECRET),
            ],
        )
        .await
}

/// The whole publish flow through the web app: the merchant saves the Naver keys (sealed, never
/// shown again), the product page offers to list, the API submits to the contract server, the
/// submission is recorded and the onboarding card moves to 심사중.
#[tokio::test]
async fn a_merchant_publishes_from_the_web_with_sealed_keys() {
    use crate::support::{TestApp, api_request, sqlite_store};
    use axum::http::StatusCode;
    use gachi_domain::listing::MarketAccountStore as _;

    let (url, market) = naver_server(vec![Scripted::TooManyRequests]).await;
    let dir = crate::support::TempDir::new("publish-web");
    let store = sqlite_store(&dir).await;
    let app = TestApp::with_markets(store.clone(), &[("naver", &url)]);
    let mut browser = app.signed_in("owner@hanok.kr", "merchant", "").await;
    let shop = register_hanok(&mut browser).await;
    assert_eq!(shop.status, StatusCode::SEE_OTHER, "{}", shop.body);
    let token = app.token_of("owner@hanok.kr").await;
    let mut api = app.browser();
    let id = create_bibimbap(&mut api, &token).await;
    let submit = |id: i64| {
        api_request(
            "POST",
            &format!("/api/v1/products/{id}/listings/naver/submit"),
            Some(&token),
            None,
        )
    };

    // No keys yet: the product page names the missing account, and submitting reports it.
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(
        page.body.contains("href=\"/my-shop/markets\""),
        "the account item links to the accounts page"
    );
    let refused = api.send(submit(id)).await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.body);
    assert_eq!(refused.json()["outcome"], "failed", "no keys, nothing sent");
    assert_eq!(market.lock().unwrap().product_requests, 0);

    let saved = save_naver_keys(&mut browser).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("data-testid=\"markets-saved\""));
    assert!(
        !saved.body.contains(NAVER_SECRET) && !saved.body.contains(NAVER_CLIENT_ID),
        "keys are never shown again"
    );
    let stored = store
        .channel_accounts(gachi_domain::merchants::merchant::MerchantId(1))
        .await
        .unwrap();
    let sealed = stored[0].sealed_credentials.clone().unwrap();
    assert!(
        !sealed.contains("QKLnou") && !sealed.contains(NAVER_CLIENT_ID),
        "sealed at rest"
    );

    let page = browser.get(&format!("/products/{id}")).await;
    assert!(
        page.body.contains("data-testid=\"submit-naver\""),
        "ready: the page offers to list"
    );
    let sent = api.send(submit(id)).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let sent = sent.json();
    assert_eq!(sent["outcome"], "created", "{sent:#}");
    assert_eq!(sent["attempts"][0]["result"], "photos-uploaded");
    assert_eq!(sent["attempts"][1]["result"], "throttled");
    assert_eq!(market.lock().unwrap().products.len(), 1);
    assert_eq!(
        market.lock().unwrap().images.len(),
        1,
        "the photo Gachi keeps went to Naver's image host"
    );

    let cards = api
        .send(api_request("GET", "/api/v1/onboarding", Some(&token), None))
        .await
        .json();
    assert_eq!(cards[0]["channel"], "naver");
    assert_eq!(cards[0]["stage"], "in_review");
    let page = browser.get(&format!("/products/{id}")).await;
    assert!(page.body.contains("data-testid=\"submissions\"") && page.body.contains("1000001"));

    // A second product with the same photo: Naver's host holds it already, so the listing
    // names the hosted copy and makes no upload call.
    let second =
        create_bibimbap_as(&mut api, &token, |p| p["sku"] = json!("JJ-BIBIM-SECOND")).await;
    let sent = api.send(submit(second)).await.json();
    assert_eq!(sent["outcome"], "created", "{sent:#}");
    assert_eq!(sent["attempts"][0]["result"], "created", "{sent:#}");
    assert_eq!(market.lock().unwrap().images.len(), 1, "not uploaded again");
    assert_eq!(market.lock().unwrap().products.len(), 2);

    // New keys (perhaps another seller account): the photo is uploaded again.
    save_naver_keys(&mut browser).await;
    let sent = api.send(submit(second)).await.json();
    assert_eq!(sent["attempts"][0]["result"], "photos-uploaded", "{sent:#}");
    assert_eq!(market.lock().unwrap().images.len(), 2);
}

/// The newest bulk job of `channel`, once it has finished (jobs run in the background).
async fn finished_job(
    store: &dyn gachi_domain::ports::Store,
    channel: &str,
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

/// Bulk actions on the onboarding board run as jobs: "validate all" moves the cards whose shop
/// has a product Naver would accept to 검증 통과 and counts the rest; "submit all validated" lists
/// those products on the contract server and the cards move to 심사중. The board shows the
/// latest job's progress (polled while it runs); one job per marketplace at a time.
#[tokio::test]
async fn operators_validate_and_submit_a_whole_board_at_once() {
    use crate::support::{TestApp, api_request, sqlite_store};
    use axum::http::StatusCode;
    use gachi_domain::onboarding::OnboardingStore as _;

    // Naver takes the shop's first product and refuses its second.
    let (url, market) = naver_server(vec![Scripted::AsUsual, Scripted::Refused]).await;
    let dir = crate::support::TempDir::new("publish-bulk");
    let store = sqlite_store(&dir).await;
    let app = TestApp::with_markets(store.clone(), &[("naver", &url)]);
    let mut owner = app.signed_in("owner@hanok.kr", "merchant", "").await;
    let shop = register_hanok(&mut owner).await;
    assert_eq!(shop.status, StatusCode::SEE_OTHER, "{}", shop.body);
    save_naver_keys(&mut owner).await;
    let token = app.token_of("owner@hanok.kr").await;
    let mut api = app.browser();
    create_bibimbap(&mut api, &token).await;
    create_bibimbap_as(&mut api, &token, |p| p["sku"] = json!("JJ-BIBIM-SECOND")).await;
    // Naver's own rules take this one, but it has no return address, which the catalog's
    // common checks (and so the product page) require: it is not sent.
    create_bibimbap_as(&mut api, &token, |p| {
        p["sku"] = json!("JJ-BIBIM-THIRD");
        p["shipping"]["return_to"] = json!(null);
    })
    .await;

    // A second shop on the board with nothing to list yet.
    let operator_token = app.token("ops-api@program.kr", "operator").await;
    let other = api
        .send(api_request(
            "POST",
            "/api/v1/merchants",
            Some(&operator_token),
            Some(serde_json::json!({"name": "대구 떡집", "business_number": "1068641434", "region_code": "27110", "industry_code": "I21001"})),
        ))
        .await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.body);
    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    for merchant in [1, other.json()["id"].as_i64().unwrap()] {
        let moved = api
            .send(api_request(
                "POST",
                "/api/v1/onboarding/moves",
                Some(&operator_token),
                Some(serde_json::json!({"merchant_id": merchant, "channel": "naver", "stage": "drafting"})),
            ))
            .await;
        assert_eq!(moved.status, StatusCode::NO_CONTENT, "{}", moved.body);
    }

    let board = operator.get("/onboarding").await;
    assert!(
        !board.body.contains("data-testid=\"bulk-actions\""),
        "bulk actions need one marketplace"
    );
    let board = operator.get("/onboarding?channel=naver").await;
    assert!(board.body.contains("data-testid=\"bulk-validate\""));
    let validated = operator
        .post_form(
            "/onboarding/bulk",
            &[("action", "validate"), ("channel", "naver")],
        )
        .await;
    assert_eq!(
        validated.status,
        StatusCode::SEE_OTHER,
        "{}",
        validated.body
    );
    let back = validated.location().unwrap().to_owned();
    assert_eq!(back, "/onboarding?channel=naver");
    let job = finished_job(store.as_ref(), "naver").await;
    assert_eq!(
        (job.kind, job.total, job.done, job.passed, job.failed),
        (
            gachi_domain::onboarding::bulk_job::JobKind::Validate,
            2,
            2,
            1,
            1
        )
    );
    let board = operator.get(&back).await;
    assert!(
        board
            .body
            .contains("1곳 통과, 1곳은 아직 고칠 것이 있습니다")
            && board.body.contains("data-state=\"finished\""),
        "{}",
        board.body
    );
    let column = |body: &str, stage: &str| {
        body.split(&format!("data-testid=\"column-{stage}\""))
            .nth(1)
            .unwrap()
            .split("data-testid=\"column-")
            .next()
            .unwrap()
            .to_owned()
    };
    assert!(column(&board.body, "validated").contains("한옥식당"));
    assert!(column(&board.body, "drafting").contains("대구 떡집"));
    assert_eq!(
        market.lock().unwrap().product_requests,
        0,
        "validating sends nothing"
    );
    // The board polls a job's progress; a finished job tells the board to reload.
    let progress = operator
        .send(
            axum::http::Request::get(format!("/onboarding/jobs/{}", job.id))
                .header("hx-request", "true")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(progress.status, StatusCode::OK);
    assert_eq!(progress.headers["hx-refresh"], "true");
    assert!(
        progress
            .body
            .contains("<progress max=\"100\" value=\"100\"")
    );

    // While a job runs for the marketplace another is refused.
    let running = store
        .start_bulk_job(
            &gachi_domain::onboarding::bulk_job::NewBulkJob {
                kind: gachi_domain::onboarding::bulk_job::JobKind::Submit,
                channel: "naver".into(),
                total: 1,
                started_by: gachi_domain::accounts::UserId(1),
                at: gachi_domain::kernel::time::Timestamp::now(),
            },
            &gachi_domain::kernel::audit::Actor::default().entry(
                gachi_domain::kernel::time::Timestamp::now(),
                "onboarding.bulk",
                "test",
                "",
            ),
        )
        .await
        .unwrap();
    let polling = operator
        .send(
            axum::http::Request::get(format!("/onboarding/jobs/{}", running.id))
                .header("hx-request", "true")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        polling.body.contains("hx-trigger=\"every 1s\"")
            && !polling.headers.contains_key("hx-refresh"),
        "a running job keeps polling"
    );
    let busy = operator
        .post_form(
            "/onboarding/bulk",
            &[("action", "submit"), ("channel", "naver")],
        )
        .await;
    let back = busy.location().unwrap().to_owned();
    assert!(back.ends_with("&bulk=busy"), "{back}");
    assert!(
        operator
            .get(&back)
            .await
            .body
            .contains("이미 진행 중입니다")
    );
    // The same through the API, for schedulers.
    let api_job = |body: serde_json::Value, token: &str| {
        api_request("POST", "/api/v1/onboarding/jobs", Some(token), Some(body))
    };
    let conflict = api
        .send(api_job(
            serde_json::json!({"action": "submit", "channel": "naver"}),
            &operator_token,
        ))
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.body);
    let invalid = api
        .send(api_job(
            serde_json::json!({"action": "delete", "channel": "wemakeprice"}),
            &operator_token,
        ))
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("\"action\"") && invalid.body.contains("\"channel\""));
    let not_staff = api
        .send(api_job(
            serde_json::json!({"action": "submit", "channel": "naver"}),
            &token,
        ))
        .await;
    assert_eq!(not_staff.status, StatusCode::FORBIDDEN);
    let read = api
        .send(api_request(
            "GET",
            &format!("/api/v1/onboarding/jobs/{}", job.id),
            Some(&operator_token),
            None,
        ))
        .await
        .json();
    assert_eq!(
        (
            &read["action"],
            &read["state"],
            &read["passed"],
            &read["percent"]
        ),
        (&json!("validate"), &json!("done"), &json!(1), &json!(100))
    );
    let missing = api
        .send(api_request(
            "GET",
            "/api/v1/onboarding/jobs/999999",
            Some(&operator_token),
            None,
        ))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    store
        .finish_bulk_job(
            running.id,
            gachi_domain::onboarding::bulk_job::JobState::Done,
            gachi_domain::kernel::time::Timestamp::now(),
        )
        .await
        .unwrap();

    let started = api
        .send(api_job(
            serde_json::json!({"action": "submit", "channel": "naver"}),
            &operator_token,
        ))
        .await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.body);
    assert_eq!(started.json()["state"], "running");
    let back = "/onboarding?channel=naver";
    let job = finished_job(store.as_ref(), "naver").await;
    assert_eq!(
        (job.kind, job.total, job.passed, job.failed),
        (gachi_domain::onboarding::bulk_job::JobKind::Submit, 1, 1, 1)
    );
    assert_eq!(
        market.lock().unwrap().product_requests,
        2,
        "the two ready products are sent, not the one without a return address"
    );
    assert_eq!(market.lock().unwrap().products.len(), 1);
    // One move for the shop: to 심사중, as one product is in review — not to 반려 because the
    // last answer was a refusal.
    let moves: Vec<_> = store
        .onboarding_moves(gachi_domain::merchants::merchant::MerchantId(1))
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.channel == "naver")
        .map(|m| m.to)
        .collect();
    use gachi_domain::onboarding::Stage;
    assert_eq!(
        moves,
        [Stage::Drafting, Stage::Validated, Stage::InReview],
        "the card moves once for the shop's products"
    );
    let board = operator.get(back).await;
    assert!(column(&board.body, "in_review").contains("한옥식당"));
    assert!(column(&board.body, "drafting").contains("대구 떡집"));

    let crafted = operator
        .get("/onboarding?channel=naver&bulk=%EA%B0%80%EC%A7%9C%20%EC%95%88%EB%82%B4")
        .await;
    assert!(
        !crafted.body.contains("data-testid=\"bulk-result\""),
        "words in the link are not shown"
    );
    let merchant_tries = owner
        .post_form(
            "/onboarding/bulk",
            &[("action", "submit"), ("channel", "naver")],
        )
        .await;
    assert_eq!(merchant_tries.status, StatusCode::FORBIDDEN);
}

/// Reading a listed product's review back: Coupang's statusName and Naver's statusType map to
/// 심사중 / 판매중 / 반려 / 중지, signed like every other call; 11st and ESM say they cannot.
#[tokio::test]
async fn the_marketplaces_review_status_is_read_back_signed() {
    use gachi_channels::submit::ReviewStatus;
    let keys = credentials();
    let (url, market) = coupang_server(Vec::new()).await;
    let sent = publish(Channel::Coupang, &fixture("phone-holder.json"), &url, &keys).await;
    let Outcome::Created { product_id } = sent.outcome else {
        panic!("{sent:#?}")
    };
    let coupang = Submitter::new(Channel::Coupang, fast(&url));
    assert_eq!(
        coupang.status(&product_id, &keys).await,
        Ok(ReviewStatus::InReview)
    );
    let id: i64 = product_id.parse().unwrap();
    for (name, expected) in [
        ("승인완료", ReviewStatus::Selling),
        (
            "승인반려",
            ReviewStatus::Rejected {
                reason: "승인반려".into(),
            },
        ),
    ] {
        market.lock().unwrap().statuses.insert(id, name.into());
        assert_eq!(coupang.status(&product_id, &keys).await, Ok(expected));
    }
    let mut wrong = keys.clone();
    wrong.coupang.as_mut().unwrap().secret_key = "not-the-secret".into();
    assert!(coupang.status(&product_id, &wrong).await.is_err());
    assert!(coupang.status("../../x", &keys).await.is_err());

    let (url, market) = naver_server(Vec::new()).await;
    let sent = publish(Channel::Naver, &fixture("bibimbap.json"), &url, &keys).await;
    let Outcome::Created { product_id } = sent.outcome else {
        panic!("{sent:#?}")
    };
    let naver = Submitter::new(Channel::Naver, fast(&url));
    assert_eq!(
        naver.status(&product_id, &keys).await,
        Ok(ReviewStatus::Selling)
    );
    market
        .lock()
        .unwrap()
        .statuses
        .insert(product_id.parse().unwrap(), "SUSPENSION".into());
    assert_eq!(
        naver.status(&product_id, &keys).await,
        Ok(ReviewStatus::Stopped {
            reason: "SUSPENSION".into()
        })
    );
    assert!(naver.status("999", &keys).await.is_err(), "unknown product");
    let elevenst = Submitter::new(Channel::ElevenSt, fast(&url));
    assert!(elevenst.status("1", &keys).await.is_err());
}

/// "마켓 심사 결과 확인" is a job like the other bulk actions (the board's button, or
/// `POST /api/v1/onboarding/jobs` with `review` from a scheduler): cards in 심사중 move when the
/// marketplace has decided, a card still in review stays, and a card with nothing listed is
/// counted as not checked.
#[tokio::test]
async fn a_review_check_moves_the_cards_the_marketplace_decided() {
    use crate::support::{TestApp, api_request, sqlite_store};
    use axum::http::StatusCode;

    let (url, market) = naver_server(Vec::new()).await;
    let dir = crate::support::TempDir::new("publish-reviews");
    let store = sqlite_store(&dir).await;
    let app = TestApp::with_markets(store.clone(), &[("naver", &url)]);
    let mut owner = app.signed_in("owner@hanok.kr", "merchant", "").await;
    register_hanok(&mut owner).await;
    save_naver_keys(&mut owner).await;
    let token = app.token_of("owner@hanok.kr").await;
    let mut api = app.browser();
    let id = create_bibimbap(&mut api, &token).await;
    let sent = api
        .send(api_request(
            "POST",
            &format!("/api/v1/products/{id}/listings/naver/submit"),
            Some(&token),
            None,
        ))
        .await;
    assert_eq!(sent.json()["outcome"], "created", "{}", sent.body);
    let listed: i64 = sent.json()["product_id"]
        .as_str()
        .map(|s| s.parse().unwrap())
        .unwrap_or(1_000_001);
    market
        .lock()
        .unwrap()
        .statuses
        .insert(listed, "WAIT".into());

    // A second shop in 심사중 with nothing listed through Gachi.
    let operator_token = app.token("ops-api@program.kr", "operator").await;
    let other = api
        .send(api_request(
            "POST",
            "/api/v1/merchants",
            Some(&operator_token),
            Some(serde_json::json!({"name": "대구 떡집", "business_number": "1068641434", "region_code": "27110", "industry_code": "I21001"})),
        ))
        .await;
    api.send(api_request(
        "POST",
        "/api/v1/onboarding/moves",
        Some(&operator_token),
        Some(serde_json::json!({"merchant_id": other.json()["id"], "channel": "naver", "stage": "in_review"})),
    ))
    .await;

    let review = serde_json::json!({"action": "review", "channel": "naver"});
    let started = api
        .send(api_request(
            "POST",
            "/api/v1/onboarding/jobs",
            Some(&operator_token),
            Some(review.clone()),
        ))
        .await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.body);
    assert_eq!(started.json()["action"], "review");
    let job = finished_job(store.as_ref(), "naver").await;
    assert_eq!(
        (
            job.kind,
            job.total,
            job.done,
            job.passed,
            job.waiting(),
            job.failed
        ),
        (
            gachi_domain::onboarding::bulk_job::JobKind::Review,
            2,
            2,
            0,
            1,
            1
        ),
        "one still in review, one with nothing listed"
    );
    let read = api
        .send(api_request(
            "GET",
            &format!("/api/v1/onboarding/jobs/{}", job.id),
            Some(&operator_token),
            None,
        ))
        .await;
    assert_eq!(
        (
            read.json()["state"].as_str(),
            read.json()["failed"].as_i64()
        ),
        (Some("done"), Some(1))
    );

    // Naver has decided: the operator checks from the board.
    market
        .lock()
        .unwrap()
        .statuses
        .insert(listed, "SALE".into());
    let mut operator = app.signed_in("ops@program.kr", "operator", "").await;
    let board = operator.get("/onboarding?channel=naver").await;
    assert!(board.body.contains("data-testid=\"check-reviews\""));
    let done = operator
        .post_form(
            "/onboarding/bulk",
            &[("action", "review"), ("channel", "naver")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let back = done.location().unwrap().to_owned();
    let job = finished_job(store.as_ref(), "naver").await;
    assert_eq!((job.passed, job.waiting(), job.failed), (1, 0, 1));
    let board = operator.get(&back).await;
    assert!(
        board
            .body
            .contains("1곳은 결과가 나와 판매중·반려·보류로 옮겼고"),
        "the counts are shown: {}",
        board.body
    );
    let selling = board
        .body
        .split("data-testid=\"column-selling\"")
        .nth(1)
        .unwrap()
        .split("data-testid=\"column-")
        .next()
        .unwrap();
    assert!(selling.contains("한옥식당"));

    let refused = api
        .send(api_request(
            "POST",
            "/api/v1/onboarding/jobs",
            Some(&token),
            Some(review),
        ))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let unknown = api
        .send(api_request(
            "POST",
            "/api/v1/onboarding/jobs",
            Some(&operator_token),
            Some(serde_json::json!({"action": "review", "channel": "wemakeprice"})),
        ))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// 11st: the openapikey header is checked, the `<Product>` XML is read and held to 11st's
/// documented core rules (required elements and codes, 10-won prices, stock > 0, A/S and
/// return texts ≤ 4,000 bytes); what Gachi compiles is accepted; a body breaking the rules comes
/// back as 11st's resultCode 500 with its message; a 5xx is not retried blindly (11st cannot be
/// asked whether the product exists), so nothing is duplicated.
#[tokio::test]
async fn elevenst_publishes_xml_with_its_key_and_its_rules() {
    let file = fixture("bibimbap.json");
    let keys = credentials();
    let (url, market) = gachi_contract::elevenst_server(Vec::new()).await;
    let sent = publish(Channel::ElevenSt, &file, &url, &keys).await;
    assert_eq!(
        sent.outcome,
        Outcome::Created {
            product_id: "3000001".into()
        },
        "{sent:#?}"
    );

    // A body breaking 11st's rules, sent as is: refused with 11st's words.
    let mut body = Vec::new();
    gachi_channels::compile(Channel::ElevenSt, &file, &context(), &mut body).unwrap();
    let text = String::from_utf8(body).unwrap();
    let start = text.find("<selPrc>").unwrap() + "<selPrc>".len();
    let end = text[start..].find('<').unwrap() + start;
    let broken = format!("{}15905{}", &text[..start], &text[end..]);
    let key = ProductKey {
        seller_code: "X".into(),
        name: "X".into(),
    };
    let refused = Submitter::new(Channel::ElevenSt, fast(&url))
        .submit(broken.as_bytes(), &key, &keys)
        .await;
    match &refused.outcome {
        Outcome::Rejected { errors } => {
            assert!(errors[0].message.contains("selPrc"), "{errors:?}")
        }
        other => panic!("{other:?}"),
    }

    let mut wrong = keys.clone();
    wrong.elevenst.as_mut().unwrap().api_key = "not-the-key".into();
    let sent = publish(Channel::ElevenSt, &file, &url, &wrong).await;
    assert!(matches!(sent.outcome, Outcome::Failed { .. }), "{sent:#?}");
    assert_eq!(market.lock().unwrap().rejected_signatures, 1);

    let (url, market) = gachi_contract::elevenst_server(vec![Scripted::ServerError]).await;
    let sent = publish(Channel::ElevenSt, &file, &url, &keys).await;
    assert!(
        matches!(sent.outcome, Outcome::Failed { .. }),
        "an ambiguous failure stops: {sent:#?}"
    );
    let m = market.lock().unwrap();
    assert_eq!((m.product_requests, m.products.len()), (1, 0));
}

/// ESM 2.0: the per-request HS256 JWT is verified independently (signature, master ID, seller
/// IDs, audience, age), the body is held to `item/v1/goods`' documented skeleton; what Gachi
/// compiles for a product without options is accepted; a wrong secret or an unknown seller ID is
/// refused and not retried; a broken body comes back with the field; a 5xx stops (ESM cannot be
/// asked whether the goods exist), so nothing is duplicated.
#[tokio::test]
async fn esm_publishes_with_a_verified_jwt_and_its_rules() {
    let mut file = fixture("bibimbap.json");
    file.options.clear();
    file.variants.clear();
    let keys = credentials();
    let (url, market) = gachi_contract::esm_server(vec![Scripted::TooManyRequests]).await;
    let sent = publish(Channel::Esm, &file, &url, &keys).await;
    assert_eq!(
        sent.outcome,
        Outcome::Created {
            product_id: "4000001".into()
        },
        "{sent:#?}"
    );
    assert_eq!(results(&sent), ["throttled", "created"]);

    // A body without its main image, sent as is: refused naming the field.
    let mut body = Vec::new();
    gachi_channels::compile(Channel::Esm, &file, &context(), &mut body).unwrap();
    let mut broken: Value = serde_json::from_slice(&body).unwrap();
    broken["itemAddtionalInfo"]["images"]["basicImgURL"] = json!("");
    let key = ProductKey {
        seller_code: "X".into(),
        name: "X".into(),
    };
    let refused = Submitter::new(Channel::Esm, fast(&url))
        .submit(broken.to_string().as_bytes(), &key, &keys)
        .await;
    match &refused.outcome {
        Outcome::Rejected { errors } => assert!(
            errors[0]
                .message
                .contains("itemAddtionalInfo.images.basicImgURL"),
            "{errors:?}"
        ),
        other => panic!("{other:?}"),
    }

    for wrong in [
        |k: &mut Credentials| k.esm.as_mut().unwrap().secret_key = "not-the-secret".into(),
        |k: &mut Credentials| k.esm.as_mut().unwrap().gmarket_seller_id = Some("someone".into()),
    ] {
        let mut keys = keys.clone();
        wrong(&mut keys);
        let sent = publish(Channel::Esm, &file, &url, &keys).await;
        assert!(matches!(sent.outcome, Outcome::Failed { .. }), "{sent:#?}");
        assert_eq!(
            sent.attempts.len(),
            1,
            "refused credentials are not retried"
        );
    }
    assert_eq!(market.lock().unwrap().rejected_signatures, 2);
    assert_eq!(market.lock().unwrap().products.len(), 1);

    let (url, market) = gachi_contract::esm_server(vec![Scripted::ServerError]).await;
    let sent = publish(Channel::Esm, &file, &url, &keys).await;
    assert!(
        matches!(sent.outcome, Outcome::Failed { .. }),
        "an ambiguous failure stops: {sent:#?}"
    );
    let m = market.lock().unwrap();
    assert_eq!((m.product_requests, m.products.len()), (1, 0));
}
