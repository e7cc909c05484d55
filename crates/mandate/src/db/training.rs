//! Training campaigns and their enrolments: one row per person enrolled at launch, which keeps the person's
//! department of that day and, once done, when they completed the course and with what score.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{OrgId, TrainingId, UserId};
use std::collections::HashMap;

/// A campaign with its people's names and its tally as of a given day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: TrainingId,
    pub title: String,
    pub description: String,
    pub audience: String,
    pub audience_label: String,
    pub due_on: UnixTime,
    pub launched_by: UserId,
    pub launcher_name: String,
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub launched_at: UnixTime,
    pub enrolled: i64,
    pub completed: i64,
    /// Enrolled and not completed once the due date has passed (set by [`get`] and [`list`] for their day).
    #[sqlx(skip)]
    pub overdue: i64,
}

impl CampaignRow {
    /// Sets [`overdue`](Self::overdue) as it stands on day `today`: every incomplete enrolment, once due.
    fn on(mut self, today: UnixTime) -> Self {
        self.overdue = if self.due_on < today { self.enrolled - self.completed } else { 0 };
        self
    }
}

/// A campaign's fields, already checked.
#[derive(Debug, Clone)]
pub struct CampaignFields {
    pub title: String,
    pub description: String,
    pub audience: String,
    pub audience_label: String,
    pub due_on: UnixTime,
    pub launched_by: UserId,
}

const CAMPAIGN: &str = "select t.id, t.title, t.description, t.audience, t.audience_label, t.due_on, t.launched_by, \
    l.name as launcher_name, t.recorded_by, r.name as recorder_name, t.launched_at, \
    (select count(*) from training_enrolment e where e.org_id = t.org_id and e.campaign_id = t.id) as enrolled, \
    (select count(*) from training_enrolment e where e.org_id = t.org_id and e.campaign_id = t.id \
       and e.completed_on is not null) as completed \
    from training_campaign t join app_user l on l.id = t.launched_by join app_user r on r.id = t.recorded_by ";

#[tracing::instrument(skip_all)]
pub async fn insert_campaign(
    c: &mut Conn<'_>,
    org: OrgId,
    f: &CampaignFields,
    recorded_by: UserId,
    now: UnixTime,
) -> Result<TrainingId, DbError> {
    const SQL: &str = "insert into training_campaign (org_id, title, description, audience, audience_label, due_on, \
        launched_by, recorded_by, launched_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(&f.title).bind(&f.description).bind(&f.audience)
        .bind(&f.audience_label).bind(f.due_on).bind(f.launched_by).bind(recorded_by).bind(now)
        .fetch_one(&mut **c).await)?)
}

/// Enrols `people` (members of `org`) in `campaign` with their current department; returns how many.
pub async fn enrol(
    c: &mut Conn<'_>,
    org: OrgId,
    campaign: TrainingId,
    people: &[UserId],
    now: UnixTime,
) -> Result<u64, DbError> {
    let mut added = 0;
    for chunk in people.chunks(500) {
        // The ids are integers read from our own membership table, written into the statement so one statement
        // covers the chunk on both backends.
        let ids: Vec<String> = chunk.iter().map(|id| id.0.to_string()).collect();
        let sql = format!(
            "insert into training_enrolment (org_id, campaign_id, user_id, department, enrolled_at) \
             select $1, $2, m.user_id, m.department, $3 from membership m where m.org_id = $1 and m.user_id in ({})",
            ids.join(", ")
        );
        added += on_conn!(c, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(campaign).bind(now)
            .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    }
    Ok(added)
}

/// Campaign `id` of `org`, with its tally on day `today`.
pub async fn get(
    c: &mut Conn<'_>,
    org: OrgId,
    id: TrainingId,
    today: UnixTime,
) -> Result<Option<CampaignRow>, DbError> {
    let sql = format!("{CAMPAIGN}where t.org_id = $1 and t.id = $2");
    let row: Option<CampaignRow> = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org)
        .bind(id).fetch_optional(&mut **c).await)?;
    Ok(row.map(|r| r.on(today)))
}

/// A page of `org`'s campaigns, latest first, with their tallies on day `today`; and how many there are.
#[tracing::instrument(skip_all)]
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    today: UnixTime,
    limit: i64,
    offset: i64,
) -> Result<(Vec<CampaignRow>, i64), DbError> {
    let sql = format!("{CAMPAIGN}where t.org_id = $1 order by t.launched_at desc, t.id desc limit $2 offset $3");
    const COUNT: &str = "select count(*) from training_campaign where org_id = $1";
    let rows: Vec<CampaignRow> = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org)
        .bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let rows = rows.into_iter().map(|r| r.on(today)).collect();
    let total = on_conn!(c, c => sqlx::query_scalar(COUNT).bind(org).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// A campaign's tally for one department (`None`: people without one).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DepartmentTally {
    pub department: Option<String>,
    pub enrolled: i64,
    pub completed: i64,
}

