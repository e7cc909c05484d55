//! Detectors over what management planned: communications top management is to give and did not (7.4), and
//! objectives not measured when their evaluation was due (6.2).

use crate::clock::UnixTime;
use crate::db::detector::records::{manager_plan_entries, open_objectives};
use crate::db::{Conn, DbError};
use crate::domain::communication::{Cadence, is_overdue, next_due};
use crate::domain::ids::OrgId;
use crate::domain::leadership::{Detector, Finding, RecordRef};
use crate::domain::objective::date_text;
use crate::domain::progress::STALE_AFTER_INTERVALS;
use crate::domain::resource::DAY;

/// One finding per plan entry of a top manager whose next communication is overdue (the plan's own schedule).
pub async fn communication(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, DbError> {
    let mut out = Vec::new();
    for e in manager_plan_entries(c, org, now).await? {
        let Ok(cadence) = Cadence::parse(&e.frequency) else { continue };
        let due = next_due(cadence, e.first_due_on, e.last_sent_on);
        let Some(due_on) = due.filter(|_| is_overdue(due, now)) else { continue };
        let name = &e.communicator_name;
        out.push(Finding {
            detector: Detector::CommunicationOverdue,
            subject: format!("communication_plan_entry:{}:due:{due_on}", e.id),
            manager: Some(e.communicator_id),
            title: format!("“{}” by {name}: due {}, {} days ago", e.subject, date_text(due_on), (now - due_on) / DAY),
            explanation: format!(
                "The communication plan has {name} communicate “{}” ({}), and it was due on {}. Communication that \
                 management planned and did not give tells an auditor the plan is not lived. Send it and record it \
                 against the plan entry; the finding clears then.",
                e.subject,
                cadence.label().to_lowercase(),
                date_text(due_on)
            ),
            records: vec![RecordRef { record_type: "communication_plan_entry", id: e.id, label: e.subject.clone() }],
            suggested_action: format!("Communicate “{}”", e.subject),
            suggested_owner: Some(e.communicator_id),
            since: due_on + DAY,
        });
    }
    Ok(out)
}

/// One finding per open objective whose latest measurement (or, without one, its setting) is older than the
/// objectives page allows: [`STALE_AFTER_INTERVALS`] evaluation intervals.
pub async fn objectives(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, DbError> {
    let mut out = Vec::new();
    for o in open_objectives(c, org).await? {
        let stale_after = (STALE_AFTER_INTERVALS * o.frequency_days as f64 * DAY as f64) as i64;
        let from = o.last_measured_on.unwrap_or(o.created_at);
        if now - from <= stale_after {
            continue;
        }
        let last = o.last_measured_on.map_or_else(
            || format!("nothing was measured since it was set on {}", date_text(o.created_at)),
            |on| format!("the latest measurement is from {}", date_text(on)),
        );
        out.push(Finding {
            detector: Detector::ObjectivesNotMeasured,
            subject: format!("objective:{}:from:{from}", o.id),
            manager: None,
            title: format!("“{}”: not measured for {} days", o.title, (now - from) / DAY),
            explanation: format!(
                "“{}” is to be evaluated every {} days, and {last}. An objective nobody measures cannot show the \
                 ISMS achieves what it is for. Record a measurement; the finding clears with it.",
                o.title, o.frequency_days
            ),
            records: vec![RecordRef { record_type: "objective", id: o.id, label: o.title.clone() }],
            suggested_action: format!("Measure the objective “{}”", o.title),
            suggested_owner: Some(o.owner_id),
            since: from + stale_after,
        });
    }
    Ok(out)
}
