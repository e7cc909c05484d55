//! `/api/v1/resources`: the register of commitments of money and people's time (ISO/IEC 27001 7.1) with promised
//! versus actual and flags; requesting resources; the register's settings.

use super::resource_views::{CommitmentList, CommitmentView, TimeTotals, money_totals};
use crate::domain::ids::{CommitmentId, UserId};
use crate::domain::resource::money::plain_decimal;
use crate::domain::resource::{Flag, Status};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::resources::register::{self, Query, parse_sort};
use crate::resources::{self, RequestInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResourceQuery {
    /// requested, approved, refused or closed.
    pub status: Option<String>,
    /// underspent, behind_plan or redirected.
    pub flag: Option<String>,
    /// due (default), newest, amount, title or status.
    pub sort: Option<String>,
    /// 1–500, default 100.
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl ResourceQuery {
    /// The checked register query; page sizes are the caller's.
    pub fn query(&self, default_limit: i64) -> Result<Query, AppError> {
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let limit = self.limit.unwrap_or(default_limit);
        let offset = self.offset.unwrap_or(0);
        if !(1..=500).contains(&limit) || offset < 0 {
            return Err(AppError::Invalid("limit must be between 1 and 500 and offset not negative".into()));
        }
        Ok(Query {
            status: text(&self.status).map(|s| Status::parse(&s)).transpose()?,
            flag: text(&self.flag).map(|f| Flag::parse(&f)).transpose()?,
            sort: parse_sort(self.sort.as_deref().unwrap_or(""))?,
            limit,
            offset,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/resources", tag = "resources", params(ResourceQuery),
    responses((status = 200, body = CommitmentList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<ResourceQuery>,
) -> Result<Json<CommitmentList>, AppError> {
    let query = query.query(100)?;
    let mut c = state.db.read().await?;
    let page = register::register(&mut c.conn(), principal.org_id, &query, state.clock.now()).await?;
    let d = page.totals.days_x100;
    Ok(Json(CommitmentList {
        totals: money_totals(&page.totals),
        person_days: TimeTotals {
            pending: plain_decimal(d.pending, 2),
            promised: plain_decimal(d.promised, 2),
            spent: plain_decimal(d.spent, 2),
            pending_x100: d.pending,
            promised_x100: d.promised,
            spent_x100: d.spent,
        },
        items: page.items.into_iter().map(Into::into).collect(),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
        underspent_percent: page.settings.underspent_percent,
    }))
}

/// A request for resources. Amounts are decimal strings in the currency's units ("40000.00"), never numbers.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommitmentBody {
    pub title: String,
    /// What the resources are for and why.
    pub purpose: String,
    /// The initiative served; may be omitted when `objective_id` is given.
    #[serde(default)]
    pub initiative: String,
    pub objective_id: Option<i64>,
    /// Money asked for, e.g. "40000.00".
    pub amount: Option<String>,
    /// ISO 4217 code; the organisation's currency when omitted.
    pub currency: Option<String>,
    /// People's time asked for, e.g. "12.5".
    pub person_days: Option<String>,
    /// YYYY-MM-DD, today or later.
    pub due_on: String,
    /// The member who asks; the caller when omitted.
    pub requested_by: Option<i64>,
}

/// The commitment `id` of the caller's organisation, as the API shows it.
pub async fn view(state: &AppState, principal: &Principal, id: CommitmentId) -> Result<CommitmentView, AppError> {
    let mut c = state.db.read().await?;
    Ok(register::summary(&mut c.conn(), principal.org_id, id, state.clock.now()).await?.into())
}

#[utoipa::path(post, path = "/api/v1/resources", tag = "resources", request_body = NewCommitmentBody,
    responses((status = 201, body = CommitmentView), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewCommitmentBody>,
) -> Result<(StatusCode, Json<CommitmentView>), AppError> {
    let input = RequestInput {
        title: body.title,
        purpose: body.purpose,
        initiative: body.initiative,
        objective_id: body.objective_id,
        amount: body.amount.unwrap_or_default(),
        currency: body.currency.unwrap_or_default(),
        person_days: body.person_days.unwrap_or_default(),
        due_on: body.due_on,
        requested_by: body.requested_by.map(UserId),
    };
    let ctx = state.ctx(&principal, &request);
    let id = resources::request(&ctx, principal.org_id, principal.user_id, &input).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &principal, id).await?)))
}

#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = "resources",
    params(("id" = i64, Path, description = "commitment id")),
    responses((status = 200, body = CommitmentView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CommitmentView>, AppError> {
    Ok(Json(view(&state, &principal, CommitmentId(id)).await?))
}

/// The register's settings for the caller's organisation.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ResourceSettings {
    /// The currency of requests that name none (ISO 4217).
    pub currency: String,
    /// The share (%) of approved resources that must be spent by the due date, else `underspent`.
    pub underspent_percent: i64,
}

#[utoipa::path(get, path = "/api/v1/resources/settings", tag = "resources",
    responses((status = 200, body = ResourceSettings)))]
pub async fn settings(State(state): State<AppState>, principal: Principal) -> Result<Json<ResourceSettings>, AppError> {
    let mut c = state.db.read().await?;
    let s = resources::settings(&mut c.conn(), principal.org_id).await?;
    Ok(Json(ResourceSettings { currency: s.currency.code().into(), underspent_percent: s.underspent_percent }))
}

/// A change to the settings; absent fields stay as they are.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsChange {
    pub currency: Option<String>,
    pub underspent_percent: Option<i64>,
}

#[utoipa::path(patch, path = "/api/v1/resources/settings", tag = "resources", request_body = SettingsChange,
    responses((status = 200, body = ResourceSettings), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn change_settings(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(change): ApiJson<SettingsChange>,
) -> Result<Json<ResourceSettings>, AppError> {
    let current = resources::settings(&mut state.db.read().await?.conn(), principal.org_id).await?;
    let currency = change.currency.unwrap_or_else(|| current.currency.code().into());
    let percent = change.underspent_percent.unwrap_or(current.underspent_percent);
    resources::save_settings(&state.ctx(&principal, &request), principal.org_id, &currency, percent).await?;
    settings(State(state), principal).await
}
