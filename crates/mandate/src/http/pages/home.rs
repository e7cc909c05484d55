//! The home page: who you are, your organisation, and what exists so far.

use super::Layout;
use crate::db;
use crate::domain::role::Role;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    name: String,
    email: String,
    org_name: String,
    org_slug: String,
    role_label: &'static str,
    role_summary: &'static str,
    is_admin: bool,
    active_members: i64,
    active_tokens: usize,
    tasks: Vec<Task>,
}

/// Something the signed-in person owes (see `crate::tasks`): a policy to acknowledge, an action to carry out, a training to complete.
pub struct Task {
    pub title: String,
    pub url: String,
    pub due: String,
    pub overdue: bool,
}

impl Task {
    /// A task as the pages list it.
    pub fn of(t: crate::tasks::Task) -> Self {
        Task { title: t.title, url: t.url, due: super::policies::day(t.due_at), overdue: t.overdue }
    }
}

fn role_summary(role: Role) -> &'static str {
    match role {
        Role::Admin => {
            "You manage who has access to this organisation in Mandate: people, their roles, auditors' expiry dates and API tokens."
        }
        Role::IsmsManager => {
            "You run the ISMS day to day: registers, reviews, audits and campaigns, and you prepare the management review."
        }
        Role::TopManagement => {
            "You approve policies, set objectives, grant resources, chair meetings and the management review, and see whether your duties are evidenced."
        }
        Role::Auditor => {
            "You have read-only access to this organisation's ISMS records and can verify its ledger offline."
        }
        Role::Employee => "You read and acknowledge policies and complete the training your organisation assigns.",
    }
}

/// `GET /`
#[tracing::instrument(skip_all)]
pub async fn show(State(state): State<AppState>, principal: Principal) -> Result<Response, PageError> {
    // Top management's home is the leadership page: what they owe, and whether it is evidenced.
    if principal.role == Role::TopManagement {
        return Ok(super::leadership::page(&state, &principal, true).await?.into_response());
    }
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let active_members = db::membership::count_active(&mut c.conn(), principal.org_id, now).await?;
    let orgs = db::membership::active_for_user(&mut c.conn(), principal.user_id, now).await?;
    let active_tokens = if principal.role == Role::Admin {
        db::api_token::list(&mut c.conn(), principal.org_id).await?.iter().filter(|t| t.revoked_at.is_none()).count()
    } else {
        0
    };
    let tasks = crate::tasks::open_tasks(&mut c.conn(), principal.org_id, principal.user_id, now)
        .await?
        .into_iter()
        .map(Task::of)
        .collect();
    Ok(HomePage {
        layout: Layout::member("Home", "home", &principal).with_several_orgs(orgs.len() > 1),
        name: principal.name.clone(),
        email: principal.email.clone(),
        org_name: principal.org_name.clone(),
        org_slug: principal.org_slug.clone(),
        role_label: principal.role.label(),
        role_summary: role_summary(principal.role),
        is_admin: principal.role == Role::Admin,
        active_members,
        active_tokens,
        tasks,
    }
    .into_response())
}
