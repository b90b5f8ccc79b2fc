//! 디지털 유통설계사 certificates in the browser: the public verification page anyone reaches
//! from a printed certificate's QR code (`/verify/{number}`), the printable certificate, a
//! designer's own certificates with their downloads, and the staff page that issues and revokes.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use gachi_domain::accounts::{Role, UserId};
use gachi_domain::designers::{Certificate, CertificateError, Level, Status};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Shell, form_value, render, see_other};

/// One certificate as the pages show it.
pub struct CertificateView {
    pub number: String,
    pub holder: String,
    pub title: String,
    /// `valid`, `expired` or `revoked`, for styling and tests.
    pub status: &'static str,
    pub status_label: String,
    pub issued: String,
    pub valid_until: String,
    pub revoked_reason: String,
    /// Within its renewal window: the holder (or staff) may renew it by outcomes or 보수교육.
    pub renewable: bool,
    /// "보수교육 8시간 이수 (갱신에 12시간 필요)", in the renewal window.
    pub cpd: String,
}

impl CertificateView {
    fn of(t: Tr, certificate: &Certificate, status: Status) -> Self {
        Self {
            number: certificate.number.clone(),
            holder: certificate.holder_name.clone(),
            title: level_title(t, certificate.level),
            status: status.as_str(),
            status_label: t.get(&format!("certificate-status-{}", status.as_str())),
            issued: certificate.issued_at.display_seoul(),
            valid_until: certificate.valid_until.display_seoul(),
            revoked_reason: certificate
                .revoked
                .as_ref()
                .map(|r| r.reason.clone())
                .unwrap_or_default(),
            renewable: false,
            cpd: String::new(),
        }
    }
}

fn level_title(t: Tr, level: Level) -> String {
    t.arg("certificate-level", "grade", level.grade())
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    page: Shell,
    certificate: CertificateView,
    /// The signature and the issuer hold (false: `problem` says why).
    authentic: bool,
    problem: String,
    issuer_name: String,
    issuer_did: String,
    legal_notice: String,
}

/// The public verification page: who holds the certificate, at which level, whether it is
/// valid now, and whether its signature is this issuer's.
pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(number): Path<String>,
) -> Result<Response, PageError> {
    let t = ctx.t;
    let certificates = state.certificates();
    let (certificate, checked) = certificates
        .verify(&number)
        .await
        .map_err(|e| ctx.fail(e))?;
    let status = certificate.status(state.clock().now());
    let (authentic, problem, issuer_did) = match &checked {
        Ok(verified) => (true, String::new(), verified.issuer.clone()),
        Err(gachi_domain::designers::NotValid::Revoked)
        | Err(gachi_domain::designers::NotValid::Expired(_)) => (
            true,
            String::new(),
            state
                .config()
                .issuer
                .as_ref()
                .map(|i| i.did())
                .unwrap_or_default(),
        ),
        Err(why) => (false, why.to_string(), String::new()),
    };
    Ok(render(
        StatusCode::OK,
        &VerifyPage {
            page: Shell::new(&ctx),
            certificate: CertificateView::of(t, &certificate, status),
            authentic,
            problem,
            issuer_name: state
                .config()
                .issuer
                .as_ref()
                .map(|i| i.name.clone())
                .unwrap_or_default(),
            issuer_did,
            legal_notice: certificates.legal_notice(),
        },
    ))
}

#[derive(Template)]
#[template(path = "certificate_print.html")]
struct PrintPage {
    page: Shell,
    certificate: CertificateView,
    verify_url: String,
    qr_svg: String,
    issuer_name: String,
    legal_notice: String,
}

