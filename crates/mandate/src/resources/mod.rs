//! Resources (ISO/IEC 27001 7.1): requesting, deciding on, spending against and closing commitments, shared by
//! the pages, the JSON API and the demo generator.
//!
//! Each operation checks its input, then writes the change and its ledger event in one transaction. Every
//! operation has an `_in` form that works inside a transaction the caller holds (so the demo generator can
//! write thousands of records in one) and a plain form that opens and commits its own. Input arrives as the
//! text people type, so one set of checks and messages serves every way in.

mod decide;
pub mod entries;
pub mod register;

pub use decide::{DecisionInput, approve, decide_in, refuse};

use crate::context::Ctx;
use crate::db::resource::{CommitmentRow, NewCommitment};
use crate::db::{self, Conn, Tx};
use crate::domain::ids::{CommitmentId, OrgId, UserId};
use crate::domain::resource::money::{Currency, parse_amount, parse_person_days};
use crate::domain::resource::{
    DEFAULT_UNDERSPENT_PERCENT, Status, check_line, check_text, check_underspent_percent, day_of, parse_date, show_date,
};
use crate::error::AppError;
use crate::journal::Change;

/// The ledger's object type for commitments.
pub const COMMITMENT: &str = "resource_commitment";

/// An organisation's settings for the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The currency a request is in when it names none.
    pub currency: Currency,
    /// The share (%) of approved money or time that must be spent by the due date.
    pub underspent_percent: i64,
}

/// The settings of `org`, or the defaults (EUR, 50%).
pub async fn settings(c: &mut Conn<'_>, org: OrgId) -> Result<Settings, AppError> {
    Ok(match db::resource::settings(c, org).await? {
        Some(row) => Settings {
            currency: Currency::parse(&row.currency).unwrap_or(Currency::EUR),
            underspent_percent: row.underspent_percent,
        },
        None => Settings { currency: Currency::EUR, underspent_percent: DEFAULT_UNDERSPENT_PERCENT },
    })
}

/// Changes `org`'s settings (administrators, by access rule).
pub async fn save_settings(ctx: &Ctx<'_>, org: OrgId, currency: &str, underspent_percent: i64) -> Result<(), AppError> {
    let currency = Currency::parse(currency)?;
    let percent = check_underspent_percent(underspent_percent)?;
    let mut tx = ctx.db.begin().await?;
    db::resource::save_settings(&mut tx.conn(), org, currency.code(), percent, ctx.now).await?;
    let row = db::resource::settings(&mut tx.conn(), org).await?.ok_or_else(|| AppError::not_found("settings"))?;
    ctx.journal.append(&mut tx, org, &ctx.actor, Change::of("update", "resource_settings", org, &row), ctx.now).await?;
    tx.commit().await?;
    Ok(())
}

/// Reads an optional amount: empty means none.
fn optional(text: &str, parse: impl FnOnce(&str) -> Result<i64, crate::domain::Invalid>) -> Result<i64, AppError> {
    if text.trim().is_empty() { Ok(0) } else { Ok(parse(text)?) }
}

/// A person named on a record must belong to the organisation.
async fn member(tx: &mut Tx, org: OrgId, user: UserId, what: &str) -> Result<db::membership::Member, AppError> {
    db::membership::get(&mut tx.conn(), org, user)
        .await?
        .ok_or_else(|| AppError::Invalid(format!("{what} (user {user}) is not a member of this organisation")))
}

/// Reads a commitment for a change; another organisation's commitment is not found.
pub(crate) async fn lock(tx: &mut Tx, org: OrgId, id: CommitmentId) -> Result<CommitmentRow, AppError> {
    db::resource::lock(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("resource commitment"))
}

/// Appends the commitment's current state to the ledger.
async fn journal(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: CommitmentId,
    action: &'static str,
) -> Result<(), AppError> {
    let row = lock(tx, org, id).await?;
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, COMMITMENT, id, &row), ctx.now).await?;
    Ok(())
}

