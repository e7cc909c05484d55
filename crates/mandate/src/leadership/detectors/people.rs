//! Detectors about top managers themselves: their actions overdue, no personal involvement in the window, and
//! training they were enrolled in and did not complete (NIS2 Art. 20(2)).

use crate::clock::UnixTime;
use crate::db::detector::{Manager, MissedTraining, OverdueAction, missed_training, overdue_top_actions};
use crate::db::{Conn, DbError};
use crate::domain::ids::{OrgId, UserId};
use crate::domain::leadership::{Detector, Finding, RecordRef};
use crate::domain::objective::date_text;
use crate::domain::resource::DAY;

/// How far back a top manager's personal involvement (an audit joined, a workplace visit, an improvement led …)
/// still counts: a quarter. A manager with nothing logged in that time is not visibly involved.
pub const INVOLVEMENT_WINDOW_DAYS: i64 = 90;

/// Groups rows by person, keeping the order of the query (which sorts by person).
fn by_person<T>(rows: Vec<T>, who: impl Fn(&T) -> UserId) -> Vec<(UserId, Vec<T>)> {
    let mut groups: Vec<(UserId, Vec<T>)> = Vec::new();
    for row in rows {
        let user = who(&row);
        match groups.last_mut() {
            Some((last, group)) if *last == user => group.push(row),
            _ => groups.push((user, vec![row])),
        }
    }
    groups
}

/// One finding per top manager with open actions past their due day.
pub async fn overdue_actions(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, DbError> {
    let rows = overdue_top_actions(c, org, now).await?;
    Ok(by_person(rows, |a| a.owner_id)
        .into_iter()
        .map(|(owner, actions)| overdue_finding(owner, &actions, now))
        .collect())
}

fn overdue_finding(owner: UserId, actions: &[OverdueAction], now: UnixTime) -> Finding {
    let name = &actions[0].owner_name;
    let oldest = actions.iter().map(|a| a.due_on).min().unwrap_or(now);
    let days = (now - oldest) / DAY;
    Finding {
        detector: Detector::ManagementActionsOverdue,
        // The oldest overdue action with the manager: a dismissal lasts while that action stays the oldest.
        subject: format!("user:{owner}:action:{}", actions[0].id),
        manager: Some(owner),
        title: format!("{name}: {} action(s) overdue, the oldest by {days} days", actions.len()),
        explanation: format!(
            "{name} owns actions from management decisions that are past their due date. An auditor reads decisions \
             whose actions are not carried out as improvement that is only promised. Complete them, or cancel \
             them with a reason or agree a new date in a management meeting."
        ),
        records: actions
            .iter()
            .map(|a| RecordRef {
                record_type: "action",
                id: a.id,
                label: format!("{} (due {})", a.title, date_text(a.due_on)),
            })
            .collect(),
        suggested_action: format!("Close or re-plan {name}'s overdue actions"),
        suggested_owner: Some(owner),
        since: oldest + DAY,
    }
}

/// One finding per top manager with no involvement entry in the last [`INVOLVEMENT_WINDOW_DAYS`].
pub fn no_involvement(managers: &[Manager], now: UnixTime) -> Vec<Finding> {
    let from = now - INVOLVEMENT_WINDOW_DAYS * DAY;
    managers
        .iter()
        .filter(|m| m.last_involved_on.is_none_or(|on| on < from))
        .map(|m| {
            let last = m.last_involved_on.map_or("nothing was ever logged".to_string(), |on| {
                format!("the latest entry is from {}", date_text(on))
            });
            Finding {
                detector: Detector::NoPersonalInvolvement,
                // With the latest entry's date, so a dismissal lapses once something new is logged.
                subject: format!("user:{}:last:{}", m.user_id, m.last_involved_on.map_or(0, |on| on)),
                manager: Some(m.user_id),
                title: format!("{}: no personal involvement in {INVOLVEMENT_WINDOW_DAYS} days", m.name),
                explanation: format!(
                    "No involvement of {} (an audit joined, a workplace visit, an improvement led, a talk about \
                     security …) was logged in the last {INVOLVEMENT_WINDOW_DAYS} days; {last}. Auditors look for \
                     top management taking part in person, not only signing. Log the next occasion in the \
                     involvement log; the finding clears with it.",
                    m.name
                ),
                records: vec![RecordRef { record_type: "user", id: m.user_id.0, label: m.name.clone() }],
                suggested_action: format!("Plan a personal involvement for {} (audit, visit or talk)", m.name),
                suggested_owner: Some(m.user_id),
                since: m.last_involved_on.map_or(from, |on| on + INVOLVEMENT_WINDOW_DAYS * DAY),
            }
        })
        .collect()
}

/// One finding per top manager with training past its due date and not completed.
pub async fn training(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, DbError> {
    let rows = missed_training(c, org, now).await?;
    Ok(by_person(rows, |t| t.user_id).into_iter().map(|(user, missed)| training_finding(user, &missed, now)).collect())
}

fn training_finding(user: UserId, missed: &[MissedTraining], now: UnixTime) -> Finding {
    let name = &missed[0].name;
    let titles: Vec<String> = missed.iter().map(|t| format!("“{}”", t.title)).collect();
    Finding {
        detector: Detector::ManagementTrainingIncomplete,
        subject: format!("user:{user}:campaign:{}", missed[0].campaign_id),
        manager: Some(user),
        title: format!("{name}: {} training campaign(s) past due, not completed", missed.len()),
        explanation: format!(
            "{name} was enrolled in {} and has not completed it by the due date. NIS2 expects members of the \
             management body to follow training themselves, and staff notice when managers skip what they ask of \
             others. Complete the training and record the completion.",
            titles.join(", ")
        ),
        records: missed
            .iter()
            .map(|t| RecordRef {
                record_type: "training_campaign",
                id: t.campaign_id,
                label: format!("{} (due {})", t.title, date_text(t.due_on)),
            })
            .collect(),
        suggested_action: format!("Complete the overdue security training ({name})"),
        suggested_owner: Some(user),
        since: missed.iter().map(|t| t.due_on).min().unwrap_or(now) + DAY,
    }
}
