//! Decisions taken in meetings, and the leadership records that rest on them (a resource approval, an
//! appointment, a policy version's approval).

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{AgendaItemId, DecisionId, MeetingId, OrgId, UserId};

/// A decision with its meeting and the names of who decided and who recorded it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRow {
    pub id: DecisionId,
    pub meeting_id: MeetingId,
    pub meeting_title: String,
    pub agenda_item_id: Option<AgendaItemId>,
    pub agenda_title: Option<String>,
    pub text: String,
    pub decided_by: UserId,
    pub decider_name: String,
    pub topic: String,
    pub decided_on: UnixTime,
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub created_at: UnixTime,
}

/// A decision as recorded, already checked.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub meeting_id: MeetingId,
    pub agenda_item_id: Option<AgendaItemId>,
    pub text: &'a str,
    pub decided_by: UserId,
    pub topic: &'a str,
    pub decided_on: UnixTime,
    pub recorded_by: UserId,
}

const SELECT: &str = "select d.id, d.meeting_id, m.title as meeting_title, d.agenda_item_id, i.title as agenda_title, \
    d.text, d.decided_by, u.name as decider_name, d.topic, d.decided_on, d.recorded_by, r.name as recorder_name, \
    d.created_at from decision d join meeting m on m.id = d.meeting_id join app_user u on u.id = d.decided_by \
    join app_user r on r.id = d.recorded_by left join agenda_item i on i.id = d.agenda_item_id ";

pub async fn insert(c: &mut Conn<'_>, org: OrgId, d: &NewDecision<'_>, now: UnixTime) -> Result<DecisionId, DbError> {
    const SQL: &str = "insert into decision (org_id, meeting_id, agenda_item_id, text, decided_by, topic, decided_on, \
        recorded_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(d.meeting_id).bind(d.agenda_item_id).bind(d.text)
        .bind(d.decided_by).bind(d.topic).bind(d.decided_on).bind(d.recorded_by).bind(now).fetch_one(&mut **c).await)?)
}

/// Decision `id` of `org`.
pub async fn get(c: &mut Conn<'_>, org: OrgId, id: DecisionId) -> Result<Option<DecisionRow>, DbError> {
    let sql = format!("{SELECT} where d.org_id = $1 and d.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// The decisions of meeting `id`, in the order they were recorded.
pub async fn for_meeting(c: &mut Conn<'_>, org: OrgId, id: MeetingId) -> Result<Vec<DecisionRow>, DbError> {
    let sql = format!("{SELECT} where d.org_id = $1 and d.meeting_id = $2 order by d.id");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_all(&mut **c).await)?)
}

/// A leadership record that rests on a decision: (kind, id, title, page address).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkedRecord {
    pub kind: String,
    pub id: i64,
    pub title: String,
    /// The policy of a policy version (its page is addressed by policy and number).
    pub parent: Option<i64>,
    pub number: Option<i64>,
}

/// The resource approvals, appointments and policy version approvals that cite decision `id`.
pub async fn linked(c: &mut Conn<'_>, org: OrgId, id: DecisionId) -> Result<Vec<LinkedRecord>, DbError> {
    const SQL: &str = "select 'resource_commitment' as kind, r.id, r.title, cast(null as bigint) as parent, cast(null as bigint) as number \
        from resource_commitment r where r.org_id = $1 and r.decision_id = $2 \
        union all select 'appointment', a.id, cr.name || ': ' || u.name, cast(null as bigint), cast(null as bigint) from appointment a \
        join catalogue_role cr on cr.id = a.role_id join app_user u on u.id = a.user_id \
        where a.org_id = $1 and a.decision_id = $2 \
        union all select 'policy_version', v.id, p.title, p.id, v.number from policy_version v \
        join policy p on p.id = v.policy_id where v.org_id = $1 and v.decision_id = $2 order by 1, 2";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).fetch_all(&mut **c).await)?)
}

/// The tables a decision can be cited from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTable {
    ResourceCommitment,
    Appointment,
    PolicyVersion,
}

impl LinkTable {
    fn table(self) -> &'static str {
        match self {
            LinkTable::ResourceCommitment => "resource_commitment",
            LinkTable::Appointment => "appointment",
            LinkTable::PolicyVersion => "policy_version",
        }
    }
}

/// Records that row `id` of `table` rests on `decision` (checked by the caller to be `org`'s).
pub async fn set_link(
    c: &mut Conn<'_>,
    org: OrgId,
    table: LinkTable,
    id: i64,
    decision: DecisionId,
) -> Result<(), DbError> {
    // The table name comes from the fixed enum above.
    let sql = format!("update {} set decision_id = $3 where org_id = $1 and id = $2", table.table());
    let done = on_conn!(c, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id).bind(decision)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

/// How many decisions `org` holds.
pub async fn count(c: &mut Conn<'_>, org: OrgId) -> Result<i64, DbError> {
    const SQL: &str = "select count(*) from decision where org_id = $1";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).fetch_one(&mut **c).await)?)
}

/// The decision a record rests on, as the record's page names it: its meeting and date. Read together with the
/// record through [`cite_join!`] (all `None` when the record cites no decision).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct DecisionCite {
    pub decision_meeting_id: Option<MeetingId>,
    pub decision_meeting: Option<String>,
    pub decision_on: Option<UnixTime>,
}

/// The columns of a [`DecisionCite`], for a select joined with [`cite_join!`].
macro_rules! cite_columns {
    () => {
        "cd.meeting_id as decision_meeting_id, cm.title as decision_meeting, cd.decided_on as decision_on"
    };
}
pub(crate) use cite_columns;

/// Joins the decision cited by the row aliased `$alias` (with columns `org_id` and `decision_id`) and its meeting.
macro_rules! cite_join {
    ($alias:literal) => {
        concat!(
            " left join decision cd on cd.org_id = ",
            $alias,
            ".org_id and cd.id = ",
            $alias,
            ".decision_id left join meeting cm on cm.org_id = cd.org_id and cm.id = cd.meeting_id "
        )
    };
}
pub(crate) use cite_join;

/// A decision offered in a form's choice: its meeting, date and text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionChoice {
    pub id: DecisionId,
    pub meeting_title: String,
    pub decided_on: UnixTime,
    pub text: String,
}

/// The `limit` most recent decisions of `org`, newest meeting first (decisions of one meeting newest first).
/// Walks the meetings by date through their index and stops after `limit` decisions.
pub async fn recent(c: &mut Conn<'_>, org: OrgId, limit: i64) -> Result<Vec<DecisionChoice>, DbError> {
    const SQL: &str = "select d.id, m.title as meeting_title, d.decided_on, d.text from meeting m \
        join decision d on d.org_id = m.org_id and d.meeting_id = m.id where m.org_id = $1 \
        order by m.held_on desc, d.id desc limit $2";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(limit).fetch_all(&mut **c).await)?)
}
