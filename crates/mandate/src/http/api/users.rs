//! `/api/v1/users`: the organisation's members (administrators only).

use super::{Paging, double_option};
use crate::accounts::{self, MemberChange, NewMember};
use crate::clock::{UnixTime, parse_time, rfc3339};
use crate::db;
use crate::db::membership::Member;
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A member of the caller's organisation.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct UserView {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// When access ends (RFC 3339), if it does.
    pub expires_at: Option<String>,
    pub disabled: bool,
    /// Whether the membership grants access now.
    pub active: bool,
    pub member_since: String,
    pub department: Option<String>,
}

impl UserView {
    fn of(member: &Member, now: UnixTime) -> Self {
        Self {
            id: member.user_id,
            email: member.email.clone(),
            name: member.name.clone(),
            role: member.role(),
            expires_at: member.expires_at.map(rfc3339),
            disabled: member.disabled_at.is_some(),
            active: member.active(now),
            member_since: rfc3339(member.created_at),
            department: member.department.clone(),
        }
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct UserList {
    pub items: Vec<UserView>,
    /// How many members match in all.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

fn parse_expiry(text: &str) -> Result<UnixTime, AppError> {
    parse_time(text).ok_or_else(|| {
        AppError::Invalid(format!(
            "expires_at '{text}' is not a time; use RFC 3339 (2027-01-31T17:00:00Z) or a date (2027-01-31)"
        ))
    })
}

#[utoipa::path(get, path = "/api/v1/users", tag = "people", params(Paging),
    responses((status = 200, body = UserList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<UserList>, AppError> {
    let (limit, offset) = paging.bounds()?;
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let page =
        db::membership::list(&mut c.conn(), principal.org_id, paging.q.as_deref().unwrap_or(""), limit, offset).await?;
    Ok(Json(UserList {
        items: page.members.iter().map(|m| UserView::of(m, now)).collect(),
        total: page.total,
        limit,
        offset,
    }))
}

/// A person to add. An address that already has a Mandate account joins with its own name and password.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Initial password for a new account (8–128 characters); without it the person cannot sign in yet.
    pub password: Option<String>,
    /// When access ends (RFC 3339 or YYYY-MM-DD), e.g. for an external auditor.
    pub expires_at: Option<String>,
    /// The department the person works in.
    pub department: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/users", tag = "people", request_body = NewUser,
    responses((status = 201, body = UserView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(input): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<UserView>), AppError> {
    let now = state.clock.now();
    let member = NewMember {
        email: input.email,
        name: input.name,
        role: input.role,
        password: input.password,
        expires_at: input.expires_at.as_deref().map(parse_expiry).transpose()?,
        department: input.department,
    };
    let user = accounts::add_member(&state.ctx(&principal, &request), principal.org_id, &member).await?;
    let created = fetch(&state, &principal, user).await?;
    Ok((StatusCode::CREATED, Json(UserView::of(&created, now))))
}

async fn fetch(state: &AppState, principal: &Principal, user: UserId) -> Result<Member, AppError> {
    let mut c = state.db.read().await?;
    db::membership::get(&mut c.conn(), principal.org_id, user).await?.ok_or_else(|| AppError::not_found("member"))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "people", params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<UserView>, AppError> {
    let member = fetch(&state, &principal, UserId(id)).await?;
    Ok(Json(UserView::of(&member, state.clock.now())))
}

/// A change to a membership; absent fields stay as they are, `"expires_at": null` removes the expiry.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub expires_at: Option<Option<String>>,
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "people", request_body = UserChange,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<UserChange>,
) -> Result<Json<UserView>, AppError> {
    let now = state.clock.now();
    let change = MemberChange {
        role: input.role,
        disabled: input.disabled,
        expires_at: match input.expires_at {
            None => None,
            Some(None) => Some(None),
            Some(Some(text)) => Some(Some(parse_expiry(&text)?)),
        },
    };
    accounts::change_member(&state.ctx(&principal, &request), principal.org_id, UserId(id), &change).await?;
    let member = fetch(&state, &principal, UserId(id)).await?;
    Ok(Json(UserView::of(&member, now)))
}
