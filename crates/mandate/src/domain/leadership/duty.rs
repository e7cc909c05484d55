//! The duties of top management that Mandate keeps evidence for: ISO/IEC 27001 5.1 a–h, the policy (5.2),
//! appointments (5.3), objectives (6.2), resources (7.1), communication (7.4), management review (9.3), and the
//! two NIS2 Article 20 duties of the management body (approving the risk-management measures, following
//! training). Each duty names the kinds of record that evidence it and how long one stays fresh; an organisation
//! may change the window (see `crate::leadership::settings`).

use crate::domain::Invalid;

/// A duty of top management.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// 5.1 a: policy and objectives exist and fit the strategic direction.
    PolicyAndObjectives,
    /// 5.1 b: ISMS requirements are part of the organisation's processes.
    Integration,
    /// 5.1 c: the ISMS has the resources it needs.
    ResourcesAvailable,
    /// 5.1 d: the importance of security and of conforming is communicated.
    CommunicatesImportance,
    /// 5.1 e: the ISMS achieves its intended outcomes.
    IntendedOutcomes,
    /// 5.1 f: people are directed and supported to contribute.
    DirectsPeople,
    /// 5.1 g: continual improvement is promoted.
    PromotesImprovement,
    /// 5.1 h: other managers are supported in their areas.
    SupportsManagers,
    /// 5.2: the information security policy is approved and kept under review.
    Policy,
    /// 5.3: responsibilities are assigned, including the CISO.
    Appointments,
    /// 6.2: objectives are set and measured.
    Objectives,
    /// 7.1: resources are granted and spent as agreed.
    Resources,
    /// 7.4: management communicates.
    Communication,
    /// 9.3: management reviews the ISMS at planned intervals.
    ManagementReview,
    /// NIS2 Art. 20(1): the management body approves the risk-management measures and oversees them.
    Nis2RiskMeasures,
    /// NIS2 Art. 20(2): members of the management body follow training.
    Nis2Training,
}

/// A kind of record that can evidence a duty.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A policy version approved by top management.
    PolicyApproved,
    /// A policy reviewed by its review date.
    PolicyReviewed,
    /// An objective set (owned or approved) by top management.
    ObjectiveSet,
    /// A measurement recorded against an objective.
    ObjectiveMeasured,
    /// A resource commitment approved by top management.
    ResourceApproved,
    /// Money or time spent against an approved commitment.
    ResourceSpent,
    /// An ISMS role appointment made by top management.
    Appointment,
    /// A communication sent by top management.
    CommunicationSent,
    /// A meeting of management that decided something.
    MeetingDecided,
    /// An action from a management decision done by its due date.
    ActionDone,
    /// A management review closed.
    ReviewClosed,
    /// Personal involvement logged by or for a top manager.
    Involvement,
    /// A training campaign completed by a top manager.
    TrainingCompleted,
    /// A phishing simulation approved by top management.
    PhishingApproved,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 14] = [
        EvidenceKind::PolicyApproved,
        EvidenceKind::PolicyReviewed,
        EvidenceKind::ObjectiveSet,
        EvidenceKind::ObjectiveMeasured,
        EvidenceKind::ResourceApproved,
        EvidenceKind::ResourceSpent,
        EvidenceKind::Appointment,
        EvidenceKind::CommunicationSent,
        EvidenceKind::MeetingDecided,
        EvidenceKind::ActionDone,
        EvidenceKind::ReviewClosed,
        EvidenceKind::Involvement,
        EvidenceKind::TrainingCompleted,
        EvidenceKind::PhishingApproved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::PolicyApproved => "policy_approved",
            EvidenceKind::PolicyReviewed => "policy_reviewed",
            EvidenceKind::ObjectiveSet => "objective_set",
            EvidenceKind::ObjectiveMeasured => "objective_measured",
            EvidenceKind::ResourceApproved => "resource_approved",
            EvidenceKind::ResourceSpent => "resource_spent",
            EvidenceKind::Appointment => "appointment",
            EvidenceKind::CommunicationSent => "communication_sent",
            EvidenceKind::MeetingDecided => "meeting_decided",
            EvidenceKind::ActionDone => "action_done",
            EvidenceKind::ReviewClosed => "review_closed",
            EvidenceKind::Involvement => "involvement",
            EvidenceKind::TrainingCompleted => "training_completed",
            EvidenceKind::PhishingApproved => "phishing_approved",
        }
    }

    /// The kind in words, plural, as the index lists it.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::PolicyApproved => "policy versions approved by top management",
            EvidenceKind::PolicyReviewed => "policies reviewed on time",
            EvidenceKind::ObjectiveSet => "objectives set by top management",
            EvidenceKind::ObjectiveMeasured => "objective measurements",
            EvidenceKind::ResourceApproved => "resources approved",
            EvidenceKind::ResourceSpent => "approved resources spent",
            EvidenceKind::Appointment => "appointments made",
            EvidenceKind::CommunicationSent => "communications sent by top management",
            EvidenceKind::MeetingDecided => "management meetings that decided something",
            EvidenceKind::ActionDone => "actions done by their due date",
            EvidenceKind::ReviewClosed => "management reviews closed",
            EvidenceKind::Involvement => "personal involvement",
            EvidenceKind::TrainingCompleted => "training completed by top managers",
            EvidenceKind::PhishingApproved => "phishing simulations approved",
        }
    }
}

