//! Exceptions to a policy: requested by any member, decided by top management, bounded in time.

use super::Who;
use crate::context::Ctx;
use crate::db::{self, DbError, Tx};
use crate::domain::ids::{OrgId, PolicyExceptionId, PolicyId, UserId};
use crate::domain::policy_exception::{self, Decision};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Change;

#[derive(serde::Serialize)]
struct ExceptionState<'a> {
    policy_id: PolicyId,
    summary: &'a str,
    reason: &'a str,
    requested_by: UserId,
    expires_at: i64,
    status: &'a str,
    decided_by: Option<UserId>,
    decision_note: Option<&'a str>,
}

async fn record(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    policy: PolicyId,
    id: PolicyExceptionId,
    action: &'static str,
) -> Result<(), AppError> {
    let row = db::policy_exception::get(&mut tx.conn(), org, policy, id)
        .await?
        .ok_or_else(|| AppError::not_found("exception"))?;
    let state = ExceptionState {
        policy_id: policy,
        summary: &row.summary,
        reason: &row.reason,
        requested_by: row.requested_by,
        expires_at: row.expires_at,
        status: &row.status,
        decided_by: row.decided_by,
        decision_note: row.decision_note.as_deref(),
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, "policy_exception", id, &state), ctx.now).await?;
    Ok(())
}

/// Asks for an exception to a policy until `expires_at`.
pub async fn request(
    ctx: &Ctx<'_>,
    org: OrgId,
    policy: PolicyId,
    by: Who,
    summary: &str,
    reason: &str,
    expires_at: i64,
) -> Result<PolicyExceptionId, AppError> {
    let mut tx = ctx.db.begin().await?;
    let id = request_in(ctx, &mut tx, org, policy, by, summary, reason, expires_at).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`request`] inside `tx`.
#[allow(clippy::too_many_arguments)]
pub async fn request_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    policy: PolicyId,
    by: Who,
    summary: &str,
    reason: &str,
    expires_at: i64,
) -> Result<PolicyExceptionId, AppError> {
    policy_exception::check_new(summary, reason, expires_at, ctx.now)?;
    db::policy::get(&mut tx.conn(), org, policy).await?.ok_or_else(|| AppError::not_found("policy"))?;
    let id = db::policy_exception::insert(
        &mut tx.conn(),
        org,
        policy,
        summary.trim(),
        reason.trim(),
        by.user,
        expires_at,
        ctx.now,
    )
    .await?;
    record(ctx, tx, org, policy, id, "create").await?;
    Ok(id)
}

/// Approves, refuses or revokes an exception; only top management decides, and not on their own request.
pub async fn decide(
    ctx: &Ctx<'_>,
    org: OrgId,
    policy: PolicyId,
    id: PolicyExceptionId,
    by: Who,
    decision: Decision,
    note: &str,
) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    decide_in(ctx, &mut tx, org, policy, id, by, decision, note).await?;
    tx.commit().await?;
    Ok(())
}

/// [`decide`] inside `tx`.
#[allow(clippy::too_many_arguments)]
pub async fn decide_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    policy: PolicyId,
    id: PolicyExceptionId,
    by: Who,
    decision: Decision,
    note: &str,
) -> Result<(), AppError> {
    if by.role != Role::TopManagement {
        return Err(AppError::Forbidden("only top management decides on exceptions to a policy".into()));
    }
    if note.chars().count() > 2000 {
        return Err(AppError::Invalid("the decision note is longer than 2,000 characters".into()));
    }
    if decision == Decision::Refuse && note.trim().is_empty() {
        return Err(AppError::Invalid("say why the exception is refused".into()));
    }
    let row = db::policy_exception::get(&mut tx.conn(), org, policy, id)
        .await?
        .ok_or_else(|| AppError::not_found("exception"))?;
    if decision == Decision::Approve && row.requested_by == by.user {
        return Err(AppError::Invalid("an exception cannot be approved by the person who asked for it".into()));
    }
    let to = decision.apply(&row.status).map_err(AppError::Conflict)?;
    db::policy_exception::decide(&mut tx.conn(), org, id, &row.status, to, by.user, note.trim(), ctx.now)
        .await
        .map_err(|e| match e {
            DbError::Conflict => AppError::Conflict("someone else decided this exception just now; reload".into()),
            other => other.into(),
        })?;
    record(ctx, tx, org, policy, id, "decide").await
}
