//! The Leadership Evidence Index's reads: every register's records reduced to signals (kind, manager, own or on
//! their behalf, day, count, weight) in one aggregate query, the commitments behind the resource signals, and the
//! organisation's freshness windows.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{OrgId, UserId};

/// Records of one kind on one day as the query returns them; see `domain::leadership::Signal`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignalRow {
    pub kind: String,
    pub manager: Option<UserId>,
    pub own: i64,
    pub day: UnixTime,
    pub count: i64,
    pub weight: i64,
}

/// Each register's records since `$2`, as signals. Weights (thousandths) judge what followed a record: a policy
/// version by the share of staff who acknowledged it (half when it never reached them), an action by whether it
/// was done by its due date, a management review by whether every required input was covered, a meeting only when it decided something, a phishing simulation by whether its
/// results were looked at. `own` is whether a top manager made the record themselves. Resource approvals are
/// read by `commitments` (their weight needs the flags' rules).
const SIGNALS: &str = "with tm as (select user_id from membership where org_id = $1 and role = 'top_management'), \
    ev as ( \
    select 'policy_approved' as kind, v.approved_by as manager, 1 as own, (v.approved_at / 86400) * 86400 as day, \
        case when a.asked > 0 then (1000 * a.acked) / a.asked else 500 end as weight \
    from policy_version v left join (select version_id, count(*) as asked, count(acknowledged_at) as acked \
        from acknowledgement where org_id = $1 group by version_id) a on a.version_id = v.id \
    where v.org_id = $1 and v.approved_at >= $2 \
    union all \
    select 'policy_reviewed', case when r.reviewed_by in (select user_id from tm) then r.reviewed_by end, \
        case when r.reviewed_by in (select user_id from tm) then 1 else 0 end, (r.reviewed_at / 86400) * 86400, 1000 \
    from policy_review r where r.org_id = $1 and r.reviewed_at >= $2 \
    union all \
    select 'objective_set', case when o.owner_id in (select user_id from tm) then o.owner_id \
        when o.created_by in (select user_id from tm) then o.created_by end, \
        case when o.created_by in (select user_id from tm) then 1 else 0 end, (o.created_at / 86400) * 86400, \
        case when o.owner_id in (select user_id from tm) or o.created_by in (select user_id from tm) \
        then 1000 else 500 end \
    from objective o where o.org_id = $1 and o.created_at >= $2 \
    union all \
    select 'objective_measured', case when m.measured_by in (select user_id from tm) then m.measured_by end, \
        case when m.measured_by in (select user_id from tm) then 1 else 0 end, m.measured_on, 1000 \
    from measurement m where m.org_id = $1 and m.measured_on >= $2 and m.withdrawn_at is null \
    union all \
    select 'resource_spent', c.decided_by, 1, e.spent_on, 1000 \
    from resource_entry e join resource_commitment c on c.id = e.commitment_id \
    where e.org_id = $1 and e.spent_on >= $2 and e.reverses is null \
        and not exists (select 1 from resource_entry x where x.reverses = e.id) \
    union all \
    select 'appointment', a.appointed_by, 1, a.appointed_on, 1000 \
    from appointment a where a.org_id = $1 and a.appointed_on >= $2 \
    union all \
    select 'communication_sent', c.communicator_id, case when c.recorded_by = c.communicator_id then 1 else 0 end, \
        c.sent_on, 1000 \
    from communication c where c.org_id = $1 and c.sent_on >= $2 and c.communicator_id in (select user_id from tm) \
    union all \
    select 'meeting_decided', case when m.chair_id in (select user_id from tm) then m.chair_id end, \
        case when m.chair_id in (select user_id from tm) then 1 else 0 end, m.held_on, 1000 \
    from meeting m where m.org_id = $1 and m.held_on >= $2 \
        and exists (select 1 from decision d where d.org_id = m.org_id and d.meeting_id = m.id) \
    union all \
    select 'action_done', case when a.owner_id in (select user_id from tm) then a.owner_id \
        when d.decided_by in (select user_id from tm) then d.decided_by end, \
        case when a.owner_id in (select user_id from tm) or d.decided_by in (select user_id from tm) then 1 else 0 end, \
        (a.closed_at / 86400) * 86400, case when a.closed_at < a.due_on + 86400 then 1000 else 500 end \
    from meeting_action a left join decision d on d.id = a.decision_id \
    where a.org_id = $1 and a.status = 'done' and a.closed_at >= $2 \
    union all \
    select 'involvement', i.manager_id, case when i.recorded_by = i.manager_id then 1 else 0 end, i.occurred_on, 1000 \
    from management_involvement i where i.org_id = $1 and i.occurred_on >= $2 \
    union all \
    select 'training_completed', e.user_id, 1, e.completed_on, 1000 \
    from training_enrolment e where e.org_id = $1 and e.completed_on >= $2 \
        and e.user_id in (select user_id from tm) \
    union all \
    select 'review_closed', case when r.chair_id in (select user_id from tm) then r.chair_id end, \
        case when r.chair_id in (select user_id from tm) then 1 else 0 end, (r.closed_at / 86400) * 86400, \
        case when exists (select 1 from review_input i where i.org_id = r.org_id and i.review_id = r.id \
            and i.required and not i.covered) then 500 else 1000 end \
    from management_review r where r.org_id = $1 and r.closed_at >= $2 \
    union all \
    select 'phishing_approved', s.approved_by, case when s.recorded_by = s.approved_by then 1 else 0 end, \
        s.approved_on, case when s.imported_at is not null then 1000 else 500 end \
    from phishing_simulation s where s.org_id = $1 and s.approved_on >= $2 \
    ) \
    select kind, cast(manager as bigint) as manager, cast(own as bigint) as own, cast(day as bigint) as day, \
        cast(count(*) as bigint) as count, cast(sum(weight) as bigint) as weight \
    from ev group by kind, manager, own, day";

