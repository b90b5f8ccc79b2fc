//! The program dashboard: targets against actuals, the funnel with conversion rates, the 시도
//! tile map, monthly sales, breakdowns and the budget — drawn as SVG on the server, each table
//! downloadable as CSV or xlsx — and the forms staff set targets and budget lines with.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use gachi_domain::accounts::Role;
use gachi_domain::kernel::industry;
use gachi_domain::kernel::money::{Krw, parse_count};
use gachi_domain::kernel::region::{self, RegionCode};
use gachi_domain::results::{Counts, Month, ResultsError};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::{PageError, PageErrorKind};
use crate::i18n::grouped;
use crate::pages::{Shell, render, see_other};

// ---------------------------------------------------------------- the dashboard

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    pub year: Option<i32>,
    pub region_code: Option<String>,
}

pub struct Measure {
    pub key: &'static str,
    pub name: String,
    pub target: String,
    pub actual: String,
    /// 0–100 for the bar.
    pub percent: i64,
}

pub struct FunnelStep {
    pub name: String,
    pub count: String,
    /// Of the step before, as text (`42.0%`), empty for the first.
    pub conversion: String,
    /// Bar width relative to the first step, 0–100.
    pub width: i64,
}

pub struct Tile {
    pub code: String,
    pub name: String,
    pub x: i64,
    pub y: i64,
    pub registered: String,
    pub selling: String,
    /// Share of registered shops selling, for the colour.
    pub percent: i64,
    pub fill: String,
    pub selected: bool,
}

pub struct MonthBar {
    pub label: String,
    pub amount: String,
    /// Bar height, 0–100.
    pub height: i64,
}

pub struct BudgetRow {
    pub name: String,
    pub program: String,
    pub allocated: String,
    pub executed: String,
    pub rate: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: Shell,
    staff: bool,
    months: Vec<MonthBar>,
    /// (name, registered, selling, share)
    by_track: Vec<(String, String, String, String)>,
    by_industry: Vec<(String, String, String, String)>,
    by_sigungu: Vec<(String, String, String, String)>,
    /// 디지털 유통설계사 per 시도: (시도, 1급, 2급, shops under a delegation).
    designers: Vec<(String, String, String, String)>,
    /// Courses completed by designers, nationally (the program's training figure).
    courses_completed: String,
    /// "필기·실기 합격률 60% (응시 20건 중 12건)", or that none closed yet.
    exam_pass_rate: String,
    budget: Vec<BudgetRow>,
    /// (key, name, current target) for the targets form.
    target_inputs: Vec<(&'static str, String, i64)>,
    year: i32,
    region_name: String,
    measures: Vec<Measure>,
    funnel: Vec<FunnelStep>,
    tiles: Vec<Tile>,
    regions: Vec<(String, String, bool)>,
    query: String,
    /// 가치삽시다 over the last 30 days: (questions asked, median time to a first answer in
    /// words, share answered within 24 h), nationally.
    community: Option<(String, String, String)>,
}

/// The 17 시도 on a tile map: (code, short name, column, row).
const TILES: [(&str, &str, i64, i64); 17] = [
    ("11", "서울", 1, 0),
    ("51", "강원", 2, 0),
    ("28", "인천", 0, 1),
    ("41", "경기", 1, 1),
    ("43", "충북", 2, 1),
    ("47", "경북", 3, 1),
    ("44", "충남", 0, 2),
    ("36", "세종", 1, 2),
    ("30", "대전", 2, 2),
    ("27", "대구", 3, 2),
    ("52", "전북", 0, 3),
    ("48", "경남", 2, 3),
    ("31", "울산", 3, 3),
    ("29", "광주", 0, 4),
    ("46", "전남", 1, 4),
    ("26", "부산", 3, 4),
    ("50", "제주", 0, 5),
];

fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        (part * 100 / whole).min(100)
    }
}

/// Light to dark green by share.
fn fill(percent: i64) -> String {
    let shade = |from: i64, to: i64| from + (to - from) * percent / 100;
    format!(
        "#{:02x}{:02x}{:02x}",
        shade(0xe8, 0x0b),
        shade(0xf3, 0x7a),
        shade(0xee, 0x5c)
    )
}

