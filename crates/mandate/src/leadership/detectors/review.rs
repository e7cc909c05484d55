//! Detectors over management reviews (9.3): a review missing inputs, a review no top manager attended, and no
//! review within the planned interval.

use crate::clock::UnixTime;
use crate::db::{self, Conn};
use crate::domain::ids::OrgId;
use crate::domain::leadership::review::{GRACE_DAYS, interval_days, next_due};
use crate::domain::leadership::{Detector, Finding, RecordRef};
use crate::domain::objective::{date_text, day_of};
use crate::error::AppError;

/// The review detectors' findings for `org` on day `today`.
pub async fn findings(c: &mut Conn<'_>, org: OrgId, today: UnixTime) -> Result<Vec<Finding>, AppError> {
    // A review still open this long after it was held counts as held and past.
    let held_before = day_of(today) - GRACE_DAYS * 86_400;
    let mut out = missing_inputs(c, org, held_before).await?;
    out.extend(without_top_management(c, org, held_before).await?);
    out.extend(overdue(c, org, today).await?);
    Ok(out)
}

fn review_ref(id: i64, title: &str, held_on: UnixTime) -> RecordRef {
    RecordRef { record_type: "management_review", id, label: format!("{title} ({})", date_text(held_on)) }
}

async fn missing_inputs(c: &mut Conn<'_>, org: OrgId, held_before: UnixTime) -> Result<Vec<Finding>, AppError> {
    let rows = db::review_findings::uncovered_inputs(c, org, held_before).await?;
    let mut out: Vec<(Finding, Vec<String>)> = Vec::new();
    for (id, title, held_on, chair, heading) in rows {
        match out.last_mut() {
            Some((f, headings)) if f.subject == format!("management_review:{id}") => headings.push(heading),
            _ => {
                let finding = Finding {
                    detector: Detector::ReviewMissingInputs,
                    subject: format!("management_review:{id}"),
                    manager: Some(chair),
                    title: format!("The management review '{title}' left inputs without discussion"),
                    explanation: String::new(),
                    records: vec![review_ref(id, &title, held_on)],
                    suggested_action: format!("Discuss the missing inputs of '{title}' at the next management review"),
                    suggested_owner: Some(chair),
                    since: held_on,
                };
                out.push((finding, vec![heading]));
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|(mut f, headings)| {
            f.explanation = format!(
                "ISO/IEC 27001 9.3.2 expects every input to be considered; this review has no notes for {}: {}. \
                 Record the discussion, or take the inputs up at the next review.",
                if headings.len() == 1 { "one input".to_string() } else { format!("{} inputs", headings.len()) },
                headings.join("; ")
            );
            f
        })
        .collect())
}

async fn without_top_management(c: &mut Conn<'_>, org: OrgId, held_before: UnixTime) -> Result<Vec<Finding>, AppError> {
    let rows = db::review_findings::without_top_management(c, org, held_before).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, held_on, chair, meeting)| Finding {
            detector: Detector::ReviewWithoutTopManagement,
            subject: format!("management_review:{id}"),
            manager: Some(chair),
            title: format!("No top manager is recorded as present at the management review '{title}'"),
            explanation: "Top management reviews the ISMS itself (9.3.1); a review held without any top manager \
                present is a review by others. Correct the attendance if it is wrong, or hold the review again with \
                top management."
                .into(),
            records: vec![
                review_ref(id, &title, held_on),
                RecordRef {
                    record_type: "meeting",
                    id: meeting.0,
                    label: format!("Meeting of {}", date_text(held_on)),
                },
            ],
            suggested_action: format!("Review '{title}' again with top management present"),
            suggested_owner: Some(chair),
            since: held_on,
        })
        .collect())
}

async fn overdue(c: &mut Conn<'_>, org: OrgId, today: UnixTime) -> Result<Vec<Finding>, AppError> {
    let schedule = db::management_review::schedule(c, org).await?;
    let last = db::review_findings::last_closed(c, org).await?;
    let created = db::organisation::by_id(c, org).await?.map_or(today, |o| o.created_at);
    // Without a schedule, a review is still expected once a year.
    let months = schedule.as_ref().map_or(12, |s| s.every_months);
    let due = next_due(last.as_ref().map(|l| l.2), created, months);
    if day_of(today) <= due + GRACE_DAYS * 86_400 {
        return Ok(Vec::new());
    }
    let (subject, records, since_text) = match &last {
        Some((id, title, held_on)) => (
            format!("management_review:{id}:next"),
            vec![review_ref(*id, title, *held_on)],
            format!("the last closed review was held on {}", date_text(*held_on)),
        ),
        None => (
            format!("organisation:{}", org.0),
            vec![RecordRef { record_type: "organisation", id: org.0, label: "The organisation".into() }],
            "no management review has ever been closed".to_string(),
        ),
    };
    let planned = if schedule.is_some() { "the schedule plans one" } else { "with no schedule, one is expected" };
    Ok(vec![Finding {
        detector: Detector::ReviewOverdue,
        subject,
        manager: schedule.as_ref().map(|s| s.chair_id),
        title: format!("The management review was due on {} and has not been held", date_text(due)),
        explanation: format!(
            "Top management reviews the ISMS at planned intervals (9.3.1): {planned} every {months} months \
             ({} days), and {since_text}. Hold and close the next review to clear this.",
            interval_days(months)
        ),
        records,
        suggested_action: "Plan, hold and close the next management review".into(),
        suggested_owner: schedule.as_ref().map(|s| s.chair_id),
        since: due,
    }])
}
