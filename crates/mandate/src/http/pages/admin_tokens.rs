//! The administrator's API token page: list, create (secret shown once), revoke.

use super::{Layout, role_options};
use crate::accounts;
use crate::clock::format_utc;
use crate::db;
use crate::domain::ids::TokenId;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

pub struct TokenView {
    id: TokenId,
    name: String,
    email: String,
    role_label: &'static str,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_tokens.html")]
pub struct TokensPage {
    layout: Layout,
    csrf: String,
    org_name: String,
    tokens: Vec<TokenView>,
    roles: Vec<(&'static str, &'static str)>,
    new_secret: Option<String>,
    notice: Option<&'static str>,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    new_secret: Option<String>,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<TokensPage, AppError> {
    let mut c = state.db.read().await?;
    let tokens = db::api_token::list(&mut c.conn(), principal.org_id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            role_label: t.role.parse().map(Role::label).unwrap_or("unknown"),
            name: t.name,
            email: t.email,
            created: format_utc(t.created_at),
            last_used: t.last_used_at.map(format_utc).unwrap_or_else(|| "never".into()),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    Ok(TokensPage {
        layout: Layout::member("API tokens", "tokens", principal),
        csrf: principal.csrf().to_string(),
        org_name: principal.org_name.clone(),
        tokens,
        roles: role_options(),
        new_secret,
        notice,
        error,
    })
}

#[derive(serde::Deserialize)]
pub struct TokensQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /admin/tokens`
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<TokensQuery>,
) -> Result<TokensPage, PageError> {
    let notice = (query.done.as_deref() == Some("revoked")).then_some("The token was revoked.");
    Ok(render(&state, &principal, None, notice, None).await?)
}

#[derive(serde::Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/tokens`: answers with the page showing the new secret once (not a redirect, so the secret
/// never sits in a URL or in history).
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<CreateForm>,
) -> Result<Response, PageError> {
    let result = async {
        let owner = match form.email.trim() {
            "" => principal.user_id,
            email => accounts::member_by_email(&state.db, principal.org_id, email).await?.user_id,
        };
        let role = match form.role.trim() {
            "" => None,
            role => Some(role.parse::<Role>()?),
        };
        accounts::create_token(&state.ctx(&principal, &request), principal.org_id, owner, role, &form.name).await
    }
    .await;
    match result {
        Ok((_, secret)) => Ok(render(&state, &principal, Some(secret), None, None).await?.into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Forbidden(_) | AppError::NotFound(_))) => {
            let status = error.status();
            let page = render(&state, &principal, None, None, Some(error.to_string())).await?;
            Ok((status, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /admin/tokens/{id}/revoke`
pub async fn revoke(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    accounts::revoke_token(&state.ctx(&principal, &request), principal.org_id, TokenId(id)).await?;
    Ok(Redirect::to("/admin/tokens?done=revoked").into_response())
}
