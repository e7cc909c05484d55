//! Choosing the organisation to work in, for people who belong to several.

use super::Layout;
use crate::db;
use crate::domain::ids::OrgId;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::{Identity, Via};
use crate::http::error::PageError;
use crate::http::extract::PageForm;
use crate::http::headers::RequestId;
use crate::journal::Actor;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

pub struct Choice {
    org_id: OrgId,
    name: String,
    role_label: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "choose_org.html")]
pub struct ChoosePage {
    layout: Layout,
    csrf: String,
    orgs: Vec<Choice>,
}

/// The signed-in person's session id, user id and CSRF token, whether or not an organisation is chosen.
fn session_of(
    identity: &Identity,
) -> Result<(crate::domain::ids::SessionId, crate::domain::ids::UserId, String), AppError> {
    match identity {
        Identity::Choosing(c) => Ok((c.session_id, c.user_id, c.csrf.clone())),
        Identity::Member(p) => match &p.via {
            Via::Session { id, csrf } => Ok((*id, p.user_id, csrf.clone())),
            Via::Token { .. } => Err(AppError::Forbidden("API tokens belong to one organisation".into())),
        },
        Identity::Anonymous => Err(AppError::Unauthorized("sign in first".into())),
    }
}

/// `GET /orgs/choose`
pub async fn show(State(state): State<AppState>, identity: Identity) -> Result<ChoosePage, PageError> {
    let (_, user, csrf) = session_of(&identity)?;
    let mut c = state.db.read().await?;
    let orgs = db::membership::active_for_user(&mut c.conn(), user, state.clock.now()).await?;
    let orgs = orgs
        .into_iter()
        .map(|o| Choice {
            org_id: o.org_id,
            name: o.name,
            role_label: o.role.parse().map(crate::domain::role::Role::label).unwrap_or("member"),
        })
        .collect();
    Ok(ChoosePage { layout: Layout::public("Choose an organisation"), csrf, orgs })
}

#[derive(serde::Deserialize)]
pub struct ChooseForm {
    org_id: i64,
}

/// `POST /orgs/choose`: only an organisation with an active membership can be chosen.
pub async fn choose(
    State(state): State<AppState>,
    request: RequestId,
    identity: Identity,
    PageForm(form): PageForm<ChooseForm>,
) -> Result<Response, PageError> {
    let (session, user, _) = session_of(&identity)?;
    let mut tx = state.db.begin().await?;
    let orgs = db::membership::active_for_user(&mut tx.conn(), user, state.clock.now()).await?;
    let Some(org) = orgs.iter().find(|o| o.org_id.0 == form.org_id) else {
        return Err(AppError::NotFound("you are not a member of that organisation".into()).into());
    };
    db::session::choose_org(&mut tx.conn(), session, org.org_id).await?;
    let email = match &identity {
        Identity::Choosing(c) => c.email.clone(),
        Identity::Member(p) => p.email.clone(),
        Identity::Anonymous => String::new(),
    };
    let actor = Actor { name: email, role: org.role.clone(), request_id: request.0 };
    crate::accounts::record_sign_in(&state.ctx_as(actor), &mut tx, org.org_id, user).await?;
    tx.commit().await?;
    Ok(Redirect::to("/").into_response())
}
