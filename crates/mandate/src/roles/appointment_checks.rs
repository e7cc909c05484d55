//! The checks behind recording and changing appointments: who may name which appointer, that the people named
//! are active members, deputies' start days, and no second appointment of one person to one role at a time.

use super::appointments::Recorder;
use crate::clock::UnixTime;
use crate::db::{self, Tx};
use crate::domain::appointment::{check_deputies, day_of, format_date};
use crate::domain::ids::{AppointmentId, CatalogueRoleId, OrgId, UserId};
use crate::domain::role::Role;
use crate::error::AppError;

/// The top manager who made the appointment, as the recorder may name them.
pub(super) fn appointer(recorder: Recorder, named: Option<UserId>) -> Result<UserId, AppError> {
    match (recorder, named) {
        (Recorder::Member { user, role: Role::TopManagement }, None) => Ok(user),
        (Recorder::Member { user, role: Role::TopManagement }, Some(named)) if named != user => {
            Err(AppError::Forbidden(
                "top management may record only the appointments they made themselves; ask an ISMS manager or administrator to record one made by someone else".into(),
            ))
        }
        (Recorder::Member { role: Role::Auditor | Role::Employee, .. }, _) => {
            Err(AppError::Forbidden("only administrators, ISMS managers and top management record appointments".into()))
        }
        (_, Some(named)) => Ok(named),
        (_, None) => Err(AppError::Invalid(
            "name the member of top management who made the appointment (appointed_by)".into(),
        )),
    }
}

/// An active member of `org`, or a 422 naming `what` they were meant to be.
pub(super) async fn active_member(
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
    what: &str,
    now: UnixTime,
) -> Result<db::membership::Member, AppError> {
    match db::membership::get(&mut tx.conn(), org, user).await? {
        Some(member) if member.active(now) => Ok(member),
        Some(member) => {
            Err(AppError::Invalid(format!("{} ({what}) no longer has access to this organisation", member.email)))
        }
        None => Err(AppError::Invalid(format!("{what}: there is no member {user} in this organisation"))),
    }
}

/// The deputies with the day each was named from: existing ones keep theirs, new ones start today (or on the
/// appointment's first day, if that is later).
pub(super) async fn deputies_since(
    tx: &mut Tx,
    org: OrgId,
    row: (AppointmentId, UserId, UnixTime),
    deputies: &[UserId],
    now: UnixTime,
) -> Result<Vec<(UserId, UnixTime)>, AppError> {
    let (id, holder, appointed_on) = row;
    let deputies = check_deputies(holder, deputies)?;
    let existing = db::appointment::deputies(&mut tx.conn(), org, &[id]).await?;
    let mut out = Vec::with_capacity(deputies.len());
    for deputy in deputies {
        active_member(tx, org, deputy, "deputy", now).await?;
        let since = existing.iter().find(|d| d.user_id == deputy).map_or(day_of(now).max(appointed_on), |d| d.since);
        out.push((deputy, since));
    }
    Ok(out)
}

/// Refuses a second appointment of the same person to the same role over the same time.
pub(super) async fn check_overlap(
    tx: &mut Tx,
    org: OrgId,
    (role, user): (CatalogueRoleId, UserId),
    span: (UnixTime, Option<UnixTime>),
    except: Option<AppointmentId>,
) -> Result<(), AppError> {
    if let Some(other) = db::appointment::overlapping(&mut tx.conn(), org, (role, user), span, except).await? {
        return Err(AppError::Conflict(format!(
            "{} is already appointed {} from {} (appointment {}); end or change that appointment first",
            other.user_email,
            other.role_name,
            format_date(other.appointed_on),
            other.id
        )));
    }
    Ok(())
}
