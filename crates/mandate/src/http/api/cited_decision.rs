//! The meeting decision a leadership record rests on (a resource approval, an appointment, a policy version's
//! approval), as the record's JSON view and page name it.

use crate::db::decision::DecisionCite;
use crate::domain::ids::DecisionId;
use crate::domain::objective::date_text;

/// A decision taken in a meeting that the record rests on.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CitedDecision {
    /// The decision (`/api/v1/decisions/{id}`).
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    /// The meeting's date, YYYY-MM-DD.
    pub decided_on: String,
    /// The decision's page.
    pub url: String,
}

impl CitedDecision {
    /// The decision `id` names, with its meeting as read beside the record; `None` when the record cites none.
    pub fn of(id: Option<DecisionId>, cite: &DecisionCite) -> Option<Self> {
        let (id, meeting_id) = (id?, cite.decision_meeting_id?);
        Some(Self {
            id: id.0,
            meeting_id: meeting_id.0,
            meeting_title: cite.decision_meeting.clone().unwrap_or_default(),
            decided_on: cite.decision_on.map(date_text).unwrap_or_default(),
            url: format!("/decisions/{}", id.0),
        })
    }
}
