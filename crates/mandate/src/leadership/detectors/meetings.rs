//! Detectors over management meetings: incidents and supplier risks that never reached management's agenda, and
//! meetings that decided nothing.
//!
//! There is no incident or supplier register yet, so the first two look at what exists: whether a management
//! meeting's agenda carried the topic at all. Once the registers exist they will look at high-severity incidents
//! and critical suppliers (see `Detector::needs`).

use crate::clock::UnixTime;
use crate::db::detector::records::{HeldMeeting, last_with_topic, management_meetings};
use crate::db::{Conn, DbError};
use crate::domain::ids::OrgId;
use crate::domain::leadership::{Detector, Finding, RecordRef};
use crate::domain::objective::date_text;
use crate::domain::resource::DAY;

/// How far back a management meeting must have had incidents on its agenda: a quarter.
pub const INCIDENTS_WINDOW_DAYS: i64 = 90;
/// How far back a management meeting must have had suppliers on its agenda: a year.
pub const SUPPLIERS_WINDOW_DAYS: i64 = 365;
/// How far back meetings are checked for decisions: six months.
pub const DECISIONS_WINDOW_DAYS: i64 = 182;

/// What one topic detector looks for.
struct TopicCheck {
    detector: Detector,
    topic: &'static str,
    window_days: i64,
    what: &'static str,
    register: &'static str,
}

const INCIDENTS: TopicCheck = TopicCheck {
    detector: Detector::IncidentsNotDiscussed,
    topic: "incidents",
    window_days: INCIDENTS_WINDOW_DAYS,
    what: "incidents",
    register: "Once the incident register exists, this check will look at whether each high-severity incident \
               reached a management meeting.",
};

const SUPPLIERS: TopicCheck = TopicCheck {
    detector: Detector::SupplierRisksNotRaised,
    topic: "suppliers",
    window_days: SUPPLIERS_WINDOW_DAYS,
    what: "suppliers",
    register: "Once the supplier register exists, this check will look at whether the risks of each critical \
               supplier reached management.",
};

/// The incidents and suppliers findings of `org` at `now`.
pub async fn topics(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, DbError> {
    let mut out = Vec::new();
    for check in [INCIDENTS, SUPPLIERS] {
        let last = last_with_topic(c, org, check.topic, now).await?;
        let from = now - check.window_days * DAY;
        if last.as_ref().is_some_and(|(_, _, held)| *held >= from) {
            continue;
        }
        // The subject names the last meeting that had the topic, so a dismissal lapses once management takes it
        // up again and lets it drop once more.
        let subject = format!("topic:{}:after:{}", check.topic, last.as_ref().map_or(0, |(id, _, _)| *id));
        let (records, since, when) = match last {
            Some((id, title, held)) => (
                vec![RecordRef { record_type: "meeting", id, label: format!("{title} ({})", date_text(held)) }],
                held + check.window_days * DAY,
                format!("the last time was {} (“{title}”)", date_text(held)),
            ),
            None => (Vec::new(), from, "no management meeting ever had them on its agenda".to_string()),
        };
        out.push(Finding {
            detector: check.detector,
            subject,
            manager: None,
            title: format!("No management meeting discussed {} in {} days", check.what, check.window_days),
            explanation: format!(
                "No management meeting in the last {} days had an agenda item on {}; {when}. Management is to \
                 oversee the risks of the ISMS, and an auditor looks for them on its agenda. Put them on the next \
                 management meeting's agenda (tagged “{}”). {}",
                check.window_days, check.what, check.topic, check.register
            ),
            records,
            suggested_action: format!("Put {} on the next management meeting's agenda", check.what),
            suggested_owner: None,
            since,
        });
    }
    Ok(out)
}

/// One finding when at least two management meetings of the last six months, and at least a third of them,
/// recorded no decision.
pub async fn without_decisions(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, DbError> {
    let held = management_meetings(c, org, now - DECISIONS_WINDOW_DAYS * DAY, now).await?;
    let empty: Vec<&HeldMeeting> = held.iter().filter(|m| m.decisions == 0).collect();
    if empty.len() < 2 || empty.len() * 3 < held.len() {
        return Ok(Vec::new());
    }
    Ok(vec![Finding {
        detector: Detector::MeetingsWithoutDecisions,
        // The first and last empty meeting: a new empty meeting makes a new finding, even after a dismissal.
        subject: format!("meetings:{}-{}", empty[0].id, empty[empty.len() - 1].id),
        manager: None,
        title: format!("{} of {} management meetings in six months decided nothing", empty.len(), held.len()),
        explanation: "Meetings that record no decision read, to an auditor, as management being informed rather \
                      than directing the ISMS. Record the decisions these meetings took (with who decided), or \
                      make sure the next ones end with decisions and owners."
            .into(),
        records: empty
            .iter()
            .map(|m| RecordRef {
                record_type: "meeting",
                id: m.id,
                label: format!("{} ({})", m.title, date_text(m.held_on)),
            })
            .collect(),
        suggested_action: "End each management meeting with its decisions recorded".into(),
        suggested_owner: None,
        since: empty[0].held_on,
    }])
}
