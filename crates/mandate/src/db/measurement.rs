//! Measurements of objectives (ISO/IEC 27001 9.1). Rows are only ever inserted and withdrawn, never edited or
//! deleted, so the history an auditor reads is the history that happened.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{EvidenceId, MeasurementId, ObjectiveId, OrgId, UserId};

/// A measurement with the names of who took it and who withdrew it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeasurementRow {
    pub id: MeasurementId,
    pub objective_id: ObjectiveId,
    pub value: f64,
    pub measured_on: UnixTime,
    pub note: String,
    pub measured_by: UserId,
    pub measurer_name: String,
    pub recorded_at: UnixTime,
    pub withdrawn_at: Option<UnixTime>,
    pub withdrawn_by: Option<UserId>,
    pub withdrawer_name: Option<String>,
    pub withdraw_reason: Option<String>,
}

/// What a new measurement holds, already checked.
#[derive(Debug, Clone)]
pub struct NewMeasurement<'a> {
    pub objective: ObjectiveId,
    pub value: f64,
    pub measured_on: UnixTime,
    pub note: &'a str,
    pub measured_by: UserId,
}

const SELECT: &str = "select m.id, m.objective_id, m.value, m.measured_on, m.note, m.measured_by, \
    u.name as measurer_name, m.recorded_at, m.withdrawn_at, m.withdrawn_by, x.name as withdrawer_name, \
    m.withdraw_reason from measurement m join app_user u on u.id = m.measured_by \
    left join app_user x on x.id = m.withdrawn_by ";

#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    new: &NewMeasurement<'_>,
    now: UnixTime,
) -> Result<MeasurementId, DbError> {
    const SQL: &str = "insert into measurement (org_id, objective_id, value, measured_on, note, measured_by, \
                       recorded_at) values ($1, $2, $3, $4, $5, $6, $7) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(new.objective).bind(new.value)
        .bind(new.measured_on).bind(new.note).bind(new.measured_by).bind(now).fetch_one(&mut **c).await)?)
}

/// Marks measurement `id` of objective `objective` withdrawn; [`DbError::Conflict`] if it already was.
#[tracing::instrument(skip_all)]
pub async fn withdraw(
    c: &mut Conn<'_>,
    org: OrgId,
    objective: ObjectiveId,
    id: MeasurementId,
    by: UserId,
    reason: &str,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update measurement set withdrawn_at = $4, withdrawn_by = $5, withdraw_reason = $6 \
                       where org_id = $1 and objective_id = $2 and id = $3 and withdrawn_at is null";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(objective).bind(id).bind(now).bind(by)
        .bind(reason).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 { Err(DbError::Conflict) } else { Ok(()) }
}

/// Measurement `id` of objective `objective` in `org`.
pub async fn get(
    c: &mut Conn<'_>,
    org: OrgId,
    objective: ObjectiveId,
    id: MeasurementId,
) -> Result<Option<MeasurementRow>, DbError> {
    let sql = format!("{SELECT} where m.org_id = $1 and m.objective_id = $2 and m.id = $3");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(objective).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// Every measurement of an objective, withdrawn ones included, oldest first.
pub async fn for_objective(
    c: &mut Conn<'_>,
    org: OrgId,
    objective: ObjectiveId,
) -> Result<Vec<MeasurementRow>, DbError> {
    let sql = format!("{SELECT} where m.org_id = $1 and m.objective_id = $2 order by m.measured_on, m.id");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(objective)
        .fetch_all(&mut **c).await)?)
}

/// The (objective, day, value) of the measurements still standing for the given objectives, oldest first: the
/// first of each objective and its latest `latest`, which is all the progress rule reads. Counting happens in
/// the database, so a register page decodes a few rows per objective however long its history.
pub async fn active_readings(
    c: &mut Conn<'_>,
    org: OrgId,
    objectives: &[ObjectiveId],
    latest: i64,
) -> Result<Vec<(ObjectiveId, UnixTime, f64)>, DbError> {
    if objectives.is_empty() {
        return Ok(Vec::new());
    }
    // Placeholders only ($3, $4, …); the ids themselves are bound.
    let list: Vec<String> = (0..objectives.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "select objective_id, measured_on, value from (select objective_id, measured_on, value, id, \
         row_number() over (partition by objective_id order by measured_on desc, id desc) as newest, \
         row_number() over (partition by objective_id order by measured_on, id) as oldest \
         from measurement where org_id = $1 and withdrawn_at is null and objective_id in ({})) ranked \
         where newest <= $2 or oldest = 1 order by objective_id, measured_on, id",
        list.join(", ")
    );
    Ok(on_conn!(c, c => {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(latest);
        for id in objectives {
            query = query.bind(*id);
        }
        query.fetch_all(&mut **c).await
    })?)
}

/// A piece of evidence attached to a measurement: (measurement, evidence id, evidence title).
pub type EvidenceLink = (MeasurementId, EvidenceId, String);

/// Evidence attached to an objective's measurements, current versions only.
pub async fn evidence(c: &mut Conn<'_>, org: OrgId, objective: ObjectiveId) -> Result<Vec<EvidenceLink>, DbError> {
    const SQL: &str = "select m.id, e.id, e.title from measurement m join evidence e on e.org_id = m.org_id \
                       and e.record_type = 'measurement' and e.record_id = cast(m.id as text) \
                       where m.org_id = $1 and m.objective_id = $2 and e.superseded_by is null order by m.id, e.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(objective).fetch_all(&mut **c).await)?)
}
