//! The access rules: one table from (method, route) to who may call it. A route missing from this table is
//! refused at run time and fails the test suite.

use crate::domain::role::Role;
use axum::http::Method;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in, even before choosing an organisation.
    SignedIn,
    /// Members of the current organisation holding one of these roles.
    Roles(&'static [Role]),
}

use Role::{Admin, Auditor, Employee, IsmsManager, TopManagement};

/// Every member, whatever their role.
pub const MEMBERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor, Employee];
/// Administrators only.
pub const ADMINS: &[Role] = &[Admin];
/// Who may read evidence.
pub const EVIDENCE_READERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may upload evidence.
pub const EVIDENCE_WRITERS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may write policies and take their steps (approval itself is top management's, checked by the rule).
pub const POLICY_EDITORS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may see who acknowledged a policy.
pub const POLICY_OVERSEERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Top management only.
pub const TOP_MANAGEMENT: &[Role] = &[TopManagement];
/// Who may read the resources register.
pub const RESOURCE_READERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may request resources, record spending and time, and close commitments.
pub const RESOURCE_WRITERS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may read the ledger: everyone who oversees the ISMS (not employees).
pub const LEDGER_READERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may read objectives: every member. 6.2 wants objectives communicated, so employees read the
/// organisational ones; of personal objectives they see only their own (checked per record).
pub const OBJECTIVE_READERS: &[Role] = MEMBERS;
/// Who may set, change and close objectives: those who plan the ISMS and top management, who sets objectives.
pub const OBJECTIVE_EDITORS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may record and withdraw measurements: the ISMS manager and administrators on any objective; top
/// management and employees only on objectives they own (checked per record). Auditors stay read-only.
pub const MEASUREMENT_WRITERS: &[Role] = &[Admin, IsmsManager, TopManagement, Employee];
/// Who may read the role catalogue, appointments and the RACI matrix: every member, employees included, because
/// ISO/IEC 27001 5.3 asks that responsibilities and authorities be communicated within the organisation.
pub const ROLE_READERS: &[Role] = MEMBERS;
/// Who may change the catalogue, the RACI matrix and segregation rules: the people who run the ISMS.
pub const ROLE_EDITORS: &[Role] = &[Admin, IsmsManager];
/// Who may record appointments: administrators and ISMS managers on behalf of a named top manager, and top
/// management their own (enforced by the operation).
pub const APPOINTMENT_WRITERS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may read segregation-of-duties rules and findings: those who oversee the ISMS. Findings are weaknesses
/// in internal control, so, like the ledger, not for every employee.
pub const SOD_READERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may read the communication plan and the communications sent: every member, because ISO/IEC 27001 7.4
/// wants what is communicated, when and by whom to be known.
pub const COMMUNICATION_READERS: &[Role] = MEMBERS;
/// Who may plan and record communications, launch training and record completions: those who run the ISMS and
/// top management, who sponsors awareness.
pub const COMMUNICATION_WRITERS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may see training campaigns and everyone's completion: those who oversee the ISMS. Employees see their
/// own training (on the training page and in their tasks).
pub const TRAINING_OVERSEERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may read phishing simulations and their results: those who oversee the ISMS. Individual results are
/// sensitive, so employees see none of them.
pub const PHISHING_READERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may record a simulation and its approval: those who run awareness, and top management, who approve it.
pub const PHISHING_RECORDERS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may import a simulation's results.
pub const PHISHING_IMPORTERS: &[Role] = &[Admin, IsmsManager];
/// Who may read top management's personal involvement log.
pub const INVOLVEMENT_READERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may log involvement: top managers their own, the ISMS manager and administrators on their behalf
/// (enforced by the operation).
pub const INVOLVEMENT_WRITERS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may read the leadership page (the Leadership Evidence Index and the façade detectors' findings): those who
/// oversee the ISMS, auditors included. Employees do not: the index judges named managers.
pub const LEADERSHIP_READERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may change the index's freshness windows: those who run the ISMS and top management.
pub const LEADERSHIP_EDITORS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may read meetings, their minutes and decisions, and follow-through: those who oversee the ISMS. Minutes
/// record management's deliberations, so employees do not read them.
pub const MEETING_READERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may record meetings, decisions and actions: top management and those who keep the records for it.
pub const MEETING_WRITERS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may read actions: every member, employees only the actions they own (checked per record), because an
/// employee given an action must see what is asked and by when.
pub const ACTION_READERS: &[Role] = MEMBERS;
/// Who may close or cancel actions: administrators and ISMS managers any action; top management and employees only
/// the actions they own (checked per record). Auditors stay read-only.
pub const ACTION_CLOSERS: &[Role] = &[Admin, IsmsManager, TopManagement, Employee];
/// Who may dismiss a finding (with a reason) or turn it into an action. Auditors stay read-only.
pub const FINDING_WRITERS: &[Role] = &[Admin, IsmsManager, TopManagement];
/// Who may read management reviews, their inputs and minutes: those who oversee the ISMS, auditors included.
pub const REVIEW_READERS: &[Role] = &[Admin, IsmsManager, TopManagement, Auditor];
/// Who may schedule, prepare, hold and close management reviews: top management and those who prepare them.
pub const REVIEW_WRITERS: &[Role] = &[Admin, IsmsManager, TopManagement];

const GET: &str = "GET";
const POST: &str = "POST";
const PATCH: &str = "PATCH";
const DELETE: &str = "DELETE";

/// The table. Keep it sorted by path so reviewers can read it as the application's access policy.
pub const RULES: &[(&str, &str, Access)] = &[
    (GET, "/", Access::Roles(MEMBERS)),
    (GET, "/actions", Access::Roles(ACTION_READERS)),
    (GET, "/actions/{id}", Access::Roles(ACTION_READERS)),
    (POST, "/actions/{id}/cancel", Access::Roles(ACTION_CLOSERS)),
    (POST, "/actions/{id}/close", Access::Roles(ACTION_CLOSERS)),
    (GET, "/admin/import", Access::Roles(ADMINS)),
    (POST, "/admin/import", Access::Roles(ADMINS)),
    (GET, "/admin/tokens", Access::Roles(ADMINS)),
    (POST, "/admin/tokens", Access::Roles(ADMINS)),
    (POST, "/admin/tokens/{id}/revoke", Access::Roles(ADMINS)),
    (GET, "/admin/users", Access::Roles(ADMINS)),
    (POST, "/admin/users", Access::Roles(ADMINS)),
    (POST, "/admin/users/{id}", Access::Roles(ADMINS)),
    (GET, "/api/v1/actions", Access::Roles(ACTION_READERS)),
    (GET, "/api/v1/actions/follow-through", Access::Roles(MEETING_READERS)),
    (GET, "/api/v1/actions/{id}", Access::Roles(ACTION_READERS)),
    (POST, "/api/v1/actions/{id}/cancel", Access::Roles(ACTION_CLOSERS)),
    (POST, "/api/v1/actions/{id}/close", Access::Roles(ACTION_CLOSERS)),
    (GET, "/api/v1/appointments", Access::Roles(ROLE_READERS)),
    (POST, "/api/v1/appointments", Access::Roles(APPOINTMENT_WRITERS)),
    (GET, "/api/v1/appointments/{id}", Access::Roles(ROLE_READERS)),
    (PATCH, "/api/v1/appointments/{id}", Access::Roles(APPOINTMENT_WRITERS)),
    (POST, "/api/v1/appointments/{id}/end", Access::Roles(APPOINTMENT_WRITERS)),
    (GET, "/api/v1/communication/plan", Access::Roles(COMMUNICATION_READERS)),
    (POST, "/api/v1/communication/plan", Access::Roles(COMMUNICATION_WRITERS)),
    (GET, "/api/v1/communication/plan/{id}", Access::Roles(COMMUNICATION_READERS)),
    (POST, "/api/v1/communication/plan/{id}/retire", Access::Roles(COMMUNICATION_WRITERS)),
    (GET, "/api/v1/communications", Access::Roles(COMMUNICATION_READERS)),
    (POST, "/api/v1/communications", Access::Roles(COMMUNICATION_WRITERS)),
    (GET, "/api/v1/decisions/{id}", Access::Roles(MEETING_READERS)),
    (GET, "/api/v1/evidence", Access::Roles(EVIDENCE_READERS)),
    (POST, "/api/v1/evidence", Access::Roles(EVIDENCE_WRITERS)),
    (GET, "/api/v1/evidence/{id}", Access::Roles(EVIDENCE_READERS)),
    (GET, "/api/v1/evidence/{id}/content", Access::Roles(EVIDENCE_READERS)),
    (GET, "/api/v1/involvement", Access::Roles(INVOLVEMENT_READERS)),
    (POST, "/api/v1/involvement", Access::Roles(INVOLVEMENT_WRITERS)),
    (GET, "/api/v1/involvement/{id}", Access::Roles(INVOLVEMENT_READERS)),
    (GET, "/api/v1/leadership", Access::Roles(LEADERSHIP_READERS)),
    (GET, "/api/v1/leadership/duties/{duty}", Access::Roles(LEADERSHIP_READERS)),
    (GET, "/api/v1/leadership/findings", Access::Roles(LEADERSHIP_READERS)),
    (POST, "/api/v1/leadership/findings/actions", Access::Roles(FINDING_WRITERS)),
    (POST, "/api/v1/leadership/findings/dismissals", Access::Roles(FINDING_WRITERS)),
    (POST, "/api/v1/leadership/findings/dismissals/withdraw", Access::Roles(FINDING_WRITERS)),
    (GET, "/api/v1/leadership/windows", Access::Roles(LEADERSHIP_READERS)),
    (PATCH, "/api/v1/leadership/windows/{duty}", Access::Roles(LEADERSHIP_EDITORS)),
    (GET, "/api/v1/ledger/checkpoint", Access::Roles(LEDGER_READERS)),
    (GET, "/api/v1/ledger/events", Access::Roles(LEDGER_READERS)),
    (GET, "/api/v1/me", Access::Roles(MEMBERS)),
    (GET, "/api/v1/me/tasks", Access::Roles(MEMBERS)),
    (GET, "/api/v1/meetings", Access::Roles(MEETING_READERS)),
    (POST, "/api/v1/meetings", Access::Roles(MEETING_WRITERS)),
    (GET, "/api/v1/meetings/{id}", Access::Roles(MEETING_READERS)),
    (POST, "/api/v1/meetings/{id}/actions", Access::Roles(MEETING_WRITERS)),
    (POST, "/api/v1/meetings/{id}/decisions", Access::Roles(MEETING_WRITERS)),
    (GET, "/api/v1/objectives", Access::Roles(OBJECTIVE_READERS)),
    (POST, "/api/v1/objectives", Access::Roles(OBJECTIVE_EDITORS)),
    (GET, "/api/v1/objectives/{id}", Access::Roles(OBJECTIVE_READERS)),
    (PATCH, "/api/v1/objectives/{id}", Access::Roles(OBJECTIVE_EDITORS)),
    (GET, "/api/v1/objectives/{id}/measurements", Access::Roles(OBJECTIVE_READERS)),
    (POST, "/api/v1/objectives/{id}/measurements", Access::Roles(MEASUREMENT_WRITERS)),
    (POST, "/api/v1/objectives/{id}/measurements/{measurement_id}/withdraw", Access::Roles(MEASUREMENT_WRITERS)),
    (GET, "/api/v1/openapi.json", Access::Public),
    (POST, "/api/v1/people/import", Access::Roles(ADMINS)),
    (GET, "/api/v1/phishing", Access::Roles(PHISHING_READERS)),
    (POST, "/api/v1/phishing", Access::Roles(PHISHING_RECORDERS)),
    (GET, "/api/v1/phishing/{id}", Access::Roles(PHISHING_READERS)),
    (GET, "/api/v1/phishing/{id}/results", Access::Roles(PHISHING_READERS)),
    (POST, "/api/v1/phishing/{id}/results/import", Access::Roles(PHISHING_IMPORTERS)),
    (GET, "/api/v1/policies", Access::Roles(MEMBERS)),
    (POST, "/api/v1/policies", Access::Roles(POLICY_EDITORS)),
    (GET, "/api/v1/policies/{id}", Access::Roles(MEMBERS)),
    (PATCH, "/api/v1/policies/{id}", Access::Roles(POLICY_EDITORS)),
    (GET, "/api/v1/policies/{id}/exceptions", Access::Roles(POLICY_OVERSEERS)),
    (POST, "/api/v1/policies/{id}/exceptions", Access::Roles(MEMBERS)),
    (POST, "/api/v1/policies/{id}/exceptions/{exception_id}/decision", Access::Roles(TOP_MANAGEMENT)),
    (GET, "/api/v1/policies/{id}/reviews", Access::Roles(POLICY_OVERSEERS)),
    (POST, "/api/v1/policies/{id}/reviews", Access::Roles(POLICY_EDITORS)),
    (POST, "/api/v1/policies/{id}/versions", Access::Roles(POLICY_EDITORS)),
    (GET, "/api/v1/policies/{id}/versions/{number}", Access::Roles(MEMBERS)),
    (PATCH, "/api/v1/policies/{id}/versions/{number}", Access::Roles(POLICY_EDITORS)),
    (GET, "/api/v1/policies/{id}/versions/{number}/acknowledgements", Access::Roles(POLICY_OVERSEERS)),
    (POST, "/api/v1/policies/{id}/versions/{number}/acknowledgements", Access::Roles(MEMBERS)),
    (POST, "/api/v1/policies/{id}/versions/{number}/campaigns", Access::Roles(POLICY_EDITORS)),
    (POST, "/api/v1/policies/{id}/versions/{number}/steps", Access::Roles(POLICY_EDITORS)),
    (GET, "/api/v1/raci", Access::Roles(ROLE_READERS)),
    (POST, "/api/v1/raci/processes", Access::Roles(ROLE_EDITORS)),
    (PATCH, "/api/v1/raci/processes/{id}", Access::Roles(ROLE_EDITORS)),
    (GET, "/api/v1/resources", Access::Roles(RESOURCE_READERS)),
    (POST, "/api/v1/resources", Access::Roles(RESOURCE_WRITERS)),
    (GET, "/api/v1/resources/settings", Access::Roles(RESOURCE_READERS)),
    (PATCH, "/api/v1/resources/settings", Access::Roles(ADMINS)),
    (GET, "/api/v1/resources/{id}", Access::Roles(RESOURCE_READERS)),
    (POST, "/api/v1/resources/{id}/approve", Access::Roles(TOP_MANAGEMENT)),
    (POST, "/api/v1/resources/{id}/close", Access::Roles(RESOURCE_WRITERS)),
    (GET, "/api/v1/resources/{id}/entries", Access::Roles(RESOURCE_READERS)),
    (POST, "/api/v1/resources/{id}/entries", Access::Roles(RESOURCE_WRITERS)),
    (POST, "/api/v1/resources/{id}/refuse", Access::Roles(TOP_MANAGEMENT)),
    (GET, "/api/v1/reviews", Access::Roles(REVIEW_READERS)),
    (POST, "/api/v1/reviews", Access::Roles(REVIEW_WRITERS)),
    (PATCH, "/api/v1/reviews/schedule", Access::Roles(REVIEW_WRITERS)),
    (GET, "/api/v1/reviews/{id}", Access::Roles(REVIEW_READERS)),
    (PATCH, "/api/v1/reviews/{id}/attendance", Access::Roles(REVIEW_WRITERS)),
    (POST, "/api/v1/reviews/{id}/close", Access::Roles(REVIEW_WRITERS)),
    (POST, "/api/v1/reviews/{id}/complete", Access::Roles(REVIEW_WRITERS)),
    (PATCH, "/api/v1/reviews/{id}/inputs/{key}", Access::Roles(REVIEW_WRITERS)),
    (POST, "/api/v1/reviews/{id}/open", Access::Roles(REVIEW_WRITERS)),
    (POST, "/api/v1/reviews/{id}/outputs", Access::Roles(REVIEW_WRITERS)),
    (POST, "/api/v1/reviews/{id}/recompile", Access::Roles(REVIEW_WRITERS)),
    (GET, "/api/v1/roles", Access::Roles(ROLE_READERS)),
    (POST, "/api/v1/roles", Access::Roles(ROLE_EDITORS)),
    (GET, "/api/v1/roles/{id}", Access::Roles(ROLE_READERS)),
    (PATCH, "/api/v1/roles/{id}", Access::Roles(ROLE_EDITORS)),
    (DELETE, "/api/v1/roles/{id}", Access::Roles(ROLE_EDITORS)),
    (GET, "/api/v1/sod-conflicts", Access::Roles(SOD_READERS)),
    (GET, "/api/v1/sod-rules", Access::Roles(SOD_READERS)),
    (POST, "/api/v1/sod-rules", Access::Roles(ROLE_EDITORS)),
    (PATCH, "/api/v1/sod-rules/{id}", Access::Roles(ROLE_EDITORS)),
    (GET, "/api/v1/tokens", Access::Roles(ADMINS)),
    (POST, "/api/v1/tokens", Access::Roles(ADMINS)),
    (DELETE, "/api/v1/tokens/{id}", Access::Roles(ADMINS)),
    (GET, "/api/v1/training", Access::Roles(TRAINING_OVERSEERS)),
    (POST, "/api/v1/training", Access::Roles(COMMUNICATION_WRITERS)),
    (GET, "/api/v1/training/{id}", Access::Roles(TRAINING_OVERSEERS)),
    (POST, "/api/v1/training/{id}/completions", Access::Roles(COMMUNICATION_WRITERS)),
    (POST, "/api/v1/training/{id}/completions/import", Access::Roles(COMMUNICATION_WRITERS)),
    (GET, "/api/v1/training/{id}/enrolments", Access::Roles(TRAINING_OVERSEERS)),
    (GET, "/api/v1/users", Access::Roles(ADMINS)),
    (POST, "/api/v1/users", Access::Roles(ADMINS)),
    (GET, "/api/v1/users/{id}", Access::Roles(ADMINS)),
    (PATCH, "/api/v1/users/{id}", Access::Roles(ADMINS)),
    (GET, "/appointments", Access::Roles(ROLE_READERS)),
    (POST, "/appointments", Access::Roles(APPOINTMENT_WRITERS)),
    (GET, "/appointments/{id}", Access::Roles(ROLE_READERS)),
    (POST, "/appointments/{id}", Access::Roles(APPOINTMENT_WRITERS)),
    (POST, "/appointments/{id}/end", Access::Roles(APPOINTMENT_WRITERS)),
    (GET, "/communication", Access::Roles(COMMUNICATION_READERS)),
    (POST, "/communication/plan", Access::Roles(COMMUNICATION_WRITERS)),
    (GET, "/communication/plan/{id}", Access::Roles(COMMUNICATION_READERS)),
    (POST, "/communication/plan/{id}/retire", Access::Roles(COMMUNICATION_WRITERS)),
    (GET, "/communication/record", Access::Roles(COMMUNICATION_WRITERS)),
    (POST, "/communication/record", Access::Roles(COMMUNICATION_WRITERS)),
    (GET, "/decisions/{id}", Access::Roles(MEETING_READERS)),
    (GET, "/evidence", Access::Roles(EVIDENCE_READERS)),
    (POST, "/evidence", Access::Roles(EVIDENCE_WRITERS)),
    (GET, "/evidence/{id}", Access::Roles(EVIDENCE_READERS)),
    (GET, "/evidence/{id}/content", Access::Roles(EVIDENCE_READERS)),
    (GET, "/healthz", Access::Public),
    (GET, "/involvement", Access::Roles(INVOLVEMENT_READERS)),
    (POST, "/involvement", Access::Roles(INVOLVEMENT_WRITERS)),
    (GET, "/involvement/new", Access::Roles(INVOLVEMENT_WRITERS)),
    (GET, "/involvement/{id}", Access::Roles(INVOLVEMENT_READERS)),
    (GET, "/leadership", Access::Roles(LEADERSHIP_READERS)),
    (GET, "/leadership/duties/{duty}", Access::Roles(LEADERSHIP_READERS)),
    (GET, "/leadership/findings", Access::Roles(LEADERSHIP_READERS)),
    (POST, "/leadership/findings/act", Access::Roles(FINDING_WRITERS)),
    (POST, "/leadership/findings/dismiss", Access::Roles(FINDING_WRITERS)),
    (POST, "/leadership/findings/undismiss", Access::Roles(FINDING_WRITERS)),
    (GET, "/leadership/windows", Access::Roles(LEADERSHIP_EDITORS)),
    (POST, "/leadership/windows", Access::Roles(LEADERSHIP_EDITORS)),
    (GET, "/ledger", Access::Roles(LEDGER_READERS)),
    (GET, "/login", Access::Public),
    (POST, "/login", Access::Public),
    (POST, "/logout", Access::SignedIn),
    (GET, "/meetings", Access::Roles(MEETING_READERS)),
    (POST, "/meetings", Access::Roles(MEETING_WRITERS)),
    (GET, "/meetings/new", Access::Roles(MEETING_WRITERS)),
    (GET, "/meetings/{id}", Access::Roles(MEETING_READERS)),
    (POST, "/meetings/{id}/actions", Access::Roles(MEETING_WRITERS)),
    (POST, "/meetings/{id}/decisions", Access::Roles(MEETING_WRITERS)),
    (GET, "/objectives", Access::Roles(OBJECTIVE_READERS)),
    (POST, "/objectives", Access::Roles(OBJECTIVE_EDITORS)),
    (GET, "/objectives/new", Access::Roles(OBJECTIVE_EDITORS)),
    (GET, "/objectives/personal", Access::Roles(OBJECTIVE_READERS)),
    (GET, "/objectives/{id}", Access::Roles(OBJECTIVE_READERS)),
    (POST, "/objectives/{id}", Access::Roles(OBJECTIVE_EDITORS)),
    (GET, "/objectives/{id}/chart.svg", Access::Roles(OBJECTIVE_READERS)),
    (GET, "/objectives/{id}/edit", Access::Roles(OBJECTIVE_EDITORS)),
    (POST, "/objectives/{id}/measurements", Access::Roles(MEASUREMENT_WRITERS)),
    (POST, "/objectives/{id}/measurements/{measurement_id}/withdraw", Access::Roles(MEASUREMENT_WRITERS)),
    (POST, "/objectives/{id}/status", Access::Roles(OBJECTIVE_EDITORS)),
    (GET, "/orgs/choose", Access::SignedIn),
    (POST, "/orgs/choose", Access::SignedIn),
    (GET, "/phishing", Access::Roles(PHISHING_READERS)),
    (POST, "/phishing", Access::Roles(PHISHING_RECORDERS)),
    (GET, "/phishing/new", Access::Roles(PHISHING_RECORDERS)),
    (GET, "/phishing/{id}", Access::Roles(PHISHING_READERS)),
    (POST, "/phishing/{id}/results", Access::Roles(PHISHING_IMPORTERS)),
    (GET, "/policies", Access::Roles(MEMBERS)),
    (POST, "/policies", Access::Roles(POLICY_EDITORS)),
    (GET, "/policies/{id}", Access::Roles(MEMBERS)),
    (POST, "/policies/{id}", Access::Roles(POLICY_EDITORS)),
    (POST, "/policies/{id}/exceptions", Access::Roles(MEMBERS)),
    (POST, "/policies/{id}/exceptions/{exception_id}/decision", Access::Roles(TOP_MANAGEMENT)),
    (POST, "/policies/{id}/reviews", Access::Roles(POLICY_EDITORS)),
    (POST, "/policies/{id}/versions", Access::Roles(POLICY_EDITORS)),
    (GET, "/policies/{id}/versions/{number}", Access::Roles(MEMBERS)),
    (POST, "/policies/{id}/versions/{number}", Access::Roles(POLICY_EDITORS)),
    (POST, "/policies/{id}/versions/{number}/acknowledge", Access::Roles(MEMBERS)),
    (POST, "/policies/{id}/versions/{number}/campaigns", Access::Roles(POLICY_EDITORS)),
    (GET, "/policies/{id}/versions/{number}/document", Access::Roles(MEMBERS)),
    (POST, "/policies/{id}/versions/{number}/steps", Access::Roles(POLICY_EDITORS)),
    (GET, "/raci", Access::Roles(ROLE_READERS)),
    (POST, "/raci", Access::Roles(ROLE_EDITORS)),
    (GET, "/raci/{id}", Access::Roles(ROLE_READERS)),
    (POST, "/raci/{id}", Access::Roles(ROLE_EDITORS)),
    (POST, "/raci/{id}/cells", Access::Roles(ROLE_EDITORS)),
    (GET, "/resources", Access::Roles(RESOURCE_READERS)),
    (POST, "/resources", Access::Roles(RESOURCE_WRITERS)),
    (GET, "/resources/new", Access::Roles(RESOURCE_WRITERS)),
    (POST, "/resources/settings", Access::Roles(ADMINS)),
    (GET, "/resources/{id}", Access::Roles(RESOURCE_READERS)),
    (POST, "/resources/{id}/approve", Access::Roles(TOP_MANAGEMENT)),
    (POST, "/resources/{id}/close", Access::Roles(RESOURCE_WRITERS)),
    (POST, "/resources/{id}/entries", Access::Roles(RESOURCE_WRITERS)),
    (POST, "/resources/{id}/refuse", Access::Roles(TOP_MANAGEMENT)),
    (GET, "/reviews", Access::Roles(REVIEW_READERS)),
    (POST, "/reviews", Access::Roles(REVIEW_WRITERS)),
    (POST, "/reviews/schedule", Access::Roles(REVIEW_WRITERS)),
    (GET, "/reviews/{id}", Access::Roles(REVIEW_READERS)),
    (POST, "/reviews/{id}/attendance", Access::Roles(REVIEW_WRITERS)),
    (POST, "/reviews/{id}/close", Access::Roles(REVIEW_WRITERS)),
    (POST, "/reviews/{id}/complete", Access::Roles(REVIEW_WRITERS)),
    (GET, "/reviews/{id}/minutes", Access::Roles(REVIEW_READERS)),
    (POST, "/reviews/{id}/notes", Access::Roles(REVIEW_WRITERS)),
    (POST, "/reviews/{id}/open", Access::Roles(REVIEW_WRITERS)),
    (POST, "/reviews/{id}/outputs", Access::Roles(REVIEW_WRITERS)),
    (POST, "/reviews/{id}/recompile", Access::Roles(REVIEW_WRITERS)),
    (GET, "/roles", Access::Roles(ROLE_READERS)),
    (POST, "/roles", Access::Roles(ROLE_EDITORS)),
    (GET, "/roles/{id}", Access::Roles(ROLE_READERS)),
    (POST, "/roles/{id}", Access::Roles(ROLE_EDITORS)),
    (POST, "/roles/{id}/delete", Access::Roles(ROLE_EDITORS)),
    (GET, "/setup", Access::Public),
    (POST, "/setup", Access::Public),
    (POST, "/sod-rules", Access::Roles(ROLE_EDITORS)),
    (POST, "/sod-rules/{id}", Access::Roles(ROLE_EDITORS)),
    (GET, "/static/style.css", Access::Public),
    (GET, "/training", Access::Roles(MEMBERS)),
    (POST, "/training", Access::Roles(COMMUNICATION_WRITERS)),
    (GET, "/training/{id}", Access::Roles(TRAINING_OVERSEERS)),
    (POST, "/training/{id}/completions", Access::Roles(COMMUNICATION_WRITERS)),
    (POST, "/training/{id}/import", Access::Roles(COMMUNICATION_WRITERS)),
];

/// The rule for a route, if there is one. `HEAD` follows `GET`.
pub fn rule(method: &Method, path: &str) -> Option<Access> {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    RULES.iter().find(|(m, p, _)| *m == method && *p == path).map(|(_, _, access)| *access)
}

impl Access {
    /// Whether a member with `role` passes this rule.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public | Access::SignedIn => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_exactly_one_rule_and_every_rule_a_route() {
        let routes = crate::http::routes();
        for (method, path) in routes.table() {
            let matching = RULES.iter().filter(|(m, p, _)| *m == method.as_str() && p == path).count();
            assert_eq!(matching, 1, "{method} {path} needs exactly one access rule in http/access.rs");
        }
        for (method, path, _) in RULES {
            assert!(
                routes.table().iter().any(|(m, p)| m.as_str() == *method && p == path),
                "access rule for {method} {path} names no route"
            );
        }
    }

    #[test]
    fn rules_are_sorted_by_path() {
        let paths: Vec<&str> = RULES.iter().map(|(_, p, _)| *p).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
    }
}
