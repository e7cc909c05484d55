//! Phishing simulations (ISO/IEC 27001 7.3): recording a simulation with who approved it, and importing its
//! GoPhish results ([`import`]). Each operation writes its change and its ledger event in one transaction; the
//! `_in` forms work inside a caller's transaction (the demo generator).

pub mod import;

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::phishing::{NewSimulation, SimulationRow};
use crate::db::{self, Tx};
use crate::domain::ids::{OrgId, SimulationId, UserId};
use crate::domain::objective::{check_text, date_text, day_of};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Change;

/// The ledger's object type for simulations.
pub const SIMULATION: &str = "phishing_simulation";

/// A simulation as a person describes it.
#[derive(Debug, Clone)]
pub struct SimulationInput {
    pub name: String,
    pub gophish_campaign_id: Option<i64>,
    pub launched_on: UnixTime,
    pub audience: String,
    pub approved_by: UserId,
    pub approved_on: UnixTime,
}

/// A simulation's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct SimulationState<'a> {
    name: &'a str,
    gophish_campaign_id: Option<i64>,
    launched_on: UnixTime,
    audience: &'a str,
    approved_by: UserId,
    approved_on: UnixTime,
    recorded_by: UserId,
}

/// Checks the input: the approver is an active top manager or ISMS manager, and approved before the launch.
async fn check(tx: &mut Tx, org: OrgId, input: &SimulationInput, now: UnixTime) -> Result<NewSimulation, AppError> {
    let name = check_text(&input.name, "the name", 200, true)?;
    let audience = check_text(&input.audience, "the audience (who received it)", 500, true)?;
    if input.gophish_campaign_id.is_some_and(|id| id < 1) {
        return Err(AppError::Invalid("the GoPhish campaign id is a positive number; leave it out if unknown".into()));
    }
    let (launched_on, approved_on) = (day_of(input.launched_on), day_of(input.approved_on));
    if approved_on > day_of(now) {
        return Err(AppError::Invalid(
            "the approval date is in the future; record the approval once it is given".into(),
        ));
    }
    if approved_on > launched_on {
        return Err(AppError::Invalid(format!(
            "the approval ({}) is after the launch ({}); a simulation is approved before it is launched",
            date_text(approved_on),
            date_text(launched_on)
        )));
    }
    let approver = db::membership::get(&mut tx.conn(), org, input.approved_by).await?;
    match approver {
        Some(m) if m.active(now) && matches!(m.role(), Role::TopManagement | Role::IsmsManager) => {}
        Some(m) if m.active(now) => {
            return Err(AppError::Invalid(format!(
                "{} is {}; a simulation is approved by top management or the ISMS manager",
                m.email,
                m.role().label()
            )));
        }
        _ => {
            return Err(AppError::Invalid(format!(
                "the approver (user {}) is not an active member of this organisation",
                input.approved_by
            )));
        }
    }
    Ok(NewSimulation {
        name,
        gophish_campaign_id: input.gophish_campaign_id,
        launched_on,
        audience,
        approved_by: input.approved_by,
        approved_on,
    })
}

/// Loads simulation `id` of `org`.
pub async fn load(tx: &mut Tx, org: OrgId, id: SimulationId) -> Result<SimulationRow, AppError> {
    db::phishing::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("phishing simulation"))
}

/// Records a simulation in `org` inside `tx`, as `by`.
pub async fn create_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    input: &SimulationInput,
) -> Result<SimulationRow, AppError> {
    let new = check(tx, org, input, ctx.now).await?;
    let id = db::phishing::insert(&mut tx.conn(), org, &new, by, ctx.now).await?;
    let state = SimulationState {
        name: &new.name,
        gophish_campaign_id: new.gophish_campaign_id,
        launched_on: new.launched_on,
        audience: &new.audience,
        approved_by: new.approved_by,
        approved_on: new.approved_on,
        recorded_by: by,
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("create", SIMULATION, id, &state), ctx.now).await?;
    load(tx, org, id).await
}

/// Records a simulation in `org`, as `by`.
pub async fn create(ctx: &Ctx<'_>, org: OrgId, by: UserId, input: &SimulationInput) -> Result<SimulationRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = create_in(ctx, &mut tx, org, by, input).await?;
    tx.commit().await?;
    Ok(row)
}
