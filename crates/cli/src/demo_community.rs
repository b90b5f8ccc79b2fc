//! The demo's 가치삽시다 community, told through the use cases people call: 동부떡집 asked how to
//! find Coupang's return-centre code (the readiness list's "마켓 계정 설정" error), 한옥식당 answered
//! from its own listing and the answer was accepted; the designer wrote a know-how article on the
//! same setting, which the operator published; a question on photos waits for an answer.
//! 한옥식당 takes questions like the ones it solved, and mentors 동부떡집. The server indexes it
//! all at start.

use anyhow::{Context as _, Result};
use gachi_domain::community::{ArticleInput, Community, QuestionInput};
use gachi_domain::kernel::audit::Actor;
use gachi_domain::ports::{Store, SystemClock};

fn fail(what: &str) -> impl Fn(gachi_domain::community::CommunityError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("demo community {what}: {e:?}")
}

pub async fn seed(store: &dyn Store) -> Result<()> {
    let index = gachi_search::PostSearch::in_memory()
        .map_err(|e| anyhow::anyhow!("an in-memory index: {e}"))?;
    let community = Community {
        store,
        clock: &SystemClock,
        index: &index,
    };
    let user = |email: &'static str| async move {
        store
            .user_by_email(email)
            .await?
            .with_context(|| format!("the demo account {email} was just created"))
    };
    let operator = user("operator@gachi.demo").await?;
    let designer = user("designer@gachi.demo").await?;
    let hanok = user("hanok@gachi.demo").await?;
    let dongbu = user("dongbu@gachi.demo").await?;
    let as_actor = |u: &gachi_domain::accounts::User| Actor::user(u.id, None);

    // 한옥식당 takes questions like the ones it solved, also from its 전주 neighbours.
    community
        .set_helping(
            &hanok,
            &as_actor(&hanok),
            gachi_domain::community::Helping {
                opted_in: true,
                nearby: true,
                digest: true,
            },
        )
        .await
        .map_err(fail("helping"))?;
    let (question, _) = community
        .ask(
            &dongbu,
            &as_actor(&dongbu),
            &QuestionInput {
                title: "쿠팡 반품지 센터코드는 어디서 확인하나요?".into(),
                body: "쿠팡 등록 준비에서 ‘반품지 센터코드’가 비어 있다고 나옵니다. \
                       Wing에 반품 주소는 적어 두었는데 코드가 어디 있는지 모르겠어요."
                    .into(),
                topic: "listing".into(),
                channel: "coupang".into(),
                error_code: "listing-setting-missing".into(),
            },
        )
        .await
        .map_err(fail("question"))?;
    let (answer, _) = community
        .answer(
            &hanok,
            &as_actor(&hanok),
            question.id,
            "저도 같은 데서 막혔어요. Wing에서 **판매자정보 → 주소록**으로 가서 반품지를 \
             ‘반품지’로 등록하면 목록에 **센터코드**가 보입니다.\n\n\
             - 출고지도 같은 화면에서 등록하고 코드를 함께 적어 두세요.\n\
             - 가치의 마켓 계정에 넣으면 바로 준비 상태가 바뀝니다.",
        )
        .await
        .map_err(fail("answer"))?;
    community
        .accept(&dongbu, &as_actor(&dongbu), answer.id)
        .await
        .map_err(fail("acceptance"))?;

    let (article, _) = community
        .write_article(
            &designer,
            &as_actor(&designer),
            &ArticleInput {
                title: "쿠팡 입점 전에 준비할 계정 정보 다섯 가지".into(),
                body: "쿠팡에 상품을 보내려면 마켓 계정에 다음이 있어야 합니다.\n\n\
                       1. 업체코드(vendorId)와 Wing 로그인 ID\n\
                       2. Open API 키 두 개\n\
                       3. **반품지 센터코드**: Wing 판매자정보 → 주소록\n\
                       4. 출고지 코드\n\
                       5. 반품지 이름·연락처·주소\n\n\
                       하나라도 비면 가치의 준비 상태에 ‘마켓 계정 설정’으로 나옵니다."
                    .into(),
                topic: "listing".into(),
                channel: "coupang".into(),
                error_code: "listing-setting-missing".into(),
            },
        )
        .await
        .map_err(fail("article"))?;
    community
        .submit_article(&designer, &as_actor(&designer), article.id)
        .await
        .map_err(fail("article review"))?;
    community
        .review_article(&operator, &as_actor(&operator), article.id, true)
        .await
        .map_err(fail("article publishing"))?;

    community
        .ask(
            &hanok,
            &as_actor(&hanok),
            &QuestionInput {
                title: "대표 사진 배경은 흰색이어야 하나요?".into(),
                body:
                    "비빔밥 밀키트 사진을 한옥 마루에서 찍었는데, 마켓마다 대표 사진 배경 규칙이 \
                       다른지 궁금합니다."
                        .into(),
                topic: "photos".into(),
                channel: String::new(),
                error_code: String::new(),
            },
        )
        .await
        .map_err(fail("second question"))?;
    // 한옥식당, in the hall of fame, mentors; 동부떡집 asked and was accepted.
    community
        .offer_mentoring(
            &hanok,
            &as_actor(&hanok),
            "스마트스토어와 쿠팡 입점, 상세페이지 사진을 도와드립니다.",
        )
        .await
        .map_err(fail("mentoring"))?;
    let request = community
        .request_mentor(
            &dongbu,
            &as_actor(&dongbu),
            hanok.id,
            "설 선물세트를 쿠팡에 올리는 순서를 배우고 싶습니다.",
        )
        .await
        .map_err(fail("mentor request"))?;
    community
        .answer_mentor_request(&hanok, &as_actor(&hanok), request.id, true)
        .await
        .map_err(fail("mentor answer"))?;
    println!(
        "demo 가치삽시다: 2 questions (동부떡집's Coupang question answered by 한옥식당 and solved; one on photos waiting), 1 know-how article published, 한옥식당 mentors 동부떡집"
    );
    Ok(())
}
