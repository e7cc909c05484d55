//! `/api/v1/leadership`: the Leadership Evidence Index (duties, managers, overall, trend), one duty with the
//! records behind its verdict, and the organisation's freshness windows.

use crate::db::{self, leadership_records::EvidenceRecord};
use crate::domain::leadership::{Duty, Finding};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::headers::RequestId;
use crate::leadership::index::{DutyLine, Index};
use axum::Json;
use axum::extract::State;

/// The index with the findings that stand against it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct IndexView {
    #[serde(flatten)]
    pub index: Index,
    pub findings: Vec<Finding>,
}

#[utoipa::path(get, path = "/api/v1/leadership", tag = "leadership",
    responses((status = 200, body = IndexView), (status = 403, body = crate::http::error::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn index(State(state): State<AppState>, principal: Principal) -> Result<Json<IndexView>, AppError> {
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let snapshot = state.leadership.snapshot(&mut c.conn(), principal.org_id, now).await?;
    Ok(Json(IndexView { index: snapshot.index.clone(), findings: snapshot.findings.clone() }))
}

/// One duty and the records behind its verdict, per kind of evidence.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DutyView {
    #[serde(flatten)]
    pub line: DutyLine,
    pub default_window_days: i64,
    /// Per kind of evidence (in the order of `parts`), up to 100 records from the window and the year before it.
    pub records: Vec<Vec<EvidenceRecord>>,
}

#[utoipa::path(get, path = "/api/v1/leadership/duties/{duty}", tag = "leadership",
    params(("duty" = String, Path, description = "the duty's key, e.g. 5.1a, 7.1, 9.3, nis2-20.2")),
    responses((status = 200, body = DutyView), (status = 404, body = crate::http::error::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn duty(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(key): ApiPath<String>,
) -> Result<Json<DutyView>, AppError> {
    let duty = Duty::parse(&key).map_err(|_| AppError::not_found("duty"))?;
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let snapshot = state.leadership.snapshot(&mut c.conn(), principal.org_id, now).await?;
    let line = snapshot.index.duty(duty)?;
    let from = now - (line.judged.window_days + 365) * 86_400;
    let mut records = Vec::new();
    for part in &line.judged.parts {
        records
            .push(db::leadership_records::records(&mut c.conn(), principal.org_id, part.kind, from, now, 100).await?);
    }
    Ok(Json(DutyView { line, default_window_days: duty.default_window_days(), records }))
}

/// A freshness window to set.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowBody {
    /// Days, 30–1095.
    pub window_days: i64,
}

/// A duty's window.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct WindowView {
    pub duty: Duty,
    pub key: &'static str,
    pub window_days: i64,
    pub default_window_days: i64,
}

#[utoipa::path(get, path = "/api/v1/leadership/windows", tag = "leadership",
    responses((status = 200, body = Vec<WindowView>)))]
#[tracing::instrument(skip_all)]
pub async fn windows(State(state): State<AppState>, principal: Principal) -> Result<Json<Vec<WindowView>>, AppError> {
    let mut c = state.db.read().await?;
    let windows = crate::leadership::index::windows(&mut c.conn(), principal.org_id).await?;
    Ok(Json(
        Duty::ALL
            .iter()
            .map(|d| WindowView {
                duty: *d,
                key: d.as_str(),
                window_days: windows[d],
                default_window_days: d.default_window_days(),
            })
            .collect(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/leadership/windows/{duty}", tag = "leadership", request_body = WindowBody,
    params(("duty" = String, Path, description = "the duty's key")),
    responses((status = 200, body = WindowView), (status = 422, body = crate::http::error::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn set_window(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<WindowBody>,
) -> Result<Json<WindowView>, AppError> {
    let duty = Duty::parse(&key).map_err(|_| AppError::not_found("duty"))?;
    let ctx = state.ctx(&principal, &request);
    crate::leadership::windows::set(&ctx, principal.org_id, principal.user_id, &[(duty, body.window_days)]).await?;
    Ok(Json(WindowView {
        duty,
        key: duty.as_str(),
        window_days: body.window_days,
        default_window_days: duty.default_window_days(),
    }))
}
