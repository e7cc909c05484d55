//! Links from leadership records to the decision they rest on: a resource approval, an appointment, a policy
//! version's approval. The record's own operation checks the decision with [`check_decision`] and writes the link
//! with [`attach`] in its transaction; [`link`] adds a link to an existing record with its own ledger event.

use crate::context::Ctx;
use crate::db::decision::LinkTable;
use crate::db::{self, Tx};
use crate::domain::ids::{DecisionId, OrgId};
use crate::error::AppError;
use crate::journal::Change;

/// Checks that `decision`, when given, is a decision of `org`; 422 otherwise.
pub async fn check_decision(tx: &mut Tx, org: OrgId, decision: Option<i64>) -> Result<Option<DecisionId>, AppError> {
    let Some(id) = decision else { return Ok(None) };
    match db::decision::get(&mut tx.conn(), org, DecisionId(id)).await? {
        Some(_) => Ok(Some(DecisionId(id))),
        None => Err(AppError::Invalid(format!(
            "there is no decision {id} in this organisation; give the number of a decision recorded in one of its \
             meetings, or leave it out"
        ))),
    }
}

/// Writes that row `id` of `table` rests on `decision` (already checked), inside the caller's transaction.
pub async fn attach(
    tx: &mut Tx,
    org: OrgId,
    table: LinkTable,
    id: i64,
    decision: Option<DecisionId>,
) -> Result<(), AppError> {
    if let Some(decision) = decision {
        db::decision::set_link(&mut tx.conn(), org, table, id, decision).await?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct LinkState {
    decision_id: DecisionId,
}

/// Links an existing record to `decision` inside `tx`, with a `link_decision` ledger event on the record.
pub async fn link_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    table: LinkTable,
    id: i64,
    decision: DecisionId,
) -> Result<(), AppError> {
    check_decision(tx, org, Some(decision.0)).await?;
    db::decision::set_link(&mut tx.conn(), org, table, id, decision).await?;
    let object_type = match table {
        LinkTable::ResourceCommitment => "resource_commitment",
        LinkTable::Appointment => "appointment",
        LinkTable::PolicyVersion => "policy_version",
    };
    let change = Change::of("link_decision", object_type, id, &LinkState { decision_id: decision });
    ctx.journal.append(tx, org, &ctx.actor, change, ctx.now).await?;
    Ok(())
}
