//! Appointments of members to catalogue roles, their deputies, and who holds which role now.

use super::decision::{DecisionCite, cite_columns, cite_join};
use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::appointment::Status;
use crate::domain::ids::{AppointmentId, CatalogueRoleId, DecisionId, OrgId, UserId};

/// An appointment with the names of the role and the people in it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppointmentRow {
    pub id: AppointmentId,
    pub role_id: CatalogueRoleId,
    pub role_name: String,
    pub user_id: UserId,
    pub user_name: String,
    pub user_email: String,
    pub appointed_by: UserId,
    pub appointer_name: String,
    pub appointed_on: UnixTime,
    pub decision_ref: Option<String>,
    pub ends_on: Option<UnixTime>,
    pub ended_at: Option<UnixTime>,
    pub end_reason: Option<String>,
    /// The meeting decision the appointment rests on.
    pub decision_id: Option<DecisionId>,
    #[sqlx(flatten)]
    pub cite: DecisionCite,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

/// A deputy named on an appointment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeputyRow {
    pub appointment_id: AppointmentId,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub since: UnixTime,
}

/// A person holding a role now, as holder or as deputy of a current holder.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HoldingRow {
    pub appointment_id: AppointmentId,
    pub user_id: UserId,
    pub user_name: String,
    pub role_id: CatalogueRoleId,
    pub role_name: String,
    pub since: UnixTime,
    pub via_deputy: bool,
}

/// What a new appointment holds.
#[derive(Debug, Clone)]
pub struct NewAppointment<'a> {
    pub role: CatalogueRoleId,
    pub user: UserId,
    pub appointed_by: UserId,
    pub appointed_on: UnixTime,
    pub decision_ref: Option<&'a str>,
    pub ends_on: Option<UnixTime>,
}

const SELECT: &str = concat!(
    "select a.id, a.role_id, r.name as role_name, a.user_id, u.name as user_name, ",
    "u.email as user_email, a.appointed_by, m.name as appointer_name, a.appointed_on, a.decision_ref, a.ends_on, ",
    "a.ended_at, a.end_reason, a.decision_id, ",
    cite_columns!(),
    ", a.created_at, a.updated_at from appointment a ",
    "join catalogue_role r on r.id = a.role_id join app_user u on u.id = a.user_id ",
    "join app_user m on m.id = a.appointed_by",
    cite_join!("a"),
    "where a.org_id = $1"
);

/// The condition for appointments current at `$2`.
const CURRENT: &str = "a.appointed_on <= $2 and (a.ends_on is null or a.ends_on > $2)";

#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    new: &NewAppointment<'_>,
    now: UnixTime,
) -> Result<AppointmentId, DbError> {
    const SQL: &str = "insert into appointment (org_id, role_id, user_id, appointed_by, appointed_on, decision_ref, \
                       ends_on, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(new.role).bind(new.user).bind(new.appointed_by)
        .bind(new.appointed_on).bind(new.decision_ref).bind(new.ends_on).bind(now).fetch_one(&mut **c).await)?)
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, id: AppointmentId) -> Result<Option<AppointmentRow>, DbError> {
    let sql = format!("{SELECT} and a.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// Changes the decision reference and planned end of an appointment.
#[tracing::instrument(skip_all)]
pub async fn update(
    c: &mut Conn<'_>,
    org: OrgId,
    id: AppointmentId,
    decision_ref: Option<&str>,
    ends_on: Option<UnixTime>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update appointment set decision_ref = $3, ends_on = $4, updated_at = $5 \
                       where org_id = $1 and id = $2 and ended_at is null";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(decision_ref).bind(ends_on).bind(now)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(DbError::Conflict);
    }
    Ok(())
}

/// Ends an appointment on `ends_on`; [`DbError::Conflict`] if an end was already recorded.
#[tracing::instrument(skip_all)]
pub async fn end(
    c: &mut Conn<'_>,
    org: OrgId,
    id: AppointmentId,
    ends_on: UnixTime,
    reason: Option<&str>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update appointment set ends_on = $3, ended_at = $4, end_reason = $5, updated_at = $4 \
                       where org_id = $1 and id = $2 and ended_at is null";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(ends_on).bind(now).bind(reason)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(DbError::Conflict);
    }
    Ok(())
}

/// An appointment of `user` to `role` whose time overlaps `[start, end)`, other than `except`.
pub async fn overlapping(
    c: &mut Conn<'_>,
    org: OrgId,
    (role, user): (CatalogueRoleId, UserId),
    (start, end): (UnixTime, Option<UnixTime>),
    except: Option<AppointmentId>,
) -> Result<Option<AppointmentRow>, DbError> {
    // Cancelled appointments (ending on their first day) cover no time.
    let sql = format!(
        "{SELECT} and a.role_id = $2 and a.user_id = $3 and ($5 is null or a.appointed_on < $5) \
         and (a.ends_on is null or (a.ends_on > $4 and a.ends_on > a.appointed_on)) \
         and ($6 is null or a.id <> $6) order by a.appointed_on limit 1"
    );
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(role).bind(user)
        .bind(start).bind(end).bind(except).fetch_optional(&mut **c).await)?)
}

/// How many appointments to `role` are current or planned at `now`.
pub async fn open_for_role(c: &mut Conn<'_>, org: OrgId, role: CatalogueRoleId, now: UnixTime) -> Result<i64, DbError> {
    const SQL: &str = "select count(*) from appointment where org_id = $1 and role_id = $2 \
                       and ended_at is null and (ends_on is null or ends_on > $3)";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(role).bind(now).fetch_one(&mut **c).await)?)
}

