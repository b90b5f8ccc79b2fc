//! HTTP load benchmark for the foundation issue: requests/s and latency of `GET /api/v1/me`
//! (bearer token) and of a signed-in home page, against a bare axum handler that returns a
//! constant (the floor), all served in this process on SQLite and measured in the same run with
//! the same load generator: N concurrent keep-alive HTTP/1.1 connections over loopback.
//!
//! Run: `cargo bench -p gachi --bench http_load` (GACHI_BENCH_SECONDS, GACHI_BENCH_CONNECTIONS
//! change the defaults of 5 s per target and 64 connections).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use gachi_domain::accounts::{AccountInput, Accounts};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::ports::SystemClock;
use gachi_store::SqliteStore;
use gachi_web::{AppState, BlockingHasher, WebConfig};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

struct Outcome {
    requests: usize,
    elapsed: Duration,
    latencies_us: Vec<u32>,
}

impl Outcome {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    fn percentile_ms(&self, p: f64) -> f64 {
        let index = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        f64::from(self.latencies_us[index]) / 1000.0
    }
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    address
}

/// Reads one HTTP/1.1 response (headers + Content-Length body) from a keep-alive stream.
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> u16 {
    buffer.clear();
    let mut chunk = [0u8; 16 * 1024];
    let header_end = loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "server closed the connection");
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = std::str::from_utf8(&buffer[..header_end])
        .unwrap()
        .to_ascii_lowercase();
    let status: u16 = head[9..12].parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .expect("responses carry Content-Length");
    while buffer.len() < header_end + length {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "server closed the connection mid-body");
        buffer.extend_from_slice(&chunk[..n]);
    }
    status
}

async fn load(
    address: SocketAddr,
    request: Arc<Vec<u8>>,
    connections: usize,
    duration: Duration,
) -> Outcome {
    // Warm up: one request per connection, so connection set-up is not measured.
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(address).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let mut buffer = Vec::with_capacity(32 * 1024);
                stream.write_all(&request).await.unwrap();
                read_response(&mut stream, &mut buffer).await;
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    stream.write_all(&request).await.unwrap();
                    let status = read_response(&mut stream, &mut buffer).await;
                    assert_eq!(status, 200, "benchmarked requests must succeed");
                    latencies.push(sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                }
                latencies
            })
        })
        .collect();
    let mut latencies_us = Vec::new();
    for task in tasks {
        latencies_us.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies_us.sort_unstable();
    Outcome {
        requests: latencies_us.len(),
        elapsed,
        latencies_us,
    }
}

fn get_request(address: SocketAddr, path: &str, extra_headers: &str) -> Arc<Vec<u8>> {
    Arc::new(format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n{extra_headers}\r\n").into_bytes())
}

fn main() {
    let seconds: u64 = std::env::var("GACHI_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let connections: usize = std::env::var("GACHI_BENCH_CONNECTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let duration = Duration::from_secs(seconds);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let dir = std::env::temp_dir().join(format!("gachi-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Arc::new(SqliteStore::open_dir(&dir).await.unwrap());
        let accounts = Accounts { store: store.as_ref(), hasher: &BlockingHasher, clock: &SystemClock };
        let input = AccountInput {
            email: "ops@bench.kr".into(),
            password: "벤치마크비밀번호1".into(),
            display_name: "벤치 운영팀".into(),
            role: "operator".into(),
            region_code: String::new(),
        };
        accounts.create_user(None, &input, &Actor::system()).await.unwrap();
        let token = accounts.create_api_token("ops@bench.kr", "bench", None, &Actor::system()).await.unwrap().token;
        let session = accounts.sign_in("ops@bench.kr", "벤치마크비밀번호1", "127.0.0.1").await.unwrap().session_token;
        let merchant = AccountInput {
            email: "shop@bench.kr".into(),
            role: "merchant".into(),
            display_name: "한옥식당".into(),
            ..input.clone()
        };
        accounts.sign_up_merchant(&merchant, &Actor::system()).await.unwrap();
        let merchant_session =
            accounts.sign_in("shop@bench.kr", "벤치마크비밀번호1", "127.0.0.1").await.unwrap().session_token;
        let csrf = gachi_domain::kernel::secret::random_token();

        let gachi = serve(gachi_web::app(AppState::new(store.clone(), WebConfig::default()))).await;
        let floor = serve(Router::new().route("/", get(|| async { "ok" }))).await;

        let targets = [
            ("bare axum constant (floor)", floor, get_request(floor, "/", "")),
            ("GET /api/v1/me (bearer token)", gachi, get_request(gachi, "/api/v1/me", &format!("Authorization: Bearer {token}\r\n"))),
            (
                "GET / signed-in merchant home",
                gachi,
                get_request(gachi, "/", &format!("Cookie: gachi_session={merchant_session}; gachi_csrf={csrf}\r\n")),
            ),
            (
                "GET / signed-in operator home",
                gachi,
                get_request(gachi, "/", &format!("Cookie: gachi_session={session}; gachi_csrf={csrf}\r\n")),
            ),
        ];
        println!("HTTP load: {connections} keep-alive connections, {seconds} s per target, SQLite, one process");
        println!("{:<34} {:>10} {:>9} {:>9} {:>14} {:>12}", "target", "req/s", "p50 ms", "p99 ms", "floor/target", "p99 ratio");
        let mut floor_outcome: Option<Outcome> = None;
        for (name, address, request) in targets {
            let outcome = load(address, request, connections, duration).await;
            let (throughput_ratio, p99_ratio) = match &floor_outcome {
                Some(f) => (f.per_second() / outcome.per_second(), outcome.percentile_ms(0.99) / f.percentile_ms(0.99)),
                None => (1.0, 1.0),
            };
            println!(
                "{name:<34} {:>10.0} {:>9.2} {:>9.2} {:>13.2}x {:>11.2}x",
                outcome.per_second(),
                outcome.percentile_ms(0.50),
                outcome.percentile_ms(0.99),
                throughput_ratio,
                p99_ratio,
            );
            if floor_outcome.is_none() {
                floor_outcome = Some(outcome);
            }
        }
        println!("target: each within 2x of the floor (floor/target and p99 ratio <= 2)");
        let _ = std::fs::remove_dir_all(&dir);
    });
}
