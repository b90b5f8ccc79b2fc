//! Register import benchmark: generates a register file in the official 39-column format from
//! the real region and industry tables with the published category mix, imports it into a fresh
//! SQLite database by running the `gachi import stores` binary (the operator's path), and in the
//! same run times Debian's `sqlite3 :memory: .import` of the same file into one bare table (the
//! baseline). Then it measures the operator's filtered merchant list on the imported registry.
//!
//! Run: `cargo bench -p gachi --bench import` (GACHI_BENCH_ROWS, default 2,500,000; the file is
//! kept under target/bench-data/ and reused).

use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gachi_domain::kernel::industry;
use gachi_domain::kernel::region::{self, RegionCode};
use gachi_domain::merchants::MerchantStore;
use gachi_domain::merchants::merchant::MerchantFilter;
use gachi_domain::merchants::register::OFFICIAL_HEADER;

/// The register's mix of 대분류 (restaurants ≈29 %, retail ≈22 %, …), in per mille.
const MIX: [(&str, u32); 10] = [
    ("I2", 290),
    ("G2", 220),
    ("S2", 120),
    ("P1", 90),
    ("L1", 70),
    ("Q1", 60),
    ("R1", 50),
    ("M1", 40),
    ("N1", 40),
    ("I1", 20),
];
const NAME_PARTS: [&str; 16] = [
    "한옥",
    "행복",
    "우리",
    "동네",
    "전주",
    "바다",
    "푸른",
    "햇살",
    "가온",
    "나래",
    "새봄",
    "으뜸",
    "정다운",
    "소담",
    "하늘",
    "미소",
];
const NAME_KINDS: [&str; 12] = [
    "식당",
    "분식",
    "마트",
    "약국",
    "학원",
    "부동산",
    "미용실",
    "세탁소",
    "카페",
    "꽃집",
    "정육점",
    "서점",
];

/// A small deterministic generator (xorshift), so every run writes the same file.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn generate(path: &Path, rows: usize) -> std::io::Result<()> {
    let sigungu: Vec<_> = region::all_sigungu();
    let industries = industry::all();
    let by_major = |major: &str| {
        industries
            .iter()
            .filter(|i| i.code.starts_with(major))
            .collect::<Vec<_>>()
    };
    let mix: Vec<(Vec<_>, u32)> = MIX.iter().map(|(m, w)| (by_major(m), *w)).collect();
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    writeln!(
        out,
        "{}",
        OFFICIAL_HEADER.map(|h| format!("\"{h}\"")).join(",")
    )?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for n in 0..rows {
        let mut pick = (rng.next() % 1000) as u32;
        let group = mix
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .unwrap_or(&mix[0]);
        let industry = group.0[rng.below(group.0.len())];
        let region = &sigungu[rng.below(sigungu.len())];
        let name = format!(
            "{}{}",
            NAME_PARTS[rng.below(NAME_PARTS.len())],
            NAME_KINDS[rng.below(NAME_KINDS.len())]
        );
        let sigungu_name = region.sigungu.clone().unwrap_or_default();
        let code = region.code.as_str();
        let (lon, lat) = (
            126.0 + (rng.next() % 3_000_000) as f64 / 1e6,
            34.5 + (rng.next() % 3_000_000) as f64 / 1e6,
        );
        let floor = 1 + rng.below(5);
        writeln!(
            out,
            "\"MA0101{n:014}\",\"{name}\",\"\",\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",\"\",\"\",\"{}\",\"{}\",\"{code}\",\"{sigungu_name}\",\"{code}510\",\"\",\"{code}10100\",\"\",\"\",\"1\",\"대지\",{},{},\"{} {} {}번지\",\"\",\"\",{},,\"\",\"\",\"{} 중앙로 {}\",\"\",\"\",\"\",\"{floor}\",\"\",{lon:.6},{lat:.6}",
            &industry.code[..2],
            industry.major,
            &industry.code[..4],
            industry.middle.replace('"', ""),
            industry.code,
            industry.name.replace('"', ""),
            &code[..2],
            region.sido,
            1 + rng.below(900),
            rng.below(20),
            region.sido,
            sigungu_name,
            1 + rng.below(900),
            1 + rng.below(300),
            region.name,
            1 + rng.below(300),
        )?;
    }
    out.flush()
}

