//! Recording, changing and ending appointments. An appointment is made by a named member of top management;
//! administrators and ISMS managers record it on their behalf, and a top manager may record their own.
//! Changing deputies or ending an appointment is housekeeping that any of them may record (the ledger keeps who).

use super::appointment_checks::{active_member, appointer, check_overlap, deputies_since};
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::appointment::AppointmentRow;
use crate::db::decision::LinkTable;
use crate::db::{self, DbError, Tx};
use crate::domain::appointment::{Refusal, check_changeable, check_dates, check_end, check_planned_end, day_of};
use crate::domain::ids::{AppointmentId, CatalogueRoleId, DecisionId, OrgId, UserId};
use crate::domain::role::Role;
use crate::domain::role_catalogue::check_short_text;
use crate::error::AppError;
use crate::journal::Change;
use crate::meetings::links::{attach, check_decision};

/// The longest decision reference or end reason.
const TEXT_MAX: usize = 300;

/// Who records a change: a member acting with an access role, or Mandate itself (the demo, imports).
#[derive(Debug, Clone, Copy)]
pub enum Recorder {
    Member { user: UserId, role: Role },
    System,
}

/// A new appointment. `appointed_by` may be left out when the recorder is the top manager who made it.
#[derive(Debug, Clone)]
pub struct NewAppointment {
    pub role: CatalogueRoleId,
    pub user: UserId,
    pub appointed_by: Option<UserId>,
    /// The first day held; today when not given.
    pub appointed_on: Option<UnixTime>,
    pub decision_ref: Option<String>,
    /// A decision recorded in one of the organisation's meetings that the appointment rests on.
    pub decision_id: Option<i64>,
    /// A planned end: the first day no longer held.
    pub ends_on: Option<UnixTime>,
    pub deputies: Vec<UserId>,
}

/// A change to an appointment that has not ended; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AppointmentChange {
    pub decision_ref: Option<Option<String>>,
    pub ends_on: Option<Option<UnixTime>>,
    pub deputies: Option<Vec<UserId>>,
}

/// Ending an appointment: on which day (today when not given) and why.
#[derive(Debug, Clone, Default)]
pub struct Ending {
    pub ended_on: Option<UnixTime>,
    pub reason: Option<String>,
}

/// An appointment's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct AppointmentState<'a> {
    role_id: CatalogueRoleId,
    user_id: UserId,
    appointed_by: UserId,
    appointed_on: UnixTime,
    decision_ref: Option<&'a str>,
    /// Left out when there is none, so appointments that cite no decision hash as they always did.
    #[serde(skip_serializing_if = "Option::is_none")]
    decision_id: Option<DecisionId>,
    ends_on: Option<UnixTime>,
    ended_at: Option<UnixTime>,
    end_reason: Option<&'a str>,
    deputies: Vec<(UserId, UnixTime)>,
}

fn refusal(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::Invalid(message) => AppError::Invalid(message),
        Refusal::State(message) => AppError::Conflict(message),
    }
}

/// Appends the appointment's current state to the ledger.
async fn record(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: AppointmentId,
    action: &'static str,
) -> Result<AppointmentRow, AppError> {
    let row = db::appointment::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("appointment"))?;
    let deputies = db::appointment::deputies(&mut tx.conn(), org, &[id]).await?;
    let state = AppointmentState {
        role_id: row.role_id,
        user_id: row.user_id,
        appointed_by: row.appointed_by,
        appointed_on: row.appointed_on,
        decision_ref: row.decision_ref.as_deref(),
        decision_id: row.decision_id,
        ends_on: row.ends_on,
        ended_at: row.ended_at,
        end_reason: row.end_reason.as_deref(),
        deputies: deputies.iter().map(|d| (d.user_id, d.since)).collect(),
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, "appointment", id, &state), ctx.now).await?;
    Ok(row)
}

/// Records an appointment.
pub async fn appoint(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: Recorder,
    input: &NewAppointment,
) -> Result<AppointmentRow, AppError> {
    super::ensure_seeded(ctx, org).await?;
    let mut tx = ctx.db.begin().await?;
    let row = appoint_in(ctx, &mut tx, org, by, input).await?;
    tx.commit().await?;
    Ok(row)
}

