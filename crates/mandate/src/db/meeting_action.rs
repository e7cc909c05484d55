//! Actions arising from meetings and their decisions, and follow-through counted in SQL (see
//! `domain::meeting::follow_through` for the rule the counts follow).

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{ActionId, DecisionId, MeetingId, OrgId, UserId};
use crate::domain::leadership::Detector;
use crate::domain::meeting::FollowThrough;

/// An action with its meeting, decision and the names of the people involved.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActionRow {
    pub id: ActionId,
    /// The meeting the action came from; `None` for an action made from a finding.
    pub meeting_id: Option<MeetingId>,
    pub meeting_title: Option<String>,
    pub decision_id: Option<DecisionId>,
    /// The finding the action was made from: its detector and subject.
    pub finding_detector: Option<String>,
    pub finding_subject: Option<String>,
    pub title: String,
    pub owner_id: UserId,
    pub owner_name: String,
    pub due_on: UnixTime,
    pub status: String,
    pub completion_note: String,
    pub cancel_reason: Option<String>,
    pub closed_by: Option<UserId>,
    pub closer_name: Option<String>,
    pub closed_at: Option<UnixTime>,
    pub recorded_by: UserId,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

impl ActionRow {
    /// Where the action came from, in words: its meeting's title, or the finding it was made from.
    pub fn origin(&self) -> String {
        match (&self.meeting_title, &self.finding_detector) {
            (Some(title), _) => title.clone(),
            (None, Some(detector)) => {
                let label = Detector::parse(detector).map_or(detector.as_str(), |d| d.label());
                format!("from finding: {label}")
            }
            (None, None) => String::new(),
        }
    }
}

/// An action as recorded, already checked.
#[derive(Debug, Clone)]
pub struct NewAction<'a> {
    pub meeting_id: Option<MeetingId>,
    pub decision_id: Option<DecisionId>,
    /// (detector, subject) of the finding the action comes from.
    pub finding: Option<(&'a str, &'a str)>,
    pub title: &'a str,
    pub owner_id: UserId,
    pub due_on: UnixTime,
    pub recorded_by: UserId,
}

const SELECT: &str = "select a.id, a.meeting_id, m.title as meeting_title, a.decision_id, a.finding_detector, \
    a.finding_subject, a.title, a.owner_id, o.name as owner_name, a.due_on, a.status, a.completion_note, \
    a.cancel_reason, a.closed_by, c.name as closer_name, a.closed_at, a.recorded_by, a.created_at, a.updated_at \
    from meeting_action a left join meeting m on m.id = a.meeting_id and m.org_id = a.org_id join app_user o on o.id = a.owner_id \
    left join app_user c on c.id = a.closed_by ";

pub async fn insert(c: &mut Conn<'_>, org: OrgId, a: &NewAction<'_>, now: UnixTime) -> Result<ActionId, DbError> {
    const SQL: &str = "insert into meeting_action (org_id, meeting_id, decision_id, title, owner_id, due_on, status, \
        completion_note, recorded_by, created_at, updated_at, finding_detector, finding_subject) \
        values ($1, $2, $3, $4, $5, $6, 'open', '', $7, $8, $8, $9, $10) returning id";
    let (detector, subject) = a.finding.unzip();
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(a.meeting_id).bind(a.decision_id).bind(a.title)
        .bind(a.owner_id).bind(a.due_on).bind(a.recorded_by).bind(now).bind(detector).bind(subject)
        .fetch_one(&mut **c).await)?)
}

/// Action `id` of `org`.
pub async fn get(c: &mut Conn<'_>, org: OrgId, id: ActionId) -> Result<Option<ActionRow>, DbError> {
    let sql = format!("{SELECT} where a.org_id = $1 and a.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// An action made from a finding: which finding, and where the action stands.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FindingAction {
    pub detector: String,
    pub subject: String,
    pub id: ActionId,
    pub status: String,
}

/// Every action of `org` made from a finding, newest first.
pub async fn from_findings(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<FindingAction>, DbError> {
    const SQL: &str = "select finding_detector as detector, finding_subject as subject, id, status from meeting_action \
        where org_id = $1 and finding_detector is not null order by id desc";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?)
}

/// Closes open action `id` as `status` (done or cancelled); one that is no longer open is [`DbError::Conflict`].
#[allow(clippy::too_many_arguments)]
pub async fn close(
    c: &mut Conn<'_>,
    org: OrgId,
    id: ActionId,
    status: &str,
    note: &str,
    cancel_reason: Option<&str>,
    by: UserId,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update meeting_action set status = $3, completion_note = $4, cancel_reason = $5, \
        closed_by = $6, closed_at = $7, updated_at = $7 where org_id = $1 and id = $2 and status = 'open'";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(status).bind(note).bind(cancel_reason)
        .bind(by).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 { Err(DbError::Conflict) } else { Ok(()) }
}

/// Filters for the actions register.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub owner: Option<UserId>,
    pub status: Option<&'a str>,
    /// Only open actions whose due day ended before this time.
    pub overdue_at: Option<UnixTime>,
    pub meeting: Option<MeetingId>,
    pub decision: Option<DecisionId>,
}

