//! The demo's 가치데이 season, told through the use cases people call, each at the moment it
//! would have happened: two studios and three show hosts; an autumn call whose two broadcasts
//! (한옥식당, 동부떡집) were reviewed, selected, scheduled, prepared, confirmed and went on air —
//! 한옥식당's results and survey are in, 동부떡집's wait for the platforms' export (an operator
//! enters or imports them); and a winter call selected and scheduled yesterday —
//! 한옥식당's broadcast confirmed and announced on the public page, 동부떡집's waiting at the
//! readiness gate (its 인절미 is not ready for Coupang and the rehearsal is not done).

use anyhow::{Context as _, Result};
use gachi_domain::accounts::User;
use gachi_domain::kernel::audit::Actor;
use gachi_domain::kernel::time::{Timestamp, seoul_date};
use gachi_domain::listing::publishing::Listing;
use gachi_domain::live::{
    ApplyInput, BroadcastStatus, CallInput, HostInput, Live, PreparationInput, ResultInput,
    StudioInput,
};
use gachi_domain::ports::{Clock, Store};

/// A clock stopped at one instant: each step of the story happens on its own day.
struct At(Timestamp);

impl Clock for At {
    fn now(&self) -> Timestamp {
        self.0
    }
}

const DAY: i64 = 86_400;

fn fail(what: &str) -> impl Fn(gachi_domain::live::LiveError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("demo live {what}: {e:?}")
}

