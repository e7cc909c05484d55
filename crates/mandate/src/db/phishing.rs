//! Phishing simulations and their results. An import replaces a simulation's results (deleted, then inserted in
//! batches of multi-row inserts) and stores its counts on the simulation, so registers never read result rows.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{OrgId, SimulationId, UserId};
use crate::domain::phishing::{Stage, Tally};

/// A simulation with the names of who approved and who recorded it, and its latest import's counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SimulationRow {
    pub id: SimulationId,
    pub name: String,
    pub gophish_campaign_id: Option<i64>,
    pub launched_on: UnixTime,
    pub audience: String,
    pub approved_by: UserId,
    pub approver_name: String,
    pub approved_on: UnixTime,
    pub recorded_by: UserId,
    pub recorder_name: String,
    pub created_at: UnixTime,
    pub imported_at: Option<UnixTime>,
    pub importer_name: Option<String>,
    pub import_sha256: Option<String>,
    pub result_count: i64,
    pub matched_count: i64,
    pub sent_count: i64,
    pub opened_count: i64,
    pub clicked_count: i64,
    pub submitted_count: i64,
    pub reported_count: i64,
}

impl SimulationRow {
    pub fn tally(&self) -> Tally {
        Tally {
            results: self.result_count,
            sent: self.sent_count,
            opened: self.opened_count,
            clicked: self.clicked_count,
            submitted: self.submitted_count,
            reported: self.reported_count,
        }
    }
}

/// A new simulation's fields, checked.
#[derive(Debug, Clone)]
pub struct NewSimulation {
    pub name: String,
    pub gophish_campaign_id: Option<i64>,
    pub launched_on: UnixTime,
    pub audience: String,
    pub approved_by: UserId,
    pub approved_on: UnixTime,
}

const SELECT: &str = "select s.id, s.name, s.gophish_campaign_id, s.launched_on, s.audience, s.approved_by, \
    a.name as approver_name, s.approved_on, s.recorded_by, r.name as recorder_name, s.created_at, s.imported_at, \
    i.name as importer_name, s.import_sha256, s.result_count, s.matched_count, s.sent_count, s.opened_count, \
    s.clicked_count, s.submitted_count, s.reported_count from phishing_simulation s \
    join app_user a on a.id = s.approved_by join app_user r on r.id = s.recorded_by \
    left join app_user i on i.id = s.imported_by ";

#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    s: &NewSimulation,
    by: UserId,
    now: UnixTime,
) -> Result<SimulationId, DbError> {
    const SQL: &str = "insert into phishing_simulation (org_id, name, gophish_campaign_id, launched_on, audience, \
        approved_by, approved_on, recorded_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(&s.name).bind(s.gophish_campaign_id)
        .bind(s.launched_on).bind(&s.audience).bind(s.approved_by).bind(s.approved_on).bind(by).bind(now)
        .fetch_one(&mut **c).await)?)
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, id: SimulationId) -> Result<Option<SimulationRow>, DbError> {
    let sql = format!("{SELECT} where s.org_id = $1 and s.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// A page of `org`'s simulations, latest launch first, and how many there are.
pub async fn list(c: &mut Conn<'_>, org: OrgId, limit: i64, offset: i64) -> Result<(Vec<SimulationRow>, i64), DbError> {
    let sql = format!("{SELECT} where s.org_id = $1 order by s.launched_on desc, s.id desc limit $2 offset $3");
    const COUNT: &str = "select count(*) from phishing_simulation where org_id = $1";
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(limit).bind(offset)
        .fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(COUNT).bind(org).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// Locks simulation `id` of `org` for an import (a row lock on PostgreSQL; SQLite's writer lock is already held)
/// and returns how many results it has now.
pub async fn lock(c: &mut Conn<'_>, org: OrgId, id: SimulationId) -> Result<Option<i64>, DbError> {
    Ok(match c {
        Conn::Sqlite(c) => {
            sqlx::query_scalar("select result_count from phishing_simulation where org_id = $1 and id = $2")
                .bind(org)
                .bind(id)
                .fetch_optional(&mut **c)
                .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_scalar("select result_count from phishing_simulation where org_id = $1 and id = $2 for update")
                .bind(org)
                .bind(id)
                .fetch_optional(&mut **c)
                .await?
        }
    })
}

/// A result row to store.
#[derive(Debug, Clone)]
pub struct NewResult<'a> {
    pub line: i64,
    pub gophish_id: &'a str,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub position: &'a str,
    pub status: &'a str,
    pub stage: i64,
    pub reported: bool,
    pub sent_at: Option<UnixTime>,
    pub modified_at: Option<UnixTime>,
    pub user_id: Option<UserId>,
    pub department: Option<&'a str>,
}

/// Rows per multi-row insert: 14 values each stays well under both databases' limit on bound values.
const BATCH: usize = 500;

/// Replaces simulation `id`'s results with `rows` and stores the import's counts.
#[tracing::instrument(skip_all)]
pub async fn replace_results(
    c: &mut Conn<'_>,
    org: OrgId,
    id: SimulationId,
    rows: &[NewResult<'_>],
    summary: &ImportSummary<'_>,
) -> Result<(), DbError> {
    const DELETE: &str = "delete from phishing_result where org_id = $1 and simulation_id = $2";
    on_conn!(c, c => sqlx::query(DELETE).bind(org).bind(id).execute(&mut **c).await.map(|_| ()))?;
    for batch in rows.chunks(BATCH) {
        let mut sql = String::from(
            "insert into phishing_result (org_id, simulation_id, line, gophish_id, email, first_name, last_name, \
             position, status, stage, reported, sent_at, modified_at, user_id, department) values ",
        );
        for i in 0..batch.len() {
            let b = 3 + i * 13;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("($1, $2, ${}", b));
            for k in 1..13 {
                sql.push_str(&format!(", ${}", b + k));
            }
            sql.push(')');
        }
        on_conn!(c, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id);
            for r in batch {
                q = q.bind(r.line).bind(r.gophish_id).bind(r.email).bind(r.first_name).bind(r.last_name)
                    .bind(r.position).bind(r.status).bind(r.stage).bind(i64::from(r.reported)).bind(r.sent_at)
                    .bind(r.modified_at).bind(r.user_id).bind(r.department);
            }
            q.execute(&mut **c).await.map(|_| ())
        })?;
    }
    const UPDATE: &str = "update phishing_simulation set imported_at = $3, imported_by = $4, import_sha256 = $5, \
        result_count = $6, matched_count = $7, sent_count = $8, opened_count = $9, clicked_count = $10, \
        submitted_count = $11, reported_count = $12 where org_id = $1 and id = $2";
    let t = summary.tally;
    on_conn!(c, c => sqlx::query(UPDATE).bind(org).bind(id).bind(summary.at).bind(summary.by).bind(summary.sha256)
        .bind(t.results).bind(summary.matched).bind(t.sent).bind(t.opened).bind(t.clicked).bind(t.submitted)
        .bind(t.reported).execute(&mut **c).await.map(|_| ()))?;
    Ok(())
}

