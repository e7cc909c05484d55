//! An organisation's freshness windows: how long a record keeps evidencing each duty. The defaults are in
//! `domain::leadership::Duty::default_window_days`; an ISMS manager, an administrator or top management may set
//! another per duty, and every change is ledgered.

use crate::context::Ctx;
use crate::db;
use crate::domain::ids::{OrgId, UserId};
use crate::domain::leadership::Duty;
use crate::error::AppError;
use crate::journal::Change;

/// The shortest and longest window accepted, in days.
pub const MIN_DAYS: i64 = 30;
pub const MAX_DAYS: i64 = 1095;

#[derive(serde::Serialize)]
struct WindowState<'a> {
    duty: &'a str,
    window_days: i64,
    default_days: i64,
}

/// Sets `org`'s windows, `(duty, days)` each, in one transaction with one ledger event per duty: all of them or,
/// when one is out of range (422), none. A window is kept even when it equals the default, so a later change of
/// default (9.3's follows the review schedule) does not move it.
pub async fn set(ctx: &Ctx<'_>, org: OrgId, by: UserId, windows: &[(Duty, i64)]) -> Result<(), AppError> {
    if let Some((duty, days)) = windows.iter().find(|(_, days)| !(MIN_DAYS..=MAX_DAYS).contains(days)) {
        return Err(AppError::Invalid(format!(
            "the window for {} must be between {MIN_DAYS} and {MAX_DAYS} days; {days} is not",
            duty.clause()
        )));
    }
    let mut tx = ctx.db.begin().await?;
    let mut changes = Vec::with_capacity(windows.len());
    for (duty, days) in windows {
        db::leadership::set_window(&mut tx.conn(), org, duty.as_str(), *days, by, ctx.now).await?;
        let state = WindowState { duty: duty.as_str(), window_days: *days, default_days: duty.default_window_days() };
        changes.push((ctx.actor.clone(), Change::of("update", "leadership_window", duty.as_str(), &state), ctx.now));
    }
    ctx.journal.append_all(&mut tx, org, &changes).await?;
    tx.commit().await?;
    Ok(())
}
