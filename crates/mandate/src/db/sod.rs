//! Segregation-of-duties rules: pairs of catalogue roles one person must not hold together.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{CatalogueRoleId, OrgId, SodRuleId};

/// A rule with its roles' names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RuleRow {
    pub id: SodRuleId,
    pub role_a: CatalogueRoleId,
    pub role_a_name: String,
    pub role_b: CatalogueRoleId,
    pub role_b_name: String,
    pub reason: String,
    pub active: bool,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

const SELECT: &str = "select s.id, s.role_a, a.name as role_a_name, s.role_b, b.name as role_b_name, s.reason, \
    s.active, s.created_at, s.updated_at from sod_rule s join catalogue_role a on a.id = s.role_a \
    join catalogue_role b on b.id = s.role_b where s.org_id = $1";

/// Adds a rule for the pair `role_a < role_b`; a pair that already has one is [`DbError::Conflict`].
#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    (role_a, role_b): (CatalogueRoleId, CatalogueRoleId),
    reason: &str,
    now: UnixTime,
) -> Result<SodRuleId, DbError> {
    const SQL: &str = "insert into sod_rule (org_id, role_a, role_b, reason, active, created_at, updated_at) \
                       values ($1, $2, $3, $4, $5, $6, $6) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(role_a).bind(role_b).bind(reason).bind(true)
        .bind(now).fetch_one(&mut **c).await)?)
}

/// Changes a rule's reason and whether it is in force.
#[tracing::instrument(skip_all)]
pub async fn update(
    c: &mut Conn<'_>,
    org: OrgId,
    id: SodRuleId,
    reason: &str,
    active: bool,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update sod_rule set reason = $3, active = $4, updated_at = $5 where org_id = $1 and id = $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(reason).bind(active).bind(now)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, id: SodRuleId) -> Result<Option<RuleRow>, DbError> {
    let sql = format!("{SELECT} and s.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// `org`'s rules by the first role's name; switched-off ones only when asked.
pub async fn list(c: &mut Conn<'_>, org: OrgId, include_inactive: bool) -> Result<Vec<RuleRow>, DbError> {
    let sql = format!("{SELECT} and ($2 or s.active) order by a.name_key, b.name_key, s.id");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(include_inactive)
        .fetch_all(&mut **c).await)?)
}