/// The use case as it was `days_ago` days ago (negative: ahead).
async fn at<T>(
    store: &dyn Store,
    media_dir: &std::path::Path,
    days_ago: i64,
    step: impl AsyncFnOnce(&Live<'_>) -> Result<T>,
) -> Result<T> {
    let clock = At(Timestamp::now().minus_seconds(days_ago * DAY));
    let marketplaces = gachi_channels::markets::Markets::new(&Default::default());
    let blobs = gachi_media::FsBlobStore::new(media_dir);
    let live = Live {
        store,
        clock: &clock,
        listing: Listing {
            store,
            clock: &clock,
            marketplaces: &marketplaces,
            blobs: &blobs,
            sealer: None,
            public_url: "",
        },
    };
    step(&live).await
}

fn day(days_from_today: i64) -> String {
    (seoul_date(Timestamp::now()) + ::time::Duration::days(days_from_today)).to_string()
}

fn call(name: &str, starts: i64, ends: i64, close: i64, channels: &str) -> CallInput {
    CallInput {
        name: name.into(),
        starts: day(starts),
        ends: day(ends),
        applications_close: day(close),
        quota_total: "10".into(),
        quota_per_sido: String::new(),
        quota_per_industry: String::new(),
        first_time_percent: "30".into(),
        weights: "3,2,2,2,1".into(),
        min_days_between_same_industry: "3".into(),
        channels: channels.into(),
        reviewer_emails: "operator@gachi.demo, md@gachi.demo, designer@gachi.demo".into(),
        reviews_per_application: "2".into(),
        reviewer_load: "20".into(),
    }
}

/// The products of a shop in the demo pool, by sku prefix.
async fn products_of(store: &dyn Store, business_number: &str) -> Result<Vec<i64>> {
    let shop = store
        .merchant_by_business_number(business_number)
        .await?
        .with_context(|| format!("the demo shop {business_number}"))?;
    Ok(store
        .products_of(shop.id, None, 20)
        .await?
        .into_iter()
        .map(|p| p.id.0)
        .collect())
}

/// Applications by the two shop owners, reviews by whoever was assigned (scores a little
/// apart, so the two reviewers do not agree exactly), selection and scheduling.
async fn run_call(
    store: &dyn Store,
    media_dir: &std::path::Path,
    input: CallInput,
    (created, applied, decided): (i64, i64, i64),
    shops: &[(&User, Vec<i64>, &str)],
    staff: &User,
) -> Result<i64> {
    let actor = Actor::user(staff.id, None);
    let call = at(store, media_dir, created, async |live| {
        live.create_call(staff, &actor, &input)
            .await
            .map_err(fail("call"))
    })
    .await?;
    for (owner, products, pitch) in shops {
        at(store, media_dir, applied, async |live| {
            live.apply(
                owner,
                &Actor::user(owner.id, None),
                call.id,
                &ApplyInput {
                    product_ids: products.clone(),
                    preferred_weeks: vec![day(-decided + 14)],
                    pitch: (*pitch).into(),
                },
            )
            .await
            .map_err(fail("application"))
        })
        .await?;
    }
    at(store, media_dir, decided, async |live| {
        live.assign_reviewers(staff, &actor, call.id)
            .await
            .map_err(fail("reviewers"))?;
        let reviews = store.reviews(call.id).await?;
        for (i, review) in reviews.iter().enumerate() {
            let reviewer = store
                .user(review.reviewer)
                .await?
                .context("a demo reviewer")?;
            let lean = (i % 2) as i64;
            live.review(
                &reviewer,
                &Actor::user(reviewer.id, None),
                review.application,
                &[5 - lean, 4, 4 + lean, 4, 5 - lean],
                "시연 상품이 분명하고 가격이 좋습니다.",
            )
            .await
            .map_err(fail("review"))?;
        }
        Ok(())
    })
    .await?;
    // Selection and scheduling the day after applications close.
    at(store, media_dir, decided - 1, async |live| {
        live.select(staff, &actor, call.id)
            .await
            .map_err(fail("selection"))?;
        live.schedule(staff, &actor, call.id)
            .await
            .map_err(fail("schedule"))
    })
    .await?;
    Ok(call.id)
}

pub async fn seed(store: &dyn Store, media_dir: &std::path::Path) -> Result<()> {
    let user = |email: &'static str| async move {
        store
            .user_by_email(email)
            .await?
            .with_context(|| format!("the demo account {email} was just created"))
    };
    let operator = user("operator@gachi.demo").await?;
    let hanok = user("hanok@gachi.demo").await?;
    let dongbu = user("dongbu@gachi.demo").await?;
    let actor = Actor::user(operator.id, None);
    at(store, media_dir, 120, async |live| {
        for (name, place, times) in [
            (
                "가치 라이브 스튜디오 전주",
                "전주 한옥마을 소상공인 지원센터 3층",
                "11:00, 15:00, 19:30",
            ),
            (
                "가치 라이브 스튜디오 서울",
                "서울 중구 소공인 지원센터 2층",
                "14:00, 20:00",
            ),
        ] {
            let input = StudioInput {
                name: name.into(),
                place: place.into(),
                times: times.into(),
            };
            live.save_studio(&operator, &actor, None, &input)
                .await
                .map_err(fail("studio"))?;
        }
        for (name, categories, weekdays, fee) in [
            ("이하나 쇼호스트", "음식", "월,화,수,목,금", "300000"),
            ("정민수 쇼호스트", "음식, 소매", "화,목,토", "350000"),
            ("최유리 쇼호스트", "소매", "월,화,수,목,금,토,일", "250000"),
        ] {
            let input = HostInput {
                name: name.into(),
                categories: categories.into(),
                weekdays: weekdays.into(),
                fee: fee.into(),
            };
            live.save_host(&operator, &actor, None, &input)
                .await
                .map_err(fail("host"))?;
        }
        Ok(())
    })
    .await?;
    let hanok_shop = store
        .merchant_of_owner(hanok.id)
        .await?
        .context("한옥식당")?;
    let hanok_products = products_of(store, "2208162517").await?;
    let dongbu_products = products_of(store, "1068641434").await?;

    // The autumn season: over; both broadcasts went on air.
    let autumn = run_call(
        store,
        media_dir,
        call(
            "2026 가을 가치데이",
            -30,
            -1,
            -40,
            "gachi, kakao_live, grip",
        ),
        (60, 50, 39),
        &[
            (
                &hanok,
                hanok_products.clone(),
                "전주 비빔밥을 집에서 그대로 만드는 법을 보여 드리고 싶습니다.",
            ),
            (
                &dongbu,
                dongbu_products.clone(),
                "3대째 찹쌀을 직접 치는 인절미를 소개하겠습니다.",
            ),
        ],
        &operator,
    )
    .await?;
    let aired = store
        .broadcasts(&gachi_domain::live::BroadcastFilter {
            call: Some(autumn),
            ..Default::default()
        })
        .await?;
    at(store, media_dir, 35, async |live| {
        for b in &aired {
            let input = PreparationInput {
                checklist: ["concept", "cue_sheet", "discount", "shipping", "rehearsal"]
                    .map(String::from)
                    .to_vec(),
                channels: None,
                expected_units: Some(b.products.iter().map(|p| (p.0, "40".to_owned())).collect()),
                discount_percent: Some("10".into()),
                replay_url: None,
            };
            live.prepare(&operator, &actor, b.id, &input)
                .await
                .map_err(fail("preparation"))?;
            live.confirm(&operator, &actor, b.id)
                .await
                .map_err(fail("confirmation"))?;
        }
        Ok(())
    })
    .await?;
    at(store, media_dir, 0, async |live| {
        let mut rows = Vec::new();
        // Only 한옥식당's platforms have sent their figures so far.
        for (i, b) in aired
            .iter()
            .filter(|b| b.merchant == hanok_shop.id)
            .enumerate()
        {
            let scale = (i as i64 + 2) * 400;
            for (channel, share) in [("gachi", 2), ("kakao_live", 5), ("grip", 3)] {
                rows.push(ResultInput {
                    broadcast_id: b.id.to_string(),
                    channel: channel.into(),
                    product_id: String::new(),
                    viewers: (scale * share).to_string(),
                    peak_viewers: (scale * share / 6).to_string(),
                    likes: (scale * share / 4).to_string(),
                    chats: (scale * share / 10).to_string(),
                    orders: (scale * share / 50).to_string(),
                    sales_krw: (scale * share / 50 * 17_900).to_string(),
                });
            }
        }
        let (imported, bad) = live
            .import_results(Some(&operator), &actor, &rows)
            .await
            .map_err(fail("results"))?;
        anyhow::ensure!(
            bad.is_empty() && imported == rows.len(),
            "demo results: {bad:?}"
        );
        if let Some(own) = aired.iter().find(|b| b.merchant == hanok_shop.id) {
            live.survey(
                &hanok,
                &Actor::user(hanok.id, None),
                own.id,
                5,
                "주문이 평소 한 달 치만큼 들어왔어요.",
            )
            .await
            .map_err(fail("survey"))?;
        }
        Ok(())
    })
    .await?;

    // The winter season: selected and scheduled yesterday.
    let winter = run_call(
        store,
        media_dir,
        call(
            "2027 겨울 가치데이",
            5,
            40,
            -2,
            "gachi, kakao_live, coupang_live",
        ),
        (20, 10, 1),
        &[
            (
                &hanok,
                hanok_products[..1].to_vec(),
                "겨울 한정 밀키트 구성을 처음 공개합니다.",
            ),
            (
                &dongbu,
                dongbu_products,
                "설 선물세트를 미리 선보이겠습니다.",
            ),
        ],
        &operator,
    )
    .await?;
    let scheduled = store
        .broadcasts(&gachi_domain::live::BroadcastFilter {
            call: Some(winter),
            statuses: [BroadcastStatus::Scheduled].into_iter().collect(),
            ..Default::default()
        })
        .await?;
    at(store, media_dir, 0, async |live| {
        for b in &scheduled {
            let ours = b.merchant == hanok_shop.id;
            // 한옥식당 is not on Coupang yet: the operator simulcasts it where it sells.
            let input = PreparationInput {
                checklist: if ours {
                    vec!["concept", "cue_sheet", "discount", "shipping", "rehearsal"]
                } else {
                    vec!["concept", "cue_sheet"]
                }
                .into_iter()
                .map(String::from)
                .collect(),
                channels: ours.then(|| vec!["gachi".to_owned(), "kakao_live".to_owned()]),
                expected_units: Some(b.products.iter().map(|p| (p.0, "60".to_owned())).collect()),
                discount_percent: Some("15".into()),
                replay_url: None,
            };
            live.prepare(&operator, &actor, b.id, &input)
                .await
                .map_err(fail("preparation"))?;
            if ours {
                live.confirm(&operator, &actor, b.id)
                    .await
                    .map_err(fail("confirmation"))?;
            }
        }
        Ok(())
    })
    .await?;
    println!(
        "demo 가치데이: 2 studios, 3 show hosts; the autumn season aired 2 broadcasts (한옥식당's results are in, 동부떡집's are waiting to be entered); the winter season has 1 confirmed broadcast (see /live) and 1 waiting at the readiness gate"
    );
    Ok(())
}
