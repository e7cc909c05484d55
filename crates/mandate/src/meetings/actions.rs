//! Actions arising from a meeting or one of its decisions: recorded with an owner and a due date, then closed as
//! done (with a note) or cancelled (with a reason) by the owner, the ISMS manager or an administrator.

use super::{check_member, load};
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::meeting_action::{ActionRow, NewAction};
use crate::db::{self, DbError, Tx};
use crate::domain::ids::{ActionId, DecisionId, MeetingId, OrgId, UserId};
use crate::domain::meeting::{self as rules, ActionStatus, CloseRefusal};
use crate::domain::objective::{Acting, check_text, day_of};
use crate::error::AppError;
use crate::journal::Change;

/// An action as a person records it.
#[derive(Debug, Clone)]
pub struct ActionInput {
    pub decision: Option<DecisionId>,
    pub title: String,
    pub owner: UserId,
    pub due_on: UnixTime,
}

#[derive(serde::Serialize)]
struct ActionState<'a> {
    meeting_id: Option<MeetingId>,
    decision_id: Option<DecisionId>,
    // Left out when the action comes from a meeting, so those actions hash as they always did.
    #[serde(skip_serializing_if = "Option::is_none")]
    finding_detector: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    finding_subject: Option<&'a str>,
    title: &'a str,
    owner_id: UserId,
    due_on: UnixTime,
    status: &'a str,
    completion_note: &'a str,
    cancel_reason: Option<&'a str>,
    closed_by: Option<UserId>,
    closed_at: Option<UnixTime>,
    recorded_by: UserId,
}

fn state_of(row: &ActionRow) -> ActionState<'_> {
    ActionState {
        meeting_id: row.meeting_id,
        decision_id: row.decision_id,
        finding_detector: row.finding_detector.as_deref(),
        finding_subject: row.finding_subject.as_deref(),
        title: &row.title,
        owner_id: row.owner_id,
        due_on: row.due_on,
        status: &row.status,
        completion_note: &row.completion_note,
        cancel_reason: row.cancel_reason.as_deref(),
        closed_by: row.closed_by,
        closed_at: row.closed_at,
        recorded_by: row.recorded_by,
    }
}

/// Checks an action of meeting `meeting` and writes it inside `tx` without its ledger event.
pub async fn record_action(
    tx: &mut Tx,
    org: OrgId,
    meeting: MeetingId,
    by: UserId,
    input: &ActionInput,
    now: UnixTime,
) -> Result<(ActionId, Change), AppError> {
    let row = load(tx, org, meeting).await?;
    if db::management_review::meeting_locked(&mut tx.conn(), org, meeting).await? {
        return Err(AppError::Conflict(
            "this meeting holds a closed management review, whose records are locked".into(),
        ));
    }
    let title = check_text(&input.title, "the action", rules::TITLE_MAX, true)?;
    let due_on = day_of(input.due_on);
    if due_on < row.held_on {
        return Err(AppError::Invalid("the due date must not be before the meeting the action came from".into()));
    }
    if let Some(decision) = input.decision {
        let found = db::decision::get(&mut tx.conn(), org, decision).await?;
        if found.is_none_or(|d| d.meeting_id != meeting) {
            return Err(AppError::Invalid(format!(
                "decision {decision} was not taken in this meeting; choose one of its decisions, or none"
            )));
        }
    }
    check_member(tx, org, input.owner, "owner of the action", now, false).await?;
    let new = NewAction {
        meeting_id: Some(meeting),
        decision_id: input.decision,
        finding: None,
        title: &title,
        owner_id: input.owner,
        due_on,
        recorded_by: by,
    };
    let id = db::meeting_action::insert(&mut tx.conn(), org, &new, now).await?;
    let row = load_action(tx, org, id).await?;
    Ok((id, Change::of("create", "action", id, &state_of(&row))))
}

/// An action made from a finding of `detector` about `subject`, as a person asks for it.
#[derive(Debug, Clone)]
pub struct FindingActionInput<'a> {
    pub detector: &'a str,
    pub subject: &'a str,
    pub title: String,
    pub owner: UserId,
    pub due_on: UnixTime,
}

