//! `/api/v1/raci`: the RACI matrix of ISMS processes × catalogue roles, with the rows that lack exactly one
//! accountable role or any responsible role flagged; adding and changing processes and their letters.

use super::roles::{RoleRef, seeded};
use crate::db;
use crate::domain::ids::{CatalogueRoleId, ProcessId};
use crate::domain::raci::{Letter, RowFlag};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::headers::RequestId;
use crate::roles::raci::{self, MatrixRow, ProcessChange, ProcessInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// One filled cell.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CellView {
    #[schema(value_type = i64)]
    pub role_id: CatalogueRoleId,
    pub letter: Letter,
}

/// A process: a row of the matrix.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ProcessView {
    #[schema(value_type = i64)]
    pub id: ProcessId,
    pub name: String,
    pub description: String,
    pub retired: bool,
    /// The filled cells of roles in use.
    pub cells: Vec<CellView>,
    /// What is wrong with the row: no or several accountable roles, no responsible role.
    pub flags: Vec<RowFlag>,
}

/// The whole matrix.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RaciView {
    /// The columns: the catalogue's roles in use.
    pub roles: Vec<RoleRef>,
    /// The rows: the processes in use.
    pub processes: Vec<ProcessView>,
    /// How many processes have a flag.
    pub flagged: usize,
}

fn process_view(row: MatrixRow, roles: &[RoleRef]) -> ProcessView {
    ProcessView {
        id: row.process.id,
        name: row.process.name,
        description: row.process.description,
        retired: row.process.retired_at.is_some(),
        cells: roles
            .iter()
            .zip(row.cells)
            .filter_map(|(role, letter)| letter.map(|letter| CellView { role_id: role.id, letter }))
            .collect(),
        flags: row.flags,
    }
}

/// Reads the matrix as its API view.
async fn matrix_view(state: &AppState, principal: &Principal) -> Result<RaciView, AppError> {
    let mut c = state.db.read().await?;
    let matrix = raci::matrix(&mut c.conn(), principal.org_id, state.clock.now()).await?;
    let roles: Vec<RoleRef> = matrix.roles.into_iter().map(|r| RoleRef { id: r.id, name: r.name }).collect();
    let processes: Vec<ProcessView> = matrix.rows.into_iter().map(|row| process_view(row, &roles)).collect();
    let flagged = processes.iter().filter(|p| !p.flags.is_empty()).count();
    Ok(RaciView { roles, processes, flagged })
}

#[utoipa::path(get, path = "/api/v1/raci", tag = "roles", responses((status = 200, body = RaciView)))]
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
) -> Result<Json<RaciView>, AppError> {
    seeded(&state, &principal, &request).await?;
    Ok(Json(matrix_view(&state, &principal).await?))
}

/// One process as it stands, retired or not.
async fn fetch(state: &AppState, principal: &Principal, id: ProcessId) -> Result<ProcessView, AppError> {
    let mut c = state.db.read().await?;
    let process =
        db::raci::get(&mut c.conn(), principal.org_id, id).await?.ok_or_else(|| AppError::not_found("process"))?;
    let matrix = raci::matrix(&mut c.conn(), principal.org_id, state.clock.now()).await?;
    let roles: Vec<RoleRef> = matrix.roles.iter().map(|r| RoleRef { id: r.id, name: r.name.clone() }).collect();
    // A retired process is not in the matrix; show it with its last letters and no flags.
    let row = match matrix.rows.into_iter().find(|r| r.process.id == id) {
        Some(row) => row,
        None => {
            let cells = db::raci::cells(&mut c.conn(), principal.org_id, Some(id)).await?;
            let letters = roles
                .iter()
                .map(|r| cells.iter().find(|c| c.role_id == r.id).and_then(|c| Letter::parse(&c.letter).ok().flatten()))
                .collect();
            MatrixRow { process, cells: letters, flags: Vec::new() }
        }
    };
    Ok(process_view(row, &roles))
}

/// A process to add.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProcess {
    pub name: String,
    pub description: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/raci/processes", tag = "roles", request_body = NewProcess,
    responses((status = 201, body = ProcessView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(input): ApiJson<NewProcess>,
) -> Result<(StatusCode, Json<ProcessView>), AppError> {
    let input = ProcessInput { name: input.name, description: input.description.unwrap_or_default() };
    let id = raci::create_process(&state.ctx(&principal, &request), principal.org_id, &input).await?;
    Ok((StatusCode::CREATED, Json(fetch(&state, &principal, id).await?)))
}

/// A cell to set; `"letter": null` clears it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CellChange {
    pub role_id: i64,
    pub letter: Option<Letter>,
}

/// A change to a process; absent fields stay as they are. `cells` sets only the roles it lists.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
    pub retired: Option<bool>,
    pub cells: Option<Vec<CellChange>>,
}

#[utoipa::path(patch, path = "/api/v1/raci/processes/{id}", tag = "roles", request_body = ProcessUpdate,
    params(("id" = i64, Path, description = "process id")),
    responses((status = 200, body = ProcessView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ProcessUpdate>,
) -> Result<Json<ProcessView>, AppError> {
    let id = ProcessId(id);
    let ctx = state.ctx(&principal, &request);
    let change = ProcessChange { name: input.name, description: input.description, retired: input.retired };
    let cells: Vec<_> =
        input.cells.unwrap_or_default().into_iter().map(|c| (CatalogueRoleId(c.role_id), c.letter)).collect();
    // Both parts go in one transaction: a refused letter leaves the name unchanged too.
    let mut tx = state.db.begin().await?;
    raci::change_process_in(&ctx, &mut tx, principal.org_id, id, &change).await?;
    if !cells.is_empty() {
        raci::set_cells_in(&ctx, &mut tx, principal.org_id, id, &cells).await?;
    }
    tx.commit().await?;
    Ok(Json(fetch(&state, &principal, id).await?))
}
