//! Browser sessions. Only the SHA-256 of the session token is stored.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{OrgId, SessionId, UserId};

/// A live session with the person and, once chosen, the organisation and role they act in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: SessionId,
    pub user_id: UserId,
    pub org_id: Option<OrgId>,
    pub csrf_token: String,
    pub created_at: UnixTime,
    pub last_seen_at: UnixTime,
    pub email: String,
    pub name: String,
    /// Role in the chosen organisation, when the membership is still active.
    pub role: Option<String>,
    pub org_slug: Option<String>,
    pub org_name: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    token_hash: &str,
    user: UserId,
    org: Option<OrgId>,
    csrf_token: &str,
    now: UnixTime,
) -> Result<SessionId, DbError> {
    const SQL: &str = "insert into user_session (token_hash, user_id, org_id, csrf_token, created_at, last_seen_at) \
                       values ($1, $2, $3, $4, $5, $5) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(token_hash).bind(user).bind(org).bind(csrf_token).bind(now)
        .fetch_one(&mut **c).await)?)
}

/// The session for a token hash, with the membership's role only if it is active at `now`.
#[tracing::instrument(skip_all)]
pub async fn by_token_hash(c: &mut Conn<'_>, token_hash: &str, now: UnixTime) -> Result<Option<SessionRow>, DbError> {
    const SQL: &str = "select s.id, s.user_id, s.org_id, s.csrf_token, s.created_at, s.last_seen_at, u.email, u.name, \
                       m.role, o.slug as org_slug, o.name as org_name \
                       from user_session s join app_user u on u.id = s.user_id \
                       left join membership m on m.org_id = s.org_id and m.user_id = s.user_id \
                         and m.disabled_at is null and (m.expires_at is null or m.expires_at > $2) \
                       left join organisation o on o.id = m.org_id \
                       where s.token_hash = $1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(token_hash).bind(now).fetch_optional(&mut **c).await)?)
}

/// Records activity; callers throttle this so a page view is not always a write.
pub async fn touch(c: &mut Conn<'_>, id: SessionId, now: UnixTime) -> Result<(), DbError> {
    const SQL: &str = "update user_session set last_seen_at = $2 where id = $1";
    on_conn!(c, c => sqlx::query(SQL).bind(id).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Sets the organisation a session acts in.
pub async fn choose_org(c: &mut Conn<'_>, id: SessionId, org: OrgId) -> Result<(), DbError> {
    const SQL: &str = "update user_session set org_id = $2 where id = $1";
    on_conn!(c, c => sqlx::query(SQL).bind(id).bind(org).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(c: &mut Conn<'_>, id: SessionId) -> Result<(), DbError> {
    const SQL: &str = "delete from user_session where id = $1";
    on_conn!(c, c => sqlx::query(SQL).bind(id).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends every session a person has in `org` (and those still choosing one), e.g. when disabled there.
pub async fn delete_for_member(c: &mut Conn<'_>, org: OrgId, user: UserId) -> Result<u64, DbError> {
    const SQL: &str = "delete from user_session where user_id = $2 and (org_id = $1 or org_id is null)";
    let done =
        on_conn!(c, c => sqlx::query(SQL).bind(org).bind(user).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(done)
}

/// Removes sessions past their idle or absolute limit.
pub async fn delete_expired(c: &mut Conn<'_>, idle_before: UnixTime, created_before: UnixTime) -> Result<u64, DbError> {
    const SQL: &str = "delete from user_session where last_seen_at < $1 or created_at < $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(idle_before).bind(created_before).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(done)
}
