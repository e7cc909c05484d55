//! `/api/v1/actions`: actions arising from meetings — record, list (owner, status, overdue), read, close as done,
//! cancel — and follow-through per person. Employees see and close only the actions they own.

use super::meeting_views::{ActionView, FollowThroughView};
use crate::db;
use crate::db::meeting_action::{ActionRow, Filter};
use crate::domain::ids::{ActionId, DecisionId, MeetingId, UserId};
use crate::domain::meeting::{ActionStatus, may_read_action};
use crate::domain::objective::parse_date;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::api::objectives::acting;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::meetings::actions::{self, ActionInput, Closing};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Action `id` of the caller's organisation, if the caller may read it: 404 when it is not the organisation's,
/// 403 when an employee asks for someone else's.
pub async fn readable(state: &AppState, principal: &Principal, id: i64) -> Result<ActionRow, AppError> {
    let mut c = state.db.read().await?;
    let row = db::meeting_action::get(&mut c.conn(), principal.org_id, ActionId(id))
        .await?
        .ok_or_else(|| AppError::not_found("action"))?;
    if !may_read_action(principal.role, principal.user_id, row.owner_id) {
        return Err(AppError::Forbidden("employees see only the actions they own".into()));
    }
    Ok(row)
}

/// The list's filters and paging.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActionQuery {
    pub owner_id: Option<i64>,
    /// open, done or cancelled.
    pub status: Option<String>,
    /// Only open actions past their due day.
    pub overdue: Option<bool>,
    pub meeting_id: Option<i64>,
    pub decision_id: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The checked filter; employees are limited to their own actions.
pub fn action_filter<'a>(
    principal: &Principal,
    owner: Option<i64>,
    status: Option<&'a str>,
    overdue: bool,
    now: i64,
) -> Result<Filter<'a>, AppError> {
    let status = status.filter(|s| !s.is_empty()).map(ActionStatus::parse).transpose()?;
    let owner = match principal.role {
        Role::Employee => Some(principal.user_id),
        _ => owner.map(UserId),
    };
    Ok(Filter {
        owner,
        status: status.map(ActionStatus::as_str),
        overdue_at: overdue.then_some(now),
        ..Filter::default()
    })
}

/// A page of actions and how many match in all.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ActionList {
    pub items: Vec<ActionView>,
    pub total: i64,
}

/// `GET /api/v1/actions`: open ones first, soonest due first.
#[utoipa::path(get, path = "/api/v1/actions", tag = "meetings", params(ActionQuery),
    responses((status = 200, body = ActionList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<ActionQuery>,
) -> Result<Json<ActionList>, AppError> {
    let (limit, offset) = super::Paging { limit: query.limit, offset: query.offset, q: None }.bounds()?;
    let now = state.clock.now();
    let mut filter =
        action_filter(&principal, query.owner_id, query.status.as_deref(), query.overdue.unwrap_or(false), now)?;
    filter.meeting = query.meeting_id.map(MeetingId);
    filter.decision = query.decision_id.map(DecisionId);
    let mut c = state.db.read().await?;
    let (rows, total) = db::meeting_action::list(&mut c.conn(), principal.org_id, &filter, limit, offset).await?;
    Ok(Json(ActionList { items: rows.into_iter().map(|r| ActionView::of(r, now)).collect(), total }))
}

/// An action to record.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActionBody {
    pub title: String,
    pub owner_id: i64,
    /// YYYY-MM-DD; not before the meeting.
    pub due_on: String,
    /// The decision of this meeting it arises from; none for an action from the meeting itself.
    pub decision_id: Option<i64>,
}

/// `POST /api/v1/meetings/{id}/actions`: records an action arising from the meeting or one of its decisions.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/actions", tag = "meetings", request_body = NewActionBody,
    params(("id" = i64, Path, description = "meeting id")),
    responses((status = 201, body = ActionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewActionBody>,
) -> Result<(StatusCode, Json<ActionView>), AppError> {
    let input = ActionInput {
        decision: body.decision_id.map(DecisionId),
        title: body.title,
        owner: UserId(body.owner_id),
        due_on: parse_date(&body.due_on, "the due date")?,
    };
    let ctx = state.ctx(&principal, &request);
    let action = actions::add(&ctx, principal.org_id, MeetingId(id), principal.user_id, &input).await?;
    let row = readable(&state, &principal, action.0).await?;
    Ok((StatusCode::CREATED, Json(ActionView::of(row, ctx.now))))
}

/// `GET /api/v1/actions/{id}`
#[utoipa::path(get, path = "/api/v1/actions/{id}", tag = "meetings", params(("id" = i64, Path, description = "action id")),
    responses((status = 200, body = ActionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ActionView>, AppError> {
    let row = readable(&state, &principal, id).await?;
    Ok(Json(ActionView::of(row, state.clock.now())))
}

/// Closing an action as done.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// What was done.
    #[serde(default)]
    pub note: String,
}

/// Cancelling an action.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// Why it is no longer needed.
    pub reason: String,
}

async fn close_as(
    state: &AppState,
    principal: &Principal,
    request: &RequestId,
    id: i64,
    closing: Closing,
) -> Result<Json<ActionView>, AppError> {
    readable(state, principal, id).await?;
    let ctx = state.ctx(principal, request);
    let row = actions::close(&ctx, principal.org_id, ActionId(id), acting(principal), &closing).await?;
    Ok(Json(ActionView::of(row, ctx.now)))
}

/// `POST /api/v1/actions/{id}/close`: the owner (or the ISMS manager, an administrator) marks it done.
#[utoipa::path(post, path = "/api/v1/actions/{id}/close", tag = "meetings", request_body = CloseBody,
    params(("id" = i64, Path, description = "action id")),
    responses((status = 200, body = ActionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn close(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CloseBody>,
) -> Result<Json<ActionView>, AppError> {
    close_as(&state, &principal, &request, id, Closing::Done { note: body.note }).await
}

/// `POST /api/v1/actions/{id}/cancel`: cancels it, with the reason.
#[utoipa::path(post, path = "/api/v1/actions/{id}/cancel", tag = "meetings", request_body = CancelBody,
    params(("id" = i64, Path, description = "action id")),
    responses((status = 200, body = ActionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn cancel(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CancelBody>,
) -> Result<Json<ActionView>, AppError> {
    close_as(&state, &principal, &request, id, Closing::Cancelled { reason: body.reason }).await
}

/// One person's follow-through over the actions they own.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PersonFollowThrough {
    pub owner_id: i64,
    pub owner_name: String,
    pub follow_through: FollowThroughView,
}

/// `GET /api/v1/actions/follow-through`: follow-through per action owner, by name.
#[utoipa::path(get, path = "/api/v1/actions/follow-through", tag = "meetings",
    responses((status = 200, body = Vec<PersonFollowThrough>)))]
#[tracing::instrument(skip_all)]
pub async fn follow_through(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<PersonFollowThrough>>, AppError> {
    let mut c = state.db.read().await?;
    let rows = db::meeting_action::follow_through_by_owner(&mut c.conn(), principal.org_id, state.clock.now()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| PersonFollowThrough {
                owner_id: r.owner_id.0,
                owner_name: r.owner_name,
                follow_through: r.counts.into(),
            })
            .collect(),
    ))
}
