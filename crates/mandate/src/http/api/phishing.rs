//! `/api/v1/phishing`: phishing simulations (ISO/IEC 27001 7.3) with who approved them, their rates, the rates
//! per department, their results, and the import of GoPhish's campaign results CSV.

use crate::clock::rfc3339;
use crate::db;
use crate::db::phishing::{ResultRow, SimulationRow};
use crate::domain::ids::{SimulationId, UserId};
use crate::domain::objective::{date_text, parse_date};
use crate::domain::phishing::{Rates, Tally};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, CsvBody};
use crate::http::headers::RequestId;
use crate::phishing::import::ImportReport;
use crate::phishing::{self, SimulationInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A simulation with its latest import's counts and rates.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SimulationView {
    #[schema(value_type = i64)]
    pub id: SimulationId,
    pub name: String,
    pub gophish_campaign_id: Option<i64>,
    /// YYYY-MM-DD.
    pub launched_on: String,
    pub audience: String,
    #[schema(value_type = i64)]
    pub approved_by: UserId,
    pub approver_name: String,
    /// YYYY-MM-DD.
    pub approved_on: String,
    #[schema(value_type = i64)]
    pub recorded_by: UserId,
    pub recorder_name: String,
    /// Whether the approver recorded the approval themselves (rather than someone on their behalf).
    pub approver_recorded: bool,
    pub imported_at: Option<String>,
    /// SHA-256 of the latest imported file.
    pub import_sha256: Option<String>,
    pub matched: i64,
    pub tally: Tally,
    pub rates: Rates,
}

impl SimulationView {
    pub fn of(row: SimulationRow) -> Self {
        let tally = row.tally();
        Self {
            id: row.id,
            gophish_campaign_id: row.gophish_campaign_id,
            launched_on: date_text(row.launched_on),
            approved_by: row.approved_by,
            approved_on: date_text(row.approved_on),
            recorded_by: row.recorded_by,
            approver_recorded: row.approved_by == row.recorded_by,
            imported_at: row.imported_at.map(rfc3339),
            import_sha256: row.import_sha256,
            matched: row.matched_count,
            rates: tally.rates(),
            tally,
            name: row.name,
            audience: row.audience,
            approver_name: row.approver_name,
            recorder_name: row.recorder_name,
        }
    }
}

/// A new simulation. Without `approved_by`, the caller approved it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSimulation {
    pub name: String,
    pub gophish_campaign_id: Option<i64>,
    /// YYYY-MM-DD.
    pub launched_on: String,
    /// Who received it, e.g. "all staff" or "Finance and Sales".
    pub audience: String,
    /// A top manager or the ISMS manager.
    pub approved_by: Option<i64>,
    /// YYYY-MM-DD, not after the launch.
    pub approved_on: String,
}

impl NewSimulation {
    pub fn into_input(self, caller: UserId) -> Result<SimulationInput, AppError> {
        Ok(SimulationInput {
            launched_on: parse_date(&self.launched_on, "launched_on")?,
            approved_on: parse_date(&self.approved_on, "approved_on")?,
            approved_by: self.approved_by.map_or(caller, UserId),
            gophish_campaign_id: self.gophish_campaign_id,
            name: self.name,
            audience: self.audience,
        })
    }
}

/// A page of simulations, latest launch first.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SimulationList {
    pub items: Vec<SimulationView>,
    pub total: i64,
}

/// Paging of lists.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1–500, default 100.
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl PageQuery {
    fn bounds(&self) -> Result<(i64, i64), AppError> {
        super::Paging { limit: self.limit, offset: self.offset, q: None }.bounds()
    }
}

/// `GET /api/v1/phishing`: the simulations with their rates.
#[utoipa::path(get, path = "/api/v1/phishing", tag = "phishing", params(PageQuery),
    responses((status = 200, body = SimulationList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<SimulationList>, AppError> {
    let (limit, offset) = query.bounds()?;
    let mut c = state.db.read().await?;
    let (rows, total) = db::phishing::list(&mut c.conn(), principal.org_id, limit, offset).await?;
    Ok(Json(SimulationList { items: rows.into_iter().map(SimulationView::of).collect(), total }))
}

/// `POST /api/v1/phishing`: records a simulation and who approved it.
#[utoipa::path(post, path = "/api/v1/phishing", tag = "phishing", request_body = NewSimulation,
    responses((status = 201, body = SimulationView), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewSimulation>,
) -> Result<(StatusCode, Json<SimulationView>), AppError> {
    let input = body.into_input(principal.user_id)?;
    let row = phishing::create(&state.ctx(&principal, &request), principal.org_id, principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(SimulationView::of(row))))
}

/// The rates of the results matched to members of one department.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DepartmentRates {
    /// Empty for members without a department.
    pub department: String,
    pub results: i64,
    pub sent: i64,
    pub clicked: i64,
    pub reported: i64,
    pub click_rate: Option<f64>,
    pub report_rate: Option<f64>,
}

