//! Policies (ISO/IEC 27001 5.2, 7.5): versions move draft → in review → approved → published → superseded or
//! retired. Only top management approves; the approval pins the SHA-256 of the exact text approved.

use super::Invalid;
use crate::domain::role::Role;

/// Where a policy version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Draft,
    InReview,
    Approved,
    Published,
    Superseded,
    Retired,
}

impl VersionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Draft => "draft",
            VersionStatus::InReview => "in_review",
            VersionStatus::Approved => "approved",
            VersionStatus::Published => "published",
            VersionStatus::Superseded => "superseded",
            VersionStatus::Retired => "retired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VersionStatus::Draft => "Draft",
            VersionStatus::InReview => "In review",
            VersionStatus::Approved => "Approved",
            VersionStatus::Published => "Published",
            VersionStatus::Superseded => "Superseded",
            VersionStatus::Retired => "Retired",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Draft, Self::InReview, Self::Approved, Self::Published, Self::Superseded, Self::Retired]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// Whether the text may still change.
    pub fn editable(self) -> bool {
        self == VersionStatus::Draft
    }
}

/// A step in a version's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Send a draft for review.
    Submit,
    /// Send a version in review back to draft for changes.
    Return,
    /// Approve a version in review (top management only).
    Approve,
    /// Publish an approved version; the published one before it is superseded.
    Publish,
    /// Withdraw a published version without a successor.
    Retire,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::Return => "return",
            Step::Approve => "approve",
            Step::Publish => "publish",
            Step::Retire => "retire",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        [Step::Submit, Step::Return, Step::Approve, Step::Publish, Step::Retire]
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                Invalid::new(format!("unknown step '{text}'; use submit, return, approve, publish or retire"))
            })
    }
}

/// Why a step was refused: the role may not take it, or the version is not where the step starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The caller's role may not take this step (403).
    Role(String),
    /// The version is in the wrong state for this step (409).
    State(String),
}

/// The state a step leads to, if `role` may take it from `from`.
pub fn next_status(from: VersionStatus, step: Step, role: Role) -> Result<VersionStatus, Refusal> {
    use VersionStatus::*;
    let editors = matches!(role, Role::Admin | Role::IsmsManager | Role::TopManagement);
    if step == Step::Approve && role != Role::TopManagement {
        return Err(Refusal::Role("only top management can approve a policy".into()));
    }
    if !editors {
        return Err(Refusal::Role(format!("a {} cannot change policies", role.label().to_lowercase())));
    }
    let to = match (from, step) {
        (Draft, Step::Submit) => InReview,
        (InReview, Step::Return) => Draft,
        (InReview, Step::Approve) => Approved,
        (Approved, Step::Publish) => Published,
        (Published, Step::Retire) => Retired,
        _ => {
            let needed = match step {
                Step::Submit => "a draft",
                Step::Return | Step::Approve => "a version in review",
                Step::Publish => "an approved version",
                Step::Retire => "a published version",
            };
            return Err(Refusal::State(format!(
                "this version is {}; only {needed} can be {}",
                from.label().to_lowercase(),
                match step {
                    Step::Submit => "submitted for review",
                    Step::Return => "returned to draft",
                    Step::Approve => "approved",
                    Step::Publish => "published",
                    Step::Retire => "retired",
                }
            )));
        }
    };
    Ok(to)
}

/// When a policy's next review is due: `months` calendar months after publication (or the last review), on the
/// same day of the month or the month's last day.
pub fn review_due(from: crate::clock::UnixTime, months: i64) -> crate::clock::UnixTime {
    let Ok(start) = time::OffsetDateTime::from_unix_timestamp(from) else { return from };
    let total = i64::from(start.year()) * 12 + i64::from(u8::from(start.month())) - 1 + months;
    let (year, month) = ((total / 12) as i32, (total % 12 + 1) as u8);
    let Ok(month) = time::Month::try_from(month) else { return from };
    let day = start.day().min(time::util::days_in_month(month, year));
    time::Date::from_calendar_date(year, month, day)
        .map(|date| start.replace_date(date).unix_timestamp())
        .unwrap_or(from)
}

