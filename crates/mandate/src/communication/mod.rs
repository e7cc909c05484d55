//! The communication plan and the communications sent (ISO/IEC 27001 7.4), and awareness training (7.3) in
//! [`training`]. Each operation checks its input, writes its rows and appends its ledger event in one
//! transaction; the `*_in` functions work inside a caller's transaction (the demo generator writes many in one).

pub mod audience;
pub mod sent;
pub mod training;
pub mod training_import;

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::communication::{EntryFields, EntryRow};
use crate::db::{self, Tx};
use crate::domain::campaign::Audience;
use crate::domain::communication::{Cadence, Channel};
use crate::domain::ids::{OrgId, PlanEntryId, UserId};
use crate::domain::objective::{check_text, day_of};
use crate::error::AppError;
use crate::journal::Change;

pub use sent::{SentInput, record, record_all_in};

/// A plan entry as a person describes it.
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub subject: String,
    pub description: String,
    pub frequency: Cadence,
    /// The date of a one-off, or when a recurring communication is first due.
    pub first_due_on: UnixTime,
    /// Who communicates.
    pub communicator: UserId,
    pub audience: Audience,
    pub channel: Channel,
}

/// A plan entry's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct PlanState<'a> {
    subject: &'a str,
    description: &'a str,
    frequency: &'a str,
    first_due_on: UnixTime,
    communicator_id: UserId,
    audience: &'a str,
    channel: &'a str,
    recorded_by: UserId,
    retired_at: Option<UnixTime>,
}

/// Re-reads plan entry `id` inside `tx` and appends its state under `action`.
async fn record_entry(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: PlanEntryId,
    action: &'static str,
) -> Result<EntryRow, AppError> {
    let row = load(tx, org, id).await?;
    let state = PlanState {
        subject: &row.subject,
        description: &row.description,
        frequency: &row.frequency,
        first_due_on: row.first_due_on,
        communicator_id: row.communicator_id,
        audience: &row.audience,
        channel: &row.channel,
        recorded_by: row.recorded_by,
        retired_at: row.retired_at,
    };
    ctx.journal
        .append(tx, org, &ctx.actor, Change::of(action, "communication_plan_entry", id, &state), ctx.now)
        .await?;
    Ok(row)
}

/// Loads plan entry `id` of `org` inside `tx`.
pub async fn load(tx: &mut Tx, org: OrgId, id: PlanEntryId) -> Result<EntryRow, AppError> {
    db::communication::get_entry(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("plan entry"))
}

/// Checks that `user` is an active member of `org` who may speak for it: anyone but an auditor, who stays
/// independent of what they audit.
pub async fn check_communicator(tx: &mut Tx, org: OrgId, user: UserId, now: UnixTime) -> Result<(), AppError> {
    match db::membership::get(&mut tx.conn(), org, user).await? {
        Some(m) if m.active(now) && m.role() != crate::domain::role::Role::Auditor => Ok(()),
        Some(m) if m.active(now) => {
            Err(AppError::Invalid(format!("{} is an auditor; choose who communicates for the organisation", m.email)))
        }
        _ => Err(AppError::Invalid(format!(
            "the communicator (user {user}) is not an active member of this organisation; choose someone who is"
        ))),
    }
}

/// Adds an entry to `org`'s communication plan inside `tx`, recorded by `by`.
pub async fn create_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    input: &PlanInput,
) -> Result<EntryRow, AppError> {
    let first_due_on = day_of(input.first_due_on);
    if (first_due_on - ctx.now).abs() > 5 * 366 * 86_400 {
        return Err(AppError::Invalid("the first due date must be within five years of today".into()));
    }
    let members = audience::members(tx, org, ctx.now).await?;
    audience::resolve(&input.audience, &members)?;
    check_communicator(tx, org, input.communicator, ctx.now).await?;
    let fields = EntryFields {
        subject: check_text(&input.subject, "the subject", 200, true)?,
        description: check_text(&input.description, "the description", 4000, false)?,
        frequency: input.frequency.as_str(),
        first_due_on,
        communicator_id: input.communicator,
        audience: serde_json::to_string(&input.audience).map_err(|e| AppError::Internal(e.into()))?,
        audience_label: input.audience.describe(),
        channel: input.channel.as_str(),
    };
    let id = db::communication::insert_entry(&mut tx.conn(), org, &fields, by, ctx.now).await?;
    record_entry(ctx, tx, org, id, "create").await
}

/// Adds an entry to `org`'s communication plan, recorded by `by`.
pub async fn create(ctx: &Ctx<'_>, org: OrgId, by: UserId, input: &PlanInput) -> Result<EntryRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = create_in(ctx, &mut tx, org, by, input).await?;
    tx.commit().await?;
    Ok(row)
}

/// Retires a plan entry: it is no longer planned, and its history stays.
pub async fn retire(ctx: &Ctx<'_>, org: OrgId, by: UserId, id: PlanEntryId) -> Result<EntryRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    load(&mut tx, org, id).await?;
    if !db::communication::retire_entry(&mut tx.conn(), org, id, by, ctx.now).await? {
        return Err(AppError::Conflict("this plan entry is already retired".into()));
    }
    let row = record_entry(ctx, &mut tx, org, id, "retire").await?;
    tx.commit().await?;
    Ok(row)
}

/// When a plan entry is next due and whether that is overdue on `now`; a retired entry is never due.
pub fn schedule(row: &EntryRow, now: UnixTime) -> (Option<UnixTime>, bool) {
    use crate::domain::communication::{is_overdue, next_due};
    if row.retired_at.is_some() {
        return (None, false);
    }
    let due = Cadence::parse(&row.frequency).ok().and_then(|c| next_due(c, row.first_due_on, row.last_sent_on));
    (due, is_overdue(due, now))
}
