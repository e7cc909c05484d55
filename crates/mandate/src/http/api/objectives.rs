//! `/api/v1/objectives`: set, list, read and change objectives (ISO/IEC 27001 6.2) with their derived progress.

use super::objective_input::{NewObjective, ObjectiveChange};
use crate::clock::{UnixTime, rfc3339};
use crate::db;
use crate::db::objective::{Filter, ObjectiveRow, Sort};
use crate::domain::ids::{ObjectiveId, UserId};
use crate::domain::objective::{Acting, Direction, Kind, Status, date_text, may_see};
use crate::domain::progress::{Assessment, Progress};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::objectives;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Where an open objective stands, worked out from its measurements (see the rule on the objective page).
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ProgressView {
    pub status: Progress,
    /// Why, in words.
    pub reason: String,
    pub latest_value: Option<f64>,
    pub latest_on: Option<String>,
    /// The recent trend's value on the due date, when there is a trend.
    pub projected_value: Option<f64>,
}

/// An objective.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ObjectiveView {
    #[schema(value_type = i64)]
    pub id: ObjectiveId,
    pub statement: String,
    pub kind: Kind,
    /// The manager a personal objective belongs to.
    #[schema(value_type = Option<i64>)]
    pub person_id: Option<UserId>,
    pub person_name: Option<String>,
    #[schema(value_type = i64)]
    pub owner_id: UserId,
    pub owner_name: String,
    pub target_value: f64,
    pub unit: String,
    pub direction: Direction,
    /// YYYY-MM-DD.
    pub due_on: String,
    pub resources: String,
    pub evaluation_method: String,
    /// monthly, quarterly, half_yearly, yearly or days.
    pub frequency: String,
    /// The evaluation interval in days.
    pub frequency_days: i64,
    pub policy_id: Option<i64>,
    pub status: Status,
    pub status_note: String,
    /// Null once the objective is achieved or abandoned.
    pub progress: Option<ProgressView>,
    pub created_at: String,
    pub updated_at: String,
    pub closed_at: Option<String>,
}

impl ObjectiveView {
    pub fn of(row: ObjectiveRow, assessment: Option<Assessment>) -> Self {
        Self {
            id: row.id,
            kind: Kind::parse(&row.kind).unwrap_or(Kind::Organisational),
            person_id: row.person_id,
            person_name: row.person_name,
            owner_id: row.owner_id,
            owner_name: row.owner_name,
            target_value: row.target_value,
            unit: row.unit,
            direction: Direction::parse(&row.direction).unwrap_or(Direction::AtLeast),
            due_on: date_text(row.due_on),
            resources: row.resources,
            evaluation_method: row.evaluation_method,
            frequency: row.frequency,
            frequency_days: row.frequency_days,
            policy_id: row.policy_id,
            status: Status::parse(&row.status).unwrap_or(Status::Open),
            status_note: row.status_note,
            progress: assessment.map(|a| ProgressView {
                status: a.progress,
                reason: a.reason,
                latest_value: a.latest.map(|r| r.value),
                latest_on: a.latest.map(|r| date_text(r.on)),
                projected_value: a.projected,
            }),
            created_at: rfc3339(row.created_at),
            updated_at: rfc3339(row.updated_at),
            closed_at: row.closed_at.map(rfc3339),
            statement: row.statement,
        }
    }
}

/// The person acting, as the objective rules see them.
pub fn acting(principal: &Principal) -> Acting {
    Acting { user: principal.user_id, role: principal.role }
}

/// Objective `id` of the caller's organisation, if the caller may see it; otherwise not found.
pub async fn visible(state: &AppState, principal: &Principal, id: i64) -> Result<ObjectiveRow, AppError> {
    let mut c = state.db.read().await?;
    let row = db::objective::get(&mut c.conn(), principal.org_id, ObjectiveId(id)).await?;
    row.filter(|r| Kind::parse(&r.kind).is_ok_and(|kind| may_see(acting(principal), kind, r.person_id)))
        .ok_or_else(|| AppError::not_found("objective"))
}

/// The view of a row with its progress as of `now`.
async fn view(
    state: &AppState,
    principal: &Principal,
    row: ObjectiveRow,
    now: UnixTime,
) -> Result<ObjectiveView, AppError> {
    let mut c = state.db.read().await?;
    let mut rows = objectives::with_progress(&mut c.conn(), principal.org_id, vec![row], now).await?;
    let tracked = rows.pop().ok_or_else(|| AppError::not_found("objective"))?;
    Ok(ObjectiveView::of(tracked.row, tracked.assessment))
}

