//! The merchant's own shop: registering it (or correcting it), and the diagnosis that
//! recommends a support track, with its reasons in plain words. When an operator decided the
//! track and a diagnosis recommends another, both are shown: the decision stands.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gachi_domain::accounts::Role;
use gachi_domain::kernel::industry;
use gachi_domain::kernel::region;
use gachi_domain::merchants::diagnosis::{Answers, DiagnosisRecord, QUESTIONS, Track};
use gachi_domain::merchants::merchant::{Merchant, MerchantInput};
use gachi_domain::merchants::registry::{MerchantChange, RegistryError};
use serde::Deserialize;

use super::{FormErrors, Shell, render, see_other};
use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;

/// The shop form as typed. Built from the raw pairs, because the channel checkboxes repeat a key.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ShopForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub representative: String,
    #[serde(default)]
    pub business_number: String,
    #[serde(default)]
    pub mail_order_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub road_address: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub industry_code: String,
    #[serde(default)]
    pub opened_year: String,
    #[serde(default)]
    pub employees: String,
    #[serde(default)]
    pub floor_area_m2: String,
    #[serde(default)]
    pub online_channels: Vec<String>,
}

impl ShopForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = ShopForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "name" => form.name = value,
                "representative" => form.representative = value,
                "business_number" => form.business_number = value,
                "mail_order_number" => form.mail_order_number = value,
                "phone" => form.phone = value,
                "road_address" => form.road_address = value,
                "region_code" => form.region_code = value,
                "industry_code" => form.industry_code = value,
                "opened_year" => form.opened_year = value,
                "employees" => form.employees = value,
                "floor_area_m2" => form.floor_area_m2 = value,
                "online_channels" => form.online_channels.push(value),
                _ => {}
            }
        }
        form
    }

    /// Whether the channel with this id is ticked.
    pub fn sells_on(&self, channel: &str) -> bool {
        self.online_channels.iter().any(|c| c == channel)
    }
    fn from_merchant(m: &Merchant) -> Self {
        Self {
            name: m.name.clone(),
            representative: m.representative.clone().unwrap_or_default(),
            business_number: m
                .business_number
                .as_ref()
                .map(|b| b.display())
                .unwrap_or_default(),
            mail_order_number: m.mail_order_number.clone().unwrap_or_default(),
            phone: m.phone.clone().unwrap_or_default(),
            road_address: m.road_address.clone().unwrap_or_default(),
            region_code: m.region.as_str().to_owned(),
            industry_code: m.industry.code.clone(),
            opened_year: m
                .facts
                .opened_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            employees: m.facts.employees.map(|n| n.to_string()).unwrap_or_default(),
            floor_area_m2: m
                .facts
                .floor_area_m2
                .map(|n| n.to_string())
                .unwrap_or_default(),
            online_channels: m
                .online_channels
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
        }
    }
    fn input(&self) -> MerchantInput {
        MerchantInput {
            name: self.name.clone(),
            representative: self.representative.clone(),
            business_number: self.business_number.clone(),
            mail_order_number: self.mail_order_number.clone(),
            phone: self.phone.clone(),
            road_address: self.road_address.clone(),
            region_code: self.region_code.clone(),
            industry_code: self.industry_code.clone(),
            opened_year: self.opened_year.clone(),
            employees: self.employees.clone(),
            floor_area_m2: self.floor_area_m2.clone(),
            online_channels: self.online_channels.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "shop.html")]
