//! Management review (ISO/IEC 27001 9.3): the inputs a review must cover, its life (planned → open → complete →
//! closed), the schedule's bounds, and the rules that decide when a review may be completed. No I/O here.

use super::super::Invalid;
use crate::clock::UnixTime;

/// Months between reviews a schedule may set.
pub const EVERY_MONTHS: std::ops::RangeInclusive<i64> = 1..=24;
/// Days after the interval before a missing review counts as overdue.
pub const GRACE_DAYS: i64 = 30;
/// The longest discussion notes of one input.
pub const NOTES_MAX: usize = 20_000;
/// What an input of a register that does not exist yet says.
pub const NO_REGISTER: &str = "No register yet: record the discussion in the notes";

/// The state of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Planned,
    Open,
    Complete,
    Closed,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Planned => "planned",
            ReviewStatus::Open => "open",
            ReviewStatus::Complete => "complete",
            ReviewStatus::Closed => "closed",
        }
    }

    /// Reads a stored status; anything else is treated as closed, the state that allows nothing.
    pub fn from_stored(text: &str) -> Self {
        match text {
            "planned" => ReviewStatus::Planned,
            "open" => ReviewStatus::Open,
            "complete" => ReviewStatus::Complete,
            _ => ReviewStatus::Closed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Planned => "Planned",
            ReviewStatus::Open => "Open",
            ReviewStatus::Complete => "Complete",
            ReviewStatus::Closed => "Closed",
        }
    }
}

/// One input of a review: 27001 9.3.2's items, then context the review also looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputKey {
    PreviousActions,
    Issues,
    InterestedParties,
    Nonconformities,
    Monitoring,
    Audits,
    Objectives,
    Feedback,
    Risks,
    Improvement,
    Resources,
    Policies,
    Continuity,
}

impl InputKey {
    pub const ALL: [InputKey; 13] = [
        InputKey::PreviousActions,
        InputKey::Issues,
        InputKey::InterestedParties,
        InputKey::Nonconformities,
        InputKey::Monitoring,
        InputKey::Audits,
        InputKey::Objectives,
        InputKey::Feedback,
        InputKey::Risks,
        InputKey::Improvement,
        InputKey::Resources,
        InputKey::Policies,
        InputKey::Continuity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InputKey::PreviousActions => "a_previous_actions",
            InputKey::Issues => "b_issues",
            InputKey::InterestedParties => "c_interested_parties",
            InputKey::Nonconformities => "d1_nonconformities",
            InputKey::Monitoring => "d2_monitoring",
            InputKey::Audits => "d3_audits",
            InputKey::Objectives => "d4_objectives",
            InputKey::Feedback => "e_feedback",
            InputKey::Risks => "f_risks",
            InputKey::Improvement => "g_improvement",
            InputKey::Resources => "resources",
            InputKey::Policies => "policies",
            InputKey::Continuity => "continuity",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        InputKey::ALL
            .into_iter()
            .find(|k| k.as_str() == text.trim())
            .ok_or_else(|| Invalid::new(format!("unknown review input '{}'", text.trim())))
    }

    /// The heading people read, with the clause it answers.
    pub fn heading(self) -> &'static str {
        match self {
            InputKey::PreviousActions => "9.3.2 a — Actions from previous management reviews",
            InputKey::Issues => "9.3.2 b — Changes in external and internal issues",
            InputKey::InterestedParties => "9.3.2 c — Changes in interested parties' needs and expectations",
            InputKey::Nonconformities => "9.3.2 d1 — Nonconformities and corrective actions",
            InputKey::Monitoring => "9.3.2 d2 — Monitoring and measurement results",
            InputKey::Audits => "9.3.2 d3 — Audit results",
            InputKey::Objectives => "9.3.2 d4 — Fulfilment of information security objectives",
            InputKey::Feedback => "9.3.2 e — Feedback from interested parties",
            InputKey::Risks => "9.3.2 f — Risk assessment and risk treatment",
            InputKey::Improvement => "9.3.2 g — Opportunities for continual improvement",
            InputKey::Resources => "7.1 — Resources approved and spent (context)",
            InputKey::Policies => "5.2 — Policy reviews (context)",
            InputKey::Continuity => "ISO 22301 — Business continuity",
        }
    }

    /// Whether the review must cover it (with notes) before it can be completed: every 9.3.2 item. Context
    /// inputs inform the discussion and need no notes.
    pub fn required(self) -> bool {
        !matches!(self, InputKey::Resources | InputKey::Policies | InputKey::Continuity)
    }
}

