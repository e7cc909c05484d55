//! `/api/v1/involvement`: the log of what top managers did in person (ISO/IEC 27001 5.1). Entries are logged,
//! listed and read; they are not changed or deleted (see `involvement.rs`).

use crate::clock::{UnixTime, rfc3339};
use crate::db;
use crate::db::involvement::{Filter, InvolvementRow};
use crate::domain::ids::{InvolvementId, UserId};
use crate::domain::involvement::Kind;
use crate::domain::objective::{date_text, parse_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::involvement::{self, InvolvementInput, Recorder};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// An entry of the log.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct InvolvementView {
    #[schema(value_type = i64)]
    pub id: InvolvementId,
    #[schema(value_type = i64)]
    pub manager_id: UserId,
    pub manager_name: String,
    pub kind: Kind,
    /// YYYY-MM-DD.
    pub occurred_on: String,
    pub place: String,
    pub notes: String,
    /// The record the involvement belongs to.
    pub record_type: Option<String>,
    pub record_id: Option<i64>,
    #[schema(value_type = i64)]
    pub recorded_by: UserId,
    pub recorder_name: String,
    /// Whether the manager logged it themselves (rather than someone on their behalf).
    pub own_record: bool,
    pub recorded_at: String,
}

impl InvolvementView {
    pub fn of(row: InvolvementRow) -> Self {
        Self {
            id: row.id,
            manager_id: row.manager_id,
            kind: Kind::parse(&row.kind).unwrap_or(Kind::Other),
            occurred_on: date_text(row.occurred_on),
            own_record: row.recorded_by == row.manager_id,
            recorded_by: row.recorded_by,
            recorded_at: rfc3339(row.recorded_at),
            manager_name: row.manager_name,
            place: row.place,
            notes: row.notes,
            record_type: row.record_type,
            record_id: row.record_id,
            recorder_name: row.recorder_name,
        }
    }
}

/// A new entry. Without `manager_id` it is the caller's own; without `occurred_on` it happened today.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvolvement {
    pub manager_id: Option<i64>,
    pub kind: Kind,
    /// YYYY-MM-DD, not in the future.
    pub occurred_on: Option<String>,
    pub place: Option<String>,
    /// Plain text, at most 2,000 characters.
    pub notes: Option<String>,
    /// The record it belongs to (e.g. phishing_simulation, objective), with `record_id`.
    pub record_type: Option<String>,
    pub record_id: Option<i64>,
}

impl NewInvolvement {
    pub fn into_input(self, caller: UserId, now: UnixTime) -> Result<InvolvementInput, AppError> {
        let record = match (self.record_type.filter(|t| !t.trim().is_empty()), self.record_id) {
            (Some(t), Some(id)) => Some((t.trim().to_string(), id)),
            (None, None) => None,
            _ => return Err(AppError::Invalid("give both record_type and record_id, or neither".into())),
        };
        Ok(InvolvementInput {
            manager: self.manager_id.map_or(caller, UserId),
            kind: self.kind,
            occurred_on: match self.occurred_on {
                Some(day) => parse_date(&day, "occurred_on")?,
                None => now,
            },
            place: self.place.unwrap_or_default(),
            notes: self.notes.unwrap_or_default(),
            record,
        })
    }
}

/// Filters and paging of the log.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InvolvementQuery {
    pub manager_id: Option<i64>,
    pub kind: Option<String>,
    /// Only entries of this calendar year.
    pub year: Option<i32>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl InvolvementQuery {
    /// The checked filter.
    pub fn filter(&self) -> Result<Filter<'static>, AppError> {
        let kind = self.kind.as_deref().filter(|k| !k.is_empty()).map(Kind::parse).transpose()?;
        let (from, until) = match self.year {
            Some(year) => {
                let start = |y: i32| {
                    time::Date::from_calendar_date(y, time::Month::January, 1)
                        .map(|d| d.midnight().assume_utc().unix_timestamp())
                        .map_err(|_| AppError::Invalid(format!("year {year} is out of range")))
                };
                (Some(start(year)?), Some(start(year + 1)?))
            }
            None => (None, None),
        };
        Ok(Filter { manager: self.manager_id.map(UserId), kind: kind.map(Kind::as_str), from, until })
    }
}

/// A page of the log, latest first.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct InvolvementList {
    pub items: Vec<InvolvementView>,
    pub total: i64,
}

/// `GET /api/v1/involvement`: the log, filtered by manager, kind and year.
#[utoipa::path(get, path = "/api/v1/involvement", tag = "involvement", params(InvolvementQuery),
    responses((status = 200, body = InvolvementList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<InvolvementQuery>,
) -> Result<Json<InvolvementList>, AppError> {
    let (limit, offset) = super::Paging { limit: query.limit, offset: query.offset, q: None }.bounds()?;
    let filter = query.filter()?;
    let mut c = state.db.read().await?;
    let (rows, total) = db::involvement::list(&mut c.conn(), principal.org_id, &filter, limit, offset).await?;
    Ok(Json(InvolvementList { items: rows.into_iter().map(InvolvementView::of).collect(), total }))
}

/// `POST /api/v1/involvement`: logs what a top manager did in person. Top managers log their own; the ISMS
/// manager and administrators on a manager's behalf.
#[utoipa::path(post, path = "/api/v1/involvement", tag = "involvement", request_body = NewInvolvement,
    responses((status = 201, body = InvolvementView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewInvolvement>,
) -> Result<(StatusCode, Json<InvolvementView>), AppError> {
    let ctx = state.ctx(&principal, &request);
    let input = body.into_input(principal.user_id, ctx.now)?;
    let by = Recorder { user: principal.user_id, role: principal.role };
    let row = involvement::record(&ctx, principal.org_id, by, &input).await?;
    Ok((StatusCode::CREATED, Json(InvolvementView::of(row))))
}

/// Entry `id` of the caller's organisation.
pub async fn find(state: &AppState, principal: &Principal, id: i64) -> Result<InvolvementRow, AppError> {
    let mut c = state.db.read().await?;
    db::involvement::get(&mut c.conn(), principal.org_id, InvolvementId(id))
        .await?
        .ok_or_else(|| AppError::not_found("involvement"))
}

/// `GET /api/v1/involvement/{id}`: one entry.
#[utoipa::path(get, path = "/api/v1/involvement/{id}", tag = "involvement",
    params(("id" = i64, Path, description = "entry id")),
    responses((status = 200, body = InvolvementView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InvolvementView>, AppError> {
    Ok(Json(InvolvementView::of(find(&state, &principal, id).await?)))
}
