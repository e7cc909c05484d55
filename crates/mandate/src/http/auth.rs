//! Who is asking, and may they? The guard resolves the caller from a bearer token or the session cookie,
//! applies the route's access rule and the CSRF checks, and hands handlers an [`Identity`].

use super::access::{self, Access};
use super::error::{PageError, json_error};
use super::{AppState, cookies, csrf};
use crate::db;
use crate::domain::ids::{OrgId, SessionId, TokenId, UserId};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::secret::{same_secret, token_hash};
use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Activity is written back at most this often, so reading pages is not a write each time.
const TOUCH_INTERVAL_SECONDS: i64 = 60;

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    Session { id: SessionId, csrf: String },
    Token { id: TokenId },
}

/// A person acting in one organisation with one role. Handlers obtain the organisation only from here.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub org_id: OrgId,
    pub org_slug: String,
    pub org_name: String,
    pub role: Role,
    pub via: Via,
}

impl Principal {
    /// The CSRF token for forms on pages rendered for this person.
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token { .. } => "",
        }
    }
}

/// A signed-in person who has not chosen an organisation yet.
#[derive(Debug, Clone)]
pub struct Chooser {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub email: String,
    pub csrf: String,
}

/// The caller as the guard resolved it.
#[derive(Debug, Clone)]
pub enum Identity {
    Anonymous,
    Choosing(Chooser),
    Member(Principal),
}

impl Identity {
    fn session(&self) -> Option<(SessionId, &str)> {
        match self {
            Identity::Choosing(c) => Some((c.session_id, &c.csrf)),
            Identity::Member(Principal { via: Via::Session { id, csrf }, .. }) => Some((*id, csrf)),
            _ => None,
        }
    }
}

/// Resolves the caller. A bearer token that does not resolve is an error (never a silent fall-back to
/// anonymous); a stale or unknown session cookie is simply anonymous.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Identity, AppError> {
    let now = state.clock.now();
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| AppError::Unauthorized("use an 'Authorization: Bearer <token>' header".into()))?;
        return authenticate_token(state, token, now).await.map(Identity::Member);
    }
    let Some(token) = cookies::read(headers, &state.config, cookies::SESSION) else {
        return Ok(Identity::Anonymous);
    };
    let mut c = state.db.read().await?;
    let Some(session) = db::session::by_token_hash(&mut c.conn(), &token_hash(&token), now).await? else {
        return Ok(Identity::Anonymous);
    };
    let idle = now - session.last_seen_at > state.config.session_idle_seconds;
    let too_old = now - session.created_at > state.config.session_absolute_seconds;
    let membership_ended = session.org_id.is_some() && session.role.is_none();
    drop(c);
    if idle || too_old || membership_ended {
        // The session is over whether or not it can be deleted now (on a full disk it cannot; the server's
        // periodic sweep deletes it later), so this never turns a request into an error.
        let deleted = async {
            let mut tx = state.db.begin().await?;
            db::session::delete(&mut tx.conn(), session.id).await?;
            tx.commit().await
        };
        if let Err(error) = deleted.await {
            tracing::warn!(%error, "could not delete an ended session");
        }
        return Ok(Identity::Anonymous);
    }
    if now - session.last_seen_at >= TOUCH_INTERVAL_SECONDS {
        let touched = async {
            let Some(mut tx) = state.db.try_begin().await? else { return Ok(()) };
            db::session::touch(&mut tx.conn(), session.id, now).await?;
            tx.commit().await
        };
        best_effort(touched.await, "session");
    }
    let via = Via::Session { id: session.id, csrf: session.csrf_token.clone() };
    Ok(match (session.org_id, session.role, session.org_slug, session.org_name) {
        (Some(org_id), Some(role), Some(org_slug), Some(org_name)) => Identity::Member(Principal {
            user_id: session.user_id,
            email: session.email,
            name: session.name,
            org_id,
            org_slug,
            org_name,
            role: role.parse()?,
            via,
        }),
        _ => Identity::Choosing(Chooser {
            session_id: session.id,
            user_id: session.user_id,
            email: session.email,
            csrf: session.csrf_token,
        }),
    })
}

async fn authenticate_token(state: &AppState, token: &str, now: i64) -> Result<Principal, AppError> {
    let refused = || {
        AppError::Unauthorized(
            "the bearer token is not valid: it may be mistyped, revoked, or its owner's access has ended".into(),
        )
    };
    let mut c = state.db.read().await?;
    let found = db::api_token::resolve(&mut c.conn(), &token_hash(token), now).await?.ok_or_else(refused)?;
    let token_role: Role = found.token_role.parse()?;
    let member_role: Role = found.member_role.as_deref().ok_or_else(refused)?.parse()?;
    if !member_role.covers(token_role) {
        return Err(refused());
    }
    drop(c);
    if found.last_used_at.is_none_or(|t| now - t >= TOUCH_INTERVAL_SECONDS) {
        let touched = async {
            let Some(mut tx) = state.db.try_begin().await? else { return Ok(()) };
            db::api_token::touch(&mut tx.conn(), found.id, now).await?;
            tx.commit().await
        };
        best_effort(touched.await, "API token");
    }
    Ok(Principal {
        user_id: found.user_id,
        email: found.email,
        name: found.user_name,
        org_id: found.org_id,
        org_slug: found.org_slug,
        org_name: found.org_name,
        role: token_role,
        via: Via::Token { id: found.id },
    })
}

