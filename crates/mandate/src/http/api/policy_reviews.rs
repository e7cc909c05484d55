//! `/api/v1/policies/{id}/reviews` and `/exceptions`: the review cycle and exceptions to a policy.

use super::policies::{load, who};
use crate::clock::{parse_time, rfc3339};
use crate::db;
use crate::domain::ids::{PolicyExceptionId, PolicyId};
use crate::domain::policy_exception::{Decision, effective_status};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::headers::RequestId;
use crate::policies::{self, exception};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub reviewed_by: String,
    pub reviewed_at: String,
    /// no_change or changes_needed.
    pub outcome: String,
    pub note: String,
}

#[utoipa::path(get, path = "/api/v1/policies/{id}/reviews", tag = "policies", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ReviewView>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn reviews(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ReviewView>>, AppError> {
    let (row, _) = load(&state, &principal, id).await?;
    let mut c = state.db.read().await?;
    let rows = db::policy::reviews(&mut c.conn(), principal.org_id, row.id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ReviewView {
                reviewed_by: r.reviewer_name,
                reviewed_at: rfc3339(r.reviewed_at),
                outcome: r.outcome,
                note: r.note,
            })
            .collect(),
    ))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// no_change or changes_needed.
    pub outcome: String,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/reviews", tag = "policies", params(("id" = i64, Path)),
    request_body = ReviewBody, responses((status = 201, body = ReviewView), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn record_review(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<(StatusCode, Json<ReviewView>), AppError> {
    let ctx = state.ctx(&principal, &request);
    policies::record_review(&ctx, principal.org_id, PolicyId(id), who(&principal), &body.outcome, &body.note).await?;
    let view = ReviewView {
        reviewed_by: principal.name.clone(),
        reviewed_at: rfc3339(ctx.now),
        outcome: body.outcome,
        note: body.note,
    };
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ExceptionView {
    pub id: i64,
    pub summary: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    pub expires_at: String,
    /// The expiry as a date (YYYY-MM-DD).
    pub expires_on: String,
    /// requested, approved, refused, revoked, or expired (approved and past its expiry).
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

impl ExceptionView {
    pub fn of(row: &db::policy_exception::ExceptionRow, now: i64) -> Self {
        Self {
            id: row.id.0,
            summary: row.summary.clone(),
            reason: row.reason.clone(),
            requested_by: row.requester_name.clone(),
            requested_at: rfc3339(row.requested_at),
            expires_at: rfc3339(row.expires_at),
            expires_on: crate::http::pages::policies::day(row.expires_at),
            status: effective_status(&row.status, row.expires_at, now).to_string(),
            decided_by: row.decider_name.clone(),
            decided_at: row.decided_at.map(rfc3339),
            decision_note: row.decision_note.clone(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/policies/{id}/exceptions", tag = "policies", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ExceptionView>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn exceptions(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ExceptionView>>, AppError> {
    let (row, _) = load(&state, &principal, id).await?;
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let rows = db::policy_exception::list(&mut c.conn(), principal.org_id, row.id).await?;
    Ok(Json(rows.iter().map(|r| ExceptionView::of(r, now)).collect()))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionBody {
    pub summary: String,
    pub reason: String,
    /// The last day the exception applies (YYYY-MM-DD or RFC 3339).
    pub expires_on: String,
}

/// Parses an end date as the end of that day (UTC).
pub fn parse_expiry(text: &str) -> Result<i64, AppError> {
    let text = text.trim();
    let at = parse_time(text)
        .ok_or_else(|| AppError::Invalid(format!("'{text}' is not a date; use YYYY-MM-DD, e.g. 2027-06-30")))?;
    Ok(if text.len() == 10 { at + 86_399 } else { at })
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/exceptions", tag = "policies", params(("id" = i64, Path)),
    request_body = ExceptionBody, responses((status = 201, body = ExceptionView), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn request_exception(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ExceptionBody>,
) -> Result<(StatusCode, Json<ExceptionView>), AppError> {
    let (row, _) = load(&state, &principal, id).await?;
    let expires = parse_expiry(&body.expires_on)?;
    let ctx = state.ctx(&principal, &request);
    let eid = exception::request(&ctx, principal.org_id, row.id, who(&principal), &body.summary, &body.reason, expires)
        .await?;
    fetch(&state, &principal, row.id, eid).await.map(|v| (StatusCode::CREATED, Json(v)))
}

async fn fetch(
    state: &AppState,
    principal: &Principal,
    policy: PolicyId,
    id: PolicyExceptionId,
) -> Result<ExceptionView, AppError> {
    let mut c = state.db.read().await?;
    let row = db::policy_exception::get(&mut c.conn(), principal.org_id, policy, id)
        .await?
        .ok_or_else(|| AppError::not_found("exception"))?;
    Ok(ExceptionView::of(&row, state.clock.now()))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// approve, refuse or revoke.
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/exceptions/{exception_id}/decision", tag = "policies",
    params(("id" = i64, Path), ("exception_id" = i64, Path)), request_body = DecisionBody,
    responses((status = 200, body = ExceptionView), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn decide(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath((id, exception_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Json<ExceptionView>, AppError> {
    let decision = Decision::parse(&body.decision)?;
    let ctx = state.ctx(&principal, &request);
    let eid = PolicyExceptionId(exception_id);
    exception::decide(&ctx, principal.org_id, PolicyId(id), eid, who(&principal), decision, &body.note).await?;
    fetch(&state, &principal, PolicyId(id), eid).await.map(Json)
}
