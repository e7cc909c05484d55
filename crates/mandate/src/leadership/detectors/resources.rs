//! Resources approved and not followed through (7.1, 5.1 c): the register's own `underspent` and `redirected`
//! flags (`crate::domain::resource::flags`), one finding per commitment.

use crate::clock::UnixTime;
use crate::db::resource::LineQuery;
use crate::db::{self, Conn};
use crate::domain::ids::OrgId;
use crate::domain::leadership::{Detector, Finding, RecordRef};
use crate::domain::objective::date_text;
use crate::domain::resource::money::{show_money, show_person_days};
use crate::domain::resource::{DAY, Flag};
use crate::error::AppError;
use crate::resources::register::Summary;

/// The underspent and redirected commitments of `org` at `now`.
pub async fn findings(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, AppError> {
    let percent = crate::resources::settings(c, org).await?.underspent_percent;
    let mut out = Vec::new();
    for status in ["approved", "closed"] {
        let query = LineQuery { status: Some(status), limit: i64::MAX, ..Default::default() };
        for line in db::resource::lines(c, org, &query).await? {
            let summary = Summary::of(line, percent, now);
            for flag in &summary.flags {
                match flag {
                    Flag::Underspent => out.push(underspent(&summary, percent)),
                    Flag::Redirected => out.push(redirected(&summary)),
                    Flag::BehindPlan => {}
                }
            }
        }
    }
    Ok(out)
}

/// What was approved and what was spent by the due date, in words.
fn amounts(s: &Summary) -> (String, String) {
    let (row, line) = (&s.line.row, &s.line);
    if row.approved_minor.unwrap_or(0) > 0 {
        let approved = show_money(row.approved_minor.unwrap_or(0), &row.currency);
        (approved, show_money(line.spent_by_due_minor, &row.currency))
    } else {
        let approved = show_person_days(row.approved_days_x100.unwrap_or(0));
        (approved, show_person_days(line.spent_by_due_days_x100))
    }
}

fn record(s: &Summary) -> Vec<RecordRef> {
    let row = &s.line.row;
    vec![RecordRef { record_type: "resource_commitment", id: row.id.0, label: row.title.clone() }]
}

fn underspent(s: &Summary, percent: i64) -> Finding {
    let row = &s.line.row;
    let (approved, spent) = amounts(s);
    Finding {
        detector: Detector::ResourcesUnderspent,
        subject: format!("resource_commitment:{}", row.id),
        manager: row.decided_by,
        title: format!("“{}”: {spent} of {approved} spent by {}", row.title, date_text(row.due_on)),
        explanation: format!(
            "Top management approved {approved} for “{}”, and less than {percent}% of it was spent by the due \
             date. An auditor reads an approval that is not followed by spending as support on paper only. Spend \
             what was agreed, or record on the commitment why the plan changed and what management decided instead.",
            row.title
        ),
        records: record(s),
        suggested_action: format!("Follow up the unspent resources for “{}”", row.title),
        suggested_owner: row.decided_by,
        since: row.due_on + DAY,
    }
}

fn redirected(s: &Summary) -> Finding {
    let row = &s.line.row;
    let (approved, _) = amounts(s);
    let left = row.unspent_minor.map_or_else(String::new, |m| format!(" ({} left over)", show_money(m, &row.currency)));
    Finding {
        detector: Detector::ResourcesRedirected,
        subject: format!("resource_commitment:{}", row.id),
        manager: row.decided_by,
        title: format!("“{}”: {approved} approved, the rest moved elsewhere{left}", row.title),
        explanation: format!(
            "The commitment “{}” was closed and the money left over was moved to something else. An auditor asks \
             whether the ISMS still had what it needed. Record the decision that moved it, or approve the \
             resources again.",
            row.title
        ),
        records: record(s),
        suggested_action: format!("Confirm the ISMS still has what “{}” was to provide", row.title),
        suggested_owner: row.decided_by,
        since: row.closed_at.unwrap_or(row.updated_at),
    }
}
