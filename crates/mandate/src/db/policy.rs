//! Policies and their reviews. Versions are in `policy_version`, acknowledgements in `acknowledgement`.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{OrgId, PolicyId, UserId};

/// A policy as lists and detail pages show it, with where its versions stand.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PolicyRow {
    pub id: PolicyId,
    pub title: String,
    pub owner_id: UserId,
    pub owner_name: String,
    pub review_months: i64,
    pub last_reviewed_at: Option<UnixTime>,
    pub next_review_at: Option<UnixTime>,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
    /// The number of the version in force, if one is published.
    pub published_number: Option<i64>,
    pub latest_number: Option<i64>,
    pub latest_status: Option<String>,
}

const SELECT: &str = concat!(
    "select p.id, p.title, p.owner_id, u.name as owner_name, p.review_months, p.last_reviewed_at, ",
    "p.next_review_at, p.created_at, p.updated_at, ",
    "(select v.number from policy_version v where v.policy_id = p.id and v.status = 'published') as published_number, ",
    "(select max(v.number) from policy_version v where v.policy_id = p.id) as latest_number, ",
    "(select v.status from policy_version v where v.policy_id = p.id order by v.number desc limit 1) as latest_status ",
    "from policy p join app_user u on u.id = p.owner_id "
);

/// What a new policy holds.
#[derive(Debug, Clone)]
pub struct NewPolicy<'a> {
    pub title: &'a str,
    pub owner: UserId,
    pub review_months: i64,
}

pub async fn insert(c: &mut Conn<'_>, org: OrgId, new: &NewPolicy<'_>, now: UnixTime) -> Result<PolicyId, DbError> {
    const SQL: &str = "insert into policy (org_id, title, owner_id, review_months, created_at, updated_at) \
                       values ($1, $2, $3, $4, $5, $5) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(new.title).bind(new.owner).bind(new.review_months)
        .bind(now).fetch_one(&mut **c).await)?)
}

/// Changes title, owner and review cycle; the next review date moves with the cycle.
pub async fn update(
    c: &mut Conn<'_>,
    org: OrgId,
    id: PolicyId,
    new: &NewPolicy<'_>,
    next_review_at: Option<UnixTime>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update policy set title = $3, owner_id = $4, review_months = $5, next_review_at = $6, \
                       updated_at = $7 where org_id = $1 and id = $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(new.title).bind(new.owner)
        .bind(new.review_months).bind(next_review_at).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Records that the policy was reviewed (or published) at `at`, with the next review due at `next`.
pub async fn set_reviewed(
    c: &mut Conn<'_>,
    org: OrgId,
    id: PolicyId,
    at: UnixTime,
    next: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update policy set last_reviewed_at = $3, next_review_at = $4, updated_at = $3 \
                       where org_id = $1 and id = $2";
    on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(at).bind(next).execute(&mut **c).await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Locks a policy's row until the transaction ends (PostgreSQL; SQLite transactions already write one at a
/// time), so changes to its versions are serialised.
pub async fn lock(c: &mut Conn<'_>, org: OrgId, id: PolicyId) -> Result<(), DbError> {
    if let Conn::Postgres(c) = c {
        sqlx::query("select id from policy where org_id = $1 and id = $2 for update")
            .bind(org)
            .bind(id)
            .fetch_optional(&mut **c)
            .await?;
    }
    Ok(())
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, id: PolicyId) -> Result<Option<PolicyRow>, DbError> {
    let sql = format!("{SELECT} where p.org_id = $1 and p.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// How the policy list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Title,
    NextReview,
    Updated,
}

impl Sort {
    fn order_by(self) -> &'static str {
        match self {
            Sort::Title => "lower(p.title), p.id",
            Sort::NextReview => "coalesce(p.next_review_at, 9223372036854775807), p.id",
            Sort::Updated => "p.updated_at desc, p.id desc",
        }
    }
}

/// Filters for the policy list.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub search: &'a str,
    /// Only policies whose review was due before this time.
    pub review_due_before: Option<UnixTime>,
    /// Only policies with a published version (what employees see).
    pub published_only: bool,
    /// Only policies whose latest version has this status.
    pub latest_status: Option<&'a str>,
    pub sort: Sort,
}

/// One page of `org`'s policies and how many match in all.
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    filter: &Filter<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PolicyRow>, i64), DbError> {
    const WHERE: &str = concat!(
        "where p.org_id = $1 and lower(p.title) like $2 escape '\\' ",
        "and ($3 is null or (p.next_review_at is not null and p.next_review_at < $3)) ",
        "and ($4 = false or exists (select 1 from policy_version v where v.policy_id = p.id and v.status = 'published')) ",
        "and ($5 is null or $5 = (select v.status from policy_version v where v.policy_id = p.id order by v.number desc limit 1)) "
    );
    // The ORDER BY clause comes from the closed set in `Sort`, never from the caller.
    let sql = format!("{SELECT}{WHERE}order by {} limit $6 offset $7", filter.sort.order_by());
    let count = format!("select count(*) from policy p {WHERE}");
    let pattern = super::membership::like_pattern(filter.search);
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(&pattern)
        .bind(filter.review_due_before).bind(filter.published_only).bind(filter.latest_status).bind(limit)
        .bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org).bind(&pattern)
        .bind(filter.review_due_before).bind(filter.published_only).bind(filter.latest_status)
        .fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// A completed review of a policy.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub reviewed_by: UserId,
    pub reviewer_name: String,
    pub reviewed_at: UnixTime,
    pub outcome: String,
    pub note: String,
}

pub async fn insert_review(
    c: &mut Conn<'_>,
    org: OrgId,
    policy: PolicyId,
    by: UserId,
    outcome: &str,
    note: &str,
    now: UnixTime,
) -> Result<i64, DbError> {
    const SQL: &str = "insert into policy_review (org_id, policy_id, reviewed_by, reviewed_at, outcome, note) \
                       values ($1, $2, $3, $4, $5, $6) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(policy).bind(by).bind(now).bind(outcome).bind(note)
        .fetch_one(&mut **c).await)?)
}

/// A policy's reviews, newest first.
pub async fn reviews(c: &mut Conn<'_>, org: OrgId, policy: PolicyId) -> Result<Vec<ReviewRow>, DbError> {
    const SQL: &str = "select r.id, r.reviewed_by, u.name as reviewer_name, r.reviewed_at, r.outcome, r.note \
                       from policy_review r join app_user u on u.id = r.reviewed_by \
                       where r.org_id = $1 and r.policy_id = $2 order by r.reviewed_at desc, r.id desc";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(policy).fetch_all(&mut **c).await)?)
}
