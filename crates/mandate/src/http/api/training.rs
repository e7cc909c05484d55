//! `/api/v1/training`: awareness training campaigns (ISO/IEC 27001 7.2, 7.3) with their completion rates,
//! overall and per department.

use crate::clock::rfc3339;
use crate::communication::training::{self, TrainingInput};
use crate::db;
use crate::db::training::{CampaignRow, DepartmentTally};
use crate::domain::campaign::Audience;
use crate::domain::communication::rate;
use crate::domain::ids::{TrainingId, UserId};
use crate::domain::objective::{date_text, day_of, parse_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A training campaign with its tally.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TrainingView {
    #[schema(value_type = i64)]
    pub id: TrainingId,
    pub title: String,
    pub description: String,
    pub audience: Audience,
    pub audience_label: String,
    /// YYYY-MM-DD.
    pub due_on: String,
    #[schema(value_type = i64)]
    pub launched_by: UserId,
    pub launcher_name: String,
    #[schema(value_type = i64)]
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub launched_at: String,
    pub enrolled: i64,
    pub completed: i64,
    /// People who have not completed it after the due date.
    pub overdue: i64,
    /// Per cent of the people enrolled who completed it.
    pub completion_rate: Option<f64>,
}

impl TrainingView {
    pub fn of(row: CampaignRow) -> Self {
        Self {
            id: row.id,
            audience: serde_json::from_str(&row.audience).unwrap_or_default(),
            audience_label: row.audience_label,
            due_on: date_text(row.due_on),
            launched_by: row.launched_by,
            launcher_name: row.launcher_name,
            recorded_by: row.recorded_by,
            recorder_name: row.recorder_name,
            launched_at: rfc3339(row.launched_at),
            completion_rate: rate(row.completed, row.enrolled),
            enrolled: row.enrolled,
            completed: row.completed,
            overdue: row.overdue,
            title: row.title,
            description: row.description,
        }
    }
}

/// Completion in one department (as people's departments were when they were enrolled).
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DepartmentView {
    pub department: Option<String>,
    pub enrolled: i64,
    pub completed: i64,
    pub completion_rate: Option<f64>,
}

impl DepartmentView {
    pub fn of(t: DepartmentTally) -> Self {
        Self {
            completion_rate: rate(t.completed, t.enrolled),
            department: t.department,
            enrolled: t.enrolled,
            completed: t.completed,
        }
    }
}

/// A campaign with completion per department.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TrainingDetail {
    #[serde(flatten)]
    pub campaign: TrainingView,
    pub departments: Vec<DepartmentView>,
}

/// A campaign to launch; its audience is enrolled at once.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTraining {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub audience: Audience,
    /// YYYY-MM-DD.
    pub due_on: String,
    /// Who launches (sponsors) it; the caller when left out.
    #[schema(value_type = Option<i64>)]
    pub launched_by: Option<UserId>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TrainingList {
    pub items: Vec<TrainingView>,
    pub total: i64,
}

/// `GET /api/v1/training`: latest first.
#[utoipa::path(get, path = "/api/v1/training", tag = "training", params(super::Paging),
    responses((status = 200, body = TrainingList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(paging): ApiQuery<super::Paging>,
) -> Result<Json<TrainingList>, AppError> {
    let (limit, offset) = paging.bounds()?;
    let today = day_of(state.clock.now());
    let mut c = state.db.read().await?;
    let (rows, total) = db::training::list(&mut c.conn(), principal.org_id, today, limit, offset).await?;
    Ok(Json(TrainingList { items: rows.into_iter().map(TrainingView::of).collect(), total }))
}

/// Campaign `id` of the caller's organisation with its departments.
pub async fn detail(state: &AppState, principal: &Principal, id: TrainingId) -> Result<TrainingDetail, AppError> {
    let mut c = state.db.read().await?;
    let today = day_of(state.clock.now());
    let row = db::training::get(&mut c.conn(), principal.org_id, id, today)
        .await?
        .ok_or_else(|| AppError::not_found("training campaign"))?;
    let departments = db::training::by_department(&mut c.conn(), principal.org_id, id).await?;
    Ok(TrainingDetail {
        campaign: TrainingView::of(row),
        departments: departments.into_iter().map(DepartmentView::of).collect(),
    })
}

/// `POST /api/v1/training`: launches a campaign and enrols its audience.
#[utoipa::path(post, path = "/api/v1/training", tag = "training", request_body = NewTraining,
    responses((status = 201, body = TrainingDetail), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewTraining>,
) -> Result<(StatusCode, Json<TrainingDetail>), AppError> {
    let input = TrainingInput {
        title: body.title,
        description: body.description,
        audience: body.audience,
        due_on: parse_date(&body.due_on, "due_on")?,
        launched_by: body.launched_by,
    };
    let ctx = state.ctx(&principal, &request);
    let row = training::launch(&ctx, principal.org_id, principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, &principal, row.id).await?)))
}

/// `GET /api/v1/training/{id}`
#[utoipa::path(get, path = "/api/v1/training/{id}", tag = "training",
    params(("id" = i64, Path, description = "training campaign id")),
    responses((status = 200, body = TrainingDetail), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TrainingDetail>, AppError> {
    Ok(Json(detail(&state, &principal, TrainingId(id)).await?))
}
