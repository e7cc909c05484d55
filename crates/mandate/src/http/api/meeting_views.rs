//! The JSON shapes of meetings, decisions, actions and follow-through, shared by the API handlers.

use crate::clock::{UnixTime, rfc3339};
use crate::db::decision::{DecisionRow, LinkedRecord};
use crate::db::meeting::{AgendaRow, AttendeeRow, MeetingRow};
use crate::db::meeting_action::ActionRow;
use crate::domain::meeting::{ActionStatus, FollowThrough, MeetingKind, Presence, Topic, is_overdue, split_list};
use crate::domain::objective::date_text;

/// Follow-through: of the actions whose outcome is known (done, or open past due), the share done on time.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FollowThroughView {
    pub on_time: i64,
    pub late: i64,
    pub overdue: i64,
    /// Open and not yet due: not counted either way.
    pub pending: i64,
    /// Cancelled with a reason: not counted.
    pub cancelled: i64,
    /// Whole percent done on time; null when no action counts yet (none, or none due).
    pub percent: Option<i64>,
    /// The figure in words, e.g. "no actions" or "75 % on time (3 of 4)".
    pub summary: String,
}

impl From<FollowThrough> for FollowThroughView {
    fn from(f: FollowThrough) -> Self {
        Self {
            on_time: f.on_time,
            late: f.late,
            overdue: f.overdue,
            pending: f.pending,
            cancelled: f.cancelled,
            percent: f.percent(),
            summary: f.summary(),
        }
    }
}

/// An invited member and whether they attended.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AttendeeView {
    pub user_id: i64,
    pub name: String,
    pub presence: Presence,
}

/// An agenda item.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AgendaView {
    pub id: i64,
    pub position: i64,
    pub title: String,
    pub topics: Vec<Topic>,
    /// Clause numbers, e.g. "9.3" or "A.5.24".
    pub clauses: Vec<String>,
}

/// A record that rests on a decision.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LinkView {
    /// resource_commitment, appointment or policy_version.
    pub kind: String,
    pub id: i64,
    pub title: String,
    /// Its page.
    pub url: String,
}

impl LinkView {
    pub fn of(link: LinkedRecord) -> Self {
        let url = match (link.kind.as_str(), link.parent, link.number) {
            ("resource_commitment", _, _) => format!("/resources/{}", link.id),
            ("appointment", _, _) => format!("/appointments/{}", link.id),
            (_, Some(policy), Some(number)) => format!("/policies/{policy}/versions/{number}"),
            _ => String::new(),
        };
        Self { kind: link.kind, id: link.id, title: link.title, url }
    }
}

/// A decision.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DecisionView {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    pub agenda_item_id: Option<i64>,
    pub text: String,
    /// Who decided (usually top management).
    pub decided_by: i64,
    pub decided_by_name: String,
    pub topic: Topic,
    /// The meeting's date, YYYY-MM-DD.
    pub decided_on: String,
    /// Who wrote it down.
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub follow_through: FollowThroughView,
    /// What the decision approved or made (on the decision itself; empty in lists).
    pub links: Vec<LinkView>,
}

impl DecisionView {
    pub fn of(row: DecisionRow, follow_through: FollowThrough, links: Vec<LinkedRecord>) -> Self {
        Self {
            id: row.id.0,
            meeting_id: row.meeting_id.0,
            meeting_title: row.meeting_title,
            agenda_item_id: row.agenda_item_id.map(|i| i.0),
            text: row.text,
            decided_by: row.decided_by.0,
            decided_by_name: row.decider_name,
            topic: Topic::parse(&row.topic).unwrap_or(Topic::Other),
            decided_on: date_text(row.decided_on),
            recorded_by: row.recorded_by.0,
            recorded_by_name: row.recorder_name,
            follow_through: follow_through.into(),
            links: links.into_iter().map(LinkView::of).collect(),
        }
    }
}

