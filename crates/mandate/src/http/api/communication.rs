//! `/api/v1/communication/plan`: the communication plan (ISO/IEC 27001 7.4) — what is communicated, when, by
//! whom, to whom and how — with when each entry is next due and what is known of its reach.

use crate::clock::rfc3339;
use crate::communication::{self, PlanInput};
use crate::db;
use crate::db::communication::{EntryRow, Reach};
use crate::domain::campaign::Audience;
use crate::domain::communication::{Cadence, Channel, rate};
use crate::domain::ids::{PlanEntryId, UserId};
use crate::domain::objective::{date_text, parse_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// An entry of the communication plan.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PlanEntryView {
    #[schema(value_type = i64)]
    pub id: PlanEntryId,
    pub subject: String,
    pub description: String,
    pub frequency: Cadence,
    /// YYYY-MM-DD: the date of a one-off, or when a recurring communication was first due.
    pub first_due_on: String,
    #[schema(value_type = i64)]
    pub communicator_id: UserId,
    pub communicator_name: String,
    pub audience: Audience,
    pub audience_label: String,
    pub channel: Channel,
    #[schema(value_type = i64)]
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub retired_at: Option<String>,
    /// YYYY-MM-DD of the latest communication of this entry.
    pub last_sent_on: Option<String>,
    pub sent_count: i64,
    /// YYYY-MM-DD; null once a one-off was sent or the entry is retired.
    pub next_due_on: Option<String>,
    pub overdue: bool,
    /// Per cent of the audience that read its communications, where read counts were given.
    pub read_rate: Option<f64>,
    /// Per cent of the audience that acknowledged them, where acknowledged counts were given.
    pub acknowledged_rate: Option<f64>,
}

impl PlanEntryView {
    pub fn of(row: EntryRow, reach: Reach, now: i64) -> Self {
        let (due, overdue) = communication::schedule(&row, now);
        Self {
            id: row.id,
            frequency: Cadence::parse(&row.frequency).unwrap_or(Cadence::Once),
            first_due_on: date_text(row.first_due_on),
            communicator_id: row.communicator_id,
            communicator_name: row.communicator_name,
            audience: serde_json::from_str(&row.audience).unwrap_or_default(),
            audience_label: row.audience_label,
            channel: Channel::parse(&row.channel).unwrap_or(Channel::Email),
            recorded_by: row.recorded_by,
            recorder_name: row.recorder_name,
            retired_at: row.retired_at.map(rfc3339),
            last_sent_on: row.last_sent_on.map(date_text),
            sent_count: row.sent_count,
            next_due_on: due.map(date_text),
            overdue,
            read_rate: rate(reach.read, reach.read_audience),
            acknowledged_rate: rate(reach.acknowledged, reach.acknowledged_audience),
            subject: row.subject,
            description: row.description,
        }
    }
}

/// A new plan entry.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlanEntry {
    pub subject: String,
    #[serde(default)]
    pub description: String,
    pub frequency: Cadence,
    /// YYYY-MM-DD.
    pub first_due_on: String,
    /// Who communicates; the caller when left out.
    #[schema(value_type = Option<i64>)]
    pub communicator_id: Option<UserId>,
    pub audience: Audience,
    pub channel: Channel,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    /// Also list retired entries.
    pub include_retired: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PlanList {
    pub items: Vec<PlanEntryView>,
    pub total: i64,
}

/// `GET /api/v1/communication/plan`
#[utoipa::path(get, path = "/api/v1/communication/plan", tag = "communication", params(PlanQuery),
    responses((status = 200, body = PlanList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<PlanQuery>,
) -> Result<Json<PlanList>, AppError> {
    let (limit, offset) = super::Paging { limit: query.limit, offset: query.offset, q: None }.bounds()?;
    let all = query.include_retired.unwrap_or(false);
    let mut c = state.db.read().await?;
    let (rows, total) = db::communication::list_entries(&mut c.conn(), principal.org_id, all, limit, offset).await?;
    let reach = db::communication::reach(&mut c.conn(), principal.org_id).await?;
    let now = state.clock.now();
    let items = rows
        .into_iter()
        .map(|r| {
            let rr = reach.get(&r.id).copied().unwrap_or_default();
            PlanEntryView::of(r, rr, now)
        })
        .collect();
    Ok(Json(PlanList { items, total }))
}

/// The view of plan entry `id` as of now.
async fn view(state: &AppState, principal: &Principal, id: PlanEntryId) -> Result<PlanEntryView, AppError> {
    let mut c = state.db.read().await?;
    let row = db::communication::get_entry(&mut c.conn(), principal.org_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("plan entry"))?;
    let reach = db::communication::reach(&mut c.conn(), principal.org_id).await?;
    Ok(PlanEntryView::of(row, reach.get(&id).copied().unwrap_or_default(), state.clock.now()))
}

/// `POST /api/v1/communication/plan`
#[utoipa::path(post, path = "/api/v1/communication/plan", tag = "communication", request_body = NewPlanEntry,
    responses((status = 201, body = PlanEntryView), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewPlanEntry>,
) -> Result<(StatusCode, Json<PlanEntryView>), AppError> {
    let input = PlanInput {
        subject: body.subject,
        description: body.description,
        frequency: body.frequency,
        first_due_on: parse_date(&body.first_due_on, "first_due_on")?,
        communicator: body.communicator_id.unwrap_or(principal.user_id),
        audience: body.audience,
        channel: body.channel,
    };
    let ctx = state.ctx(&principal, &request);
    let row = communication::create(&ctx, principal.org_id, principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &principal, row.id).await?)))
}

/// `GET /api/v1/communication/plan/{id}`
#[utoipa::path(get, path = "/api/v1/communication/plan/{id}", tag = "communication",
    params(("id" = i64, Path, description = "plan entry id")),
    responses((status = 200, body = PlanEntryView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlanEntryView>, AppError> {
    Ok(Json(view(&state, &principal, PlanEntryId(id)).await?))
}

/// `POST /api/v1/communication/plan/{id}/retire`: the entry is no longer planned; its history stays.
#[utoipa::path(post, path = "/api/v1/communication/plan/{id}/retire", tag = "communication",
    params(("id" = i64, Path, description = "plan entry id")),
    responses((status = 200, body = PlanEntryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn retire(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlanEntryView>, AppError> {
    let ctx = state.ctx(&principal, &request);
    communication::retire(&ctx, principal.org_id, principal.user_id, PlanEntryId(id)).await?;
    Ok(Json(view(&state, &principal, PlanEntryId(id)).await?))
}
