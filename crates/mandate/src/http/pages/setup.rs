//! First-run setup: the one-time link printed by `mandate serve` creates the first organisation.

use super::Layout;
use super::login::form_csrf;
use crate::accounts::{self, NewOrganisation};
use crate::db;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use crate::journal::Actor;
use crate::secret::token_hash;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
pub struct SetupPage {
    layout: Layout,
    csrf: String,
    token: String,
    org_name: String,
    slug: String,
    admin_name: String,
    admin_email: String,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct SetupQuery {
    #[serde(default)]
    token: String,
}

const USED: &str = "This setup link is not valid: it has been used already or was mistyped. Restart the server on an empty data directory to print a new one.";

/// Refuses setup once an organisation exists or when the token is not the current one.
async fn check_token(state: &AppState, token: &str) -> Result<(), AppError> {
    let mut c = state.db.read().await?;
    if db::organisation::count(&mut c.conn()).await? > 0
        || !db::setup_token::exists(&mut c.conn(), &token_hash(token)).await?
    {
        return Err(AppError::Forbidden(USED.into()));
    }
    Ok(())
}

/// `GET /setup?token=…`
pub async fn show(
    State(state): State<AppState>,
    PageQuery(query): PageQuery<SetupQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    check_token(&state, &query.token).await?;
    let (csrf, cookie) = form_csrf(&state, &headers);
    let page = SetupPage {
        layout: Layout::public("Set up"),
        csrf,
        token: query.token,
        org_name: String::new(),
        slug: String::new(),
        admin_name: String::new(),
        admin_email: String::new(),
        error: None,
    };
    let mut response = page.into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    Ok(response)
}

#[derive(serde::Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    org_name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    admin_name: String,
    #[serde(default)]
    admin_email: String,
    #[serde(default)]
    password: String,
}

/// `POST /setup`
#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    request: RequestId,
    headers: HeaderMap,
    PageForm(form): PageForm<SetupForm>,
) -> Result<Response, PageError> {
    check_token(&state, &form.token).await?;
    let input = NewOrganisation {
        name: form.org_name.clone(),
        slug: Some(form.slug.clone()),
        admin_email: form.admin_email.clone(),
        admin_name: form.admin_name.clone(),
        admin_password: form.password.clone(),
    };
    let actor = Actor { name: form.admin_email.trim().to_lowercase(), role: "setup".into(), request_id: request.0 };
    match accounts::create_organisation(&state.ctx_as(actor), &input, Some(&token_hash(&form.token))).await {
        Ok(_) => Ok(Redirect::to("/login?done=setup").into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let (csrf, _) = form_csrf(&state, &headers);
            let page = SetupPage {
                layout: Layout::public("Set up"),
                csrf,
                token: form.token,
                org_name: form.org_name,
                slug: form.slug,
                admin_name: form.admin_name,
                admin_email: form.admin_email,
                error: Some(error.to_string()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
