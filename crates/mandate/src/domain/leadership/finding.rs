//! Façade detectors and their findings: signs that the records contradict the picture of an involved management
//! (resources approved and not spent, actions of top management overdue, a review missing its inputs …). A finding
//! names the records behind it, so an ISMS manager can act and an auditor can check; it can become an action, or be
//! dismissed with a reason that is kept in the ledger.

use super::duty::Duty;
use crate::clock::UnixTime;
use crate::domain::Invalid;
use crate::domain::ids::UserId;

/// A façade detector.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// Resources approved, and less than the agreed share spent by the due date.
    ResourcesUnderspent,
    /// Resources approved, and what was left moved to something else.
    ResourcesRedirected,
    /// Actions owned by top management past their due date.
    ManagementActionsOverdue,
    /// A management review missing 9.3.2 inputs.
    ReviewMissingInputs,
    /// A management review no top manager attended.
    ReviewWithoutTopManagement,
    /// No management review within the planned interval.
    ReviewOverdue,
    /// A policy past its review date.
    PolicyReviewOverdue,
    /// A policy version approved by someone who is not top management.
    PolicyApprovedOutsideTopManagement,
    /// A top manager with no personal involvement in the window.
    NoPersonalInvolvement,
    /// Incidents never on a management meeting's agenda.
    IncidentsNotDiscussed,
    /// Supplier risks never raised to management.
    SupplierRisksNotRaised,
    /// Management meetings that decided nothing.
    MeetingsWithoutDecisions,
    /// Communications top management planned to send and did not.
    CommunicationOverdue,
    /// Objectives not measured when their evaluation was due.
    ObjectivesNotMeasured,
    /// Top managers who have not completed the training they were enrolled in (NIS2 Art. 20(2)).
    ManagementTrainingIncomplete,
    /// What a manager said in an interview that the records do not bear out.
    InterviewClaimUnsupported,
}

