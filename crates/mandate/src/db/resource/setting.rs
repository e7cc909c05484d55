//! The resources register's settings per organisation: default currency and the underspent share.

use crate::clock::UnixTime;
use crate::db::{Conn, DbError, on_conn};
use crate::domain::ids::OrgId;

/// An organisation's settings for the register, if it has changed the defaults.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SettingRow {
    pub currency: String,
    pub underspent_percent: i64,
    pub updated_at: UnixTime,
}

pub async fn settings(c: &mut Conn<'_>, org: OrgId) -> Result<Option<SettingRow>, DbError> {
    const SQL: &str = "select currency, underspent_percent, updated_at from resource_setting where org_id = $1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_optional(&mut **c).await)?)
}

pub async fn save_settings(
    c: &mut Conn<'_>,
    org: OrgId,
    currency: &str,
    underspent_percent: i64,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "insert into resource_setting (org_id, currency, underspent_percent, updated_at) \
                       values ($1, $2, $3, $4) on conflict (org_id) do update set currency = excluded.currency, \
                       underspent_percent = excluded.underspent_percent, updated_at = excluded.updated_at";
    on_conn!(c, c => sqlx::query(SQL).bind(org).bind(currency).bind(underspent_percent).bind(now)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