pub async fn by_department(c: &mut Conn<'_>, org: OrgId, id: TrainingId) -> Result<Vec<DepartmentTally>, DbError> {
    const SQL: &str = "select department, count(*) as enrolled, \
        cast(coalesce(sum(case when completed_on is not null then 1 else 0 end), 0) as bigint) as completed \
        from training_enrolment where org_id = $1 and campaign_id = $2 group by department order by department";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).fetch_all(&mut **c).await)?)
}

/// One person's enrolment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnrolmentRow {
    pub id: i64,
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub department: Option<String>,
    pub enrolled_at: UnixTime,
    pub completed_on: Option<UnixTime>,
    pub score: Option<f64>,
    pub completion_recorded_by: Option<UserId>,
}

/// Filters of the enrolment list.
#[derive(Debug, Clone, Default)]
pub struct EnrolmentFilter<'a> {
    pub completed: Option<bool>,
    /// Only people who have not completed it and are past the campaign's due date.
    pub overdue: bool,
    pub department: Option<&'a str>,
}

/// A page of a campaign's enrolments by name (people still to complete first), and how many match. `today` is
/// the day overdue is judged on; `due_on` the campaign's due date.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(skip_all)]
pub async fn enrolments(
    c: &mut Conn<'_>,
    org: OrgId,
    id: TrainingId,
    filter: &EnrolmentFilter<'_>,
    overdue_now: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EnrolmentRow>, i64), DbError> {
    // `overdue_now` is whether the campaign's due date has passed; overdue people are then its incomplete ones.
    let only_open = filter.completed == Some(false) || filter.overdue;
    if filter.overdue && !overdue_now {
        return Ok((Vec::new(), 0));
    }
    const WHERE: &str = "where e.org_id = $1 and e.campaign_id = $2 and ($3 is null or e.department = $3) \
        and (not $4 or e.completed_on is null) and (not $5 or e.completed_on is not null) ";
    let sql = format!(
        "select e.id, e.user_id, u.email, u.name, e.department, e.enrolled_at, e.completed_on, e.score, \
         e.completion_recorded_by from training_enrolment e join app_user u on u.id = e.user_id {WHERE}\
         order by case when e.completed_on is null then 0 else 1 end, u.name, u.id limit $6 offset $7"
    );
    let count = format!("select count(*) from training_enrolment e {WHERE}");
    let only_done = filter.completed == Some(true);
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .bind(filter.department).bind(only_open).bind(only_done).bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org).bind(id)
        .bind(filter.department).bind(only_open).bind(only_done).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// Everyone enrolled in a campaign by lower-cased e-mail: (person, completed on).
pub async fn enrolled_by_email(
    c: &mut Conn<'_>,
    org: OrgId,
    id: TrainingId,
) -> Result<HashMap<String, (UserId, Option<UnixTime>)>, DbError> {
    const SQL: &str = "select lower(u.email), e.user_id, e.completed_on from training_enrolment e \
                       join app_user u on u.id = e.user_id where e.org_id = $1 and e.campaign_id = $2";
    let rows: Vec<(String, UserId, Option<UnixTime>)> =
        on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).fetch_all(&mut **c).await)?;
    Ok(rows.into_iter().map(|(email, user, on)| (email, (user, on))).collect())
}

/// Records that `user` completed campaign `id` on `on`; returns the enrolment's id, or `None` when they are not
/// enrolled or already completed it.
#[allow(clippy::too_many_arguments)]
pub async fn complete(
    c: &mut Conn<'_>,
    org: OrgId,
    id: TrainingId,
    user: UserId,
    on: UnixTime,
    score: Option<f64>,
    by: UserId,
    now: UnixTime,
) -> Result<Option<i64>, DbError> {
    const SQL: &str = "update training_enrolment set completed_on = $4, score = $5, completion_recorded_by = $6, \
        completion_recorded_at = $7 where org_id = $1 and campaign_id = $2 and user_id = $3 \
        and completed_on is null returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(id).bind(user).bind(on).bind(score).bind(by)
        .bind(now).fetch_optional(&mut **c).await)?)
}

/// Training a person still has to complete: their task.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenTraining {
    pub campaign_id: TrainingId,
    pub title: String,
    pub due_on: UnixTime,
}

pub async fn open_tasks(c: &mut Conn<'_>, org: OrgId, user: UserId) -> Result<Vec<OpenTraining>, DbError> {
    const SQL: &str = "select t.id as campaign_id, t.title, t.due_on from training_enrolment e \
                       join training_campaign t on t.id = e.campaign_id \
                       where e.org_id = $1 and e.user_id = $2 and e.completed_on is null order by t.due_on, t.title";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(user).fetch_all(&mut **c).await)?)
}

/// Every enrolment of a person, latest campaign first: (campaign, title, due, completed on).
pub async fn of_person(
    c: &mut Conn<'_>,
    org: OrgId,
    user: UserId,
) -> Result<Vec<(TrainingId, String, UnixTime, Option<UnixTime>)>, DbError> {
    const SQL: &str = "select t.id, t.title, t.due_on, e.completed_on from training_enrolment e \
                       join training_campaign t on t.id = e.campaign_id \
                       where e.org_id = $1 and e.user_id = $2 order by t.launched_at desc, t.id desc limit 100";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(user).fetch_all(&mut **c).await)?)
}
