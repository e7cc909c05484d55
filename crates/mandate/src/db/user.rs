//! People who can sign in. An identity is global; what it may do in an organisation is its membership.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::UserId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn by_email(c: &mut Conn<'_>, email: &str) -> Result<Option<User>, DbError> {
    const SQL: &str = "select id, email, name, password_hash from app_user where email = $1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(email).fetch_optional(&mut **c).await)?)
}

pub async fn by_id(c: &mut Conn<'_>, id: UserId) -> Result<Option<User>, DbError> {
    const SQL: &str = "select id, email, name, password_hash from app_user where id = $1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(id).fetch_optional(&mut **c).await)?)
}

/// Creates an identity; a taken e-mail address is [`DbError::Conflict`].
#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    email: &str,
    name: &str,
    password_hash: Option<&str>,
    now: UnixTime,
) -> Result<UserId, DbError> {
    const SQL: &str = "insert into app_user (email, name, password_hash, created_at, updated_at) \
                       values ($1, $2, $3, $4, $4) returning id";
    let id = on_conn!(c, c => sqlx::query_scalar(SQL).bind(email).bind(name).bind(password_hash).bind(now)
        .fetch_one(&mut **c).await)?;
    Ok(id)
}

/// The identity with this e-mail address, created (with the given name and password) if there is none.
/// An existing identity keeps its own name and password: an organisation that adds someone who already
/// belongs elsewhere must not be able to take over their account.
pub async fn find_or_insert(
    c: &mut Conn<'_>,
    email: &str,
    name: &str,
    password_hash: Option<&str>,
    now: UnixTime,
) -> Result<UserId, DbError> {
    match by_email(c, email).await? {
        Some(user) => Ok(user.id),
        None => insert(c, email, name, password_hash, now).await,
    }
}