/// The register's filters, order and paging.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveQuery {
    pub owner_id: Option<i64>,
    pub person_id: Option<i64>,
    /// open, achieved or abandoned.
    pub status: Option<String>,
    /// organisational or personal.
    pub kind: Option<String>,
    /// Only objectives whose statement contains this text.
    pub q: Option<String>,
    /// due (default), statement, owner or created.
    pub sort: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl ObjectiveQuery {
    /// The checked filter and order; employees are limited to what they may see.
    pub fn filter(&self, principal: &Principal) -> Result<(Filter<'_>, Sort), AppError> {
        let status = self.status.as_deref().filter(|s| !s.is_empty()).map(Status::parse).transpose()?;
        let kind = self.kind.as_deref().filter(|k| !k.is_empty()).map(Kind::parse).transpose()?;
        let sort = match self.sort.as_deref().filter(|s| !s.is_empty()) {
            None => Sort::default(),
            Some(name) => Sort::parse(name).ok_or_else(|| {
                AppError::Invalid(format!("unknown sort '{name}'; use one of {}", Sort::NAMES.join(", ")))
            })?,
        };
        let filter = Filter {
            owner: self.owner_id.map(UserId),
            person: self.person_id.map(UserId),
            status: status.map(Status::as_str),
            kind: kind.map(Kind::as_str),
            visible_to: (principal.role == Role::Employee).then_some(principal.user_id),
            search: self.q.as_deref().unwrap_or(""),
        };
        Ok((filter, sort))
    }
}

/// A page of objectives and how many match in all.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ObjectiveList {
    pub items: Vec<ObjectiveView>,
    pub total: i64,
}

/// `GET /api/v1/objectives`: a page of the register, filtered and sorted.
#[utoipa::path(get, path = "/api/v1/objectives", tag = "objectives", params(ObjectiveQuery),
    responses((status = 200, body = ObjectiveList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<ObjectiveQuery>,
) -> Result<Json<ObjectiveList>, AppError> {
    let paging = super::Paging { limit: query.limit, offset: query.offset, q: None };
    let (limit, offset) = paging.bounds()?;
    let (filter, sort) = query.filter(&principal)?;
    let mut c = state.db.read().await?;
    let (rows, total) = db::objective::list(&mut c.conn(), principal.org_id, &filter, sort, limit, offset).await?;
    let items = objectives::with_progress(&mut c.conn(), principal.org_id, rows, state.clock.now()).await?;
    let items = items.into_iter().map(|t| ObjectiveView::of(t.row, t.assessment)).collect();
    Ok(Json(ObjectiveList { items, total }))
}

/// `POST /api/v1/objectives`: sets an objective; the caller owns it unless `owner_id` names someone.
#[utoipa::path(post, path = "/api/v1/objectives", tag = "objectives", request_body = NewObjective,
    responses((status = 201, body = ObjectiveView), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(input): ApiJson<NewObjective>,
) -> Result<(StatusCode, Json<ObjectiveView>), AppError> {
    let input = input.into_input(principal.user_id)?;
    let ctx = state.ctx(&principal, &request);
    let row = objectives::create(&ctx, principal.org_id, principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &principal, row, ctx.now).await?)))
}

/// `GET /api/v1/objectives/{id}`: one objective with its progress.
#[utoipa::path(get, path = "/api/v1/objectives/{id}", tag = "objectives",
    params(("id" = i64, Path, description = "objective id")),
    responses((status = 200, body = ObjectiveView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ObjectiveView>, AppError> {
    let row = visible(&state, &principal, id).await?;
    Ok(Json(view(&state, &principal, row, state.clock.now()).await?))
}

/// `PATCH /api/v1/objectives/{id}`: changes fields and/or the status.
#[utoipa::path(patch, path = "/api/v1/objectives/{id}", tag = "objectives", request_body = ObjectiveChange,
    params(("id" = i64, Path, description = "objective id")),
    responses((status = 200, body = ObjectiveView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ObjectiveChange>,
) -> Result<Json<ObjectiveView>, AppError> {
    let (patch, status) = input.into_patch()?;
    let ctx = state.ctx(&principal, &request);
    let status = status.as_ref().map(|(s, note)| (*s, note.as_str()));
    let row = objectives::change(&ctx, principal.org_id, ObjectiveId(id), &patch, status).await?;
    Ok(Json(view(&state, &principal, row, ctx.now).await?))
}
