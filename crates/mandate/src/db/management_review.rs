//! Management reviews: the schedule, the reviews, their compiled inputs and the kinds of their decisions.
//! Attendance lives in `meeting_attendee` of the review's meeting (see `db::meeting`).

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{DecisionId, MeetingId, OrgId, UserId};

/// An organisation's review schedule.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScheduleRow {
    pub every_months: i64,
    pub chair_id: UserId,
    pub chair_name: String,
    pub recorded_by: UserId,
    pub updated_at: UnixTime,
}

/// A review with its chair's name and the day its meeting was held.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub title: String,
    pub planned_on: UnixTime,
    pub period_start: UnixTime,
    pub period_end: UnixTime,
    pub chair_id: UserId,
    pub chair_name: String,
    pub status: String,
    pub meeting_id: Option<MeetingId>,
    pub held_on: Option<UnixTime>,
    pub opened_at: Option<UnixTime>,
    pub completed_at: Option<UnixTime>,
    pub closed_at: Option<UnixTime>,
    pub checkpoint_size: Option<i64>,
    pub recorded_by: UserId,
    pub created_at: UnixTime,
}

/// A compiled input with its notes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InputRow {
    pub id: i64,
    pub key: String,
    pub position: i64,
    pub heading: String,
    pub required: bool,
    pub summary: String,
    pub figures: String,
    pub notes: String,
    pub covered: bool,
    pub compiled_at: UnixTime,
}

/// A compiled input to store.
#[derive(Debug, Clone)]
pub struct NewInput<'a> {
    pub key: &'a str,
    pub position: i64,
    pub heading: &'a str,
    pub required: bool,
    pub summary: &'a str,
    pub figures: &'a str,
}

pub async fn schedule(c: &mut Conn<'_>, org: OrgId) -> Result<Option<ScheduleRow>, DbError> {
    const SQL: &str = "select s.every_months, s.chair_id, u.name as chair_name, s.recorded_by, s.updated_at \
        from review_schedule s join app_user u on u.id = s.chair_id where s.org_id = $1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_optional(&mut **c).await)?)
}

/// The required attendees of `org`'s schedule: (user, name, role), by name.
pub async fn schedule_attendees(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<(UserId, String, String)>, DbError> {
    const SQL: &str = "select a.user_id, u.name, m.role from review_schedule_attendee a \
        join app_user u on u.id = a.user_id join membership m on m.org_id = a.org_id and m.user_id = a.user_id \
        where a.org_id = $1 order by u.name, u.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?)
}

/// Sets `org`'s schedule and replaces its attendees.
pub async fn set_schedule(
    c: &mut Conn<'_>,
    org: OrgId,
    every_months: i64,
    chair: UserId,
    attendees: &[UserId],
    by: UserId,
    now: UnixTime,
) -> Result<(), DbError> {
    const UPSERT: &str = "insert into review_schedule (org_id, every_months, chair_id, recorded_by, updated_at) \
        values ($1, $2, $3, $4, $5) on conflict (org_id) do update set every_months = excluded.every_months, \
        chair_id = excluded.chair_id, recorded_by = excluded.recorded_by, updated_at = excluded.updated_at";
    const CLEAR: &str = "delete from review_schedule_attendee where org_id = $1";
    const ADD: &str = "insert into review_schedule_attendee (org_id, user_id) values ($1, $2)";
    on_conn!(c, c => sqlx::query(UPSERT).bind(org).bind(every_months).bind(chair).bind(by).bind(now)
        .execute(&mut **c).await.map(|_| ()))?;
    on_conn!(c, c => sqlx::query(CLEAR).bind(org).execute(&mut **c).await.map(|_| ()))?;
    for user in attendees {
        on_conn!(c, c => sqlx::query(ADD).bind(org).bind(*user).execute(&mut **c).await.map(|_| ()))?;
    }
    Ok(())
}

const SELECT: &str = "select r.id, r.title, r.planned_on, r.period_start, r.period_end, r.chair_id, \
    u.name as chair_name, r.status, r.meeting_id, m.held_on, r.opened_at, r.completed_at, r.closed_at, \
    r.checkpoint_size, r.recorded_by, r.created_at from management_review r join app_user u on u.id = r.chair_id \
    left join meeting m on m.org_id = r.org_id and m.id = r.meeting_id ";

/// Plans a review of `org`.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    title: &str,
    planned_on: UnixTime,
    period_start: UnixTime,
    chair: UserId,
    by: UserId,
    now: UnixTime,
) -> Result<i64, DbError> {
    const SQL: &str = "insert into management_review (org_id, title, planned_on, period_start, period_end, chair_id, \
        status, recorded_by, created_at, updated_at) values ($1, $2, $3, $4, $3, $5, 'planned', $6, $7, $7) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(title).bind(planned_on).bind(period_start)
        .bind(chair).bind(by).bind(now).fetch_one(&mut **c).await)?)
}