/// `org`'s signals from `since` on.
pub async fn signals(c: &mut Conn<'_>, org: OrgId, since: UnixTime) -> Result<Vec<SignalRow>, DbError> {
    Ok(on_conn!(c, c => sqlx::query_as(SIGNALS).bind(org).bind(since).fetch_all(&mut **c).await)?)
}

/// An approved (perhaps since closed) commitment with what was spent on it, for its flags.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommitmentSignal {
    pub id: i64,
    pub status: String,
    pub decided_by: Option<UserId>,
    pub decided_at: UnixTime,
    pub due_on: UnixTime,
    pub approved_minor: i64,
    pub approved_days_x100: i64,
    pub disposition: Option<String>,
    pub spent_minor: i64,
    pub spent_days_x100: i64,
    pub spent_by_due_minor: i64,
    pub spent_by_due_days_x100: i64,
}

/// `org`'s commitments approved from `since` on, with their sums (net of reversals).
pub async fn commitments(c: &mut Conn<'_>, org: OrgId, since: UnixTime) -> Result<Vec<CommitmentSignal>, DbError> {
    const SQL: &str = "select c.id, c.status, c.decided_by, c.decided_at, c.due_on, \
        coalesce(c.approved_minor, 0) as approved_minor, coalesce(c.approved_days_x100, 0) as approved_days_x100, \
        c.disposition, \
        cast(coalesce(sum(e.amount_minor), 0) as bigint) as spent_minor, \
        cast(coalesce(sum(e.days_x100), 0) as bigint) as spent_days_x100, \
        cast(coalesce(sum(case when e.spent_on <= c.due_on then e.amount_minor else 0 end), 0) as bigint) \
            as spent_by_due_minor, \
        cast(coalesce(sum(case when e.spent_on <= c.due_on then e.days_x100 else 0 end), 0) as bigint) \
            as spent_by_due_days_x100 \
        from resource_commitment c left join resource_entry e on e.org_id = c.org_id and e.commitment_id = c.id \
        where c.org_id = $1 and c.status in ('approved', 'closed') and c.decided_at >= $2 \
        group by c.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(since).fetch_all(&mut **c).await)?)
}

/// An organisation's own freshness window for a duty.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WindowRow {
    pub duty: String,
    pub window_days: i64,
}

/// `org`'s freshness windows that differ from the defaults.
pub async fn windows(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<WindowRow>, DbError> {
    const SQL: &str = "select duty, window_days from leadership_window where org_id = $1 order by duty";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?)
}

/// Sets `org`'s window for `duty`.
pub async fn set_window(
    c: &mut Conn<'_>,
    org: OrgId,
    duty: &str,
    window_days: i64,
    by: UserId,
    now: UnixTime,
) -> Result<(), DbError> {
    const UPSERT: &str = "insert into leadership_window (org_id, duty, window_days, updated_by, updated_at) \
        values ($1, $2, $3, $4, $5) on conflict (org_id, duty) do update set window_days = excluded.window_days, \
        updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    on_conn!(c, c => sqlx::query(UPSERT).bind(org).bind(duty).bind(window_days).bind(by).bind(now)
        .execute(&mut **c).await.map(|_| ()))?;
    Ok(())
}
