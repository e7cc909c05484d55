//! The façade detectors' findings as people work with them: the current ones (every detector's findings minus the
//! dismissed ones, each with the action made from it), dismissing one with a reason, withdrawing a dismissal, and
//! turning one into a tracked action. Each change is one transaction with its ledger event.

use super::detectors::run_all;
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::finding_dismissal::DismissalRow;
use crate::db::meeting_action::ActionRow;
use crate::db::{self, Conn, DbError};
use crate::domain::ids::{OrgId, UserId};
use crate::domain::leadership::{Detector, Finding};
use crate::domain::objective::check_text;
use crate::domain::resource::DAY;
use crate::error::AppError;
use crate::journal::Change;
use crate::meetings::actions::{FindingActionInput, record_finding_action};

/// How long an action made from a finding has unless someone gives a due date: thirty days.
pub const DEFAULT_ACTION_DAYS: i64 = 30;
/// The longest reason for a dismissal.
pub const REASON_MAX: usize = 2_000;

/// The action a finding was turned into, and where it stands.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LinkedAction {
    pub id: i64,
    /// open, done or cancelled.
    pub status: String,
}

/// A finding with the action made from it, if any.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Tracked {
    #[serde(flatten)]
    pub finding: Finding,
    pub action: Option<LinkedAction>,
}

/// A finding someone dismissed, with who, when and why.
#[derive(Debug, Clone)]
pub struct Dismissed {
    pub finding: Finding,
    pub dismissal: DismissalRow,
}

/// The findings of an organisation on a day.
#[derive(Debug, Clone, Default)]
pub struct Current {
    /// Findings not dismissed.
    pub open: Vec<Tracked>,
    /// Findings dismissed while their condition still holds.
    pub dismissed: Vec<Dismissed>,
}

/// `org`'s findings at `now`: every detector's, the dismissed ones apart, each with the latest action made from it.
pub async fn current(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Current, AppError> {
    let findings = run_all(c, org, now).await?;
    let mut dismissals = db::finding_dismissal::list(c, org).await?;
    let actions = db::meeting_action::from_findings(c, org).await?;
    let mut out = Current::default();
    for finding in findings {
        let key = (finding.detector.as_str(), finding.subject.as_str());
        if let Some(i) = dismissals.iter().position(|d| (d.detector.as_str(), d.subject.as_str()) == key) {
            out.dismissed.push(Dismissed { finding, dismissal: dismissals.swap_remove(i) });
            continue;
        }
        let action = actions
            .iter()
            .find(|a| (a.detector.as_str(), a.subject.as_str()) == key)
            .map(|a| LinkedAction { id: a.id.0, status: a.status.clone() });
        out.open.push(Tracked { finding, action });
    }
    Ok(out)
}

/// The finding of `detector` about `subject` that `org` has at `now`; 404 when there is none (it may have
/// cleared, or belong to another organisation).
async fn find(c: &mut Conn<'_>, org: OrgId, detector: &str, subject: &str, now: UnixTime) -> Result<Finding, AppError> {
    let detector = Detector::parse(detector)?;
    run_all(c, org, now)
        .await?
        .into_iter()
        .find(|f| f.detector == detector && f.subject == subject.trim())
        .ok_or_else(|| AppError::NotFound("no such finding here now; it may have cleared — reload the findings".into()))
}

/// `text` cut to at most `max` characters, ending in "…" when cut (suggested titles quote other records' titles,
/// which may be as long as an action's title may be).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[derive(serde::Serialize)]
struct DismissalState<'a> {
    detector: &'a str,
    subject: &'a str,
    reason: &'a str,
    dismissed_by: UserId,
    dismissed_at: UnixTime,
}

