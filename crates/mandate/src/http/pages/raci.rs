//! The RACI page: ISMS processes × catalogue roles, each row editable on its own (a form per row, no
//! JavaScript); rows without exactly one accountable role or any responsible role are highlighted.

use super::Layout;
use crate::db::role_catalogue::RoleRow;
use crate::domain::ids::{CatalogueRoleId, ProcessId};
use crate::domain::raci::Letter;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::ROLE_EDITORS;
use crate::http::api::roles::seeded;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::roles::raci::{self, ProcessInput};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// A cell of the grid.
pub struct GridCell {
    pub role: CatalogueRoleId,
    pub role_name: String,
    /// `R`, `A`, `C`, `I` or empty.
    pub letter: &'static str,
}

/// A row of the grid, worded for the page.
pub struct GridRow {
    pub id: ProcessId,
    pub name: String,
    pub cells: Vec<GridCell>,
    pub flags: Vec<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "raci.html")]
pub struct RaciPage {
    layout: Layout,
    csrf: String,
    can_edit: bool,
    roles: Vec<RoleRow>,
    rows: Vec<GridRow>,
    flagged: usize,
    letters: Vec<(&'static str, &'static str)>,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RaciQuery {
    #[serde(default)]
    done: Option<String>,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    request: &RequestId,
    done: Option<&str>,
    error: Option<String>,
) -> Result<RaciPage, AppError> {
    seeded(state, principal, request).await?;
    let mut c = state.db.read().await?;
    let matrix = raci::matrix(&mut c.conn(), principal.org_id, state.clock.now()).await?;
    let rows: Vec<GridRow> = matrix
        .rows
        .into_iter()
        .map(|row| GridRow {
            id: row.process.id,
            name: row.process.name,
            cells: matrix
                .roles
                .iter()
                .zip(&row.cells)
                .map(|(r, l)| GridCell { role: r.id, role_name: r.name.clone(), letter: l.map_or("", Letter::as_str) })
                .collect(),
            flags: row.flags.iter().map(|f| f.message()).collect(),
        })
        .collect();
    Ok(RaciPage {
        layout: Layout::member("RACI matrix", "roles", principal),
        csrf: principal.csrf().to_string(),
        can_edit: ROLE_EDITORS.contains(&principal.role),
        flagged: rows.iter().filter(|r| !r.flags.is_empty()).count(),
        roles: matrix.roles,
        rows,
        letters: Letter::ALL.iter().map(|l| (l.as_str(), l.label())).collect(),
        notice: match done {
            Some("saved") => Some("The row was saved and recorded in the ledger."),
            Some("added") => Some("The process was added."),
            _ => None,
        },
        error,
    })
}

/// `GET /raci`
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageQuery(query): PageQuery<RaciQuery>,
) -> Result<RaciPage, PageError> {
    Ok(render(&state, &principal, &request, query.done.as_deref(), None).await?)
}

async fn rerender(
    state: &AppState,
    principal: &Principal,
    request: &RequestId,
    error: AppError,
) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(_) | AppError::Conflict(_) => {
            let status = error.status();
            Ok((status, render(state, principal, request, None, Some(error.to_string())).await?).into_response())
        }
        other => Err(other.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ProcessForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub retired: Option<String>,
}

/// `POST /raci`: adds a process.
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<ProcessForm>,
) -> Result<Response, PageError> {
    let input = ProcessInput { name: form.name, description: form.description };
    match raci::create_process(&state.ctx(&principal, &request), principal.org_id, &input).await {
        Ok(_) => Ok(Redirect::to("/raci?done=added").into_response()),
        Err(error) => rerender(&state, &principal, &request, error).await,
    }
}

/// The cells a row form sends: `cell_<role id>` = `R`, `A`, `C`, `I` or empty.
fn cells_of(form: &HashMap<String, String>) -> Result<Vec<(CatalogueRoleId, Option<Letter>)>, AppError> {
    let mut cells = Vec::new();
    for (key, value) in form {
        let Some(role) = key.strip_prefix("cell_") else { continue };
        let role = role.parse().map_err(|_| AppError::Invalid(format!("'{key}' does not name a role")))?;
        cells.push((CatalogueRoleId(role), Letter::parse(value)?));
    }
    cells.sort_by_key(|(role, _)| *role);
    Ok(cells)
}

/// `POST /raci/{id}/cells`: saves one process's row.
#[tracing::instrument(skip_all)]
pub async fn save_row(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = async {
        let cells = cells_of(&form)?;
        raci::set_cells(&state.ctx(&principal, &request), principal.org_id, ProcessId(id), &cells).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/raci?done=saved").into_response()),
        Err(error) => rerender(&state, &principal, &request, error).await,
    }
}
