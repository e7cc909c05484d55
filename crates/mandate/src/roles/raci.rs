//! ISMS processes and the RACI matrix: adding, renaming and retiring processes, setting a process's letters, and
//! reading the matrix with each row's flags. Retired roles and processes leave the matrix; their cells stay in
//! the database and the ledger as history.

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::raci::{ProcessFields, ProcessRow};
use crate::db::role_catalogue::RoleRow;
use crate::db::{self, Conn, DbError, Tx};
use crate::domain::ids::{CatalogueRoleId, OrgId, ProcessId};
use crate::domain::raci::{Letter, RowFlag, check_row};
use crate::domain::role_catalogue::{check_description, check_name, name_key};
use crate::error::AppError;
use crate::journal::Change;
use std::collections::HashMap;

/// A new process.
#[derive(Debug, Clone, Default)]
pub struct ProcessInput {
    pub name: String,
    pub description: String,
}

/// A change to a process; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProcessChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub retired: Option<bool>,
}

/// A process's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct ProcessState<'a> {
    name: &'a str,
    description: &'a str,
    retired_at: Option<UnixTime>,
}

/// A process's row of the matrix as the ledger hashes it: every filled cell, by role id.
#[derive(serde::Serialize)]
struct RowState {
    process_id: ProcessId,
    cells: Vec<(CatalogueRoleId, Letter)>,
}

fn name_taken(name: &str) -> AppError {
    AppError::Conflict(format!("there already is a process called '{name}'; choose another name or edit that one"))
}

