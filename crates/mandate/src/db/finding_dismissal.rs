//! Dismissals of façade detectors' findings: who dismissed which (detector, subject), when and why. A withdrawn
//! dismissal is deleted: the ledger keeps its creation and its withdrawal, so the table holds only those in force.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{OrgId, UserId};

/// A dismissal with the name of who made it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DismissalRow {
    pub id: i64,
    pub detector: String,
    pub subject: String,
    pub reason: String,
    pub dismissed_by: UserId,
    #[serde(skip)]
    pub dismissed_by_name: String,
    pub dismissed_at: UnixTime,
}

const SELECT: &str = "select f.id, f.detector, f.subject, f.reason, f.dismissed_by, u.name as dismissed_by_name, \
    f.dismissed_at from finding_dismissal f join app_user u on u.id = f.dismissed_by ";

/// Records a dismissal; one that already exists for (detector, subject) is [`DbError::Conflict`].
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    detector: &str,
    subject: &str,
    reason: &str,
    by: UserId,
    now: UnixTime,
) -> Result<i64, DbError> {
    const SQL: &str = "insert into finding_dismissal (org_id, detector, subject, reason, dismissed_by, dismissed_at) \
        values ($1, $2, $3, $4, $5, $6) on conflict (org_id, detector, subject) do nothing returning id";
    let id: Option<i64> = on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(detector).bind(subject)
        .bind(reason).bind(by).bind(now).fetch_optional(&mut **c).await)?;
    id.ok_or(DbError::Conflict)
}

/// Dismissal `id` of `org`.
pub async fn get(c: &mut Conn<'_>, org: OrgId, id: i64) -> Result<Option<DismissalRow>, DbError> {
    let sql = format!("{SELECT}where f.org_id = $1 and f.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// Every dismissal of `org`, newest first.
pub async fn list(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<DismissalRow>, DbError> {
    let sql = format!("{SELECT}where f.org_id = $1 order by f.dismissed_at desc, f.id desc");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).fetch_all(&mut **c).await)?)
}

/// The dismissal of (`detector`, `subject`) in `org`, if there is one.
pub async fn find(
    c: &mut Conn<'_>,
    org: OrgId,
    detector: &str,
    subject: &str,
) -> Result<Option<DismissalRow>, DbError> {
    let sql = format!("{SELECT}where f.org_id = $1 and f.detector = $2 and f.subject = $3");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(detector).bind(subject)
        .fetch_optional(&mut **c).await)?)
}

/// Deletes dismissal `id` of `org` (a withdrawal: the ledger keeps what it was); the number of rows removed.
pub async fn delete(c: &mut Conn<'_>, org: OrgId, id: i64) -> Result<u64, DbError> {
    const SQL: &str = "delete from finding_dismissal where org_id = $1 and id = $2";
    Ok(on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).execute(&mut **c).await.map(|r| r.rows_affected()))?)
}