/// A QR code of `text` as an inline SVG (dark modules on white).
fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(160, 160)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// The printable certificate (public, like the verification page it links to by QR code),
/// with what 자격기본법 asks a registered private qualification to state.
pub async fn print(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Response, PageError> {
    let certificates = state.certificates();
    let certificate = certificates.find(&number).await.map_err(|e| ctx.fail(e))?;
    let status = certificate.status(state.clock().now());
    let verify_url = format!(
        "{}/verify/{}",
        crate::context::site_url(&state, &headers),
        certificate.number
    );
    Ok(render(
        StatusCode::OK,
        &PrintPage {
            page: Shell::new(&ctx),
            qr_svg: qr_svg(&verify_url),
            verify_url,
            certificate: CertificateView::of(ctx.t, &certificate, status),
            issuer_name: state
                .config()
                .issuer
                .as_ref()
                .map(|i| i.name.clone())
                .unwrap_or_default(),
            legal_notice: certificates.legal_notice(),
        },
    ))
}

#[derive(Template)]
#[template(path = "certificates.html")]
struct CertificatesPage {
    page: Shell,
    staff: bool,
    can_issue: bool,
    certificates: Vec<CertificateView>,
    /// How many certificates there are, on every page.
    total: String,
    /// Links to the neighbouring pages, when there are some.
    previous: Option<String>,
    next: Option<String>,
    /// (account id, name · e-mail) of every designer account, for the issue form.
    designers: Vec<(i64, String)>,
    alert: Option<String>,
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    page_number: u32,
    alert: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Designer, Role::Operator, Role::Admin])?
        .clone();
    let t = ctx.t;
    let now = state.clock().now();
    let page_number = page_number.max(1);
    let (certificates, total) = state
        .certificates()
        .list(&user, page_number, CERTIFICATE_PAGE)
        .await
        .map_err(|e| ctx.fail(e))?;
    let shown_until =
        u64::from(page_number - 1) * u64::from(CERTIFICATE_PAGE) + certificates.len() as u64;
    let previous = (page_number > 1).then(|| format!("/certificates?page={}", page_number - 1));
    let next = (shown_until < total).then(|| format!("/certificates?page={}", page_number + 1));
    let total = t.count(
        "certificates-total",
        "count",
        i64::try_from(total).unwrap_or(i64::MAX),
    );
    let mut views = Vec::with_capacity(certificates.len());
    for c in &certificates {
        let renewable = c.in_renewal_window(now);
        let cpd = if renewable {
            let hours = state
                .certificates()
                .cpd_hours(c, now)
                .await
                .map_err(|e| ctx.fail(CertificateError::Store(e)))?;
            t.args(
                "certificate-cpd-hours",
                &[
                    ("hours", hours.to_string()),
                    (
                        "needed",
                        gachi_domain::designers::cpd_hours_needed(c.level).to_string(),
                    ),
                ],
            )
        } else {
            String::new()
        };
        views.push(CertificateView {
            renewable,
            cpd,
            ..CertificateView::of(t, c, c.status(now))
        });
    }
    let certificates = views;
    let staff = user.role.is_staff();
    let designers = if staff {
        state
            .accounts()
            .list_users(&user, Some(Role::Designer), 1000)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|u| (u.id.0, format!("{} · {}", u.display_name, u.email)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(
        status,
        &CertificatesPage {
            page: Shell::new(ctx),
            staff,
            can_issue: state.config().issuer.is_some(),
            certificates,
            total,
            previous,
            next,
            designers,
            alert,
        },
    ))
}

/// Certificates on one page of the list.
const CERTIFICATE_PAGE: u32 = 50;

#[derive(Debug, Deserialize)]
pub struct CertificatesQuery {
    /// The page of the list, from 1.
    pub page: Option<u32>,
}