impl Duty {
    pub const ALL: [Duty; 16] = [
        Duty::PolicyAndObjectives,
        Duty::Integration,
        Duty::ResourcesAvailable,
        Duty::CommunicatesImportance,
        Duty::IntendedOutcomes,
        Duty::DirectsPeople,
        Duty::PromotesImprovement,
        Duty::SupportsManagers,
        Duty::Policy,
        Duty::Appointments,
        Duty::Objectives,
        Duty::Resources,
        Duty::Communication,
        Duty::ManagementReview,
        Duty::Nis2RiskMeasures,
        Duty::Nis2Training,
    ];

    /// The stable key used in URLs, the API and settings.
    pub fn as_str(self) -> &'static str {
        match self {
            Duty::PolicyAndObjectives => "5.1a",
            Duty::Integration => "5.1b",
            Duty::ResourcesAvailable => "5.1c",
            Duty::CommunicatesImportance => "5.1d",
            Duty::IntendedOutcomes => "5.1e",
            Duty::DirectsPeople => "5.1f",
            Duty::PromotesImprovement => "5.1g",
            Duty::SupportsManagers => "5.1h",
            Duty::Policy => "5.2",
            Duty::Appointments => "5.3",
            Duty::Objectives => "6.2",
            Duty::Resources => "7.1",
            Duty::Communication => "7.4",
            Duty::ManagementReview => "9.3",
            Duty::Nis2RiskMeasures => "nis2-20.1",
            Duty::Nis2Training => "nis2-20.2",
        }
    }

    /// Where the duty comes from, as an auditor would cite it.
    pub fn clause(self) -> &'static str {
        match self {
            Duty::PolicyAndObjectives => "ISO/IEC 27001 5.1 a",
            Duty::Integration => "ISO/IEC 27001 5.1 b",
            Duty::ResourcesAvailable => "ISO/IEC 27001 5.1 c",
            Duty::CommunicatesImportance => "ISO/IEC 27001 5.1 d",
            Duty::IntendedOutcomes => "ISO/IEC 27001 5.1 e",
            Duty::DirectsPeople => "ISO/IEC 27001 5.1 f",
            Duty::PromotesImprovement => "ISO/IEC 27001 5.1 g",
            Duty::SupportsManagers => "ISO/IEC 27001 5.1 h",
            Duty::Policy => "ISO/IEC 27001 5.2",
            Duty::Appointments => "ISO/IEC 27001 5.3",
            Duty::Objectives => "ISO/IEC 27001 6.2",
            Duty::Resources => "ISO/IEC 27001 7.1",
            Duty::Communication => "ISO/IEC 27001 7.4",
            Duty::ManagementReview => "ISO/IEC 27001 9.3",
            Duty::Nis2RiskMeasures => "NIS2 Art. 20(1)",
            Duty::Nis2Training => "NIS2 Art. 20(2)",
        }
    }

    /// The duty in a few words of our own.
    pub fn title(self) -> &'static str {
        match self {
            Duty::PolicyAndObjectives => "Policy and objectives fit the direction of the business",
            Duty::Integration => "Security is part of how the organisation works",
            Duty::ResourcesAvailable => "The ISMS has what it needs",
            Duty::CommunicatesImportance => "Management says why security matters",
            Duty::IntendedOutcomes => "The ISMS delivers what it is for",
            Duty::DirectsPeople => "People are directed and supported",
            Duty::PromotesImprovement => "Improvement is driven from the top",
            Duty::SupportsManagers => "Other managers are backed in their areas",
            Duty::Policy => "The security policy is approved and kept current",
            Duty::Appointments => "Responsibilities are assigned",
            Duty::Objectives => "Objectives are set and measured",
            Duty::Resources => "Resources are granted and spent",
            Duty::Communication => "Management communicates",
            Duty::ManagementReview => "The ISMS is reviewed at planned intervals",
            Duty::Nis2RiskMeasures => "The management body approves the risk measures",
            Duty::Nis2Training => "The management body is trained",
        }
    }

    /// The kinds of record that evidence the duty, most telling first.
    pub fn evidence(self) -> &'static [EvidenceKind] {
        use EvidenceKind::*;
        match self {
            Duty::PolicyAndObjectives => &[PolicyApproved, ObjectiveSet, PolicyReviewed],
            Duty::Integration => &[MeetingDecided, ActionDone, ResourceApproved],
            Duty::ResourcesAvailable => &[ResourceApproved, ResourceSpent],
            Duty::CommunicatesImportance => &[CommunicationSent, Involvement],
            Duty::IntendedOutcomes => &[ObjectiveMeasured, ReviewClosed],
            Duty::DirectsPeople => &[Appointment, Involvement, ActionDone],
            Duty::PromotesImprovement => &[ActionDone, ReviewClosed, Involvement],
            Duty::SupportsManagers => &[Appointment, Involvement, MeetingDecided],
            Duty::Policy => &[PolicyApproved, PolicyReviewed],
            Duty::Appointments => &[Appointment],
            Duty::Objectives => &[ObjectiveSet, ObjectiveMeasured],
            Duty::Resources => &[ResourceApproved, ResourceSpent],
            Duty::Communication => &[CommunicationSent],
            Duty::ManagementReview => &[ReviewClosed],
            Duty::Nis2RiskMeasures => &[MeetingDecided, PhishingApproved, ResourceApproved],
            Duty::Nis2Training => &[TrainingCompleted],
        }
    }

    /// How many days a record stays fresh for this duty unless the organisation sets another window.
    pub fn default_window_days(self) -> i64 {
        match self {
            Duty::Policy | Duty::ManagementReview | Duty::Appointments | Duty::Nis2Training => 365,
            Duty::PolicyAndObjectives | Duty::Objectives | Duty::Nis2RiskMeasures => 365,
            Duty::ResourcesAvailable | Duty::Resources | Duty::SupportsManagers => 365,
            Duty::Integration | Duty::IntendedOutcomes | Duty::PromotesImprovement => 180,
            Duty::CommunicatesImportance | Duty::Communication | Duty::DirectsPeople => 90,
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Duty::ALL.into_iter().find(|d| d.as_str() == text.trim()).ok_or_else(|| {
            let keys: Vec<&str> = Duty::ALL.iter().map(|d| d.as_str()).collect();
            Invalid::new(format!("unknown duty '{}'; use one of {}", text.trim(), keys.join(", ")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_duty_has_evidence_a_window_and_a_unique_key() {
        let mut keys = std::collections::HashSet::new();
        for duty in Duty::ALL {
            assert!(!duty.evidence().is_empty(), "{duty:?} has no evidence kinds");
            assert!(duty.default_window_days() >= 30);
            assert!(keys.insert(duty.as_str()), "{} twice", duty.as_str());
            assert_eq!(Duty::parse(duty.as_str()).unwrap(), duty);
        }
        assert!(Duty::parse("5.9").unwrap_err().0.contains("5.1a"));
    }
}
