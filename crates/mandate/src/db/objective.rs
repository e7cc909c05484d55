//! Objectives (ISO/IEC 27001 6.2). Enumerations are stored as their snake_case names; dates as midnight UTC.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{ObjectiveId, OrgId, UserId};

/// An objective with the names of its owner and (for personal objectives) its person.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ObjectiveRow {
    pub id: ObjectiveId,
    pub statement: String,
    pub kind: String,
    pub person_id: Option<UserId>,
    pub person_name: Option<String>,
    pub owner_id: UserId,
    pub owner_name: String,
    pub owner_email: String,
    pub target_value: f64,
    pub unit: String,
    pub direction: String,
    pub due_on: UnixTime,
    pub resources: String,
    pub evaluation_method: String,
    pub frequency: String,
    pub frequency_days: i64,
    pub policy_id: Option<i64>,
    pub status: String,
    pub status_note: String,
    pub created_by: UserId,
    pub creator_name: String,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
    pub closed_at: Option<UnixTime>,
}

/// The fields a person sets on an objective, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveFields {
    pub statement: String,
    pub kind: &'static str,
    pub person_id: Option<UserId>,
    pub owner_id: UserId,
    pub target_value: f64,
    pub unit: String,
    pub direction: &'static str,
    pub due_on: UnixTime,
    pub resources: String,
    pub evaluation_method: String,
    pub frequency: &'static str,
    pub frequency_days: i64,
    pub policy_id: Option<i64>,
}

const SELECT: &str = "select o.id, o.statement, o.kind, o.person_id, p.name as person_name, o.owner_id, \
    w.name as owner_name, w.email as owner_email, o.target_value, o.unit, o.direction, o.due_on, o.resources, \
    o.evaluation_method, o.frequency, o.frequency_days, o.policy_id, o.status, o.status_note, o.created_by, \
    c.name as creator_name, o.created_at, o.updated_at, o.closed_at \
    from objective o join app_user w on w.id = o.owner_id join app_user c on c.id = o.created_by \
    left join app_user p on p.id = o.person_id ";

#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    f: &ObjectiveFields,
    created_by: UserId,
    now: UnixTime,
) -> Result<ObjectiveId, DbError> {
    const SQL: &str = "insert into objective (org_id, statement, kind, person_id, owner_id, target_value, unit, \
        direction, due_on, resources, evaluation_method, frequency, frequency_days, policy_id, status, status_note, \
        created_by, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
        'open', '', $15, $16, $16) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(&f.statement).bind(f.kind).bind(f.person_id)
        .bind(f.owner_id).bind(f.target_value).bind(&f.unit).bind(f.direction).bind(f.due_on).bind(&f.resources)
        .bind(&f.evaluation_method).bind(f.frequency).bind(f.frequency_days).bind(f.policy_id).bind(created_by)
        .bind(now).fetch_one(&mut **c).await)?)
}

/// Replaces the fields of objective `id` of `org`.
#[tracing::instrument(skip_all)]
pub async fn update(
    c: &mut Conn<'_>,
    org: OrgId,
    id: ObjectiveId,
    f: &ObjectiveFields,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update objective set statement = $3, kind = $4, person_id = $5, owner_id = $6, \
        target_value = $7, unit = $8, direction = $9, due_on = $10, resources = $11, evaluation_method = $12, \
        frequency = $13, frequency_days = $14, policy_id = $15, updated_at = $16 where org_id = $1 and id = $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(&f.statement).bind(f.kind)
        .bind(f.person_id).bind(f.owner_id).bind(f.target_value).bind(&f.unit).bind(f.direction).bind(f.due_on)
        .bind(&f.resources).bind(&f.evaluation_method).bind(f.frequency).bind(f.frequency_days).bind(f.policy_id)
        .bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

/// Moves objective `id` of `org` to `status`; `closed_at` is set when it closes and cleared when it reopens.
#[tracing::instrument(skip_all)]
pub async fn set_status(
    c: &mut Conn<'_>,
    org: OrgId,
    id: ObjectiveId,
    status: &str,
    note: &str,
    closed_at: Option<UnixTime>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update objective set status = $3, status_note = $4, closed_at = $5, updated_at = $6 \
                       where org_id = $1 and id = $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(status).bind(note).bind(closed_at)
        .bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

/// Objective `id` of `org`, with its people's names.
pub async fn get(c: &mut Conn<'_>, org: OrgId, id: ObjectiveId) -> Result<Option<ObjectiveRow>, DbError> {
    let sql = format!("{SELECT} where o.org_id = $1 and o.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// Filters for the objectives register.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub owner: Option<UserId>,
    pub person: Option<UserId>,
    pub status: Option<&'a str>,
    pub kind: Option<&'a str>,
    /// Only what this employee may see: organisational objectives and their own personal ones.
    pub visible_to: Option<UserId>,
    pub search: &'a str,
}

/// The orders the register offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Soonest due first.
    #[default]
    Due,
    Statement,
    Owner,
    /// Newest first.
    Created,
}

impl Sort {
    pub const NAMES: [&'static str; 4] = ["due", "statement", "owner", "created"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "due" => Some(Sort::Due),
            "statement" => Some(Sort::Statement),
            "owner" => Some(Sort::Owner),
            "created" => Some(Sort::Created),
            _ => None,
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            Sort::Due => "o.due_on, o.id",
            Sort::Statement => "lower(o.statement), o.id",
            Sort::Owner => "lower(w.name), o.due_on, o.id",
            Sort::Created => "o.created_at desc, o.id desc",
        }
    }
}

const WHERE: &str = "where o.org_id = $1 and ($2 is null or o.owner_id = $2) and ($3 is null or o.person_id = $3) \
    and ($4 is null or o.status = $4) and ($5 is null or o.kind = $5) \
    and ($6 is null or o.kind = 'organisational' or o.person_id = $6) and lower(o.statement) like $7 escape '\\' ";

/// One page of `org`'s objectives in `sort` order, and how many match in all.
#[tracing::instrument(skip_all)]
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    filter: &Filter<'_>,
    sort: Sort,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ObjectiveRow>, i64), DbError> {
    // Only fixed fragments are joined into the statement; every value is bound.
    let sql = format!("{SELECT}{WHERE}order by {} limit $8 offset $9", sort.order_by());
    let count = format!("select count(*) from objective o {WHERE}");
    let pattern = super::membership::like_pattern(filter.search);
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(filter.owner)
        .bind(filter.person).bind(filter.status).bind(filter.kind).bind(filter.visible_to).bind(&pattern)
        .bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org)
        .bind(filter.owner).bind(filter.person).bind(filter.status).bind(filter.kind).bind(filter.visible_to)
        .bind(&pattern).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// The people who own at least one of `org`'s objectives, by name, for the register's owner filter.
pub async fn owners(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<(UserId, String)>, DbError> {
    const SQL: &str = "select distinct u.id, u.name from objective o join app_user u on u.id = o.owner_id \
                       where o.org_id = $1 order by u.name, u.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?)
}
