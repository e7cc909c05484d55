//! The ISMS role catalogue of each organisation, and whether it has been seeded.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{CatalogueRoleId, OrgId};

/// A catalogue role with how many people hold it now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoleRow {
    pub id: CatalogueRoleId,
    pub name: String,
    pub description: String,
    pub needs_deputy: bool,
    pub retired_at: Option<UnixTime>,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
    /// People appointed to it whose appointment is current.
    pub holders: i64,
}

/// What a role's row holds besides its id.
#[derive(Debug, Clone)]
pub struct RoleFields<'a> {
    pub name: &'a str,
    pub name_key: &'a str,
    pub description: &'a str,
    pub needs_deputy: bool,
    pub retired_at: Option<UnixTime>,
}

const SELECT: &str = "select r.id, r.name, r.description, r.needs_deputy, r.retired_at, r.created_at, r.updated_at, \
    (select count(*) from appointment a where a.org_id = r.org_id and a.role_id = r.id \
     and a.appointed_on <= $2 and (a.ends_on is null or a.ends_on > $2)) as holders \
    from catalogue_role r where r.org_id = $1";

/// Adds a role; a name already in the catalogue (ignoring case) is [`DbError::Conflict`].
#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    f: &RoleFields<'_>,
    now: UnixTime,
) -> Result<CatalogueRoleId, DbError> {
    const SQL: &str = "insert into catalogue_role (org_id, name, name_key, description, needs_deputy, retired_at, \
                       created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(f.name).bind(f.name_key).bind(f.description)
        .bind(f.needs_deputy).bind(f.retired_at).bind(now).fetch_one(&mut **c).await)?)
}

/// Changes a role; a name another role has is [`DbError::Conflict`].
#[tracing::instrument(skip_all)]
pub async fn update(
    c: &mut Conn<'_>,
    org: OrgId,
    id: CatalogueRoleId,
    f: &RoleFields<'_>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update catalogue_role set name = $3, name_key = $4, description = $5, needs_deputy = $6, \
                       retired_at = $7, updated_at = $8 where org_id = $1 and id = $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(f.name).bind(f.name_key)
        .bind(f.description).bind(f.needs_deputy).bind(f.retired_at).bind(now).execute(&mut **c).await
        .map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Removes a role that nothing refers to.
#[tracing::instrument(skip_all)]
pub async fn delete(c: &mut Conn<'_>, org: OrgId, id: CatalogueRoleId) -> Result<(), DbError> {
    const SQL: &str = "delete from catalogue_role where org_id = $1 and id = $2";
    on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// How many appointments, RACI cells and segregation rules refer to a role.
pub async fn uses(c: &mut Conn<'_>, org: OrgId, id: CatalogueRoleId) -> Result<i64, DbError> {
    const SQL: &str = "select (select count(*) from appointment where org_id = $1 and role_id = $2) \
                       + (select count(*) from raci_cell where org_id = $1 and role_id = $2) \
                       + (select count(*) from sod_rule where org_id = $1 and (role_a = $2 or role_b = $2))";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(id).fetch_one(&mut **c).await)?)
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, id: CatalogueRoleId, now: UnixTime) -> Result<Option<RoleRow>, DbError> {
    let sql = format!("{SELECT} and r.id = $3");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(now).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// The id of the role called `name_key` (see `role_catalogue::name_key`), if there is one.
pub async fn by_key(c: &mut Conn<'_>, org: OrgId, name_key: &str) -> Result<Option<CatalogueRoleId>, DbError> {
    const SQL: &str = "select id from catalogue_role where org_id = $1 and name_key = $2";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(name_key).fetch_optional(&mut **c).await)?)
}

/// How the catalogue list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Name,
    /// Fewest holders first, so unfilled roles lead.
    Holders,
}

/// Filters for the catalogue list.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub search: &'a str,
    pub include_retired: bool,
    pub sort: Sort,
}

/// One page of `org`'s catalogue, and how many roles match in all.
#[tracing::instrument(skip_all)]
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    filter: &Filter<'_>,
    now: UnixTime,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RoleRow>, i64), DbError> {
    const WHERE: &str = " and ($3 or r.retired_at is null) and r.name_key like $4 escape '\\'";
    const COUNT: &str = "select count(*) from catalogue_role r where r.org_id = $1 \
                         and ($2 or r.retired_at is null) and r.name_key like $3 escape '\\'";
    // The order clause is one of two constants, never caller text.
    let order = match filter.sort {
        Sort::Name => "r.name_key, r.id",
        Sort::Holders => "holders, r.name_key, r.id",
    };
    let sql = format!("{SELECT}{WHERE} order by {order} limit $5 offset $6");
    let pattern = super::membership::like_pattern(filter.search);
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(now)
        .bind(filter.include_retired).bind(&pattern).bind(limit).bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(COUNT).bind(org).bind(filter.include_retired).bind(&pattern).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// Every role of `org` that is not retired, by name.
pub async fn active(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<RoleRow>, DbError> {
    let (rows, _) = list(c, org, &Filter::default(), now, i64::MAX, 0).await?;
    Ok(rows)
}

/// Whether `org`'s catalogue has been seeded.
pub async fn is_seeded(c: &mut Conn<'_>, org: OrgId) -> Result<bool, DbError> {
    const SQL: &str = "select count(*) from role_catalogue_seed where org_id = $1";
    let count: i64 = on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).fetch_one(&mut **c).await)?;
    Ok(count > 0)
}

/// Marks `org`'s catalogue as seeded; [`DbError::Conflict`] when another request just did.
pub async fn mark_seeded(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<(), DbError> {
    const SQL: &str = "insert into role_catalogue_seed (org_id, seeded_at) values ($1, $2)";
    on_conn!(c, c => sqlx::query(SQL).bind(org).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