/// A designer's own certificates, or every certificate with the issue and revoke forms (staff).
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(query): axum::extract::Query<CertificatesQuery>,
) -> Result<Response, PageError> {
    list_page(&state, &ctx, query.page.unwrap_or(1), None, StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
pub struct IssueForm {
    pub holder_id: String,
    pub level: String,
}

/// Issues a certificate from the staff page.
pub async fn issue(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<IssueForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&Role::STAFF)?.clone();
    let t = ctx.t;
    let (Ok(holder), Ok(level)) = (
        form.holder_id.trim().parse::<i64>(),
        Level::parse(&form.level, "level"),
    ) else {
        return list_page(
            &state,
            &ctx,
            1,
            Some(t.get("certificate-issue-invalid")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match state
        .certificates()
        .issue(&user, &ctx.actor(), UserId(holder), level)
        .await
    {
        Ok(certificate) => {
            let alert = t.arg("certificate-issued-alert", "number", &certificate.number);
            list_page(&state, &ctx, 1, Some(alert), StatusCode::OK).await
        }
        Err(CertificateError::Invalid(errors)) => {
            let alert = errors
                .0
                .first()
                .map_or_else(|| t.get("form-has-errors"), |e| t.get(e.code));
            list_page(
                &state,
                &ctx,
                1,
                Some(alert),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    pub reason: String,
}

/// Revokes a certificate from the staff page, with the reason people will read.
pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(number): Path<String>,
    Form(form): Form<RevokeForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&Role::STAFF)?.clone();
    match state
        .certificates()
        .revoke(&user, &ctx.actor(), &number, &form.reason)
        .await
    {
        Ok(()) => Ok(see_other(&ctx, "/certificates")),
        Err(CertificateError::Invalid(_)) => {
            list_page(
                &state,
                &ctx,
                1,
                Some(ctx.t.get("certificate-revoke-reason")),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// The holder (or staff) renews a certificate by the holder's outcomes or 보수교육 hours
/// (`basis`).
pub async fn renew(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(number): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Designer, Role::Operator, Role::Admin])?
        .clone();
    let Some(basis) =
        gachi_domain::designers::RenewalBasis::parse(&crate::pages::form_value(&pairs, "basis"))
    else {
        return list_page(
            &state,
            &ctx,
            1,
            Some(ctx.t.get("error-renewal-basis")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match state
        .certificates()
        .renew(&user, &ctx.actor(), &number, basis)
        .await
    {
        Ok(renewed) => {
            let alert = ctx.t.arg("certificate-renewed", "number", &renewed.number);
            list_page(&state, &ctx, 1, Some(alert), StatusCode::OK).await
        }
        Err(CertificateError::Invalid(errors)) => {
            let message = errors
                .0
                .first()
                .map(|e| ctx.t.get(e.code))
                .unwrap_or_default();
            list_page(
                &state,
                &ctx,
                1,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg_of_the_address() {
        let svg = qr_svg("https://gachi.example.kr/verify/DDS-2026-000001");
        assert!(
            svg.starts_with("<?xml") || svg.starts_with("<svg"),
            "{}",
            &svg[..40]
        );
        assert!(svg.contains("<path") || svg.contains("<rect"));
    }
}

/// One delegation as the page shows it.
pub struct DelegationView {
    pub id: i64,
    pub merchant_id: i64,
    pub merchant_name: String,
    pub designer_name: String,
    pub scopes: String,
    pub until: String,
    pub active: bool,
}

/// One change a designer made for the shop.
pub struct ActivityView {
    pub when: String,
    pub who: String,
    pub what: String,
    pub subject: String,
}

#[derive(Template)]
#[template(path = "delegations.html")]
struct DelegationsPage {
    page: Shell,
    /// The merchant's view: the grant form and the activity list.
    merchant: bool,
    designer: bool,
    delegations: Vec<DelegationView>,
    activity: Vec<ActivityView>,
    scopes: Vec<(&'static str, String)>,
    alert: Option<String>,
    errors: Vec<String>,
    proposals: Vec<super::proposals::ProposalView>,
    /// What the shop does in each seller center so its designer can work there too.
    seller_center: Vec<(String, String)>,
    /// The shop's Coupang keys stop working soon (or did).
    key_warning: Option<String>,
}

/// Where a shop designates its designer in each seller center, as the 위임 page says it.
const SELLER_CENTER_STEPS: [(&str, &str); 4] = [
    ("naver", "seller-center-naver"),
    ("coupang", "seller-center-coupang"),
    ("11st", "seller-center-11st"),
    ("esm", "seller-center-esm"),
];

pub(crate) async fn delegations_page(
    state: &AppState,
    ctx: &Ctx,
    alert: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    use gachi_domain::designers::delegation::Scope;
    let user = ctx
        .require_role(&[Role::Merchant, Role::Designer, Role::Operator, Role::Admin])?
        .clone();
    let t = ctx.t;
    let now = state.clock().now();
    let delegations = state
        .delegations()
        .list(&user)
        .await
        .map_err(|e| ctx.fail(e))?
        .iter()
        .map(|d| DelegationView {
            id: d.id,
            merchant_id: d.merchant.0,
            merchant_name: d.merchant_name.clone(),
            designer_name: d.designer_name.clone(),
            scopes: d
                .scopes
                .iter()
                .map(|s| t.get(&format!("delegation-scope-{}", s.code())))
                .collect::<Vec<_>>()
                .join(", "),
            until: d.ends_at.display_seoul(),
            active: d.active(now),
        })
        .collect();
    let merchant = user.role == Role::Merchant;
    let proposals = super::proposals::views(state, ctx, &user).await?;
    let seller_center = if merchant || user.role == Role::Designer {
        SELLER_CENTER_STEPS
            .iter()
            .map(|(channel, key)| (t.get(&format!("channel-{channel}")), t.get(key)))
            .collect()
    } else {
        Vec::new()
    };
    let key_warning = if merchant {
        match state.registry().own_shop(&user).await {
            Ok(Some(shop)) => state
                .market_accounts()
                .accounts(&user, shop.id)
                .await
                .ok()
                .and_then(|accounts| {
                    gachi_domain::listing::market_account::coupang_key_expiry_warning(
                        &accounts, now,
                    )
                })
                .map(|expires| {
                    t.arg(
                        "coupang-key-expiry",
                        "date",
                        gachi_domain::kernel::time::seoul_date(expires).to_string(),
                    )
                }),
            _ => None,
        }
    } else {
        None
    };
    let activity = if merchant {
        state
            .delegations()
            .activity(&user)
            .await
            .map_err(|e| ctx.fail(e))?
            .into_iter()
            .map(|r| ActivityView {
                when: r.entry.at.display_seoul(),
                who: r.actor_email.unwrap_or_default(),
                what: r.entry.action,
                subject: r.entry.subject,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(
        status,
        &DelegationsPage {
            page: Shell::new(ctx),
            merchant,
            designer: user.role == Role::Designer,
            delegations,
            activity,
            scopes: Scope::ALL
                .into_iter()
                .map(|s| (s.code(), t.get(&format!("delegation-scope-{}", s.code()))))
                .collect(),
            alert,
            errors,
            proposals,
            seller_center,
            key_warning,
        },
    ))
}

/// A merchant's delegations with the grant form and what designers did; a designer's shops.
pub async fn delegations(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    delegations_page(&state, &ctx, None, Vec::new(), StatusCode::OK).await
}

/// The merchant grants a certified designer the scopes ticked.
pub async fn grant(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use gachi_domain::designers::delegation::{DelegationError, GrantInput};
    let user = ctx.require_role(&[Role::Merchant])?.clone();
    let value = |name: &str| form_value(&pairs, name);
    let input = GrantInput {
        designer_email: value("designer_email"),
        scopes: pairs
            .iter()
            .filter(|(k, _)| k == "scopes")
            .map(|(_, v)| v.clone())
            .collect(),
        days: value("days"),
    };
    match state
        .delegations()
        .grant(&user, &ctx.actor(), None, &input)
        .await
    {
        Ok(granted) => {
            let alert = ctx
                .t
                .arg("delegation-granted", "designer", &granted.designer_name);
            delegations_page(&state, &ctx, Some(alert), Vec::new(), StatusCode::OK).await
        }
        Err(DelegationError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            delegations_page(
                &state,
                &ctx,
                None,
                messages,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}

/// Ends a delegation at once.
pub async fn revoke_delegation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = ctx
        .require_role(&[Role::Merchant, Role::Operator, Role::Admin])?
        .clone();
    state
        .delegations()
        .revoke(&user, &ctx.actor(), id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(see_other(&ctx, "/delegations"))
}

/// Why a proposed designer suits a shop, in words: "같은 전주시 완산구, 음식점 경험 3건, 여유 2곳".
pub fn matching_reasons(t: Tr, reasons: &gachi_domain::designers::matching::Reasons) -> String {
    let mut parts = Vec::new();
    if reasons.continued {
        parts.push(t.get("matching-continued"));
    }
    parts.push(if reasons.same_sigungu {
        t.arg(
            "matching-same-region",
            "region",
            &reasons.designer_sigungu_name,
        )
    } else {
        t.arg(
            "matching-nearby-region",
            "region",
            &reasons.designer_sigungu_name,
        )
    });
    if reasons.industry_experience > 0 {
        parts.push(t.arg("matching-experience", "count", reasons.industry_experience));
    }
    parts.push(t.arg(
        "matching-capacity-left",
        "count",
        reasons.remaining_capacity,
    ));
    if reasons.preferred {
        parts.push(t.get("matching-preferred"));
    }
    parts.join(", ")
}

/// A designer as the directory shows them.
pub struct DirectoryView {
    pub name: String,
    pub level: String,
    pub regions: String,
    pub skills: String,
    pub shops: String,
    pub intro: String,
    /// What the designer's work achieved, in one line.
    pub outcomes: String,
}

/// A designer's outcomes in words: "가게 3곳 · 첫 입점 2곳(중간 5일) · 반려 10% · 90일 안 첫 매출
/// 1곳 · 명예의 전당 0곳", or that there is no record yet.
pub fn outcomes_line(t: Tr, o: &gachi_domain::designers::outcomes::Outcomes) -> String {
    if o.shops_served == 0 {
        return t.get("outcomes-none");
    }
    let mut parts = vec![
        t.count("outcomes-shops", "count", i64::from(o.shops_served)),
        match o.median_days_to_first_listing {
            Some(days) => t.args(
                "outcomes-first-listings-days",
                &[
                    ("count", o.first_listings.to_string()),
                    ("days", days.to_string()),
                ],
            ),
            None => t.count(
                "outcomes-first-listings",
                "count",
                i64::from(o.first_listings),
            ),
        },
    ];
    if let Some(percent) = o.refusal_percent() {
        parts.push(t.count("outcomes-refusals", "percent", i64::from(percent)));
    }
    parts.push(t.count(
        "outcomes-first-sales",
        "count",
        i64::from(o.first_sales_within_90_days),
    ));
    parts.push(t.count("outcomes-hall-of-fame", "count", i64::from(o.hall_of_fame)));
    parts.join(" · ")
}

#[derive(Template)]
#[template(path = "designers.html")]
struct DirectoryPage {
    page: Shell,
    entries: Vec<DirectoryView>,
    /// How many designers match, on every page.
    total: String,
    /// Links to the neighbouring pages, when there are some.
    previous: Option<String>,
    next: Option<String>,
    region: String,
    available: bool,
    skills: Vec<(&'static str, String)>,
    /// (code, label, chosen) for the filter.
    skill_options: Vec<(&'static str, String, bool)>,
    /// The signed-in designer's profile form, when the viewer is one.
    profile: Option<ProfileView>,
    saved: bool,
    errors: Vec<String>,
}

/// The profile form's values.
pub struct ProfileView {
    pub regions: String,
    pub industries: String,
    pub skills: Vec<&'static str>,
    pub capacity: String,
    pub languages: String,
    pub intro: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct DirectoryQuery {
    pub region: Option<String>,
    pub skill: Option<String>,
    pub available: Option<String>,
    pub saved: Option<String>,
    /// The page of the directory, from 1.
    pub page: Option<u32>,
}

/// Designers on one page of the directory.
const DIRECTORY_PAGE: u32 = 30;

async fn directory_page(
    state: &AppState,
    ctx: &Ctx,
    query: &DirectoryQuery,
    form: Option<ProfileView>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    use gachi_domain::designers::profile::{DirectoryFilter, Skill, region_filter};
    let user = ctx
        .require_role(&[Role::Merchant, Role::Designer, Role::Operator, Role::Admin])?
        .clone();
    let t = ctx.t;
    let region_text = query.region.clone().unwrap_or_default();
    let skill_text = query.skill.clone().unwrap_or_default();
    let filter = DirectoryFilter {
        region: region_filter(&region_text).ok().flatten(),
        industry: None,
        skill: Skill::parse(&skill_text),
        available: query.available.is_some(),
    };
    let page_number = query.page.unwrap_or(1).max(1);
    let found = state
        .profiles()
        .directory(&user, &filter, page_number, DIRECTORY_PAGE)
        .await
        .map_err(|e| ctx.fail(e))?;
    let page_link = |number: u32| {
        let number = number.to_string();
        super::with_query(
            "/designers",
            &[
                ("region", query.region.as_deref()),
                ("skill", query.skill.as_deref()),
                ("available", query.available.as_deref()),
                ("page", Some(&number)),
            ],
        )
    };
    let shown_until = (page_number as usize - 1) * DIRECTORY_PAGE as usize + found.entries.len();
    let previous = (page_number > 1).then(|| page_link(page_number - 1));
    let next = (shown_until < found.total).then(|| page_link(page_number + 1));
    let total = t.count("designers-total", "count", found.total as i64);
    let outcomes = found.outcomes;
    let entries = found
        .entries
        .into_iter()
        .map(|e| DirectoryView {
            outcomes: outcomes_line(t, &outcomes.get(&e.designer).copied().unwrap_or_default()),
            name: e.name,
            level: t.arg("designers-level", "grade", e.level.grade()),
            regions: e
                .profile
                .regions
                .iter()
                .map(|r| r.region().name)
                .collect::<Vec<_>>()
                .join(", "),
            skills: e
                .profile
                .skills
                .iter()
                .map(|s| t.get(&format!("skill-{}", s.code())))
                .collect::<Vec<_>>()
                .join(", "),
            shops: t.args(
                "designers-shops",
                &[
                    ("active", e.active_shops.to_string()),
                    ("capacity", e.profile.capacity.to_string()),
                ],
            ),
            intro: e.profile.intro,
        })
        .collect();
    let profile = match (user.role, form) {
        (Role::Designer, Some(form)) => Some(form),
        (Role::Designer, None) => {
            let own = state.profiles().own(&user).await.map_err(|e| ctx.fail(e))?;
            Some(ProfileView {
                regions: own
                    .regions
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                industries: own.industries.join(", "),
                skills: own.skills.iter().map(|s| s.code()).collect(),
                capacity: own.capacity.to_string(),
                languages: own.languages.join(", "),
                intro: own.intro,
            })
        }
        _ => None,
    };
    Ok(render(
        status,
        &DirectoryPage {
            page: Shell::new(ctx),
            entries,
            total,
            previous,
            next,
            region: region_text,
            available: query.available.is_some(),
            skills: Skill::ALL
                .into_iter()
                .map(|s| (s.code(), t.get(&format!("skill-{}", s.code()))))
                .collect(),
            skill_options: Skill::ALL
                .into_iter()
                .map(|s| {
                    (
                        s.code(),
                        t.get(&format!("skill-{}", s.code())),
                        s.code() == skill_text,
                    )
                })
                .collect(),
            profile,
            saved: query.saved.is_some(),
            errors,
        },
    ))
}

/// The directory of certified designers; a designer also edits their own profile here.
pub async fn directory(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(query): axum::extract::Query<DirectoryQuery>,
) -> Result<Response, PageError> {
    directory_page(&state, &ctx, &query, None, Vec::new(), StatusCode::OK).await
}

/// Saves the signed-in designer's profile.
pub async fn save_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use gachi_domain::designers::profile::{ProfileError, ProfileInput};
    let user = ctx.require_role(&[Role::Designer])?.clone();
    let value = |name: &str| form_value(&pairs, name);
    let split = |text: String| -> Vec<String> {
        text.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let skills: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "skills")
        .map(|(_, v)| v.clone())
        .collect();
    let input = ProfileInput {
        regions: split(value("regions")),
        industries: split(value("industries")),
        skills: skills.clone(),
        capacity: value("capacity"),
        languages: value("languages"),
        intro: value("intro"),
    };
    match state.profiles().save(&user, &ctx.actor(), &input).await {
        Ok(_) => Ok(see_other(&ctx, "/designers?saved=1")),
        Err(ProfileError::Invalid(errors)) => {
            let messages = errors.0.iter().map(|e| ctx.t.get(e.code)).collect();
            let form = ProfileView {
                regions: value("regions"),
                industries: value("industries"),
                skills: skills
                    .iter()
                    .filter_map(|s| gachi_domain::designers::profile::Skill::parse(s))
                    .map(|s| s.code())
                    .collect(),
                capacity: value("capacity"),
                languages: value("languages"),
                intro: value("intro"),
            };
            directory_page(
                &state,
                &ctx,
                &DirectoryQuery::default(),
                Some(form),
                messages,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(ctx.fail(other)),
    }
}
