//! `/api/v1/tokens`: the organisation's API tokens (administrators only). Secrets are returned once.

use crate::accounts;
use crate::clock::rfc3339;
use crate::db;
use crate::domain::ids::{TokenId, UserId};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::headers::RequestId;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TokenView {
    #[schema(value_type = i64)]
    pub id: TokenId,
    pub name: String,
    #[schema(value_type = i64)]
    pub owner_id: UserId,
    pub owner_email: String,
    pub role: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenView>,
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", responses((status = 200, body = TokenList), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, principal: Principal) -> Result<Json<TokenList>, AppError> {
    let mut c = state.db.read().await?;
    let items = db::api_token::list(&mut c.conn(), principal.org_id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            name: t.name,
            owner_id: t.user_id,
            owner_email: t.email,
            role: t.role,
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.map(rfc3339),
            revoked_at: t.revoked_at.map(rfc3339),
        })
        .collect();
    Ok(Json(TokenList { items }))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for.
    pub name: String,
    /// The owner's e-mail address; the caller when absent.
    pub owner_email: Option<String>,
    /// At most the owner's role; the owner's role when absent.
    pub role: Option<Role>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CreatedToken {
    #[schema(value_type = i64)]
    pub id: TokenId,
    /// The bearer token. Shown only now; Mandate keeps only its hash.
    pub token: String,
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(input): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), AppError> {
    let owner = match input.owner_email.as_deref() {
        Some(email) => accounts::member_by_email(&state.db, principal.org_id, email).await?.user_id,
        None => principal.user_id,
    };
    let (id, token) =
        accounts::create_token(&state.ctx(&principal, &request), principal.org_id, owner, input.role, &input.name)
            .await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { id, token })))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = i64, Path, description = "token id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    accounts::revoke_token(&state.ctx(&principal, &request), principal.org_id, TokenId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