struct Loaded {
    year: i32,
    region: Option<RegionCode>,
    kpi: gachi_domain::results::Kpi,
    by_sido: Vec<(&'static str, &'static str, i64, i64, Counts)>,
    months: Vec<(Month, i64)>,
    by_track: Vec<(String, i64, i64)>,
    by_industry: Vec<(String, i64, i64)>,
    /// The 시군구 of the chosen 시도 (none nationally).
    by_sigungu: Vec<(String, i64, i64)>,
    designers_by_sido: Vec<gachi_domain::results::DesignerFigures>,
    budget: Vec<gachi_domain::results::BudgetLine>,
}

async fn load(state: &AppState, ctx: &Ctx, query: &DashboardQuery) -> Result<Loaded, PageError> {
    let user = ctx
        .require_role(&[Role::Operator, Role::Admin, Role::LocalGov])?
        .clone();
    let year = query
        .year
        .unwrap_or_else(|| Month::of(state.clock().now()).year);
    let asked_region = query
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .and_then(|c| RegionCode::parse(c, "region_code").ok());
    // A region outside the officer's own is refused by the use case (403).
    let dashboard = state
        .results()
        .dashboard(&user, year, asked_region)
        .await
        .map_err(|e| ctx.fail(e))?;
    let region = dashboard.kpi.region.clone();
    // The map's tiles of the 시도 the domain let this user see.
    let by_sido = TILES
        .iter()
        .filter_map(|(code, name, x, y)| {
            let found = dashboard.by_sido.iter().find(|(c, _)| c == code)?;
            Some((*code, *name, *x, *y, found.1.clone()))
        })
        .collect();
    let gachi_domain::results::Dashboard {
        kpi,
        months,
        by_track,
        by_industry,
        budget,
        by_sigungu,
        designers_by_sido,
        ..
    } = dashboard;
    Ok(Loaded {
        by_sigungu,
        designers_by_sido,
        year,
        region,
        kpi,
        by_sido,
        months,
        by_track,
        by_industry,
        budget,
    })
}

pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let loaded = load(&state, &ctx, &query).await?;
    let t = ctx.t;
    let value = |pairs: &[(&str, i64)], key: &str| {
        pairs.iter().find(|(k, _)| *k == key).map_or(0, |(_, v)| *v)
    };
    let measures = loaded
        .kpi
        .targets
        .iter()
        .map(|(key, target)| {
            let actual = value(&loaded.kpi.actuals, key);
            Measure {
                key,
                name: t.get(&format!("kpi-{key}")),
                target: grouped(*target),
                actual: grouped(actual),
                percent: percent(actual, *target),
            }
        })
        .collect();
    let first = loaded.kpi.funnel.first().map_or(0, |(_, v)| *v);
    let rates = conversions(&loaded.kpi.funnel);
    let funnel = loaded
        .kpi
        .funnel
        .iter()
        .zip(rates)
        .enumerate()
        .map(|(i, ((key, count), rate))| FunnelStep {
            name: t.get(&format!("funnel-{key}")),
            count: grouped(*count),
            conversion: match rate {
                Some(rate) => format!("{rate:.1}%"),
                None if i > 0 => "–".to_owned(),
                None => String::new(),
            },
            width: percent(*count, first).max(1),
        })
        .collect();
    let chosen = loaded
        .region
        .as_ref()
        .map(|r| r.sido().as_str().to_owned())
        .unwrap_or_default();
    let tiles = loaded
        .by_sido
        .iter()
        .map(|(code, name, x, y, counts)| {
            let share = percent(counts.selling, counts.registered);
            Tile {
                code: code.to_string(),
                name: name.to_string(),
                x: *x,
                y: *y,
                registered: grouped(counts.registered),
                selling: grouped(counts.selling),
                percent: share,
                fill: fill(share),
                selected: chosen == *code,
            }
        })
        .collect();
    let max_month = loaded.months.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let months = (1..=12)
        .map(|m| {
            let amount = loaded
                .months
                .iter()
                .find(|(month, _)| month.month == m)
                .map_or(0, |(_, v)| *v);
            MonthBar {
                label: format!("{m}"),
                amount: grouped(amount),
                height: percent(amount, max_month),
            }
        })
        .collect();
    let share = |registered: i64, selling: i64| format!("{}%", percent(selling, registered));
    let by_track = loaded
        .by_track
        .iter()
        .map(|(track, registered, selling)| {
            let name = if track.is_empty() {
                t.get("track-none")
            } else {
                t.get(&format!("track-{track}"))
            };
            (
                name,
                grouped(*registered),
                grouped(*selling),
                share(*registered, *selling),
            )
        })
        .collect();
    let majors = industry::all();
    let by_industry = loaded
        .by_industry
        .iter()
        .map(|(letter, registered, selling)| {
            let name = majors
                .iter()
                .find(|i| i.code.starts_with(letter.as_str()))
                .map(|i| i.major.clone())
                .unwrap_or_else(|| letter.clone());
            (
                name,
                grouped(*registered),
                grouped(*selling),
                share(*registered, *selling),
            )
        })
        .collect();
    let by_sigungu = loaded
        .by_sigungu
        .iter()
        .map(|(code, registered, selling)| {
            let name = RegionCode::parse(code, "r")
                .map(|r| r.region().name)
                .unwrap_or_default();
            (
                name,
                grouped(*registered),
                grouped(*selling),
                share(*registered, *selling),
            )
        })
        .collect();
    let designers = loaded
        .designers_by_sido
        .iter()
        .map(|f| {
            let name = RegionCode::parse(&f.sido, "r")
                .map(|r| r.region().name)
                .unwrap_or_else(|_| t.get("dashboard-no-region"));
            (
                name,
                grouped(f.first_level),
                grouped(f.second_level),
                grouped(f.delegated_shops),
            )
        })
        .collect();
    let courses_completed = t.count(
        "dashboard-courses-completed",
        "count",
        state
            .courses()
            .completions()
            .await
            .map_err(|e| ctx.fail(gachi_domain::designers::courses::CourseError::Store(e)))?,
    );
    let rate = state
        .exams()
        .pass_rate()
        .await
        .map_err(|e| ctx.fail(gachi_domain::designers::courses::CourseError::Store(e)))?;
    let exam_pass_rate = match rate.percent() {
        Some(percent) => t.args(
            "dashboard-exam-pass-rate",
            &[
                ("percent", percent.to_string()),
                ("passed", rate.passed.to_string()),
                ("closed", rate.closed.to_string()),
            ],
        ),
        None => t.get("dashboard-exam-pass-rate-none"),
    };
    let budget = loaded
        .budget
        .iter()
        .map(|line| BudgetRow {
            name: line.name.clone(),
            program: grouped(line.program),
            allocated: grouped(line.allocated),
            executed: grouped(line.executed),
            rate: line
                .execution_rate()
                .map(|r| format!("{r:.1}%"))
                .unwrap_or_else(|| "–".into()),
        })
        .collect();
    let target_inputs = loaded
        .kpi
        .targets
        .iter()
        .map(|(key, value)| (*key, t.get(&format!("kpi-{key}")), *value))
        .collect();
    let community = match &ctx.user {
        Some(user) => state
            .community()
            .answer_speed(user, 30)
            .await
            .map_err(|e| ctx.fail(e))?
            .map(|(median, within, asked)| {
                (
                    grouped(i64::from(asked)),
                    if median < 0 {
                        "—".to_owned()
                    } else if median < 60 {
                        t.get("dashboard-under-a-minute")
                    } else if median < 3600 {
                        t.arg("dashboard-minutes", "n", median / 60)
                    } else {
                        t.arg("dashboard-hours", "n", median / 3600)
                    },
                    format!("{:.1}%", within as f64 / 10.0),
                )
            }),
        None => None,
    };
    let query_string = match &loaded.region {
        Some(r) => format!("year={}&region_code={}", loaded.year, r.as_str()),
        None => format!("year={}", loaded.year),
    };
    Ok(render(
        StatusCode::OK,
        &DashboardPage {
            staff: ctx.user.as_ref().is_some_and(|u| u.role.is_staff()),
            months,
            by_track,
            by_industry,
            by_sigungu,
            designers,
            courses_completed,
            exam_pass_rate,
            budget,
            target_inputs,
            year: loaded.year,
            region_name: loaded
                .region
                .as_ref()
                .map(|r| r.region().name)
                .unwrap_or_else(|| t.get("dashboard-national")),
            measures,
            funnel,
            tiles,
            regions: region::all_sido()
                .into_iter()
                .filter(|r| ctx.user.as_ref().is_some_and(|u| u.may_see_region(&r.code)))
                .map(|r| {
                    (
                        r.code.as_str().to_owned(),
                        r.name,
                        r.code.as_str() == chosen,
                    )
                })
                .collect(),
            query: query_string,
            community,
            page: Shell::new(&ctx),
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    pub year: Option<i32>,
    pub region_code: Option<String>,
    /// Which table: targets, funnel, regions, track, industry, sigungu, months, budget.
    pub table: Option<String>,
}

/// Each funnel step's count against the step before, in percent (none for the first step, or
/// after a step of zero): the page's column and the export's are the same numbers.
fn conversions<K>(funnel: &[(K, i64)]) -> Vec<Option<f64>> {
    let mut previous: Option<i64> = None;
    funnel
        .iter()
        .map(|(_, count)| {
            let rate = previous
                .filter(|p| *p > 0)
                .map(|p| *count as f64 * 100.0 / p as f64);
            previous = Some(*count);
            rate
        })
        .collect()
}

/// One dashboard table as CSV, UTF-8 with a byte-order mark so Excel reads Korean.
pub async fn export(
    state: State<AppState>,
    ctx: Ctx,
    query: Query<ExportQuery>,
) -> Result<Response, PageError> {
    export_as(state, ctx, query, false).await
}

/// One dashboard table as an Excel workbook (numbers as numbers).
pub async fn export_xlsx(
    state: State<AppState>,
    ctx: Ctx,
    query: Query<ExportQuery>,
) -> Result<Response, PageError> {
    export_as(state, ctx, query, true).await
}

/// The rows as an .xlsx workbook with one sheet.
fn xlsx(rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                _ if r == 0 => sheet.write_string_with_format(r, c, cell, &bold)?,
                Ok(number) => sheet.write_number(r, c, number)?,
                Err(_) => sheet.write_string(r, c, cell)?,
            };
        }
    }
    sheet.set_column_width(0, 24)?;
    workbook.save_to_buffer()
}

