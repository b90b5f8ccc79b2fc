//! `gachi import stores` as an operator runs it, on the real register samples (copied from
//! shared/data/sangga into fixtures/) and on variants a real file comes in: CP949, pipes, a BOM,
//! bad rows, and a kill -9 in the middle.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use gachi_domain::merchants::MerchantStore;
use gachi_domain::merchants::merchant::MerchantFilter;

use crate::support::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_gachi");
const SAMPLE: &str = include_str!("fixtures/stores-sample-new-format.csv");

fn import(file: &Path, data: &Path) -> (bool, String, String) {
    run_import("stores", file, data, &[])
}

/// `gachi import KIND FILE [EXTRA…] --data-dir DATA`: (success, stdout, stderr).
fn run_import(kind: &str, file: &Path, data: &Path, extra: &[&str]) -> (bool, String, String) {
    let file = file.to_str().expect("a UTF-8 path");
    gachi(data, &[&["import", kind, file], extra].concat())
}

fn last_line(stdout: &str) -> &str {
    stdout.lines().last().unwrap_or_default()
}

/// The official sample's rows, as lists of fields.
fn sample_rows() -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader =
        csv::ReaderBuilder::new().from_reader(SAMPLE.trim_start_matches('\u{feff}').as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn write_csv(path: &Path, delimiter: u8, header: &[String], rows: &[Vec<String>]) {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_path(path)
        .unwrap();
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

#[tokio::test]
async fn the_official_sample_imports_once() {
    let dir = TempDir::new("import-sample");
    let file = dir.path().join("stores.csv");
    std::fs::write(&file, SAMPLE).unwrap();
    let data = dir.path().join("data");
    let (ok, stdout, stderr) = import(&file, &data);
    assert!(ok, "{stderr}");
    assert_eq!(
        last_line(&stdout),
        "imported 4, updated 0, unchanged 0, rejected 0"
    );
    let (_, again, _) = import(&file, &data);
    assert_eq!(
        last_line(&again),
        "imported 0, updated 0, unchanged 4, rejected 0"
    );
    let store = gachi_store::SqliteStore::open_dir(&data).await.unwrap();
    let gimhae = MerchantFilter {
        region: gachi_domain::kernel::region::RegionCode::parse("48250", "r").ok(),
        ..Default::default()
    };
    let shops = store.list_merchants(&gimhae, None, 10).await.unwrap();
    assert!(
        shops
            .iter()
            .any(|m| m.name == "오미당꽈배기" && m.industry.name == "빵/도넛"),
        "{shops:?}"
    );
}

#[tokio::test]
async fn cp949_pipes_and_a_bom_are_all_read() {
    let dir = TempDir::new("import-encodings");
    let (header, rows) = sample_rows();
    let utf8 = dir.path().join("pipes.csv");
    write_csv(&utf8, b'|', &header, &rows);
    let cp949 = dir.path().join("excel.csv");
    let text = std::fs::read_to_string(&utf8).unwrap();
    let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(&text);
    let bad: String = text
        .chars()
        .filter(|c| encoding_rs::EUC_KR.encode(&c.to_string()).2)
        .collect();
    assert!(!unmappable, "{bad}");
    std::fs::write(&cp949, bytes).unwrap();
    let bom = dir.path().join("bom.csv");
    std::fs::write(
        &bom,
        format!("\u{feff}{}", SAMPLE.trim_start_matches('\u{feff}')),
    )
    .unwrap();
    for file in [&utf8, &cp949, &bom] {
        let data = dir.path().join(format!(
            "data-{}",
            file.file_name().unwrap().to_string_lossy()
        ));
        let (ok, stdout, stderr) = import(file, &data);
        assert!(ok, "{}: {stderr}", file.display());
        assert_eq!(
            last_line(&stdout),
            "imported 4, updated 0, unchanged 0, rejected 0",
            "{}",
            file.display()
        );
    }
}

#[tokio::test]
async fn the_2022_daegu_subset_with_old_codes_imports() {
    let dir = TempDir::new("import-daegu");
    let file = dir.path().join("daegu.csv");
    std::fs::write(
        &file,
        include_str!("fixtures/stores-daegu-2022-06-300rows-old-format.csv"),
    )
    .unwrap();
    let (ok, stdout, stderr) = import(&file, &dir.path().join("data"));
    assert!(ok, "{stderr}");
    assert_eq!(
        last_line(&stdout),
        "imported 300, updated 0, unchanged 0, rejected 0"
    );
}

#[tokio::test]
async fn bad_rows_are_reported_with_their_lines_and_the_rest_imported() {
    let dir = TempDir::new("import-bad");
    let (header, rows) = sample_rows();
    let good = rows[0].clone();
    let mut short = rows[1].clone();
    short.truncate(30);
    let mut nameless = rows[2].clone();
    nameless[1] = String::new();
    let mut unknown_industry = rows[3].clone();
    unknown_industry[7] = "Z99999".into();
    let mut at_sea = rows[1].clone();
    at_sea[0] = "SEA".into();
    at_sea[37] = "0".into();
    at_sea[38] = "0".into();
    let file = dir.path().join("bad.csv");
    write_csv(
        &file,
        b',',
        &header,
        &[good, short, nameless, unknown_industry, at_sea],
    );
    // And a row whose bytes are not text at all, appended raw.
    let mut bytes = std::fs::read(&file).unwrap();
    let mut garbled = rows[2].join(",").into_bytes();
    garbled[25] = 0xFF;
    bytes.extend_from_slice(&garbled);
    bytes.extend_from_slice(b"\n");
    std::fs::write(&file, bytes).unwrap();

    let (ok, stdout, stderr) = import(&file, &dir.path().join("data"));
    assert!(ok, "bad rows do not stop the import: {stderr}");
    assert_eq!(
        last_line(&stdout),
        "imported 1, updated 0, unchanged 0, rejected 5"
    );
    let report =
        std::fs::read_to_string(PathBuf::from(format!("{}.rejected.csv", file.display()))).unwrap();
    let lines: Vec<(String, String)> = csv::Reader::from_reader(report.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[3].to_owned())
        })
        .collect();
    let expected = [
        ("3", "error-register-columns"),
        ("4", "error-register-no-name"),
        ("5", "error-industry-unknown"),
        ("6", "error-register-coordinates"),
        ("7", "error-register-encoding"),
    ];
    assert_eq!(lines, expected.map(|(l, c)| (l.to_owned(), c.to_owned())));
    assert!(
        report.contains("열의 개수가 머리글과 다릅니다"),
        "reasons are readable: {report}"
    );
}

