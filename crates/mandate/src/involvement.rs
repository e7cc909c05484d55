//! Logging what a top manager did in person (ISO/IEC 27001 5.1). One operation, one transaction with its ledger
//! event. Entries are not changed or deleted afterwards: the log is evidence, and the ledger would keep a deleted
//! entry anyway; a wrong entry is put right by a new one whose notes say so.

use crate::context::Ctx;
use crate::db::involvement::{InvolvementRow, NewInvolvement};
use crate::db::{self, Tx};
use crate::domain::ids::{InvolvementId, OrgId, UserId};
use crate::domain::involvement::{self as rules, Kind, NOTES_MAX, PLACE_MAX};
use crate::domain::objective::check_text;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Change;

/// The ledger's object type for entries.
pub const INVOLVEMENT: &str = "involvement";

/// An entry as a person describes it.
#[derive(Debug, Clone)]
pub struct InvolvementInput {
    pub manager: UserId,
    pub kind: Kind,
    pub occurred_on: crate::clock::UnixTime,
    pub place: String,
    pub notes: String,
    /// The record it belongs to: (record type, id).
    pub record: Option<(String, i64)>,
}

/// Who logs the entry.
#[derive(Debug, Clone, Copy)]
pub struct Recorder {
    pub user: UserId,
    pub role: Role,
}

#[derive(serde::Serialize)]
struct InvolvementState<'a> {
    manager_id: UserId,
    kind: &'a str,
    occurred_on: i64,
    place: &'a str,
    notes: &'a str,
    record_type: Option<&'a str>,
    record_id: Option<i64>,
    recorded_by: UserId,
}

async fn check(
    tx: &mut Tx,
    org: OrgId,
    by: Recorder,
    input: &InvolvementInput,
    now: i64,
) -> Result<NewInvolvement, AppError> {
    let manager = db::membership::get(&mut tx.conn(), org, input.manager).await?;
    let manager = match manager {
        Some(m) if m.active(now) => m,
        _ => {
            return Err(AppError::Invalid(format!(
                "the manager (user {}) is not an active member of this organisation",
                input.manager
            )));
        }
    };
    rules::check_subject(manager.role(), &manager.email)?;
    if !rules::may_record(by.role, by.user, input.manager) {
        return Err(AppError::Forbidden(
            "top managers log their own involvement; the ISMS manager logs it on a manager's behalf".into(),
        ));
    }
    if let Some((record_type, record_id)) = &input.record {
        match db::records::exists(&mut tx.conn(), org, record_type, *record_id).await? {
            None => {
                return Err(AppError::Invalid(format!(
                    "unknown record type '{record_type}'; use one of {}",
                    db::records::record_types().join(", ")
                )));
            }
            Some(false) => {
                return Err(AppError::Invalid(format!("there is no {record_type} {record_id} in this organisation")));
            }
            Some(true) => {}
        }
    }
    Ok(NewInvolvement {
        manager_id: input.manager,
        kind: input.kind.as_str(),
        occurred_on: rules::check_day(input.occurred_on, now)?,
        place: check_text(&input.place, "the place", PLACE_MAX, false)?,
        notes: check_text(&input.notes, "the notes", NOTES_MAX, false)?,
        record: input.record.clone(),
    })
}

/// Logs an entry in `org` inside `tx`.
pub async fn record_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: Recorder,
    input: &InvolvementInput,
) -> Result<InvolvementRow, AppError> {
    let new = check(tx, org, by, input, ctx.now).await?;
    let id = db::involvement::insert(&mut tx.conn(), org, &new, by.user, ctx.now).await?;
    let state = InvolvementState {
        manager_id: new.manager_id,
        kind: new.kind,
        occurred_on: new.occurred_on,
        place: &new.place,
        notes: &new.notes,
        record_type: new.record.as_ref().map(|r| r.0.as_str()),
        record_id: new.record.as_ref().map(|r| r.1),
        recorded_by: by.user,
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("create", INVOLVEMENT, id, &state), ctx.now).await?;
    load(tx, org, id).await
}

/// Logs an entry in `org`.
pub async fn record(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: Recorder,
    input: &InvolvementInput,
) -> Result<InvolvementRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = record_in(ctx, &mut tx, org, by, input).await?;
    tx.commit().await?;
    Ok(row)
}

async fn load(tx: &mut Tx, org: OrgId, id: InvolvementId) -> Result<InvolvementRow, AppError> {
    db::involvement::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("involvement"))
}