/// Dismisses finding (`detector`, `subject`) of `org` as `by`, with a reason (422 without one). 404 when `org`
/// has no such finding now, 409 when it is already dismissed.
pub async fn dismiss(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: UserId,
    detector: &str,
    subject: &str,
    reason: &str,
) -> Result<DismissalRow, AppError> {
    let reason = check_text(reason, "a reason for dismissing the finding", REASON_MAX, true)?;
    // The detectors run on a read connection: a check never holds up the organisation's writers.
    let finding = find(&mut ctx.db.read().await?.conn(), org, detector, subject, ctx.now).await?;
    let mut tx = ctx.db.begin().await?;
    let (detector, subject) = (finding.detector.as_str(), finding.subject.as_str());
    let id = db::finding_dismissal::insert(&mut tx.conn(), org, detector, subject, &reason, by, ctx.now)
        .await
        .map_err(|e| match e {
            DbError::Conflict => AppError::Conflict("this finding is already dismissed".into()),
            other => other.into(),
        })?;
    let state = DismissalState { detector, subject, reason: &reason, dismissed_by: by, dismissed_at: ctx.now };
    let change = Change::of("create", "finding_dismissal", id, &state);
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    let row =
        db::finding_dismissal::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("dismissal"))?;
    tx.commit().await?;
    Ok(row)
}

#[derive(serde::Serialize)]
struct WithdrawalState<'a> {
    detector: &'a str,
    subject: &'a str,
    reason: &'a str,
    dismissed_by: UserId,
    dismissed_at: UnixTime,
    withdrawn_by: UserId,
    withdrawn_at: UnixTime,
}

/// Withdraws the dismissal of (`detector`, `subject`) in `org` as `by`: the finding is current again while its
/// condition holds. The row is deleted and the ledger event keeps what the dismissal said and who withdrew it.
/// 404 when `org` has no such dismissal; 422 for an unknown detector.
pub async fn withdraw(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: UserId,
    detector: &str,
    subject: &str,
) -> Result<DismissalRow, AppError> {
    let detector = Detector::parse(detector)?;
    let mut tx = ctx.db.begin().await?;
    let row = db::finding_dismissal::find(&mut tx.conn(), org, detector.as_str(), subject.trim())
        .await?
        .ok_or_else(|| AppError::NotFound("this finding is not dismissed here; reload the findings".into()))?;
    db::finding_dismissal::delete(&mut tx.conn(), org, row.id).await?;
    let state = WithdrawalState {
        detector: &row.detector,
        subject: &row.subject,
        reason: &row.reason,
        dismissed_by: row.dismissed_by,
        dismissed_at: row.dismissed_at,
        withdrawn_by: by,
        withdrawn_at: ctx.now,
    };
    let change = Change::of("delete", "finding_dismissal", row.id, &state);
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    tx.commit().await?;
    Ok(row)
}

/// Turns finding (`detector`, `subject`) of `org` into an action recorded by `by`: titled as the finding
/// suggests, owned by `owner`, else the suggested owner, else `by` themselves; due on `due_on` or in
/// [`DEFAULT_ACTION_DAYS`]. 404 when `org` has no such finding now; 409 when it is dismissed or an open action was
/// already made from it.
pub async fn act(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: UserId,
    detector: &str,
    subject: &str,
    owner: Option<UserId>,
    due_on: Option<UnixTime>,
) -> Result<ActionRow, AppError> {
    let finding = find(&mut ctx.db.read().await?.conn(), org, detector, subject, ctx.now).await?;
    let (detector, subject) = (finding.detector.as_str(), finding.subject.as_str());
    let mut tx = ctx.db.begin().await?;
    if db::finding_dismissal::find(&mut tx.conn(), org, detector, subject).await?.is_some() {
        return Err(AppError::Conflict(
            "this finding is dismissed; withdraw the dismissal before making an action from it".into(),
        ));
    }
    let made = db::meeting_action::from_findings(&mut tx.conn(), org).await?;
    if let Some(open) = made.iter().find(|a| a.detector == detector && a.subject == subject && a.status == "open") {
        return Err(AppError::Conflict(format!("action {} was already made from this finding", open.id)));
    }
    let owner = owner.or(finding.suggested_owner).unwrap_or(by);
    let input = FindingActionInput {
        detector,
        subject,
        title: shorten(&finding.suggested_action, crate::domain::meeting::TITLE_MAX),
        owner,
        due_on: due_on.unwrap_or(ctx.now + DEFAULT_ACTION_DAYS * DAY),
    };
    let (row, change) = record_finding_action(&mut tx, org, by, &input, ctx.now).await?;
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    tx.commit().await?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    #[test]
    fn shorten_keeps_short_text_and_cuts_long_text_to_the_limit() {
        assert_eq!(super::shorten("Review the policy", 200), "Review the policy");
        let cut = super::shorten(&"é".repeat(250), 200);
        assert_eq!((cut.chars().count(), cut.ends_with('…')), (200, true));
    }
}