/// Probe: a 상호명 of 150 million characters imported (1 GB of memory). A 1 MB one among good
/// rows is skipped by its line, never held; a field over the register's limit rejects its row.
#[tokio::test]
async fn an_oversized_line_or_field_is_rejected_by_line_and_the_good_rows_import() {
    let dir = TempDir::new("import-oversized");
    let (header, rows) = sample_rows();
    let mut huge = rows[1].clone();
    huge[1] = "가".repeat(350_000); // over 1 MB of UTF-8
    let mut long_name = rows[2].clone();
    long_name[1] = "나".repeat(101);
    let mut invisible = rows[3].clone();
    invisible[1] = format!("{}\u{200B}\u{202E}", invisible[1]);
    let file = dir.path().join("oversized.csv");
    write_csv(
        &file,
        b',',
        &header,
        &[rows[0].clone(), huge, long_name, invisible, rows[1].clone()],
    );
    assert!(std::fs::metadata(&file).unwrap().len() > 1 << 20);

    let data = dir.path().join("data");
    let (ok, stdout, stderr) = import(&file, &data);
    assert!(ok, "an oversized row does not stop the import: {stderr}");
    assert_eq!(
        last_line(&stdout),
        "imported 3, updated 0, unchanged 0, rejected 2"
    );
    let report =
        std::fs::read_to_string(PathBuf::from(format!("{}.rejected.csv", file.display()))).unwrap();
    assert!(report.len() < 4096, "the report holds no huge field");
    let mut lines: Vec<(String, String)> = csv::Reader::from_reader(report.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[3].to_owned())
        })
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            ("3".to_owned(), "error-register-line-too-long".to_owned()),
            ("4".to_owned(), "error-register-too-long".to_owned()),
        ]
    );
    let names: Vec<String> = all_merchants(&data)
        .await
        .into_iter()
        .map(|m| m.1)
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains('\u{200B}') && !n.contains('\u{202E}')),
        "invisible characters are stripped: {names:?}"
    );
}