/// The department rates of simulation `id`.
pub async fn departments(
    state: &AppState,
    principal: &Principal,
    id: SimulationId,
) -> Result<Vec<DepartmentRates>, AppError> {
    let mut c = state.db.read().await?;
    let rows = db::phishing::by_department(&mut c.conn(), principal.org_id, id).await?;
    let share = |n: i64, of: i64| (of > 0).then(|| n as f64 / of as f64);
    Ok(rows
        .into_iter()
        .map(|(department, results, sent, clicked, reported)| DepartmentRates {
            department,
            results,
            sent,
            clicked,
            reported,
            click_rate: share(clicked, sent),
            report_rate: share(reported, sent),
        })
        .collect())
}

/// A simulation with its rates per department.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SimulationDetail {
    pub simulation: SimulationView,
    pub departments: Vec<DepartmentRates>,
}

/// Simulation `id` of the caller's organisation.
pub async fn find(state: &AppState, principal: &Principal, id: i64) -> Result<SimulationRow, AppError> {
    let mut c = state.db.read().await?;
    db::phishing::get(&mut c.conn(), principal.org_id, SimulationId(id))
        .await?
        .ok_or_else(|| AppError::not_found("phishing simulation"))
}

/// `GET /api/v1/phishing/{id}`: one simulation with its rates per department.
#[utoipa::path(get, path = "/api/v1/phishing/{id}", tag = "phishing",
    params(("id" = i64, Path, description = "simulation id")),
    responses((status = 200, body = SimulationDetail), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SimulationDetail>, AppError> {
    let row = find(&state, &principal, id).await?;
    let departments = departments(&state, &principal, row.id).await?;
    Ok(Json(SimulationDetail { simulation: SimulationView::of(row), departments }))
}

/// A page of a simulation's results in file order.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ResultList {
    pub items: Vec<ResultRow>,
    pub total: i64,
}

/// `GET /api/v1/phishing/{id}/results`: the imported results, matched to members where they could be.
#[utoipa::path(get, path = "/api/v1/phishing/{id}/results", tag = "phishing", params(PageQuery,
    ("id" = i64, Path, description = "simulation id")),
    responses((status = 200, body = ResultList), (status = 404, body = ErrorBody)))]
pub async fn results(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<ResultList>, AppError> {
    let (limit, offset) = query.bounds()?;
    let row = find(&state, &principal, id).await?;
    let mut c = state.db.read().await?;
    let items = db::phishing::results(&mut c.conn(), principal.org_id, row.id, limit, offset).await?;
    Ok(Json(ResultList { items, total: row.result_count }))
}

/// Whether to only check the file.
/// `POST /api/v1/phishing/{id}/results/import`: imports GoPhish's campaign results CSV, replacing the
/// simulation's results in one transaction. A file with any problem is reported line by line and nothing is
/// imported.
#[utoipa::path(post, path = "/api/v1/phishing/{id}/results/import", tag = "phishing",
    params(super::DryRun, ("id" = i64, Path, description = "simulation id")),
    request_body(content = String, content_type = "text/csv", description = "GoPhish's campaign results CSV, UTF-8"),
    responses((status = 200, body = ImportReport, description = "Imported, or (dry run) what would be"),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ImportReport, description = "Problems found; nothing was imported")))]
#[tracing::instrument(skip_all)]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<super::DryRun>,
    CsvBody(body): CsvBody,
) -> Result<(StatusCode, Json<ImportReport>), AppError> {
    let ctx = state.ctx(&principal, &request);
    let dry_run = query.on();
    let report =
        phishing::import::import(&ctx, principal.org_id, SimulationId(id), principal.user_id, &body, dry_run).await?;
    let status = if report.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}
