//! Exceptions to a policy: who asked, why, until when, and who decided.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{OrgId, PolicyExceptionId, PolicyId, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExceptionRow {
    pub id: PolicyExceptionId,
    pub policy_id: PolicyId,
    pub summary: String,
    pub reason: String,
    pub requested_by: UserId,
    pub requester_name: String,
    pub requested_at: UnixTime,
    pub expires_at: UnixTime,
    pub status: String,
    pub decided_by: Option<UserId>,
    pub decider_name: Option<String>,
    pub decided_at: Option<UnixTime>,
    pub decision_note: Option<String>,
}

const SELECT: &str = concat!(
    "select e.id, e.policy_id, e.summary, e.reason, e.requested_by, r.name as requester_name, e.requested_at, ",
    "e.expires_at, e.status, e.decided_by, d.name as decider_name, e.decided_at, e.decision_note ",
    "from policy_exception e join app_user r on r.id = e.requested_by left join app_user d on d.id = e.decided_by "
);

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    policy: PolicyId,
    summary: &str,
    reason: &str,
    by: UserId,
    expires_at: UnixTime,
    now: UnixTime,
) -> Result<PolicyExceptionId, DbError> {
    const SQL: &str = "insert into policy_exception (org_id, policy_id, summary, reason, requested_by, requested_at, \
                       expires_at, status) values ($1, $2, $3, $4, $5, $6, $7, 'requested') returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(policy).bind(summary).bind(reason).bind(by).bind(now)
        .bind(expires_at).fetch_one(&mut **c).await)?)
}

pub async fn get(
    c: &mut Conn<'_>,
    org: OrgId,
    policy: PolicyId,
    id: PolicyExceptionId,
) -> Result<Option<ExceptionRow>, DbError> {
    let sql = format!("{SELECT} where e.org_id = $1 and e.policy_id = $2 and e.id = $3");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(policy).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// A policy's exceptions, newest first.
pub async fn list(c: &mut Conn<'_>, org: OrgId, policy: PolicyId) -> Result<Vec<ExceptionRow>, DbError> {
    let sql = format!("{SELECT} where e.org_id = $1 and e.policy_id = $2 order by e.requested_at desc, e.id desc");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(policy)
        .fetch_all(&mut **c).await)?)
}

/// Records a decision, compare-and-set on the status.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    c: &mut Conn<'_>,
    org: OrgId,
    id: PolicyExceptionId,
    from: &str,
    to: &str,
    by: UserId,
    note: &str,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update policy_exception set status = $4, decided_by = $5, decided_at = $6, decision_note = $7 \
                       where org_id = $1 and id = $2 and status = $3";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(from).bind(to).bind(by).bind(now).bind(note)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done != 1 {
        return Err(DbError::Conflict);
    }
    Ok(())
}