#[tokio::test]
async fn a_file_without_the_key_columns_is_refused_whole() {
    let dir = TempDir::new("import-header");
    let file = dir.path().join("wrong.csv");
    std::fs::write(&file, "이름,주소\n가게,서울\n").unwrap();
    let (ok, _, stderr) = import(&file, &dir.path().join("data"));
    assert!(!ok);
    assert!(stderr.contains("상가업소번호"), "{stderr}");
}

/// Merchants committed in `data`'s database so far, read over a read-only connection (no
/// migration, no write: the import may be running); `None` until the database and its table
/// exist.
async fn committed_merchants(data: &Path) -> Option<usize> {
    use sqlx::Connection as _;
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(data.join("gachi.sqlite3"))
        .read_only(true);
    let mut connection = sqlx::SqliteConnection::connect_with(&options).await.ok()?;
    let count: Option<i64> = sqlx::query_scalar("SELECT COUNT(*) FROM merchants")
        .fetch_one(&mut connection)
        .await
        .ok();
    let _ = connection.close().await;
    count.and_then(|n| usize::try_from(n).ok())
}

/// Every merchant in `data`, as (상가업소번호, 상호명, 시군구코드, 상권업종소분류코드), sorted.
async fn all_merchants(data: &Path) -> Vec<(String, String, String, String)> {
    let store = gachi_store::SqliteStore::open_dir(data).await.unwrap();
    let mut all = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .list_merchants(&MerchantFilter::default(), before, 1000)
            .await
            .unwrap();
        let Some(last) = page.last() else {
            break;
        };
        before = Some(last.id);
        all.extend(page.into_iter().map(|m| {
            (
                m.store_record_id.unwrap_or_default(),
                m.name,
                m.region.as_str().to_owned(),
                m.industry.code.clone(),
            )
        }));
    }
    all.sort();
    all
}

#[tokio::test]
async fn an_import_killed_midway_and_rerun_ends_as_one_clean_run() {
    const STORES: usize = 60_000;
    let dir = TempDir::new("import-kill");
    let (header, rows) = sample_rows();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, name, region, industry) = (
        column("상가업소번호"),
        column("상호명"),
        column("시군구코드"),
        column("상권업종소분류코드"),
    );
    // Distinct stores from the sample's shapes, each under its own number.
    let many: Vec<Vec<String>> = (0..STORES)
        .map(|n| {
            let mut row = rows[n % rows.len()].clone();
            row[id] = format!("KILL{n:08}");
            row
        })
        .collect();
    let mut expected: Vec<(String, String, String, String)> = many
        .iter()
        .map(|row| {
            (
                row[id].clone(),
                row[name].clone(),
                row[region].clone(),
                row[industry].clone(),
            )
        })
        .collect();
    expected.sort();
    let file = dir.path().join("big.csv");
    write_csv(&file, b',', &header, &many);
    let data = dir.path().join("data");

    // The import prints progress only on a terminal, so the test watches the database instead:
    // as soon as a first batch is committed, the process is killed without warning.
    let mut child = Command::new(BIN)
        .args(["import", "stores"])
        .arg(&file)
        .arg("--data-dir")
        .arg(&data)
        .env("GACHI_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the import ended ({status}) before a first commit was seen: the file is too \
                 small to be killed midway"
            );
        }
        if committed_merchants(&data).await.is_some_and(|n| n > 0) {
            child.kill().unwrap();
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the import committed nothing in two minutes"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.wait().unwrap();
    // What the killed process had committed, once the database recovers from the kill.
    let partial = all_merchants(&data).await;
    assert!(
        !partial.is_empty() && partial.len() < STORES,
        "killed midway: {} of {STORES} stores committed",
        partial.len()
    );
    assert!(
        partial.iter().all(|m| expected.binary_search(m).is_ok()),
        "only stores of the file, as the file has them"
    );

    // The rerun adds exactly the rest and finds the committed stores unchanged.
    let (ok, stdout, stderr) = import(&file, &data);
    assert!(ok, "{stderr}");
    assert_eq!(
        last_line(&stdout),
        format!(
            "imported {}, updated 0, unchanged {}, rejected 0",
            STORES - partial.len(),
            partial.len()
        )
    );
    // The same stores as the file, each once, as one clean run leaves them.
    assert_eq!(all_merchants(&data).await, expected);
    let (_, again, _) = import(&file, &data);
    assert_eq!(
        last_line(&again),
        format!("imported 0, updated 0, unchanged {STORES}, rejected 0")
    );
}

fn import_licences(file: &Path, data: &Path, extra: &[&str]) -> (bool, String, String) {
    run_import("licences", file, data, extra)
}

