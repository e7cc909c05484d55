//! Policy detectors (5.2): a policy past its review date, and a version in force approved by someone who is not
//! (or no longer) top management.

use crate::clock::UnixTime;
use crate::db::detector::records::{approved_outside_top, policies_past_review};
use crate::db::{Conn, DbError};
use crate::domain::ids::OrgId;
use crate::domain::leadership::{Detector, Finding, RecordRef};
use crate::domain::objective::date_text;
use crate::domain::resource::{DAY, day_of};

/// One finding per policy whose review day has passed.
pub async fn review_overdue(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, DbError> {
    Ok(policies_past_review(c, org, now)
        .await?
        .into_iter()
        .map(|p| {
            // Whole days since the review day, whatever time of day the review date carries.
            let days = (day_of(now) - day_of(p.next_review_at)) / DAY;
            Finding {
                detector: Detector::PolicyReviewOverdue,
                // With the review date, so a dismissal lapses with the next review cycle.
                subject: format!("policy:{}:due:{}", p.id, p.next_review_at),
                manager: None,
                title: format!("“{}”: review due {}, {days} days ago", p.title, date_text(p.next_review_at)),
                explanation: format!(
                    "The policy “{}” was to be reviewed by {}. A policy past its review date tells an auditor \
                     nobody checked it still fits the organisation. Record a review (no change, or a new version \
                     for approval); the finding clears when the next review date lies ahead.",
                    p.title,
                    date_text(p.next_review_at)
                ),
                records: vec![RecordRef { record_type: "policy", id: p.id, label: p.title.clone() }],
                suggested_action: format!("Review the policy “{}”", p.title),
                suggested_owner: Some(p.owner_id),
                since: day_of(p.next_review_at) + DAY,
            }
        })
        .collect())
}

/// One finding per approved or published version whose approver is not top management.
pub async fn approved_outside(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, DbError> {
    Ok(approved_outside_top(c, org, now)
        .await?
        .into_iter()
        .map(|v| Finding {
            detector: Detector::PolicyApprovedOutsideTopManagement,
            subject: format!("policy_version:{}", v.version_id),
            manager: None,
            title: format!("“{}” version {}: approved by {}, not top management", v.title, v.number, v.approver_name),
            explanation: format!(
                "Version {} of “{}” is in force on the approval of {}, who is not (or no longer) a member of top \
                 management here. The security policy is to be established by top management. Have a top manager \
                 approve the version (or a new one), ideally citing the management decision.",
                v.number, v.title, v.approver_name
            ),
            records: vec![
                RecordRef { record_type: "policy", id: v.policy_id, label: v.title.clone() },
                RecordRef {
                    record_type: "policy_version",
                    id: v.version_id,
                    label: format!("{} version {}", v.title, v.number),
                },
            ],
            suggested_action: format!("Have top management approve “{}”", v.title),
            suggested_owner: None,
            since: v.approved_at.unwrap_or(now),
        })
        .collect())
}
