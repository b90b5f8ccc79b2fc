//! The demo's 원정대 story, told through the use cases people call: the demo shops' products
//! (with photos drawn here, so the demo needs no network), put in the MD pool by their shops;
//! the demo MD's picks — one 한옥식당 accepted (its Coupang listing is under way), one waiting
//! for 한옥식당's answer, one waiting at 동부떡집 — and 한옥식당 sharing its sales as bands; then
//! the 전주 원정대 ten days ahead: three MDs confirmed, three shops applied and ranked them, the
//! MDs marked the shops, and the timetable is made.

use anyhow::{Context as _, Result};
use gachi_domain::catalog::Catalog;
use gachi_domain::catalog::media::{BlobStore, MEDIA_PATH};
use gachi_domain::catalog::product::{Product, ProductFile};
use gachi_domain::discovery::Discovery;
use gachi_domain::discovery::picks::PickInput;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::ports::{Store, SystemClock};

/// A demo product: the shop's business number, sku, name, price, tags, and the colour of its
/// drawn photo.
type DemoProduct = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    [&'static str; 2],
    [u8; 3],
);

const PRODUCTS: [DemoProduct; 4] = [
    (
        "2208162517",
        "HANOK-BIBIM-2",
        "전주 한옥마을 비빔밥 밀키트 2인분",
        15_900,
        ["비빔밥", "밀키트"],
        [196, 84, 44],
    ),
    (
        "2208162517",
        "HANOK-SAUCE-300",
        "전주 육회비빔밥 고추장 소스 300g",
        8_900,
        ["고추장", "비빔밥소스"],
        [170, 40, 40],
    ),
    (
        "1068641434",
        "DONGBU-INJEOLMI-1K",
        "전주 찹쌀 인절미 1kg 선물세트",
        22_000,
        ["인절미", "떡선물"],
        [214, 180, 90],
    ),
    (
        "1018112341",
        "DEOKJIN-TWIST-10",
        "덕진 찹쌀꽈배기 10개입",
        12_000,
        ["꽈배기", "간식"],
        [200, 140, 60],
    ),
];