/// The real 전주시 휴게음식점 licence list (CP949, 3,033 rows, no store numbers or codes).
#[tokio::test]
async fn the_jeonju_licence_list_imports_with_regions_from_addresses() {
    let dir = TempDir::new("import-licences");
    let file = dir.path().join("jeonju.csv");
    std::fs::write(
        &file,
        include_bytes!("fixtures/jeonju-cafes-2026-02.cp949.csv"),
    )
    .unwrap();
    let data = dir.path().join("data");
    let (ok, stdout, stderr) = import_licences(&file, &data, &[]);
    assert!(ok, "{stderr}");
    assert_eq!(
        last_line(&stdout),
        "imported 3029, updated 0, unchanged 0, rejected 4"
    );
    let report = std::fs::read_to_string(format!("{}.rejected.csv", file.display())).unwrap();
    assert!(
        report.contains("극장") && report.contains("--industry-map"),
        "{report}"
    );

    // Mapping the missing kinds imports the rest; the rows already in are unchanged.
    let (ok, stdout, _) = import_licences(
        &file,
        &data,
        &[
            "--industry-map",
            "극장=I21201",
            "--default-industry",
            "I21099",
        ],
    );
    assert!(ok);
    assert_eq!(
        last_line(&stdout),
        "imported 4, updated 0, unchanged 3029, rejected 0"
    );

    let store = gachi_store::SqliteStore::open_dir(&data).await.unwrap();
    let deokjin = MerchantFilter {
        region: gachi_domain::kernel::region::RegionCode::parse("52113", "r").ok(),
        ..Default::default()
    };
    let shops = store.list_merchants(&deokjin, None, 200).await.unwrap();
    assert!(!shops.is_empty() && shops.iter().all(|m| m.region.as_str() == "52113"));
    let academy = store
        .list_merchants(
            &MerchantFilter {
                name_contains: Some("아카데미떡방".into()),
                ..Default::default()
            },
            None,
            5,
        )
        .await
        .unwrap();
    assert_eq!(academy.len(), 1);
    assert_eq!(
        (
            academy[0].industry.name.as_str(),
            academy[0].phone.as_deref()
        ),
        ("빵/도넛", Some("063-288-5072"))
    );

    let (ok, _, stderr) = import_licences(&file, &data, &["--map", "colour=x"]);
    assert!(!ok && stderr.contains("colour"));
}

