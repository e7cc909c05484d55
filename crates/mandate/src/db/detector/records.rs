//! The façade detectors' queries over policies, meetings, the communication plan and objectives.

use super::top_manager;
use crate::clock::UnixTime;
use crate::db::{Conn, DbError, on_conn};
use crate::domain::ids::{OrgId, UserId};

/// The meeting kinds that are management's own (site meetings of kind `other` are not).
const MANAGEMENT_KINDS: &str = "('management_team', 'isms_committee', 'board')";

/// A policy whose next review day has passed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LatePolicy {
    pub id: i64,
    pub title: String,
    pub owner_id: UserId,
    pub next_review_at: UnixTime,
}

/// `org`'s policies in force (with a published version) whose review day ended before `now`, oldest first. The
/// review day is the whole UTC day of `next_review_at`, which keeps the time of day the policy was published.
pub async fn policies_past_review(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<LatePolicy>, DbError> {
    const SQL: &str = "select p.id, p.title, p.owner_id, p.next_review_at from policy p where p.org_id = $1 \
        and p.next_review_at is not null and p.next_review_at - p.next_review_at % 86400 + 86400 <= $2 and exists (select 1 from policy_version v \
        where v.org_id = p.org_id and v.policy_id = p.id and v.status = 'published') order by p.next_review_at, p.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(now).fetch_all(&mut **c).await)?)
}

/// An approved or published policy version whose approver is not (or no longer) top management.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutsideApproval {
    pub version_id: i64,
    pub number: i64,
    pub policy_id: i64,
    pub title: String,
    pub approved_by: UserId,
    pub approver_name: String,
    pub approved_at: Option<UnixTime>,
}

/// `org`'s approved or published policy versions whose approver holds no top-management membership in force at
/// `now`.
pub async fn approved_outside_top(
    c: &mut Conn<'_>,
    org: OrgId,
    now: UnixTime,
) -> Result<Vec<OutsideApproval>, DbError> {
    const SQL: &str = concat!(
        "select v.id as version_id, v.number, p.id as policy_id, p.title, v.approved_by, u.name as approver_name, v.approved_at ",
        "from policy_version v join policy p on p.id = v.policy_id and p.org_id = v.org_id ",
        "join app_user u on u.id = v.approved_by where v.org_id = $1 and v.status in ('approved', 'published') ",
        "and not exists (select 1 from membership m where m.org_id = v.org_id and m.user_id = v.approved_by and ",
        top_manager!(),
        ") order by p.title, v.number"
    );
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(now).fetch_all(&mut **c).await)?)
}

/// A management meeting with the number of decisions it recorded.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeldMeeting {
    pub id: i64,
    pub title: String,
    pub held_on: UnixTime,
    pub decisions: i64,
}

/// `org`'s management meetings held from `since` up to `now`, oldest first, with their decision counts.
pub async fn management_meetings(
    c: &mut Conn<'_>,
    org: OrgId,
    since: UnixTime,
    now: UnixTime,
) -> Result<Vec<HeldMeeting>, DbError> {
    let sql = format!(
        "select m.id, m.title, m.held_on, (select count(*) from decision d where d.org_id = m.org_id \
         and d.meeting_id = m.id) as decisions from meeting m where m.org_id = $1 and m.held_on >= $2 \
         and m.held_on <= $3 and m.kind in {MANAGEMENT_KINDS} order by m.held_on, m.id"
    );
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(since).bind(now)
        .fetch_all(&mut **c).await)?)
}

/// The latest management meeting of `org` held before `now` with an agenda item tagged `topic`, if any.
pub async fn last_with_topic(
    c: &mut Conn<'_>,
    org: OrgId,
    topic: &str,
    now: UnixTime,
) -> Result<Option<(i64, String, UnixTime)>, DbError> {
    let sql = format!(
        "select m.id, m.title, m.held_on from meeting m where m.org_id = $1 and m.held_on <= $3 \
         and m.kind in {MANAGEMENT_KINDS} and exists (select 1 from agenda_item a where a.org_id = m.org_id \
         and a.meeting_id = m.id and a.topics like $2) order by m.held_on desc, m.id desc limit 1"
    );
    let pattern = format!("%,{topic},%");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(&pattern).bind(now)
        .fetch_optional(&mut **c).await)?)
}

/// A plan entry in use whose communicator is top management, with when it was last communicated.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ManagerEntry {
    pub id: i64,
    pub subject: String,
    pub frequency: String,
    pub first_due_on: UnixTime,
    pub communicator_id: UserId,
    pub communicator_name: String,
    pub last_sent_on: Option<UnixTime>,
}

/// `org`'s plan entries in use whose communicator is a top manager in force at `now`.
pub async fn manager_plan_entries(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<ManagerEntry>, DbError> {
    const SQL: &str = concat!(
        "select e.id, e.subject, e.frequency, e.first_due_on, e.communicator_id, u.name as communicator_name, ",
        "(select max(s.sent_on) from communication s where s.org_id = e.org_id and s.plan_entry_id = e.id) ",
        "as last_sent_on from comm_plan_entry e join app_user u on u.id = e.communicator_id ",
        "join membership m on m.org_id = e.org_id and m.user_id = e.communicator_id ",
        "where e.org_id = $1 and e.retired_at is null and ",
        top_manager!(),
        " order by e.subject, e.id"
    );
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(now).fetch_all(&mut **c).await)?)
}

/// An open objective with its evaluation interval and latest standing measurement.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenObjective {
    pub id: i64,
    pub title: String,
    pub owner_id: UserId,
    pub frequency_days: i64,
    pub created_at: UnixTime,
    pub last_measured_on: Option<UnixTime>,
}

/// `org`'s open objectives with their latest measurement not withdrawn.
pub async fn open_objectives(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<OpenObjective>, DbError> {
    const SQL: &str = "select o.id, o.statement as title, o.owner_id, o.frequency_days, o.created_at, \
        (select max(x.measured_on) from measurement x where x.org_id = o.org_id and x.objective_id = o.id \
        and x.withdrawn_at is null) as last_measured_on from objective o where o.org_id = $1 and o.status = 'open' \
        order by o.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?)
}
