//! Importing people from CSV so campaigns reach the whole organisation: a dry run reports what would change,
//! row by row; the import itself adds new people and moves existing ones to their department in one
//! transaction, and only when no row has an error.

use crate::accounts::{self, NewMember};
use crate::context::Ctx;
use crate::db;
use crate::domain::ids::OrgId;
use crate::domain::people_import::{self, PersonRow, RowError};
use crate::error::AppError;

/// One row's effect.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RowChange {
    pub line: usize,
    pub email: String,
    pub name: String,
    pub department: Option<String>,
    pub role: String,
    /// What happens: added, department changed (from → to), or unchanged (with any note).
    pub change: String,
}

/// What an import did or would do.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Whether the changes were made (false for a dry run or when rows have errors).
    pub applied: bool,
    pub added: Vec<RowChange>,
    pub updated: Vec<RowChange>,
    pub unchanged: Vec<RowChange>,
    pub errors: Vec<RowError>,
}

enum Plan {
    Add(PersonRow),
    Move(PersonRow, crate::domain::ids::UserId),
    Keep,
}

/// Reads `text` and, unless `dry_run`, applies it. A file with bad rows is reported and changes nothing.
pub async fn import(ctx: &Ctx<'_>, org: OrgId, text: &str, dry_run: bool) -> Result<ImportReport, AppError> {
    let (rows, errors) = people_import::parse(text).map_err(AppError::Invalid)?;
    if rows.is_empty() && errors.is_empty() {
        return Err(AppError::Invalid("the file lists nobody; add one person per line under the header".into()));
    }
    let mut report = ImportReport { errors, ..ImportReport::default() };
    let mut plans = Vec::new();
    let mut c = ctx.db.read().await?;
    for row in rows {
        let account = db::user::by_email(&mut c.conn(), &row.email).await?;
        let existing = match &account {
            Some(user) => db::membership::get(&mut c.conn(), org, user.id).await?,
            None => None,
        };
        let mut line = RowChange {
            line: row.line,
            email: row.email.clone(),
            name: row.name.clone(),
            department: row.department.clone(),
            role: row.role.as_str().into(),
            change: String::new(),
        };
        match existing {
            None => {
                // Someone who already has a Mandate account (in another organisation) joins with that account: its
                // own name and password stay, and nothing of it is shown here.
                line.change = if account.is_some() {
                    "added; an existing Mandate account with this e-mail joins (it keeps its own name and password)"
                        .into()
                } else {
                    "added".into()
                };
                report.added.push(line);
                plans.push(Plan::Add(row));
            }
            Some(member) if member.department != row.department => {
                line.change = format!(
                    "department {} → {}",
                    member.department.as_deref().unwrap_or("none"),
                    row.department.as_deref().unwrap_or("none")
                );
                report.updated.push(line);
                plans.push(Plan::Move(row, member.user_id));
            }
            Some(member) => {
                line.change = if member.role != row.role.as_str() {
                    format!("unchanged; role stays {} (change roles on the People page)", member.role().label())
                } else {
                    "unchanged".into()
                };
                report.unchanged.push(line);
                plans.push(Plan::Keep);
            }
        }
    }
    drop(c);
    if dry_run || !report.errors.is_empty() {
        return Ok(report);
    }
    let mut tx = ctx.db.begin().await?;
    for plan in plans {
        match plan {
            Plan::Add(row) => {
                let member = NewMember {
                    email: row.email,
                    name: row.name,
                    role: row.role,
                    password: None,
                    expires_at: None,
                    department: row.department,
                };
                accounts::add_member_in(ctx, &mut tx, org, &member).await?;
            }
            Plan::Move(row, user) => {
                accounts::change_department_in(ctx, &mut tx, org, user, row.department.as_deref()).await?;
            }
            Plan::Keep => {}
        }
    }
    tx.commit().await?;
    report.applied = true;
    Ok(report)
}
