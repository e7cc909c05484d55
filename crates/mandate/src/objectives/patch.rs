//! Partial changes to an objective, with reopening and closing, in one transaction.

use super::{ObjectiveInput, load, set_status_in, update_in};
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::objective::ObjectiveRow;
use crate::domain::ids::{ObjectiveId, OrgId, UserId};
use crate::domain::objective::{Direction, Frequency, Kind, Status};
use crate::error::AppError;

/// A partial change to an objective's fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ObjectivePatch {
    pub statement: Option<String>,
    pub kind: Option<Kind>,
    /// `Some(None)` removes the person (with a change to an organisational objective).
    pub person: Option<Option<UserId>>,
    pub owner: Option<UserId>,
    pub target_value: Option<f64>,
    pub unit: Option<String>,
    pub direction: Option<Direction>,
    pub due_on: Option<UnixTime>,
    pub resources: Option<String>,
    pub evaluation_method: Option<String>,
    pub frequency: Option<Frequency>,
    pub policy_id: Option<Option<i64>>,
}

impl ObjectivePatch {
    /// A patch that sets every field, from a complete form.
    pub fn all(input: ObjectiveInput) -> Self {
        Self {
            statement: Some(input.statement),
            kind: Some(input.kind),
            person: Some(input.person),
            owner: Some(input.owner),
            target_value: Some(input.target_value),
            unit: Some(input.unit),
            direction: Some(input.direction),
            due_on: Some(input.due_on),
            resources: Some(input.resources),
            evaluation_method: Some(input.evaluation_method),
            frequency: Some(input.frequency),
            policy_id: Some(input.policy_id),
        }
    }

    fn apply(&self, mut base: ObjectiveInput) -> ObjectiveInput {
        if let Some(kind) = self.kind {
            // Turning a personal objective into the organisation's drops its person unless one is given.
            if kind == Kind::Organisational && self.person.is_none() {
                base.person = None;
            }
            base.kind = kind;
        }
        let or = |new: &Option<String>, old: String| new.clone().unwrap_or(old);
        base.statement = or(&self.statement, base.statement);
        base.person = self.person.unwrap_or(base.person);
        base.owner = self.owner.unwrap_or(base.owner);
        base.target_value = self.target_value.unwrap_or(base.target_value);
        base.unit = or(&self.unit, base.unit);
        base.direction = self.direction.unwrap_or(base.direction);
        base.due_on = self.due_on.unwrap_or(base.due_on);
        base.resources = or(&self.resources, base.resources);
        base.evaluation_method = or(&self.evaluation_method, base.evaluation_method);
        base.frequency = self.frequency.unwrap_or(base.frequency);
        base.policy_id = self.policy_id.unwrap_or(base.policy_id);
        base
    }

    fn is_empty(&self) -> bool {
        self.statement.is_none()
            && self.kind.is_none()
            && self.person.is_none()
            && self.owner.is_none()
            && self.target_value.is_none()
            && self.unit.is_none()
            && self.direction.is_none()
            && self.due_on.is_none()
            && self.resources.is_none()
            && self.evaluation_method.is_none()
            && self.frequency.is_none()
            && self.policy_id.is_none()
    }
}

/// Changes an objective's fields and/or status in one transaction. Reopening comes before the field change
/// and closing after it, so "reopen and correct" and "correct and close" both work in one request.
pub async fn change(
    ctx: &Ctx<'_>,
    org: OrgId,
    id: ObjectiveId,
    patch: &ObjectivePatch,
    status: Option<(Status, &str)>,
) -> Result<ObjectiveRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let mut row = load(&mut tx, org, id).await?;
    if let Some((Status::Open, note)) = status {
        row = set_status_in(ctx, &mut tx, org, id, Status::Open, note).await?;
    }
    if !patch.is_empty() {
        let input = patch.apply(ObjectiveInput::of(&row)?);
        row = update_in(ctx, &mut tx, org, id, &input).await?;
    }
    if let Some((to, note)) = status.filter(|(to, _)| *to != Status::Open) {
        row = set_status_in(ctx, &mut tx, org, id, to, note).await?;
    }
    tx.commit().await?;
    Ok(row)
}
