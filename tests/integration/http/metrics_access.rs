//! `/metrics` answers only clients on this machine — the connection's peer address, not a
//! header — or anyone holding the metrics token (`--metrics-token`, sent as a bearer token).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use gachi_domain::ports::Store;

use crate::support::{Browser, Reply, TempDir, sqlite_store};

const TOKEN: &str = "metrics-7d1c5e0a9b3f4e21";

/// GET /metrics from `peer` (None: no peer known, as in-process) with extra headers.
async fn scrape(browser: &mut Browser, peer: Option<&str>, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get("/metrics");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(peer) = peer {
        request = request.extension(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    }
    browser.send(request.body(Body::empty()).unwrap()).await
}

fn is_metrics(reply: &Reply) -> bool {
    reply.status == StatusCode::OK && reply.body.contains("gachi_http_requests_total")
}

async fn app(dir: &TempDir, metrics_token: Option<&str>) -> Browser {
    let store: Arc<dyn Store> = sqlite_store(dir).await;
    let state = gachi_web::AppState::new(
        store,
        gachi_web::WebConfig {
            metrics_token: metrics_token.and_then(gachi_web::metrics::MetricsToken::new),
            ..gachi_web::WebConfig::default()
        },
    );
    Browser::new(gachi_web::app(state))
}

#[tokio::test]
async fn metrics_answer_loopback_clients_only_by_default() {
    let dir = TempDir::new("http-metrics-default");
    let mut browser = app(&dir, None).await;
    browser.get("/healthz").await;
    for peer in ["127.0.0.1:41234", "[::1]:41234", "[::ffff:127.0.0.1]:41234"] {
        let reply = scrape(&mut browser, Some(peer), &[]).await;
        assert!(
            is_metrics(&reply),
            "{peer}: {} {}",
            reply.status,
            reply.body
        );
    }
    for peer in [
        "203.0.113.9:41234",
        "192.168.0.10:41234",
        "[2001:db8::9]:41234",
    ] {
        let reply = scrape(&mut browser, Some(peer), &[]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{peer}");
        assert!(!reply.body.contains("gachi_http"), "{peer}: {}", reply.body);
    }
    let unknown = scrape(&mut browser, None, &[]).await;
    assert_eq!(
        unknown.status,
        StatusCode::FORBIDDEN,
        "a request without a known peer is not local"
    );
    // A proxy on this machine relays other people: its requests are not local.
    let relayed = scrape(
        &mut browser,
        Some("127.0.0.1:41234"),
        &[("x-forwarded-for", "203.0.113.9")],
    )
    .await;
    assert_eq!(relayed.status, StatusCode::FORBIDDEN);
    // Headers do not make a remote client local, and without a configured token none works.
    let spoofed = scrape(
        &mut browser,
        Some("203.0.113.9:41234"),
        &[
            ("host", "127.0.0.1:8080"),
            ("authorization", "Bearer anything"),
        ],
    )
    .await;
    assert_eq!(spoofed.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_metrics_token_lets_a_remote_scraper_in() {
    let dir = TempDir::new("http-metrics-token");
    let mut browser = app(&dir, Some(TOKEN)).await;
    let far = Some("203.0.113.9:41234");
    let bearer = format!("Bearer {TOKEN}");
    let reply = scrape(&mut browser, far, &[("authorization", &bearer)]).await;
    assert!(is_metrics(&reply), "{} {}", reply.status, reply.body);
    let in_process = scrape(&mut browser, None, &[("authorization", &bearer)]).await;
    assert!(is_metrics(&in_process), "the token needs no peer");
    for wrong in [
        String::new(),
        format!("Bearer {}", &TOKEN[..TOKEN.len() - 1]),
        format!("Bearer {TOKEN}x"),
        format!("Basic {TOKEN}"),
        TOKEN.to_owned(),
    ] {
        let headers: Vec<(&str, &str)> = if wrong.is_empty() {
            vec![]
        } else {
            vec![("authorization", wrong.as_str())]
        };
        let reply = scrape(&mut browser, far, &headers).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{wrong:?}");
        assert!(!reply.body.contains("gachi_http"));
    }
    let local = scrape(&mut browser, Some("127.0.0.1:41234"), &[]).await;
    assert!(is_metrics(&local), "loopback still needs no token");
}
