//! Recording a decision taken in a meeting: what was decided, by whom (usually top management), on which topic,
//! and who wrote it down.

use super::{check_member, load};
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::decision::NewDecision;
use crate::db::{self, Tx};
use crate::domain::ids::{AgendaItemId, DecisionId, MeetingId, OrgId, UserId};
use crate::domain::meeting::{self as rules, Topic};
use crate::domain::objective::check_text;
use crate::error::AppError;
use crate::journal::Change;

/// A decision as a person records it.
#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub agenda_item: Option<AgendaItemId>,
    pub text: String,
    pub decided_by: UserId,
    pub topic: Topic,
}

#[derive(serde::Serialize)]
struct DecisionState<'a> {
    meeting_id: MeetingId,
    agenda_item_id: Option<AgendaItemId>,
    text: &'a str,
    decided_by: UserId,
    topic: &'a str,
    decided_on: UnixTime,
    recorded_by: UserId,
}

/// Checks a decision of meeting `meeting` and writes it inside `tx` without its ledger event.
pub async fn record_decision(
    tx: &mut Tx,
    org: OrgId,
    meeting: MeetingId,
    by: UserId,
    input: &DecisionInput,
    now: UnixTime,
) -> Result<(DecisionId, Change), AppError> {
    let row = load(tx, org, meeting).await?;
    if db::management_review::meeting_locked(&mut tx.conn(), org, meeting).await? {
        return Err(AppError::Conflict(
            "this meeting holds a closed management review, whose records are locked".into(),
        ));
    }
    let text = check_text(&input.text, "the decision", rules::TEXT_MAX, true)?;
    if let Some(item) = input.agenda_item {
        let agenda = db::meeting::agenda(&mut tx.conn(), org, meeting).await?;
        if !agenda.iter().any(|i| i.id == item) {
            return Err(AppError::Invalid(format!(
                "agenda item {item} is not on this meeting's agenda; choose one of its items, or none"
            )));
        }
    }
    check_member(tx, org, input.decided_by, "person who decided", now, false).await?;
    let new = NewDecision {
        meeting_id: meeting,
        agenda_item_id: input.agenda_item,
        text: &text,
        decided_by: input.decided_by,
        topic: input.topic.as_str(),
        decided_on: row.held_on,
        recorded_by: by,
    };
    let id = db::decision::insert(&mut tx.conn(), org, &new, now).await?;
    let state = DecisionState {
        meeting_id: meeting,
        agenda_item_id: input.agenda_item,
        text: &text,
        decided_by: input.decided_by,
        topic: new.topic,
        decided_on: row.held_on,
        recorded_by: by,
    };
    Ok((id, Change::of("create", "decision", id, &state)))
}

/// Records a decision of meeting `meeting` of `org`, as `by`, with its ledger event.
pub async fn add(
    ctx: &Ctx<'_>,
    org: OrgId,
    meeting: MeetingId,
    by: UserId,
    input: &DecisionInput,
) -> Result<DecisionId, AppError> {
    let mut tx = ctx.db.begin().await?;
    let (id, change) = record_decision(&mut tx, org, meeting, by, input, ctx.now).await?;
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    tx.commit().await?;
    Ok(id)
}
