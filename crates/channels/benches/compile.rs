//! Listing compile + validate benchmark (channels issue): products/s on one core per marketplace
//! for a realistic product — 10 images, 20 variants, a full 가공식품 notice, a built 상세페이지 —
//! against serializing the same product file with serde_json (the floor), in one run; then peak
//! memory over 1,000,000 compiles streamed through one buffer (must stay flat).
//! Run: `cargo bench -p gachi-channels --bench compile`.
//!
//! ESM refuses products with options (its option format is not public), so its row compiles the
//! same product without options. Coupang needs category metadata; the bench builds one for a
//! 가공식품 category whose detail names are the notice labels (the real 78877 sample is for car
//! goods and is used by the tests).

use std::hint::black_box;
use std::time::{Duration, Instant};

use gachi_channels::listing::{
    CoupangCategoryMeta, CoupangNoticeCategory, CoupangNoticeDetail, NoticeCodes, SellerSettings,
};
use gachi_channels::{Context, compile};
use gachi_domain::catalog::notice::{self, FieldKind};
use gachi_domain::catalog::product::{
    CaptionedPhoto, DetailPageFile, Loose, OptionGroup, Pair, ProductFile, VariantFile,
};
use gachi_domain::kernel::channel::Channel;

fn product() -> ProductFile {
    let mut file: ProductFile =
        serde_json::from_str(include_str!("../fixtures/bibimbap.json")).expect("fixture");
    let kind = notice::find("GENERAL_FOOD").expect("GENERAL_FOOD");
    let notice = file.notice.as_mut().expect("fixture has a notice");
    for field in &kind.fields {
        if field.name.ends_with("Text") && kind.field(&field.name[..field.name.len() - 4]).is_some()
        {
            continue; // the date itself is given
        }
        let value = match field.kind {
            FieldKind::Bool => "false".to_owned(),
            FieldKind::Date => "2026-11-01".to_owned(),
            FieldKind::Text => format!("{} — 전주 한옥마을 비빔밥 밀키트 안내", field.label),
        };
        notice.fields.entry(field.name.clone()).or_insert(value);
    }
    notice.fields.remove("consumptionDateText");
    file.images.as_mut().expect("images").extra = (2..=10)
        .map(|i| format!("https://shop.example.kr/img/bibim-{i}.jpg"))
        .collect();
    let tastes = ["순한맛", "보통맛", "매운맛", "아주매운맛"];
    let sizes = ["1인분", "2인분", "3인분", "4인분", "5인분"];
    file.options = vec![
        OptionGroup {
            name: "맛".into(),
            values: tastes.iter().map(|s| s.to_string()).collect(),
        },
        OptionGroup {
            name: "양".into(),
            values: sizes.iter().map(|s| s.to_string()).collect(),
        },
    ];
    file.variants = tastes
        .iter()
        .flat_map(|t| sizes.iter().map(move |s| (t, s)))
        .enumerate()
        .map(|(i, (t, s))| VariantFile {
            sku: format!("JJ-BIBIM-{i:02}"),
            values: vec![t.to_string(), s.to_string()],
            price_delta: Some(Loose::Int(if i == 0 { 0 } else { 500 })),
            stock: Some(Loose::Int(30)),
        })
        .collect();
    file.detail_page = Some(DetailPageFile {
        template: "warm".into(),
        color: "#0b7a5c".into(),
        headline: "할머니 손맛 그대로".into(),
        selling_points: vec![
            "국산 재료만".into(),
            "당일 제조".into(),
            "첨가물 없이".into(),
        ],
        story: "1986년 남부시장에서 시작했습니다.".into(),
        photos: (1..=3)
            .map(|i| CaptionedPhoto {
                url: format!("https://shop.example.kr/img/p{i}.jpg"),
                caption: format!("재료 {i}"),
            })
            .collect(),
        specs: vec![Pair {
            label: "중량".into(),
            value: "820g".into(),
        }],
        faq: vec![Pair {
            label: "맵나요?".into(),
            value: "순한맛도 있어요.".into(),
        }],
    });
    file
}

