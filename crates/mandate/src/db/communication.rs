//! The communication plan and the communications sent (ISO/IEC 27001 7.4). Dates are midnight UTC.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{CommunicationId, OrgId, PlanEntryId, UserId};
use std::collections::HashMap;

/// A plan entry with its people's names and when it was last communicated.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub id: PlanEntryId,
    pub subject: String,
    pub description: String,
    pub frequency: String,
    pub first_due_on: UnixTime,
    pub communicator_id: UserId,
    pub communicator_name: String,
    /// The audience as JSON.
    pub audience: String,
    pub audience_label: String,
    pub channel: String,
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
    pub retired_at: Option<UnixTime>,
    pub last_sent_on: Option<UnixTime>,
    pub sent_count: i64,
}

/// A plan entry's fields, already checked.
#[derive(Debug, Clone)]
pub struct EntryFields {
    pub subject: String,
    pub description: String,
    pub frequency: &'static str,
    pub first_due_on: UnixTime,
    pub communicator_id: UserId,
    pub audience: String,
    pub audience_label: String,
    pub channel: &'static str,
}

const ENTRY: &str = "select e.id, e.subject, e.description, e.frequency, e.first_due_on, e.communicator_id, \
    w.name as communicator_name, e.audience, e.audience_label, e.channel, e.recorded_by, r.name as recorder_name, \
    e.created_at, e.updated_at, e.retired_at, \
    (select max(s.sent_on) from communication s where s.org_id = e.org_id and s.plan_entry_id = e.id) as last_sent_on, \
    (select count(*) from communication s where s.org_id = e.org_id and s.plan_entry_id = e.id) as sent_count \
    from comm_plan_entry e join app_user w on w.id = e.communicator_id join app_user r on r.id = e.recorded_by ";

#[tracing::instrument(skip_all)]
pub async fn insert_entry(
    c: &mut Conn<'_>,
    org: OrgId,
    f: &EntryFields,
    recorded_by: UserId,
    now: UnixTime,
) -> Result<PlanEntryId, DbError> {
    const SQL: &str = "insert into comm_plan_entry (org_id, subject, description, frequency, first_due_on, \
        communicator_id, audience, audience_label, channel, recorded_by, created_at, updated_at) \
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(&f.subject).bind(&f.description).bind(f.frequency)
        .bind(f.first_due_on).bind(f.communicator_id).bind(&f.audience).bind(&f.audience_label).bind(f.channel)
        .bind(recorded_by).bind(now).fetch_one(&mut **c).await)?)
}

