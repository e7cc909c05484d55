//! Signing in and out.

use super::Layout;
use crate::accounts;
use crate::db;
use crate::domain::identity::Email;
use crate::domain::password::{decoy_hash, verify_password};
use crate::domain::sign_in::{AttemptHistory, KNOWN_ADDRESS_SECONDS, WINDOW_SECONDS, throttle};
use crate::error::AppError;
use crate::http::auth::{Identity, Via};
use crate::http::client_ip::client_ip;
use crate::http::error::PageError;
use crate::http::extract::PageForm;
use crate::http::headers::RequestId;
use crate::http::{AppState, cookies};
use crate::journal::Actor;
use crate::secret::{new_token, token_hash};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    layout: Layout,
    csrf: String,
    email: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The pre-session CSRF token for the sign-in and setup forms: the cookie's value, or a new one with the
/// `Set-Cookie` header that sends it.
pub fn form_csrf(state: &AppState, headers: &HeaderMap) -> (String, Option<axum::http::HeaderValue>) {
    match cookies::read(headers, &state.config, cookies::FORM_CSRF) {
        Some(token) if token.len() >= 32 => (token, None),
        _ => {
            let token = new_token("");
            let cookie = cookies::set(&state.config, cookies::FORM_CSRF, &token, None);
            (token, Some(cookie))
        }
    }
}

fn render(page: LoginPage, status: StatusCode, cookie: Option<axum::http::HeaderValue>) -> Response {
    let mut response = (status, page).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

/// `GET /login`
pub async fn show(
    State(state): State<AppState>,
    identity: Identity,
    Query(query): Query<LoginQuery>,
    headers: HeaderMap,
) -> Response {
    if matches!(identity, Identity::Member(_)) {
        return Redirect::to("/").into_response();
    }
    let (csrf, cookie) = form_csrf(&state, &headers);
    let notice = match query.done.as_deref() {
        Some("setup") => Some("Your organisation is ready. Sign in with the address and password you chose."),
        Some("signed-out") => Some("You have signed out."),
        _ => None,
    };
    let page = LoginPage { layout: Layout::public("Sign in"), csrf, email: String::new(), notice, error: None };
    render(page, StatusCode::OK, cookie)
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// The one answer for an unknown address and a wrong password.
const WRONG: &str = "The e-mail address or password is not right. Check both and try again.";

/// `POST /login`
#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    request: RequestId,
    parts: Parts,
    identity: Identity,
    PageForm(form): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    let now = state.clock.now();
    let ip = client_ip(&parts, state.config.trust_forwarded_for);
    let (csrf, _) = form_csrf(&state, &parts.headers);
    let email_key = form.email.trim().to_lowercase();
    let refuse = |status: StatusCode, message: String| {
        let page = LoginPage {
            layout: Layout::public("Sign in"),
            csrf: csrf.clone(),
            email: form.email.trim().to_string(),
            notice: None,
            error: Some(message),
        };
        Ok(render(page, status, None))
    };
    if email_key.is_empty() || form.password.is_empty() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, "Enter your e-mail address and your password.".into());
    }
    if form.password.len() > 1024 {
        return refuse(StatusCode::UNAUTHORIZED, WRONG.into());
    }

    let mut c = state.db.read().await?;
    let history = AttemptHistory {
        address_failures: db::login_attempt::failures_from_ip(&mut c.conn(), &ip, now - WINDOW_SECONDS).await?,
        account_failures: db::login_attempt::failures_for_email(&mut c.conn(), &email_key, now - WINDOW_SECONDS)
            .await?,
        known_address: db::login_attempt::known_address(&mut c.conn(), &email_key, &ip, now - KNOWN_ADDRESS_SECONDS)
            .await?,
    };
    if let Some(message) = throttle(history) {
        tracing::warn!(target: "mandate::audit", email = email_key, ip, "sign-in throttled");
        let mut response = refuse(StatusCode::TOO_MANY_REQUESTS, message.into())?;
        response.headers_mut().insert("retry-after", axum::http::HeaderValue::from(WINDOW_SECONDS));
        return Ok(response);
    }
    let user = match Email::parse(&email_key) {
        Ok(email) => db::user::by_email(&mut c.conn(), email.as_str()).await?,
        Err(_) => None,
    };
    drop(c);
    let password = form.password.clone();
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    // Verify against a decoy when there is no account, so both cases cost the same.
    let verified = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => verify_password(&password, &hash),
        None => {
            verify_password(&password, decoy_hash());
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;

    let mut tx = state.db.begin().await?;
    db::login_attempt::record(&mut tx.conn(), &email_key, &ip, verified, now).await?;
    let user = match (user, verified) {
        (Some(user), true) => user,
        _ => {
            tx.commit().await?;
            tracing::info!(target: "mandate::audit", email = email_key, ip, "sign-in failed");
            return refuse(StatusCode::UNAUTHORIZED, WRONG.into());
        }
    };
    let orgs = db::membership::active_for_user(&mut tx.conn(), user.id, now).await?;
    if orgs.is_empty() {
        tx.commit().await?;
        tracing::info!(target: "mandate::audit", email = email_key, ip, "sign-in refused: no active membership");
        return refuse(
            StatusCode::FORBIDDEN,
            "Your access to Mandate has ended or been disabled. Ask your organisation's administrator.".into(),
        );
    }
    // A new session token at every sign-in; any session the browser held before ends.
    if let Identity::Member(crate::http::auth::Principal { via: Via::Session { id, .. }, .. }) = &identity {
        db::session::delete(&mut tx.conn(), *id).await?;
    }
    if let Identity::Choosing(chooser) = &identity {
        db::session::delete(&mut tx.conn(), chooser.session_id).await?;
    }
    let org = (orgs.len() == 1).then(|| orgs[0].org_id);
    let token = new_token("");
    db::session::insert(&mut tx.conn(), &token_hash(&token), user.id, org, &new_token(""), now).await?;
    if let Some(org) = org {
        let actor = Actor { name: user.email.clone(), role: orgs[0].role.clone(), request_id: request.0.clone() };
        accounts::record_sign_in(&state.ctx_as(actor), &mut tx, org, user.id).await?;
    }
    tx.commit().await?;
    tracing::info!(target: "mandate::audit", email = email_key, ip, user = %user.id, "sign-in succeeded");

    let target = if org.is_some() { "/" } else { "/orgs/choose" };
    let mut response = Redirect::to(target).into_response();
    response.headers_mut().append(SET_COOKIE, cookies::set(&state.config, cookies::SESSION, &token, None));
    Ok(response)
}

/// `POST /logout`: ends the session and clears the cookie.
pub async fn sign_out(State(state): State<AppState>, identity: Identity) -> Result<Response, PageError> {
    let session = match &identity {
        Identity::Member(p) => match &p.via {
            Via::Session { id, .. } => Some(*id),
            Via::Token { .. } => None,
        },
        Identity::Choosing(c) => Some(c.session_id),
        Identity::Anonymous => None,
    };
    if let Some(id) = session {
        let mut tx = state.db.begin().await?;
        db::session::delete(&mut tx.conn(), id).await?;
        tx.commit().await?;
    }
    let mut response = Redirect::to("/login?done=signed-out").into_response();
    response.headers_mut().append(SET_COOKIE, cookies::clear(&state.config, cookies::SESSION));
    Ok(response)
}