/// What an import stores on its simulation.
#[derive(Debug, Clone)]
pub struct ImportSummary<'a> {
    pub at: UnixTime,
    pub by: UserId,
    pub sha256: &'a str,
    pub tally: Tally,
    pub matched: i64,
}

/// A stored result with the matched member's name.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct ResultRow {
    pub line: i64,
    pub gophish_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub position: String,
    pub status: String,
    pub stage: i64,
    pub reported: i64,
    pub sent_at: Option<i64>,
    pub modified_at: Option<i64>,
    #[schema(value_type = Option<i64>)]
    pub user_id: Option<UserId>,
    pub member_name: Option<String>,
    pub department: Option<String>,
}

/// A page of simulation `id`'s results in file order.
pub async fn results(
    c: &mut Conn<'_>,
    org: OrgId,
    id: SimulationId,
    limit: i64,
    offset: i64,
) -> Result<Vec<ResultRow>, DbError> {
    const SQL: &str = "select r.line, r.gophish_id, r.email, r.first_name, r.last_name, r.position, r.status, \
        r.stage, r.reported, r.sent_at, r.modified_at, r.user_id, u.name as member_name, r.department \
        from phishing_result r left join app_user u on u.id = r.user_id \
        where r.org_id = $1 and r.simulation_id = $2 order by r.line limit $3 offset $4";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).bind(limit).bind(offset).fetch_all(&mut **c).await)?)
}

/// The counts per department of the results matched to members: (department, results, sent, clicked, reported).
pub async fn by_department(
    c: &mut Conn<'_>,
    org: OrgId,
    id: SimulationId,
) -> Result<Vec<(String, i64, i64, i64, i64)>, DbError> {
    // Counted as `Tally::add` counts: the stage codes are bound from `Stage`.
    const SQL: &str = "select coalesce(department, ''), count(*), \
        sum(case when stage >= $3 then 1 else 0 end), sum(case when stage >= $4 then 1 else 0 end), \
        sum(case when reported = 1 and stage >= $3 then 1 else 0 end) \
        from phishing_result where org_id = $1 and simulation_id = $2 and user_id is not null \
        group by coalesce(department, '') order by coalesce(department, '')";
    type Sums = (String, i64, Option<i64>, Option<i64>, Option<i64>);
    let (sent, clicked) = (Stage::Sent.code(), Stage::Clicked.code());
    let rows: Vec<Sums> =
        on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).bind(sent).bind(clicked).fetch_all(&mut **c).await)?;
    Ok(rows.into_iter().map(|(d, n, s, k, r)| (d, n, s.unwrap_or(0), k.unwrap_or(0), r.unwrap_or(0))).collect())
}
