//! Coupang Wing: the HMAC signature verified independently, and a create answered with a 500
//! found again instead of duplicated.

use gachi_contract::{Scripted, coupang_server};
use gachi_domain::kernel::channel::Channel;
use gachi_domain::listing::marketplaces::Outcome;

use super::{credentials, fixture, publish, results};

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
