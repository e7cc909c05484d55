//! `/api/v1/appointments`: who holds which catalogue role, appointed by whom and when; changing deputies and
//! planned ends; ending an appointment while keeping its history.

use super::cited_decision::CitedDecision;
use super::double_option;
use super::roles::{PersonRef, RoleRef, bounds, seeded};
use crate::clock::{UnixTime, rfc3339};
use crate::db;
use crate::db::appointment::{AppointmentRow, DeputyRow, Filter, Sort};
use crate::domain::appointment::{Status, format_date, parse_date, status};
use crate::domain::ids::{AppointmentId, CatalogueRoleId, UserId};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::roles::appointments::{self, AppointmentChange, Ending, NewAppointment, Recorder};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A deputy named on an appointment.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DeputyView {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub name: String,
    pub email: String,
    /// The day they became deputy (YYYY-MM-DD).
    pub since: String,
}

/// An appointment of a person to a catalogue role.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AppointmentView {
    #[schema(value_type = i64)]
    pub id: AppointmentId,
    pub role: RoleRef,
    pub person: PersonRef,
    pub person_email: String,
    /// The member of top management who made the appointment.
    pub appointed_by: PersonRef,
    /// The first day held (YYYY-MM-DD).
    pub appointed_on: String,
    /// The decision it rests on (e.g. board minutes 2026-03).
    pub decision_ref: Option<String>,
    /// The meeting decision it rests on, if one is cited.
    pub meeting_decision: Option<CitedDecision>,
    /// The first day no longer held (YYYY-MM-DD), planned or past.
    pub ends_on: Option<String>,
    /// When the end was recorded.
    pub ended_at: Option<String>,
    pub end_reason: Option<String>,
    pub status: Status,
    pub deputies: Vec<DeputyView>,
    pub created_at: String,
    pub updated_at: String,
}

