//! Setting, changing and closing objectives. Each operation checks its input, writes the row and appends its
//! ledger event in one transaction. The `*_in` functions work inside a caller's transaction (the demo
//! generator writes thousands in one); the others open and commit their own.

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::objective::{ObjectiveFields, ObjectiveRow};
use crate::db::{self, Conn, Tx};
use crate::domain::ids::{ObjectiveId, OrgId, PolicyId, UserId};
use crate::domain::objective::{self as rules, Direction, Frequency, Kind, Refusal, Status};
use crate::domain::progress::{Assessment, Goal, Reading, TREND_READINGS, assess};
use std::collections::HashMap;

mod patch;
use crate::error::AppError;
use crate::journal::Change;
pub use patch::{ObjectivePatch, change};

/// An objective as a person describes it; checked by [`create_in`] and [`update_in`].
#[derive(Debug, Clone)]
pub struct ObjectiveInput {
    pub statement: String,
    pub kind: Kind,
    /// The manager a personal objective belongs to.
    pub person: Option<UserId>,
    pub owner: UserId,
    pub target_value: f64,
    pub unit: String,
    pub direction: Direction,
    pub due_on: UnixTime,
    pub resources: String,
    pub evaluation_method: String,
    pub frequency: Frequency,
    pub policy_id: Option<i64>,
}

impl ObjectiveInput {
    /// The input that would reproduce a stored objective, for partial changes.
    pub fn of(row: &ObjectiveRow) -> Result<Self, AppError> {
        let days = (row.frequency == "days").then_some(row.frequency_days);
        Ok(Self {
            statement: row.statement.clone(),
            kind: Kind::parse(&row.kind)?,
            person: row.person_id,
            owner: row.owner_id,
            target_value: row.target_value,
            unit: row.unit.clone(),
            direction: Direction::parse(&row.direction)?,
            due_on: row.due_on,
            resources: row.resources.clone(),
            evaluation_method: row.evaluation_method.clone(),
            frequency: Frequency::parse(&row.frequency, days)?,
            policy_id: row.policy_id,
        })
    }
}

/// An objective's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct ObjectiveState<'a> {
    statement: &'a str,
    kind: &'a str,
    person_id: Option<UserId>,
    owner_id: UserId,
    target_value: f64,
    unit: &'a str,
    direction: &'a str,
    due_on: UnixTime,
    resources: &'a str,
    evaluation_method: &'a str,
    frequency: &'a str,
    frequency_days: i64,
    policy_id: Option<i64>,
    status: &'a str,
    status_note: &'a str,
}

/// Re-reads objective `id` inside `tx` and appends its state to the ledger under `action`.
async fn record(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: ObjectiveId,
    action: &'static str,
) -> Result<ObjectiveRow, AppError> {
    let row = db::objective::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("objective"))?;
    let state = ObjectiveState {
        statement: &row.statement,
        kind: &row.kind,
        person_id: row.person_id,
        owner_id: row.owner_id,
        target_value: row.target_value,
        unit: &row.unit,
        direction: &row.direction,
        due_on: row.due_on,
        resources: &row.resources,
        evaluation_method: &row.evaluation_method,
        frequency: &row.frequency,
        frequency_days: row.frequency_days,
        policy_id: row.policy_id,
        status: &row.status,
        status_note: &row.status_note,
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, "objective", id, &state), ctx.now).await?;
    Ok(row)
}

/// Checks that `user` is an active member of `org` who may take the part `what`.
async fn check_member(tx: &mut Tx, org: OrgId, user: UserId, what: &str, now: UnixTime) -> Result<(), AppError> {
    let member = db::membership::get(&mut tx.conn(), org, user).await?;
    match member {
        Some(m) if m.active(now) && (what == "person" || rules::may_own(m.role())) => Ok(()),
        Some(m) if m.active(now) => Err(AppError::Invalid(format!(
            "{} is an auditor and cannot own objectives; choose someone who runs the work",
            m.email
        ))),
        _ => Err(AppError::Invalid(format!(
            "the {what} (user {user}) is not an active member of this organisation; choose someone who is"
        ))),
    }
}

/// Checks an objective's input against the rules; `set_on` is when the objective was (or is being) set.
async fn check(
    tx: &mut Tx,
    org: OrgId,
    input: &ObjectiveInput,
    set_on: UnixTime,
    now: UnixTime,
) -> Result<ObjectiveFields, AppError> {
    let fields = ObjectiveFields {
        statement: rules::check_text(&input.statement, "the statement", 500, true)?,
        kind: input.kind.as_str(),
        person_id: input.person,
        owner_id: input.owner,
        target_value: rules::check_value(input.target_value, "the target value")?,
        unit: rules::check_text(&input.unit, "the unit (e.g. %, days, incidents)", 40, true)?,
        direction: input.direction.as_str(),
        due_on: rules::day_of(input.due_on),
        resources: rules::check_text(&input.resources, "what resources are needed", 2000, true)?,
        evaluation_method: rules::check_text(&input.evaluation_method, "how it is evaluated", 2000, true)?,
        frequency: input.frequency.name(),
        frequency_days: input.frequency.days(),
        policy_id: input.policy_id,
    };
    if fields.due_on < rules::day_of(set_on) {
        let set = rules::date_text(set_on);
        return Err(AppError::Invalid(format!("the due date must not be before {set}, when the objective was set")));
    }
    // The column has no foreign key (policies arrived after objectives); the check keeps links real.
    if let Some(policy) = input.policy_id
        && db::policy::get(&mut tx.conn(), org, PolicyId(policy)).await?.is_none()
    {
        return Err(AppError::Invalid(format!(
            "there is no policy {policy} in this organisation; give the number of the policy the objective \
             serves, or none"
        )));
    }
    match (input.kind, input.person) {
        (Kind::Personal, None) => {
            return Err(AppError::Invalid("a personal objective needs the person it belongs to".into()));
        }
        (Kind::Organisational, Some(_)) => {
            return Err(AppError::Invalid("only personal objectives belong to a person; leave it out".into()));
        }
        (Kind::Personal, Some(person)) => check_member(tx, org, person, "person", now).await?,
        (Kind::Organisational, None) => {}
    }
    check_member(tx, org, input.owner, "owner", now).await?;
    Ok(fields)
}

