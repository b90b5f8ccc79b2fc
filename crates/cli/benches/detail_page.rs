//! 상세페이지 render benchmark (catalog issue): pages/s for a product with 10 images, a full
//! 가공식품 notice and every builder section (bold template), against serializing the same product with serde_json (the floor), measured in
//! the same run. Run: `cargo bench -p gachi --bench detail_page`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use gachi_domain::catalog;
use gachi_domain::catalog::notice;
use gachi_domain::catalog::product::{
    AfterServiceFile, CaptionedPhoto, DetailPageFile, ImagesFile, Loose, NoticeFile, OriginFile,
    Pair, ProductFile, ShippingFile,
};

fn product() -> ProductFile {
    let kind = notice::find("GENERAL_FOOD").expect("the spec has GENERAL_FOOD");
    let fields = kind
        .fields
        .iter()
        .map(|f| {
            let value = match f.kind {
                notice::FieldKind::Bool => "false".to_owned(),
                notice::FieldKind::Date => "2026-11-01".to_owned(),
                notice::FieldKind::Text => format!(
                    "{} — 전주 한옥마을 비빔밥 밀키트에 대한 안내 <포함>",
                    f.label
                ),
            };
            (f.name.clone(), value)
        })
        .collect();
    ProductFile {
        sku: "JJ-BIBIM-2".into(),
        name: "전주 한옥마을 비빔밥 밀키트 2인분".into(),
        brand: Some("한옥식당".into()),
        price: Some(Loose::Int(15900)),
        list_price: Some(Loose::Int(19900)),
        stock: Some(Loose::Int(120)),
        images: Some(ImagesFile {
            main: "https://img.example/main.jpg".into(),
            extra: (1..10)
                .map(|i| format!("https://img.example/{i}.jpg"))
                .collect(),
        }),
        notice: Some(NoticeFile {
            kind: "GENERAL_FOOD".into(),
            fields,
        }),
        origin: Some(OriginFile {
            kind: "domestic".into(),
            region: Some("전북특별자치도 전주시".into()),
            country: None,
            importer: None,
        }),
        shipping: Some(ShippingFile {
            fee: Some(Loose::Int(3000)),
            free_over: Some(Loose::Int(30000)),
            return_fee: Some(Loose::Int(3000)),
            exchange_fee: Some(Loose::Int(6000)),
            ship_from: Some("전북특별자치도 전주시 완산구 동문길 67".into()),
            return_to: Some("전북특별자치도 전주시 완산구 동문길 67".into()),
            ..ShippingFile::default()
        }),
        after_service: Some(AfterServiceFile {
            phone: "063-123-4567".into(),
            guide: "평일 9시~18시".into(),
        }),
        minor_purchasable: Some(true),
        tags: vec!["밀키트".into(), "비빔밥".into()],
        detail_page: Some(DetailPageFile {
            template: "bold".into(),
            color: "#c0392b".into(),
            headline: "할머니 손맛 그대로".into(),
            selling_points: vec![
                "국산 재료만 씁니다".into(),
                "주문 당일 만듭니다".into(),
                "첨가물 없이".into(),
            ],
            story: "1986년 남부시장에서 시작했습니다.\n지금은 딸과 함께 만듭니다.".into(),
            photos: (1..=3)
                .map(|i| CaptionedPhoto {
                    url: format!("https://img.example/p{i}.jpg"),
                    caption: format!("재료 {i}"),
                })
                .collect(),
            specs: vec![Pair {
                label: "중량".into(),
                value: "2인분 820g".into(),
            }],
            faq: vec![Pair {
                label: "맵나요?".into(),
                value: "순한맛도 있어요.".into(),
            }],
        }),
        ..ProductFile::default()
    }
}

/// Runs `work` repeatedly for about `budget` and returns operations per second.
fn rate(budget: Duration, mut work: impl FnMut() -> usize) -> (f64, usize) {
    let mut bytes = 0;
    for _ in 0..200 {
        bytes = work(); // warm up
    }
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < budget {
        for _ in 0..100 {
            black_box(work());
        }
        n += 100;
    }
    (n as f64 / started.elapsed().as_secs_f64(), bytes)
}

fn main() {
    let file = product();
    let budget = Duration::from_secs(3);
    let (floor, json_bytes) = rate(budget, || {
        serde_json::to_string(black_box(&file))
            .expect("serializes")
            .len()
    });
    let (pages, html_bytes) = rate(budget, || {
        catalog::detail_page::render(black_box(&file)).len()
    });
    println!(
        "detail page: product with 10 images and a full 가공식품 notice ({} fields)",
        notice::find("GENERAL_FOOD").map_or(0, |t| t.fields.len())
    );
    println!("{:<36} {:>12} {:>10}", "", "per second", "bytes");
    println!(
        "{:<36} {:>12.0} {:>10}",
        "serde_json::to_string (floor)", floor, json_bytes
    );
    println!(
        "{:<36} {:>12.0} {:>10}",
        "catalog::detail_page", pages, html_bytes
    );
    println!(
        "ratio (floor / render): {:.2}x (target <= 5x)",
        floor / pages
    );
}
