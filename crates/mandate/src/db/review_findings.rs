//! What the management review detectors read (`leadership::detectors::review`).

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{MeetingId, OrgId, UserId};

/// A required input left uncovered in a review that was closed, or held before `$2` and still not closed:
/// (review, title, held day, chair, input heading).
pub async fn uncovered_inputs(
    c: &mut Conn<'_>,
    org: OrgId,
    held_before: UnixTime,
) -> Result<Vec<(i64, String, UnixTime, UserId, String)>, DbError> {
    const SQL: &str = "select r.id, r.title, m.held_on, r.chair_id, i.heading from management_review r \
        join meeting m on m.org_id = r.org_id and m.id = r.meeting_id \
        join review_input i on i.org_id = r.org_id and i.review_id = r.id \
        where r.org_id = $1 and i.required and not i.covered and (r.status = 'closed' or m.held_on < $2) \
        order by r.id, i.position";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(held_before).fetch_all(&mut **c).await)?)
}

/// Reviews complete or closed, or held before `$2`, at which no top manager was present:
/// (review, title, held day, chair, meeting).
pub async fn without_top_management(
    c: &mut Conn<'_>,
    org: OrgId,
    held_before: UnixTime,
) -> Result<Vec<(i64, String, UnixTime, UserId, MeetingId)>, DbError> {
    const SQL: &str = "select r.id, r.title, m.held_on, r.chair_id, m.id from management_review r \
        join meeting m on m.org_id = r.org_id and m.id = r.meeting_id \
        where r.org_id = $1 and (r.status in ('complete', 'closed') or m.held_on < $2) and not exists ( \
            select 1 from meeting_attendee a join membership s on s.org_id = a.org_id and s.user_id = a.user_id \
            where a.org_id = r.org_id and a.meeting_id = m.id and a.presence = 'present' \
            and s.role = 'top_management') \
        order by r.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(held_before).fetch_all(&mut **c).await)?)
}

/// The latest closed review: (review, title, held day).
pub async fn last_closed(c: &mut Conn<'_>, org: OrgId) -> Result<Option<(i64, String, UnixTime)>, DbError> {
    const SQL: &str = "select r.id, r.title, m.held_on from management_review r \
        join meeting m on m.org_id = r.org_id and m.id = r.meeting_id \
        where r.org_id = $1 and r.status = 'closed' order by m.held_on desc, r.id desc limit 1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_optional(&mut **c).await)?)
}