/// How the appointment list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    Person,
    Role,
}

/// Filters for the appointment list.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub role: Option<CatalogueRoleId>,
    pub user: Option<UserId>,
    /// Text in the person's name or e-mail address.
    pub search: &'a str,
    pub status: Option<Status>,
    pub sort: Sort,
}

/// One page of `org`'s appointments as they stand at `now`, and how many match in all.
#[tracing::instrument(skip_all)]
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    filter: &Filter<'_>,
    now: UnixTime,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AppointmentRow>, i64), DbError> {
    // Every clause below is a constant chosen by the filter, never caller text.
    let status = match filter.status {
        // Keeps `$2` referenced, so both statements take the same parameters.
        None => "$2 = $2",
        Some(Status::Current) => CURRENT,
        Some(Status::Planned) => "a.appointed_on > $2 and a.ended_at is null",
        Some(Status::Ended) => "(a.ended_at is not null or a.ends_on <= $2)",
    };
    let order = match filter.sort {
        Sort::Newest => "a.appointed_on desc, a.id desc",
        Sort::Oldest => "a.appointed_on, a.id",
        Sort::Person => "lower(u.name), a.appointed_on desc, a.id",
        Sort::Role => "r.name_key, a.appointed_on desc, a.id",
    };
    let conditions = format!(
        "and ({status}) and ($3 is null or a.role_id = $3) and ($4 is null or a.user_id = $4) \
         and (lower(u.email) like $5 escape '\\' or lower(u.name) like $5 escape '\\')"
    );
    let sql = format!("{SELECT} {conditions} order by {order} limit $6 offset $7");
    let count = format!(
        "select count(*) from appointment a join app_user u on u.id = a.user_id where a.org_id = $1 {conditions}"
    );
    let pattern = super::membership::like_pattern(filter.search);
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(now)
        .bind(filter.role).bind(filter.user).bind(&pattern).bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org).bind(now)
        .bind(filter.role).bind(filter.user).bind(&pattern).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// The deputies of the given appointments of `org`.
pub async fn deputies(c: &mut Conn<'_>, org: OrgId, ids: &[AppointmentId]) -> Result<Vec<DeputyRow>, DbError> {
    let mut out = Vec::new();
    // Bounded batches keep the statement's parameter count well inside both backends' limits.
    for batch in ids.chunks(500) {
        let placeholders: Vec<String> = (2..batch.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "select d.appointment_id, d.user_id, u.name, u.email, d.since from appointment_deputy d \
             join app_user u on u.id = d.user_id where d.org_id = $1 and d.appointment_id in ({}) \
             order by d.appointment_id, lower(u.name)",
            placeholders.join(", ")
        );
        let rows: Vec<DeputyRow> = on_conn!(c, c => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org);
            for id in batch {
                query = query.bind(*id);
            }
            query.fetch_all(&mut **c).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

/// Replaces the deputies of an appointment with `deputies` (person, since).
#[tracing::instrument(skip_all)]
pub async fn set_deputies(
    c: &mut Conn<'_>,
    org: OrgId,
    id: AppointmentId,
    deputies: &[(UserId, UnixTime)],
) -> Result<(), DbError> {
    const DELETE: &str = "delete from appointment_deputy where org_id = $1 and appointment_id = $2";
    const INSERT: &str =
        "insert into appointment_deputy (org_id, appointment_id, user_id, since) values ($1, $2, $3, $4)";
    on_conn!(c, c => sqlx::query(DELETE).bind(org).bind(id).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    for (user, since) in deputies {
        on_conn!(c, c => sqlx::query(INSERT).bind(org).bind(id).bind(*user).bind(*since).execute(&mut **c).await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Everyone holding a role of `org` at `now`, as holder or as deputy of a current holder.
#[tracing::instrument(skip_all)]
pub async fn holdings(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<HoldingRow>, DbError> {
    let sql = format!(
        "select a.id as appointment_id, a.user_id, u.name as user_name, a.role_id, r.name as role_name, \
         a.appointed_on as since, false as via_deputy from appointment a \
         join app_user u on u.id = a.user_id join catalogue_role r on r.id = a.role_id \
         where a.org_id = $1 and {CURRENT} \
         union all \
         select a.id, d.user_id, u.name, a.role_id, r.name, \
         case when d.since > a.appointed_on then d.since else a.appointed_on end, true \
         from appointment_deputy d join appointment a on a.id = d.appointment_id \
         join app_user u on u.id = d.user_id join catalogue_role r on r.id = a.role_id \
         where d.org_id = $1 and {CURRENT}"
    );
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(now)
        .fetch_all(&mut **c).await)?)
}

/// Current appointments to roles that need a deputy, where none is named.
pub async fn without_deputy(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<AppointmentRow>, DbError> {
    let sql = format!(
        "{SELECT} and r.needs_deputy and {CURRENT} and not exists \
         (select 1 from appointment_deputy d where d.org_id = a.org_id and d.appointment_id = a.id) \
         order by r.name_key, lower(u.name)"
    );
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(now)
        .fetch_all(&mut **c).await)?)
}

/// A member who may make appointments: top management with access now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Appointer {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

/// `org`'s members of top management whose access is active at `now`, by name.
pub async fn appointers(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Appointer>, DbError> {
    const SQL: &str = "select u.id, u.name, u.email from membership m join app_user u on u.id = m.user_id \
                       where m.org_id = $1 and m.role = 'top_management' and m.disabled_at is null \
                       and (m.expires_at is null or m.expires_at > $2) order by lower(u.name), u.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(now).fetch_all(&mut **c).await)?)
}
