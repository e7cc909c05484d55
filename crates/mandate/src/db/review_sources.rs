//! The live figures a management review is compiled from: one aggregate query per source, each over the
//! review's period `[$2, $3)` (seconds), so compiling costs the same whatever the size of the registers.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{MeetingId, OrgId};

/// A period, start included, end excluded.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub start: UnixTime,
    pub end: UnixTime,
}

/// An action of a previous review: (id, title, status, due day).
pub type ActionLine = (i64, String, String, UnixTime);

pub async fn review_actions(c: &mut Conn<'_>, org: OrgId, meeting: MeetingId) -> Result<Vec<ActionLine>, DbError> {
    const SQL: &str = "select id, title, status, due_on from meeting_action where org_id = $1 and meeting_id = $2 \
        order by due_on, id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(meeting).fetch_all(&mut **c).await)?)
}

/// Objectives measured in the period: (objective, statement, measurements).
pub async fn measured(c: &mut Conn<'_>, org: OrgId, p: Period) -> Result<Vec<(i64, String, i64)>, DbError> {
    const SQL: &str = "select o.id, o.statement, count(*) from measurement m join objective o on o.id = m.objective_id and o.org_id = m.org_id \
        where m.org_id = $1 and m.withdrawn_at is null and m.measured_on >= $2 and m.measured_on < $3 \
        group by o.id, o.statement order by o.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(p.start).bind(p.end).fetch_all(&mut **c).await)?)
}

/// A phishing simulation launched in the period, with its tallies.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SimulationLine {
    pub id: i64,
    pub name: String,
    pub launched_on: UnixTime,
    pub sent_count: i64,
    pub clicked_count: i64,
    pub reported_count: i64,
}

pub async fn simulations(c: &mut Conn<'_>, org: OrgId, p: Period) -> Result<Vec<SimulationLine>, DbError> {
    const SQL: &str = "select id, name, launched_on, sent_count, clicked_count, reported_count \
        from phishing_simulation where org_id = $1 and launched_on >= $2 and launched_on < $3 \
        order by launched_on, id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(p.start).bind(p.end).fetch_all(&mut **c).await)?)
}

/// Training campaigns due in the period: (campaign, title, enrolled, completed).
pub async fn training(c: &mut Conn<'_>, org: OrgId, p: Period) -> Result<Vec<(i64, String, i64, i64)>, DbError> {
    const SQL: &str = "select t.id, t.title, count(e.id), \
        coalesce(sum(case when e.completed_on is not null then 1 else 0 end), 0) \
        from training_campaign t left join training_enrolment e on e.org_id = t.org_id and e.campaign_id = t.id \
        where t.org_id = $1 and t.due_on >= $2 and t.due_on < $3 group by t.id, t.title order by t.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(p.start).bind(p.end).fetch_all(&mut **c).await)?)
}

/// Top management's audit involvement in the period: (entry, manager's name, day).
pub async fn joined_audits(c: &mut Conn<'_>, org: OrgId, p: Period) -> Result<Vec<(i64, String, UnixTime)>, DbError> {
    const SQL: &str = "select i.id, u.name, i.occurred_on from management_involvement i \
        join app_user u on u.id = i.manager_id where i.org_id = $1 and i.kind = 'joined_audit' \
        and i.occurred_on >= $2 and i.occurred_on < $3 order by i.occurred_on, i.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(p.start).bind(p.end).fetch_all(&mut **c).await)?)
}

/// Decisions on improvement taken in the period: (decision, text).
pub async fn improvement_decisions(c: &mut Conn<'_>, org: OrgId, p: Period) -> Result<Vec<(i64, String)>, DbError> {
    const SQL: &str = "select id, text from decision where org_id = $1 and topic = 'improvement' \
        and decided_on >= $2 and decided_on < $3 order by decided_on, id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(p.start).bind(p.end).fetch_all(&mut **c).await)?)
}

/// Follow-through at `now` of the actions of meetings held in the period, and of those of improvement decisions
/// in it, as (on time, counted) pairs — the rule of `domain::meeting::follow_through`.
pub async fn follow_through(
    c: &mut Conn<'_>,
    org: OrgId,
    p: Period,
    now: UnixTime,
) -> Result<(i64, i64, i64, i64), DbError> {
    const SQL: &str = "select \
        coalesce(sum(case when a.status = 'done' and a.closed_at < a.due_on + 86400 then 1 else 0 end), 0), \
        coalesce(sum(case when a.status = 'done' or (a.status = 'open' and a.due_on + 86400 <= $4) then 1 else 0 end), 0), \
        coalesce(sum(case when d.topic = 'improvement' and a.status = 'done' and a.closed_at < a.due_on + 86400 \
            then 1 else 0 end), 0), \
        coalesce(sum(case when d.topic = 'improvement' and (a.status = 'done' or (a.status = 'open' \
            and a.due_on + 86400 <= $4)) then 1 else 0 end), 0) \
        from meeting_action a join meeting m on m.id = a.meeting_id \
        left join decision d on d.id = a.decision_id \
        where a.org_id = $1 and m.held_on >= $2 and m.held_on < $3";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(p.start).bind(p.end).bind(now)
        .fetch_one(&mut **c).await)?)
}

/// A resource commitment approved in the period: (commitment, title, currency, approved minor units).
pub async fn approved(c: &mut Conn<'_>, org: OrgId, p: Period) -> Result<Vec<(i64, String, String, i64)>, DbError> {
    const SQL: &str = "select id, title, currency, coalesce(approved_minor, 0) from resource_commitment \
        where org_id = $1 and status in ('approved', 'closed') and decided_at >= $2 and decided_at < $3 \
        order by id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(p.start).bind(p.end).fetch_all(&mut **c).await)?)
}

/// What was spent in the period, per currency: (currency, minor units).
pub async fn spent(c: &mut Conn<'_>, org: OrgId, p: Period) -> Result<Vec<(String, i64)>, DbError> {
    const SQL: &str = "select r.currency, cast(coalesce(sum(e.amount_minor), 0) as bigint) from resource_entry e \
        join resource_commitment r on r.id = e.commitment_id and r.org_id = e.org_id where e.org_id = $1 and e.spent_on >= $2 \
        and e.spent_on < $3 group by r.currency order by r.currency";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(p.start).bind(p.end).fetch_all(&mut **c).await)?)
}

/// Commitments closed in the period with what was left moved elsewhere: (commitment, title).
pub async fn redirected(c: &mut Conn<'_>, org: OrgId, p: Period) -> Result<Vec<(i64, String)>, DbError> {
    const SQL: &str = "select id, title from resource_commitment where org_id = $1 and disposition = 'redirected' \
        and closed_at >= $2 and closed_at < $3 order by id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(p.start).bind(p.end).fetch_all(&mut **c).await)?)
}

/// Policies whose next review falls before `until`: (policy, title, next review).
pub async fn policy_reviews(
    c: &mut Conn<'_>,
    org: OrgId,
    until: UnixTime,
) -> Result<Vec<(i64, String, UnixTime)>, DbError> {
    const SQL: &str = "select id, title, next_review_at from policy where org_id = $1 \
        and next_review_at is not null and next_review_at < $2 order by next_review_at, id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(until).fetch_all(&mut **c).await)?)
}
