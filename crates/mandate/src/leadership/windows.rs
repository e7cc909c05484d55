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

/// Sets `org`'s window for `duty` to `days` (the default again when `days` equals it), with its ledger event.
pub async fn set(ctx: &Ctx<'_>, org: OrgId, by: UserId, duty: Duty, days: i64) -> Result<(), AppError> {
    if !(MIN_DAYS..=MAX_DAYS).contains(&days) {
        return Err(AppError::Invalid(format!(
            "the window for {} must be between {MIN_DAYS} and {MAX_DAYS} days; {days} is not",
            duty.clause()
        )));
    }
    let default_days = duty.default_window_days();
    let mut tx = ctx.db.begin().await?;
    let stored = (days != default_days).then_some(days);
    db::leadership::set_window(&mut tx.conn(), org, duty.as_str(), stored, by, ctx.now).await?;
    let state = WindowState { duty: duty.as_str(), window_days: days, default_days };
    let change = Change::of("update", "leadership_window", duty.as_str(), &state);
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    tx.commit().await?;
    Ok(())
}