/// Checks an action made from a finding and writes it inside `tx` without its ledger event. It has no meeting;
/// its due date must not be before today.
pub async fn record_finding_action(
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    input: &FindingActionInput<'_>,
    now: UnixTime,
) -> Result<(ActionRow, Change), AppError> {
    let title = check_text(&input.title, "the action", rules::TITLE_MAX, true)?;
    let due_on = day_of(input.due_on);
    if due_on < day_of(now) {
        return Err(AppError::Invalid("the due date must not be in the past".into()));
    }
    check_member(tx, org, input.owner, "owner of the action", now, false).await?;
    let new = NewAction {
        meeting_id: None,
        decision_id: None,
        finding: Some((input.detector, input.subject)),
        title: &title,
        owner_id: input.owner,
        due_on,
        recorded_by: by,
    };
    let id = db::meeting_action::insert(&mut tx.conn(), org, &new, now).await?;
    let row = load_action(tx, org, id).await?;
    let change = Change::of("create", "action", id, &state_of(&row));
    Ok((row, change))
}

/// Records an action of meeting `meeting` of `org`, as `by`, with its ledger event.
pub async fn add(
    ctx: &Ctx<'_>,
    org: OrgId,
    meeting: MeetingId,
    by: UserId,
    input: &ActionInput,
) -> Result<ActionId, AppError> {
    let mut tx = ctx.db.begin().await?;
    let (id, change) = record_action(&mut tx, org, meeting, by, input, ctx.now).await?;
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Action `id` of `org` inside `tx`.
pub async fn load_action(tx: &mut Tx, org: OrgId, id: ActionId) -> Result<ActionRow, AppError> {
    db::meeting_action::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("action"))
}

/// How an open action is closed.
#[derive(Debug, Clone)]
pub enum Closing {
    /// Done, with what was done (may be empty).
    Done { note: String },
    /// Cancelled, with the reason.
    Cancelled { reason: String },
}

/// Closes action `id` inside `tx` without its ledger event: only its owner, the ISMS manager or an administrator
/// may (403), only while it is open (409); records who closed it and when.
pub async fn record_close(
    tx: &mut Tx,
    org: OrgId,
    id: ActionId,
    acting: Acting,
    closing: &Closing,
    now: UnixTime,
) -> Result<(ActionRow, Change), AppError> {
    let row = load_action(tx, org, id).await?;
    if !rules::may_close(acting.role, acting.user, row.owner_id) {
        return Err(AppError::Forbidden(format!(
            "only {} (the owner), the ISMS manager or an administrator may close this action",
            row.owner_name
        )));
    }
    let status = ActionStatus::parse(&row.status)?;
    let (to, note, reason) = match closing {
        Closing::Done { note } => {
            (ActionStatus::Done, check_text(note, "the completion note", rules::TEXT_MAX, false)?, None)
        }
        Closing::Cancelled { reason } => {
            (ActionStatus::Cancelled, String::new(), Some(check_text(reason, "the reason", rules::TEXT_MAX, false)?))
        }
    };
    rules::check_close(status, reason.as_deref()).map_err(|refusal| match refusal {
        CloseRefusal::Invalid(message) => AppError::Invalid(message),
        CloseRefusal::State(message) => AppError::Conflict(message),
    })?;
    db::meeting_action::close(&mut tx.conn(), org, id, to.as_str(), &note, reason.as_deref(), acting.user, now)
        .await
        .map_err(|e| match e {
        DbError::Conflict => AppError::Conflict("this action was closed a moment ago; reload it".into()),
        other => other.into(),
    })?;
    let row = load_action(tx, org, id).await?;
    let action = if to == ActionStatus::Done { "complete" } else { "cancel" };
    let change = Change::of(action, "action", id, &state_of(&row));
    Ok((row, change))
}

/// Closes action `id` of `org` as `acting`, with its ledger event.
pub async fn close(
    ctx: &Ctx<'_>,
    org: OrgId,
    id: ActionId,
    acting: Acting,
    closing: &Closing,
) -> Result<ActionRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let (row, change) = record_close(&mut tx, org, id, acting, closing, ctx.now).await?;
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    tx.commit().await?;
    Ok(row)
}
