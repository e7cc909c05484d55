//! One ISMS process: what it covers, its row of the RACI matrix, its evidence, and a form to rename, describe,
//! retire or reinstate it.

use super::Layout;
use super::raci::ProcessForm;
use super::record_evidence::EvidenceBox;
use crate::db;
use crate::db::raci::ProcessRow;
use crate::domain::ids::ProcessId;
use crate::domain::raci::{Letter, check_row};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::ROLE_EDITORS;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::roles::raci::{self, ProcessChange};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "raci_process.html")]
pub struct ProcessPage {
    layout: Layout,
    csrf: String,
    can_edit: bool,
    process: ProcessRow,
    /// (role name, letter label) for each role with a letter.
    cells: Vec<(String, &'static str, &'static str)>,
    flags: Vec<&'static str>,
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
    id: ProcessId,
    done: Option<&str>,
    error: Option<String>,
) -> Result<ProcessPage, AppError> {
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let process =
        db::raci::get(&mut c.conn(), principal.org_id, id).await?.ok_or_else(|| AppError::not_found("process"))?;
    let roles = db::role_catalogue::active(&mut c.conn(), principal.org_id, now).await?;
    let stored = db::raci::cells(&mut c.conn(), principal.org_id, Some(id)).await?;
    drop(c);
    let mut cells = Vec::new();
    for role in roles {
        if let Some(letter) =
            stored.iter().find(|s| s.role_id == role.id).and_then(|s| Letter::parse(&s.letter).ok().flatten())
        {
            cells.push((role.name, letter.as_str(), letter.label()));
        }
    }
    let flags = if process.retired_at.is_some() {
        Vec::new()
    } else {
        check_row(cells.iter().filter_map(|(_, l, _)| Letter::parse(l).ok().flatten()))
            .iter()
            .map(|f| f.message())
            .collect()
    };
    Ok(ProcessPage {
        layout: Layout::member(&process.name, "roles", principal),
        csrf: principal.csrf().to_string(),
        can_edit: ROLE_EDITORS.contains(&principal.role),
        evidence: EvidenceBox::load(state, principal, "isms_process", id.0).await?,
        process,
        cells,
        flags,
        notice: (done == Some("saved")).then_some("The change was saved and recorded in the ledger."),
        error,
    })
}

/// `GET /raci/{id}`
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<ProcessPage, PageError> {
    Ok(render(&state, &principal, ProcessId(id), query.done.as_deref(), None).await?)
}

/// `POST /raci/{id}`
#[tracing::instrument(skip_all)]
pub async fn change(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ProcessForm>,
) -> Result<Response, PageError> {
    let id = ProcessId(id);
    let change = ProcessChange {
        name: Some(form.name),
        description: Some(form.description),
        retired: Some(form.retired.is_some()),
    };
    match raci::change_process(&state.ctx(&principal, &request), principal.org_id, id, &change).await {
        Ok(()) => Ok(Redirect::to(&format!("/raci/{id}?done=saved")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = error.status();
            Ok((status, render(&state, &principal, id, None, Some(error.to_string())).await?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