/// An action.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ActionView {
    pub id: i64,
    /// The meeting the action came from; null for an action made from a finding.
    pub meeting_id: Option<i64>,
    pub meeting_title: Option<String>,
    pub decision_id: Option<i64>,
    /// The finding the action was made from (detector and subject); null for an action from a meeting.
    pub finding_detector: Option<String>,
    pub finding_subject: Option<String>,
    /// Where the action came from, in words: the meeting's title, or "from finding: …".
    pub origin: String,
    pub title: String,
    pub owner_id: i64,
    pub owner_name: String,
    /// YYYY-MM-DD.
    pub due_on: String,
    pub status: ActionStatus,
    /// Open and past its due day.
    pub overdue: bool,
    pub completion_note: String,
    pub cancel_reason: Option<String>,
    /// Who closed it (done or cancelled), and when.
    pub closed_by: Option<i64>,
    pub closed_by_name: Option<String>,
    pub closed_at: Option<String>,
    pub recorded_by: i64,
    pub created_at: String,
}

impl ActionView {
    pub fn of(row: ActionRow, now: UnixTime) -> Self {
        let status = ActionStatus::parse(&row.status).unwrap_or(ActionStatus::Open);
        Self {
            id: row.id.0,
            origin: row.origin(),
            meeting_id: row.meeting_id.map(|m| m.0),
            meeting_title: row.meeting_title,
            decision_id: row.decision_id.map(|d| d.0),
            finding_detector: row.finding_detector,
            finding_subject: row.finding_subject,
            title: row.title,
            owner_id: row.owner_id.0,
            owner_name: row.owner_name,
            due_on: date_text(row.due_on),
            overdue: is_overdue(status, row.due_on, now),
            status,
            completion_note: row.completion_note,
            cancel_reason: row.cancel_reason,
            closed_by: row.closed_by.map(|u| u.0),
            closed_by_name: row.closer_name,
            closed_at: row.closed_at.map(rfc3339),
            recorded_by: row.recorded_by.0,
            created_at: rfc3339(row.created_at),
        }
    }
}

/// A meeting with its attendance, agenda, decisions and actions.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    /// YYYY-MM-DD.
    pub held_on: String,
    pub place: String,
    pub chair_id: i64,
    pub chair_name: String,
    /// Markdown.
    pub minutes: String,
    /// Who recorded the meeting (not necessarily the chair).
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub attendees: Vec<AttendeeView>,
    pub agenda: Vec<AgendaView>,
    pub decisions: Vec<DecisionView>,
    pub actions: Vec<ActionView>,
    pub follow_through: FollowThroughView,
    pub created_at: String,
}

/// The parts of a meeting read from the database.
pub struct MeetingParts {
    pub meeting: MeetingRow,
    pub attendees: Vec<AttendeeRow>,
    pub agenda: Vec<AgendaRow>,
    pub decisions: Vec<DecisionView>,
    pub actions: Vec<ActionView>,
    pub follow_through: FollowThrough,
}

impl MeetingView {
    pub fn of(p: MeetingParts) -> Self {
        let m = p.meeting;
        Self {
            id: m.id.0,
            kind: MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::Other),
            title: m.title,
            held_on: date_text(m.held_on),
            place: m.place,
            chair_id: m.chair_id.0,
            chair_name: m.chair_name,
            minutes: m.minutes,
            recorded_by: m.recorded_by.0,
            recorded_by_name: m.recorder_name,
            attendees: p
                .attendees
                .into_iter()
                .map(|a| AttendeeView {
                    user_id: a.user_id.0,
                    name: a.name,
                    presence: Presence::parse(&a.presence).unwrap_or(Presence::Absent),
                })
                .collect(),
            agenda: p
                .agenda
                .into_iter()
                .map(|i| AgendaView {
                    id: i.id.0,
                    position: i.position,
                    title: i.title,
                    topics: split_list(&i.topics).iter().filter_map(|t| Topic::parse(t).ok()).collect(),
                    clauses: split_list(&i.clauses),
                })
                .collect(),
            decisions: p.decisions,
            actions: p.actions,
            follow_through: p.follow_through.into(),
            created_at: rfc3339(m.created_at),
        }
    }
}