fn context(file: &ProductFile) -> Context {
    let kind = notice::find("GENERAL_FOOD").expect("GENERAL_FOOD");
    let meta = CoupangCategoryMeta {
        attributes: ["맛", "양"]
            .into_iter()
            .map(|name| gachi_channels::listing::CoupangAttribute {
                attribute_type_name: name.into(),
                required: "OPTIONAL".into(),
                exposed: "EXPOSED".into(),
            })
            .collect(),
        notice_categories: vec![CoupangNoticeCategory {
            notice_category_name: kind.label.clone(),
            notice_category_detail_names: kind
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| CoupangNoticeDetail::new(f.label.clone(), "MANDATORY"))
                .collect(),
        }],
    };
    let codes: NoticeCodes =
        serde_json::from_str(include_str!("../fixtures/notice-codes.example.json")).expect("codes");
    let code = file.channel_categories["coupang"]
        .clone()
        .expect("coupang category");
    Context {
        seller: serde_json::from_str::<SellerSettings>(include_str!("../fixtures/seller.json"))
            .expect("seller"),
        coupang_meta: [(code, meta)].into(),
        elevenst_notice_codes: codes.clone(),
        esm_notice_codes: codes,
        now_seoul: "2026-11-24T10:00:00".into(),
    }
}

/// Runs `work` in batches until `slice` has passed; how many it ran and how long that took.
fn run_for(slice: Duration, work: &mut impl FnMut() -> usize) -> (u64, Duration) {
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < slice {
        for _ in 0..10 {
            black_box(work());
        }
        n += 10;
    }
    (n, started.elapsed())
}

/// A workload measured against the floor.
struct Paired {
    per_second: f64,
    floor_per_second: f64,
    /// Time per operation over the floor's, the median over the slice pairs.
    ratio: f64,
    bytes: usize,
}

/// Runs `work` and `floor` in alternating 20 ms slices for about `budget` in all. This machine
/// is shared and its speed drifts by a third within a minute: run side by side, both see the
/// same machine, so the ratio (the median over the pairs) holds where two separate runs would
/// not.
fn paired(
    budget: Duration,
    floor: &mut impl FnMut() -> usize,
    mut work: impl FnMut() -> usize,
) -> Paired {
    let mut bytes = 0;
    for _ in 0..200 {
        floor();
        bytes = work();
    }
    let slice = Duration::from_millis(20);
    let started = Instant::now();
    let (mut floor_n, mut floor_time, mut work_n, mut work_time) =
        (0, Duration::ZERO, 0, Duration::ZERO);
    let mut ratios = Vec::new();
    while started.elapsed() < budget {
        let (fn_, ft) = run_for(slice, floor);
        let (wn, wt) = run_for(slice, &mut work);
        ratios.push((wt.as_secs_f64() / wn as f64) / (ft.as_secs_f64() / fn_ as f64));
        (floor_n, floor_time, work_n, work_time) =
            (floor_n + fn_, floor_time + ft, work_n + wn, work_time + wt);
    }
    ratios.sort_by(f64::total_cmp);
    Paired {
        per_second: work_n as f64 / work_time.as_secs_f64(),
        floor_per_second: floor_n as f64 / floor_time.as_secs_f64(),
        ratio: ratios[ratios.len() / 2],
        bytes,
    }
}

