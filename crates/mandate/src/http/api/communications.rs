//! `/api/v1/communications`: the communications sent, with their audience and what is known of their reach.

use crate::clock::rfc3339;
use crate::communication::{self, SentInput};
use crate::db;
use crate::db::communication::SentRow;
use crate::domain::campaign::Audience;
use crate::domain::communication::{Channel, rate};
use crate::domain::ids::{CommunicationId, PlanEntryId, UserId};
use crate::domain::objective::{date_text, parse_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::headers::RequestId;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A communication that was sent.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CommunicationView {
    #[schema(value_type = i64)]
    pub id: CommunicationId,
    #[schema(value_type = Option<i64>)]
    pub plan_entry_id: Option<PlanEntryId>,
    /// YYYY-MM-DD.
    pub sent_on: String,
    #[schema(value_type = i64)]
    pub communicator_id: UserId,
    pub communicator_name: String,
    #[schema(value_type = i64)]
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub channel: Channel,
    pub subject: String,
    pub summary: String,
    pub audience_label: String,
    pub audience_size: i64,
    /// Whether the size was counted from the members (false: typed for an outside audience).
    pub audience_counted: bool,
    pub read_count: Option<i64>,
    pub acknowledged_count: Option<i64>,
    pub read_rate: Option<f64>,
    pub acknowledged_rate: Option<f64>,
    pub created_at: String,
}

impl CommunicationView {
    pub fn of(row: SentRow) -> Self {
        Self {
            id: row.id,
            plan_entry_id: row.plan_entry_id,
            sent_on: date_text(row.sent_on),
            communicator_id: row.communicator_id,
            communicator_name: row.communicator_name,
            recorded_by: row.recorded_by,
            recorder_name: row.recorder_name,
            channel: Channel::parse(&row.channel).unwrap_or(Channel::Email),
            subject: row.subject,
            summary: row.summary,
            audience_label: row.audience_label,
            audience_size: row.audience_size,
            audience_counted: row.audience_counted,
            read_count: row.read_count,
            acknowledged_count: row.acknowledged_count,
            read_rate: row.read_count.and_then(|n| rate(n, row.audience_size)),
            acknowledged_rate: row.acknowledged_count.and_then(|n| rate(n, row.audience_size)),
            created_at: rfc3339(row.created_at),
        }
    }
}

/// A communication to record. Fields left out come from the plan entry, when one is named.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommunication {
    #[schema(value_type = Option<i64>)]
    pub plan_entry_id: Option<PlanEntryId>,
    /// YYYY-MM-DD; not in the future.
    pub sent_on: String,
    /// Who communicated; the plan entry's communicator, or the caller.
    #[schema(value_type = Option<i64>)]
    pub communicator_id: Option<UserId>,
    pub channel: Option<Channel>,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub summary: String,
    /// The members it went to (its size is counted); the plan entry's audience when left out.
    pub audience: Option<Audience>,
    /// An audience outside the membership, e.g. "Carriers and subcontractors"; then give audience_size.
    pub external_audience: Option<String>,
    pub audience_size: Option<i64>,
    /// How many read it, where known (at most the audience size).
    pub read_count: Option<i64>,
    /// How many acknowledged it, where known (at most the audience size).
    pub acknowledged_count: Option<i64>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SentQuery {
    /// Only the communications of this plan entry.
    pub plan_entry_id: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CommunicationList {
    pub items: Vec<CommunicationView>,
    pub total: i64,
}

/// `GET /api/v1/communications`: latest first.
#[utoipa::path(get, path = "/api/v1/communications", tag = "communication", params(SentQuery),
    responses((status = 200, body = CommunicationList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<SentQuery>,
) -> Result<Json<CommunicationList>, AppError> {
    let (limit, offset) = super::Paging { limit: query.limit, offset: query.offset, q: None }.bounds()?;
    let plan = query.plan_entry_id.map(PlanEntryId);
    let mut c = state.db.read().await?;
    let (rows, total) = db::communication::list_sent(&mut c.conn(), principal.org_id, plan, limit, offset).await?;
    Ok(Json(CommunicationList { items: rows.into_iter().map(CommunicationView::of).collect(), total }))
}

impl NewCommunication {
    /// The operation's input.
    pub fn into_input(self) -> Result<SentInput, AppError> {
        Ok(SentInput {
            plan_entry: self.plan_entry_id,
            sent_on: parse_date(&self.sent_on, "sent_on")?,
            communicator: self.communicator_id,
            channel: self.channel,
            subject: self.subject,
            summary: self.summary,
            audience: self.audience,
            external_audience: self.external_audience,
            audience_size: self.audience_size,
            read_count: self.read_count,
            acknowledged_count: self.acknowledged_count,
        })
    }
}

/// `POST /api/v1/communications`: records a communication sent.
#[utoipa::path(post, path = "/api/v1/communications", tag = "communication", request_body = NewCommunication,
    responses((status = 201, body = CommunicationView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewCommunication>,
) -> Result<(StatusCode, Json<CommunicationView>), AppError> {
    let input = body.into_input()?;
    let ctx = state.ctx(&principal, &request);
    let row = communication::record(&ctx, principal.org_id, principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(CommunicationView::of(row))))
}
