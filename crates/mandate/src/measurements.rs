//! Recording and withdrawing measurements of objectives, each with its ledger event in the same transaction.
//! A measurement is never edited: a wrong one is withdrawn with a reason and a corrected one recorded, so the
//! history keeps both.

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::measurement::{MeasurementRow, NewMeasurement};
use crate::db::objective::ObjectiveRow;
use crate::db::{self, DbError, Tx};
use crate::domain::ids::{MeasurementId, ObjectiveId, OrgId, UserId};
use crate::domain::measurement::{check_measured_on, check_withdraw_reason};
use crate::domain::objective::{self as rules, Acting, Kind, Status};
use crate::error::AppError;
use crate::journal::Change;
use crate::objectives::load;

/// A measurement as a person reports it.
#[derive(Debug, Clone)]
pub struct MeasurementInput {
    pub value: f64,
    pub measured_on: UnixTime,
    pub note: String,
}

/// A measurement's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct MeasurementState<'a> {
    objective_id: ObjectiveId,
    value: f64,
    measured_on: UnixTime,
    note: &'a str,
    measured_by: UserId,
    withdrawn_at: Option<UnixTime>,
    withdrawn_by: Option<UserId>,
    withdraw_reason: Option<&'a str>,
}

/// Loads the objective and checks that `acting` may record measurements on it while it is open. An objective
/// the person may not see is not found, as in another organisation.
async fn objective_to_measure(
    tx: &mut Tx,
    org: OrgId,
    acting: Acting,
    objective: ObjectiveId,
) -> Result<ObjectiveRow, AppError> {
    let row = load(tx, org, objective).await?;
    if !rules::may_see(acting, Kind::parse(&row.kind)?, row.person_id) {
        return Err(AppError::not_found("objective"));
    }
    if !rules::may_measure(acting, row.owner_id) {
        let owner = &row.owner_name;
        return Err(AppError::Forbidden(format!(
            "only the objective's owner ({owner}), an ISMS manager or an administrator can record or withdraw \
             its measurements"
        )));
    }
    if row.status != Status::Open.as_str() {
        return Err(AppError::Conflict(format!(
            "the objective is {}; reopen it to record or withdraw measurements",
            row.status
        )));
    }
    Ok(row)
}

/// Re-reads measurement `id` inside `tx` and appends its state to the ledger under `action`.
async fn record(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    objective: ObjectiveId,
    id: MeasurementId,
    action: &'static str,
) -> Result<MeasurementRow, AppError> {
    let row = db::measurement::get(&mut tx.conn(), org, objective, id)
        .await?
        .ok_or_else(|| AppError::not_found("measurement"))?;
    let state = MeasurementState {
        objective_id: row.objective_id,
        value: row.value,
        measured_on: row.measured_on,
        note: &row.note,
        measured_by: row.measured_by,
        withdrawn_at: row.withdrawn_at,
        withdrawn_by: row.withdrawn_by,
        withdraw_reason: row.withdraw_reason.as_deref(),
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, "measurement", id, &state), ctx.now).await?;
    Ok(row)
}

/// Records a measurement of `objective` inside `tx`, taken by `acting`.
pub async fn add_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    acting: Acting,
    objective: ObjectiveId,
    input: &MeasurementInput,
) -> Result<MeasurementRow, AppError> {
    let row = objective_to_measure(tx, org, acting, objective).await?;
    let value = rules::check_value(input.value, "the measured value")?;
    check_measured_on(input.measured_on, row.created_at, ctx.now)?;
    let note = rules::check_text(&input.note, "the note", 2000, false)?;
    let new = NewMeasurement {
        objective,
        value,
        measured_on: rules::day_of(input.measured_on),
        note: &note,
        measured_by: acting.user,
    };
    let id = db::measurement::insert(&mut tx.conn(), org, &new, ctx.now).await?;
    record(ctx, tx, org, objective, id, "create").await
}

/// Records a measurement of `objective`, taken by `acting`.
pub async fn add(
    ctx: &Ctx<'_>,
    org: OrgId,
    acting: Acting,
    objective: ObjectiveId,
    input: &MeasurementInput,
) -> Result<MeasurementRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = add_in(ctx, &mut tx, org, acting, objective, input).await?;
    tx.commit().await?;
    Ok(row)
}

/// Withdraws measurement `id` of `objective` inside `tx`: it stays in the history, marked, and no longer counts.
pub async fn withdraw_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    acting: Acting,
    objective: ObjectiveId,
    id: MeasurementId,
    reason: &str,
) -> Result<MeasurementRow, AppError> {
    objective_to_measure(tx, org, acting, objective).await?;
    let reason = check_withdraw_reason(reason)?;
    db::measurement::get(&mut tx.conn(), org, objective, id)
        .await?
        .ok_or_else(|| AppError::not_found("measurement"))?;
    db::measurement::withdraw(&mut tx.conn(), org, objective, id, acting.user, &reason, ctx.now).await.map_err(
        |e| match e {
            DbError::Conflict => AppError::Conflict(format!("measurement {id} has already been withdrawn")),
            other => other.into(),
        },
    )?;
    record(ctx, tx, org, objective, id, "withdraw").await
}

/// Withdraws measurement `id` of `objective`, giving `reason`.
pub async fn withdraw(
    ctx: &Ctx<'_>,
    org: OrgId,
    acting: Acting,
    objective: ObjectiveId,
    id: MeasurementId,
    reason: &str,
) -> Result<MeasurementRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = withdraw_in(ctx, &mut tx, org, acting, objective, id, reason).await?;
    tx.commit().await?;
    Ok(row)
}
