//! Organisations (tenants).

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::OrgId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Organisation {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub created_at: UnixTime,
}

/// Creates an organisation; a taken slug is [`DbError::Conflict`].
#[tracing::instrument(skip_all)]
pub async fn insert(c: &mut Conn<'_>, slug: &str, name: &str, now: UnixTime) -> Result<OrgId, DbError> {
    const SQL: &str =
        "insert into organisation (slug, name, created_at, updated_at) values ($1, $2, $3, $3) returning id";
    let id = on_conn!(c, c => sqlx::query_scalar(SQL).bind(slug).bind(name).bind(now).fetch_one(&mut **c).await)?;
    Ok(id)
}

pub async fn count(c: &mut Conn<'_>) -> Result<i64, DbError> {
    const SQL: &str = "select count(*) from organisation";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).fetch_one(&mut **c).await)?)
}

pub async fn by_slug(c: &mut Conn<'_>, slug: &str) -> Result<Option<Organisation>, DbError> {
    const SQL: &str = "select id, slug, name, created_at from organisation where slug = $1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(slug).fetch_optional(&mut **c).await)?)
}

pub async fn by_id(c: &mut Conn<'_>, id: OrgId) -> Result<Option<Organisation>, DbError> {
    const SQL: &str = "select id, slug, name, created_at from organisation where id = $1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(id).fetch_optional(&mut **c).await)?)
}