/// Review `id` of `org`, locked until the end of the transaction on PostgreSQL, so a change that read the review
/// cannot commit after a concurrent close (SQLite's writers are serialised already).
pub async fn lock(c: &mut Conn<'_>, org: OrgId, id: i64) -> Result<Option<ReviewRow>, DbError> {
    let sql = format!("{SELECT}where r.org_id = $1 and r.id = $2");
    Ok(match c {
        Conn::Sqlite(c) => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id).fetch_optional(&mut **c).await?
        }
        Conn::Postgres(c) => {
            let sql = format!("{sql} for update of r");
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org).bind(id).fetch_optional(&mut **c).await?
        }
    })
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, id: i64) -> Result<Option<ReviewRow>, DbError> {
    let sql = format!("{SELECT}where r.org_id = $1 and r.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// Every review of `org`, newest planned first.
pub async fn list(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<ReviewRow>, DbError> {
    let sql = format!("{SELECT}where r.org_id = $1 order by r.planned_on desc, r.id desc");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).fetch_all(&mut **c).await)?)
}

/// The latest closed review of `org` held before `before` (by its meeting's day), other than `except`.
pub async fn previous_closed(
    c: &mut Conn<'_>,
    org: OrgId,
    before: UnixTime,
    except: i64,
) -> Result<Option<ReviewRow>, DbError> {
    let sql = format!(
        "{SELECT}where r.org_id = $1 and r.status = 'closed' and m.held_on <= $2 and r.id <> $3 \
         order by m.held_on desc, r.id desc limit 1"
    );
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(before).bind(except)
        .fetch_optional(&mut **c).await)?)
}

/// Moves review `id` from `from` to `to`, stamping the time column of the new state; a review no longer in
/// `from` is [`DbError::Conflict`].
pub async fn set_status(
    c: &mut Conn<'_>,
    org: OrgId,
    id: i64,
    from: &str,
    to: &str,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update management_review set status = $4, updated_at = $5, \
        completed_at = case when $4 = 'complete' then $5 else completed_at end \
        where org_id = $1 and id = $2 and status = $3";
    let n = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(from).bind(to).bind(now)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(DbError::Conflict) } else { Ok(()) }
}

/// Opens planned review `id`: its meeting and its period (days, both included).
pub async fn open(
    c: &mut Conn<'_>,
    org: OrgId,
    id: i64,
    meeting: MeetingId,
    period: (UnixTime, UnixTime),
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update management_review set status = 'open', meeting_id = $3, period_start = $4, \
        period_end = $5, opened_at = $6, updated_at = $6 where org_id = $1 and id = $2 and status = 'planned'";
    let n = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(meeting).bind(period.0).bind(period.1)
        .bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(DbError::Conflict) } else { Ok(()) }
}

/// Closes complete review `id` with the size of the checkpoint signed with it.
pub async fn close(c: &mut Conn<'_>, org: OrgId, id: i64, size: i64, now: UnixTime) -> Result<(), DbError> {
    const SQL: &str = "update management_review set status = 'closed', checkpoint_size = $3, closed_at = $4, \
        updated_at = $4 where org_id = $1 and id = $2 and status = 'complete'";
    let n = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(size).bind(now)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(DbError::Conflict) } else { Ok(()) }
}

pub async fn inputs(c: &mut Conn<'_>, org: OrgId, review: i64) -> Result<Vec<InputRow>, DbError> {
    const SQL: &str = "select id, key, position, heading, required, summary, figures, notes, covered, compiled_at \
        from review_input where org_id = $1 and review_id = $2 order by position";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(review).fetch_all(&mut **c).await)?)
}