const WHERE: &str = "where a.org_id = $1 and ($2 is null or a.owner_id = $2) and ($3 is null or a.status = $3) \
    and ($4 is null or (a.status = 'open' and a.due_on + 86400 <= $4)) and ($5 is null or a.meeting_id = $5) \
    and ($6 is null or a.decision_id = $6) ";

/// One page of `org`'s actions (open ones first, soonest due first) and how many match in all.
#[tracing::instrument(skip_all)]
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    f: &Filter<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ActionRow>, i64), DbError> {
    let sql = format!(
        "{SELECT}{WHERE}order by case when a.status = 'open' then 0 else 1 end, a.due_on, a.id limit $7 offset $8"
    );
    let count = format!("select count(*) from meeting_action a {WHERE}");
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(f.owner)
        .bind(f.status).bind(f.overdue_at).bind(f.meeting).bind(f.decision).bind(limit).bind(offset)
        .fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org).bind(f.owner)
        .bind(f.status).bind(f.overdue_at).bind(f.meeting).bind(f.decision).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// The open actions `user` owns in `org`, soonest due first (their tasks).
pub async fn open_for(c: &mut Conn<'_>, org: OrgId, user: UserId) -> Result<Vec<ActionRow>, DbError> {
    let sql = format!("{SELECT}where a.org_id = $1 and a.owner_id = $2 and a.status = 'open' order by a.due_on, a.id");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(user)
        .fetch_all(&mut **c).await)?)
}

/// What follow-through is grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Meeting,
    Decision,
}

impl Group {
    fn column(self) -> &'static str {
        match self {
            Group::Meeting => "meeting_id",
            Group::Decision => "decision_id",
        }
    }
}

/// The follow-through counts of the actions `a` at `$2` (now), as `FollowThrough`'s columns. This is the rule of
/// `domain::meeting::follow_through`: done before the end of the due day is on time, open past it is overdue,
/// open before it is pending; cancelled ones are counted apart.
const OUTCOMES: &str = "\
    sum(case when a.status = 'done' and a.closed_at < a.due_on + 86400 then 1 else 0 end) as on_time, \
    sum(case when a.status = 'done' and a.closed_at >= a.due_on + 86400 then 1 else 0 end) as late, \
    sum(case when a.status = 'open' and a.due_on + 86400 <= $2 then 1 else 0 end) as overdue, \
    sum(case when a.status = 'open' and a.due_on + 86400 > $2 then 1 else 0 end) as pending, \
    sum(case when a.status = 'cancelled' then 1 else 0 end) as cancelled ";

/// Follow-through of one group.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupCounts {
    pub key: i64,
    #[sqlx(flatten)]
    pub counts: FollowThrough,
}

/// Follow-through of `org`'s actions at `now`, grouped by `group`; only the groups in `keys`, or all when `keys`
/// is `None`.
#[tracing::instrument(skip_all)]
pub async fn follow_through(
    c: &mut Conn<'_>,
    org: OrgId,
    group: Group,
    keys: Option<&[i64]>,
    now: UnixTime,
) -> Result<Vec<GroupCounts>, DbError> {
    if keys.is_some_and(<[i64]>::is_empty) {
        return Ok(Vec::new());
    }
    let column = group.column();
    // Placeholders only ($3, $4, …); the keys themselves are bound. The column comes from the fixed enum.
    let only = keys.map_or(String::new(), |keys| {
        let list: Vec<String> = (0..keys.len()).map(|i| format!("${}", i + 3)).collect();
        format!("and a.{column} in ({}) ", list.join(", "))
    });
    let sql = format!(
        "select a.{column} as key, {OUTCOMES}from meeting_action a \
         where a.org_id = $1 and a.{column} is not null {only}group by a.{column} order by a.{column}"
    );
    Ok(on_conn!(c, c => {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(now);
        for key in keys.unwrap_or(&[]) {
            query = query.bind(*key);
        }
        query.fetch_all(&mut **c).await
    })?)
}

/// Follow-through per action owner in `org` at `now`, by name: (owner, name, counts).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnerCounts {
    pub owner_id: UserId,
    pub owner_name: String,
    #[sqlx(flatten)]
    pub counts: FollowThrough,
}

/// Follow-through of every person who owns actions in `org`, by name.
#[tracing::instrument(skip_all)]
pub async fn follow_through_by_owner(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<OwnerCounts>, DbError> {
    let sql = format!(
        "select a.owner_id, u.name as owner_name, {OUTCOMES}\
         from meeting_action a join app_user u on u.id = a.owner_id where a.org_id = $1 \
         group by a.owner_id, u.name order by u.name, a.owner_id"
    );
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(now)
        .fetch_all(&mut **c).await)?)
}
