//! One catalogue role: its responsibilities, who holds it now, its evidence, and forms to change, retire or
//! delete it.

use super::Layout;
use super::record_evidence::EvidenceBox;
use super::roles::{RoleForm, rerender as rerender_list};
use crate::db;
use crate::db::appointment::{AppointmentRow, Filter};
use crate::db::role_catalogue::RoleRow;
use crate::domain::appointment::{Status, format_date};
use crate::domain::ids::CatalogueRoleId;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::ROLE_EDITORS;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::roles::catalogue::{self, RoleChange};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

/// How many current holders the page lists (the appointments page has them all).
const HOLDERS_SHOWN: i64 = 100;

/// A current holder, worded for the page.
pub struct HolderLine {
    pub appointment: AppointmentRow,
    pub since: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles_show.html")]
pub struct RolePage {
    layout: Layout,
    csrf: String,
    can_edit: bool,
    role: RoleRow,
    holders: Vec<HolderLine>,
    evidence: EvidenceBox,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    id: CatalogueRoleId,
    done: Option<&str>,
    error: Option<String>,
) -> Result<RolePage, AppError> {
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let role = db::role_catalogue::get(&mut c.conn(), principal.org_id, id, now)
        .await?
        .ok_or_else(|| AppError::not_found("role"))?;
    let filter = Filter { role: Some(id), status: Some(Status::Current), ..Default::default() };
    let (rows, _) = db::appointment::list(&mut c.conn(), principal.org_id, &filter, now, HOLDERS_SHOWN, 0).await?;
    drop(c);
    let holders = rows.into_iter().map(|a| HolderLine { since: format_date(a.appointed_on), appointment: a }).collect();
    Ok(RolePage {
        layout: Layout::member(&role.name, "roles", principal),
        csrf: principal.csrf().to_string(),
        can_edit: ROLE_EDITORS.contains(&principal.role),
        evidence: EvidenceBox::load(state, principal, "isms_role", id.0).await?,
        role,
        holders,
        notice: match done {
            Some("added") => Some("The role was added to the catalogue."),
            Some("saved") => Some("The change was saved and recorded in the ledger."),
            _ => None,
        },
        error,
    })
}

/// `GET /roles/{id}`
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<RolePage, PageError> {
    Ok(render(&state, &principal, CatalogueRoleId(id), query.done.as_deref(), None).await?)
}

/// Shows the role again with the error, for rule violations; other errors become error pages.
async fn rerender(
    state: &AppState,
    principal: &Principal,
    id: CatalogueRoleId,
    error: AppError,
) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(_) | AppError::Conflict(_) => {
            let status = error.status();
            Ok((status, render(state, principal, id, None, Some(error.to_string())).await?).into_response())
        }
        other => Err(other.into()),
    }
}

/// `POST /roles/{id}`
#[tracing::instrument(skip_all)]
pub async fn change(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<RoleForm>,
) -> Result<Response, PageError> {
    let id = CatalogueRoleId(id);
    let change = RoleChange {
        name: Some(form.name),
        description: Some(form.description),
        needs_deputy: Some(form.needs_deputy.is_some()),
        retired: Some(form.retired.is_some()),
    };
    match catalogue::update(&state.ctx(&principal, &request), principal.org_id, id, &change).await {
        Ok(()) => Ok(Redirect::to(&format!("/roles/{id}?done=saved")).into_response()),
        Err(error) => rerender(&state, &principal, id, error).await,
    }
}

/// `POST /roles/{id}/delete`
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    match catalogue::delete(&state.ctx(&principal, &request), principal.org_id, CatalogueRoleId(id)).await {
        Ok(()) => Ok(Redirect::to("/roles?done=deleted").into_response()),
        Err(error @ AppError::Conflict(_)) => rerender(&state, &principal, CatalogueRoleId(id), error).await,
        Err(error) => rerender_list(&state, &principal, &request, error).await,
    }
}