/// What an input needs to count as covered: notes written.
pub fn covered(notes: &str) -> bool {
    !notes.trim().is_empty()
}

/// The kind of a decision taken in a review (9.3.3's outputs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutputKind {
    Improvement,
    IsmsChange,
    ResourceNeed,
}

impl OutputKind {
    pub const ALL: [OutputKind; 3] = [OutputKind::Improvement, OutputKind::IsmsChange, OutputKind::ResourceNeed];

    pub fn as_str(self) -> &'static str {
        match self {
            OutputKind::Improvement => "improvement",
            OutputKind::IsmsChange => "isms_change",
            OutputKind::ResourceNeed => "resource_need",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OutputKind::Improvement => "Continual improvement",
            OutputKind::IsmsChange => "Change to the ISMS",
            OutputKind::ResourceNeed => "Resource need",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        OutputKind::ALL.into_iter().find(|k| k.as_str() == text.trim()).ok_or_else(|| {
            Invalid::new(format!(
                "unknown decision kind '{}'; use improvement, isms_change or resource_need",
                text.trim()
            ))
        })
    }

    /// The meeting topic the decision is filed under, so registers that filter by topic find it.
    pub fn topic(self) -> crate::domain::meeting::Topic {
        use crate::domain::meeting::Topic;
        match self {
            OutputKind::Improvement => Topic::Improvement,
            OutputKind::IsmsChange => Topic::Other,
            OutputKind::ResourceNeed => Topic::Resources,
        }
    }
}

/// Checks a schedule's interval.
pub fn check_every_months(months: i64) -> Result<i64, Invalid> {
    if EVERY_MONTHS.contains(&months) {
        Ok(months)
    } else {
        Err(Invalid::new(format!("a review interval of {months} months is outside 1 to 24 months; choose one within")))
    }
}

/// What keeps a review from being completed: the required inputs without notes (by heading), and whether no top
/// manager attended. Empty when it may be completed.
pub fn completion_gaps(uncovered: &[&str], top_manager_present: bool) -> Vec<String> {
    let mut gaps: Vec<String> = uncovered.iter().map(|h| format!("notes for '{h}'")).collect();
    if !top_manager_present {
        gaps.push("the attendance of at least one top manager".into());
    }
    gaps
}

/// Days in an interval of `months` months, as the schedule counts them (30.4 days a month).
pub fn interval_days(months: i64) -> i64 {
    months * 304 / 10
}

/// When the next review is due: the last closed review's held day plus the interval, or `fallback` (the day the
/// schedule or the organisation began) plus the interval when none was ever closed.
pub fn next_due(last_held: Option<UnixTime>, fallback: UnixTime, every_months: i64) -> UnixTime {
    last_held.unwrap_or(fallback) + interval_days(every_months) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_9_3_2_item_is_required_and_context_is_not() {
        let required: Vec<_> = InputKey::ALL.into_iter().filter(|k| k.required()).collect();
        assert_eq!(required.len(), 10);
        assert!(!InputKey::Continuity.required());
        for key in InputKey::ALL {
            assert_eq!(InputKey::parse(key.as_str()).unwrap(), key);
        }
    }

    #[test]
    fn completion_names_every_gap() {
        assert!(completion_gaps(&[], true).is_empty());
        let gaps = completion_gaps(&["a", "b"], false);
        assert_eq!(gaps.len(), 3);
        assert!(gaps[2].contains("top manager"));
    }

    #[test]
    fn schedule_bounds_and_due_dates() {
        assert!(check_every_months(0).is_err());
        assert!(check_every_months(25).is_err());
        assert_eq!(check_every_months(6).unwrap(), 6);
        assert_eq!(next_due(Some(0), 99, 6), 182 * 86_400);
        assert_eq!(next_due(None, 86_400, 12), 86_400 + 364 * 86_400);
    }
}