async fn export_as(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ExportQuery>,
    as_xlsx: bool,
) -> Result<Response, PageError> {
    let dashboard_query = DashboardQuery {
        year: query.year,
        region_code: query.region_code.clone(),
    };
    let loaded = load(&state, &ctx, &dashboard_query).await?;
    let t = ctx.t;
    let value = |pairs: &[(&str, i64)], key: &str| {
        pairs.iter().find(|(k, _)| *k == key).map_or(0, |(_, v)| *v)
    };
    let table = query.table.as_deref().unwrap_or_default();
    let result = match table {
        "targets" => {
            let mut rows = vec![vec![
                t.get("dashboard-measure"),
                t.get("dashboard-target"),
                t.get("dashboard-actual"),
            ]];
            for (key, target) in &loaded.kpi.targets {
                rows.push(vec![
                    t.get(&format!("kpi-{key}")),
                    target.to_string(),
                    value(&loaded.kpi.actuals, key).to_string(),
                ]);
            }
            rows
        }
        "funnel" => {
            let mut rows = vec![vec![
                t.get("dashboard-step"),
                t.get("dashboard-count"),
                format!("{} (%)", t.get("dashboard-conversion")),
            ]];
            let rates = conversions(&loaded.kpi.funnel);
            for ((key, count), rate) in loaded.kpi.funnel.iter().zip(rates) {
                rows.push(vec![
                    t.get(&format!("funnel-{key}")),
                    count.to_string(),
                    rate.map(|r| format!("{r:.1}")).unwrap_or_default(),
                ]);
            }
            rows
        }
        "regions" => {
            let mut rows = vec![vec![
                t.get("field-region"),
                t.get("funnel-registered"),
                t.get("funnel-selling"),
                t.get("funnel-hall_of_fame"),
            ]];
            for (code, _, _, _, counts) in &loaded.by_sido {
                let name = RegionCode::parse(code, "r")
                    .map(|r| r.region().name)
                    .unwrap_or_default();
                rows.push(vec![
                    name,
                    counts.registered.to_string(),
                    counts.selling.to_string(),
                    counts.hall_of_fame.to_string(),
                ]);
            }
            rows
        }
        "track" | "industry" | "sigungu" => {
            let first = match table {
                "track" => t.get("field-track"),
                "industry" => t.get("field-industry"),
                _ => t.get("field-region"),
            };
            let mut rows = vec![vec![
                first,
                t.get("funnel-registered"),
                t.get("funnel-selling"),
            ]];
            let majors = industry::all();
            let source = match table {
                "track" => &loaded.by_track,
                "industry" => &loaded.by_industry,
                _ => &loaded.by_sigungu,
            };
            for (key, registered, selling) in source {
                let name = match table {
                    "track" if key.is_empty() => t.get("track-none"),
                    "track" => t.get(&format!("track-{key}")),
                    "industry" => majors
                        .iter()
                        .find(|i| i.code.starts_with(key.as_str()))
                        .map(|i| i.major.clone())
                        .unwrap_or_else(|| key.clone()),
                    _ => RegionCode::parse(key, "r")
                        .map(|r| r.region().name)
                        .unwrap_or_default(),
                };
                rows.push(vec![name, registered.to_string(), selling.to_string()]);
            }
            rows
        }
        "months" => {
            let mut rows = vec![vec![t.get("field-month"), t.get("field-sales-krw")]];
            for (month, amount) in &loaded.months {
                rows.push(vec![month.to_string(), amount.to_string()]);
            }
            rows
        }
        "budget" => {
            let mut rows = vec![vec![
                t.get("budget-line"),
                t.get("budget-program"),
                t.get("budget-allocated"),
                t.get("budget-executed"),
                t.get("budget-rate"),
            ]];
            for line in &loaded.budget {
                rows.push(vec![
                    line.name.clone(),
                    line.program.to_string(),
                    line.allocated.to_string(),
                    line.executed.to_string(),
                    line.execution_rate()
                        .map(|r| r.to_string())
                        .unwrap_or_default(),
                ]);
            }
            rows
        }
        // No table named (an address typed or cut short): say which to pick, not a bare 400.
        _ => return Err(ctx.fail(PageErrorKind::BadRequest("error-export-table"))),
    };
    let (body, content_type, extension) = if as_xlsx {
        // Writing a workbook or CSV in memory fails only on a bug: a 500, its detail logged.
        let bytes = xlsx(&result).map_err(|e| ctx.fail(PageErrorKind::Internal(e.to_string())))?;
        (
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        let mut writer = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
        for row in &result {
            writer
                .write_record(row)
                .map_err(|e| ctx.fail(PageErrorKind::Internal(format!("csv: {e}"))))?;
        }
        (
            writer.into_inner().unwrap_or_default(),
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    Ok((
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"gachi-{}-{}.{extension}\"",
                    table, loaded.year
                ),
            ),
        ],
        body,
    )
        .into_response())
}

