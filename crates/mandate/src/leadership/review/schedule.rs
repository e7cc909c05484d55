//! The review schedule: how often top management reviews the ISMS, who chairs, and who must attend.

use super::check_top_manager;
use crate::context::Ctx;
use crate::db;
use crate::domain::ids::{OrgId, UserId};
use crate::domain::leadership::review::check_every_months;
use crate::error::AppError;
use crate::journal::Change;

/// A schedule as a person sets it.
#[derive(Debug, Clone)]
pub struct ScheduleInput {
    pub every_months: i64,
    pub chair: UserId,
    /// The chair is always among them.
    pub attendees: Vec<UserId>,
}

/// A schedule as the ledger hashes it.
#[derive(serde::Serialize)]
pub(crate) struct ScheduleState<'a> {
    pub(crate) every_months: i64,
    pub(crate) chair_id: UserId,
    pub(crate) attendees: &'a [UserId],
    pub(crate) recorded_by: UserId,
}

/// Sets `org`'s review schedule, as `by`.
pub async fn set(ctx: &Ctx<'_>, org: OrgId, by: UserId, input: &ScheduleInput) -> Result<(), AppError> {
    let months = check_every_months(input.every_months)?;
    if input.attendees.len() > crate::domain::meeting::ATTENDEES_MAX {
        return Err(AppError::Invalid("a review takes at most 200 required attendees".into()));
    }
    let mut tx = ctx.db.begin().await?;
    check_top_manager(&mut tx, org, input.chair, "chair", ctx.now).await?;
    let mut attendees = vec![input.chair];
    for user in &input.attendees {
        if !attendees.contains(user) {
            crate::meetings::check_member(&mut tx, org, *user, "required attendee", ctx.now, true).await?;
            attendees.push(*user);
        }
    }
    attendees.sort();
    db::management_review::set_schedule(&mut tx.conn(), org, months, input.chair, &attendees, by, ctx.now).await?;
    let state = ScheduleState { every_months: months, chair_id: input.chair, attendees: &attendees, recorded_by: by };
    ctx.journal.append(&mut tx, org, &ctx.actor, Change::of("update", "review_schedule", org, &state), ctx.now).await?;
    tx.commit().await?;
    Ok(())
}
