//! Prometheus metrics without a metrics framework: request counts by route, method and status,
//! and a latency histogram by route, rendered in the text exposition format at `/metrics`.
//! Routes are the matched patterns (`/regions/{code}`), never raw paths, so the label set stays
//! bounded.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;

use gachi_domain::kernel::secret;

use crate::AppState;

/// Histogram bucket upper bounds, seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Everything recorded for one route and method.
#[derive(Default)]
struct Series {
    by_status: BTreeMap<u16, u64>,
    latency: Histogram,
}

/// Series by route, then method. Both levels are looked up by `&str`, so a request allocates
/// only the first time its route is seen; routes are few (the matched patterns).
#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<String, BTreeMap<String, Series>>>,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut all) = self.series.lock() else {
            return;
        };
        if !all.contains_key(route) {
            all.insert(route.to_owned(), BTreeMap::new());
        }
        let by_method = all.get_mut(route).expect("inserted above");
        if !by_method.contains_key(method) {
            by_method.insert(method.to_owned(), Series::default());
        }
        let series = by_method.get_mut(method).expect("inserted above");
        *series.by_status.entry(status).or_default() += 1;
        let histogram = &mut series.latency;
        for (bucket, bound) in histogram.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// The Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP gachi_http_requests_total HTTP requests by route, method and status.\n",
        );
        out.push_str("# TYPE gachi_http_requests_total counter\n");
        let Ok(all) = self.series.lock() else {
            return out;
        };
        let series = || {
            all.iter()
                .flat_map(|(r, by_method)| by_method.iter().map(move |(m, s)| (r, m, s)))
        };
        for (route, method, series) in series() {
            for (status, count) in &series.by_status {
                let _ = writeln!(
                    out,
                    "gachi_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {count}",
                    escape(route)
                );
            }
        }
        out.push_str("# HELP gachi_http_request_duration_seconds HTTP request latency by route and method.\n");
        out.push_str("# TYPE gachi_http_request_duration_seconds histogram\n");
        {
            for (route, method, series) in series() {
                let h = &series.latency;
                let labels = format!("route=\"{}\",method=\"{method}\"", escape(route));
                for (bound, count) in BUCKETS.iter().zip(h.buckets) {
                    let _ = writeln!(
                        out,
                        "gachi_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                    );
                }
                let _ = writeln!(
                    out,
                    "gachi_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "gachi_http_request_duration_seconds_sum{{{labels}}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "gachi_http_request_duration_seconds_count{{{labels}}} {}",
                    h.count
                );
            }
        }
        out
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The token that lets a client on another machine read `/metrics` (`--metrics-token`), sent
/// as `Authorization: Bearer <token>`. Never printed: its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// The token, or None for an empty one (no token configured).
    pub fn new(token: impl Into<String>) -> Option<Self> {
        let token = token.into();
        (!token.is_empty()).then_some(Self(token))
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

/// Whether a request may read `/metrics`: it carries `Authorization: Bearer <token>` with the
/// configured token, or — without a token — it comes straight from this machine. The peer is the
/// connection's address (`ConnectInfo`), never a header; a loopback peer that forwards for
/// someone else (a reverse proxy on the same machine adds `Forwarded` or `X-Forwarded-For`) does
/// not count as local, and a request without a known peer is not local either.
pub fn may_read(request: &Request, token: Option<&MetricsToken>) -> bool {
    let headers = request.headers();
    let sent = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, sent)| sent.trim());
    if let (Some(MetricsToken(expected)), Some(sent)) = (token, sent) {
        return secret::constant_time_eq(expected.as_bytes(), sent.as_bytes());
    }
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|name| headers.contains_key(*name));
    let loopback = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(peer)| peer.ip().to_canonical().is_loopback());
    loopback && !forwarded
}

pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    state.metrics().record(
        method.as_str(),
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(peer: Option<&str>, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::get("/metrics");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        if let Some(peer) = peer {
            builder = builder.extension(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        }
        builder.body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn only_loopback_peers_or_the_token_read_metrics() {
        let token = MetricsToken::new("s3cret");
        let token = token.as_ref();
        for peer in [
            "127.0.0.1:50000",
            "127.8.9.10:1",
            "[::1]:50000",
            "[::ffff:127.0.0.1]:1",
        ] {
            assert!(may_read(&request(Some(peer), &[]), None), "{peer}");
            assert!(may_read(&request(Some(peer), &[]), token), "{peer}");
        }
        for peer in [
            "203.0.113.7:50000",
            "10.0.0.2:1",
            "[2001:db8::1]:1",
            "0.0.0.0:1",
        ] {
            assert!(!may_read(&request(Some(peer), &[]), None), "{peer}");
        }
        assert!(
            !may_read(&request(None, &[]), None),
            "no peer is not loopback"
        );
        for forwarded in [
            ("x-forwarded-for", "203.0.113.7"),
            ("forwarded", "for=203.0.113.7"),
            ("x-real-ip", "203.0.113.7"),
        ] {
            assert!(!may_read(&request(Some("127.0.0.1:1"), &[forwarded]), None));
        }
        let bearer = |t: &str| format!("Bearer {t}");
        let far = Some("203.0.113.7:50000");
        assert!(may_read(
            &request(far, &[("authorization", &bearer("s3cret"))]),
            token
        ));
        assert!(may_read(
            &request(None, &[("authorization", "bearer s3cret")]),
            token
        ));
        for wrong in [
            "Bearer s3cre",
            "Bearer s3cret2",
            "Basic s3cret",
            "s3cret",
            "Bearer ",
        ] {
            assert!(
                !may_read(&request(far, &[("authorization", wrong)]), token),
                "{wrong}"
            );
        }
        assert_eq!(MetricsToken::new(""), None, "an empty token is no token");
        assert_eq!(format!("{:?}", token.unwrap()), "MetricsToken(…)");
    }

    #[test]
    fn counts_and_buckets_are_rendered() {
        let metrics = Metrics::default();
        metrics.record("GET", "/healthz", 200, 0.003);
        metrics.record("GET", "/healthz", 200, 0.2);
        let text = metrics.render();
        assert!(text.contains(
            "gachi_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(text.contains("gachi_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.005\"} 1"));
        assert!(text.contains("gachi_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"+Inf\"} 2"));
    }
}
