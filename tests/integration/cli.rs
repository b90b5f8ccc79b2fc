//! The `gachi` binary as an operator runs it: accounts and tokens from the command line, the
//! server checked from outside over real TCP, a kill -9 mid-work, backups, the demo program,
//! and the PostgreSQL path.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};

use crate::support::{TempDir, fresh_schema, postgres_url};

const BIN: &str = env!("CARGO_BIN_EXE_gachi");

fn gachi(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("GACHI_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gachi");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A running `gachi serve` on a free port, killed when dropped.
struct Server {
    child: tokio::process::Child,
    address: String,
}

impl Server {
    async fn start(args: &[&str]) -> Server {
        let mut child = tokio::process::Command::new(BIN)
            .arg("serve")
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .env("GACHI_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start gachi serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(rest) = line.split("serving on http://").nth(1) {
                    return rest.split_whitespace().next().unwrap().to_owned();
                }
            }
            panic!("gachi serve exited before listening");
        })
        .await
        .expect("server starts within a minute");
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Server { child, address }
    }

    /// One HTTP/1.1 request over a fresh TCP connection: (status, body).
    async fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        json: Option<&str>,
    ) -> (u16, String) {
        send(&self.address, method, path, token, json)
            .await
            .expect("the server answers")
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (u16, String) {
        self.request("GET", path, token, None).await
    }

    async fn kill_hard(mut self) {
        self.child.start_kill().unwrap(); // SIGKILL: no graceful shutdown, no flush.
        self.child.wait().await.unwrap();
    }
}

/// One HTTP/1.1 request to `address` over a fresh TCP connection: (status, body), or None when
/// the connection fails or is cut before a whole answer (the server is gone).
async fn send(
    address: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    json: Option<&str>,
) -> Option<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    let body = json.unwrap_or_default();
    if json.is_some() {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.ok()?;
    stream.write_all(body.as_bytes()).await.ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.ok()?;
    let response = text(&response);
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

fn dir_arg(dir: &TempDir) -> String {
    dir.path().display().to_string()
}

fn create_user(dir: &str, email: &str, role: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "user",
        "create",
        "--data-dir",
        dir,
        "--email",
        email,
        "--role",
        role,
    ];
    args.extend_from_slice(extra);
    gachi(&args, Some("전주한옥마을2026\n"))
}

fn create_token(dir: &str, email: &str) -> String {
    let out = gachi(
        &["token", "create", "--data-dir", dir, "--email", email],
        None,
    );
    assert!(out.status.success(), "token create: {}", text(&out.stderr));
    text(&out.stdout).trim().to_owned()
}