/// Checks a review cycle in months.
pub fn check_review_months(months: i64) -> Result<i64, Invalid> {
    if (1..=60).contains(&months) {
        Ok(months)
    } else {
        Err(Invalid::new("the review cycle must be between 1 and 60 months"))
    }
}

/// Checks a version's text: required unless a document is attached, at most 200,000 characters.
pub fn check_body(body: &str, has_document: bool) -> Result<(), Invalid> {
    if body.trim().is_empty() && !has_document {
        return Err(Invalid::new("the policy text is empty; write it in Markdown"));
    }
    if body.chars().count() > 200_000 {
        return Err(Invalid::new("the policy text is longer than 200,000 characters; attach it as a document instead"));
    }
    Ok(())
}

/// The SHA-256 (hex) of what a version says: its Markdown text, or, for an attached document, the document's own
/// SHA-256 prefixed so the two can never collide. Approval pins this value.
pub fn content_sha256(body: &str, document_sha256: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    match document_sha256 {
        Some(document) => hex::encode(Sha256::digest(format!("document:{document}").as_bytes())),
        None => hex::encode(Sha256::digest(body.as_bytes())),
    }
}

/// What a review concluded.
pub fn check_review_outcome(outcome: &str) -> Result<&'static str, Invalid> {
    match outcome {
        "no_change" => Ok("no_change"),
        "changes_needed" => Ok("changes_needed"),
        other => Err(Invalid::new(format!("unknown review outcome '{other}'; use no_change or changes_needed"))),
    }
}

/// Checks a policy title.
pub fn check_title(title: &str) -> Result<String, Invalid> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        return Err(Invalid::new("give the policy a title of 1–200 characters"));
    }
    Ok(title.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use VersionStatus::*;

    #[test]
    fn the_happy_path_runs_draft_to_published() {
        assert_eq!(next_status(Draft, Step::Submit, Role::IsmsManager), Ok(InReview));
        assert_eq!(next_status(InReview, Step::Approve, Role::TopManagement), Ok(Approved));
        assert_eq!(next_status(Approved, Step::Publish, Role::IsmsManager), Ok(Published));
        assert_eq!(next_status(Published, Step::Retire, Role::Admin), Ok(Retired));
        assert_eq!(next_status(InReview, Step::Return, Role::TopManagement), Ok(Draft));
    }

    #[test]
    fn only_top_management_approves() {
        for role in [Role::Admin, Role::IsmsManager, Role::Auditor, Role::Employee] {
            assert!(matches!(next_status(InReview, Step::Approve, role), Err(Refusal::Role(_))), "{role}");
        }
    }

    #[test]
    fn steps_out_of_order_are_refused_with_a_reason() {
        let Err(Refusal::State(message)) = next_status(Draft, Step::Approve, Role::TopManagement) else { panic!() };
        assert!(message.contains("only a version in review can be approved"), "{message}");
        assert!(matches!(next_status(Draft, Step::Publish, Role::Admin), Err(Refusal::State(_))));
        assert!(matches!(next_status(Published, Step::Submit, Role::Admin), Err(Refusal::State(_))));
        assert!(matches!(next_status(Superseded, Step::Publish, Role::Admin), Err(Refusal::State(_))));
        assert!(matches!(next_status(Draft, Step::Submit, Role::Employee), Err(Refusal::Role(_))));
    }

    #[test]
    fn review_is_due_about_a_year_after_publication() {
        let published = 1_795_392_000; // 2026-11-23
        assert_eq!(crate::clock::format_utc(review_due(published, 12)), "2027-11-23 00:00 UTC");
        assert_eq!(crate::clock::format_utc(review_due(published, 3)), "2027-02-23 00:00 UTC");
        let end_of_january = crate::clock::parse_time("2027-01-31").unwrap();
        assert_eq!(crate::clock::format_utc(review_due(end_of_january, 1)), "2027-02-28 00:00 UTC");
        assert!(check_review_months(0).is_err() && check_review_months(12).is_ok());
    }
}
