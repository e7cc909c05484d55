//! `/api/v1/objectives/{id}/measurements`: the time series of an objective (ISO/IEC 27001 9.1). Measurements
//! are recorded and withdrawn, never edited or deleted.

use super::objectives::{acting, visible};
use crate::clock::rfc3339;
use crate::db;
use crate::db::measurement::MeasurementRow;
use crate::domain::ids::{EvidenceId, MeasurementId, ObjectiveId, UserId};
use crate::domain::objective::{date_text, parse_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::headers::RequestId;
use crate::measurements::{self, MeasurementInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A piece of evidence attached to a measurement (attach with record_type `measurement`).
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EvidenceRef {
    #[schema(value_type = i64)]
    pub id: EvidenceId,
    pub title: String,
}

/// One measurement. A withdrawn one stays in the list, marked, and no longer counts towards progress.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MeasurementView {
    #[schema(value_type = i64)]
    pub id: MeasurementId,
    #[schema(value_type = i64)]
    pub objective_id: ObjectiveId,
    pub value: f64,
    /// YYYY-MM-DD.
    pub measured_on: String,
    pub note: String,
    #[schema(value_type = i64)]
    pub measured_by: UserId,
    pub measured_by_name: String,
    pub recorded_at: String,
    pub withdrawn: bool,
    pub withdrawn_at: Option<String>,
    pub withdrawn_by_name: Option<String>,
    pub withdraw_reason: Option<String>,
    pub evidence: Vec<EvidenceRef>,
}

impl MeasurementView {
    fn of(row: MeasurementRow, evidence: Vec<EvidenceRef>) -> Self {
        Self {
            id: row.id,
            objective_id: row.objective_id,
            value: row.value,
            measured_on: date_text(row.measured_on),
            note: row.note,
            measured_by: row.measured_by,
            measured_by_name: row.measurer_name,
            recorded_at: rfc3339(row.recorded_at),
            withdrawn: row.withdrawn_at.is_some(),
            withdrawn_at: row.withdrawn_at.map(rfc3339),
            withdrawn_by_name: row.withdrawer_name,
            withdraw_reason: row.withdraw_reason,
            evidence,
        }
    }
}

/// An objective's measurements.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MeasurementList {
    /// Oldest first, withdrawn ones included.
    pub items: Vec<MeasurementView>,
    pub total: i64,
}

/// `GET /api/v1/objectives/{id}/measurements`: the whole history, withdrawn measurements included.
#[utoipa::path(get, path = "/api/v1/objectives/{id}/measurements", tag = "objectives",
    params(("id" = i64, Path, description = "objective id")),
    responses((status = 200, body = MeasurementList), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeasurementList>, AppError> {
    let objective = visible(&state, &principal, id).await?;
    let mut c = state.db.read().await?;
    let rows = db::measurement::for_objective(&mut c.conn(), principal.org_id, objective.id).await?;
    let mut evidence = db::measurement::evidence(&mut c.conn(), principal.org_id, objective.id).await?;
    let items: Vec<MeasurementView> = rows
        .into_iter()
        .map(|row| {
            let attached = evidence.extract_if(.., |(m, _, _)| *m == row.id);
            let attached = attached.map(|(_, id, title)| EvidenceRef { id, title }).collect();
            MeasurementView::of(row, attached)
        })
        .collect();
    Ok(Json(MeasurementList { total: items.len() as i64, items }))
}

/// A measurement to record; the caller is recorded as who measured.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeasurement {
    pub value: f64,
    /// The day it was measured (YYYY-MM-DD): not in the future, at most a year before the objective was set.
    pub measured_on: String,
    pub note: Option<String>,
}

/// `POST /api/v1/objectives/{id}/measurements`: records a measurement taken by the caller.
#[utoipa::path(post, path = "/api/v1/objectives/{id}/measurements", tag = "objectives",
    request_body = NewMeasurement, params(("id" = i64, Path, description = "objective id")),
    responses((status = 201, body = MeasurementView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<NewMeasurement>,
) -> Result<(StatusCode, Json<MeasurementView>), AppError> {
    let input = MeasurementInput {
        value: input.value,
        measured_on: parse_date(&input.measured_on, "measured_on")?,
        note: input.note.unwrap_or_default(),
    };
    let ctx = state.ctx(&principal, &request);
    let row = measurements::add(&ctx, principal.org_id, acting(&principal), ObjectiveId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(MeasurementView::of(row, Vec::new()))))
}

/// Why a measurement is withdrawn (e.g. "typed 78 for 87").
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub reason: String,
}

/// `POST …/measurements/{measurement_id}/withdraw`: marks a wrong measurement withdrawn, keeping it.
#[utoipa::path(post, path = "/api/v1/objectives/{id}/measurements/{measurement_id}/withdraw",
    tag = "objectives", request_body = Withdrawal,
    params(("id" = i64, Path, description = "objective id"),
        ("measurement_id" = i64, Path, description = "measurement id")),
    responses((status = 200, body = MeasurementView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn withdraw(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath((id, measurement)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<Withdrawal>,
) -> Result<Json<MeasurementView>, AppError> {
    let ctx = state.ctx(&principal, &request);
    let (objective, measurement) = (ObjectiveId(id), MeasurementId(measurement));
    let row = measurements::withdraw(&ctx, principal.org_id, acting(&principal), objective, measurement, &input.reason)
        .await?;
    Ok(Json(MeasurementView::of(row, Vec::new())))
}