#[tokio::test]
async fn accounts_and_tokens_from_the_command_line_work_over_http() {
    let dir = TempDir::new("cli-outside");
    let data = dir_arg(&dir);
    let created = create_user(&data, "ops@program.kr", "operator", &[]);
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(text(&created.stdout).contains("created ops@program.kr (operator)"));
    let token = create_token(&data, "ops@program.kr");
    assert!(token.starts_with("gachi_") && !token.contains(char::is_whitespace));
    assert!(
        create_user(&data, "m@hanok.kr", "merchant", &[])
            .status
            .success()
    );
    let merchant = create_token(&data, "m@hanok.kr");

    let server = Server::start(&["--data-dir", &data]).await;
    assert_eq!(server.get("/healthz", None).await.0, 200);
    let (status, home) = server.get("/", None).await;
    assert_eq!(status, 200);
    assert!(home.contains("lang=\"ko\""));
    let (_, openapi) = server.get("/api/openapi.json", None).await;
    let openapi: serde_json::Value = serde_json::from_str(&openapi).unwrap();
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3."));

    let (status, me) = server.get("/api/v1/me", Some(&token)).await;
    assert_eq!(status, 200);
    let me: serde_json::Value = serde_json::from_str(&me).unwrap();
    assert_eq!(
        (me["email"].as_str(), me["role"].as_str()),
        (Some("ops@program.kr"), Some("operator"))
    );
    assert_eq!(server.get("/api/v1/me", None).await.0, 401);
    assert_eq!(
        server
            .get("/api/v1/me", Some("gachi_not-a-real-token"))
            .await
            .0,
        401
    );
    let (status, body) = server.get("/api/v1/users", Some(&merchant)).await;
    assert_eq!(status, 403);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["error"],
        "forbidden"
    );

    let (status, metrics) = server.get("/metrics", None).await;
    assert_eq!(status, 200);
    assert!(
        metrics.contains(
            "gachi_http_requests_total{route=\"/api/v1/me\",method=\"GET\",status=\"401\"} 2"
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn bad_command_line_input_is_explained_and_saves_nothing() {
    let dir = TempDir::new("cli-bad");
    let data = dir_arg(&dir);
    let bad_email = create_user(&data, "not-an-email", "designer", &[]);
    assert!(!bad_email.status.success());
    assert!(
        text(&bad_email.stderr).contains("email: 이메일 주소 형식이 올바르지 않습니다"),
        "{}",
        text(&bad_email.stderr)
    );
    let no_region = create_user(&data, "gov@jeonju.go.kr", "localgov", &[]);
    assert!(text(&no_region.stderr).contains("region_code"));
    let bad_role = create_user(&data, "x@y.kr", "king", &[]);
    assert!(text(&bad_role.stderr).contains("role"));
    let no_password = gachi(
        &[
            "user",
            "create",
            "--data-dir",
            &data,
            "--email",
            "a@b.kr",
            "--role",
            "md",
        ],
        Some(""),
    );
    assert!(!no_password.status.success());
    assert!(text(&no_password.stderr).contains("no password on standard input"));
    let unknown = gachi(
        &[
            "token",
            "create",
            "--data-dir",
            &data,
            "--email",
            "ghost@b.kr",
        ],
        None,
    );
    assert!(!unknown.status.success());

    let ok = create_user(
        &data,
        "gov@jeonju.go.kr",
        "localgov",
        &["--region", "45110"],
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let again = create_user(
        &data,
        "gov@jeonju.go.kr",
        "localgov",
        &["--region", "52110"],
    );
    assert!(text(&again.stderr).contains("이미 가입된 이메일"));
}

/// Writers keep creating products over real TCP while the server is killed with SIGKILL
/// (`server_args` choose the database): returns the ids of the products whose creation was
/// acknowledged (a 201 read whole) before the kill.
async fn acknowledged_before_a_kill_under_write_load(
    server_args: &[&str],
    token: &str,
) -> Vec<i64> {
    use std::sync::{Arc, Mutex};
    let server = Server::start(server_args).await;
    let shop = crate::support::ShopBuilder::new().json().to_string();
    let (status, body) = server
        .request("POST", "/api/v1/merchants", Some(token), Some(&shop))
        .await;
    assert_eq!(status, 201, "{body}");
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (address, token) = (server.address.clone(), token.to_owned());
            let acknowledged = acknowledged.clone();
            tokio::spawn(async move {
                for n in 0.. {
                    let product = crate::support::ProductBuilder::new()
                        .sku(&format!("LOAD-{writer}-{n}"))
                        .json()
                        .to_string();
                    let Some((status, body)) = send(
                        &address,
                        "POST",
                        "/api/v1/products",
                        Some(&token),
                        Some(&product),
                    )
                    .await
                    else {
                        return; // the server is gone
                    };
                    let id = serde_json::from_str::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|reply| reply["id"].as_i64());
                    match (status, id) {
                        (201, Some(id)) => acknowledged.lock().unwrap().push(id),
                        // Cut off mid-answer by the kill: committed or not, never acknowledged.
                        (201, None) => return,
                        (other, _) => panic!("writer {writer}: {other} {body}"),
                    }
                }
            })
        })
        .collect();
    tokio::time::timeout(Duration::from_secs(120), async {
        while acknowledged.lock().unwrap().len() < 80 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("80 products written within two minutes");
    server.kill_hard().await;
    for writer in writers {
        writer.await.expect("a writer ends when the server is gone");
    }
    acknowledged.lock().unwrap().clone()
}

/// After a restart every acknowledged product is there, read through the API.
async fn assert_every_product_survived(server_args: &[&str], token: &str, ids: &[i64]) {
    let server = Server::start(server_args).await;
    for id in ids {
        let (status, body) = server
            .get(&format!("/api/v1/products/{id}"), Some(token))
            .await;
        assert_eq!(
            status, 200,
            "acknowledged product {id} survived kill -9: {body}"
        );
    }
}

#[tokio::test]
async fn killing_the_server_under_write_load_loses_no_acknowledged_write() {
    let dir = TempDir::new("cli-kill-load");
    let data = dir_arg(&dir);
    assert!(
        create_user(&data, "owner@shop.kr", "merchant", &[])
            .status
            .success()
    );
    let token = create_token(&data, "owner@shop.kr");
    let args = ["--data-dir", data.as_str()];
    let ids = acknowledged_before_a_kill_under_write_load(&args, &token).await;
    assert!(ids.len() >= 80, "{}", ids.len());
    assert_every_product_survived(&args, &token, &ids).await;

    // The database file checks whole after the kill.
    let database = dir.path().join(gachi_store::SQLITE_FILE);
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&database);
    let mut connection = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options)
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(check, "ok");
}

