//! The role × route access table: every API operation and every page route, each asked by
//! every kind of caller — a visitor, the merchant who owns the shop, another shop's merchant, a
//! certified designer holding the shop's `catalog` delegation, an MD, an operator, 전주시's
//! officer and an admin — against one world where the shop's records exist. A caller the table
//! refuses must be stopped by the guard (401, 403, 404, or a page's redirect to the sign-in);
//! a caller it allows must get past it (any other answer, a 5xx never). The test fails when the
//! application has a route the table does not list (read from the OpenAPI document and from
//! `crates/web/src/routes.rs`) and when the table lists one that is gone, and it names every
//! wrong cell at once. Refusals are asked first, then what changes nothing, then each row that
//! uses up a throwaway record of its own (by its first allowed caller), then signing out and in.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use crate::support::{
    Api, Browser, MANAGED_ANSWERS, NUMBERS, OFFICER, OPERATOR, OWNER, PASSWORD, ProductBuilder,
    Reply, ShopBuilder, TestApp, TestClock, jpeg, multipart,
};

const OTHER_MERCHANT: &str = "owner@gunsan-tteok.kr";
const DESIGNER: &str = "kim@designer.kr";
const MD: &str = "md@coupang.kr";
const ADMIN: &str = "admin@program.kr";

/// Who calls, in the order of the table's columns. Each has a letter; in a row, the letter
/// means "gets past the guard" and `.` means "refused".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    /// `a`: no session, no token.
    Anonymous,
    /// `o`: the merchant who owns 한옥식당, the shop every record in the world belongs to.
    Owner,
    /// `x`: the merchant of another shop (군산떡집).
    OtherMerchant,
    /// `d`: a certified designer the owner delegated the `catalog` scope to (and nothing else).
    Designer,
    /// `m`: a marketplace MD.
    Md,
    /// `p`: the program operator.
    Operator,
    /// `g`: 전주시's local-government officer; 한옥식당 (완산구) is in their region.
    LocalGov,
    /// `s`: an admin.
    Admin,
}

impl Caller {
    const ALL: [Caller; 8] = [
        Caller::Anonymous,
        Caller::Owner,
        Caller::OtherMerchant,
        Caller::Designer,
        Caller::Md,
        Caller::Operator,
        Caller::LocalGov,
        Caller::Admin,
    ];

    /// The caller's letter in a row of the table.
    fn letter(self) -> char {
        b"aoxdmpgs"[self as usize] as char
    }

    fn email(self) -> Option<&'static str> {
        match self {
            Caller::Anonymous => None,
            Caller::Owner => Some(OWNER),
            Caller::OtherMerchant => Some(OTHER_MERCHANT),
            Caller::Designer => Some(DESIGNER),
            Caller::Md => Some(MD),
            Caller::Operator => Some(OPERATOR),
            Caller::LocalGov => Some(OFFICER),
            Caller::Admin => Some(ADMIN),
        }
    }
}

/// What a request carries. Placeholders (`{product}`) in it are filled from the world.
#[derive(Clone, Copy)]
enum Payload {
    Nothing,
    Json(&'static str),
    /// An urlencoded form (pages; the CSRF token travels in a header).
    Form(&'static str),
    /// A JPEG: the raw bytes to the API, a multipart form with a `name` field to pages.
    Photo,
}

/// What a successful call does to the world, which decides when and by whom it is sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// Changes nothing another row relies on: every caller is checked.
    Harmless,
    /// Uses up its resource (a deletion, a revocation, an answered pick): each row has a
    /// resource of its own, refused callers are checked first and the first allowed caller
    /// last, alone.
    UsesUp,
    /// Changes the caller's own session (signing out, in or up): checked after everything else.
    TouchesSession,
}

#[derive(Clone, Copy)]
struct Route {
    method: &'static str,
    /// With placeholders for the world's ids, and a query string where the route wants one.
    path: &'static str,
    /// One letter per caller, in [`Caller::ALL`] order: the caller's letter or `.`.
    access: &'static str,
    payload: Payload,
    effect: Effect,
}

const fn route(method: &'static str, path: &'static str, access: &'static str) -> Route {
    Route {
        method,
        path,
        access,
        payload: Payload::Nothing,
        effect: Effect::Harmless,
    }
}

const fn get(path: &'static str, access: &'static str) -> Route {
    route("GET", path, access)
}

const fn post(path: &'static str, access: &'static str) -> Route {
    route("POST", path, access)
}

impl Route {
    const fn json(self, body: &'static str) -> Route {
        Route {
            payload: Payload::Json(body),
            ..self
        }
    }
    const fn form(self, body: &'static str) -> Route {
        Route {
            payload: Payload::Form(body),
            ..self
        }
    }
    const fn photo(self) -> Route {
        Route {
            payload: Payload::Photo,
            ..self
        }
    }
    const fn uses_up(self) -> Route {
        Route {
            effect: Effect::UsesUp,
            ..self
        }
    }
    const fn touches_session(self) -> Route {
        Route {
            effect: Effect::TouchesSession,
            ..self
        }
    }

