//! `/api/v1/reviews`: the management review schedule and register, planning, opening (compiling the inputs),
//! recompiling, notes, attendance, outputs, completing and closing.

use super::review_views::{ReviewRegister, ReviewView, read_register, read_review};
use crate::domain::ids::UserId;
use crate::domain::leadership::review::OutputKind;
use crate::domain::meeting::Presence;
use crate::domain::objective::parse_date;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::headers::RequestId;
use crate::leadership::review::record::{OutputAction, OutputInput};
use crate::leadership::review::schedule::ScheduleInput;
use crate::leadership::review::{self as reviews, PlanInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// `GET /api/v1/reviews`: the schedule, when the next review is due, and every review.
#[utoipa::path(get, path = "/api/v1/reviews", tag = "reviews", responses((status = 200, body = ReviewRegister)))]
pub async fn list(State(state): State<AppState>, principal: Principal) -> Result<Json<ReviewRegister>, AppError> {
    Ok(Json(read_register(&state, principal.org_id, state.clock.now()).await?))
}

/// The review schedule to set.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// 1 to 24.
    pub every_months: i64,
    /// A top manager.
    pub chair_id: i64,
    /// Members who must attend; the chair is always one of them.
    #[serde(default)]
    pub attendee_ids: Vec<i64>,
}

/// `PATCH /api/v1/reviews/schedule`: sets how often reviews are held, who chairs and who must attend.
#[utoipa::path(patch, path = "/api/v1/reviews/schedule", tag = "reviews", request_body = ScheduleBody,
    responses((status = 200, body = ReviewRegister), (status = 422, body = ErrorBody)))]
pub async fn set_schedule(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<ScheduleBody>,
) -> Result<Json<ReviewRegister>, AppError> {
    let input = ScheduleInput {
        every_months: body.every_months,
        chair: UserId(body.chair_id),
        attendees: body.attendee_ids.into_iter().map(UserId).collect(),
    };
    let ctx = state.ctx(&principal, &request);
    reviews::schedule::set(&ctx, principal.org_id, principal.user_id, &input).await?;
    Ok(Json(read_register(&state, principal.org_id, ctx.now).await?))
}

/// A review to plan.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    pub title: String,
    /// YYYY-MM-DD.
    pub planned_on: String,
    /// A top manager; the schedule's chair when left out.
    pub chair_id: Option<i64>,
}

/// `POST /api/v1/reviews`: plans a review.
#[utoipa::path(post, path = "/api/v1/reviews", tag = "reviews", request_body = PlanBody,
    responses((status = 201, body = ReviewView), (status = 422, body = ErrorBody)))]
pub async fn plan(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<PlanBody>,
) -> Result<(StatusCode, Json<ReviewView>), AppError> {
    let input = PlanInput {
        title: body.title,
        planned_on: parse_date(&body.planned_on, "the planned date")?,
        chair: body.chair_id.map(UserId),
    };
    let ctx = state.ctx(&principal, &request);
    let id = reviews::plan(&ctx, principal.org_id, principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(read_review(&state, principal.org_id, id).await?)))
}

/// `GET /api/v1/reviews/{id}`: a review with its inputs, the previous review's figures, attendance and outputs.
#[utoipa::path(get, path = "/api/v1/reviews/{id}", tag = "reviews", params(("id" = i64, Path, description = "review id")),
    responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewView>, AppError> {
    Ok(Json(read_review(&state, principal.org_id, id).await?))
}

/// `POST /api/v1/reviews/{id}/open`: opens a planned review: holds it in a new meeting today and compiles every input.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/open", tag = "reviews", params(("id" = i64, Path, description = "review id")),
    responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewView>, AppError> {
    let ctx = state.ctx(&principal, &request);
    reviews::open(&ctx, principal.org_id, id, principal.user_id).await?;
    Ok(Json(read_review(&state, principal.org_id, id).await?))
}

