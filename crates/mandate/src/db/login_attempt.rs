//! Sign-in attempts, kept for rate limiting and as the record of who signed in from where.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;

pub async fn record(c: &mut Conn<'_>, email: &str, ip: &str, succeeded: bool, now: UnixTime) -> Result<(), DbError> {
    const SQL: &str = "insert into login_attempt (email, ip, succeeded, at) values ($1, $2, $3, $4)";
    on_conn!(c, c => sqlx::query(SQL).bind(email).bind(ip).bind(succeeded).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Failed attempts from one address since `since`.
pub async fn failures_from_ip(c: &mut Conn<'_>, ip: &str, since: UnixTime) -> Result<i64, DbError> {
    const SQL: &str = "select count(*) from login_attempt where ip = $1 and at >= $2 and succeeded = $3";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(ip).bind(since).bind(false).fetch_one(&mut **c).await)?)
}

/// Failed attempts on one account since `since`.
pub async fn failures_for_email(c: &mut Conn<'_>, email: &str, since: UnixTime) -> Result<i64, DbError> {
    const SQL: &str = "select count(*) from login_attempt where email = $1 and at >= $2 and succeeded = $3";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(email).bind(since).bind(false).fetch_one(&mut **c).await)?)
}

/// Whether this account signed in successfully from this address since `since`.
pub async fn known_address(c: &mut Conn<'_>, email: &str, ip: &str, since: UnixTime) -> Result<bool, DbError> {
    const SQL: &str = "select count(*) from login_attempt where email = $1 and ip = $2 and at >= $3 and succeeded = $4";
    let n: i64 = on_conn!(c, c => sqlx::query_scalar(SQL).bind(email).bind(ip).bind(since).bind(true)
        .fetch_one(&mut **c).await)?;
    Ok(n > 0)
}

/// Forgets attempts older than `before`.
pub async fn prune(c: &mut Conn<'_>, before: UnixTime) -> Result<u64, DbError> {
    const SQL: &str = "delete from login_attempt where at < $1";
    Ok(on_conn!(c, c => sqlx::query(SQL).bind(before).execute(&mut **c).await.map(|r| r.rows_affected()))?)
}