/// Where a stored status says a commitment stands.
pub(crate) fn status_of(row: &CommitmentRow) -> Result<Status, AppError> {
    Status::parse(&row.status).map_err(|e| AppError::Internal(anyhow::anyhow!("stored commitment {}: {e}", row.id)))
}

/// A request for resources as a person gives it.
#[derive(Debug, Clone, Default)]
pub struct RequestInput {
    pub title: String,
    /// What the resources are for and why they are needed.
    pub purpose: String,
    /// The initiative they serve; may be empty when an objective is named.
    pub initiative: String,
    pub objective_id: Option<i64>,
    /// Money asked for, e.g. `40000.00`; empty for none.
    pub amount: String,
    /// ISO 4217 code; empty for the organisation's currency.
    pub currency: String,
    /// People's time asked for, e.g. `12.5`; empty for none.
    pub person_days: String,
    /// `YYYY-MM-DD`, today or later.
    pub due_on: String,
    /// Who asks; the person acting when `None`.
    pub requested_by: Option<UserId>,
}

/// Checks what a request says in words: title, purpose, and the initiative or objective it serves.
fn check_request_texts(input: &RequestInput) -> Result<(String, String, String), AppError> {
    let title = check_line(&input.title, "the title", 200)?;
    let purpose = check_text(&input.purpose, "the purpose", 4000)?;
    if purpose.is_empty() {
        return Err(AppError::Invalid("say what the resources are for (the purpose)".into()));
    }
    let initiative = check_text(&input.initiative, "the initiative", 200)?;
    match input.objective_id {
        Some(objective) if objective <= 0 => {
            return Err(AppError::Invalid(format!("objective_id {objective} is not an objective id")));
        }
        None if initiative.is_empty() => {
            return Err(AppError::Invalid("name the initiative or the objective the resources are for".into()));
        }
        _ => {}
    }
    Ok((title, purpose, initiative))
}

/// Records a request for resources by `by`.
pub async fn request(ctx: &Ctx<'_>, org: OrgId, by: UserId, input: &RequestInput) -> Result<CommitmentId, AppError> {
    let mut tx = ctx.db.begin().await?;
    let id = request_in(ctx, &mut tx, org, by, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`request`] inside the caller's transaction.
pub async fn request_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    input: &RequestInput,
) -> Result<CommitmentId, AppError> {
    let (title, purpose, initiative) = check_request_texts(input)?;
    let currency = match input.currency.trim() {
        "" => settings(&mut tx.conn(), org).await?.currency,
        code => Currency::parse(code)?,
    };
    let amount = optional(&input.amount, |t| parse_amount(t, currency, "the amount"))?;
    let days = optional(&input.person_days, |t| parse_person_days(t, "the person-days"))?;
    if amount == 0 && days == 0 {
        return Err(AppError::Invalid("ask for money, people's time or both: give an amount or person-days".into()));
    }
    let due_on = parse_date(&input.due_on, "the due date")?;
    if due_on < day_of(ctx.now) {
        return Err(AppError::Invalid(format!(
            "the due date {} is in the past; give today ({}) or a later date",
            show_date(due_on),
            show_date(day_of(ctx.now))
        )));
    }
    if let Some(objective) = input.objective_id
        && db::objective::get(&mut tx.conn(), org, crate::domain::ids::ObjectiveId(objective)).await?.is_none()
    {
        return Err(AppError::Invalid(format!("there is no objective {objective} in this organisation")));
    }
    let requested_by = input.requested_by.unwrap_or(by);
    member(tx, org, requested_by, "the requester").await?;
    let new = NewCommitment {
        title: &title,
        purpose: &purpose,
        initiative: &initiative,
        objective_id: input.objective_id,
        currency: currency.code(),
        requested_minor: amount,
        requested_days_x100: days,
        due_on,
        requested_by,
    };
    let id = db::resource::insert(&mut tx.conn(), org, &new, ctx.now).await?;
    journal(ctx, tx, org, id, "request").await?;
    Ok(id)
}
