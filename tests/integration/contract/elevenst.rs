//! 11st: the openapikey header is checked, the `<Product>` XML is read and held to 11st's
//! documented core rules (required elements and codes, 10-won prices, stock > 0, A/S and
//! return texts ≤ 4,000 bytes); what Gachi compiles is accepted; a body breaking the rules comes
//! back as 11st's resultCode 500 with its message; a 5xx is not retried blindly (11st cannot be
//! asked whether the product exists), so nothing is duplicated.

use gachi_channels::submit::{ProductKey, Submitter};
use gachi_contract::Scripted;
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::Outcome;

use super::{context, credentials, fast, fixture, publish};

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

    // A body breaking 11st's rules (a price not in tens of won), sent as is: refused with
    // 11st's words.
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