/// Adds a process to `org`'s RACI matrix.
pub async fn create_process(ctx: &Ctx<'_>, org: OrgId, input: &ProcessInput) -> Result<ProcessId, AppError> {
    super::ensure_seeded(ctx, org).await?;
    let mut tx = ctx.db.begin().await?;
    let id = create_process_in(ctx, &mut tx, org, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create_process`] inside the caller's transaction.
pub async fn create_process_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    input: &ProcessInput,
) -> Result<ProcessId, AppError> {
    let name = check_name(&input.name, "the process")?;
    let description = check_description(&input.description)?;
    let key = name_key(&name);
    let fields = ProcessFields { name: &name, name_key: &key, description: &description, retired_at: None };
    let id = db::raci::insert(&mut tx.conn(), org, &fields, ctx.now).await.map_err(|e| match e {
        DbError::Conflict => name_taken(&name),
        other => other.into(),
    })?;
    let state = ProcessState { name: &name, description: &description, retired_at: None };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("create", "isms_process", id, &state), ctx.now).await?;
    Ok(id)
}

/// Renames, describes, retires or reinstates a process.
pub async fn change_process(ctx: &Ctx<'_>, org: OrgId, id: ProcessId, change: &ProcessChange) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    change_process_in(ctx, &mut tx, org, id, change).await?;
    tx.commit().await?;
    Ok(())
}

/// [`change_process`] inside the caller's transaction.
pub async fn change_process_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: ProcessId,
    change: &ProcessChange,
) -> Result<(), AppError> {
    let row = load(tx, org, id).await?;
    let name = change.name.as_deref().map(|n| check_name(n, "the process")).transpose()?.unwrap_or(row.name.clone());
    let description =
        change.description.as_deref().map(check_description).transpose()?.unwrap_or(row.description.clone());
    let retired_at = match change.retired {
        Some(true) => row.retired_at.or(Some(ctx.now)),
        Some(false) => None,
        None => row.retired_at,
    };
    if name == row.name && description == row.description && retired_at == row.retired_at {
        return Ok(());
    }
    let key = name_key(&name);
    let fields = ProcessFields { name: &name, name_key: &key, description: &description, retired_at };
    db::raci::update(&mut tx.conn(), org, id, &fields, ctx.now).await.map_err(|e| match e {
        DbError::Conflict => name_taken(&name),
        other => other.into(),
    })?;
    let action = match (row.retired_at, retired_at) {
        (None, Some(_)) => "retire",
        (Some(_), None) => "reinstate",
        _ => "update",
    };
    let state = ProcessState { name: &name, description: &description, retired_at };
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, "isms_process", id, &state), ctx.now).await?;
    Ok(())
}

async fn load(tx: &mut Tx, org: OrgId, id: ProcessId) -> Result<ProcessRow, AppError> {
    db::raci::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("process"))
}

/// Sets the letters of some roles in a process's row (`None` clears a cell); other cells stay as they are.
pub async fn set_cells(
    ctx: &Ctx<'_>,
    org: OrgId,
    process: ProcessId,
    cells: &[(CatalogueRoleId, Option<Letter>)],
) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    set_cells_in(ctx, &mut tx, org, process, cells).await?;
    tx.commit().await?;
    Ok(())
}

/// [`set_cells`] inside the caller's transaction. One ledger event records the row as it is afterwards.
pub async fn set_cells_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    process: ProcessId,
    cells: &[(CatalogueRoleId, Option<Letter>)],
) -> Result<(), AppError> {
    let row = load(tx, org, process).await?;
    if row.retired_at.is_some() {
        return Err(AppError::Conflict(format!("'{}' is retired; reinstate it before changing its row", row.name)));
    }
    let roles = db::role_catalogue::active(&mut tx.conn(), org, ctx.now).await?;
    let mut current: HashMap<CatalogueRoleId, Letter> =
        letters(db::raci::cells(&mut tx.conn(), org, Some(process)).await?);
    let mut seen = Vec::with_capacity(cells.len());
    let mut changed = false;
    for (role, letter) in cells {
        if !roles.iter().any(|r| r.id == *role) {
            return Err(AppError::Invalid(format!("there is no role {role} in the catalogue (or it is retired)")));
        }
        if seen.contains(role) {
            return Err(AppError::Invalid(format!("role {role} is given twice; give each role one letter")));
        }
        seen.push(*role);
        if current.get(role) != letter.as_ref() {
            db::raci::set_cell(&mut tx.conn(), org, process, *role, letter.map(Letter::as_str), ctx.now).await?;
            match letter {
                Some(letter) => current.insert(*role, *letter),
                None => current.remove(role),
            };
            changed = true;
        }
    }
    if changed {
        let mut cells: Vec<_> = current.into_iter().collect();
        cells.sort();
        let state = RowState { process_id: process, cells };
        ctx.journal.append(tx, org, &ctx.actor, Change::of("update", "raci_row", process, &state), ctx.now).await?;
    }
    Ok(())
}

fn letters(rows: Vec<db::raci::CellRow>) -> HashMap<CatalogueRoleId, Letter> {
    rows.into_iter().filter_map(|c| Letter::parse(&c.letter).ok().flatten().map(|l| (c.role_id, l))).collect()
}

/// One row of the matrix.
#[derive(Debug, Clone)]
pub struct MatrixRow {
    pub process: ProcessRow,
    /// The letter of each column (the matrix's roles, in order), if any.
    pub cells: Vec<Option<Letter>>,
    pub flags: Vec<RowFlag>,
}

/// The matrix: the active roles as columns, the active processes as rows.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub roles: Vec<RoleRow>,
    pub rows: Vec<MatrixRow>,
}

/// Reads `org`'s matrix as it stands at `now`.
pub async fn matrix(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Matrix, AppError> {
    let roles = db::role_catalogue::active(c, org, now).await?;
    let processes = db::raci::list(c, org, false).await?;
    let mut by_process: HashMap<ProcessId, HashMap<CatalogueRoleId, Letter>> = HashMap::new();
    for cell in db::raci::cells(c, org, None).await? {
        if let Ok(Some(letter)) = Letter::parse(&cell.letter) {
            by_process.entry(cell.process_id).or_default().insert(cell.role_id, letter);
        }
    }
    let rows = processes
        .into_iter()
        .map(|process| {
            let row = by_process.remove(&process.id).unwrap_or_default();
            let cells: Vec<Option<Letter>> = roles.iter().map(|r| row.get(&r.id).copied()).collect();
            let flags = check_row(cells.iter().flatten().copied());
            MatrixRow { process, cells, flags }
        })
        .collect();
    Ok(Matrix { roles, rows })
}