    fn allows(&self, caller: Caller) -> bool {
        assert_eq!(
            self.access.len(),
            Caller::ALL.len(),
            "{} {}: one column per caller",
            self.method,
            self.path
        );
        let letter = self.access.as_bytes()[caller as usize] as char;
        assert!(
            letter == caller.letter() || letter == '.',
            "{} {}: column {} of {:?} must be {:?} or '.'",
            self.method,
            self.path,
            caller as usize + 1,
            self.access,
            caller.letter()
        );
        letter != '.'
    }
}

// Columns: a anonymous · o owner · x other merchant · d designer (catalog delegation) · m MD ·
// p operator · g officer of 전주시 · s admin.
const API: &[Route] = &[
    // Accounts and tokens.
    get("/api/v1/me", ".oxdmpgs"),
    get("/api/v1/users", ".....p.s"),
    post("/api/v1/users", ".....p.s").json(
        r#"{"email": "made-by-staff@program.kr", "password": "처음비밀번호1234", "role": "md"}"#,
    ),
    get("/api/v1/tokens", ".oxdmpgs"),
    route("DELETE", "/api/v1/tokens/{owner_token_revoked_by_api}", ".o......").uses_up(),
    route("DELETE", "/api/v1/users/{spare_user}/tokens", ".....p.s"),
    route("PATCH", "/api/v1/users/{spare_user}", ".....p.s").json(r#"{"display_name": "예비 MD"}"#),
    post("/api/v1/users/{spare_user}/disable", ".....p.s"),
    post("/api/v1/users/{spare_user}/enable", ".....p.s"),
    // The merchant registry.
    get("/api/v1/merchants", ".....pgs"),
    post("/api/v1/merchants", ".ox..p.s").json(
        r#"{"name": "전주콩나물국밥", "business_number": "1018112341", "region_code": "52111", "industry_code": "I20101"}"#,
    ),
    get("/api/v1/merchants/{shop}", ".o...pgs"),
    route("PATCH", "/api/v1/merchants/{shop}", ".o...p.s").json(r#"{"phone": "063-123-4567"}"#),
    post("/api/v1/merchants/{shop}/diagnosis", ".o...p.s").json("{diagnosis_answers}"),
    post("/api/v1/merchants/{shop}/track", ".....p.s")
        .json(r#"{"track": "managed", "reason": "사진 촬영 지원이 필요합니다"}"#),
    // The catalog: a merchant naming another shop is refused.
    get("/api/v1/products?merchant_id={shop}", ".o.d.p.s"),
    post("/api/v1/products", ".o.d.p.s").json("{new_product_file}"),
    get("/api/v1/products/{product}", ".o.d.p.s"),
    route("PATCH", "/api/v1/products/{product}", ".o.d.p.s").json(r#"{"stock": 120}"#),
    route("DELETE", "/api/v1/products/{product_deleted_by_api}", ".o.d.p.s").uses_up(),
    get("/api/v1/products/deleted?merchant_id={shop}", ".o.d.p.s"),
    post("/api/v1/products/{product_restored_by_api}/restore", ".o.d.p.s").uses_up(),
    get("/api/v1/products/{product}/detail-page", ".o.d.p.s"),
    post("/api/v1/products/{product}/images", ".o.d.p.s").photo(),
    get("/api/v1/products/{product}/completeness", ".o.d.p.s"),
    get("/api/v1/products/{product}/listings", ".o.d.p.s"),
    // Validating and sending a listing are the `listing` scope, which the designer was not given.
    post("/api/v1/products/{product}/listings/{channel}/validate", ".o...p.s"),
    post("/api/v1/products/{product}/listings/{channel}/submit", ".o...p.s"),
    get("/api/v1/categories?channel=naver&q=%EB%B0%80%ED%82%A4%ED%8A%B8", ".oxdmpgs"),
    // Designers: certificates (the credential and the status list are public), delegations,
    // the directory, matching.
    get("/api/v1/certificates", "...d.p.s"),
    post("/api/v1/certificates", ".....p.s")
        .json(r#"{"holder_id": {spare_designer}, "level": 2}"#),
    get("/api/v1/certificates/status-list", "aoxdmpgs"),
    get("/api/v1/certificates/{certificate}", "aoxdmpgs"),
    post("/api/v1/certificates/{certificate_revoked_by_api}/revoke", ".....p.s")
        .json(r#"{"reason": "자격 요건 미충족"}"#)
        .uses_up(),
    // Renewal by outcomes: the holder and staff get past the guard (too early: a 422).
    post("/api/v1/certificates/{certificate}/renewal", "...d.p.s"),
    get("/api/v1/delegations", ".oxd.p.s"),
    // A merchant always grants for their own shop (the merchant_id is for staff).
    post("/api/v1/delegations", ".ox..p.s").json(
        r#"{"designer_email": "kim@designer.kr", "scopes": ["catalog"], "days": 90, "merchant_id": {shop}}"#,
    ),
    post("/api/v1/delegations/{delegation_revoked_by_api}/revoke", ".o...p.s").uses_up(),
    get("/api/v1/designers", ".oxd.p.s"),
    route("PUT", "/api/v1/designers/me", "...d....").json(
        r#"{"regions": ["52110"], "industries": ["I20101"], "skills": [], "capacity": 3}"#,
    ),
    post("/api/v1/matching/runs", ".....p.s").json("{}"),
    // Everyone with a token reads the proposals that concern them (none, for most).
    get("/api/v1/matching/proposals", ".oxdmpgs"),
    // Only the two sides answer; staff send, they do not answer.
    post("/api/v1/matching/proposals/{proposal}/accept", ".o.d....").json("{}"),
    post("/api/v1/matching/proposals/{proposal}/decline", ".o.d...."),
    get("/api/v1/caseload", "...d...."),
    get("/api/v1/courses", "...d.p.s"),
    post("/api/v1/courses", ".....p.s").json(r#"{"title": "라이브 기초", "area": "live"}"#),
    get("/api/v1/courses/{course}", "...d.p.s"),
    post("/api/v1/courses/{course}/modules", ".....p.s")
        .json(r#"{"title": "큐시트", "body": "큐시트를 씁니다."}"#),
    get("/api/v1/exams", "...d.p.s"),
    get("/api/v1/exams/items", ".....p.s"),
    post("/api/v1/exams/items", ".....p.s").json(r#"{"area": "live", "items": ["방송 전 점검은? | *리허설 | 광고"]}"#),
    post("/api/v1/exams/items/{exam_item}/retire", ".....p.s"),
    post("/api/v1/exams/attempts", "...d....").json(r#"{"level": "1"}"#),
    get("/api/v1/exams/attempts/{exam_attempt}", "...d.p.s"),
    route("PUT", "/api/v1/exams/attempts/{exam_attempt}/answers", "...d....").json(r#"{"answers": [{"position": 1, "answer": "0"}]}"#),
    route("PUT", "/api/v1/exams/attempts/{exam_attempt}/practical", "...d....").json(r#"{"name": "찹쌀약과"}"#),
    post("/api/v1/exams/attempts/{exam_attempt}/submit", "...d....").uses_up(),
    post("/api/v1/courses/{course}/modules/{course_module}/answers", "...d....")
        .json(r#"{"answers": [0]}"#),
    // Results.
    post("/api/v1/sales-reports", ".o...p.s").json(
        r#"{"merchant_id": {shop}, "channel": "naver", "month": "{this_month}", "sales_krw": 9000000, "orders": 300}"#,
    ),
    get("/api/v1/hall-of-fame", "aoxdmpgs"),
    get("/api/v1/kpi", ".....pgs"),
    // The onboarding board.
    get("/api/v1/onboarding", ".ox..pgs"),
    post("/api/v1/onboarding/moves", ".....p.s")
        .json(r#"{"merchant_id": {shop}, "channel": "naver", "stage": "preparing"}"#),
    post("/api/v1/onboarding/jobs", ".....p.s")
        .json(r#"{"action": "validate", "channel": "11st"}"#),
    get("/api/v1/onboarding/jobs/{job}", ".....p.s"),
    // 원정대: the MD pool and picks.
    route("PUT", "/api/v1/products/{product}/pool", ".o.d.p.s").json("{}"),
    route("DELETE", "/api/v1/products/{product_taken_out_of_pool}/pool", ".o.d.p.s").uses_up(),
    get("/api/v1/discovery/products", "....mp.s"),
    get("/api/v1/discovery/products/{product}", "....mp.s"),
    get("/api/v1/discovery/picks?merchant_id={shop}", ".o.dmp.s"),
    post("/api/v1/discovery/picks", "....m...").json(
        r#"{"product_id": {product}, "channel": "coupang", "purpose": "time_deal", "note": ""}"#,
    ),
    // Staff answer a pick for the shop, as they act for it elsewhere.
    post("/api/v1/discovery/picks/{pick_accepted_by_api}/accept", ".o...p.s").uses_up(),
    post("/api/v1/discovery/picks/{pick_declined_by_api}/decline", ".o...p.s").uses_up(),
    // A designer cannot name the shop here, so even a delegated one finds none.
    route("PUT", "/api/v1/discovery/sales-visibility", ".ox.....")
        .json(r#"{"visibility": "band"}"#),
    // 원정대 events: merchants see the events and their own part, an MD those invited to,
    // officers their region's; a designer has no part in them.
    get("/api/v1/discovery/events", ".ox.mpgs"),
    post("/api/v1/discovery/events", ".....p.s").json("{event_form}"),
    get("/api/v1/discovery/events/{event}", ".ox.mpgs"),
    post("/api/v1/discovery/events/{event}/invitations", ".....p.s")
        .json(r#"{"md_email": "md@coupang.kr", "channel": "coupang"}"#),
    post("/api/v1/discovery/events/{event}/attendance", "....m...")
        .json(r#"{"attend": true, "looking_for": "밀키트"}"#),
    // Another shop's merchant passes the guard and is refused by field (not its product).
    post("/api/v1/discovery/events/{event}/applications", ".ox.....")
        .json(r#"{"product_ids": [{product}]}"#),
    route("PUT", "/api/v1/discovery/events/{event}/ranking", ".ox.....")
        .json(r#"{"md_ids": [{md_id}]}"#),
    route("PUT", "/api/v1/discovery/events/{event}/marks", "....m...")
        .json(r#"{"merchant_id": {shop}, "mark": "must"}"#),
    // Making the timetable again replaces the meetings the rows below use: last, alone.
    post("/api/v1/discovery/events/{event}/timetable", ".....p.s").uses_up(),
    get("/api/v1/discovery/events/{event}/agenda.ics", ".ox.mpgs"),
    post("/api/v1/discovery/events/{event}/check-ins", ".....p.s")
        .json(r#"{"merchant_id": {shop}}"#),
    route("PATCH", "/api/v1/discovery/meetings/{meeting}", ".....p.s")
        .json(r#"{"slot": {meeting_slot}}"#),
    post("/api/v1/discovery/meetings/{meeting}/outcome", "....mp.s")
        .json(r#"{"outcome": "more_information", "feedback": "원재료 자료를 부탁드립니다"}"#),
    get("/api/v1/discovery/events/{event}/report", ".....pgs"),
    // 가치삽시다: reading is public; asking, answering and voting need an account; the asker
    // (the owner) and staff accept and edit the question; the other shop's merchant wrote the
    // answer; the owner wrote the articles (one published, one draft).
    get("/api/v1/community/questions", "aoxdmpgs"),
    post("/api/v1/community/questions", ".oxdmpgs")
        .json(r#"{"title": "역할별 질문입니다", "body": "역할마다 질문을 올려 봅니다.", "topic": "listing"}"#),
    get("/api/v1/community/questions/{question}", "aoxdmpgs"),
    route("PATCH", "/api/v1/community/questions/{question}", ".o...p.s")
        .json(r#"{"title": "쿠팡 반품지 코드는 어디서 보나요?", "body": "Wing에서 반품지 센터코드를 못 찾겠어요."}"#),
    route("DELETE", "/api/v1/community/questions/{question_hidden_by_api}", ".o...p.s").uses_up(),
    post("/api/v1/community/questions/{question}/answers", ".oxdmpgs")
        .json(r#"{"body": "역할별로 답을 달아 봅니다."}"#),
    route("PATCH", "/api/v1/community/answers/{answer}", "..x..p.s")
        .json(r#"{"body": "Wing 주소록에서 반품지를 등록하세요."}"#),
    post("/api/v1/community/answers/{answer}/votes", ".oxdmpgs").json(r#"{"value": 1}"#),
    post("/api/v1/community/answers/{answer}/accept", ".o...p.s"),
    get("/api/v1/community/search?q=반품", "aoxdmpgs"),
    get("/api/v1/community/articles", "aoxdmpgs"),
    post("/api/v1/community/articles", ".oxd.p.s")
        .json(r#"{"title": "역할별 노하우입니다", "body": "역할마다 노하우를 써 봅니다.", "topic": "photos"}"#),
    get("/api/v1/community/articles/{article}", "aoxdmpgs"),
    route("PATCH", "/api/v1/community/articles/{article_draft}", ".o...p.s")
        .json(r#"{"title": "상세페이지 사진 순서", "body": "첫 사진은 정사각형으로 올립니다.", "topic": "photos"}"#),
    post("/api/v1/community/articles/{article_submitted_by_api}/review", ".o......")
        .json(r#"{"action": "submit"}"#)
        .uses_up(),
    post("/api/v1/community/articles/{article}/helpful", ".oxdmpgs"),
    get("/api/v1/community/notifications", ".oxdmpgs"),
    post("/api/v1/community/notifications/read", ".oxdmpgs"),
    get("/api/v1/community/helping", ".oxdmpgs"),
    route("PUT", "/api/v1/community/helping", ".oxdmpgs").json(r#"{"opted_in": true}"#),
    post("/api/v1/community/routing", ".....p.s"),
    // Routing the question by hand: the asker and staff (refused by field once it was routed).
    post("/api/v1/community/questions/{question}/route", ".o...p.s"),
    get("/api/v1/community/answer-speed", ".....pgs"),
    // Reports: one report by the first allowed caller (the owner's own post: refused by field).
    post("/api/v1/community/questions/{question_flagged_by_api}/flags", ".oxdmpgs")
        .json(r#"{"reason": "spam"}"#)
        .uses_up(),
    post("/api/v1/community/answers/{answer}/flags", ".oxdmpgs")
        .json(r#"{"reason": "spam"}"#)
        .uses_up(),
    get("/api/v1/community/flags", ".....p.s"),
    // Suspending the MD's posting (used up by the first staff caller); lifting is idempotent.
    post("/api/v1/community/suspensions", ".....p.s")
        .json(r#"{"user_id": {md_id}, "days": 1, "reason": "테스트"}"#)
        .uses_up(),
    route("DELETE", "/api/v1/community/suspensions/{md_id}", ".....p.s"),
    // Mentors: the list is public; offering needs an account (refused by field for shops not
    // in the hall of fame). Nobody in this world mentors: asking the MD (not a mentor) is a 404
    // for merchants and a 403 for everyone else, and no request exists to answer (404).
    get("/api/v1/community/mentors", "aoxdmpgs"),
    route("PUT", "/api/v1/community/mentoring", ".oxdmpgs").json(r#"{"note": "정산을 도와드립니다"}"#),
    route("DELETE", "/api/v1/community/mentoring", ".oxdmpgs"),
    post("/api/v1/community/mentors/{md_id}/requests", "........")
        .json(r#"{"message": "배우고 싶습니다"}"#),
    post("/api/v1/community/mentor-requests/{meeting}", "........").json(r#"{"accept": true}"#),
    post("/api/v1/community/flags/decision", ".....p.s")
        .json(r#"{"question_id": {question}, "hide": false, "reason": "문제없음"}"#),
    // 가치데이: staff keep studios, hosts and calls; merchants apply and follow their own
    // broadcast; reviewers (here the MD and the admin) score what they were given; officers
    // read their region's broadcasts and the report.
    get("/api/v1/live/studios", ".....p.s"),
    post("/api/v1/live/studios", ".....p.s")
        .json(r#"{"name": "역할 스튜디오", "place": "전주", "times": "10:00"}"#),
    get("/api/v1/live/hosts", ".....p.s"),
    post("/api/v1/live/hosts", ".....p.s")
        .json(r#"{"name": "역할 호스트", "categories": "음식점업", "weekdays": "월"}"#),
    get("/api/v1/live/calls", ".oxdmpgs"),
    post("/api/v1/live/calls", ".....p.s").json("{live_call_form}"),
    get("/api/v1/live/calls/{live_call}", ".ox.mpgs"),
    // Another shop's merchant passes the guard and is refused by field (not its product).
    post("/api/v1/live/calls/{live_call_open}/applications", ".ox.....")
        .json(r#"{"product_ids": [{product}]}"#),
    post("/api/v1/live/calls/{live_call_open}/reviewers", ".....p.s"),
    // Closing early is refused by field on the call that closed already.
    post("/api/v1/live/calls/{live_call}/close", ".....p.s"),
    get("/api/v1/live/reviews", ".oxdmpgs"),
    route("PUT", "/api/v1/live/applications/{live_application_open}/review", "....m..s")
        .json(r#"{"scores": [4, 4, 4, 4, 4], "comment": "좋아요"}"#),
    // Selection and scheduling run on calls where they are refused by field (done already,
    // not selected yet), so the broadcast the rows below read stays.
    post("/api/v1/live/calls/{live_call}/selection", ".....p.s"),
    post("/api/v1/live/calls/{live_call_open}/schedule", ".....p.s"),
    get("/api/v1/live/broadcasts", ".ox..pgs"),
    get("/api/v1/live/broadcasts/{broadcast}", ".o...pgs"),
    route("PUT", "/api/v1/live/broadcasts/{broadcast}/slot", ".....p.s").json("{broadcast_slot}"),
    route("PUT", "/api/v1/live/broadcasts/{broadcast}/preparation", ".o...p.s")
        .json(r#"{"checklist": ["concept"]}"#),
    // The gate fails (a 422 past the guard) for those who may confirm.
    post("/api/v1/live/broadcasts/{broadcast}/confirm", ".o...p.s"),
    post("/api/v1/live/broadcasts/{broadcast}/results", ".....p.s")
        .json(r#"{"rows": [{"channel": "gachi", "viewers": "10", "peak_viewers": "5", "likes": "1", "orders": "1", "sales_krw": "1000"}]}"#),
    post("/api/v1/live/broadcasts/{broadcast}/survey", ".o......").json(r#"{"score": 5}"#),
    get("/api/v1/live/report?year={this_year}", ".....pgs"),
];

// Columns: a anonymous · o owner · x other merchant · d designer (catalog delegation) · m MD ·
// p operator · g officer of 전주시 · s admin.
const PAGES: &[Route] = &[
    // The site, signing in and out.
    get("/", "aoxdmpgs"),
    get("/healthz", "aoxdmpgs"),
    get("/static/{static_file}", "aoxdmpgs"),
    get("/api/openapi.json", "aoxdmpgs"),
    get("/login", "aoxdmpgs"),
    get("/signup", "aoxdmpgs"),
    // Session rows run last, in this order: out, in (as a spare account), a refused sign-up.
    post("/logout", "aoxdmpgs").touches_session(),
    post("/login", "aoxdmpgs")
        .form("email=spare@program.kr&password={password}")
        .touches_session(),
    post("/signup", "aoxdmpgs")
        .form("email=new@gachi.kr&password=first-password-1&password_confirm=other-password-2")
        .touches_session(),
    post("/lang", "aoxdmpgs").form("lang=ko&next=/"),
    // The account.
    get("/account", ".oxdmpgs"),
    // The current password is wrong, so nothing changes.
    post("/account/password", ".oxdmpgs").form(
        "current_password=not-the-password&new_password=new-password-123&new_password_confirm=new-password-123",
    ),
    post("/account/tokens/{owner_token_revoked_by_page}/revoke", ".o......").uses_up(),
    get("/staff/users", ".....p.s"),
    post("/staff/users", ".....p.s").form(
        "email=made-on-page@program.kr&display_name=&role=md&region_code=&password=처음비밀번호1234",
    ),
    get("/staff/audit", ".....p.s"),
    post("/staff/users/{reset_merchant}/password-reset", ".....p.s"),
    get("/staff/users/{spare_user}", ".....p.s"),
    post("/staff/users/{spare_user}", ".....p.s").form("display_name=예비 MD&role=md&region_code="),
    post("/staff/users/{spare_user}/disable", ".....p.s"),
    post("/staff/users/{spare_user}/enable", ".....p.s"),
    // Getting back in: open to anyone; an unknown address and a bad link change nothing.
    get("/password/forgot", "aoxdmpgs"),
    post("/password/forgot", "aoxdmpgs").form("email=nobody@nowhere.kr"),
    get("/password/reset", "aoxdmpgs"),
    post("/password/reset", "aoxdmpgs")
        .form("token=not-a-link&new_password=new-password-123&confirm_password=new-password-123"),
    // The merchant's own shop.
    get("/my-shop", ".ox....."),
    post("/my-shop", ".ox.....").form(
        "name=한옥식당&business_number=2208162517&region_code=52111&industry_code=I20101&phone=063-123-4567",
    ),
    get("/my-shop/diagnosis", ".ox....."),
    post("/my-shop/diagnosis", ".ox.....").form("{diagnosis_form}"),
    get("/my-shop/markets", ".ox....."),
    post("/my-shop/markets", ".ox.....").form("channel=naver"),
    get("/my-shop/sales", ".ox....."),
    post("/my-shop/sales", ".ox.....")
        .form("month={this_month}&channel=naver&sales_krw=9000000&orders=300"),
    // Products.
    get("/products", ".oxd.p.s"),
    // A photo upload's address opened as a page goes back to its form (which has its own guard).
    get("/products/new/photo", "aoxdmpgs"),
    get("/products/{product}/photo", "aoxdmpgs"),
    get("/products/new", ".ox....."),
    post("/products/new", ".ox.....").form("action=notice&name=전주 비빔밥"),
    get("/products/{product}", ".o.d.p.s"),
    // `notice` redraws the form without saving it.
    post("/products/{product}", ".o.d.p.s").form("action=notice&name=전주 비빔밥"),
    post("/products/preview", ".oxd.p.s").form("name=전주 비빔밥"),
    post("/products/new/photo", ".ox.....").photo(),
    post("/products/{product}/photo", ".o.d.p.s").photo(),
    get("/media/{media}", "aoxdmpgs"),
    get("/products/{product}/preview", ".o.d.p.s"),
    get("/products/{product}/delete", ".o.d.p.s"),
    post("/products/{product_deleted_by_page}/delete", ".o.d.p.s").uses_up(),
    get("/products/deleted?merchant={shop}", ".o.d.p.s"),
    post("/products/{product_restored_by_page}/restore", ".o.d.p.s").uses_up(),
    post("/products/{product}/listings/{channel}/submit", ".o...p.s"),
    // Rounds.
    get("/rounds", ".ox..p.s"),
    post("/rounds", ".....p.s").form("name=2027 온라인 판로지원 2차&total=3"),
    get("/rounds/{round}", ".....p.s"),
    post("/rounds/{round}/apply", ".ox....."),
    post("/rounds/{round}/nominate", "......g.").form("merchant_id={shop}"),
    post("/rounds/{round}/decide", ".....p.s").form("confirm=1").uses_up(),
    // The registry and the board.
    get("/merchants", ".....pgs"),
    get("/merchants/{shop}", ".o...pgs"),
    post("/merchants/{shop}/track", ".....p.s")
        .form("track=managed&reason=사진 촬영 지원이 필요합니다"),
    get("/onboarding", ".ox..pgs"),
    post("/onboarding/move", ".....p.s").form("merchant_id={shop}&channel=naver&stage=preparing"),
    post("/onboarding/bulk", ".....p.s").form("action=validate&channel=esm"),
    get("/onboarding/jobs/{job}", ".....p.s"),
    // Designers.
    get("/verify/{certificate}", "aoxdmpgs"),
    get("/certificates", "...d.p.s"),
    post("/certificates", ".....p.s").form("holder_id={spare_designer}&level=2"),
    // Printable for anyone, like the verification page its QR code leads to.
    get("/certificates/{certificate}/print", "aoxdmpgs"),
    post("/certificates/{certificate_revoked_by_page}/revoke", ".....p.s")
        .form("reason=자격 요건 미충족")
        .uses_up(),
    post("/certificates/{certificate}/renew", "...d.p.s"),
    get("/designers", ".oxd.p.s"),
    post("/designers", "...d....").form("regions=52110&industries=I20101&capacity=3"),
    get("/delegations", ".oxd.p.s"),
    post("/delegations", ".ox.....")
        .form("designer_email=kim@designer.kr&scopes=catalog&days=90"),
    post("/delegations/{delegation_revoked_by_page}/revoke", ".o...p.s").uses_up(),
    get("/caseload", "...d...."),
    get("/courses", "...d.p.s"),
    post("/courses", ".....p.s").form("title=상세페이지&area=detail_page&summary="),
    get("/courses/{course}", "...d.p.s"),
    post("/courses/{course}/modules", ".....p.s").form("title=사진&body=밝게&links=&quiz="),
    get("/courses/{course}/modules/{course_module}", "...d.p.s"),
    post("/courses/{course}/modules/{course_module}", "...d....").form("q1=0"),
    get("/exams", "...d.p.s"),
    post("/exams/items", ".....p.s").form("area=live&items=방송 전 점검은? | *리허설 | 광고"),
    post("/exams/items/{exam_item}/retire", ".....p.s"),
    post("/exams/attempts", "...d....").form("level=1"),
    get("/exams/attempts/{exam_attempt}", "...d.p.s"),
    post("/exams/attempts/{exam_attempt}", "...d....").form("action=save&a1=0"),
    get("/exams/attempts/{exam_attempt}/practical", "...d...."),
    post("/exams/attempts/{exam_attempt}/practical", "...d....").form("name=찹쌀약과"),
    get("/matching", ".....p.s"),
    post("/matching", ".....p.s").form("sido=52&action=preview"),
    post("/proposals/{proposal}/accept", ".o.d....").form("scopes=catalog&days=30"),
    post("/proposals/{proposal}/decline", ".o.d...."),
    // 원정대.
    get("/discovery", "....mp.s"),
    get("/discovery/products/{product}", "....mp.s"),
    get("/discovery/products/{product}/detail", "....mp.s"),
    get("/discovery/picks?merchant={shop}", ".o.dmp.s"),
    post("/discovery/picks", "....m...")
        .form("product_id={product}&channel=coupang&purpose=time_deal&note="),
    post("/discovery/picks/{pick_accepted_by_page}/accept", ".o...p.s").uses_up(),
    post("/discovery/picks/{pick_declined_by_page}/decline", ".o...p.s").uses_up(),
    post("/discovery/pool", ".o.d.p.s").form("product_id={product}&action=put"),
    post("/discovery/sales-visibility", ".ox.....").form("visibility=band"),
    get("/discovery/events", ".ox.mpgs"),
    post("/discovery/events", ".....p.s").form(
        "name=전주 원정대&region_code=52110&venue=전주 한옥마을&date=2099-12-21&starts=10:00&ends=12:00&slot_minutes=20&breaks=&tables=5&meetings_per_merchant=2&applications_close=2099-12-15",
    ),
    get("/discovery/events/{event}", ".ox.mpgs"),
    // The event page's forms share one address; the MD's answer stands for them here.
    post("/discovery/events/{event}", "....m...").form("action=attend&looking_for=밀키트"),
    get("/discovery/events/{event}/agenda.ics", ".ox.mpgs"),
    get("/discovery/events/{event}/dossiers", "....mp.s"),
    // 가치삽시다: public reading; asking and answering on the pages.
    get("/community", "aoxdmpgs"),
    get("/community/ask", ".oxdmpgs"),
    post("/community/ask", ".oxdmpgs").form("title=페이지에서 묻습니다&body=페이지에서 질문을 올립니다.&topic=listing"),
    get("/community/similar?title=반품지", "aoxdmpgs"),
    get("/community/questions/{question}", "aoxdmpgs"),
    post("/community/questions/{question}", ".oxdmpgs").form("action=answer&body=페이지에서 답합니다."),
    get("/community/articles/new", ".oxdmpgs"),
    post("/community/articles/new", ".oxd.p.s").form("title=페이지 노하우입니다&body=페이지에서 노하우를 씁니다.&topic=photos"),
    get("/community/articles/{article}", "aoxdmpgs"),
    post("/community/articles/{article}", ".oxdmpgs").form("action=helpful"),
    post("/community/helping", ".oxdmpgs").form("opted_in=1"),
    get("/notifications", ".oxdmpgs"),
    get("/community/flags", ".....p.s"),
    get("/community/mentors", "aoxdmpgs"),
    post("/community/mentors", ".oxdmpgs").form("action=offer&note=정산을 도와드립니다"),
    get("/notifications/badge", "aoxdmpgs"),
    // 가치데이: the 예고 page and its calendar are public.
    get("/live", "aoxdmpgs"),
    get("/live.ics", "aoxdmpgs"),
    get("/live/calls", ".oxdmpgs"),
    post("/live/calls", ".....p.s").form(
        "name=역할 모집&starts=2099-03-01&ends=2099-03-30&applications_close=2099-02-20&quota_total=3&weights=1,1,1,1,1&channels=gachi&reviewer_emails=ops@program.kr, md@coupang.kr",
    ),
    get("/live/calls/{live_call}", ".ox.mpgs"),
    post("/live/calls/{live_call_open}", ".ox.....").form("action=apply&product_ids={product}"),
    get("/live/broadcasts/{broadcast}", ".o...pgs"),
    post("/live/broadcasts/{broadcast}", ".o...p.s").form("action=prepare&checklist=concept"),
    get("/live/broadcasts/{broadcast}/cue", ".o...pgs"),
    get("/live/studios", ".....p.s"),
    post("/live/studios", ".....p.s").form("action=studio&name=역할&place=전주&times=10:00"),
    // Results.
    get("/hall-of-fame", "aoxdmpgs"),
    get("/hall-of-fame/{shop}/badge.svg", "aoxdmpgs"),
    post("/hall-of-fame/{shop}/story", ".....p.s").form("story=전주의 맛을 전국에 알렸습니다"),
    get("/dashboard", ".....pgs"),
    get("/dashboard/export.csv?year={this_year}&table=funnel", ".....pgs"),
    get("/dashboard/export.xlsx?year={this_year}&table=targets", ".....pgs"),
    post("/dashboard/targets", ".....p.s").form("year={this_year}&target_onboarded_merchants=2500"),
    post("/dashboard/budget", ".....p.s").form(
        "year={this_year}&name=온라인 판로지원&program=online&allocated=10000000&executed=0",
    ),
    get("/my-region", "......g."),
    get("/regions/{region}", ".....pgs"),
];

/// Routes the table leaves out, each with why no role decides who may call it.
const NOT_BY_ROLE: &[(&str, &str, &str)] = &[(
    "GET",
    "/metrics",
    "answers loopback clients and the holder of the metrics token, whatever their role (http::metrics_access)",
)];

/// The ids and values the table's placeholders stand for.
struct World {
    values: BTreeMap<&'static str, String>,
}

impl World {
    fn set(&mut self, name: &'static str, value: impl ToString) {
        self.values.insert(name, value.to_string());
    }

    /// `template` with every `{name}` replaced by the world's value (JSON braces are left alone).
    fn fill(&self, template: &str) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                .unwrap_or(after.len());
            if name_len > 0 && after[name_len..].starts_with('}') {
                let name = &after[..name_len];
                let value = self
                    .values
                    .get(name)
                    .unwrap_or_else(|| panic!("no {{{name}}} in the world for {template}"));
                out.push_str(value);
                rest = &after[name_len + 1..];
            } else {
                out.push('{');
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }
}

/// Which client a table's rows are sent with.
#[derive(Clone, Copy)]
enum Surface {
    /// The JSON API, with each caller's bearer token.
    Api,
    /// Pages and forms, with each caller's browser (cookies and the CSRF token).
    Pages,
}

/// Every caller's API client and browser.
struct Clients {
    api: BTreeMap<Caller, Api>,
    browsers: BTreeMap<Caller, Browser>,
}

impl Clients {
    async fn send(
        &mut self,
        surface: Surface,
        caller: Caller,
        route: &Route,
        world: &World,
    ) -> Reply {
        let path = world.fill(route.path);
        if let Surface::Pages = surface {
            let browser = self.browsers.get_mut(&caller).unwrap();
            if route.effect == Effect::TouchesSession {
                // The session changed with the previous row: a page with a form brings its
                // CSRF token (the sign-in page, or the account page when signed in).
                if browser.get("/login").await.status != StatusCode::OK {
                    browser.get("/account").await;
                }
            }
            let request = page_request(route, &path, browser.csrf.as_deref(), world);
            browser.send(request).await
        } else {
            let api = self.api.get_mut(&caller).unwrap();
            let request = api_request(api, route, &path, world);
            api.send(request).await
        }
    }
}

fn api_request(api: &Api, route: &Route, path: &str, world: &World) -> Request<Body> {
    match route.payload {
        Payload::Nothing => api.request(route.method, path, None),
        Payload::Json(body) => {
            let filled = world.fill(body);
            let json: Value = serde_json::from_str(&filled)
                .unwrap_or_else(|e| panic!("{} {}: body is not JSON ({e})", route.method, path));
            api.request(route.method, path, Some(json))
        }
        Payload::Photo => {
            let (mut parts, _) = api.request(route.method, path, None).into_parts();
            parts
                .headers
                .insert("content-type", "image/jpeg".parse().unwrap());
            parts
                .headers
                .insert("host", "gachi.test:8080".parse().unwrap());
            Request::from_parts(parts, Body::from(jpeg(96, 96)))
        }
        Payload::Form(_) => panic!("{} {}: the API takes JSON", route.method, path),
    }
}

fn page_request(route: &Route, path: &str, csrf: Option<&str>, world: &World) -> Request<Body> {
    let mut builder = Request::builder().method(route.method).uri(path);
    if let Some(token) = csrf {
        builder = builder.header("x-csrf-token", token);
    }
    match route.payload {
        Payload::Nothing if route.method == "GET" => builder.body(Body::empty()).unwrap(),
        Payload::Nothing => builder
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::empty())
            .unwrap(),
        Payload::Form(fields) => builder
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(encode_form(&world.fill(fields))))
            .unwrap(),
        Payload::Photo => {
            let photo = jpeg(96, 96);
            let (content_type, body) = multipart(&[("name", "")], Some(("photo.jpg", &photo)));
            builder
                .header("content-type", content_type)
                .body(Body::from(body))
                .unwrap()
        }
        Payload::Json(_) => panic!("{} {}: pages take forms", route.method, path),
    }
}

/// `name=value&…` as typed in the table, percent-encoded (values may hold Korean and spaces).
fn encode_form(fields: &str) -> String {
    fields
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            format!(
                "{name}={}",
                gachi_web::pages::encode_query(value).replace('/', "%2F")
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Whether the guard stopped the caller: 401, 403, 404, or a page sending them to sign in.
fn refused(reply: &Reply) -> bool {
    matches!(
        reply.status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) || (reply.status == StatusCode::SEE_OTHER
        && reply.location().is_some_and(|l| l.starts_with("/login")))
}

/// The wrong cells found so far, and how many cells were asked.
struct Findings {
    asked: usize,
    wrong: Vec<String>,
    /// The CSRF refusal's message: a request stopped there never reached the route's guard (the
    /// test's token went stale), so its answer proves nothing about the route.
    csrf_refusal: String,
}

impl Findings {
    fn check(&mut self, route: &Route, caller: Caller, allowed: bool, reply: &Reply) {
        self.asked += 1;
        let expected = if allowed { "allowed" } else { "refused" };
        let by_csrf_check = reply.body.contains(&self.csrf_refusal);
        let ok = !reply.status.is_server_error() && !by_csrf_check && refused(reply) != allowed;
        if !ok {
            let location = reply
                .location()
                .map(|l| format!(" → {l}"))
                .unwrap_or_default();
            // A JSON answer says why; a page's would be its layout.
            let excerpt: String = if reply.body.starts_with('{') {
                reply.body.chars().take(160).collect()
            } else {
                String::new()
            };
            let csrf = if by_csrf_check {
                " (the CSRF check)"
            } else {
                ""
            };
            self.wrong.push(format!(
                "{} {} as {:?}: expected {expected}, got {}{csrf}{location} {}",
                route.method,
                route.path,
                caller,
                reply.status.as_u16(),
                excerpt
            ));
        }
    }
}

/// `/products/{id}/photo` → `/products/{}/photo`, without the query.
fn route_shape(path: &str) -> String {
    let path = path.split('?').next().unwrap();
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every (method, route) the router in `crates/web/src/routes.rs` declares with `.route(`.
fn page_routes_in_the_router() -> BTreeSet<(String, String)> {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src/routes.rs");
    let source = std::fs::read_to_string(file).expect("read crates/web/src/routes.rs");
    let mut routes = BTreeSet::new();
    for declaration in source.split(".route(").skip(1) {
        let declaration = [".merge(", ".fallback(", "\n}"]
            .iter()
            .filter_map(|end| declaration.find(end))
            .min()
            .map_or(declaration, |end| &declaration[..end]);
        let path = declaration
            .split('"')
            .nth(1)
            .expect("a .route( starts with its path");
        let mut methods = 0;
        for method in ["get", "post", "put", "patch", "delete"] {
            let call = format!("{method}(");
            for (at, _) in declaration.match_indices(&call) {
                let before = declaration[..at].chars().next_back();
                if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':')) {
                    routes.insert((method.to_uppercase(), route_shape(path)));
                    methods += 1;
                }
            }
        }
        assert!(methods > 0, "no method read for {path} in routes.rs");
    }
    routes
}

/// Every (method, path) the OpenAPI document lists.
fn api_operations(document: &Value) -> BTreeSet<(String, String)> {
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                operations.insert((method.to_uppercase(), route_shape(path)));
            }
        }
    }
    operations
}

/// What the application has and the table does not list, and the reverse.
fn compare(
    what: &str,
    in_app: &BTreeSet<(String, String)>,
    table: &[Route],
    left_out: &[(&str, &str, &str)],
) -> Vec<String> {
    let listed: BTreeSet<(String, String)> = table
        .iter()
        .map(|r| (r.method.to_owned(), route_shape(r.path)))
        .chain(
            left_out
                .iter()
                .map(|(m, p, _)| (m.to_string(), route_shape(p))),
        )
        .collect();
    let mut problems: Vec<String> = in_app
        .difference(&listed)
        .map(|(m, p)| format!("{what}: {m} {p} is served but not in the access table"))
        .collect();
    problems.extend(
        listed
            .difference(in_app)
            .map(|(m, p)| format!("{what}: {m} {p} is in the access table but not served")),
    );
    let mut seen = BTreeSet::new();
    for route in table {
        if !seen.insert((route.method, route_shape(route.path))) {
            problems.push(format!(
                "{what}: {} {} is in the table twice",
                route.method, route.path
            ));
        }
    }
    problems
}

/// The world: 한옥식당 with products (one in the MD pool), its delegation to a certified
/// designer, picks by the MD, a round, a bulk job, a hall-of-fame place; throwaway records for
/// every row that uses one up; and every caller's API client and signed-in browser.
/// The live-commerce part of the world: (placeholder, value) pairs.
async fn live_world(
    app: &TestApp,
    clock: &TestClock,
    operator: &mut Api,
    owner: &mut Api,
    md: &mut Api,
    product: i64,
) -> Vec<(&'static str, Value)> {
    let today =
        gachi_domain::kernel::time::seoul_date(gachi_domain::kernel::time::Timestamp::now());
    let day = |n: i64| (today + time::Duration::days(n)).to_string();
    let studio = operator
        .post(
            "/api/v1/live/studios",
            json!({"name": "전주", "place": "전주", "times": "11:00, 15:00"}),
        )
        .await;
    assert_eq!(studio.status, StatusCode::CREATED, "{}", studio.body);
    let host = operator
        .post(
            "/api/v1/live/hosts",
            json!({"name": "이하나", "categories": "음식점업, 소매업", "weekdays": "월,화,수,목,금,토,일"}),
        )
        .await;
    assert_eq!(host.status, StatusCode::CREATED, "{}", host.body);
    let call_form = |close: i64, reviewers: &str| {
        json!({"name": "역할 가치데이", "starts": day(close + 5), "ends": day(close + 30),
            "applications_close": day(close), "quota_total": "3", "channels": "gachi, coupang_live",
            "reviewer_emails": reviewers, "reviews_per_application": "2"})
    };
    let reviewers = format!("{MD}, {ADMIN}");
    let mut admin = app.api_of(ADMIN).await;
    let closing = operator
        .post("/api/v1/live/calls", call_form(0, &reviewers))
        .await;
    assert_eq!(closing.status, StatusCode::CREATED, "{}", closing.body);
    let live_call = closing.json()["id"].as_i64().unwrap();
    let applied = owner
        .post(
            &format!("/api/v1/live/calls/{live_call}/applications"),
            json!({"product_ids": [product]}),
        )
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let application = applied.json()["id"].as_i64().unwrap();
    clock.advance_days(1);
    let assigned = operator
        .post_empty(&format!("/api/v1/live/calls/{live_call}/reviewers"))
        .await;
    assert_eq!(assigned.json()["assigned"], 2, "{}", assigned.body);
    for reviewer in [&mut *md, &mut admin] {
        let scored = reviewer
            .put(
                &format!("/api/v1/live/applications/{application}/review"),
                json!({"scores": [4, 4, 4, 4, 4]}),
            )
            .await;
        assert_eq!(scored.status, StatusCode::NO_CONTENT, "{}", scored.body);
    }
    for step in ["selection", "schedule"] {
        let done = operator
            .post_empty(&format!("/api/v1/live/calls/{live_call}/{step}"))
            .await;
        assert_eq!(done.status, StatusCode::OK, "{step}: {}", done.body);
    }
    let broadcast = operator.get("/api/v1/live/broadcasts").await.json()["items"][0].clone();
    let open = operator
        .post("/api/v1/live/calls", call_form(20, &reviewers))
        .await;
    assert_eq!(open.status, StatusCode::CREATED, "{}", open.body);
    let live_call_open = open.json()["id"].as_i64().unwrap();
    let mut other = app.api_of(OTHER_MERCHANT).await;
    let other_product = ProductBuilder::new()
        .sku("LIVE-OTHER")
        .create(&mut other)
        .await;
    let other_applied = other
        .post(
            &format!("/api/v1/live/calls/{live_call_open}/applications"),
            json!({"product_ids": [other_product]}),
        )
        .await;
    assert_eq!(
        other_applied.status,
        StatusCode::CREATED,
        "{}",
        other_applied.body
    );
    let assigned = operator
        .post_empty(&format!("/api/v1/live/calls/{live_call_open}/reviewers"))
        .await;
    assert_eq!(assigned.json()["assigned"], 2, "{}", assigned.body);
    vec![
        ("live_call", json!(live_call)),
        ("live_call_open", json!(live_call_open)),
        ("live_application_open", other_applied.json()["id"].clone()),
        (
            "live_call_form",
            call_form(40, &format!("{OPERATOR}, {MD}")),
        ),
        ("broadcast", broadcast["id"].clone()),
        (
            "broadcast_slot",
            json!({"date": broadcast["date"], "starts": broadcast["starts"],
                   "studio_id": broadcast["studio_id"], "host_id": broadcast["host_id"]}),
        ),
    ]
}

/// The community's records: the owner's question (and one to hide) with the other merchant's
/// answer; the owner's articles, one published by the operator, one draft, one to submit.
async fn community_world(
    app: &TestApp,
    owner: &mut Api,
    operator: &mut Api,
) -> Vec<(&'static str, Value)> {
    let mut other = app.api_of(OTHER_MERCHANT).await;
    let mut ids = Vec::new();
    for title in [
        "쿠팡 반품지 코드는 어디서 보나요?",
        "지울 질문입니다",
        "신고될 질문입니다",
    ] {
        let asked = owner
            .post(
                "/api/v1/community/questions",
                json!({"title": title, "body": "Wing에서 반품지 센터코드를 못 찾겠어요.", "topic": "listing",
                       "channel": "coupang", "error_code": "listing-setting-missing"}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
        ids.push(asked.json()["id"].clone());
    }
    let answered = other
        .post(
            &format!("/api/v1/community/questions/{}/answers", ids[0]),
            json!({"body": "Wing 주소록에서 반품지를 등록하세요."}),
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let mut articles = Vec::new();
    for title in [
        "쿠팡 반품지 등록 순서",
        "상세페이지 사진 순서",
        "검토 요청할 노하우",
    ] {
        let written = owner
            .post(
                "/api/v1/community/articles",
                json!({"title": title, "body": "1. Wing 로그인\n2. 주소록에서 반품지 추가", "topic": "listing"}),
            )
            .await;
        assert_eq!(written.status, StatusCode::CREATED, "{}", written.body);
        articles.push(written.json()["id"].clone());
    }
    let submitted = owner
        .post(
            &format!("/api/v1/community/articles/{}/review", articles[0]),
            json!({"action": "submit"}),
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::NO_CONTENT,
        "{}",
        submitted.body
    );
    let published = operator
        .post(
            &format!("/api/v1/community/articles/{}/review", articles[0]),
            json!({"action": "publish"}),
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::NO_CONTENT,
        "{}",
        published.body
    );
    vec![
        ("question", ids[0].clone()),
        ("question_hidden_by_api", ids[1].clone()),
        ("question_flagged_by_api", ids[2].clone()),
        ("answer", answered.json()["id"].clone()),
        ("article", articles[0].clone()),
        ("article_draft", articles[1].clone()),
        ("article_submitted_by_api", articles[2].clone()),
    ]
}

async fn build_world(app: &TestApp, clock: &TestClock) -> (World, Clients) {
    let mut world = World {
        values: BTreeMap::new(),
    };
    let (mut owner, shop) = ShopBuilder::new()
        .with("phone", "063-123-4567")
        .owned_by(OWNER)
        .build(app)
        .await;
    let (other, _) = ShopBuilder::new()
        .name("군산떡집")
        .business_number(NUMBERS[1])
        .region("52130")
        .industry("I21001")
        .owned_by(OTHER_MERCHANT)
        .build(app)
        .await;
    let mut operator = app.api_as(OPERATOR, "operator").await;
    let admin = app.api_as(ADMIN, "admin").await;
    let mut md = app.api_as(MD, "md").await;
    let officer = app.api_as(OFFICER, "localgov").await;

    // Products: the one every row reads, and one for each row that uses one up.
    let product = ProductBuilder::new().create(&mut owner).await;
    let deleted_by_api = ProductBuilder::new()
        .sku("SPARE-1")
        .create(&mut owner)
        .await;
    let deleted_by_page = ProductBuilder::new()
        .sku("SPARE-2")
        .create(&mut owner)
        .await;
    let taken_out = ProductBuilder::new()
        .sku("SPARE-3")
        .create(&mut owner)
        .await;
    // Deleted ones, for each row that restores one.
    let mut deleted_spare = async |sku: &str| {
        let id = ProductBuilder::new().sku(sku).create(&mut owner).await;
        let deleted = owner.delete(&format!("/api/v1/products/{id}")).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
        id
    };
    let restored_by_api = deleted_spare("SPARE-R1").await;
    let restored_by_page = deleted_spare("SPARE-R2").await;
    for pooled in [product, taken_out] {
        let put = owner
            .put(&format!("/api/v1/products/{pooled}/pool"), json!({}))
            .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    }
    let photo = owner
        .upload(
            &format!("/api/v1/products/{taken_out}/images"),
            jpeg(96, 96),
            "image/jpeg",
        )
        .await;
    assert_eq!(photo.status, StatusCode::CREATED, "{}", photo.body);
    let media = photo.json()["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();

    // Designers: the delegated one, and two whose certificate and delegation rows revoke.
    let mut certify = async |email: &str| {
        let designer = app.user(email, "designer", "").await;
        let issued = operator
            .post(
                "/api/v1/certificates",
                json!({"holder_id": designer.id.0, "level": 2}),
            )
            .await;
        assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
        (
            designer.id.0,
            issued.json()["number"].as_str().unwrap().to_owned(),
        )
    };
    let (designer_id, certificate) = certify(DESIGNER).await;
    let (spare_designer, certificate_revoked_by_api) = certify("lee@designer.kr").await;
    let (_, certificate_revoked_by_page) = certify("park@designer.kr").await;
    let mut delegate = async |email: &str, scope: &str| {
        let granted = owner
            .post(
                "/api/v1/delegations",
                json!({"designer_email": email, "scopes": [scope], "days": 90}),
            )
            .await;
        assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.body);
        granted.json()["id"].as_i64().unwrap()
    };
    delegate(DESIGNER, "catalog").await;
    let delegation_revoked_by_api = delegate("lee@designer.kr", "sales").await;
    let delegation_revoked_by_page = delegate("park@designer.kr", "sales").await;
    let designer = app.api_of(DESIGNER).await;
    // A matching proposal of the shop to the delegated designer, for both sides to answer
    // (kept as a sent run keeps it).
    let audit = gachi_domain::kernel::audit::Actor::system().entry(
        gachi_domain::kernel::time::Timestamp::now(),
        "matching.send",
        "",
        "proposals:1",
    );
    app.store()
        .insert_match_proposals(
            &[gachi_domain::designers::proposals::NewProposal {
                merchant: gachi_domain::merchants::merchant::MerchantId(shop),
                designer: gachi_domain::accounts::UserId(designer_id),
                reasons: gachi_domain::designers::matching::Reasons::decode("same_sigungu=1"),
                proposed_at: gachi_domain::kernel::time::Timestamp::now(),
            }],
            &audit,
        )
        .await
        .unwrap();
    let proposal = app
        .store()
        .match_proposals(
            Some(gachi_domain::merchants::merchant::MerchantId(shop)),
            None,
        )
        .await
        .unwrap()[0]
        .id;

    // A course with one module, for the course rows.
    let course = operator
        .post(
            "/api/v1/courses",
            json!({"title": "마켓 입점 실무", "area": "listing"}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let course_module = operator
        .post(
            &format!("/api/v1/courses/{course}/modules"),
            json!({"title": "쿠팡 키", "body": "180일", "quiz": ["며칠? | *180일 | 30일"]}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();

    // The exam: a bank big enough for a 1급 form (the designer holds 2급), the course passed,
    // and the designer's running 1급 attempt.
    for area in ["listing", "detail_page", "live", "consulting"] {
        let items: Vec<String> = (1..=5)
            .map(|n| format!("{area} 문항 {n} | *맞음 | 틀림"))
            .collect();
        let added = operator
            .post("/api/v1/exams/items", json!({"area": area, "items": items}))
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    }
    let exam_item = operator.get("/api/v1/exams/items").await.json()[0]["id"]
        .as_i64()
        .unwrap();
    let mut exam_designer = app.api_of(DESIGNER).await;
    exam_designer
        .post(
            &format!("/api/v1/courses/{course}/modules/{course_module}/answers"),
            json!({"answers": [0]}),
        )
        .await;
    let started = exam_designer
        .post("/api/v1/exams/attempts", json!({"level": "1"}))
        .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let exam_attempt = started.json()["id"].as_i64().unwrap();

    // The MD's picks, one for each row that answers one (an MD picks a product once per
    // marketplace, so the table's own pick of it is refused as a repeat, past the guard).
    let mut picks = Vec::new();
    for channel in ["coupang", "naver", "11st", "esm"] {
        let picked = md
            .post(
                "/api/v1/discovery/picks",
                json!({"product_id": product, "channel": channel, "purpose": "time_deal", "note": ""}),
            )
            .await;
        assert_eq!(picked.status, StatusCode::CREATED, "{}", picked.body);
        picks.push(picked.json()["id"].as_i64().unwrap());
    }
    let this_month = gachi_domain::results::Month::of(gachi_domain::kernel::time::Timestamp::now());
    for months_ago in 0..12 {
        let reported = owner
            .post(
                "/api/v1/sales-reports",
                json!({"channel": "naver", "month": this_month.minus(months_ago).to_string(),
                       "sales_krw": 9_000_000, "orders": 300}),
            )
            .await;
        assert_eq!(reported.status, StatusCode::CREATED, "{}", reported.body);
    }

    // Accounts and tokens that rows revoke.
    // The spare account has a token for staff to revoke, and is who everyone signs in as last.
    let spare_user = app.user("spare@program.kr", "md", "").await;
    let reset_merchant = app.user("reset-me@jeonju.kr", "merchant", "").await;
    app.token_of("spare@program.kr").await;
    let spare_token = async || {
        app.state
            .accounts()
            .create_api_token(
                OWNER,
                "spare",
                None,
                &gachi_domain::kernel::audit::Actor::system(),
            )
            .await
            .unwrap()
            .info
            .id
            .0
    };
    let owner_token_revoked_by_api = spare_token().await;
    let owner_token_revoked_by_page = spare_token().await;

    // A 원정대 day: the MD invited and attending, the owner applied with the pooled product and
    // ranked the MD, the MD marked the shop, and the timetable made (one meeting).
    let event_form = r#"{"name": "전주 원정대", "region_code": "52110", "venue": "전주 한옥마을",
        "date": "2099-12-20", "starts": "10:00", "ends": "12:00", "slot_minutes": "20", "breaks": "",
        "tables": "5", "meetings_per_merchant": "2", "applications_close": "2099-12-15"}"#;
    let created = operator
        .post(
            "/api/v1/discovery/events",
            serde_json::from_str(event_form).unwrap(),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let event = created.json()["id"].as_i64().unwrap();
    let invited = operator
        .post(
            &format!("/api/v1/discovery/events/{event}/invitations"),
            json!({"md_email": MD, "channel": "coupang"}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::NO_CONTENT, "{}", invited.body);
    let md_id = md.get("/api/v1/me").await.json()["id"].as_i64().unwrap();
    for (client, path, body) in [
        (
            &mut md,
            "attendance",
            json!({"attend": true, "looking_for": "밀키트"}),
        ),
        (
            &mut owner,
            "applications",
            json!({"product_ids": [product]}),
        ),
    ] {
        let done = client
            .post(&format!("/api/v1/discovery/events/{event}/{path}"), body)
            .await;
        assert_eq!(done.status, StatusCode::NO_CONTENT, "{path}: {}", done.body);
    }
    let ranked = owner
        .put(
            &format!("/api/v1/discovery/events/{event}/ranking"),
            json!({"md_ids": [md_id]}),
        )
        .await;
    assert_eq!(ranked.status, StatusCode::NO_CONTENT, "{}", ranked.body);
    let scheduled = operator
        .post_empty(&format!("/api/v1/discovery/events/{event}/timetable"))
        .await;
    assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.body);
    let timetable = operator
        .get(&format!("/api/v1/discovery/events/{event}"))
        .await
        .json();
    let meeting = timetable["meetings"][0]["id"].as_i64().unwrap();
    let meeting_slot = timetable["meetings"][0]["slot"].as_i64().unwrap();

    // 가치데이: a studio and a host; a call the owner applied to, reviewed, selected and
    // scheduled (the clock moved past its deadline), with the owner's broadcast; and an open
    // call the other shop applied to, given to the MD and the admin to review.
    let live = live_world(app, clock, &mut operator, &mut owner, &mut md, product).await;
    let community = community_world(app, &mut owner, &mut operator).await;

    let job = operator
        .post(
            "/api/v1/onboarding/jobs",
            json!({"action": "validate", "channel": "naver"}),
        )
        .await;
    assert_eq!(job.status, StatusCode::ACCEPTED, "{}", job.body);

    let mut browsers = BTreeMap::new();
    let mut visitor = app.browser();
    visitor.get("/login").await;
    browsers.insert(Caller::Anonymous, visitor);
    for caller in Caller::ALL {
        let Some(email) = caller.email() else {
            continue;
        };
        let mut browser = app.sign_in(email).await;
        // The session's CSRF token, from a page with a form.
        browser.get("/account").await;
        browsers.insert(caller, browser);
    }
    let opened = browsers
        .get_mut(&Caller::Operator)
        .unwrap()
        .post_form(
            "/rounds",
            &[("name", "2027 온라인 판로지원 1차"), ("total", "3")],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let round = opened
        .location()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();

    let diagnosis_answers = json!({"answers": MANAGED_ANSWERS
        .iter()
        .map(|(q, a)| (q.to_string(), json!(a)))
        .collect::<serde_json::Map<_, _>>()});
    let diagnosis_form = MANAGED_ANSWERS
        .iter()
        .map(|(q, a)| format!("{q}={a}"))
        .collect::<Vec<_>>()
        .join("&");
    let new_product_file = {
        let mut file = ProductBuilder::new().sku("NEW-BY-ROLE").json();
        file["merchant_id"] = json!(shop);
        file
    };

    world.set("shop", shop);
    world.set("product", product);
    world.set("product_deleted_by_api", deleted_by_api);
    world.set("product_deleted_by_page", deleted_by_page);
    world.set("product_restored_by_api", restored_by_api);
    world.set("product_restored_by_page", restored_by_page);
    world.set("product_taken_out_of_pool", taken_out);
    world.set("media", media);
    world.set("channel", "naver");
    world.set("certificate", certificate);
    world.set("certificate_revoked_by_api", certificate_revoked_by_api);
    world.set("certificate_revoked_by_page", certificate_revoked_by_page);
    world.set("spare_designer", spare_designer);
    world.set("delegation_revoked_by_api", delegation_revoked_by_api);
    world.set("delegation_revoked_by_page", delegation_revoked_by_page);
    world.set("proposal", proposal);
    world.set("course", course);
    world.set("course_module", course_module);
    world.set("exam_item", exam_item);
    world.set("exam_attempt", exam_attempt);
    world.set("pick_accepted_by_api", picks[1]);
    world.set("pick_declined_by_api", picks[2]);
    world.set("pick_accepted_by_page", picks[3]);
    world.set("pick_declined_by_page", picks[0]);
    world.set("event", event);
    for (name, value) in live.into_iter().chain(community) {
        world.set(name, value);
    }
    world.set(
        "event_form",
        serde_json::from_str::<Value>(event_form).unwrap(),
    );
    world.set("md_id", md_id);
    world.set("meeting", meeting);
    world.set("meeting_slot", meeting_slot);
    world.set("this_month", this_month);
    world.set("this_year", this_month.year);
    world.set("spare_user", spare_user.id.0);
    world.set("reset_merchant", reset_merchant.id.0);
    world.set("owner_token_revoked_by_api", owner_token_revoked_by_api);
    world.set("owner_token_revoked_by_page", owner_token_revoked_by_page);
    world.set("job", job.json()["id"].as_i64().unwrap());
    world.set("round", round);
    world.set("region", "52110");
    world.set("password", PASSWORD);
    world.set("static_file", "app.css");
    world.set("diagnosis_answers", diagnosis_answers);
    world.set("diagnosis_form", diagnosis_form);
    world.set("new_product_file", new_product_file);

    let mut api = BTreeMap::new();
    api.insert(Caller::Anonymous, app.api_with(None));
    api.insert(Caller::Owner, owner);
    api.insert(Caller::OtherMerchant, other);
    api.insert(Caller::Designer, designer);
    api.insert(Caller::Md, md);
    api.insert(Caller::Operator, operator);
    api.insert(Caller::LocalGov, officer);
    api.insert(Caller::Admin, admin);
    (world, Clients { api, browsers })
}

#[tokio::test]
async fn every_route_admits_exactly_the_roles_the_access_table_names() {
    let clock = TestClock::starting_now();
    let app = TestApp::sqlite("http-access")
        .await
        .with_config(|config| config.api_writes_per_second = 0)
        .with_clock(clock.clone());

    // Completeness first: a route missing from the table fails before any request is sent.
    let document = app.browser().get("/api/openapi.json").await.json();
    let mut problems = compare("API", &api_operations(&document), API, &[]);
    problems.extend(compare(
        "pages",
        &page_routes_in_the_router(),
        PAGES,
        NOT_BY_ROLE,
    ));
    assert!(
        problems.is_empty(),
        "the access table is out of date:\n{}",
        problems.join("\n")
    );

    let (world, mut clients) = build_world(&app, &clock).await;
    let tables = [(Surface::Api, API), (Surface::Pages, PAGES)];
    let mut findings = Findings {
        asked: 0,
        wrong: Vec::new(),
        csrf_refusal: gachi_web::i18n::Tr(gachi_domain::accounts::Locale::Ko).get("error-csrf"),
    };

    // 1. Every refusal, before anything is used up.
    for (surface, table) in tables {
        for route in table {
            for caller in Caller::ALL.into_iter().filter(|c| !route.allows(*c)) {
                let reply = clients.send(surface, caller, route, &world).await;
                findings.check(route, caller, false, &reply);
            }
        }
    }
    // 2. Every allowed caller of what changes nothing others rely on, 3. the first allowed
    // caller of what uses its resource up, 4. what touches the caller's own session.
    for effect in [Effect::Harmless, Effect::UsesUp, Effect::TouchesSession] {
        for (surface, table) in tables {
            for route in table.iter().filter(|r| r.effect == effect) {
                let allowed = Caller::ALL.into_iter().filter(|c| route.allows(*c));
                let callers: Vec<Caller> = if effect == Effect::UsesUp {
                    allowed.take(1).collect()
                } else {
                    allowed.collect()
                };
                for caller in callers {
                    let reply = clients.send(surface, caller, route, &world).await;
                    findings.check(route, caller, true, &reply);
                }
            }
        }
    }

    assert!(
        findings.wrong.is_empty(),
        "{} of {} cells of the access table are wrong:\n{}",
        findings.wrong.len(),
        findings.asked,
        findings.wrong.join("\n")
    );
}
