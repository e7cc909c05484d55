//! Awareness training campaigns (ISO/IEC 27001 7.2, 7.3): launching one enrols its audience person by person
//! (a snapshot: who joins later is not enrolled); completions are recorded one by one or imported.

use super::{audience, check_communicator};
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::training::{CampaignFields, CampaignRow};
use crate::db::{self, Tx};
use crate::domain::campaign::Audience;
use crate::domain::ids::{OrgId, TrainingId, UserId};
use crate::domain::objective::{check_text, day_of};
use crate::domain::training::{check_completed_on, check_due, check_score};
use crate::error::AppError;
use crate::journal::{Actor, Change};
use sha2::{Digest, Sha256};

/// A campaign as a person describes it.
#[derive(Debug, Clone)]
pub struct TrainingInput {
    pub title: String,
    pub description: String,
    pub audience: Audience,
    pub due_on: UnixTime,
    /// Who launches it (sponsors it); the person recording it when left out.
    pub launched_by: Option<UserId>,
}

/// What a launch's ledger event pins: the campaign and exactly who was enrolled.
#[derive(serde::Serialize)]
struct LaunchState<'a> {
    title: &'a str,
    description: &'a str,
    audience: &'a Audience,
    due_on: UnixTime,
    launched_by: UserId,
    recorded_by: UserId,
    enrolled: usize,
    /// SHA-256 of the sorted ids of everyone enrolled, comma-separated.
    enrolled_sha256: String,
}

/// A completion's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct CompletionState {
    campaign_id: TrainingId,
    user_id: UserId,
    completed_on: UnixTime,
    score: Option<f64>,
    recorded_by: UserId,
}

/// Loads campaign `id` of `org` with its tally as of `now`.
pub async fn load(tx: &mut Tx, org: OrgId, id: TrainingId, now: UnixTime) -> Result<CampaignRow, AppError> {
    db::training::get(&mut tx.conn(), org, id, day_of(now))
        .await?
        .ok_or_else(|| AppError::not_found("training campaign"))
}

/// Launches a campaign inside `tx`, recorded by `by`: enrols every active member its audience selects.
pub async fn launch_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    input: &TrainingInput,
) -> Result<CampaignRow, AppError> {
    let launched_by = input.launched_by.unwrap_or(by);
    check_communicator(tx, org, launched_by, ctx.now).await?;
    let members = audience::members(tx, org, ctx.now).await?;
    let mut people = audience::resolve(&input.audience, &members)?;
    people.sort();
    let fields = CampaignFields {
        title: check_text(&input.title, "the title", 200, true)?,
        description: check_text(&input.description, "the course description", 4000, false)?,
        audience: serde_json::to_string(&input.audience).map_err(|e| AppError::Internal(e.into()))?,
        audience_label: input.audience.describe(),
        due_on: check_due(input.due_on, ctx.now)?,
        launched_by,
    };
    let id = db::training::insert_campaign(&mut tx.conn(), org, &fields, by, ctx.now).await?;
    db::training::enrol(&mut tx.conn(), org, id, &people, ctx.now).await?;
    let ids: Vec<String> = people.iter().map(|u| u.0.to_string()).collect();
    let state = LaunchState {
        title: &fields.title,
        description: &fields.description,
        audience: &input.audience,
        due_on: fields.due_on,
        launched_by,
        recorded_by: by,
        enrolled: people.len(),
        enrolled_sha256: hex::encode(Sha256::digest(ids.join(",").as_bytes())),
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("launch", "training_campaign", id, &state), ctx.now).await?;
    load(tx, org, id, ctx.now).await
}

/// Launches a campaign in `org`, recorded by `by`.
pub async fn launch(ctx: &Ctx<'_>, org: OrgId, by: UserId, input: &TrainingInput) -> Result<CampaignRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = launch_in(ctx, &mut tx, org, by, input).await?;
    tx.commit().await?;
    Ok(row)
}

/// One completion to record: the actor and time of the record, the person, when they completed, the score, and
/// the member who recorded it.
pub struct Completion {
    pub actor: Actor,
    pub at: UnixTime,
    pub person: UserId,
    pub completed_on: UnixTime,
    pub score: Option<f64>,
    pub recorded_by: UserId,
}

/// Records completions of campaign `id` inside `tx`, with their ledger events appended under one lock of the head.
/// A person not enrolled, or who already completed it, refuses the whole batch.
pub async fn complete_all_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: TrainingId,
    items: &[Completion],
) -> Result<(), AppError> {
    let campaign = load(tx, org, id, ctx.now).await?;
    let mut events = Vec::with_capacity(items.len());
    for item in items {
        let on = check_completed_on(item.completed_on, item.at)?;
        if on < day_of(campaign.launched_at) {
            return Err(AppError::Invalid("a completion cannot be dated before the campaign was launched".into()));
        }
        let score = item.score.map(check_score).transpose()?;
        let db_id =
            db::training::complete(&mut tx.conn(), org, id, item.person, on, score, item.recorded_by, item.at).await?;
        let Some(enrolment) = db_id else {
            return Err(AppError::Conflict(format!(
                "person {} is not enrolled in this campaign or has already completed it",
                item.person
            )));
        };
        let state = CompletionState {
            campaign_id: id,
            user_id: item.person,
            completed_on: on,
            score,
            recorded_by: item.recorded_by,
        };
        events.push((item.actor.clone(), Change::of("complete", "training_enrolment", enrolment, &state), item.at));
    }
    ctx.journal.append_all(tx, org, &events).await?;
    Ok(())
}

/// Records that `person` completed campaign `id` on `completed_on`, recorded by `by`.
pub async fn complete(
    ctx: &Ctx<'_>,
    org: OrgId,
    id: TrainingId,
    by: UserId,
    person: UserId,
    completed_on: UnixTime,
    score: Option<f64>,
) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    let item = Completion { actor: ctx.actor.clone(), at: ctx.now, person, completed_on, score, recorded_by: by };
    complete_all_in(ctx, &mut tx, org, id, &[item]).await?;
    tx.commit().await?;
    Ok(())
}
