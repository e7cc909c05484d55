//! Adding, changing, retiring and deleting catalogue roles. A role that was ever used is retired, never
//! deleted, so appointments and the RACI history keep pointing at it.

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::role_catalogue::{RoleFields, RoleRow};
use crate::db::{self, DbError, Tx};
use crate::domain::ids::{CatalogueRoleId, OrgId};
use crate::domain::role_catalogue::{check_description, check_name, name_key};
use crate::error::AppError;
use crate::journal::Change;

/// A new role.
#[derive(Debug, Clone, Default)]
pub struct RoleInput {
    pub name: String,
    pub description: String,
    pub needs_deputy: bool,
}

/// A change to a role; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RoleChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub needs_deputy: Option<bool>,
    pub retired: Option<bool>,
}

/// A role's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct RoleState<'a> {
    name: &'a str,
    description: &'a str,
    needs_deputy: bool,
    retired_at: Option<UnixTime>,
}

impl<'a> RoleState<'a> {
    fn of(f: &'a RoleFields<'a>) -> Self {
        Self { name: f.name, description: f.description, needs_deputy: f.needs_deputy, retired_at: f.retired_at }
    }
}

fn name_taken(name: &str) -> AppError {
    AppError::Conflict(format!(
        "the catalogue already has a role called '{name}'; choose another name or edit that role"
    ))
}

/// Loads a role of `org` for a change; another organisation's role is not found.
pub(crate) async fn load(tx: &mut Tx, org: OrgId, id: CatalogueRoleId, now: UnixTime) -> Result<RoleRow, AppError> {
    db::role_catalogue::get(&mut tx.conn(), org, id, now).await?.ok_or_else(|| AppError::not_found("role"))
}

/// Adds a role to `org`'s catalogue.
pub async fn create(ctx: &Ctx<'_>, org: OrgId, input: &RoleInput) -> Result<CatalogueRoleId, AppError> {
    super::ensure_seeded(ctx, org).await?;
    let mut tx = ctx.db.begin().await?;
    let id = create_in(ctx, &mut tx, org, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside the caller's transaction.
pub async fn create_in(ctx: &Ctx<'_>, tx: &mut Tx, org: OrgId, input: &RoleInput) -> Result<CatalogueRoleId, AppError> {
    let name = check_name(&input.name, "the role")?;
    let description = check_description(&input.description)?;
    let key = name_key(&name);
    let fields = RoleFields {
        name: &name,
        name_key: &key,
        description: &description,
        needs_deputy: input.needs_deputy,
        retired_at: None,
    };
    let id = db::role_catalogue::insert(&mut tx.conn(), org, &fields, ctx.now).await.map_err(|e| match e {
        DbError::Conflict => name_taken(&name),
        other => other.into(),
    })?;
    ctx.journal
        .append(tx, org, &ctx.actor, Change::of("create", "isms_role", id, &RoleState::of(&fields)), ctx.now)
        .await?;
    Ok(id)
}

/// Renames, describes, retires or reinstates a role. A role people hold now, or are appointed to from a later
/// day, cannot be retired until those appointments end.
pub async fn update(ctx: &Ctx<'_>, org: OrgId, id: CatalogueRoleId, change: &RoleChange) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    update_in(ctx, &mut tx, org, id, change).await?;
    tx.commit().await?;
    Ok(())
}

/// [`update`] inside the caller's transaction.
pub async fn update_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: CatalogueRoleId,
    change: &RoleChange,
) -> Result<(), AppError> {
    let row = load(tx, org, id, ctx.now).await?;
    let name = match &change.name {
        Some(name) => check_name(name, "the role")?,
        None => row.name.clone(),
    };
    let description = match &change.description {
        Some(text) => check_description(text)?,
        None => row.description.clone(),
    };
    let retired_at = match change.retired {
        Some(true) => row.retired_at.or(Some(ctx.now)),
        Some(false) => None,
        None => row.retired_at,
    };
    if retired_at.is_some() && row.retired_at.is_none() {
        let open = db::appointment::open_for_role(&mut tx.conn(), org, id, ctx.now).await?;
        if open > 0 {
            return Err(AppError::Conflict(format!(
                "'{}' has {open} current or planned appointment{}; end {} before retiring the role",
                row.name,
                if open == 1 { "" } else { "s" },
                if open == 1 { "it" } else { "them" }
            )));
        }
    }
    let key = name_key(&name);
    let needs_deputy = change.needs_deputy.unwrap_or(row.needs_deputy);
    let fields = RoleFields { name: &name, name_key: &key, description: &description, needs_deputy, retired_at };
    let unchanged = name == row.name
        && description == row.description
        && needs_deputy == row.needs_deputy
        && retired_at == row.retired_at;
    if unchanged {
        return Ok(());
    }
    db::role_catalogue::update(&mut tx.conn(), org, id, &fields, ctx.now).await.map_err(|e| match e {
        DbError::Conflict => name_taken(&name),
        other => other.into(),
    })?;
    let action = match (row.retired_at, retired_at) {
        (None, Some(_)) => "retire",
        (Some(_), None) => "reinstate",
        _ => "update",
    };
    ctx.journal
        .append(tx, org, &ctx.actor, Change::of(action, "isms_role", id, &RoleState::of(&fields)), ctx.now)
        .await?;
    Ok(())
}

/// Deletes a role nothing has used yet (a typo, a role added by mistake). A used role is retired instead.
pub async fn delete(ctx: &Ctx<'_>, org: OrgId, id: CatalogueRoleId) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    delete_in(ctx, &mut tx, org, id).await?;
    tx.commit().await?;
    Ok(())
}

/// [`delete`] inside the caller's transaction.
pub async fn delete_in(ctx: &Ctx<'_>, tx: &mut Tx, org: OrgId, id: CatalogueRoleId) -> Result<(), AppError> {
    let row = load(tx, org, id, ctx.now).await?;
    if db::role_catalogue::uses(&mut tx.conn(), org, id).await? > 0 {
        return Err(AppError::Conflict(format!(
            "'{}' is used by appointments, the RACI matrix or a segregation rule, so its history must stay; retire it instead",
            row.name
        )));
    }
    db::role_catalogue::delete(&mut tx.conn(), org, id).await?;
    let tombstone = Change { action: "delete", object_type: "isms_role", object_id: id.to_string(), state: None };
    ctx.journal.append(tx, org, &ctx.actor, tombstone, ctx.now).await?;
    Ok(())
}
