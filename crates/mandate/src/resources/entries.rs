//! Spending and time against an approved commitment, counter-entries that reverse a mistaken entry, and
//! closing a commitment with what happened to the money left over.

use super::{COMMITMENT, lock, member, optional, status_of};
use crate::context::Ctx;
use crate::db::resource::entry::{EntryRow, NewEntry};
use crate::db::resource::{Closing, CommitmentRow};
use crate::db::{self, DbError, Tx};
use crate::domain::ids::{CommitmentId, OrgId, ResourceEntryId, UserId};
use crate::domain::resource::money::{Currency, parse_amount, parse_person_days};
use crate::domain::resource::{Disposition, Step, check_close, check_text, day_of, next_status, parse_date, show_date};
use crate::error::AppError;
use crate::journal::Change;

/// The ledger's object type for entries.
pub const ENTRY: &str = "resource_entry";

/// An entry's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct EntryState<'a> {
    commitment_id: CommitmentId,
    spent_on: i64,
    amount_minor: i64,
    days_x100: i64,
    person_id: UserId,
    note: &'a str,
    reverses: Option<ResourceEntryId>,
    recorded_by: UserId,
    recorded_at: i64,
}

impl<'a> EntryState<'a> {
    fn of(row: &'a EntryRow) -> Self {
        Self {
            commitment_id: row.commitment_id,
            spent_on: row.spent_on,
            amount_minor: row.amount_minor,
            days_x100: row.days_x100,
            person_id: row.person_id,
            note: &row.note,
            reverses: row.reverses,
            recorded_by: row.recorded_by,
            recorded_at: row.recorded_at,
        }
    }
}

/// A spending or time entry as a person gives it.
#[derive(Debug, Clone, Default)]
pub struct EntryInput {
    /// Money spent, in the commitment's currency; empty for none.
    pub amount: String,
    /// The currency of `amount`, if the caller states it; it must be the commitment's.
    pub currency: String,
    /// People's time spent; empty for none.
    pub person_days: String,
    /// `YYYY-MM-DD`: when the money was spent or the time worked. A reversal takes the reversed entry's date.
    pub spent_on: String,
    /// Who spent the money or whose time it was; the person acting when `None`.
    pub person: Option<UserId>,
    pub note: String,
    /// The entry this counter-entry reverses; its amounts are the reversed entry's, negated.
    pub reverses: Option<ResourceEntryId>,
}

/// Records spending or time (or reverses an entry) on an approved commitment.
pub async fn record(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: UserId,
    id: CommitmentId,
    input: &EntryInput,
) -> Result<ResourceEntryId, AppError> {
    let mut tx = ctx.db.begin().await?;
    let entry = record_in(ctx, &mut tx, org, by, id, input).await?;
    tx.commit().await?;
    Ok(entry)
}

/// [`record`] inside the caller's transaction.
pub async fn record_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    id: CommitmentId,
    input: &EntryInput,
) -> Result<ResourceEntryId, AppError> {
    let commitment = lock(tx, org, id).await?;
    next_status(status_of(&commitment)?, Step::Record).map_err(AppError::Conflict)?;
    let note = check_text(&input.note, "the note", 2000)?;
    let new = match input.reverses {
        Some(reversed) => counter_entry(tx, org, by, id, reversed, input, &note).await?,
        None => new_entry(ctx, tx, org, by, &commitment, input, &note).await?,
    };
    let entry = db::resource::entry::insert(&mut tx.conn(), org, id, &new, ctx.now).await.map_err(|e| match e {
        DbError::Conflict => AppError::Conflict("that entry was reversed a moment ago; reload the commitment".into()),
        other => other.into(),
    })?;
    let row = db::resource::entry::get(&mut tx.conn(), org, id, entry)
        .await?
        .ok_or_else(|| AppError::not_found("resource entry"))?;
    let action = if new.reverses.is_some() { "reverse" } else { "record" };
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, ENTRY, entry, &EntryState::of(&row)), ctx.now).await?;
    Ok(entry)
}