impl Detector {
    pub const ALL: [Detector; 16] = [
        Detector::ResourcesUnderspent,
        Detector::ResourcesRedirected,
        Detector::ManagementActionsOverdue,
        Detector::ReviewMissingInputs,
        Detector::ReviewWithoutTopManagement,
        Detector::ReviewOverdue,
        Detector::PolicyReviewOverdue,
        Detector::PolicyApprovedOutsideTopManagement,
        Detector::NoPersonalInvolvement,
        Detector::IncidentsNotDiscussed,
        Detector::SupplierRisksNotRaised,
        Detector::MeetingsWithoutDecisions,
        Detector::CommunicationOverdue,
        Detector::ObjectivesNotMeasured,
        Detector::ManagementTrainingIncomplete,
        Detector::InterviewClaimUnsupported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Detector::ResourcesUnderspent => "resources_underspent",
            Detector::ResourcesRedirected => "resources_redirected",
            Detector::ManagementActionsOverdue => "management_actions_overdue",
            Detector::ReviewMissingInputs => "review_missing_inputs",
            Detector::ReviewWithoutTopManagement => "review_without_top_management",
            Detector::ReviewOverdue => "review_overdue",
            Detector::PolicyReviewOverdue => "policy_review_overdue",
            Detector::PolicyApprovedOutsideTopManagement => "policy_approved_outside_top_management",
            Detector::NoPersonalInvolvement => "no_personal_involvement",
            Detector::IncidentsNotDiscussed => "incidents_not_discussed",
            Detector::SupplierRisksNotRaised => "supplier_risks_not_raised",
            Detector::MeetingsWithoutDecisions => "meetings_without_decisions",
            Detector::CommunicationOverdue => "communication_overdue",
            Detector::ObjectivesNotMeasured => "objectives_not_measured",
            Detector::ManagementTrainingIncomplete => "management_training_incomplete",
            Detector::InterviewClaimUnsupported => "interview_claim_unsupported",
        }
    }

    /// The detector's name, as a heading.
    pub fn label(self) -> &'static str {
        match self {
            Detector::ResourcesUnderspent => "Resources approved but not spent",
            Detector::ResourcesRedirected => "Resources approved, then moved elsewhere",
            Detector::ManagementActionsOverdue => "Top management's actions overdue",
            Detector::ReviewMissingInputs => "Management review missing inputs",
            Detector::ReviewWithoutTopManagement => "Management review without top management",
            Detector::ReviewOverdue => "Management review overdue",
            Detector::PolicyReviewOverdue => "Policy past its review date",
            Detector::PolicyApprovedOutsideTopManagement => "Policy approved outside top management",
            Detector::NoPersonalInvolvement => "No personal involvement",
            Detector::IncidentsNotDiscussed => "Incidents never reached management",
            Detector::SupplierRisksNotRaised => "Supplier risks never reached management",
            Detector::MeetingsWithoutDecisions => "Meetings that decided nothing",
            Detector::CommunicationOverdue => "Planned communication not sent",
            Detector::ObjectivesNotMeasured => "Objectives not measured",
            Detector::ManagementTrainingIncomplete => "Management training not completed",
            Detector::InterviewClaimUnsupported => "Interview claim not borne out",
        }
    }

    /// The duties a finding of this detector contradicts.
    pub fn duties(self) -> &'static [Duty] {
        match self {
            Detector::ResourcesUnderspent | Detector::ResourcesRedirected => {
                &[Duty::Resources, Duty::ResourcesAvailable]
            }
            Detector::ManagementActionsOverdue => &[Duty::PromotesImprovement, Duty::IntendedOutcomes],
            Detector::ReviewMissingInputs | Detector::ReviewWithoutTopManagement | Detector::ReviewOverdue => {
                &[Duty::ManagementReview]
            }
            Detector::PolicyReviewOverdue | Detector::PolicyApprovedOutsideTopManagement => {
                &[Duty::Policy, Duty::PolicyAndObjectives]
            }
            Detector::NoPersonalInvolvement => &[Duty::DirectsPeople, Duty::SupportsManagers],
            Detector::IncidentsNotDiscussed => &[Duty::IntendedOutcomes, Duty::Nis2RiskMeasures],
            Detector::SupplierRisksNotRaised => &[Duty::Nis2RiskMeasures, Duty::Integration],
            Detector::MeetingsWithoutDecisions => &[Duty::Integration],
            Detector::CommunicationOverdue => &[Duty::Communication, Duty::CommunicatesImportance],
            Detector::ObjectivesNotMeasured => &[Duty::Objectives, Duty::IntendedOutcomes],
            Detector::ManagementTrainingIncomplete => &[Duty::Nis2Training],
            Detector::InterviewClaimUnsupported => &[Duty::IntendedOutcomes],
        }
    }

    /// What the detector waits for (it finds nothing without it) or approximates in its absence, such as "the
    /// incident register", so a page can say so honestly; `None` when it works on registers that exist.
    pub fn needs(self) -> Option<&'static str> {
        match self {
            Detector::IncidentsNotDiscussed => Some("the incident register"),
            Detector::SupplierRisksNotRaised => Some("the supplier register"),
            Detector::InterviewClaimUnsupported => Some("the interview workspace"),
            _ => None,
        }
    }

    /// Whether the detector can find anything yet: false while what [`Detector::needs`] names is missing and
    /// there is nothing to approximate it with.
    pub fn runs(self) -> bool {
        self != Detector::InterviewClaimUnsupported
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Detector::ALL
            .into_iter()
            .find(|d| d.as_str() == text.trim())
            .ok_or_else(|| Invalid::new(format!("unknown detector '{}'", text.trim())))
    }
}

/// A record a finding or a verdict rests on, with a label people can read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RecordRef {
    /// One of `crate::db::records::RECORD_TABLES`' names.
    pub record_type: &'static str,
    pub id: i64,
    pub label: String,
}

/// One finding of a detector.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub detector: Detector,
    /// What the finding is about, stable while the condition lasts (for example `resource_commitment:12` or
    /// `user:5`); a dismissal is kept against (detector, subject).
    pub subject: String,
    /// The top manager the finding concerns, when it concerns one.
    #[schema(value_type = Option<i64>)]
    pub manager: Option<UserId>,
    /// One line: what is wrong.
    pub title: String,
    /// Why it matters and what would clear it.
    pub explanation: String,
    /// The records behind it.
    pub records: Vec<RecordRef>,
    /// The action that would clear it, as a title for a one-click action.
    pub suggested_action: String,
    /// Who should own that action.
    #[schema(value_type = Option<i64>)]
    pub suggested_owner: Option<UserId>,
    /// Since when the condition holds (for sorting and for the trend).
    pub since: UnixTime,
}