/// `POST /api/v1/reviews/{id}/recompile`: compiles the inputs of an open or complete review again from live data.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/recompile", tag = "reviews", params(("id" = i64, Path, description = "review id")),
    responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn recompile(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewView>, AppError> {
    let ctx = state.ctx(&principal, &request);
    reviews::recompile(&ctx, principal.org_id, id).await?;
    Ok(Json(read_review(&state, principal.org_id, id).await?))
}

/// `POST /api/v1/reviews/{id}/complete`: completes a review whose required inputs all have notes and at which a top manager was present; 409 lists what is missing.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/complete", tag = "reviews", params(("id" = i64, Path, description = "review id")),
    responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn complete(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewView>, AppError> {
    let ctx = state.ctx(&principal, &request);
    reviews::complete(&ctx, principal.org_id, id).await?;
    Ok(Json(read_review(&state, principal.org_id, id).await?))
}

/// `POST /api/v1/reviews/{id}/close`: closes a complete review: locks it and its inputs and signs a ledger checkpoint.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/close", tag = "reviews", params(("id" = i64, Path, description = "review id")),
    responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewView>, AppError> {
    let ctx = state.ctx(&principal, &request);
    reviews::close(&ctx, principal.org_id, id).await?;
    Ok(Json(read_review(&state, principal.org_id, id).await?))
}

/// Discussion notes of one input.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotesBody {
    /// Markdown; an input is covered once it has notes.
    pub notes: String,
}

/// `PATCH /api/v1/reviews/{id}/inputs/{key}`: writes the discussion notes of an input.
#[utoipa::path(patch, path = "/api/v1/reviews/{id}/inputs/{key}", tag = "reviews", request_body = NotesBody,
    params(("id" = i64, Path, description = "review id"), ("key" = String, Path, description = "input key, e.g. d2_monitoring")),
    responses((status = 200, body = ReviewView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_notes(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath((id, key)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<NotesBody>,
) -> Result<Json<ReviewView>, AppError> {
    let ctx = state.ctx(&principal, &request);
    reviews::record::set_notes(&ctx, principal.org_id, id, &key, &body.notes, principal.user_id).await?;
    Ok(Json(read_review(&state, principal.org_id, id).await?))
}

/// One person's attendance.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    pub user_id: i64,
    /// present, absent or excused.
    pub presence: String,
}

/// `PATCH /api/v1/reviews/{id}/attendance`: records who attended (replacing what was recorded).
#[utoipa::path(patch, path = "/api/v1/reviews/{id}/attendance", tag = "reviews", request_body = Vec<AttendanceBody>,
    params(("id" = i64, Path, description = "review id")),
    responses((status = 200, body = ReviewView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_attendance(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Vec<AttendanceBody>>,
) -> Result<Json<ReviewView>, AppError> {
    let mut list = Vec::with_capacity(body.len());
    for a in body {
        list.push((UserId(a.user_id), Presence::parse(&a.presence)?));
    }
    let ctx = state.ctx(&principal, &request);
    reviews::record::set_attendance(&ctx, principal.org_id, id, &list).await?;
    Ok(Json(read_review(&state, principal.org_id, id).await?))
}

/// An action arising from a review decision.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputActionBody {
    pub title: String,
    pub owner_id: i64,
    /// YYYY-MM-DD.
    pub due_on: String,
}

/// A decision of the review.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputBody {
    /// improvement, isms_change or resource_need.
    pub kind: String,
    pub text: String,
    /// Who decided; the caller when left out.
    pub decided_by: Option<i64>,
    #[serde(default)]
    pub actions: Vec<OutputActionBody>,
}

/// `POST /api/v1/reviews/{id}/outputs`: records a decision of the review with its actions.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/outputs", tag = "reviews", request_body = OutputBody,
    params(("id" = i64, Path, description = "review id")),
    responses((status = 201, body = ReviewView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_output(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OutputBody>,
) -> Result<(StatusCode, Json<ReviewView>), AppError> {
    let mut actions = Vec::with_capacity(body.actions.len());
    for a in body.actions {
        actions.push(OutputAction {
            title: a.title,
            owner: UserId(a.owner_id),
            due_on: parse_date(&a.due_on, "the due date")?,
        });
    }
    let input = OutputInput {
        kind: OutputKind::parse(&body.kind)?,
        text: body.text,
        decided_by: body.decided_by.map_or(principal.user_id, UserId),
        actions,
    };
    let ctx = state.ctx(&principal, &request);
    reviews::record::add_output(&ctx, principal.org_id, id, principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(read_review(&state, principal.org_id, id).await?)))
}
