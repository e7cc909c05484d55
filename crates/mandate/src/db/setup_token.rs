//! The one-time token that lets whoever started the server create the first organisation.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;

/// Replaces any earlier setup token with this one.
pub async fn replace(c: &mut Conn<'_>, token_hash: &str, now: UnixTime) -> Result<(), DbError> {
    on_conn!(c, c => sqlx::query("delete from setup_token").execute(&mut **c).await.map(|r| r.rows_affected()))?;
    const SQL: &str = "insert into setup_token (token_hash, created_at) values ($1, $2)";
    on_conn!(c, c => sqlx::query(SQL).bind(token_hash).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn exists(c: &mut Conn<'_>, token_hash: &str) -> Result<bool, DbError> {
    const SQL: &str = "select count(*) from setup_token where token_hash = $1";
    let n: i64 = on_conn!(c, c => sqlx::query_scalar(SQL).bind(token_hash).fetch_one(&mut **c).await)?;
    Ok(n > 0)
}

/// Consumes the token: true only for the one caller that removed it.
pub async fn consume(c: &mut Conn<'_>, token_hash: &str) -> Result<bool, DbError> {
    const SQL: &str = "delete from setup_token where token_hash = $1";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(token_hash).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
