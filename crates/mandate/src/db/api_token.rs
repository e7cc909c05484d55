//! API bearer tokens: stored hashed, scoped to one organisation and a role no wider than the owner's.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{OrgId, TokenId, UserId};

/// A token as listed for administrators (never the secret itself).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: TokenId,
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub role: String,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
    pub revoked_at: Option<UnixTime>,
}

/// What a presented token resolves to, with the owner's current membership role if it is active.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenPrincipal {
    pub id: TokenId,
    pub org_id: OrgId,
    pub user_id: UserId,
    pub token_role: String,
    pub member_role: Option<String>,
    pub email: String,
    pub user_name: String,
    pub org_slug: String,
    pub org_name: String,
    pub last_used_at: Option<UnixTime>,
}

#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    user: UserId,
    name: &str,
    token_hash: &str,
    role: &str,
    now: UnixTime,
) -> Result<TokenId, DbError> {
    const SQL: &str = "insert into api_token (org_id, user_id, name, token_hash, role, created_at) \
                       values ($1, $2, $3, $4, $5, $6) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(user).bind(name).bind(token_hash).bind(role).bind(now)
        .fetch_one(&mut **c).await)?)
}

/// Resolves an unrevoked token by its hash.
#[tracing::instrument(skip_all)]
pub async fn resolve(c: &mut Conn<'_>, token_hash: &str, now: UnixTime) -> Result<Option<TokenPrincipal>, DbError> {
    const SQL: &str = "select t.id, t.org_id, t.user_id, t.role as token_role, m.role as member_role, u.email, \
                       u.name as user_name, o.slug as org_slug, o.name as org_name, t.last_used_at \
                       from api_token t join app_user u on u.id = t.user_id join organisation o on o.id = t.org_id \
                       left join membership m on m.org_id = t.org_id and m.user_id = t.user_id \
                         and m.disabled_at is null and (m.expires_at is null or m.expires_at > $2) \
                       where t.token_hash = $1 and t.revoked_at is null";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(token_hash).bind(now).fetch_optional(&mut **c).await)?)
}

pub async fn touch(c: &mut Conn<'_>, id: TokenId, now: UnixTime) -> Result<(), DbError> {
    const SQL: &str = "update api_token set last_used_at = $2 where id = $1";
    on_conn!(c, c => sqlx::query(SQL).bind(id).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Tokens of one organisation, newest first.
pub async fn list(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<TokenRow>, DbError> {
    const SQL: &str = "select t.id, t.user_id, u.email, t.name, t.role, t.created_at, t.last_used_at, t.revoked_at \
                       from api_token t join app_user u on u.id = t.user_id where t.org_id = $1 order by t.id desc";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?)
}

/// One token of `org`; a token of another organisation is not found.
pub async fn get(c: &mut Conn<'_>, org: OrgId, id: TokenId) -> Result<Option<TokenRow>, DbError> {
    const SQL: &str = "select t.id, t.user_id, u.email, t.name, t.role, t.created_at, t.last_used_at, t.revoked_at \
                       from api_token t join app_user u on u.id = t.user_id where t.org_id = $1 and t.id = $2";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).fetch_optional(&mut **c).await)?)
}

/// Revokes a token of `org`; a token of another organisation is not found.
#[tracing::instrument(skip_all)]
pub async fn revoke(c: &mut Conn<'_>, org: OrgId, id: TokenId, now: UnixTime) -> Result<(), DbError> {
    const SQL: &str = "update api_token set revoked_at = coalesce(revoked_at, $3) where org_id = $1 and id = $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}
