//! ISMS processes and the RACI matrix's cells.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{CatalogueRoleId, OrgId, ProcessId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProcessRow {
    pub id: ProcessId,
    pub name: String,
    pub description: String,
    pub retired_at: Option<UnixTime>,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

/// One filled cell: `role` has `letter` in `process`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CellRow {
    pub process_id: ProcessId,
    pub role_id: CatalogueRoleId,
    pub letter: String,
}

/// What a process's row holds besides its id.
#[derive(Debug, Clone)]
pub struct ProcessFields<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub description: &'a str,
    pub retired_at: Option<UnixTime>,
}

/// Adds a process; a name already used (ignoring case) is [`DbError::Conflict`].
#[tracing::instrument(skip_all)]
pub async fn insert(c: &mut Conn<'_>, org: OrgId, f: &ProcessFields<'_>, now: UnixTime) -> Result<ProcessId, DbError> {
    const SQL: &str = "insert into isms_process (org_id, name, name_key, description, retired_at, created_at, \
                       updated_at) values ($1, $2, $3, $4, $5, $6, $6) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(f.name).bind(f.name_key).bind(f.description)
        .bind(f.retired_at).bind(now).fetch_one(&mut **c).await)?)
}

#[tracing::instrument(skip_all)]
pub async fn update(
    c: &mut Conn<'_>,
    org: OrgId,
    id: ProcessId,
    f: &ProcessFields<'_>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update isms_process set name = $3, name_key = $4, description = $5, retired_at = $6, \
                       updated_at = $7 where org_id = $1 and id = $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(f.name).bind(f.name_key)
        .bind(f.description).bind(f.retired_at).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, id: ProcessId) -> Result<Option<ProcessRow>, DbError> {
    const SQL: &str = "select id, name, description, retired_at, created_at, updated_at from isms_process \
                       where org_id = $1 and id = $2";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).fetch_optional(&mut **c).await)?)
}

/// `org`'s processes by name; retired ones only when asked.
pub async fn list(c: &mut Conn<'_>, org: OrgId, include_retired: bool) -> Result<Vec<ProcessRow>, DbError> {
    const SQL: &str = "select id, name, description, retired_at, created_at, updated_at from isms_process \
                       where org_id = $1 and ($2 or retired_at is null) order by name_key, id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(include_retired).fetch_all(&mut **c).await)?)
}

/// Every filled cell of `org`'s matrix, or of one process when `process` is given.
pub async fn cells(c: &mut Conn<'_>, org: OrgId, process: Option<ProcessId>) -> Result<Vec<CellRow>, DbError> {
    const SQL: &str = "select process_id, role_id, letter from raci_cell where org_id = $1 \
                       and ($2 is null or process_id = $2) order by process_id, role_id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(process).fetch_all(&mut **c).await)?)
}

/// Sets (or with `None` clears) one cell.
#[tracing::instrument(skip_all)]
pub async fn set_cell(
    c: &mut Conn<'_>,
    org: OrgId,
    process: ProcessId,
    role: CatalogueRoleId,
    letter: Option<&str>,
    now: UnixTime,
) -> Result<(), DbError> {
    const DELETE: &str = "delete from raci_cell where org_id = $1 and process_id = $2 and role_id = $3";
    const INSERT: &str =
        "insert into raci_cell (org_id, process_id, role_id, letter, updated_at) values ($1, $2, $3, $4, $5)";
    on_conn!(c, c => sqlx::query(DELETE).bind(org).bind(process).bind(role).execute(&mut **c).await
        .map(|r| r.rows_affected()))?;
    if let Some(letter) = letter {
        on_conn!(c, c => sqlx::query(INSERT).bind(org).bind(process).bind(role).bind(letter).bind(now)
            .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
