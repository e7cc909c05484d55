//! Segregation-of-duties rules and the findings drawn from who holds which role now: conflicts, holders of
//! roles that need a deputy but have none, and roles nobody holds. Rules are switched off, not deleted, so the
//! ledger and the database both show which rules were in force when.

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::appointment::AppointmentRow;
use crate::db::role_catalogue::RoleRow;
use crate::db::sod::RuleRow;
use crate::db::{self, Conn, DbError, Tx};
use crate::domain::ids::{CatalogueRoleId, OrgId, SodRuleId, UserId};
use crate::domain::role_catalogue::check_short_text;
use crate::domain::segregation::{self, Holding, Rule, ordered};
use crate::error::AppError;
use crate::journal::Change;
use std::collections::HashMap;

/// The longest reason a rule may give.
const REASON_MAX: usize = 300;

/// A new rule: two different roles, and why they must be kept apart.
#[derive(Debug, Clone)]
pub struct RuleInput {
    pub role_a: CatalogueRoleId,
    pub role_b: CatalogueRoleId,
    pub reason: Option<String>,
}

/// A change to a rule; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RuleChange {
    pub reason: Option<String>,
    pub active: Option<bool>,
}

/// A rule's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct RuleState<'a> {
    role_a: CatalogueRoleId,
    role_b: CatalogueRoleId,
    reason: &'a str,
    active: bool,
}

/// Adds a rule.
pub async fn create_rule(ctx: &Ctx<'_>, org: OrgId, input: &RuleInput) -> Result<SodRuleId, AppError> {
    super::ensure_seeded(ctx, org).await?;
    let mut tx = ctx.db.begin().await?;
    let id = create_rule_in(ctx, &mut tx, org, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create_rule`] inside the caller's transaction.
pub async fn create_rule_in(ctx: &Ctx<'_>, tx: &mut Tx, org: OrgId, input: &RuleInput) -> Result<SodRuleId, AppError> {
    if input.role_a == input.role_b {
        return Err(AppError::Invalid("a segregation rule needs two different roles".into()));
    }
    let reason = check_short_text(input.reason.as_deref(), "the reason", REASON_MAX)?.unwrap_or_default();
    let mut names = Vec::with_capacity(2);
    for role in [input.role_a, input.role_b] {
        match db::role_catalogue::get(&mut tx.conn(), org, role, ctx.now).await? {
            Some(row) if row.retired_at.is_none() => names.push(row.name),
            Some(row) => {
                return Err(AppError::Invalid(format!("'{}' is retired; rules apply to roles in use", row.name)));
            }
            None => return Err(AppError::Invalid(format!("there is no role {role} in this organisation's catalogue"))),
        }
    }
    let (role_a, role_b) = ordered(input.role_a, input.role_b);
    let id = db::sod::insert(&mut tx.conn(), org, (role_a, role_b), &reason, ctx.now).await.map_err(|e| match e {
        DbError::Conflict => AppError::Conflict(format!(
            "there already is a rule for '{}' and '{}'; switch it on or change it instead",
            names[0], names[1]
        )),
        other => other.into(),
    })?;
    let state = RuleState { role_a, role_b, reason: &reason, active: true };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("create", "sod_rule", id, &state), ctx.now).await?;
    Ok(id)
}

/// Changes a rule's reason or switches it off or on. Switching a rule to the state it is in is refused (409).
pub async fn change_rule(ctx: &Ctx<'_>, org: OrgId, id: SodRuleId, change: &RuleChange) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    change_rule_in(ctx, &mut tx, org, id, change).await?;
    tx.commit().await?;
    Ok(())
}

/// [`change_rule`] inside the caller's transaction.
pub async fn change_rule_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: SodRuleId,
    change: &RuleChange,
) -> Result<(), AppError> {
    let row = db::sod::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("segregation rule"))?;
    let reason = match &change.reason {
        Some(text) => check_short_text(Some(text), "the reason", REASON_MAX)?.unwrap_or_default(),
        None => row.reason.clone(),
    };
    let active = change.active.unwrap_or(row.active);
    if reason == row.reason && active == row.active {
        if change.active.is_some() {
            return Err(AppError::Conflict(format!(
                "the rule for '{}' and '{}' is already switched {}",
                row.role_a_name,
                row.role_b_name,
                if row.active { "on" } else { "off" }
            )));
        }
        return Ok(());
    }
    db::sod::update(&mut tx.conn(), org, id, &reason, active, ctx.now).await?;
    let action = match (row.active, active) {
        (true, false) => "deactivate",
        (false, true) => "activate",
        _ => "update",
    };
    let state = RuleState { role_a: row.role_a, role_b: row.role_b, reason: &reason, active };
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, "sod_rule", id, &state), ctx.now).await?;
    Ok(())
}

/// A person who holds both roles of a rule now.
#[derive(Debug, Clone)]
pub struct ConflictLine {
    pub rule: SodRuleId,
    pub user_id: UserId,
    pub user_name: String,
    pub role_a: (CatalogueRoleId, String),
    pub role_b: (CatalogueRoleId, String),
    pub since: UnixTime,
    pub via_deputy: bool,
}

/// What is wrong with who holds which role now.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    pub conflicts: Vec<ConflictLine>,
    /// Current appointments to roles that need a deputy, with none named.
    pub without_deputy: Vec<AppointmentRow>,
    /// Roles in use that nobody holds.
    pub unfilled: Vec<RoleRow>,
}

/// The findings for `org` at `now`.
pub async fn findings(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Findings, AppError> {
    let rows = db::appointment::holdings(c, org, now).await?;
    let rules: Vec<RuleRow> = db::sod::list(c, org, false).await?;
    let roles = db::role_catalogue::active(c, org, now).await?;
    let holdings: Vec<Holding> = rows
        .iter()
        .map(|h| Holding { user: h.user_id, role: h.role_id, since: h.since, via_deputy: h.via_deputy })
        .collect();
    let plain: Vec<Rule> = rules.iter().map(|r| Rule { id: r.id, role_a: r.role_a, role_b: r.role_b }).collect();
    let people: HashMap<UserId, &str> = rows.iter().map(|h| (h.user_id, h.user_name.as_str())).collect();
    let role_names: HashMap<CatalogueRoleId, &str> = rows.iter().map(|h| (h.role_id, h.role_name.as_str())).collect();
    let name_of = |role: CatalogueRoleId| role_names.get(&role).copied().unwrap_or_default().to_string();
    let conflicts = segregation::conflicts(&holdings, &plain)
        .into_iter()
        .map(|c| ConflictLine {
            rule: c.rule,
            user_id: c.user,
            user_name: people.get(&c.user).copied().unwrap_or_default().to_string(),
            role_a: (c.role_a, name_of(c.role_a)),
            role_b: (c.role_b, name_of(c.role_b)),
            since: c.since,
            via_deputy: c.via_deputy,
        })
        .collect();
    let ids: Vec<CatalogueRoleId> = roles.iter().map(|r| r.id).collect();
    let unfilled_ids = segregation::unfilled(&ids, &holdings);
    let unfilled = roles.into_iter().filter(|r| unfilled_ids.contains(&r.id)).collect();
    let without_deputy = db::appointment::without_deputy(c, org, now).await?;
    Ok(Findings { conflicts, without_deputy, unfilled })
}
