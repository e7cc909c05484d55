//! `/api/v1/resources/{id}/…`: top management's decision, spending and time entries, closing.

use super::resource_views::{CommitmentView, EntryList, EntryView};
use super::resources::view;
use crate::db;
use crate::domain::ids::{CommitmentId, ResourceEntryId, UserId};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::resources::entries::{self, CloseInput, EntryInput};
use crate::resources::{self, DecisionInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// An approval, citing the decision it rests on.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveBody {
    /// The decision in words (minutes, resolution number); may be left out when `decision_id` is given.
    #[serde(default)]
    pub decision_ref: String,
    /// A decision recorded in one of the organisation's meetings (`/api/v1/decisions/{id}`) that the approval
    /// rests on.
    pub decision_id: Option<i64>,
    /// The member of top management who decided; the caller when omitted.
    pub decided_by: Option<i64>,
    /// Money approved when it differs from the request, e.g. "30000.00".
    pub amount: Option<String>,
    /// Person-days approved when they differ from the request.
    pub person_days: Option<String>,
}

/// A refusal, with its reason.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefuseBody {
    pub decision_ref: String,
    pub reason: String,
    /// The member of top management who decided; the caller when omitted.
    pub decided_by: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/resources/{id}/approve", tag = "resources", request_body = ApproveBody,
    params(("id" = i64, Path, description = "commitment id")),
    responses((status = 200, body = CommitmentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn approve(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ApproveBody>,
) -> Result<Json<CommitmentView>, AppError> {
    let input = DecisionInput {
        decision_ref: body.decision_ref,
        decision_id: body.decision_id,
        decided_by: body.decided_by.map(UserId),
        amount: body.amount.unwrap_or_default(),
        person_days: body.person_days.unwrap_or_default(),
        reason: String::new(),
    };
    let ctx = state.ctx(&principal, &request);
    resources::approve(&ctx, principal.org_id, principal.user_id, CommitmentId(id), &input).await?;
    Ok(Json(view(&state, &principal, CommitmentId(id)).await?))
}

#[utoipa::path(post, path = "/api/v1/resources/{id}/refuse", tag = "resources", request_body = RefuseBody,
    params(("id" = i64, Path, description = "commitment id")),
    responses((status = 200, body = CommitmentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn refuse(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RefuseBody>,
) -> Result<Json<CommitmentView>, AppError> {
    let input = DecisionInput {
        decision_ref: body.decision_ref,
        decided_by: body.decided_by.map(UserId),
        reason: body.reason,
        ..DecisionInput::default()
    };
    let ctx = state.ctx(&principal, &request);
    resources::refuse(&ctx, principal.org_id, principal.user_id, CommitmentId(id), &input).await?;
    Ok(Json(view(&state, &principal, CommitmentId(id)).await?))
}

/// A page of a commitment's entries in date order, with their evidence.
async fn entry_page(
    state: &AppState,
    principal: &Principal,
    id: CommitmentId,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EntryView>, i64), AppError> {
    let currency = view(state, principal, id).await?.currency;
    let mut c = state.db.read().await?;
    let (rows, total) = db::resource::entry::list(&mut c.conn(), principal.org_id, id, limit, offset).await?;
    let evidence = db::resource::entry::evidence(&mut c.conn(), principal.org_id, id).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let attached = evidence.iter().filter(|(entry, _, _)| *entry == row.id).map(|(_, e, _)| *e).collect();
            EntryView::of(row, &currency, attached)
        })
        .collect();
    Ok((items, total))
}

/// Paging of a commitment's entries.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EntryPaging {
    /// How many entries to return (1–500, default 100).
    pub limit: Option<i64>,
    /// How many entries to skip (default 0).
    pub offset: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/entries", tag = "resources",
    params(("id" = i64, Path, description = "commitment id"), EntryPaging),
    responses((status = 200, body = EntryList), (status = 404, body = ErrorBody)))]
pub async fn list_entries(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(paging): ApiQuery<EntryPaging>,
) -> Result<Json<EntryList>, AppError> {
    let paging = super::Paging { limit: paging.limit, offset: paging.offset, q: None };
    let (limit, offset) = paging.bounds()?;
    let (items, total) = entry_page(&state, &principal, CommitmentId(id), limit, offset).await?;
    Ok(Json(EntryList { items, total }))
}

/// Spending or time against an approved commitment. To correct an entry, send only `reverses` and a `note`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntryBody {
    /// Money spent, as a decimal string in the commitment's currency, e.g. "1250.00".
    pub amount: Option<String>,
    /// Optional; when given it must be the commitment's currency.
    pub currency: Option<String>,
    /// People's time worked, e.g. "1.5".
    pub person_days: Option<String>,
    /// YYYY-MM-DD, not in the future (not needed for a reversal).
    pub spent_on: Option<String>,
    /// The member who spent it; the caller when omitted.
    pub person: Option<i64>,
    pub note: Option<String>,
    /// The entry this counter-entry reverses.
    pub reverses: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/resources/{id}/entries", tag = "resources", request_body = NewEntryBody,
    params(("id" = i64, Path, description = "commitment id")),
    responses((status = 201, body = EntryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create_entry(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewEntryBody>,
) -> Result<(StatusCode, Json<EntryView>), AppError> {
    let input = EntryInput {
        amount: body.amount.unwrap_or_default(),
        currency: body.currency.unwrap_or_default(),
        person_days: body.person_days.unwrap_or_default(),
        spent_on: body.spent_on.unwrap_or_default(),
        person: body.person.map(UserId),
        note: body.note.unwrap_or_default(),
        reverses: body.reverses.map(ResourceEntryId),
    };
    let ctx = state.ctx(&principal, &request);
    let entry = entries::record(&ctx, principal.org_id, principal.user_id, CommitmentId(id), &input).await?;
    let mut c = state.db.read().await?;
    let row = db::resource::entry::get(&mut c.conn(), principal.org_id, CommitmentId(id), entry)
        .await?
        .ok_or_else(|| AppError::not_found("resource entry"))?;
    let currency = view(&state, &principal, CommitmentId(id)).await?.currency;
    Ok((StatusCode::CREATED, Json(EntryView::of(row, &currency, Vec::new()))))
}

/// Closing a commitment.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// What happened to approved money left unspent: "returned" or "redirected"; omit when nothing is left.
    pub unspent: Option<String>,
    /// Where redirected money went (required then).
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/resources/{id}/close", tag = "resources", request_body = CloseBody,
    params(("id" = i64, Path, description = "commitment id")),
    responses((status = 200, body = CommitmentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn close(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CloseBody>,
) -> Result<Json<CommitmentView>, AppError> {
    let input = CloseInput { unspent: body.unspent.unwrap_or_default(), note: body.note.unwrap_or_default() };
    let ctx = state.ctx(&principal, &request);
    entries::close(&ctx, principal.org_id, principal.user_id, CommitmentId(id), &input).await?;
    Ok(Json(view(&state, &principal, CommitmentId(id)).await?))
}