/// Staff change the year's targets (`year` and `target_{key}` fields).
pub async fn save_targets(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<std::collections::BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let results = state.results();
    let year = form
        .get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .ok_or_else(|| ctx.fail(PageErrorKind::BadRequest("error-integer")))?;
    for (key, _) in gachi_domain::results::TARGETS {
        let Some(text) = form.get(&format!("target_{key}")) else {
            continue;
        };
        let value = match parse_count(text, &format!("target_{key}")) {
            Ok(Some(value)) => value,
            Ok(None) => continue,
            Err(error) => return Err(ctx.fail(PageErrorKind::BadRequest(error.code))),
        };
        match results
            .set_target(&user, &ctx.actor(), year, key, value)
            .await
        {
            Ok(()) => {}
            // The dashboard's forms have no place for field errors: say what was wrong.
            Err(ResultsError::Invalid(errors)) => {
                return Err(ctx.fail(PageErrorKind::BadRequest(
                    errors.0.first().map_or("error-bad-request", |e| e.code),
                )));
            }
            Err(other) => return Err(ctx.fail(other)),
        }
    }
    Ok(see_other(&ctx, &format!("/dashboard?year={year}")))
}

#[derive(Debug, Deserialize)]
pub struct BudgetForm {
    pub year: i32,
    pub name: String,
    pub program: String,
    pub allocated: String,
    pub executed: String,
}

/// Staff add or update a budget line.
pub async fn save_budget(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<BudgetForm>,
) -> Result<Response, PageError> {
    let user = ctx.require_role(&[Role::Operator, Role::Admin])?.clone();
    let amount = |text: &str, field: &str| Krw::parse(text, field).map(|k| k.0);
    let line = match (
        amount(&form.program, "program"),
        amount(&form.allocated, "allocated"),
        amount(&form.executed, "executed"),
    ) {
        (Ok(program), Ok(allocated), Ok(executed)) => gachi_domain::results::BudgetLine {
            name: form.name,
            program,
            allocated,
            executed,
        },
        (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => {
            return Err(ctx.fail(PageErrorKind::BadRequest(error.code)));
        }
    };
    match state
        .results()
        .set_budget_line(&user, &ctx.actor(), form.year, line)
        .await
    {
        Ok(()) => Ok(see_other(
            &ctx,
            &format!("/dashboard?year={}#budget", form.year),
        )),
        // As for targets: the first thing wrong, in words.
        Err(ResultsError::Invalid(errors)) => Err(ctx.fail(PageErrorKind::BadRequest(
            errors.0.first().map_or("error-bad-request", |e| e.code),
        ))),
        Err(other) => Err(ctx.fail(other)),
    }
}