#[tokio::test]
async fn products_import_in_bulk_report_bad_items_and_export_back() {
    let dir = TempDir::new("products-cli");
    let data = dir.path().join("data");
    let id = shop_in(&data).await;

    let good = crate::http::bibimbap_file();
    let mut bad = good.clone();
    bad["sku"] = serde_json::json!("BAD-1");
    bad["price"] = serde_json::json!("만오천원");
    let mut second = good.clone();
    second["sku"] = serde_json::json!("JJ-BIBIM-4");
    // The same sku again further down: refused, and the import goes on past it.
    let mut repeated = second.clone();
    repeated["price"] = serde_json::json!(12000);
    let mut last = good.clone();
    last["sku"] = serde_json::json!("JJ-BIBIM-5");
    let file = dir.path().join("products.json");
    std::fs::write(
        &file,
        serde_json::to_string(&serde_json::json!([good, bad, second, repeated, last])).unwrap(),
    )
    .unwrap();
    let run = |args: &[&str]| gachi(&data, args);
    let file_arg = file.display().to_string();
    let (ok, stdout, stderr) = run(&["products", "import", &file_arg, "--merchant", &id]);
    assert!(ok, "{stderr}");
    assert_eq!(last_line(&stdout), "created 3, updated 0, rejected 2");
    let report = std::fs::read_to_string(format!("{file_arg}.rejected.csv")).unwrap();
    assert!(
        report.contains("2,BAD-1,price,원 단위 정수로 적어 주세요")
            && report.contains(
                "4,JJ-BIBIM-4,sku,같은 상품 코드가 이 파일의 3번째 행(항목)에 이미 있습니다"
            ),
        "{report}"
    );
    let (_, again, _) = run(&["products", "import", &file_arg, "--merchant", &id]);
    assert_eq!(
        last_line(&again),
        "created 0, updated 3, rejected 2",
        "re-running updates by sku"
    );

    let exported = dir.path().join("export.json");
    let (ok, stdout, _) = run(&[
        "products",
        "export",
        "--merchant",
        &id,
        "--output",
        &exported.display().to_string(),
    ]);
    assert!(ok);
    assert_eq!(last_line(&stdout), "exported 3 products");
    let files: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    assert_eq!(
        files
            .iter()
            .map(|f| f["sku"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["JJ-BIBIM-2", "JJ-BIBIM-4", "JJ-BIBIM-5"]
    );
    assert_ne!(
        files[1]["price"], 12000,
        "the first item with a sku is kept, not the repeat"
    );
    assert_eq!(
        files[0]["notice"]["fields"]["foodType"], "즉석조리식품",
        "the file round-trips"
    );
    let (ok, _, stderr) = run(&["products", "import", &file_arg, "--merchant", "999999"]);
    assert!(!ok && stderr.contains("no merchant"));
}

/// `gachi sales import`: a CP949 settlement CSV with one bad row imports the good rows and
/// reports the bad one by line and field; a file with a wrong header imports nothing; an .xlsx
/// settlement works the same; the hall of fame follows.
#[tokio::test]
async fn sales_import_reports_bad_rows_and_refuses_a_wrong_header() {
    use gachi_domain::results::ResultsStore as _;

    let dir = TempDir::new("sales-import");
    let data = dir.path().join("data");
    let store = std::sync::Arc::new(gachi_store::SqliteStore::open_dir(&data).await.unwrap());
    let app = crate::support::TestApp::new(store.clone());
    let token = app.token("owner@hanok.kr", "merchant").await;
    let mut api = app.browser();
    let shop = serde_json::json!({"name": "한옥식당", "business_number": "2208162517", "region_code": "52111", "industry_code": "I20101"});
    api.send(crate::support::api_request(
        "POST",
        "/api/v1/merchants",
        Some(&token),
        Some(shop),
    ))
    .await;
    drop(app);
    drop(store);

    let now = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
    let run = |file: &std::path::Path| {
        Command::new(BIN)
            .args(["sales", "import"])
            .arg(file)
            .arg("--data-dir")
            .arg(&data)
            .env("GACHI_LOG", "warn")
            .output()
            .unwrap()
    };
    let wrong = dir.path().join("wrong.csv");
    std::fs::write(&wrong, "가게,금액\n한옥식당,100\n").unwrap();
    let refused = run(&wrong);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Nothing was imported"));

    let mut csv = String::from("사업자등록번호,마켓,월,매출,주문수\n");
    for months_ago in 0..11 {
        csv.push_str(&format!(
            "220-81-62517,네이버,{},\"9,000,000\",300\n",
            now.minus(months_ago)
        ));
    }
    csv.push_str(&format!("220-81-62517,위메프,{},100,1\n", now)); // line 13: not a channel
    csv.push_str(&format!("220-81-62517,{},{},100,1\n", "네".repeat(51), now)); // line 14: too long
    let (cp949, _, _) = encoding_rs::EUC_KR.encode(&csv);
    let file = dir.path().join("settlement.csv");
    std::fs::write(&file, cp949).unwrap();
    let out = run(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 11, rejected 2"));
    let rejected = std::fs::read_to_string(dir.path().join("settlement.csv.rejected.csv")).unwrap();
    assert!(rejected.contains("13,channel,"), "{rejected}");
    assert!(
        rejected.contains("14,channel,너무 깁니다"),
        "a cell over its limit is refused by its length: {rejected}"
    );
    assert!(rejected.lines().all(|l| l.len() < 200), "{rejected}");

    // A file bigger than any settlement file is refused before it is read.
    let huge = dir.path().join("huge.csv");
    let mut body = String::from("사업자등록번호,마켓,월,매출,주문수\n");
    body.push_str(&format!(
        "220-81-62517,네이버,{now},100,\"{}\"\n",
        "1".repeat(11 << 20)
    ));
    std::fs::write(&huge, body).unwrap();
    let refused = run(&huge);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Nothing was imported"));

    // The twelfth month arrives as an .xlsx: 12 × 9,000,000 passes 1억.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, header) in ["사업자등록번호", "마켓", "월", "매출", "주문수"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "2208162517").unwrap();
    sheet.write_string(1, 1, "쿠팡").unwrap();
    sheet.write_string(1, 2, now.minus(11).to_string()).unwrap();
    sheet.write_number(1, 3, 9_000_000.0).unwrap();
    sheet.write_number(1, 4, 300.0).unwrap();
    let xlsx = dir.path().join("settlement.xlsx");
    workbook.save(&xlsx).unwrap();
    let out = run(&xlsx);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("imported 1, rejected 0"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let store = gachi_store::SqliteStore::open_dir(&data).await.unwrap();
    let members = store.hall_of_fame(None, None).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].channels, ["coupang", "naver"]);
}

/// Runs `gachi ARGS --data-dir DATA`: whether it succeeded, its output and its errors.
pub(crate) fn gachi(data: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("GACHI_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A registered shop in a fresh SQLite data directory; returns its id.
async fn shop_in(data: &Path) -> String {
    let store = gachi_store::SqliteStore::open_dir(data).await.unwrap();
    let shop = gachi_domain::merchants::merchant::MerchantInput {
        name: "한옥식당".into(),
        business_number: "2208162517".into(),
        region_code: "52111".into(),
        industry_code: "I20101".into(),
        ..Default::default()
    };
    let audit = gachi_domain::kernel::audit::Actor::system().entry(
        gachi_domain::kernel::time::Timestamp::now(),
        "merchant.create",
        "",
        "",
    );
    store
        .create_merchant(
            &shop.validate(true).unwrap(),
            gachi_domain::merchants::merchant::MerchantStatus::Registered,
            gachi_domain::merchants::merchant::MerchantSource::Staff,
            None,
            &audit,
        )
        .await
        .unwrap()
        .id
        .0
        .to_string()
}

/// `gachi products template` writes the spreadsheet (.xlsx with an explanation sheet, or a CSV
/// header); the filled sheet imports as CP949 CSV or .xlsx, bad rows reported by line and
/// column, and a sheet without a required column is refused whole.
#[tokio::test]
async fn products_import_from_the_spreadsheet_template() {
    use calamine::Reader as _;
    use gachi_domain::catalog::sheet::{COLUMNS, NOTICE_PREFIX};

    let dir = TempDir::new("products-sheet");
    let data = dir.path().join("data");
    let id = shop_in(&data).await;
    let run = |args: &[&str]| gachi(&data, args);

    let template = dir.path().join("template.xlsx");
    let (ok, _, stderr) = run(&[
        "products",
        "template",
        "--notice",
        "GENERAL_FOOD",
        "--output",
        &template.display().to_string(),
    ]);
    assert!(ok, "{stderr}");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&template).unwrap();
    assert_eq!(book.sheet_names(), ["상품", "설명"]);
    let header: Vec<String> = book
        .worksheet_range("상품")
        .unwrap()
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[0], "상품코드");
    assert!(header.contains(&format!("{NOTICE_PREFIX}식품의 유형")));
    let explained = book.worksheet_range("설명").unwrap();
    assert!(
        explained
            .rows()
            .any(|r| r[0] == "옵션별 재고" && !r[2].to_string().is_empty())
    );
    let csv_template = dir.path().join("template.csv");
    let (ok, _, _) = run(&[
        "products",
        "template",
        "--notice",
        "가공식품",
        "--output",
        &csv_template.display().to_string(),
    ]);
    assert!(ok);
    let written = std::fs::read(&csv_template).unwrap();
    assert!(written.starts_with(b"\xEF\xBB\xBF\xEC\x83\x81\xED\x92\x88\xEC\xBD\x94\xEB\x93\x9C"));
    let (ok, _, stderr) = run(&["products", "template", "--notice", "NOPE"]);
    assert!(!ok && stderr.contains("NOPE"));

    // Fill the template: the example row, with changes.
    let food = gachi_domain::catalog::notice::find("GENERAL_FOOD").unwrap();
    let cells = |changes: &[(&str, &str)]| -> Vec<String> {
        header
            .iter()
            .map(|h| {
                if let Some((_, v)) = changes.iter().find(|(k, _)| k == h) {
                    return v.to_string();
                }
                if let Some(c) = COLUMNS.iter().find(|c| c.header == h) {
                    return c.example.to_owned();
                }
                let label = h.strip_prefix(NOTICE_PREFIX).unwrap();
                let field = food.fields.iter().find(|f| f.label == label).unwrap();
                match (field.required, field.name.as_str()) {
                    (_, "geneticallyModified") => "false".into(),
                    (true, _) => gachi_domain::catalog::notice::SEE_DETAIL_PAGE.into(),
                    _ => String::new(),
                }
            })
            .collect()
    };
    let food_type = format!("{NOTICE_PREFIX}식품의 유형");
    let rows = [
        header.clone(),
        cells(&[]),
        cells(&[
            ("상품코드", "BAD-1"),
            ("판매가", "0"),
            (food_type.as_str(), ""),
        ]),
        cells(&[("상품코드", "BAD-2"), ("옵션별 재고", "1, 2, 3")]),
        vec![String::new(); header.len()],
    ];
    let mut text = String::new();
    {
        let mut writer = csv::Writer::from_writer(Vec::new());
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        text.push_str(&String::from_utf8(writer.into_inner().unwrap()).unwrap());
    }
    // Excel saves CSV in CP949 and writes `?` for what CP949 lacks — such as the ｢ ｣ in the
    // official 원재료명 label; the column must still be recognised.
    let text = text.replace(['｢', '｣'], "?");
    let (cp949, _, unmappable) = encoding_rs::EUC_KR.encode(&text);
    assert!(!unmappable);
    let sheet = dir.path().join("products.csv");
    std::fs::write(&sheet, &cp949).unwrap();
    let sheet_arg = sheet.display().to_string();
    let (ok, stdout, stderr) = run(&["products", "import", &sheet_arg, "--merchant", &id]);
    assert!(ok, "{stderr}");
    assert_eq!(last_line(&stdout), "created 1, updated 0, rejected 2");
    let report = std::fs::read_to_string(format!("{sheet_arg}.rejected.csv")).unwrap();
    assert!(report.starts_with("line,sku,field,reason"), "{report}");
    assert!(report.contains("3,BAD-1,판매가 (price),"), "{report}");
    assert!(
        report.contains("3,BAD-1,고시:식품의 유형 (notice.fields.foodType),"),
        "{report}"
    );
    assert!(
        report.contains("4,BAD-2,옵션별 재고 (variants.stock),"),
        "{report}"
    );

    // The same sheet as .xlsx, with a second product.
    let xlsx = dir.path().join("products.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let worksheet = workbook.add_worksheet();
    for (r, row) in [header.clone(), cells(&[("상품코드", "JJ-BIBIM-4")])]
        .iter()
        .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) if !cell.contains('-') => worksheet.write_number(r as u32, c as u16, n),
                _ => worksheet.write_string(r as u32, c as u16, cell),
            }
            .unwrap();
        }
    }
    workbook.save(&xlsx).unwrap();
    let (ok, stdout, stderr) = run(&[
        "products",
        "import",
        &xlsx.display().to_string(),
        "--merchant",
        &id,
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(last_line(&stdout), "created 1, updated 0, rejected 0");

    let exported = dir.path().join("export.json");
    run(&[
        "products",
        "export",
        "--merchant",
        &id,
        "--output",
        &exported.display().to_string(),
    ]);
    let files: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[1]["price"], 15900, "numbers from Excel cells");
    assert_eq!(files[0]["variants"][1]["values"][0], "매운맛");
    assert_eq!(
        files[0]["notice"]["fields"]["foodType"],
        "상품 상세페이지 참조"
    );

    let no_stock = dir.path().join("no-stock.csv");
    std::fs::write(&no_stock, "상품코드,상품명,판매가\nX-1,이름,1000\n").unwrap();
    let (ok, _, stderr) = run(&[
        "products",
        "import",
        &no_stock.display().to_string(),
        "--merchant",
        &id,
    ]);
    assert!(!ok && stderr.contains("재고"), "{stderr}");
}

