//! `GET /api/v1/me`: who the caller is and where they act.

use crate::domain::ids::{OrgId, UserId};
use crate::domain::role::Role;
use crate::http::auth::{Principal, Via};
use axum::Json;

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Me {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub organisation: OrganisationRef,
    pub role: Role,
    /// `session` or `token`.
    pub authenticated_by: String,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct OrganisationRef {
    #[schema(value_type = i64)]
    pub id: OrgId,
    pub slug: String,
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "people",
    responses((status = 200, body = Me), (status = 401, body = crate::http::error::ErrorBody)))]
pub async fn show(principal: Principal) -> Json<Me> {
    Json(Me {
        user_id: principal.user_id,
        email: principal.email,
        name: principal.name,
        organisation: OrganisationRef { id: principal.org_id, slug: principal.org_slug, name: principal.org_name },
        role: principal.role,
        authenticated_by: match principal.via {
            Via::Session { .. } => "session".into(),
            Via::Token { .. } => "token".into(),
        },
    })
}
