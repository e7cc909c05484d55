//! The phishing simulations register with the trend chart, and one simulation's page: its approval, rates,
//! rates per department, results (50 a page), the import form with its report, and its evidence.

use super::Layout;
use super::phishing_chart::TrendChart;
use super::record_evidence::EvidenceBox;
use crate::clock::format_utc;
use crate::db;
use crate::db::phishing::SimulationRow;
use crate::domain::objective::date_text;
use crate::domain::phishing::{Stage, percent};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::{PHISHING_IMPORTERS, PHISHING_RECORDERS};
use crate::http::api::phishing::{DepartmentRates, departments, find};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PagePath, PageQuery};
use crate::phishing::import::ImportReport;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

const PAGE_SIZE: i64 = 50;
/// The register lists this many simulations (years of quarterly campaigns); the API pages through all.
const LIST_LIMIT: i64 = 200;

/// A simulation as a row of the register.
pub struct SimulationLine {
    pub id: i64,
    pub name: String,
    pub launched: String,
    pub approver: String,
    pub results: i64,
    pub sent: i64,
    pub opened: String,
    pub clicked: String,
    pub submitted: String,
    pub reported: String,
}

impl SimulationLine {
    pub fn of(row: &SimulationRow) -> Self {
        let rates = row.tally().rates();
        Self {
            id: row.id.0,
            name: row.name.clone(),
            launched: date_text(row.launched_on),
            approver: row.approver_name.clone(),
            results: row.result_count,
            sent: row.sent_count,
            opened: percent(rates.opened),
            clicked: percent(rates.clicked),
            submitted: percent(rates.submitted),
            reported: percent(rates.reported),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "phishing_list.html")]
pub struct ListPage {
    layout: Layout,
    can_record: bool,
    items: Vec<SimulationLine>,
    total: i64,
    chart: String,
}

/// `GET /phishing`
#[tracing::instrument(skip_all)]
pub async fn list(State(state): State<AppState>, principal: Principal) -> Result<ListPage, PageError> {
    let mut c = state.db.read().await?;
    let (rows, total) = db::phishing::list(&mut c.conn(), principal.org_id, LIST_LIMIT, 0).await?;
    let chart = TrendChart::build(&rows).render().map_err(|e| AppError::Internal(e.into()))?;
    Ok(ListPage {
        layout: Layout::member("Phishing simulations", "phishing", &principal),
        can_record: PHISHING_RECORDERS.contains(&principal.role),
        items: rows.iter().map(SimulationLine::of).collect(),
        total,
        chart,
    })
}

/// A result as a row of the table.
pub struct ResultLine {
    pub line: i64,
    pub email: String,
    pub name: String,
    pub department: String,
    pub status: String,
    pub stage: &'static str,
    pub reported: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "phishing_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    s: SimulationLine,
    audience: String,
    gophish_campaign_id: Option<i64>,
    approved: String,
    recorder: String,
    approver_recorded: bool,
    imported: Option<String>,
    sha256: String,
    matched: i64,
    departments: Vec<(DepartmentRates, String, String)>,
    results: Vec<ResultLine>,
    page: i64,
    pages: i64,
    can_import: bool,
    report: Option<ImportReport>,
    error: Option<String>,
    notice: Option<&'static str>,
    evidence: EvidenceBox,
}

/// Builds simulation `id`'s page at results page `page`, with an import report, error or notice.
pub async fn render(
    state: &AppState,
    principal: &Principal,
    id: i64,
    page: i64,
    report: Option<ImportReport>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<ShowPage, AppError> {
    let row = find(state, principal, id).await?;
    let pages = ((row.result_count + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let mut c = state.db.read().await?;
    let rows =
        db::phishing::results(&mut c.conn(), principal.org_id, row.id, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    drop(c);
    let results = rows
        .into_iter()
        .map(|r| ResultLine {
            line: r.line,
            name: r.member_name.unwrap_or_else(|| format!("{} {}", r.first_name, r.last_name).trim().to_string()),
            department: r.department.unwrap_or_default(),
            stage: Stage::from_code(r.stage).label(),
            reported: r.reported == 1,
            status: r.status,
            email: r.email,
        })
        .collect();
    let departments = departments(state, principal, row.id)
        .await?
        .into_iter()
        .map(|d| {
            let (click, report) = (percent(d.click_rate), percent(d.report_rate));
            (d, click, report)
        })
        .collect();
    Ok(ShowPage {
        layout: Layout::member("Phishing simulation", "phishing", principal),
        csrf: principal.csrf().to_string(),
        s: SimulationLine::of(&row),
        audience: row.audience.clone(),
        gophish_campaign_id: row.gophish_campaign_id,
        approved: format!("{} on {}", row.approver_name, date_text(row.approved_on)),
        recorder: row.recorder_name.clone(),
        approver_recorded: row.approved_by == row.recorded_by,
        imported: row
            .imported_at
            .map(|at| format!("{} by {}", format_utc(at), row.importer_name.clone().unwrap_or_default())),
        sha256: row.import_sha256.clone().unwrap_or_default(),
        matched: row.matched_count,
        departments,
        results,
        page,
        pages,
        can_import: PHISHING_IMPORTERS.contains(&principal.role),
        report,
        error,
        notice,
        evidence: EvidenceBox::load(state, principal, "phishing_simulation", row.id.0).await?,
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

/// `GET /phishing/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<ShowPage, PageError> {
    let notice = match query.done.as_deref() {
        Some("created") => Some("The simulation and its approval were recorded in the ledger."),
        Some("imported") => {
            Some("The results were imported, replacing any earlier ones, and the import was recorded in the ledger.")
        }
        _ => None,
    };
    Ok(render(&state, &principal, id, query.page.unwrap_or(1), None, None, notice).await?)
}