/// Runs a command to completion, sampling its peak resident memory (VmHWM) from /proc.
fn run_measured(command: &mut Command) -> (Duration, u64, String) {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        let status = std::fs::read_to_string(&status_file).unwrap_or_default();
        if let Some(kb) = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed();
    let output = child.wait_with_output().expect("output");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        elapsed,
        peak_kb,
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn main() {
    let rows: usize = std::env::var("GACHI_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_500_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("register-{rows}.csv"));
    if !file.exists() {
        let started = Instant::now();
        generate(&file, rows).unwrap();
        println!(
            "generated {} ({} MB) in {:.1} s",
            file.display(),
            std::fs::metadata(&file).unwrap().len() >> 20,
            started.elapsed().as_secs_f64()
        );
    }
    let size_mb = std::fs::metadata(&file).unwrap().len() as f64 / 1_048_576.0;

    let (bare, bare_peak, _) = run_measured(
        Command::new("sqlite3")
            .arg(":memory:")
            .args([".mode csv", &format!(".import {} register", file.display())]),
    );

    let data = dir.join("import-db");
    let _ = std::fs::remove_dir_all(&data);
    let (ours, our_peak, stdout) = run_measured(
        Command::new(env!("CARGO_BIN_EXE_gachi"))
            .args(["import", "stores"])
            .arg(&file)
            .arg("--data-dir")
            .arg(&data)
            .env("GACHI_LOG", "warn"),
    );
    let summary = stdout.lines().last().unwrap_or_default().to_owned();

    println!("register import: {rows} rows, {size_mb:.0} MB, official 39-column format");
    println!(
        "{:<44} {:>9} {:>11} {:>11}",
        "", "seconds", "rows/s", "peak MB"
    );
    println!(
        "{:<44} {:>9.1} {:>11.0} {:>11.0}",
        "sqlite3 :memory: .import (baseline)",
        bare.as_secs_f64(),
        rows as f64 / bare.as_secs_f64(),
        bare_peak as f64 / 1024.0
    );
    println!(
        "{:<44} {:>9.1} {:>11.0} {:>11.0}",
        "gachi import stores (file SQLite, indexed)",
        ours.as_secs_f64(),
        rows as f64 / ours.as_secs_f64(),
        our_peak as f64 / 1024.0
    );
    println!(
        "ratio gachi/baseline time: {:.2}x (target <= 1.5x); gachi printed: {summary}",
        ours.as_secs_f64() / bare.as_secs_f64()
    );

    // The operator's filtered list on the imported registry.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = gachi_store::SqliteStore::open_dir(&data).await.unwrap();
        let code = |c: &str| RegionCode::parse(c, "r").ok();
        let bakery = industry::resolve("I21001", "i").ok();
        let filters = [
            ("no filter", MerchantFilter::default()),
            (
                "시도 = 서울",
                MerchantFilter {
                    region: code("11"),
                    ..Default::default()
                },
            ),
            (
                "시군구 = 전주시 (with its 구)",
                MerchantFilter {
                    region: code("52110"),
                    ..Default::default()
                },
            ),
            (
                "업종 = 빵/도넛",
                MerchantFilter {
                    industry: bakery,
                    ..Default::default()
                },
            ),
            (
                "시도 = 경기 and 업종 = 빵/도넛",
                MerchantFilter {
                    region: code("41"),
                    industry: bakery,
                    ..Default::default()
                },
            ),
            (
                "시군구 = 종로구 and 상호 contains 한옥",
                MerchantFilter {
                    region: code("11110"),
                    name_contains: Some("한옥".into()),
                    ..Default::default()
                },
            ),
        ];
        println!(
            "operator merchant list, first page of 50 and the next via keyset ({rows} merchants):"
        );
        for (name, filter) in filters {
            let mut samples = Vec::new();
            for _ in 0..50 {
                let started = Instant::now();
                let page = store.list_merchants(&filter, None, 50).await.unwrap();
                if let Some(last) = page.last() {
                    store
                        .list_merchants(&filter, Some(last.id), 50)
                        .await
                        .unwrap();
                }
                samples.push(started.elapsed());
            }
            samples.sort();
            let p99 = samples[(samples.len() * 99 / 100).min(samples.len() - 1)];
            println!(
                "  {name:<40} p50 {:>7.2} ms   p99 {:>7.2} ms (two pages)",
                samples[samples.len() / 2].as_secs_f64() * 1000.0,
                p99.as_secs_f64() * 1000.0
            );
        }
    });
}