/// A photo drawn for the demo: a warm gradient with a plate in the middle, as a PNG.
fn drawn_photo(colour: [u8; 3]) -> Result<Vec<u8>> {
    let size = 800u32;
    let image = image::RgbImage::from_fn(size, size, |x, y| {
        let (cx, cy) = (x as f32 - 400.0, y as f32 - 420.0);
        let distance = (cx * cx + cy * cy).sqrt();
        if distance < 250.0 {
            // The food on the plate.
            let shade = 1.0 - distance / 600.0;
            image::Rgb(colour.map(|c| (f32::from(c) * shade) as u8))
        } else if distance < 300.0 {
            image::Rgb([246, 244, 238])
        } else {
            let light = 200 + (y * 40 / size) as u8;
            image::Rgb([light, light - 8, light - 20])
        }
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .context("drawing a demo photo")?;
    Ok(bytes.into_inner())
}

/// Prepares and keeps a photo as an upload would be; its path for product files.
async fn keep_photo(blobs: &dyn BlobStore, bytes: &[u8]) -> Result<String> {
    let prepared = gachi_media::prepare(bytes).map_err(|e| anyhow::anyhow!("demo photo: {e:?}"))?;
    let name = prepared.key.file_name();
    blobs
        .put(&prepared.key.thumb_name(), &prepared.thumb)
        .await?;
    blobs.put(&name, &prepared.bytes).await?;
    Ok(format!("{MEDIA_PATH}{name}"))
}

/// A complete 가공식품 product file: every common check passes.
fn product_file(
    shop: &gachi_domain::merchants::merchant::Merchant,
    (sku, name, price, tags): (&str, &str, i64, [&str; 2]),
    photo: String,
) -> Result<ProductFile> {
    let notice = gachi_domain::catalog::notice::find("GENERAL_FOOD")
        .context("the notice table has 가공식품")?;
    let fields: serde_json::Map<String, serde_json::Value> = notice
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| {
            let value = match f.name.as_str() {
                "geneticallyModified" => "false".to_owned(),
                "productName" => name.to_owned(),
                _ => gachi_domain::catalog::notice::SEE_DETAIL_PAGE.to_owned(),
            };
            (f.name.clone(), serde_json::Value::String(value))
        })
        .collect();
    let address = shop.road_address.clone().unwrap_or_default();
    serde_json::from_value(serde_json::json!({
        "sku": sku, "name": name, "brand": shop.name, "manufacturer": shop.name,
        "price": price, "list_price": price / 10 * 12, "stock": 150, "tax": "taxable",
        "origin": {"kind": "domestic", "region": "전북특별자치도 전주시"},
        "images": {"main": photo},
        "notice": {"type": "GENERAL_FOOD", "fields": fields},
        "shipping": {"fee": 3000, "free_over": 30000, "dispatch_days": 2, "courier": "CJGLS",
                     "return_fee": 3000, "exchange_fee": 6000,
                     "ship_from": address, "return_to": address},
        "after_service": {"phone": shop.phone, "guide": "평일 9시~18시"},
        "minor_purchasable": true,
        "tags": tags,
        "certifications": if sku.starts_with("HANOK") {
            serde_json::json!([{"kind": "HACCP", "number": "2023-1-0417"}])
        } else {
            serde_json::json!([])
        }
    }))
    .context("a demo product file")
}

pub async fn seed(store: &dyn Store, media_dir: &std::path::Path) -> Result<()> {
    let user = |email: &'static str| async move {
        store
            .user_by_email(email)
            .await?
            .with_context(|| format!("the demo account {email} was just created"))
    };
    let operator = user("operator@gachi.demo").await?;
    let owner = user("hanok@gachi.demo").await?;
    let md = user("md@gachi.demo").await?;
    // The server rebuilds its index from the pool when it starts; this one is only for the
    // use case's bookkeeping while seeding.
    let index = gachi_search::PoolSearch::in_memory()
        .map_err(|e| anyhow::anyhow!("demo search index: {e}"))?;
    let catalog = Catalog {
        store,
        clock: &SystemClock,
        pool: Some(&index),
    };
    let discovery = Discovery {
        store,
        clock: &SystemClock,
        index: &index,
    };
    let blobs = gachi_media::FsBlobStore::new(media_dir);
    let mut made: Vec<Product> = Vec::new();
    for (business_number, sku, name, price, tags, colour) in PRODUCTS {
        let shop = store
            .merchant_by_business_number(business_number)
            .await?
            .with_context(|| format!("the demo shop {business_number}"))?;
        // A shop with an owner adds its own products; staff add them for the others.
        let by = if shop.name == "한옥식당" {
            &owner
        } else {
            &operator
        };
        let photo = keep_photo(&blobs, &drawn_photo(colour)?).await?;
        let file = product_file(&shop, (sku, name, price, tags), photo)?;
        let actor = Actor::user(by.id, None);
        let product = catalog
            .create(
                by,
                Some(shop.id).filter(|_| by.id != owner.id),
                &file,
                &actor,
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo product {name}: {e:?}"))?;
        discovery
            .put_in_pool(by, &actor, product.id)
            .await
            .map_err(|e| anyhow::anyhow!("demo pool {name}: {e:?}"))?;
        made.push(product);
    }
    discovery
        .set_sales_visibility(&owner, &Actor::user(owner.id, None), None, "band")
        .await
        .map_err(|e| anyhow::anyhow!("demo sales visibility: {e:?}"))?;

    let by_md = Actor::user(md.id, None);
    let picks = [
        (
            0,
            "coupang",
            "time_deal",
            "추석 타임딜 후보로 올리고 싶습니다. 2인분 구성이 좋습니다.",
        ),
        (
            1,
            "11st",
            "regular",
            "소스 단품도 11번가 밀키트 기획에 잘 맞습니다.",
        ),
        (2, "naver", "promotion", "설 선물세트 기획전에 어울립니다."),
    ];
    let mut made_picks = Vec::new();
    for (product, channel, purpose, note) in picks {
        let pick = discovery
            .pick(
                &md,
                &by_md,
                &PickInput {
                    product_id: made[product].id.0,
                    channel: channel.into(),
                    purpose: purpose.into(),
                    note: note.into(),
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo pick: {e:?}"))?;
        made_picks.push(pick);
    }
    discovery
        .decide(&owner, &Actor::user(owner.id, None), made_picks[0].id, true)
        .await
        .map_err(|e| anyhow::anyhow!("demo pick answer: {e:?}"))?;
    println!(
        "demo 원정대: {} products in the MD pool; {} picked 3 (한옥식당 accepted one, one waits for 한옥식당, one for 동부떡집)",
        made.len(),
        md.display_name
    );
    seed_event(
        store, &catalog, &discovery, &blobs, &operator, &md, &owner, &made[0],
    )
    .await
}

/// Two more shops that sell online themselves (they apply to the event as 한옥식당 does), and
/// two more MDs; passwords of these extra accounts are not printed (they are there to fill the
/// timetable; sign in as the demo MD and merchant).
struct EventShop {
    owner_email: &'static str,
    owner_name: &'static str,
    shop: &'static str,
    business_number: &'static str,
    sku: &'static str,
    product: &'static str,
    price: i64,
    colour: [u8; 3],
}

const EVENT_SHOPS: [EventShop; 2] = [
    EventShop {
        owner_email: "moju@gachi.demo",
        owner_name: "전주모주공방 사장님",
        shop: "전주모주공방",
        business_number: "1078614075",
        sku: "JJ-MOJU-6",
        product: "전주 한방 모주 500ml 6병",
        price: 27_000,
        colour: [120, 70, 40],
    },
    EventShop {
        owner_email: "bibim@gachi.demo",
        owner_name: "남부시장 비빔소스 사장님",
        shop: "남부시장 비빔소스",
        business_number: "2148897494",
        sku: "NB-SAUCE-3",
        product: "남부시장 비빔 고추장 소스 3종 세트",
        price: 18_500,
        colour: [180, 50, 30],
    },
];
const EVENT_MDS: [(&str, &str, &str); 2] = [
    ("md.naver@gachi.demo", "이소싱 MD (네이버)", "naver"),
    ("md.11st@gachi.demo", "최기획 MD (11번가)", "11st"),
];

/// The 전주 원정대 ten days from now: three MDs confirmed, three shops applied with pooled
/// products and ranked the MDs, the MDs marked them, and the timetable is made.
#[allow(clippy::too_many_arguments)]
async fn seed_event(
    store: &dyn Store,
    catalog: &Catalog<'_>,
    discovery: &Discovery<'_>,
    blobs: &dyn BlobStore,
    operator: &gachi_domain::accounts::User,
    md: &gachi_domain::accounts::User,
    hanok_owner: &gachi_domain::accounts::User,
    hanok_product: &Product,
) -> Result<()> {
    use gachi_domain::accounts::AccountInput;
    use gachi_domain::discovery::events::{EventInput, Expeditions};
    use gachi_domain::kernel::time::Timestamp;
    use gachi_domain::merchants::merchant::{MerchantInput, MerchantSource, MerchantStatus};

    let accounts = crate::accounts(store);
    let create = |email: &'static str, name: &'static str, role: &'static str| {
        let accounts = &accounts;
        async move {
            let password: String = gachi_domain::kernel::secret::random_token()
                .chars()
                .take(20)
                .collect();
            accounts
                .create_user(
                    None,
                    &AccountInput {
                        email: email.into(),
                        password,
                        display_name: name.into(),
                        role: role.into(),
                        region_code: String::new(),
                    },
                    &Actor::system(),
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo account {email}: {e:?}"))
        }
    };
    let mut applicants = vec![(hanok_owner.clone(), hanok_product.id)];
    for EventShop {
        owner_email,
        owner_name,
        shop: shop_name,
        business_number,
        sku,
        product: product_name,
        price,
        colour,
    } in EVENT_SHOPS
    {
        let owner = create(owner_email, owner_name, "merchant").await?;
        let fields = MerchantInput {
            name: shop_name.into(),
            business_number: business_number.into(),
            phone: "063-284-0000".into(),
            road_address: "전북특별자치도 전주시 완산구 풍남문2길 53".into(),
            region_code: "52111".into(),
            industry_code: "I20101".into(),
            ..MerchantInput::default()
        }
        .validate(true)
        .map_err(|e| anyhow::anyhow!("demo shop {shop_name}: {e:?}"))?;
        let audit =
            Actor::user(owner.id, None).entry(Timestamp::now(), "merchant.create", "", "demo");
        let shop = store
            .create_merchant(
                &fields,
                MerchantStatus::Registered,
                MerchantSource::SelfRegistered,
                Some(owner.id),
                &audit,
            )
            .await?;
        let photo = keep_photo(blobs, &drawn_photo(colour)?).await?;
        let file = product_file(&shop, (sku, product_name, price, ["전주", "선물"]), photo)?;
        let actor = Actor::user(owner.id, None);
        let product = catalog
            .create(&owner, None, &file, &actor)
            .await
            .map_err(|e| anyhow::anyhow!("demo product {product_name}: {e:?}"))?;
        discovery
            .put_in_pool(&owner, &actor, product.id)
            .await
            .map_err(|e| anyhow::anyhow!("demo pool {product_name}: {e:?}"))?;
        applicants.push((owner, product.id));
    }
    let mut mds = vec![(md.clone(), "coupang")];
    for (email, name, channel) in EVENT_MDS {
        mds.push((create(email, name, "md").await?, channel));
    }

    let expeditions = Expeditions {
        store,
        clock: &SystemClock,
        index: discovery.index,
    };
    let today = Timestamp::now().in_seoul().date();
    let day = |days: i64| (today + ::time::Duration::days(days)).to_string();
    let by_staff = Actor::user(operator.id, None);
    let event = expeditions
        .create(
            operator,
            &by_staff,
            &EventInput {
                name: "전주 디지털경제 원정대".into(),
                region_code: "52110".into(),
                venue: "전주 한옥마을 공예품전시관 2층".into(),
                date: day(10),
                starts: "10:00".into(),
                ends: "16:00".into(),
                slot_minutes: "20".into(),
                breaks: "12:00-13:00".into(),
                tables: "6".into(),
                meetings_per_merchant: "3".into(),
                applications_close: day(5),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo event: {e:?}"))?;
    let looking_for = [
        "전통 먹거리 타임딜",
        "밀키트·소스 기획전",
        "지역 특산 선물세트",
    ];
    for ((md, channel), looking) in mds.iter().zip(looking_for) {
        expeditions
            .invite(operator, &by_staff, event.id, md.email.as_str(), channel)
            .await
            .map_err(|e| anyhow::anyhow!("demo invitation: {e:?}"))?;
        expeditions
            .answer(md, &Actor::user(md.id, None), event.id, true, looking)
            .await
            .map_err(|e| anyhow::anyhow!("demo attendance: {e:?}"))?;
    }
    for (k, (owner, product)) in applicants.iter().enumerate() {
        let actor = Actor::user(owner.id, None);
        expeditions
            .apply(owner, &actor, event.id, &[product.0])
            .await
            .map_err(|e| anyhow::anyhow!("demo application: {e:?}"))?;
        // Each shop wants the MDs in a different order.
        let ranking: Vec<i64> = (0..mds.len())
            .map(|r| mds[(k + r) % mds.len()].0.id.0)
            .collect();
        expeditions
            .rank(owner, &actor, event.id, &ranking)
            .await
            .map_err(|e| anyhow::anyhow!("demo ranking: {e:?}"))?;
    }
    let shops = store.event_applications(event.id).await?;
    for (k, (md, _)) in mds.iter().enumerate() {
        for (j, application) in shops.iter().enumerate() {
            let mark = if (j + k) % 3 == 0 { "must" } else { "would" };
            expeditions
                .mark(
                    md,
                    &Actor::user(md.id, None),
                    event.id,
                    application.merchant.0,
                    mark,
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo mark: {e:?}"))?;
        }
    }
    let timetable = expeditions
        .schedule(operator, &by_staff, event.id)
        .await
        .map_err(|e| anyhow::anyhow!("demo timetable: {e:?}"))?;
    println!(
        "demo 원정대 event: {} on {} — 3 MDs, {} shops, {} meetings in the timetable",
        event.name,
        event.date,
        shops.len(),
        timetable.meetings.len()
    );
    Ok(())
}