/// Sets a new objective in `org` inside `tx`, as `by`.
pub async fn create_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    input: &ObjectiveInput,
) -> Result<ObjectiveRow, AppError> {
    let fields = check(tx, org, input, ctx.now, ctx.now).await?;
    let id = db::objective::insert(&mut tx.conn(), org, &fields, by, ctx.now).await?;
    record(ctx, tx, org, id, "create").await
}

/// Sets a new objective in `org`, as `by`.
pub async fn create(ctx: &Ctx<'_>, org: OrgId, by: UserId, input: &ObjectiveInput) -> Result<ObjectiveRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = create_in(ctx, &mut tx, org, by, input).await?;
    tx.commit().await?;
    Ok(row)
}

/// Loads objective `id` of `org` inside `tx`.
pub async fn load(tx: &mut Tx, org: OrgId, id: ObjectiveId) -> Result<ObjectiveRow, AppError> {
    db::objective::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("objective"))
}

/// Replaces an open objective's fields inside `tx`; a closed one must be reopened first (409).
pub async fn update_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: ObjectiveId,
    input: &ObjectiveInput,
) -> Result<ObjectiveRow, AppError> {
    let row = load(tx, org, id).await?;
    if row.status != Status::Open.as_str() {
        return Err(AppError::Conflict(format!("the objective is {}; reopen it to change it", row.status)));
    }
    let fields = check(tx, org, input, row.created_at, ctx.now).await?;
    db::objective::update(&mut tx.conn(), org, id, &fields, ctx.now).await?;
    record(ctx, tx, org, id, "update").await
}

/// Moves an objective to `to` inside `tx`, following [`rules::check_status_change`].
pub async fn set_status_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: ObjectiveId,
    to: Status,
    note: &str,
) -> Result<ObjectiveRow, AppError> {
    let row = load(tx, org, id).await?;
    let from = Status::parse(&row.status)?;
    let note = rules::check_text(note, "the status note", 1000, false)?;
    let readings = readings(tx, org, id).await?;
    let direction = Direction::parse(&row.direction)?;
    let latest_meets = readings.last().is_some_and(|r| direction.meets(r.value, row.target_value));
    rules::check_status_change(from, to, latest_meets, &note).map_err(|refusal| match refusal {
        Refusal::Invalid(message) => AppError::Invalid(message),
        Refusal::State(message) => AppError::Conflict(message),
    })?;
    let closed_at = (to != Status::Open).then_some(ctx.now);
    db::objective::set_status(&mut tx.conn(), org, id, to.as_str(), &note, closed_at, ctx.now).await?;
    let action = match to {
        Status::Open => "reopen",
        Status::Achieved => "achieve",
        Status::Abandoned => "abandon",
    };
    record(ctx, tx, org, id, action).await
}

/// The measurements of objective `id` still standing that the progress rule reads (the first and the latest
/// [`TREND_READINGS`]), oldest first.
pub async fn readings(tx: &mut Tx, org: OrgId, id: ObjectiveId) -> Result<Vec<Reading>, AppError> {
    let rows = db::measurement::active_readings(&mut tx.conn(), org, &[id], TREND_READINGS as i64).await?;
    Ok(rows.into_iter().map(|(_, on, value)| Reading { on, value }).collect())
}

/// Works out an objective's progress from its standing measurements (oldest first); `None` once it is closed.
pub fn progress(row: &ObjectiveRow, readings: &[Reading], now: UnixTime) -> Option<Assessment> {
    if row.status != Status::Open.as_str() {
        return None;
    }
    let goal = Goal {
        target: row.target_value,
        direction: Direction::parse(&row.direction).ok()?,
        unit: &row.unit,
        due_on: row.due_on,
        interval_days: row.frequency_days,
        created_at: row.created_at,
    };
    Some(assess(&goal, readings, now))
}

/// An objective with what its standing measurements say.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub row: ObjectiveRow,
    /// Its progress while it is open.
    pub assessment: Option<Assessment>,
    /// Its latest standing measurement, open or closed.
    pub latest: Option<Reading>,
}

/// Each row with its progress, reading the standing measurements of all of them in one query.
pub async fn with_progress(
    c: &mut Conn<'_>,
    org: OrgId,
    rows: Vec<ObjectiveRow>,
    now: UnixTime,
) -> Result<Vec<Tracked>, AppError> {
    let ids: Vec<ObjectiveId> = rows.iter().map(|r| r.id).collect();
    let mut by_objective: HashMap<ObjectiveId, Vec<Reading>> = HashMap::new();
    for (id, on, value) in db::measurement::active_readings(c, org, &ids, TREND_READINGS as i64).await? {
        by_objective.entry(id).or_default().push(Reading { on, value });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let readings = by_objective.get(&row.id).map_or(&[][..], Vec::as_slice);
            Tracked { assessment: progress(&row, readings, now), latest: readings.last().copied(), row }
        })
        .collect())
}