struct ShopPage {
    page: Shell,
    errors: FormErrors,
    form: ShopForm,
    registered: bool,
    saved: bool,
    /// Another page sent the merchant here because the shop is not registered yet.
    register_first: bool,
    /// (code, name) of every 시군구.
    regions: Vec<(String, String)>,
    /// (대분류, [(code, name)]) for grouped options.
    industries: Vec<(String, Vec<(String, String)>)>,
    diagnosis: Option<DiagnosisView>,
    /// "운영기관 결정: X (진단 추천: Y)", when an operator's decision differs from the diagnosis.
    operator_decision: Option<String>,
    /// (id, label) of the online channels one can tick.
    channels: Vec<(&'static str, String)>,
}

/// The standing track beside the diagnosis's recommendation, when they differ: only an
/// operator's decision can differ from the latest diagnosis.
pub fn operator_decision(t: Tr, standing: Option<Track>, recommended: Track) -> Option<String> {
    let standing = standing.filter(|track| *track != recommended)?;
    let label = |track: Track| t.get(&format!("track-{}", track.as_str()));
    Some(t.args(
        "diagnosis-operator-decision",
        &[
            ("track", label(standing)),
            ("recommended", label(recommended)),
        ],
    ))
}

/// The label of an online channel.
pub fn channel_label(t: Tr, channel: gachi_domain::merchants::merchant::OnlineChannel) -> String {
    t.get(&format!("channel-{}", channel.as_str()))
}

/// A diagnosis as the pages show it.
pub struct DiagnosisView {
    pub product_score: u32,
    pub online_score: u32,
    pub track: String,
    pub track_key: &'static str,
    pub reasons: Vec<String>,
    pub at: String,
}

impl DiagnosisView {
    pub fn new(t: Tr, record: &DiagnosisRecord) -> Self {
        let a = &record.assessment;
        Self {
            product_score: a.product_score,
            online_score: a.online_score,
            track: t.get(&format!("track-{}", a.track.as_str())),
            track_key: a.track.as_str(),
            reasons: a.reasons.iter().map(|k| t.get(k)).collect(),
            at: record.created_at.display_seoul(),
        }
    }
}

fn grouped_industries() -> Vec<(String, Vec<(String, String)>)> {
    let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for i in industry::all() {
        match groups.iter_mut().find(|(major, _)| *major == i.major) {
            Some((_, list)) => list.push((i.code.clone(), i.name.clone())),
            None => groups.push((i.major.clone(), vec![(i.code.clone(), i.name.clone())])),
        }
    }
    groups
}

async fn shop_page(
    state: &AppState,
    ctx: &Ctx,
    form: Option<ShopForm>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    let registry = state.registry();
    let own = registry.own_shop(&user).await.map_err(|e| ctx.fail(e))?;
    let latest = match &own {
        Some(m) => registry
            .latest_diagnosis(&user, m.id)
            .await
            .map_err(|e| ctx.fail(e))?,
        None => None,
    };
    let page = ShopPage {
        operator_decision: latest.as_ref().and_then(|d| {
            operator_decision(
                ctx.t,
                own.as_ref().and_then(|m| m.track),
                d.assessment.track,
            )
        }),
        diagnosis: latest.as_ref().map(|d| DiagnosisView::new(ctx.t, d)),
        errors,
        form: form.unwrap_or_else(|| {
            own.as_ref()
                .map(ShopForm::from_merchant)
                .unwrap_or_default()
        }),
        registered: own.is_some(),
        saved: ctx.path.contains("saved=1"),
        register_first: own.is_none() && ctx.path.contains("first=1"),
        regions: region::all_sigungu()
            .into_iter()
            .map(|r| (r.code.as_str().to_owned(), r.name))
            .collect(),
        industries: grouped_industries(),
        channels: gachi_domain::merchants::merchant::OnlineChannel::all()
            .map(|c| (c.as_str(), channel_label(ctx.t, c)))
            .collect(),
        page: Shell::new(ctx),
    };
    Ok(render(status, &page))
}

pub async fn show(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    shop_page(&state, &ctx, None, FormErrors::default(), StatusCode::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = ShopForm::from_pairs(pairs);
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    let registry = state.registry();
    let own = registry.own_shop(&user).await.map_err(|e| ctx.fail(e))?;
    let result = match &own {
        None => registry
            .create(&user, &form.input(), &ctx.actor())
            .await
            .map(|_| ()),
        Some(m) => {
            let change = MerchantChange::replace_all(form.input());
            registry
                .update(&user, m.id, &change, &ctx.actor())
                .await
                .map(|_| ())
        }
    };
    let errors = match result {
        Ok(()) => {
            return Ok(see_other(
                &ctx,
                if own.is_some() {
                    "/my-shop?saved=1"
                } else {
                    "/my-shop/diagnosis?registered=1"
                },
            ));
        }
        Err(RegistryError::Invalid(errors)) => FormErrors::from_validation(ctx.t, &errors),
        Err(RegistryError::DuplicateBusinessNumber { .. }) => {
            FormErrors::one(ctx.t, "business_number", "error-business-number-taken")
        }
        Err(other) => return Err(ctx.fail(other)),
    };
    shop_page(
        &state,
        &ctx,
        Some(form),
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// One question of the form: id, label, and (answer id, label, checked).
pub struct QuestionView {
    pub id: &'static str,
    pub label: String,
    pub answers: Vec<(&'static str, String, bool)>,
}

#[derive(Template)]
#[template(path = "diagnosis.html")]
struct DiagnosisPage {
    page: Shell,
    errors: FormErrors,
    product: Vec<QuestionView>,
    online: Vec<QuestionView>,
    result: Option<DiagnosisView>,
    /// The standing operator's decision beside the result, when they differ.
    operator_decision: Option<String>,
    /// The shop was just registered: say so.
    registered_now: bool,
}

fn questions(
    t: Tr,
    answers: &Answers,
    axis: gachi_domain::merchants::diagnosis::Axis,
) -> Vec<QuestionView> {
    QUESTIONS
        .iter()
        .filter(|q| q.axis == axis)
        .map(|q| QuestionView {
            id: q.id,
            label: t.get(&format!("q-{}", q.id)),
            answers: q
                .answers
                .iter()
                .rev()
                .map(|(a, _)| {
                    (
                        *a,
                        t.get(&format!("q-{}-{a}", q.id)),
                        answers.get(q.id).map(String::as_str) == Some(*a),
                    )
                })
                .collect(),
        })
        .collect()
}

fn diagnosis_page(
    ctx: &Ctx,
    answers: &Answers,
    errors: FormErrors,
    result: Option<(DiagnosisView, Option<String>)>,
    status: StatusCode,
) -> Response {
    use gachi_domain::merchants::diagnosis::Axis;
    let (result, operator_decision) = match result {
        Some((view, decision)) => (Some(view), decision),
        None => (None, None),
    };
    let page = DiagnosisPage {
        errors,
        product: questions(ctx.t, answers, Axis::Product),
        online: questions(ctx.t, answers, Axis::Online),
        result,
        operator_decision,
        registered_now: ctx.path.contains("registered=1"),
        page: Shell::new(ctx),
    };
    render(status, &page)
}

pub async fn diagnosis_form(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    let registry = state.registry();
    // The diagnosis is of a registered shop: without one, register it first.
    let Some(own) = registry.own_shop(&user).await.map_err(|e| ctx.fail(e))? else {
        return Ok(see_other(&ctx, "/my-shop?first=1"));
    };
    let previous = registry
        .latest_diagnosis(&user, own.id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let answers = previous
        .as_ref()
        .map(|d| d.assessment.answers.clone())
        .unwrap_or_default();
    let result = if ctx.path.contains("done=1") {
        previous.as_ref().map(|d| {
            (
                DiagnosisView::new(ctx.t, d),
                operator_decision(ctx.t, own.track, d.assessment.track),
            )
        })
    } else {
        None
    };
    Ok(diagnosis_page(
        &ctx,
        &answers,
        FormErrors::default(),
        result,
        StatusCode::OK,
    ))
}

pub async fn diagnose(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    let registry = state.registry();
    let Some(own) = registry.own_shop(&user).await.map_err(|e| ctx.fail(e))? else {
        return Ok(see_other(&ctx, "/my-shop?first=1"));
    };
    let answers: Answers = form.into_iter().filter(|(k, _)| k != "_csrf").collect();
    match registry
        .diagnose(&user, own.id, &answers, &ctx.actor())
        .await
    {
        Ok(_) => Ok(see_other(&ctx, "/my-shop/diagnosis?done=1#result")),
        Err(RegistryError::Invalid(errors)) => {
            // Field paths are `answers.{question}`; the form's fields are the question ids.
            let errors = gachi_domain::ValidationErrors(
                errors
                    .0
                    .into_iter()
                    .map(|e| gachi_domain::FieldError {
                        field: e.field.trim_start_matches("answers.").to_owned(),
                        ..e
                    })
                    .collect(),
            );
            Ok(diagnosis_page(
                &ctx,
                &answers,
                FormErrors::from_validation(ctx.t, &errors),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(RegistryError::RetakeTooSoon { next_at, .. }) => {
            let errors = super::FormErrors(vec![super::FormError {
                field: "answers".into(),
                message: ctx
                    .t
                    .arg("error-diagnosis-too-soon", "at", next_at.display_seoul()),
                label: None,
            }]);
            Ok(diagnosis_page(
                &ctx,
                &answers,
                errors,
                None,
                StatusCode::TOO_MANY_REQUESTS,
            ))
        }
        Err(other) => Err(ctx.fail(other)),
    }
}
