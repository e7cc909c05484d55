//! The register of record types other records (evidence, later links) can point at, and whether a given
//! record exists in an organisation. Each capability adds its table here with one line.

use super::{Conn, DbError, on_conn};
use crate::domain::ids::OrgId;

/// Record types evidence can be attached to, with the table that holds them. The organisation itself is
/// special: its id is the organisation's.
pub const RECORD_TABLES: &[(&str, &str)] = &[
    ("organisation", "organisation"),
    ("user", "membership"),
    ("objective", "objective"),
    ("measurement", "measurement"),
    ("isms_role", "catalogue_role"),
    ("appointment", "appointment"),
    ("isms_process", "isms_process"),
    ("sod_rule", "sod_rule"),
    ("policy", "policy"),
    ("policy_version", "policy_version"),
    ("policy_exception", "policy_exception"),
    ("resource_commitment", "resource_commitment"),
    ("resource_entry", "resource_entry"),
    ("communication_plan_entry", "comm_plan_entry"),
    ("communication", "communication"),
    ("training_campaign", "training_campaign"),
    ("phishing_simulation", "phishing_simulation"),
    ("involvement", "management_involvement"),
    ("meeting", "meeting"),
    ("decision", "decision"),
    ("action", "meeting_action"),
    ("management_review", "management_review"),
    ("finding_dismissal", "finding_dismissal"),
];

/// The record type names, for messages and forms.
pub fn record_types() -> Vec<&'static str> {
    RECORD_TABLES.iter().map(|(name, _)| *name).collect()
}

/// Whether `record_type` `id` exists in `org`; `None` when the record type is unknown.
pub async fn exists(c: &mut Conn<'_>, org: OrgId, record_type: &str, id: i64) -> Result<Option<bool>, DbError> {
    let Some((_, table)) = RECORD_TABLES.iter().find(|(name, _)| *name == record_type) else {
        return Ok(None);
    };
    if *table == "organisation" {
        return Ok(Some(id == org.0));
    }
    // Memberships are keyed by (org, user); every other table by (org_id, id).
    let sql = if *table == "membership" {
        "select count(*) from membership where org_id = $1 and user_id = $2".to_string()
    } else {
        format!("select count(*) from {table} where org_id = $1 and id = $2")
    };
    // The table name comes from RECORD_TABLES above, never from the caller.
    let count: i64 = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id).fetch_one(&mut **c).await)?;
    Ok(Some(count > 0))
}
