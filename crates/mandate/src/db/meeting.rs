//! Meetings, their attendees and agenda items. Topics and clauses are stored as `,a,b,` lists (see
//! `domain::meeting::join_list`); dates as midnight UTC.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{AgendaItemId, MeetingId, OrgId, UserId};

/// A meeting with the names of its chair and of who recorded it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: MeetingId,
    pub kind: String,
    pub title: String,
    pub held_on: UnixTime,
    pub place: String,
    pub chair_id: UserId,
    pub chair_name: String,
    pub minutes: String,
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

/// A meeting as a person records it, already checked.
#[derive(Debug, Clone)]
pub struct NewMeeting<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub held_on: UnixTime,
    pub place: &'a str,
    pub chair_id: UserId,
    pub minutes: &'a str,
    pub recorded_by: UserId,
}

/// An invited member and whether they came.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttendeeRow {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub presence: String,
}

/// An agenda item.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgendaRow {
    pub id: AgendaItemId,
    pub position: i64,
    pub title: String,
    pub topics: String,
    pub clauses: String,
}

const SELECT: &str = "select m.id, m.kind, m.title, m.held_on, m.place, m.chair_id, c.name as chair_name, m.minutes, \
    m.recorded_by, r.name as recorder_name, m.created_at, m.updated_at \
    from meeting m join app_user c on c.id = m.chair_id join app_user r on r.id = m.recorded_by ";

/// Inserts a meeting of `org`.
pub async fn insert(c: &mut Conn<'_>, org: OrgId, m: &NewMeeting<'_>, now: UnixTime) -> Result<MeetingId, DbError> {
    const SQL: &str = "insert into meeting (org_id, kind, title, held_on, place, chair_id, minutes, recorded_by, \
        created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(m.kind).bind(m.title).bind(m.held_on).bind(m.place)
        .bind(m.chair_id).bind(m.minutes).bind(m.recorded_by).bind(now).fetch_one(&mut **c).await)?)
}

/// Records who was invited to meeting `id` and whether they came.
pub async fn insert_attendees(
    c: &mut Conn<'_>,
    org: OrgId,
    id: MeetingId,
    attendees: &[(UserId, &str)],
) -> Result<(), DbError> {
    const SQL: &str = "insert into meeting_attendee (org_id, meeting_id, user_id, presence) values ($1, $2, $3, $4)";
    for (user, presence) in attendees {
        on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(*user).bind(*presence).execute(&mut **c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Adds agenda items to meeting `id`, numbered from 1 in the order given: (title, topics, clauses).
pub async fn insert_agenda(
    c: &mut Conn<'_>,
    org: OrgId,
    id: MeetingId,
    items: &[(String, String, String)],
) -> Result<(), DbError> {
    const SQL: &str = "insert into agenda_item (org_id, meeting_id, position, title, topics, clauses) \
                       values ($1, $2, $3, $4, $5, $6)";
    for (position, (title, topics, clauses)) in items.iter().enumerate() {
        on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(position as i64 + 1).bind(title).bind(topics)
            .bind(clauses).execute(&mut **c).await.map(|_| ()))?;
    }
    Ok(())
}

/// Meeting `id` of `org`.
pub async fn get(c: &mut Conn<'_>, org: OrgId, id: MeetingId) -> Result<Option<MeetingRow>, DbError> {
    let sql = format!("{SELECT} where m.org_id = $1 and m.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// Who was invited to meeting `id`, by name.
pub async fn attendees(c: &mut Conn<'_>, org: OrgId, id: MeetingId) -> Result<Vec<AttendeeRow>, DbError> {
    const SQL: &str = "select a.user_id, u.name, u.email, a.presence from meeting_attendee a \
                       join app_user u on u.id = a.user_id where a.org_id = $1 and a.meeting_id = $2 \
                       order by u.name, u.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).fetch_all(&mut **c).await)?)
}

/// Meeting `id`'s agenda in order.
pub async fn agenda(c: &mut Conn<'_>, org: OrgId, id: MeetingId) -> Result<Vec<AgendaRow>, DbError> {
    const SQL: &str = "select id, position, title, topics, clauses from agenda_item \
                       where org_id = $1 and meeting_id = $2 order by position";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).fetch_all(&mut **c).await)?)
}

/// Filters for the meetings register.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub kind: Option<&'a str>,
    pub topic: Option<&'a str>,
    /// Held on or after this day and before `until`.
    pub from: Option<UnixTime>,
    pub until: Option<UnixTime>,
}

/// A meeting as a row of the register, with how many decisions and actions it produced.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingLine {
    pub id: MeetingId,
    pub kind: String,
    pub title: String,
    pub held_on: UnixTime,
    pub chair_name: String,
    pub decisions: i64,
    pub actions: i64,
}

const WHERE: &str = "where m.org_id = $1 and ($2 is null or m.kind = $2) and ($3 is null or exists (select 1 from \
    agenda_item i where i.org_id = m.org_id and i.meeting_id = m.id and i.topics like $3)) \
    and ($4 is null or m.held_on >= $4) and ($5 is null or m.held_on < $5) ";

/// One page of `org`'s meetings, newest first, and how many match in all.
#[tracing::instrument(skip_all)]
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    f: &Filter<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<MeetingLine>, i64), DbError> {
    let sql = format!(
        "select m.id, m.kind, m.title, m.held_on, c.name as chair_name, \
         (select count(*) from decision d where d.org_id = m.org_id and d.meeting_id = m.id) as decisions, \
         (select count(*) from meeting_action a where a.org_id = m.org_id and a.meeting_id = m.id) as actions \
         from meeting m join app_user c on c.id = m.chair_id {WHERE}order by m.held_on desc, m.id desc \
         limit $6 offset $7"
    );
    let count = format!("select count(*) from meeting m {WHERE}");
    let topic = f.topic.map(|t| format!("%,{t},%"));
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(f.kind)
        .bind(&topic).bind(f.from).bind(f.until).bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org).bind(f.kind)
        .bind(&topic).bind(f.from).bind(f.until).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// The first and last day any of `org`'s meetings was held, for the register's year filter.
pub async fn span(c: &mut Conn<'_>, org: OrgId) -> Result<Option<(UnixTime, UnixTime)>, DbError> {
    const SQL: &str = "select min(held_on), max(held_on) from meeting where org_id = $1";
    let (first, last): (Option<i64>, Option<i64>) =
        on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_one(&mut **c).await)?;
    Ok(first.zip(last))
}

/// How many meetings `org` holds.
pub async fn count(c: &mut Conn<'_>, org: OrgId) -> Result<i64, DbError> {
    const SQL: &str = "select count(*) from meeting where org_id = $1";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).fetch_one(&mut **c).await)?)
}
