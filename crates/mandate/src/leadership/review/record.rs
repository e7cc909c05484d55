//! What is recorded during a review: the discussion notes of each input, the attendance, and the outputs —
//! decisions of a kind (improvement, change to the ISMS, resource need) with their actions, written to the
//! review's meeting so My tasks and follow-through see them like any other.

use super::{check_state, load};
use crate::context::Ctx;
use crate::db;
use crate::domain::ids::{DecisionId, OrgId, UserId};
use crate::domain::leadership::review::{InputKey, NOTES_MAX, OutputKind, ReviewStatus, covered};
use crate::domain::meeting::Presence;
use crate::domain::objective::check_text;
use crate::error::AppError;
use crate::journal::Change;
use crate::meetings::actions::ActionInput;
use crate::meetings::decisions::DecisionInput;

const WRITABLE: &[ReviewStatus] = &[ReviewStatus::Open, ReviewStatus::Complete];

/// An input's notes as the ledger hashes them.
#[derive(serde::Serialize)]
pub(crate) struct NotesState<'a> {
    pub(crate) review_id: i64,
    pub(crate) key: &'a str,
    pub(crate) notes: &'a str,
    pub(crate) covered: bool,
    pub(crate) recorded_by: UserId,
}

/// Writes the discussion notes of input `key` of review `id`. A complete review keeps every required input
/// covered, so its notes may change but not be emptied.
pub async fn set_notes(ctx: &Ctx<'_>, org: OrgId, id: i64, key: &str, notes: &str, by: UserId) -> Result<(), AppError> {
    let key = InputKey::parse(key)?;
    let notes = check_text(notes, "the notes", NOTES_MAX, false)?;
    let mut tx = ctx.db.begin().await?;
    let row = load(&mut tx, org, id).await?;
    let status = check_state(&row, WRITABLE, "changing its notes")?;
    let is_covered = covered(&notes);
    if status == ReviewStatus::Complete && key.required() && !is_covered {
        return Err(AppError::Conflict("the review is complete, so its inputs' notes cannot be emptied".into()));
    }
    db::management_review::set_notes(&mut tx.conn(), org, id, key.as_str(), &notes, is_covered, by).await.map_err(
        |e| match e {
            db::DbError::NotFound => AppError::not_found("review input"),
            other => other.into(),
        },
    )?;
    let state = NotesState { review_id: id, key: key.as_str(), notes: &notes, covered: is_covered, recorded_by: by };
    let change = Change::of("update", "review_input", format!("{id}:{}", key.as_str()), &state);
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    tx.commit().await?;
    Ok(())
}

/// Records who attended review `id` (replacing what was recorded). A complete review keeps a top manager present.
pub async fn set_attendance(
    ctx: &Ctx<'_>,
    org: OrgId,
    id: i64,
    attendance: &[(UserId, Presence)],
) -> Result<(), AppError> {
    let most = crate::domain::meeting::ATTENDEES_MAX;
    if attendance.len() > most {
        return Err(AppError::Invalid(format!(
            "a review lists at most {most} attendees; {} were sent",
            attendance.len()
        )));
    }
    let mut tx = ctx.db.begin().await?;
    let row = load(&mut tx, org, id).await?;
    let status = check_state(&row, WRITABLE, "changing its attendance")?;
    let meeting = row.meeting_id.ok_or_else(|| AppError::Conflict("the review is not open yet".into()))?;
    let mut list: Vec<(UserId, &str)> = Vec::with_capacity(attendance.len());
    for (user, presence) in attendance {
        if list.iter().any(|(u, _)| u == user) {
            return Err(AppError::Invalid(format!("user {user} is listed twice in the attendance")));
        }
        crate::meetings::check_member(&mut tx, org, *user, "attendee", ctx.now, true).await?;
        list.push((*user, presence.as_str()));
    }
    db::management_review::set_attendance(&mut tx.conn(), org, meeting, &list).await?;
    if status == ReviewStatus::Complete
        && !db::management_review::top_manager_present(&mut tx.conn(), org, meeting).await?
    {
        return Err(AppError::Conflict(
            "the review is complete, so at least one top manager must stay recorded as present".into(),
        ));
    }
    let change = Change::of("attendance", "management_review", id, &list);
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    tx.commit().await?;
    Ok(())
}

/// An action arising from a review decision.
#[derive(Debug, Clone)]
pub struct OutputAction {
    pub title: String,
    pub owner: UserId,
    pub due_on: i64,
}

/// A decision of a review with its actions.
#[derive(Debug, Clone)]
pub struct OutputInput {
    pub kind: OutputKind,
    pub text: String,
    pub decided_by: UserId,
    pub actions: Vec<OutputAction>,
}

/// Records a decision of review `id` with its actions; returns the decision.
pub async fn add_output(
    ctx: &Ctx<'_>,
    org: OrgId,
    id: i64,
    by: UserId,
    input: &OutputInput,
) -> Result<DecisionId, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = load(&mut tx, org, id).await?;
    check_state(&row, WRITABLE, "recording decisions")?;
    let meeting = row.meeting_id.ok_or_else(|| AppError::Conflict("the review is not open yet".into()))?;
    let decision = DecisionInput {
        agenda_item: None,
        text: input.text.clone(),
        decided_by: input.decided_by,
        topic: input.kind.topic(),
    };
    let (decision_id, change) =
        crate::meetings::decisions::record_decision(&mut tx, org, meeting, by, &decision, ctx.now).await?;
    db::management_review::insert_output(&mut tx.conn(), org, id, decision_id, input.kind.as_str()).await?;
    let mut changes = vec![change, Change::of("create", "review_output", decision_id, &(id, input.kind.as_str()))];
    for a in &input.actions {
        let action =
            ActionInput { decision: Some(decision_id), title: a.title.clone(), owner: a.owner, due_on: a.due_on };
        let (_, change) = crate::meetings::actions::record_action(&mut tx, org, meeting, by, &action, ctx.now).await?;
        changes.push(change);
    }
    for change in changes {
        ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    }
    tx.commit().await?;
    Ok(decision_id)
}