/// A new entry of spending or time: in the commitment's currency, dated between its request and today.
async fn new_entry<'n>(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    commitment: &CommitmentRow,
    input: &EntryInput,
    note: &'n str,
) -> Result<NewEntry<'n>, AppError> {
    let currency = Currency::parse(&commitment.currency)?;
    if !input.currency.trim().is_empty() && Currency::parse(&input.currency)? != currency {
        return Err(AppError::Invalid(format!("this commitment is in {currency}; record the amount in {currency}")));
    }
    let amount = optional(&input.amount, |t| parse_amount(t, currency, "the amount"))?;
    let days = optional(&input.person_days, |t| parse_person_days(t, "the person-days"))?;
    if amount == 0 && days == 0 {
        return Err(AppError::Invalid("give the amount spent, the person-days worked, or both".into()));
    }
    let spent_on = parse_date(&input.spent_on, "the date")?;
    if spent_on > day_of(ctx.now) {
        return Err(AppError::Invalid(format!("the date {} is in the future", show_date(spent_on))));
    }
    if spent_on < day_of(commitment.created_at) {
        return Err(AppError::Invalid(format!(
            "the date {} is before the commitment was requested ({})",
            show_date(spent_on),
            show_date(day_of(commitment.created_at))
        )));
    }
    // Sums over a commitment's entries must stay within what one amount may be, or totals would overflow.
    let line = db::resource::line(&mut tx.conn(), org, commitment.id)
        .await?
        .ok_or_else(|| AppError::not_found("resource commitment"))?;
    let max = crate::domain::resource::money::MAX_UNITS;
    if line.spent_minor.saturating_add(amount) > max || line.spent_days_x100.saturating_add(days) > max {
        return Err(AppError::Invalid(
            "this entry would take the commitment's recorded spending past the largest amount Mandate records".into(),
        ));
    }
    let person = input.person.unwrap_or(by);
    member(tx, org, person, "the person who spent it").await?;
    Ok(NewEntry {
        spent_on,
        amount_minor: amount,
        days_x100: days,
        person_id: person,
        note,
        reverses: None,
        recorded_by: by,
    })
}

/// The counter-entry that undoes `reversed`: its amounts negated, on its date, for the same person.
async fn counter_entry<'n>(
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    id: CommitmentId,
    reversed: ResourceEntryId,
    input: &EntryInput,
    note: &'n str,
) -> Result<NewEntry<'n>, AppError> {
    if !input.amount.trim().is_empty() || !input.person_days.trim().is_empty() {
        return Err(AppError::Invalid(
            "a reversal takes its amounts from the entry it reverses; leave the amount and person-days empty".into(),
        ));
    }
    let original = db::resource::entry::get(&mut tx.conn(), org, id, reversed)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("entry {reversed} is not an entry of this commitment")))?;
    if original.reverses.is_some() {
        return Err(AppError::Invalid(format!(
            "entry {reversed} is itself a reversal; record a new entry instead of reversing it"
        )));
    }
    if let Some(by_entry) = original.reversed_by {
        return Err(AppError::Conflict(format!("entry {reversed} was already reversed by entry {by_entry}")));
    }
    if note.is_empty() {
        return Err(AppError::Invalid("say in the note why the entry is reversed".into()));
    }
    Ok(NewEntry {
        spent_on: original.spent_on,
        amount_minor: -original.amount_minor,
        days_x100: -original.days_x100,
        person_id: original.person_id,
        note,
        reverses: Some(reversed),
        recorded_by: by,
    })
}

/// How a commitment is closed, as a person gives it.
#[derive(Debug, Clone, Default)]
pub struct CloseInput {
    /// What happened to the money left over: `returned` or `redirected`; empty when nothing is left.
    pub unspent: String,
    /// Where redirected money went (required then), or anything else worth keeping.
    pub note: String,
}

/// Closes an approved commitment.
pub async fn close(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: UserId,
    id: CommitmentId,
    input: &CloseInput,
) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    close_in(ctx, &mut tx, org, by, id, input).await?;
    Ok(tx.commit().await?)
}

/// [`close`] inside the caller's transaction.
pub async fn close_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    id: CommitmentId,
    input: &CloseInput,
) -> Result<(), AppError> {
    let commitment = lock(tx, org, id).await?;
    next_status(status_of(&commitment)?, Step::Close).map_err(AppError::Conflict)?;
    let line =
        db::resource::line(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("resource commitment"))?;
    let unspent = (commitment.approved_minor.unwrap_or(0) - line.spent_minor).max(0);
    let disposition = match input.unspent.trim() {
        "" => None,
        text => Some(Disposition::parse(text)?),
    };
    let note = check_text(&input.note, "the note", 4000)?;
    let disposition = check_close(unspent, disposition, &note)?;
    let closing =
        Closing { closed_by: by, unspent_minor: unspent, disposition: disposition.as_str(), close_note: &note };
    db::resource::close(&mut tx.conn(), org, id, &closing, ctx.now).await.map_err(|e| match e {
        DbError::Conflict => AppError::Conflict("this commitment was closed a moment ago; reload it".into()),
        other => other.into(),
    })?;
    let row = lock(tx, org, id).await?;
    ctx.journal.append(tx, org, &ctx.actor, Change::of("close", COMMITMENT, id, &row), ctx.now).await?;
    Ok(())
}