/// Peak resident memory of this process so far, in KiB (Linux).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let full = product();
    let mut no_options = full.clone();
    no_options.options.clear();
    no_options.variants.clear();
    let context = context(&full);
    let budget = Duration::from_secs(4);
    let mut buffer = Vec::with_capacity(64 * 1024);

    // GACHI_BENCH_DUMP=naver|coupang|11st|esm prints that marketplace's payload for the bench
    // product (to read what a compile writes), and nothing else.
    if let Ok(code) = std::env::var("GACHI_BENCH_DUMP") {
        let channel = Channel::parse(&code)
            .unwrap_or_else(|| panic!("GACHI_BENCH_DUMP: a marketplace code, not {code:?}"));
        let file = if channel == Channel::Esm {
            &no_options
        } else {
            &full
        };
        if let Err(issues) = compile(channel, file, &context, &mut buffer) {
            panic!("{channel:?} rejected the bench product: {issues:#?}");
        }
        std::io::Write::write_all(&mut std::io::stdout(), &buffer).expect("stdout");
        return;
    }
    // GACHI_BENCH_PROFILE=check|render|naver|coupang|11st|esm runs one part for 8 s (for perf record).
    if let Ok(part) = std::env::var("GACHI_BENCH_PROFILE") {
        let mut out = Vec::with_capacity(64 * 1024);
        let (n, took) = match Channel::parse(&part) {
            Some(channel) => run_for(Duration::from_secs(8), &mut || {
                out.clear();
                compile(channel, black_box(&full), &context, &mut out).map_or(0, |_| out.len())
            }),
            None if part == "render" => run_for(Duration::from_secs(8), &mut || {
                gachi_domain::catalog::detail_page::render(black_box(&full)).len()
            }),
            None if part == "check" => run_for(Duration::from_secs(8), &mut || {
                usize::from(black_box(&full).check().is_ok())
            }),
            None => {
                panic!("GACHI_BENCH_PROFILE: check, render or a marketplace code, not {part:?}")
            }
        };
        println!("{part}: {:.0}/s", n as f64 / took.as_secs_f64());
        return;
    }
    let mut floor_buffer = Vec::with_capacity(8 * 1024);
    let mut floor = || {
        floor_buffer.clear();
        serde_json::to_writer(&mut floor_buffer, black_box(&full)).expect("serializes");
        floor_buffer.len()
    };
    println!(
        "listing compile + validate: 10 images, 20 variants, full 가공식품 notice, built 상세페이지"
    );
    println!(
        "each row runs in 20 ms slices alternating with the floor (serde_json::to_writer of the \
         same {} B product file); ratio = the row's time per product over the floor's, median \
         of the slice pairs",
        floor()
    );
    println!(
        "{:<34} {:>12} {:>10} {:>8} {:>12}",
        "", "products/s", "bytes", "ratio", "floor/s"
    );
    let row = |label: &str, measured: &Paired| {
        let bytes = match measured.bytes {
            0 => String::new(),
            bytes => bytes.to_string(),
        };
        println!(
            "{:<34} {:>12.0} {:>10} {:>7.2}x {:>12.0}",
            label, measured.per_second, bytes, measured.ratio, measured.floor_per_second
        );
    };
    // The parts every channel pays for, to read the rows below against.
    let checks = paired(budget, &mut floor, || {
        black_box(black_box(&full).check().is_ok());
        0
    });
    row("  part: common product checks", &checks);
    let pages = paired(budget, &mut floor, || {
        gachi_domain::catalog::detail_page::render(black_box(&full)).len()
    });
    row("  part: 상세페이지 render", &pages);
    let mut worst: f64 = 0.0;
    let mut slowest = f64::MAX;
    // GACHI_BENCH_CHANNEL=naver runs only that channel's row after the parts, without the
    // memory run.
    let only = std::env::var("GACHI_BENCH_CHANNEL").ok();
    for channel in Channel::ALL {
        if only.as_deref().is_some_and(|c| c != channel.code()) {
            continue;
        }
        let file = if channel == Channel::Esm {
            &no_options
        } else {
            &full
        };
        // Fail loudly if the product does not compile: a rejected product would be a fast no-op.
        buffer.clear();
        if let Err(issues) = compile(channel, file, &context, &mut buffer) {
            panic!("{channel:?} rejected the bench product: {issues:#?}");
        }
        let measured = paired(budget, &mut floor, || {
            buffer.clear();
            compile(channel, black_box(file), &context, &mut buffer).expect("compiles");
            buffer.len()
        });
        worst = worst.max(measured.ratio);
        slowest = slowest.min(measured.per_second);
        row(&format!("{} compile", channel.code()), &measured);
    }
    println!(
        "slowest channel: {slowest:.0} products/s (target >= 50,000/s per core); worst ratio {worst:.2}x (target <= 4x)"
    );

    if only.is_some() {
        return;
    }
    // Memory: 1,000,000 compiles streamed through one buffer, peak RSS before and after.
    let before = peak_rss_kib();
    let started = Instant::now();
    let mut total_bytes = 0u64;
    for i in 0..1_000_000u32 {
        let channel = Channel::ALL[(i % 3) as usize]; // Naver, Coupang, 11st take the full product
        buffer.clear();
        compile(channel, &full, &context, &mut buffer).expect("compiles");
        total_bytes += buffer.len() as u64;
    }
    let after = peak_rss_kib();
    println!(
        "1,000,000 compiles in {:.1} s ({} MB of payloads): peak RSS {} KiB before, {} KiB after ({:+} KiB)",
        started.elapsed().as_secs_f64(),
        total_bytes / 1_000_000,
        before,
        after,
        after as i64 - before as i64
    );
}
