//! Recording a communication that was sent, optionally of a plan entry, with its audience size and what is known
//! of its reach.

use super::{audience, check_communicator, load};
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::acknowledgement::Audience as Member;
use crate::db::communication::{SentFields, SentRow};
use crate::db::{self, Tx};
use crate::domain::campaign::Audience;
use crate::domain::communication::{Channel, check_reach};
use crate::domain::ids::{CommunicationId, OrgId, PlanEntryId, UserId};
use crate::domain::objective::{check_text, date_text, day_of};
use crate::error::AppError;
use crate::journal::{Actor, Change};

/// A communication as a person reports it. What is left out comes from the plan entry, when there is one.
#[derive(Debug, Clone, Default)]
pub struct SentInput {
    pub plan_entry: Option<PlanEntryId>,
    pub sent_on: UnixTime,
    /// Who communicated; the plan entry's communicator, or the person recording it, when left out.
    pub communicator: Option<UserId>,
    pub channel: Option<Channel>,
    pub subject: String,
    pub summary: String,
    /// The members it went to; its size is counted from them.
    pub audience: Option<Audience>,
    /// An audience outside the membership (customers, carriers), whose size is typed.
    pub external_audience: Option<String>,
    pub audience_size: Option<i64>,
    pub read_count: Option<i64>,
    pub acknowledged_count: Option<i64>,
}

/// A communication's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct SentState<'a> {
    plan_entry_id: Option<PlanEntryId>,
    sent_on: UnixTime,
    communicator_id: UserId,
    recorded_by: UserId,
    channel: &'a str,
    subject: &'a str,
    summary: &'a str,
    audience: &'a str,
    audience_size: i64,
    audience_counted: bool,
    read_count: Option<i64>,
    acknowledged_count: Option<i64>,
}

/// Who it reached: (label, size, counted from the members).
fn audience_of(
    input: &SentInput,
    planned: Option<&Audience>,
    members: &[Member],
) -> Result<(String, i64, bool), AppError> {
    let external = input.external_audience.as_deref().map(str::trim).filter(|e| !e.is_empty());
    match (external, &input.audience) {
        (Some(_), Some(_)) => {
            Err(AppError::Invalid("give either the members it went to or an outside audience, not both".into()))
        }
        (Some(external), None) => {
            let label = check_text(external, "the outside audience", 200, true)?;
            let size = input.audience_size.ok_or_else(|| {
                AppError::Invalid("give the size of the outside audience (audience_size); it cannot be counted".into())
            })?;
            Ok((label, size, false))
        }
        (None, given) => {
            let Some(audience) = given.as_ref().or(planned) else {
                return Err(AppError::Invalid(
                    "say who it reached: the members it went to, or an outside audience with its size".into(),
                ));
            };
            if input.audience_size.is_some() {
                return Err(AppError::Invalid(
                    "the size of a member audience is counted from the members; leave audience_size out".into(),
                ));
            }
            let size = audience::resolve(audience, members)?.len() as i64;
            Ok((audience.describe(), size, true))
        }
    }
}

/// Checks one communication recorded by `by` and turns it into its row.
async fn check(
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    input: &SentInput,
    members: &[Member],
    now: UnixTime,
) -> Result<SentFields, AppError> {
    let plan = match input.plan_entry {
        Some(id) => Some(load(tx, org, id).await?),
        None => None,
    };
    if let Some(entry) = &plan
        && entry.retired_at.is_some()
    {
        return Err(AppError::Conflict("this plan entry is retired; record the communication without it".into()));
    }
    let sent_on = day_of(input.sent_on);
    if sent_on > day_of(now) {
        return Err(AppError::Invalid(format!(
            "{} is in the future; record communications once sent",
            date_text(sent_on)
        )));
    }
    if sent_on < now - 5 * 366 * 86_400 {
        return Err(AppError::Invalid("the date is more than five years ago; check it".into()));
    }
    let communicator = input.communicator.or(plan.as_ref().map(|p| p.communicator_id)).unwrap_or(by);
    check_communicator(tx, org, communicator, now).await?;
    let channel = match (input.channel, &plan) {
        (Some(channel), _) => channel,
        (None, Some(entry)) => Channel::parse(&entry.channel)?,
        (None, None) => return Err(AppError::Invalid("choose the channel it went through".into())),
    };
    let subject = match (input.subject.trim(), &plan) {
        ("", Some(entry)) => entry.subject.clone(),
        (given, _) => check_text(given, "the subject", 200, true)?,
    };
    let planned: Option<Audience> = plan.as_ref().and_then(|p| serde_json::from_str(&p.audience).ok());
    let (audience_label, audience_size, audience_counted) = audience_of(input, planned.as_ref(), members)?;
    check_reach(audience_size, input.read_count, input.acknowledged_count)?;
    Ok(SentFields {
        plan_entry_id: input.plan_entry,
        sent_on,
        communicator_id: communicator,
        recorded_by: by,
        channel: channel.as_str(),
        subject,
        summary: check_text(&input.summary, "the summary", 4000, false)?,
        audience_label,
        audience_size,
        audience_counted,
        read_count: input.read_count,
        acknowledged_count: input.acknowledged_count,
    })
}

/// Records many communications inside `tx`, each by its own actor at its own time and recorded by its own
/// member, with their ledger events appended under one lock of the head; returns their ids.
pub async fn record_all_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    items: &[(Actor, UserId, SentInput, UnixTime)],
) -> Result<Vec<CommunicationId>, AppError> {
    let members = audience::members(tx, org, ctx.now).await?;
    let mut events = Vec::with_capacity(items.len());
    let mut ids = Vec::with_capacity(items.len());
    for (actor, by, input, at) in items {
        let f = check(tx, org, *by, input, &members, *at).await?;
        let id = db::communication::insert_sent(&mut tx.conn(), org, &f, *at).await?;
        let state = SentState {
            plan_entry_id: f.plan_entry_id,
            sent_on: f.sent_on,
            communicator_id: f.communicator_id,
            recorded_by: f.recorded_by,
            channel: f.channel,
            subject: &f.subject,
            summary: &f.summary,
            audience: &f.audience_label,
            audience_size: f.audience_size,
            audience_counted: f.audience_counted,
            read_count: f.read_count,
            acknowledged_count: f.acknowledged_count,
        };
        events.push((actor.clone(), Change::of("record", "communication", id, &state), *at));
        ids.push(id);
    }
    ctx.journal.append_all(tx, org, &events).await?;
    Ok(ids)
}

/// Records a communication sent in `org`, recorded by `by`.
pub async fn record(ctx: &Ctx<'_>, org: OrgId, by: UserId, input: &SentInput) -> Result<SentRow, AppError> {
    let mut tx = ctx.db.begin().await?;
    let ids = record_all_in(ctx, &mut tx, org, &[(ctx.actor.clone(), by, input.clone(), ctx.now)]).await?;
    let row = db::communication::get_sent(&mut tx.conn(), org, ids[0])
        .await?
        .ok_or_else(|| AppError::not_found("communication"))?;
    tx.commit().await?;
    Ok(row)
}