/// [`appoint`] inside the caller's transaction.
pub async fn appoint_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: Recorder,
    input: &NewAppointment,
) -> Result<AppointmentRow, AppError> {
    let now = ctx.now;
    let appointed_by = appointer(by, input.appointed_by)?;
    let appointed_on = day_of(input.appointed_on.unwrap_or(now));
    let ends_on = input.ends_on.map(day_of);
    check_dates(appointed_on, ends_on, now)?;
    let decision_ref = check_short_text(input.decision_ref.as_deref(), "decision_ref", TEXT_MAX)?;
    let role = db::role_catalogue::get(&mut tx.conn(), org, input.role, now).await?.ok_or_else(|| {
        AppError::Invalid(format!("there is no role {} in this organisation's catalogue", input.role))
    })?;
    if role.retired_at.is_some() {
        return Err(AppError::Invalid(format!("'{}' is retired; reinstate it before appointing anyone", role.name)));
    }
    active_member(tx, org, input.user, "the person appointed", now).await?;
    let manager = active_member(tx, org, appointed_by, "appointed_by", now).await?;
    if manager.role() != Role::TopManagement {
        return Err(AppError::Invalid(format!(
            "{} is not top management in this organisation; appointments must be made by a member of top management (appointed_by)",
            manager.email
        )));
    }
    check_overlap(tx, org, (role.id, input.user), (appointed_on, ends_on), None).await?;
    let cited = check_decision(tx, org, input.decision_id).await?;
    let new = db::appointment::NewAppointment {
        role: role.id,
        user: input.user,
        appointed_by,
        appointed_on,
        decision_ref: decision_ref.as_deref(),
        ends_on,
    };
    let id = db::appointment::insert(&mut tx.conn(), org, &new, now).await?;
    if !input.deputies.is_empty() {
        let deputies = deputies_since(tx, org, (id, input.user, appointed_on), &input.deputies, now).await?;
        db::appointment::set_deputies(&mut tx.conn(), org, id, &deputies).await?;
    }
    attach(tx, org, LinkTable::Appointment, id.0, cited).await?;
    record(ctx, tx, org, id, "create").await
}

/// Changes the decision reference, planned end or deputies of an appointment that has not ended.
pub async fn change(
    ctx: &Ctx<'_>,
    org: OrgId,
    id: AppointmentId,
    change: &AppointmentChange,
) -> Result<AppointmentRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = change_in(ctx, &mut tx, org, id, change).await?;
    tx.commit().await?;
    Ok(row)
}

/// [`change`] inside the caller's transaction.
pub async fn change_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: AppointmentId,
    change: &AppointmentChange,
) -> Result<AppointmentRow, AppError> {
    let now = ctx.now;
    let row = db::appointment::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("appointment"))?;
    check_changeable(row.ends_on, row.ended_at, now).map_err(refusal)?;
    let decision_ref = match &change.decision_ref {
        Some(text) => check_short_text(text.as_deref(), "decision_ref", TEXT_MAX)?,
        None => row.decision_ref.clone(),
    };
    let ends_on = match change.ends_on {
        Some(Some(day)) => {
            check_planned_end(row.appointed_on, day_of(day), now)?;
            Some(day_of(day))
        }
        Some(None) => None,
        None => row.ends_on,
    };
    if ends_on != row.ends_on {
        check_overlap(tx, org, (row.role_id, row.user_id), (row.appointed_on, ends_on), Some(id)).await?;
    }
    if let Some(list) = &change.deputies {
        let deputies = deputies_since(tx, org, (id, row.user_id, row.appointed_on), list, now).await?;
        db::appointment::set_deputies(&mut tx.conn(), org, id, &deputies).await?;
    }
    db::appointment::update(&mut tx.conn(), org, id, decision_ref.as_deref(), ends_on, now).await.map_err(
        |e| match e {
            DbError::Conflict => {
                AppError::Conflict("this appointment has been ended meanwhile; it can no longer change".into())
            }
            other => other.into(),
        },
    )?;
    record(ctx, tx, org, id, "update").await
}

/// Ends an appointment; it stays as history. Ending one that has ended is refused with 409.
pub async fn end(ctx: &Ctx<'_>, org: OrgId, id: AppointmentId, ending: &Ending) -> Result<AppointmentRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = end_in(ctx, &mut tx, org, id, ending).await?;
    tx.commit().await?;
    Ok(row)
}

/// [`end`] inside the caller's transaction.
pub async fn end_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: AppointmentId,
    ending: &Ending,
) -> Result<AppointmentRow, AppError> {
    let row = db::appointment::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("appointment"))?;
    let ends_on = check_end(row.appointed_on, row.ends_on, row.ended_at, ending.ended_on.map(day_of), ctx.now)
        .map_err(refusal)?;
    let reason = check_short_text(ending.reason.as_deref(), "the reason", TEXT_MAX)?;
    db::appointment::end(&mut tx.conn(), org, id, ends_on, reason.as_deref(), ctx.now).await.map_err(|e| match e {
        DbError::Conflict => AppError::Conflict("this appointment has already been ended".into()),
        other => other.into(),
    })?;
    record(ctx, tx, org, id, "end").await
}
