//! Meetings of management, the decisions taken in them and the actions that follow (ISO/IEC 27001 5.1, 7.4, 9.3):
//! the kinds of meeting, who attended, the ISMS topics and clauses an agenda item covers, the life of an action
//! and the follow-through of decisions. Management reviews are a capability of their own, not a kind here.

use super::Invalid;
use super::ids::UserId;
use super::role::Role;

mod clause;
mod follow_through;
pub use clause::check_clause;
pub use follow_through::FollowThrough;

/// Declares a closed set of names stored as snake_case text, with a label for people and a parser whose
/// message lists what is accepted.
macro_rules! named_set {
    ($(#[$doc:meta])* $name:ident, $what:literal, { $($variant:ident => ($text:literal, $label:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(text: &str) -> Result<Self, Invalid> {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                Self::ALL.iter().copied().find(|v| v.as_str() == text.trim()).ok_or_else(|| {
                    Invalid::new(format!("unknown {} '{}'; use one of {}", $what, text.trim(), names.join(", ")))
                })
            }
        }
    };
}

named_set!(
    /// What body met. Management reviews (9.3) are recorded by their own capability.
    MeetingKind, "meeting kind", {
        ManagementTeam => ("management_team", "Management team"),
        IsmsCommittee => ("isms_committee", "ISMS committee"),
        Board => ("board", "Board"),
        Other => ("other", "Other meeting"),
    }
);

named_set!(
    /// Whether an invited member attended.
    Presence, "attendance", {
        Present => ("present", "present"),
        Absent => ("absent", "absent"),
        Excused => ("excused", "excused"),
    }
);

named_set!(
    /// The ISMS subjects an agenda item or decision is about; the leadership checks look for them (for example,
    /// whether incidents ever reached management).
    Topic, "topic", {
        Incidents => ("incidents", "incidents"),
        Risks => ("risks", "risks"),
        Suppliers => ("suppliers", "suppliers"),
        Resources => ("resources", "resources"),
        Objectives => ("objectives", "objectives"),
        Audits => ("audits", "audits"),
        Policies => ("policies", "policies"),
        Awareness => ("awareness", "awareness"),
        Continuity => ("continuity", "continuity"),
        Roles => ("roles", "roles"),
        Nonconformities => ("nonconformities", "nonconformities"),
        Improvement => ("improvement", "improvement"),
        Compliance => ("compliance", "compliance"),
        Other => ("other", "other"),
    }
);

named_set!(
    /// Where an action stands.
    ActionStatus, "action status", {
        Open => ("open", "open"),
        Done => ("done", "done"),
        Cancelled => ("cancelled", "cancelled"),
    }
);

/// The longest title of a meeting, agenda item or action, and the longest place.
pub const TITLE_MAX: usize = 200;
/// The longest minutes (Markdown).
pub const MINUTES_MAX: usize = 100_000;
/// The longest decision text, completion note or cancellation reason.
pub const TEXT_MAX: usize = 4_000;
/// The most agenda items and attendees one meeting takes.
pub const AGENDA_MAX: usize = 50;
pub const ATTENDEES_MAX: usize = 200;

/// Reads a list of topics (one or more, each named once); `what` names the item for the message.
pub fn check_topics(names: &[String], what: &str) -> Result<Vec<Topic>, Invalid> {
    let mut topics = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let topic = Topic::parse(name)?;
        if !topics.contains(&topic) {
            topics.push(topic);
        }
    }
    if topics.is_empty() {
        return Err(Invalid::new(format!("{what} needs at least one ISMS topic (e.g. incidents, risks)")));
    }
    Ok(topics)
}

/// Reads a list of clause numbers, each checked against the standards' clauses, without repeats.
pub fn check_clauses(numbers: &[String]) -> Result<Vec<String>, Invalid> {
    let mut clauses: Vec<String> = Vec::new();
    for number in numbers.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let clause = check_clause(number)?;
        if !clauses.contains(&clause) {
            clauses.push(clause);
        }
    }
    Ok(clauses)
}

/// Joins names into the stored form: `,a,b,` (so `like '%,a,%'` finds one), or empty for none.
pub fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let joined: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!(",{},", joined.join(","))
}

/// Splits the stored form back into names.
pub fn split_list(stored: &str) -> Vec<String> {
    stored.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Who may close or cancel an action: its owner, the ISMS manager and administrators. Top management closes only
/// its own actions, so the record shows the owner did the work rather than someone ticking it off for them.
pub fn may_close(role: Role, user: UserId, owner: UserId) -> bool {
    matches!(role, Role::Admin | Role::IsmsManager) || user == owner
}

/// Who may read an action: everyone who reads meetings, and employees only the actions they own.
pub fn may_read_action(role: Role, user: UserId, owner: UserId) -> bool {
    role != Role::Employee || user == owner
}

/// Checks closing an open action as done (`cancel_reason` is `None`) or cancelled (with its reason).
pub fn check_close(status: ActionStatus, cancel_reason: Option<&str>) -> Result<(), CloseRefusal> {
    if status != ActionStatus::Open {
        return Err(CloseRefusal::State(format!("the action is already {}", status.as_str())));
    }
    if cancel_reason.is_some_and(|r| r.trim().is_empty()) {
        return Err(CloseRefusal::Invalid("say why the action is cancelled (reason)".into()));
    }
    Ok(())
}

/// Why closing an action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseRefusal {
    /// The input is incomplete (422).
    Invalid(String),
    /// The action is not open (409).
    State(String),
}

/// Whether an open action is overdue at `now`: its due day has passed.
pub fn is_overdue(status: ActionStatus, due_on: i64, now: i64) -> bool {
    status == ActionStatus::Open && now >= due_on + 86_400
}

#[cfg(test)]
mod tests;
