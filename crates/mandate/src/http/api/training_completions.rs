//! `/api/v1/training/{id}/enrolments` and `/completions`: who is enrolled and who completed, one completion at a
//! time or imported from CSV (`?dry_run=true` reports without recording).

use crate::communication::training;
use crate::communication::training_import::{self, CompletionReport};
use crate::db;
use crate::db::training::{EnrolmentFilter, EnrolmentRow};
use crate::domain::ids::{TrainingId, UserId};
use crate::domain::objective::{date_text, day_of, parse_date};
use crate::domain::training::is_overdue;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, CsvBody};
use crate::http::headers::RequestId;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// One person's enrolment.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EnrolmentView {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    /// Their department when they were enrolled.
    pub department: Option<String>,
    /// YYYY-MM-DD.
    pub completed_on: Option<String>,
    pub score: Option<f64>,
    pub overdue: bool,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EnrolmentList {
    pub items: Vec<EnrolmentView>,
    pub total: i64,
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentQuery {
    /// true: only people who completed it; false: only people who have not.
    pub completed: Option<bool>,
    /// Only people past the due date without completing it.
    pub overdue: Option<bool>,
    pub department: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A page of a campaign's enrolments for `query`, and how many match.
pub async fn page(
    state: &AppState,
    principal: &Principal,
    id: TrainingId,
    query: &EnrolmentQuery,
) -> Result<(Vec<EnrolmentView>, i64), AppError> {
    let (limit, offset) = super::Paging { limit: query.limit, offset: query.offset, q: None }.bounds()?;
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let campaign = db::training::get(&mut c.conn(), principal.org_id, id, day_of(now))
        .await?
        .ok_or_else(|| AppError::not_found("training campaign"))?;
    let filter = EnrolmentFilter {
        completed: query.completed,
        overdue: query.overdue.unwrap_or(false),
        department: query.department.as_deref().filter(|d| !d.is_empty()),
    };
    let past_due = day_of(campaign.due_on) < day_of(now);
    let (rows, total) =
        db::training::enrolments(&mut c.conn(), principal.org_id, id, &filter, past_due, limit, offset).await?;
    let view = |r: EnrolmentRow| EnrolmentView {
        overdue: is_overdue(r.completed_on, campaign.due_on, now),
        user_id: r.user_id,
        email: r.email,
        name: r.name,
        department: r.department,
        completed_on: r.completed_on.map(date_text),
        score: r.score,
    };
    Ok((rows.into_iter().map(view).collect(), total))
}

/// `GET /api/v1/training/{id}/enrolments`: people still to complete first, then by name.
#[utoipa::path(get, path = "/api/v1/training/{id}/enrolments", tag = "training",
    params(("id" = i64, Path, description = "training campaign id"), EnrolmentQuery),
    responses((status = 200, body = EnrolmentList), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn enrolments(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<EnrolmentQuery>,
) -> Result<Json<EnrolmentList>, AppError> {
    let (items, total) = page(&state, &principal, TrainingId(id), &query).await?;
    Ok(Json(EnrolmentList { items, total }))
}

/// One completion to record.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCompletion {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    /// YYYY-MM-DD; not in the future.
    pub completed_on: String,
    /// A percentage from 0 to 100.
    pub score: Option<f64>,
}

/// `POST /api/v1/training/{id}/completions`: records that one person completed the course.
#[utoipa::path(post, path = "/api/v1/training/{id}/completions", tag = "training", request_body = NewCompletion,
    params(("id" = i64, Path, description = "training campaign id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn complete(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewCompletion>,
) -> Result<StatusCode, AppError> {
    let on = parse_date(&body.completed_on, "completed_on")?;
    let ctx = state.ctx(&principal, &request);
    training::complete(&ctx, principal.org_id, TrainingId(id), principal.user_id, body.user_id, on, body.score).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/training/{id}/completions/import`
#[utoipa::path(post, path = "/api/v1/training/{id}/completions/import", tag = "training",
    params(("id" = i64, Path, description = "training campaign id"), super::DryRun),
    request_body(content = String, content_type = "text/csv",
        description = "UTF-8; a header line naming the columns email and completed_on (YYYY-MM-DD), and optionally score (0–100); one person per line."),
    responses((status = 200, body = CompletionReport, description = "The report; `applied` says whether the completions were recorded"),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = CompletionReport, description = "Rows with errors; nothing was recorded")))]
#[tracing::instrument(skip_all)]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<super::DryRun>,
    CsvBody(body): CsvBody,
) -> Result<(StatusCode, Json<CompletionReport>), AppError> {
    let ctx = state.ctx(&principal, &request);
    let dry_run = query.on();
    let report =
        training_import::import(&ctx, principal.org_id, principal.user_id, TrainingId(id), &body, dry_run).await?;
    let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}