/// `gachi live import-results`: a live platform's CP949 export with Korean headers imports its
/// good rows and reports each bad one by line and field; an .xlsx with English headers works
/// the same; a file with nothing importable, or without the columns, fails.
#[tokio::test]
async fn live_results_import_reports_bad_rows_by_line() {
    use gachi_domain::live::{BroadcastFilter, BroadcastStatus, LiveChannel, LiveStore as _};

    let dir = TempDir::new("live-import");
    let data = dir.path().join("data");
    let (ok, _, stderr) = gachi(&data, &["demo"]);
    assert!(ok, "{stderr}");
    let store = gachi_store::SqliteStore::open_dir(&data).await.unwrap();
    let held = store
        .broadcasts(&BroadcastFilter {
            statuses: [BroadcastStatus::Held].into_iter().collect(),
            ..BroadcastFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(held.len(), 1, "한옥식당's autumn results are in");
    let confirmed = store
        .broadcasts(&BroadcastFilter {
            statuses: [BroadcastStatus::Confirmed].into_iter().collect(),
            ..BroadcastFilter::default()
        })
        .await
        .unwrap();
    let today =
        gachi_domain::kernel::time::seoul_date(gachi_domain::kernel::time::Timestamp::now());
    // 동부떡집's autumn broadcast aired and waits for its figures; the winter one is ahead.
    let (aired, upcoming): (Vec<_>, Vec<_>) = confirmed.into_iter().partition(|b| b.date < today);
    assert_eq!((aired.len(), upcoming.len()), (1, 1));
    let id = aired[0].id;
    drop(store);

    let csv = format!(
        "방송번호,채널,시청자,최고 동시 시청자,좋아요,주문수,매출\n\
         {id},네이버 쇼핑라이브,\"1,000\",200,50,20,\"358,000\"\n\
         9999,그립,10,5,1,1,1000\n\
         {id},그립,많음,5,1,1,1000\n\
         {},가치,10,5,1,1,1000\n",
        upcoming[0].id
    );
    let (cp949, _, _) = encoding_rs::EUC_KR.encode(&csv);
    let file = dir.path().join("results.csv");
    std::fs::write(&file, cp949).unwrap();
    let file_arg = file.to_str().unwrap();
    let (ok, stdout, stderr) = gachi(&data, &["live", "import-results", file_arg]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("imported 1, rejected 3"), "{stdout}");
    assert!(stderr.contains("line 3: broadcast_id"), "{stderr}");
    assert!(stderr.contains("line 4: viewers"), "{stderr}");
    assert!(
        stderr.contains("line 5: broadcast_id"),
        "not aired yet: {stderr}"
    );
    let rejected = std::fs::read_to_string(dir.path().join("results.csv.rejected.csv")).unwrap();
    assert!(rejected.contains("4,viewers,"), "{rejected}");
    let store = gachi_store::SqliteStore::open_dir(&data).await.unwrap();
    let now_held = store.broadcast(id).await.unwrap().unwrap();
    assert_eq!(now_held.status, BroadcastStatus::Held, "its results are in");
    drop(store);

    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let headers = [
        "broadcast_id",
        "channel",
        "viewers",
        "peak_viewers",
        "likes",
        "orders",
        "sales_krw",
        "product_id",
    ];
    for (c, header) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *header).unwrap();
    }
    sheet.write_number(1, 0, id as f64).unwrap();
    sheet.write_string(1, 1, "grip").unwrap();
    for (c, n) in [300.0, 60.0, 12.0, 4.0, 71_600.0].iter().enumerate() {
        sheet.write_number(1, c as u16 + 2, *n).unwrap();
    }
    sheet
        .write_number(1, 7, aired[0].products[0].0 as f64)
        .unwrap();
    let xlsx = dir.path().join("results.xlsx");
    workbook.save(&xlsx).unwrap();
    let (ok, stdout, stderr) = gachi(&data, &["live", "import-results", xlsx.to_str().unwrap()]);
    assert!(
        ok && stdout.contains("imported 1, rejected 0"),
        "{stdout}{stderr}"
    );

    let nothing = dir.path().join("nothing.csv");
    std::fs::write(
        &nothing,
        "broadcast_id,channel,viewers,peak_viewers,likes,orders,sales_krw\n9999,grip,1,1,1,1,1\n",
    )
    .unwrap();
    let (ok, _, stderr) = gachi(
        &data,
        &["live", "import-results", nothing.to_str().unwrap()],
    );
    assert!(
        !ok && stderr.contains("nothing could be imported"),
        "{stderr}"
    );
    let headless = dir.path().join("headless.csv");
    std::fs::write(&headless, "방송,시청자\n1,2\n").unwrap();
    let (ok, _, stderr) = gachi(
        &data,
        &["live", "import-results", headless.to_str().unwrap()],
    );
    assert!(!ok && stderr.contains("Nothing was imported"), "{stderr}");

    let store = gachi_store::SqliteStore::open_dir(&data).await.unwrap();
    let rows = store.results(id).await.unwrap();
    let naver = rows
        .iter()
        .find(|r| r.channel == LiveChannel::NaverShoppingLive)
        .expect("the CSV's good row");
    assert_eq!((naver.viewers, naver.sales_krw), (1000, 358_000));
    assert!(
        rows.iter()
            .any(|r| r.channel == LiveChannel::Grip && r.product.is_some())
    );
}
