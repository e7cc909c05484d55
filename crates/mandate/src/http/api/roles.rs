//! `/api/v1/roles`: the ISMS role catalogue (ISO/IEC 27001 5.3) — list, add, show, change, retire, delete.

use super::double_option;
use crate::clock::rfc3339;
use crate::db;
use crate::db::role_catalogue::{Filter, RoleRow, Sort};
use crate::domain::ids::{CatalogueRoleId, UserId};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::roles::catalogue::{self, RoleChange, RoleInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A role named in another record.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RoleRef {
    #[schema(value_type = i64)]
    pub id: CatalogueRoleId,
    pub name: String,
}

/// A person named in a record.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PersonRef {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub name: String,
}

/// A role of the catalogue.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RoleView {
    #[schema(value_type = i64)]
    pub id: CatalogueRoleId,
    pub name: String,
    /// Its responsibilities and authorities.
    pub description: String,
    /// Whether each holder must have a deputy.
    pub needs_deputy: bool,
    pub retired: bool,
    pub retired_at: Option<String>,
    /// How many people hold it now.
    pub holders: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<RoleRow> for RoleView {
    fn from(row: RoleRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            description: row.description,
            needs_deputy: row.needs_deputy,
            retired: row.retired_at.is_some(),
            retired_at: row.retired_at.map(rfc3339),
            holders: row.holders,
            created_at: rfc3339(row.created_at),
            updated_at: rfc3339(row.updated_at),
        }
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RoleList {
    pub items: Vec<RoleView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RoleQuery {
    /// Only roles whose name contains this text.
    pub q: Option<String>,
    /// Include retired roles.
    pub include_retired: Option<bool>,
    /// `name` (default) or `holders` (fewest first).
    pub sort: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Parses a list order.
pub fn parse_sort(text: Option<&str>) -> Result<Sort, AppError> {
    match text.map(str::trim).unwrap_or("") {
        "" | "name" => Ok(Sort::Name),
        "holders" => Ok(Sort::Holders),
        other => Err(AppError::Invalid(format!("unknown sort '{other}'; use name or holders"))),
    }
}

/// Checked limit and offset of a list request.
pub fn bounds(limit: Option<i64>, offset: Option<i64>) -> Result<(i64, i64), AppError> {
    super::Paging { limit, offset, q: None }.bounds()
}

/// Seeds the caller's organisation's catalogue if this is its first use.
pub async fn seeded(state: &AppState, principal: &Principal, request: &RequestId) -> Result<(), AppError> {
    crate::roles::ensure_seeded(&state.ctx(principal, request), principal.org_id).await
}

#[utoipa::path(get, path = "/api/v1/roles", tag = "roles", params(RoleQuery),
    responses((status = 200, body = RoleList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiQuery(query): ApiQuery<RoleQuery>,
) -> Result<Json<RoleList>, AppError> {
    let (limit, offset) = bounds(query.limit, query.offset)?;
    let filter = Filter {
        search: query.q.as_deref().unwrap_or(""),
        include_retired: query.include_retired.unwrap_or(false),
        sort: parse_sort(query.sort.as_deref())?,
    };
    seeded(&state, &principal, &request).await?;
    let mut c = state.db.read().await?;
    let (rows, total) =
        db::role_catalogue::list(&mut c.conn(), principal.org_id, &filter, state.clock.now(), limit, offset).await?;
    Ok(Json(RoleList { items: rows.into_iter().map(Into::into).collect(), total, limit, offset }))
}

/// A role to add.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRole {
    pub name: String,
    /// Responsibilities and authorities (up to 4,000 characters).
    pub description: Option<String>,
    pub needs_deputy: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/roles", tag = "roles", request_body = NewRole,
    responses((status = 201, body = RoleView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(input): ApiJson<NewRole>,
) -> Result<(StatusCode, Json<RoleView>), AppError> {
    let input = RoleInput {
        name: input.name,
        description: input.description.unwrap_or_default(),
        needs_deputy: input.needs_deputy.unwrap_or(false),
    };
    let id = catalogue::create(&state.ctx(&principal, &request), principal.org_id, &input).await?;
    Ok((StatusCode::CREATED, Json(fetch(&state, &principal, id).await?.into())))
}

async fn fetch(state: &AppState, principal: &Principal, id: CatalogueRoleId) -> Result<RoleRow, AppError> {
    let mut c = state.db.read().await?;
    db::role_catalogue::get(&mut c.conn(), principal.org_id, id, state.clock.now())
        .await?
        .ok_or_else(|| AppError::not_found("role"))
}

#[utoipa::path(get, path = "/api/v1/roles/{id}", tag = "roles", params(("id" = i64, Path, description = "role id")),
    responses((status = 200, body = RoleView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RoleView>, AppError> {
    Ok(Json(fetch(&state, &principal, CatalogueRoleId(id)).await?.into()))
}

/// A change to a role; absent fields stay as they are. `"retired": true` retires it (refused while people
/// hold it), `false` reinstates it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleUpdate {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub needs_deputy: Option<bool>,
    pub retired: Option<bool>,
}

#[utoipa::path(patch, path = "/api/v1/roles/{id}", tag = "roles", request_body = RoleUpdate,
    params(("id" = i64, Path, description = "role id")),
    responses((status = 200, body = RoleView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RoleUpdate>,
) -> Result<Json<RoleView>, AppError> {
    let change = RoleChange {
        name: input.name,
        description: input.description.map(Option::unwrap_or_default),
        needs_deputy: input.needs_deputy,
        retired: input.retired,
    };
    let id = CatalogueRoleId(id);
    catalogue::update(&state.ctx(&principal, &request), principal.org_id, id, &change).await?;
    Ok(Json(fetch(&state, &principal, id).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/roles/{id}", tag = "roles", params(("id" = i64, Path, description = "role id")),
    responses((status = 204, description = "deleted"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    catalogue::delete(&state.ctx(&principal, &request), principal.org_id, CatalogueRoleId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