/// Stores freshly compiled inputs of `review`, keeping the notes of inputs already there.
pub async fn store_compiled(
    c: &mut Conn<'_>,
    org: OrgId,
    review: i64,
    inputs: &[NewInput<'_>],
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "insert into review_input (org_id, review_id, key, position, heading, required, summary, \
        figures, notes, covered, compiled_at) values ($1, $2, $3, $4, $5, $6, $7, $8, '', false, $9) \
        on conflict (review_id, key) do update set position = excluded.position, heading = excluded.heading, \
        required = excluded.required, summary = excluded.summary, figures = excluded.figures, \
        compiled_at = excluded.compiled_at";
    for i in inputs {
        on_conn!(c, c => sqlx::query(SQL).bind(org).bind(review).bind(i.key).bind(i.position).bind(i.heading)
            .bind(i.required).bind(i.summary).bind(i.figures).bind(now).execute(&mut **c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Writes the discussion notes of input `key` of `review`; a missing input is [`DbError::NotFound`].
pub async fn set_notes(
    c: &mut Conn<'_>,
    org: OrgId,
    review: i64,
    key: &str,
    notes: &str,
    covered: bool,
    by: UserId,
) -> Result<(), DbError> {
    const SQL: &str = "update review_input set notes = $4, covered = $5, notes_by = $6 \
        where org_id = $1 and review_id = $2 and key = $3";
    let n = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(review).bind(key).bind(notes).bind(covered).bind(by)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if n == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

/// Replaces the attendance of meeting `meeting`.
pub async fn set_attendance(
    c: &mut Conn<'_>,
    org: OrgId,
    meeting: MeetingId,
    attendees: &[(UserId, &str)],
) -> Result<(), DbError> {
    const CLEAR: &str = "delete from meeting_attendee where org_id = $1 and meeting_id = $2";
    on_conn!(c, c => sqlx::query(CLEAR).bind(org).bind(meeting).execute(&mut **c).await.map(|_| ()))?;
    super::meeting::insert_attendees(c, org, meeting, attendees).await
}

/// Whether a top manager was present at meeting `meeting`.
pub async fn top_manager_present(c: &mut Conn<'_>, org: OrgId, meeting: MeetingId) -> Result<bool, DbError> {
    const SQL: &str = "select count(*) from meeting_attendee a join membership m on m.org_id = a.org_id \
        and m.user_id = a.user_id where a.org_id = $1 and a.meeting_id = $2 and a.presence = 'present' \
        and m.role = 'top_management'";
    let n: i64 = on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(meeting).fetch_one(&mut **c).await)?;
    Ok(n > 0)
}

/// Files decision `decision` as an output of `review` of kind `kind`.
pub async fn insert_output(
    c: &mut Conn<'_>,
    org: OrgId,
    review: i64,
    decision: DecisionId,
    kind: &str,
) -> Result<(), DbError> {
    const SQL: &str = "insert into review_output (org_id, decision_id, review_id, kind) values ($1, $2, $3, $4)";
    on_conn!(c, c => sqlx::query(SQL).bind(org).bind(decision).bind(review).bind(kind).execute(&mut **c).await
        .map(|_| ()))?;
    Ok(())
}

/// The kinds of `review`'s decisions: (decision, kind).
pub async fn output_kinds(c: &mut Conn<'_>, org: OrgId, review: i64) -> Result<Vec<(DecisionId, String)>, DbError> {
    const SQL: &str = "select decision_id, kind from review_output where org_id = $1 and review_id = $2";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(review).fetch_all(&mut **c).await)?)
}

/// Whether meeting `meeting` holds a closed review (its records are then locked).
pub async fn meeting_locked(c: &mut Conn<'_>, org: OrgId, meeting: MeetingId) -> Result<bool, DbError> {
    const SQL: &str = "select count(*) from management_review where org_id = $1 and meeting_id = $2 \
        and status = 'closed'";
    let n: i64 = on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(meeting).fetch_one(&mut **c).await)?;
    Ok(n > 0)
}