#[tokio::test]
async fn killing_the_server_under_write_load_on_postgresql_loses_no_acknowledged_write() {
    let Some(url) = postgres_url() else { return };
    let schema = fresh_schema("cli_kill_load");
    gachi_store::PgStore::connect_in_schema(&url, &schema)
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    let dir = TempDir::new("cli-kill-load-postgres");
    let data = dir_arg(&dir);
    let created = create_user(
        &data,
        "owner@shop.kr",
        "merchant",
        &["--database-url", &scoped],
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let out = gachi(
        &[
            "token",
            "create",
            "--database-url",
            &scoped,
            "--email",
            "owner@shop.kr",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_owned();
    let args = [
        "--database-url",
        scoped.as_str(),
        "--data-dir",
        data.as_str(),
    ];
    let ids = acknowledged_before_a_kill_under_write_load(&args, &token).await;
    assert!(ids.len() >= 80, "{}", ids.len());
    assert_every_product_survived(&args, &token, &ids).await;
}

#[tokio::test]
async fn backup_copies_a_live_database() {
    let dir = TempDir::new("cli-backup");
    let data = dir_arg(&dir);
    assert!(
        create_user(&data, "ops@program.kr", "operator", &[])
            .status
            .success()
    );
    let server = Server::start(&["--data-dir", &data]).await;
    let target = dir.path().join("copy").join("gachi.sqlite3");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let target_arg = target.display().to_string();
    let out = gachi(&["backup", &target_arg, "--data-dir", &data], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    drop(server);
    let copy = gachi_store::SqliteStore::open_dir(target.parent().unwrap())
        .await
        .unwrap();
    let users = gachi_domain::accounts::AccountStore::user_by_email(&copy, "ops@program.kr")
        .await
        .unwrap();
    assert!(users.is_some(), "the backup holds the data");
    let again = gachi(&["backup", &target_arg, "--data-dir", &data], None);
    assert!(!again.status.success(), "never overwrites");
    assert!(text(&again.stderr).contains("already exists"));
}

#[tokio::test]
async fn the_demo_prints_working_passwords_once() {
    let dir = TempDir::new("cli-demo");
    let data = dir_arg(&dir);
    let out = gachi(&["demo", "--data-dir", &data], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let operator_line = printed
        .lines()
        .find(|l| l.contains("operator@gachi.demo"))
        .expect("operator listed");
    let password = operator_line.split_whitespace().nth(1).unwrap().to_owned();
    for email in ["admin@", "designer@", "md@", "jeonju@", "hanok@", "dongbu@"] {
        assert!(printed.contains(email), "{email} in {printed}");
    }
    let again = gachi(&["demo", "--data-dir", &data], None);
    assert!(text(&again.stdout).contains("nothing added"));

    let store = gachi_store::SqliteStore::open_dir(Path::new(&data))
        .await
        .unwrap();
    let clock = gachi_domain::ports::SystemClock;
    let accounts = gachi_domain::accounts::Accounts {
        store: &store,
        hasher: &gachi_web::BlockingHasher,
        clock: &clock,
    };
    let signed = accounts
        .sign_in("operator@gachi.demo", &password, "127.0.0.1")
        .await
        .expect("printed password works");
    assert_eq!(signed.user.role, gachi_domain::accounts::Role::Operator);
    let officer = gachi_domain::accounts::AccountStore::user_by_email(&store, "jeonju@gachi.demo")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        officer.region.unwrap().region().name,
        "전북특별자치도 전주시"
    );
    drop(store);

    // The 원정대 story as an MD's seller tool reads it: the pooled products are found by
    // initial consonants, the event is listed, and the MD's agenda is a calendar.
    let token = text(
        &gachi(
            &[
                "token",
                "create",
                "--data-dir",
                &data,
                "--email",
                "md@gachi.demo",
            ],
            None,
        )
        .stdout,
    )
    .trim()
    .to_owned();
    let operator_token = text(
        &gachi(
            &[
                "token",
                "create",
                "--data-dir",
                &data,
                "--email",
                "operator@gachi.demo",
            ],
            None,
        )
        .stdout,
    )
    .trim()
    .to_owned();
    let server = Server::start(&["--data-dir", &data]).await;
    let (status, found) = server
        .get(
            "/api/v1/discovery/products?q=%E3%85%82%E3%85%82%E3%85%82",
            Some(&token),
        )
        .await;
    assert_eq!(status, 200, "{found}");
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    assert!(
        found["total"].as_u64().unwrap() >= 2,
        "ㅂㅂㅂ finds the 비빔밥 products: {found}"
    );
    let (status, events) = server.get("/api/v1/discovery/events", Some(&token)).await;
    assert_eq!(status, 200, "{events}");
    let events: serde_json::Value = serde_json::from_str(&events).unwrap();
    let event = &events["items"][0];
    assert!(
        event["scheduled_at"].is_string(),
        "the timetable is made: {event}"
    );
    let (status, agenda) = server
        .get(
            &format!("/api/v1/discovery/events/{}/agenda.ics", event["id"]),
            Some(&token),
        )
        .await;
    assert_eq!(status, 200, "{agenda}");
    assert!(agenda.starts_with("BEGIN:VCALENDAR\r\n"), "{agenda}");
    assert!(agenda.contains("BEGIN:VEVENT\r\n"), "{agenda}");
    let (status, picks) = server.get("/api/v1/discovery/picks", Some(&token)).await;
    assert_eq!(status, 200);
    assert!(picks.contains("\"decision\":\"accepted\""), "{picks}");

    // The 가치데이 season: the public page announces the winter broadcast without a sign-in,
    // its calendar holds one event, and the dashboard counts the autumn broadcast whose results
    // are in.
    let (status, page) = server.get("/live", None).await;
    assert_eq!(status, 200);
    assert!(page.contains("한옥식당"), "{page}");
    let (status, ics) = server.get("/live.ics", None).await;
    assert_eq!(status, 200);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
    let (status, broadcasts) = server
        .get("/api/v1/live/broadcasts", Some(&operator_token))
        .await;
    assert_eq!(status, 200, "{broadcasts}");
    let broadcasts: serde_json::Value = serde_json::from_str(&broadcasts).unwrap();
    let held: Vec<&serde_json::Value> = broadcasts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["status"] == "held")
        .collect();
    // 한옥식당's autumn results are in; 동부떡집's broadcast aired and waits for its figures.
    assert_eq!(held.len(), 1, "{broadcasts}");
    let confirmed = broadcasts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["status"] == "confirmed")
        .count();
    assert_eq!(
        confirmed, 2,
        "the autumn one waiting for results and the winter one"
    );
    let year = &held[0]["date"].as_str().unwrap()[..4];
    let in_year = held
        .iter()
        .filter(|b| b["date"].as_str().unwrap().starts_with(year))
        .count();
    let (status, kpi) = server
        .get(&format!("/api/v1/kpi?year={year}"), Some(&operator_token))
        .await;
    assert_eq!(status, 200, "{kpi}");
    let kpi: serde_json::Value = serde_json::from_str(&kpi).unwrap();
    assert_eq!(kpi["actuals"]["live_broadcasts"], in_year as i64, "{kpi}");
    assert_eq!(kpi["actuals"]["live_merchants"], in_year as i64, "{kpi}");
}

#[tokio::test]
async fn the_same_binary_serves_from_postgresql() {
    let Some(url) = postgres_url() else { return };
    let schema = fresh_schema("cli");
    // Create the schema, then point the binary at it through the URL's `options`.
    gachi_store::PgStore::connect_in_schema(&url, &schema)
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    let migrate = gachi(&["migrate", "--database-url", &scoped], None);
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));
    let created = gachi(
        &[
            "user",
            "create",
            "--database-url",
            &scoped,
            "--email",
            "ops@program.kr",
            "--role",
            "operator",
        ],
        Some("전주한옥마을2026\n"),
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let token = text(
        &gachi(
            &[
                "token",
                "create",
                "--database-url",
                &scoped,
                "--email",
                "ops@program.kr",
            ],
            None,
        )
        .stdout,
    )
    .trim()
    .to_owned();
    // The secret key and photos still live in a data directory: a temporary one, never the
    // working directory.
    let data_dir = TempDir::new("cli-postgres-serve");
    let data_path = data_dir.path().display().to_string();
    let server = Server::start(&["--database-url", &scoped, "--data-dir", &data_path]).await;
    let (status, health) = server.get("/healthz", None).await;
    assert_eq!(status, 200);
    assert!(health.contains("\"database\":\"postgres\""));
    let (status, me) = server.get("/api/v1/me", Some(&token)).await;
    assert_eq!(status, 200, "{me}");
    assert!(me.contains("ops@program.kr"));
}

/// `gachi token create|list|revoke`: a token expires after 90 days unless `--days` says
/// otherwise (0: never), the list shows each one's expiry, last use and status, and a revoked
/// token is refused by the server.
#[tokio::test]
async fn tokens_expire_are_listed_and_revoked_from_the_command_line() {
    let dir = TempDir::new("cli-tokens");
    let data = dir_arg(&dir);
    let token_cmd = |args: &[&str]| {
        let mut all = vec![
            "token",
            args[0],
            "--data-dir",
            data.as_str(),
            "--email",
            "ops@program.kr",
        ];
        all.extend_from_slice(&args[1..]);
        gachi(&all, None)
    };
    assert!(
        create_user(&data, "ops@program.kr", "operator", &[])
            .status
            .success()
    );
    let ci = token_cmd(&["create", "--name", "ci"]);
    assert!(ci.status.success(), "{}", text(&ci.stderr));
    let ci_token = text(&ci.stdout).trim().to_owned();
    assert!(ci_token.starts_with("gachi_") && !ci_token.contains(char::is_whitespace));
    let in_90_days = gachi_domain::kernel::time::Timestamp::now()
        .plus_seconds(90 * 24 * 3600)
        .display_seoul();
    assert!(
        text(&ci.stderr).contains(&format!(
            "\"ci\" for ops@program.kr: expires {}",
            &in_90_days[..10]
        )),
        "{}",
        text(&ci.stderr)
    );
    let backup = token_cmd(&["create", "--name", "backup", "--days", "0"]);
    assert!(text(&backup.stderr).contains("expires never (until revoked)"));
    let backup_token = text(&backup.stdout).trim().to_owned();
    let too_long = token_cmd(&["create", "--days", "5000"]);
    assert!(!too_long.status.success());
    assert!(
        text(&too_long.stderr).contains("days: 0(만료 없음)부터 3650까지의 일 수를 적어 주세요"),
        "{}",
        text(&too_long.stderr)
    );

    let listed = text(&token_cmd(&["list"]).stdout);
    let rows: Vec<&str> = listed.lines().collect();
    assert_eq!(rows.len(), 3, "a header and two tokens: {listed}");
    assert_eq!(rows[0], "id\tname\tcreated\texpires\tlast used\tstatus");
    assert!(
        rows[1].contains("\tci\t") && rows[1].ends_with("\tnever\tactive"),
        "{listed}"
    );
    assert!(
        rows[2].contains("\tbackup\t") && rows[2].contains("\tnever\tnever\tactive"),
        "{listed}"
    );
    let backup_id = rows[2].split('\t').next().unwrap().to_owned();

    let by_name = token_cmd(&["revoke", "--name", "ci"]);
    assert!(by_name.status.success(), "{}", text(&by_name.stderr));
    assert_eq!(text(&by_name.stdout).trim(), "revoked 1 token");
    let by_id = token_cmd(&["revoke", "--id", &backup_id]);
    assert_eq!(text(&by_id.stdout).trim(), "revoked 1 token");
    let unknown = token_cmd(&["revoke", "--name", "nope"]);
    assert!(!unknown.status.success());
    assert!(
        !token_cmd(&["revoke"]).status.success(),
        "--name or --id is required"
    );
    let listed = text(&token_cmd(&["list"]).stdout);
    assert_eq!(listed.matches("\trevoked").count(), 2, "{listed}");

    let server = Server::start(&["--data-dir", &data]).await;
    for token in [&ci_token, &backup_token] {
        assert_eq!(server.get("/api/v1/me", Some(token)).await.0, 401);
    }
    let live = create_token(&data, "ops@program.kr");
    assert_eq!(server.get("/api/v1/me", Some(&live)).await.0, 200);
}
