//! The JSON bodies that set and change objectives, and how they become the operations' input.

use super::double_option;
use crate::domain::ids::UserId;
use crate::domain::objective::{Direction, Frequency, Kind, Status, parse_date};
use crate::error::AppError;
use crate::objectives::{ObjectiveInput, ObjectivePatch};

/// A new objective. Without `owner_id`, the caller owns it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObjective {
    /// What is to be achieved, in one sentence.
    pub statement: String,
    /// organisational (default) or personal.
    pub kind: Option<Kind>,
    /// For a personal objective: the manager it belongs to.
    pub person_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub target_value: f64,
    /// e.g. %, days, incidents.
    pub unit: String,
    pub direction: Direction,
    /// YYYY-MM-DD.
    pub due_on: String,
    /// What the objective needs: people, budget, tools.
    pub resources: String,
    /// How results are evaluated.
    pub evaluation_method: String,
    /// monthly, quarterly, half_yearly, yearly or days.
    pub frequency: String,
    /// With frequency `days`: the interval (1–730).
    pub frequency_days: Option<i64>,
    /// The policy the objective serves.
    pub policy_id: Option<i64>,
}

impl NewObjective {
    /// The operation's input; `caller` owns the objective unless another owner is named.
    pub fn into_input(self, caller: UserId) -> Result<ObjectiveInput, AppError> {
        Ok(ObjectiveInput {
            statement: self.statement,
            kind: self.kind.unwrap_or(Kind::Organisational),
            person: self.person_id.map(UserId),
            owner: self.owner_id.map_or(caller, UserId),
            target_value: self.target_value,
            unit: self.unit,
            direction: self.direction,
            due_on: parse_date(&self.due_on, "due_on")?,
            resources: self.resources,
            evaluation_method: self.evaluation_method,
            frequency: Frequency::parse(&self.frequency, self.frequency_days)?,
            policy_id: self.policy_id,
        })
    }
}

/// A change to an objective; absent fields stay as they are. `status` moves it: `achieved` (the latest
/// measurement must meet the target), `abandoned` (say why in `status_note`) or `open` (reopen).
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveChange {
    pub statement: Option<String>,
    pub kind: Option<Kind>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub person_id: Option<Option<i64>>,
    pub owner_id: Option<i64>,
    pub target_value: Option<f64>,
    pub unit: Option<String>,
    pub direction: Option<Direction>,
    pub due_on: Option<String>,
    pub resources: Option<String>,
    pub evaluation_method: Option<String>,
    /// Given `frequency_days` alone, the frequency becomes `days`.
    pub frequency: Option<String>,
    pub frequency_days: Option<i64>,
    /// `null` removes the link to a policy.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub policy_id: Option<Option<i64>>,
    pub status: Option<Status>,
    pub status_note: Option<String>,
}

impl ObjectiveChange {
    /// The field changes and the status change (with its note) this body asks for.
    pub fn into_patch(self) -> Result<(ObjectivePatch, Option<(Status, String)>), AppError> {
        let frequency = match (self.frequency.as_deref(), self.frequency_days) {
            (None, None) => None,
            (name, days) => Some(Frequency::parse(name.unwrap_or("days"), days)?),
        };
        if self.status.is_none() && self.status_note.is_some() {
            return Err(AppError::Invalid("status_note goes with a status change; give status as well".into()));
        }
        let patch = ObjectivePatch {
            statement: self.statement,
            kind: self.kind,
            person: self.person_id.map(|p| p.map(UserId)),
            owner: self.owner_id.map(UserId),
            target_value: self.target_value,
            unit: self.unit,
            direction: self.direction,
            due_on: self.due_on.as_deref().map(|d| parse_date(d, "due_on")).transpose()?,
            resources: self.resources,
            evaluation_method: self.evaluation_method,
            frequency,
            policy_id: self.policy_id,
        };
        Ok((patch, self.status.map(|s| (s, self.status_note.unwrap_or_default()))))
    }
}
