//! Top management's personal involvement log. Entries are never changed or deleted: the log is evidence.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{InvolvementId, OrgId, UserId};

/// An entry with the names of the manager and of who recorded it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvolvementRow {
    pub id: InvolvementId,
    pub manager_id: UserId,
    pub manager_name: String,
    pub kind: String,
    pub occurred_on: UnixTime,
    pub place: String,
    pub notes: String,
    pub record_type: Option<String>,
    pub record_id: Option<i64>,
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub recorded_at: UnixTime,
}

/// A new entry's fields, checked.
#[derive(Debug, Clone)]
pub struct NewInvolvement {
    pub manager_id: UserId,
    pub kind: &'static str,
    pub occurred_on: UnixTime,
    pub place: String,
    pub notes: String,
    pub record: Option<(String, i64)>,
}

const SELECT: &str = "select i.id, i.manager_id, m.name as manager_name, i.kind, i.occurred_on, i.place, i.notes, \
    i.record_type, i.record_id, i.recorded_by, r.name as recorder_name, i.recorded_at \
    from management_involvement i join app_user m on m.id = i.manager_id join app_user r on r.id = i.recorded_by ";

#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    n: &NewInvolvement,
    by: UserId,
    now: UnixTime,
) -> Result<InvolvementId, DbError> {
    const SQL: &str = "insert into management_involvement (org_id, manager_id, kind, occurred_on, place, notes, \
        record_type, record_id, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id";
    let (record_type, record_id) = n.record.clone().unzip();
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(n.manager_id).bind(n.kind).bind(n.occurred_on)
        .bind(&n.place).bind(&n.notes).bind(&record_type).bind(record_id).bind(by).bind(now)
        .fetch_one(&mut **c).await)?)
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, id: InvolvementId) -> Result<Option<InvolvementRow>, DbError> {
    let sql = format!("{SELECT} where i.org_id = $1 and i.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// Filters of the log: a manager, a kind, and days from (inclusive) to (exclusive).
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub manager: Option<UserId>,
    pub kind: Option<&'a str>,
    pub from: Option<UnixTime>,
    pub until: Option<UnixTime>,
}

const WHERE: &str = "where i.org_id = $1 and ($2 is null or i.manager_id = $2) and ($3 is null or i.kind = $3) \
    and ($4 is null or i.occurred_on >= $4) and ($5 is null or i.occurred_on < $5) ";

/// A page of the log, latest first, and how many entries match.
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    f: &Filter<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<InvolvementRow>, i64), DbError> {
    let sql = format!("{SELECT}{WHERE}order by i.occurred_on desc, i.id desc limit $6 offset $7");
    let count = format!("select count(*) from management_involvement i {WHERE}");
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(f.manager)
        .bind(f.kind).bind(f.from).bind(f.until).bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org).bind(f.manager)
        .bind(f.kind).bind(f.from).bind(f.until).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// Per manager, kind and day, how many entries match, and how many of them the manager recorded themselves:
/// (manager, kind, day, entries, own). Days are whole days, so the rows stay few.
pub async fn summary(
    c: &mut Conn<'_>,
    org: OrgId,
    f: &Filter<'_>,
) -> Result<Vec<(UserId, String, UnixTime, i64, i64)>, DbError> {
    let sql = format!(
        "select i.manager_id, i.kind, i.occurred_on, count(*), \
         sum(case when i.recorded_by = i.manager_id then 1 else 0 end) from management_involvement i {WHERE}\
         group by i.manager_id, i.kind, i.occurred_on"
    );
    let rows: Vec<(UserId, String, UnixTime, i64, Option<i64>)> = on_conn!(c, c => sqlx::query_as(
        sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(f.manager).bind(f.kind).bind(f.from).bind(f.until)
        .fetch_all(&mut **c).await)?;
    Ok(rows.into_iter().map(|(m, k, d, n, own)| (m, k, d, n, own.unwrap_or(0))).collect())
}
