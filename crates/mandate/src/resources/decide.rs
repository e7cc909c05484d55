//! Top management's decision on a requested commitment: approval (citing a meeting decision, a written
//! reference, or both) or refusal with a reason.

use super::{journal, lock, member, status_of};
use crate::context::Ctx;
use crate::db::decision::LinkTable;
use crate::db::resource::{CommitmentRow, Decision};
use crate::db::{self, DbError, Tx};
use crate::domain::ids::{CommitmentId, OrgId, UserId};
use crate::domain::resource::money::{Currency, parse_amount, parse_person_days};
use crate::domain::resource::{Step, check_line, check_text, next_status};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::meetings::links::{attach, check_decision};

/// Top management's decision on a request, as a person gives it.
#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    /// The decision this rests on in words (a meeting minute, a board resolution number); may be left empty when
    /// `decision_id` names a decision recorded in Mandate.
    pub decision_ref: String,
    /// A decision recorded in one of the organisation's meetings that the approval rests on.
    pub decision_id: Option<i64>,
    /// The member of top management who decided; the person acting when `None`.
    pub decided_by: Option<UserId>,
    /// Money approved when it differs from what was asked; empty for the requested amount.
    pub amount: String,
    /// Person-days approved when they differ from what was asked; empty for the requested time.
    pub person_days: String,
    /// Why a request was refused (required to refuse).
    pub reason: String,
}

/// Approves a requested commitment.
pub async fn approve(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: UserId,
    id: CommitmentId,
    input: &DecisionInput,
) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    decide_in(ctx, &mut tx, org, by, id, Step::Approve, input).await?;
    Ok(tx.commit().await?)
}

/// Refuses a requested commitment, with a reason.
pub async fn refuse(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: UserId,
    id: CommitmentId,
    input: &DecisionInput,
) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    decide_in(ctx, &mut tx, org, by, id, Step::Refuse, input).await?;
    Ok(tx.commit().await?)
}

/// [`approve`] (`Step::Approve`) or [`refuse`] (`Step::Refuse`) inside the caller's transaction.
pub async fn decide_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    id: CommitmentId,
    step: Step,
    input: &DecisionInput,
) -> Result<(), AppError> {
    if !matches!(step, Step::Approve | Step::Refuse) {
        return Err(AppError::Internal(anyhow::anyhow!("decide_in takes Step::Approve or Step::Refuse, not {step:?}")));
    }
    let row = lock(tx, org, id).await?;
    let status = next_status(status_of(&row)?, step).map_err(AppError::Conflict)?;
    let decided_by = input.decided_by.unwrap_or(by);
    let decider = member(tx, org, decided_by, "the person who decided").await?;
    if decider.role() != Role::TopManagement || !decider.active(ctx.now) {
        return Err(AppError::Invalid(format!(
            "{} is not an active member of top management; only top management approves or refuses resources",
            decider.email
        )));
    }
    let cited = match step {
        Step::Approve => check_decision(tx, org, input.decision_id).await?,
        _ if input.decision_id.is_some() => {
            return Err(AppError::Invalid(
                "only an approval cites a meeting decision (decision_id); give a refusal's decision as text".into(),
            ));
        }
        _ => None,
    };
    let unwritten = input.decision_ref.trim().is_empty();
    let decision_ref = match (unwritten, cited) {
        (true, Some(_)) => String::new(),
        (true, None) if step == Step::Approve => {
            return Err(AppError::Invalid(
                "give the decision this approval rests on: choose a meeting decision or write its reference \
                 (minutes, resolution number)"
                    .into(),
            ));
        }
        _ => check_line(&input.decision_ref, "the decision reference", 200)?,
    };
    let reason = check_text(&input.reason, "the reason", 4000)?;
    let (approved_minor, approved_days) = match step {
        Step::Approve => approved_amounts(&row, input).map(|(m, d)| (Some(m), Some(d)))?,
        _ if reason.is_empty() => {
            return Err(AppError::Invalid("give the reason for refusing the request".into()));
        }
        _ => (None, None),
    };
    let decision = Decision {
        status: status.as_str(),
        approved_minor,
        approved_days_x100: approved_days,
        decided_by,
        decision_ref: &decision_ref,
        refusal_reason: (step == Step::Refuse).then_some(reason.as_str()),
    };
    db::resource::decide(&mut tx.conn(), org, id, &decision, ctx.now).await.map_err(|e| match e {
        DbError::Conflict => AppError::Conflict("this commitment was decided a moment ago; reload it".into()),
        other => other.into(),
    })?;
    attach(tx, org, LinkTable::ResourceCommitment, id.0, cited).await?;
    journal(ctx, tx, org, id, if step == Step::Approve { "approve" } else { "refuse" }).await
}

/// What an approval grants: the amounts given, or those requested where none is given; never nothing.
fn approved_amounts(row: &CommitmentRow, input: &DecisionInput) -> Result<(i64, i64), AppError> {
    let currency = Currency::parse(&row.currency)?;
    let amount = match input.amount.trim() {
        "" => row.requested_minor,
        text => parse_amount(text, currency, "the approved amount")?,
    };
    let days = match input.person_days.trim() {
        "" => row.requested_days_x100,
        text => parse_person_days(text, "the approved person-days")?,
    };
    if amount == 0 && days == 0 {
        return Err(AppError::Invalid("nothing would be approved; refuse the request instead".into()));
    }
    Ok((amount, days))
}