/// Plan entry `id` of `org`.
pub async fn get_entry(c: &mut Conn<'_>, org: OrgId, id: PlanEntryId) -> Result<Option<EntryRow>, DbError> {
    let sql = format!("{ENTRY}where e.org_id = $1 and e.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// A page of `org`'s plan, entries in use first, by subject; and how many there are.
#[tracing::instrument(skip_all)]
pub async fn list_entries(
    c: &mut Conn<'_>,
    org: OrgId,
    include_retired: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EntryRow>, i64), DbError> {
    const WHERE: &str = "where e.org_id = $1 and ($2 or e.retired_at is null) ";
    let sql = format!(
        "{ENTRY}{WHERE}order by case when e.retired_at is null then 0 else 1 end, lower(e.subject), e.id \
         limit $3 offset $4"
    );
    let count = format!("select count(*) from comm_plan_entry e {WHERE}");
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(include_retired)
        .bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org)
        .bind(include_retired).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// Retires plan entry `id`; `false` when it was already retired.
pub async fn retire_entry(
    c: &mut Conn<'_>,
    org: OrgId,
    id: PlanEntryId,
    by: UserId,
    now: UnixTime,
) -> Result<bool, DbError> {
    const SQL: &str = "update comm_plan_entry set retired_at = $3, retired_by = $4, updated_at = $3 \
                       where org_id = $1 and id = $2 and retired_at is null";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(now).bind(by).execute(&mut **c).await
        .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// A communication sent, with its people's names and the plan entry it belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SentRow {
    pub id: CommunicationId,
    pub plan_entry_id: Option<PlanEntryId>,
    pub plan_subject: Option<String>,
    pub sent_on: UnixTime,
    pub communicator_id: UserId,
    pub communicator_name: String,
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub channel: String,
    pub subject: String,
    pub summary: String,
    pub audience_label: String,
    pub audience_size: i64,
    pub audience_counted: bool,
    pub read_count: Option<i64>,
    pub acknowledged_count: Option<i64>,
    pub created_at: UnixTime,
}

/// A communication's fields, already checked.
#[derive(Debug, Clone)]
pub struct SentFields {
    pub plan_entry_id: Option<PlanEntryId>,
    pub sent_on: UnixTime,
    pub communicator_id: UserId,
    pub recorded_by: UserId,
    pub channel: &'static str,
    pub subject: String,
    pub summary: String,
    pub audience_label: String,
    pub audience_size: i64,
    pub audience_counted: bool,
    pub read_count: Option<i64>,
    pub acknowledged_count: Option<i64>,
}

const SENT: &str = "select s.id, s.plan_entry_id, e.subject as plan_subject, s.sent_on, s.communicator_id, \
    w.name as communicator_name, s.recorded_by, r.name as recorder_name, s.channel, s.subject, s.summary, \
    s.audience_label, s.audience_size, s.audience_counted, s.read_count, s.acknowledged_count, s.created_at \
    from communication s join app_user w on w.id = s.communicator_id join app_user r on r.id = s.recorded_by \
    left join comm_plan_entry e on e.org_id = s.org_id and e.id = s.plan_entry_id ";

#[tracing::instrument(skip_all)]
pub async fn insert_sent(
    c: &mut Conn<'_>,
    org: OrgId,
    f: &SentFields,
    now: UnixTime,
) -> Result<CommunicationId, DbError> {
    const SQL: &str = "insert into communication (org_id, plan_entry_id, sent_on, communicator_id, recorded_by, \
        channel, subject, summary, audience_label, audience_size, audience_counted, read_count, acknowledged_count, \
        created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(f.plan_entry_id).bind(f.sent_on)
        .bind(f.communicator_id).bind(f.recorded_by).bind(f.channel).bind(&f.subject).bind(&f.summary)
        .bind(&f.audience_label).bind(f.audience_size).bind(f.audience_counted).bind(f.read_count)
        .bind(f.acknowledged_count).bind(now).fetch_one(&mut **c).await)?)
}

/// Communication `id` of `org`.
pub async fn get_sent(c: &mut Conn<'_>, org: OrgId, id: CommunicationId) -> Result<Option<SentRow>, DbError> {
    let sql = format!("{SENT}where s.org_id = $1 and s.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// A page of `org`'s communications (of one plan entry, when given), latest first; and how many match.
#[tracing::instrument(skip_all)]
pub async fn list_sent(
    c: &mut Conn<'_>,
    org: OrgId,
    plan_entry: Option<PlanEntryId>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<SentRow>, i64), DbError> {
    const WHERE: &str = "where s.org_id = $1 and ($2 is null or s.plan_entry_id = $2) ";
    let sql = format!("{SENT}{WHERE}order by s.sent_on desc, s.id desc limit $3 offset $4");
    let count = format!("select count(*) from communication s {WHERE}");
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(plan_entry)
        .bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org).bind(plan_entry)
        .fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// What is known of the reach of a plan entry's communications: the audiences where a count was given, and the
/// counts.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct Reach {
    pub read_audience: i64,
    pub read: i64,
    pub acknowledged_audience: i64,
    pub acknowledged: i64,
}

/// The reach of the communications of every plan entry of `org`, keyed by entry.
pub async fn reach(c: &mut Conn<'_>, org: OrgId) -> Result<HashMap<PlanEntryId, Reach>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        plan_entry_id: PlanEntryId,
        #[sqlx(flatten)]
        reach: Reach,
    }
    const SQL: &str = "select plan_entry_id, \
        cast(coalesce(sum(case when read_count is not null then audience_size else 0 end), 0) as bigint) \
          as read_audience, \
        cast(coalesce(sum(read_count), 0) as bigint) as read, \
        cast(coalesce(sum(case when acknowledged_count is not null then audience_size else 0 end), 0) as bigint) \
          as acknowledged_audience, \
        cast(coalesce(sum(acknowledged_count), 0) as bigint) as acknowledged \
        from communication where org_id = $1 and plan_entry_id is not null group by plan_entry_id";
    let rows: Vec<Row> = on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?;
    Ok(rows.into_iter().map(|r| (r.plan_entry_id, r.reach)).collect())
}
