//! ESM 2.0 (G마켓·옥션): the per-request HS256 JWT is verified independently (signature, master
//! ID, seller IDs, audience, age), the body is held to `item/v1/goods`' documented skeleton;
//! what Gachi compiles for a product without options is accepted; a wrong secret or an unknown
//! seller ID is refused and not retried; a broken body comes back with the field; a 5xx stops
//! (ESM cannot be asked whether the goods exist), so nothing is duplicated.

use gachi_channels::submit::{Credentials, ProductKey, Submitter};
use gachi_contract::Scripted;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::Outcome;
use serde_json::{Value, json};

use super::{context, credentials, fast, fixture, publish, results};

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

    let wrong_keys: [fn(&mut Credentials); 2] = [
        |k| k.esm.as_mut().unwrap().secret_key = "not-the-secret".into(),
        |k| k.esm.as_mut().unwrap().gmarket_seller_id = Some("someone".into()),
    ];
    for wrong in wrong_keys {
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