impl AppointmentView {
    pub fn of(row: AppointmentRow, deputies: &[DeputyRow], now: UnixTime) -> Self {
        Self {
            id: row.id,
            role: RoleRef { id: row.role_id, name: row.role_name },
            person: PersonRef { id: row.user_id, name: row.user_name },
            person_email: row.user_email,
            appointed_by: PersonRef { id: row.appointed_by, name: row.appointer_name },
            appointed_on: format_date(row.appointed_on),
            meeting_decision: CitedDecision::of(row.decision_id, &row.cite),
            decision_ref: row.decision_ref,
            ends_on: row.ends_on.map(format_date),
            ended_at: row.ended_at.map(rfc3339),
            end_reason: row.end_reason,
            status: status(row.appointed_on, row.ends_on, row.ended_at, now),
            deputies: deputies
                .iter()
                .filter(|d| d.appointment_id == row.id)
                .map(|d| DeputyView {
                    id: d.user_id,
                    name: d.name.clone(),
                    email: d.email.clone(),
                    since: format_date(d.since),
                })
                .collect(),
            created_at: rfc3339(row.created_at),
            updated_at: rfc3339(row.updated_at),
        }
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AppointmentList {
    pub items: Vec<AppointmentView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AppointmentQuery {
    pub role_id: Option<i64>,
    pub user_id: Option<i64>,
    /// Only appointments of people whose name or e-mail contains this text.
    pub q: Option<String>,
    /// `planned`, `current` or `ended`; all when absent.
    pub status: Option<String>,
    /// `newest` (default), `oldest`, `person` or `role`.
    pub sort: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl AppointmentQuery {
    /// The database filter this query asks for.
    pub fn filter(&self) -> Result<Filter<'_>, AppError> {
        let sort = match self.sort.as_deref().map(str::trim).unwrap_or("") {
            "" | "newest" => Sort::Newest,
            "oldest" => Sort::Oldest,
            "person" => Sort::Person,
            "role" => Sort::Role,
            other => {
                return Err(AppError::Invalid(format!("unknown sort '{other}'; use newest, oldest, person or role")));
            }
        };
        Ok(Filter {
            role: self.role_id.map(CatalogueRoleId),
            user: self.user_id.map(UserId),
            search: self.q.as_deref().unwrap_or(""),
            status: self.status.as_deref().filter(|s| !s.trim().is_empty()).map(Status::parse).transpose()?,
            sort,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/appointments", tag = "roles", params(AppointmentQuery),
    responses((status = 200, body = AppointmentList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiQuery(query): ApiQuery<AppointmentQuery>,
) -> Result<Json<AppointmentList>, AppError> {
    let (limit, offset) = bounds(query.limit, query.offset)?;
    let filter = query.filter()?;
    seeded(&state, &principal, &request).await?;
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let (rows, total) = db::appointment::list(&mut c.conn(), principal.org_id, &filter, now, limit, offset).await?;
    let ids: Vec<AppointmentId> = rows.iter().map(|r| r.id).collect();
    let deputies = db::appointment::deputies(&mut c.conn(), principal.org_id, &ids).await?;
    let items = rows.into_iter().map(|row| AppointmentView::of(row, &deputies, now)).collect();
    Ok(Json(AppointmentList { items, total, limit, offset }))
}

/// Reads an optional `YYYY-MM-DD` field.
fn date(text: Option<&str>, what: &str) -> Result<Option<UnixTime>, AppError> {
    Ok(text.map(|t| parse_date(t, what)).transpose()?)
}

/// A new appointment.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAppointmentBody {
    pub role_id: i64,
    /// The member appointed.
    pub user_id: i64,
    /// The member of top management who made the appointment; a top manager recording their own may leave it out.
    pub appointed_by: Option<i64>,
    /// The first day held (YYYY-MM-DD); today when absent.
    pub appointed_on: Option<String>,
    pub decision_ref: Option<String>,
    /// A decision recorded in one of the organisation's meetings (`/api/v1/decisions/{id}`) that the appointment
    /// rests on.
    pub decision_id: Option<i64>,
    /// A planned end: the first day no longer held (YYYY-MM-DD).
    pub ends_on: Option<String>,
    /// Member ids of deputies.
    pub deputies: Option<Vec<i64>>,
}

#[utoipa::path(post, path = "/api/v1/appointments", tag = "roles", request_body = NewAppointmentBody,
    responses((status = 201, body = AppointmentView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(input): ApiJson<NewAppointmentBody>,
) -> Result<(StatusCode, Json<AppointmentView>), AppError> {
    let new = NewAppointment {
        role: CatalogueRoleId(input.role_id),
        user: UserId(input.user_id),
        appointed_by: input.appointed_by.map(UserId),
        appointed_on: date(input.appointed_on.as_deref(), "appointed_on")?,
        decision_ref: input.decision_ref,
        decision_id: input.decision_id,
        ends_on: date(input.ends_on.as_deref(), "ends_on")?,
        deputies: input.deputies.unwrap_or_default().into_iter().map(UserId).collect(),
    };
    let by = Recorder::Member { user: principal.user_id, role: principal.role };
    let row = appointments::appoint(&state.ctx(&principal, &request), principal.org_id, by, &new).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &principal, row).await?)))
}

/// The view of a row, with its deputies.
async fn view(state: &AppState, principal: &Principal, row: AppointmentRow) -> Result<AppointmentView, AppError> {
    let mut c = state.db.read().await?;
    let deputies = db::appointment::deputies(&mut c.conn(), principal.org_id, &[row.id]).await?;
    Ok(AppointmentView::of(row, &deputies, state.clock.now()))
}

#[utoipa::path(get, path = "/api/v1/appointments/{id}", tag = "roles", params(("id" = i64, Path, description = "appointment id")),
    responses((status = 200, body = AppointmentView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AppointmentView>, AppError> {
    let row = db::appointment::get(&mut state.db.read().await?.conn(), principal.org_id, AppointmentId(id))
        .await?
        .ok_or_else(|| AppError::not_found("appointment"))?;
    Ok(Json(view(&state, &principal, row).await?))
}

/// A change to an appointment that has not ended; absent fields stay as they are, `null` clears.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentUpdate {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub decision_ref: Option<Option<String>>,
    /// A planned end after today (YYYY-MM-DD), or `null` for none. To end it now, use `/end`.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub ends_on: Option<Option<String>>,
    /// The complete list of deputies (member ids).
    pub deputies: Option<Vec<i64>>,
}

#[utoipa::path(patch, path = "/api/v1/appointments/{id}", tag = "roles", request_body = AppointmentUpdate,
    params(("id" = i64, Path, description = "appointment id")),
    responses((status = 200, body = AppointmentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AppointmentUpdate>,
) -> Result<Json<AppointmentView>, AppError> {
    let change = AppointmentChange {
        decision_ref: input.decision_ref,
        ends_on: match input.ends_on {
            None => None,
            Some(text) => Some(date(text.as_deref(), "ends_on")?),
        },
        deputies: input.deputies.map(|d| d.into_iter().map(UserId).collect()),
    };
    let ctx = state.ctx(&principal, &request);
    let row = appointments::change(&ctx, principal.org_id, AppointmentId(id), &change).await?;
    Ok(Json(view(&state, &principal, row).await?))
}

/// Ending an appointment; `{}` ends it today.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndBody {
    /// The first day no longer held (YYYY-MM-DD, not in the future); today when absent.
    pub ended_on: Option<String>,
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/end", tag = "roles", request_body = EndBody,
    params(("id" = i64, Path, description = "appointment id")),
    responses((status = 200, body = AppointmentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn end(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<EndBody>,
) -> Result<Json<AppointmentView>, AppError> {
    let ending = Ending { ended_on: date(input.ended_on.as_deref(), "ended_on")?, reason: input.reason };
    let row = appointments::end(&state.ctx(&principal, &request), principal.org_id, AppointmentId(id), &ending).await?;
    Ok(Json(view(&state, &principal, row).await?))
}