/// Reads a URL-encoded body into memory (bounded) so its CSRF field can be checked, and puts it back.
async fn buffer_form(request: Request) -> Result<(Request, Option<String>), AppError> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, super::BODY_LIMIT)
        .await
        .map_err(|_| AppError::PayloadTooLarge("the form is larger than 1 MiB".into()))?;
    let token = csrf::form_token(&bytes);
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// The CSRF checks for an unsafe request that did not come with a bearer token.
async fn check_csrf(state: &AppState, identity: &Identity, request: Request) -> Result<Request, AppError> {
    if !csrf::same_origin(request.headers(), &state.config) {
        return Err(AppError::Forbidden(
            "this form was sent from another site or without an Origin header, so it was refused; reload the page and try again".into(),
        ));
    }
    let expected = match identity.session() {
        Some((_, csrf)) => Some(csrf.to_string()),
        None => cookies::read(request.headers(), &state.config, cookies::FORM_CSRF),
    };
    let header_token = csrf::header_token(request.headers()).or_else(|| csrf::query_token(request.uri()));
    let (request, form_token) = match header_token {
        Some(_) => (request, None),
        None => buffer_form(request).await?,
    };
    let sent = header_token.or(form_token);
    match (expected, sent) {
        (Some(expected), Some(sent)) if same_secret(&expected, &sent) => Ok(request),
        _ => Err(AppError::Forbidden(
            "the form's security token is missing or out of date; reload the page and send it again".into(),
        )),
    }
}

/// Refusal for a route's rule, or `None` when the caller passes it.
fn refusal(rule: Access, identity: &Identity) -> Option<AppError> {
    match (rule, identity) {
        (Access::Public, _) => None,
        (_, Identity::Anonymous) => Some(AppError::Unauthorized("sign in first".into())),
        (Access::SignedIn, _) => None,
        (Access::Roles(_), Identity::Choosing(_)) => {
            Some(AppError::Forbidden("choose the organisation you want to work in first".into()))
        }
        (rule @ Access::Roles(_), Identity::Member(p)) if !rule.allows(p.role) => {
            Some(AppError::Forbidden(format!("your role ({}) does not allow this in {}", p.role.label(), p.org_name)))
        }
        (Access::Roles(_), Identity::Member(_)) => None,
    }
}

fn deny(is_api: bool, identity: &Identity, error: AppError) -> Response {
    if is_api {
        return error.into_response();
    }
    match (&error, identity) {
        (AppError::Forbidden(_), Identity::Choosing(_)) => Redirect::to("/orgs/choose").into_response(),
        _ => PageError(error).into_response(),
    }
}

/// Authenticates, applies the access rule for the matched route, and checks CSRF on unsafe requests.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let Some(path) = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()) else {
        return next.run(request).await;
    };
    let is_api = path.starts_with("/api/");
    let Some(rule) = access::rule(&method, &path) else {
        tracing::error!(%method, path, "route without an access rule refused");
        return json_error(StatusCode::FORBIDDEN, "forbidden", "this route has no access rule");
    };
    let identity = match authenticate(&state, request.headers()).await {
        Ok(identity) => identity,
        Err(error) => return deny(is_api, &Identity::Anonymous, error),
    };
    if let Some(error) = refusal(rule, &identity) {
        if !matches!(identity, Identity::Anonymous) {
            tracing::warn!(target: "mandate::audit", %method, path, who = ?identity_label(&identity), "access denied");
        }
        return deny(is_api, &identity, error);
    }
    let mut request = request;
    let unsafe_method = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let via_token = matches!(&identity, Identity::Member(Principal { via: Via::Token { .. }, .. }));
    if unsafe_method && !via_token {
        request = match check_csrf(&state, &identity, request).await {
            Ok(request) => request,
            Err(error) => {
                tracing::warn!(target: "mandate::audit", %method, path, "CSRF check failed");
                return deny(is_api, &identity, error);
            }
        };
    }
    request.extensions_mut().insert(identity);
    next.run(request).await
}

fn identity_label(identity: &Identity) -> String {
    match identity {
        Identity::Anonymous => "anonymous".into(),
        Identity::Choosing(c) => c.email.clone(),
        Identity::Member(p) => format!("{} ({}) in org {}", p.email, p.role, p.org_id),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Identity>().cloned().unwrap_or(Identity::Anonymous))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Identity>() {
            Some(Identity::Member(p)) => Ok(p.clone()),
            _ => Err(AppError::Unauthorized("sign in first".into())),
        }
    }
}

/// Recording when a session or token was last used is bookkeeping: when it cannot be written (a full disk),
/// the request still goes ahead, so reads keep working; and it never waits behind another writer
/// (`Db::try_begin` skips it then).
fn best_effort(result: Result<(), db::DbError>, what: &str) {
    if let Err(error) = result {
        tracing::warn!(%error, "could not record when this {what} was last used");
    }
}
