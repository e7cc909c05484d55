//! Recording meetings, their decisions and actions. Each operation checks its input, writes the rows and appends
//! its ledger event in one transaction. The `record_*` functions write without the event and return it, so the
//! demo generator can append thousands under one lock of the ledger head; everything else goes through the
//! `*_in` functions or the ones that open and commit their own transaction.

pub mod actions;
pub mod decisions;
pub mod links;

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::meeting::{MeetingRow, NewMeeting};
use crate::db::{self, Tx};
use crate::domain::ids::{MeetingId, OrgId, UserId};
use crate::domain::meeting::{self as rules, MeetingKind, Presence};
use crate::domain::objective::{check_text, day_of};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Change;

/// One agenda item as a person gives it.
#[derive(Debug, Clone, Default)]
pub struct AgendaInput {
    pub title: String,
    pub topics: Vec<String>,
    pub clauses: Vec<String>,
}

/// A meeting as a person records it.
#[derive(Debug, Clone)]
pub struct MeetingInput {
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: UnixTime,
    pub place: String,
    pub chair: UserId,
    pub attendees: Vec<(UserId, Presence)>,
    pub agenda: Vec<AgendaInput>,
    pub minutes: String,
}

/// A meeting's state as the ledger hashes it: the meeting with its attendance and agenda.
#[derive(serde::Serialize)]
struct MeetingState<'a> {
    kind: &'a str,
    title: &'a str,
    held_on: UnixTime,
    place: &'a str,
    chair_id: UserId,
    minutes: &'a str,
    recorded_by: UserId,
    attendees: Vec<(UserId, &'a str)>,
    agenda: Vec<(&'a str, String, String)>,
}

/// Checks that `user` is an active member of `org`; `what` names their part for the message. Auditors stay
/// independent: they attend, but do not own actions or decide.
pub(crate) async fn check_member(
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
    what: &str,
    now: UnixTime,
    auditor_allowed: bool,
) -> Result<(), AppError> {
    match db::membership::get(&mut tx.conn(), org, user).await? {
        Some(m) if m.active(now) && (auditor_allowed || m.role() != Role::Auditor) => Ok(()),
        Some(m) if m.active(now) => Err(AppError::Invalid(format!(
            "{} is an auditor and stays independent, so cannot be the {what}; choose someone else",
            m.email
        ))),
        _ => Err(AppError::Invalid(format!(
            "the {what} (user {user}) is not an active member of this organisation; choose someone who is"
        ))),
    }
}

/// Checks a meeting and writes it with its attendance and agenda inside `tx`, without its ledger event; returns
/// the id and the event to append.
pub async fn record_meeting(
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    input: &MeetingInput,
    now: UnixTime,
) -> Result<(MeetingId, Change), AppError> {
    let title = check_text(&input.title, "the title", rules::TITLE_MAX, true)?;
    let place = check_text(&input.place, "the place", rules::TITLE_MAX, false)?;
    let minutes = check_text(&input.minutes, "the minutes", rules::MINUTES_MAX, false)?;
    let held_on = day_of(input.held_on);
    if held_on > day_of(now) {
        return Err(AppError::Invalid("the meeting date is in the future; record a meeting once it is held".into()));
    }
    if input.agenda.len() > rules::AGENDA_MAX || input.attendees.len() > rules::ATTENDEES_MAX {
        return Err(AppError::Invalid(format!(
            "a meeting takes at most {} agenda items and {} attendees",
            rules::AGENDA_MAX,
            rules::ATTENDEES_MAX
        )));
    }
    let mut agenda = Vec::with_capacity(input.agenda.len());
    for (n, item) in input.agenda.iter().enumerate() {
        let what = format!("agenda item {}", n + 1);
        let title = check_text(&item.title, &format!("the title of {what}"), rules::TITLE_MAX, true)?;
        let topics = rules::check_topics(&item.topics, &what)?;
        let clauses = rules::check_clauses(&item.clauses)?;
        let topics: Vec<&str> = topics.iter().map(|t| t.as_str()).collect();
        agenda.push((title, rules::join_list(&topics), rules::join_list(&clauses)));
    }
    check_member(tx, org, input.chair, "chair", now, false).await?;
    let mut attendees: Vec<(UserId, &str)> = Vec::with_capacity(input.attendees.len());
    for (user, presence) in &input.attendees {
        if attendees.iter().any(|(u, _)| u == user) {
            return Err(AppError::Invalid(format!("user {user} is listed twice among the attendees")));
        }
        check_member(tx, org, *user, "attendee", now, true).await?;
        attendees.push((*user, presence.as_str()));
    }
    let new = NewMeeting {
        kind: input.kind.as_str(),
        title: &title,
        held_on,
        place: &place,
        chair_id: input.chair,
        minutes: &minutes,
        recorded_by: by,
    };
    let id = db::meeting::insert(&mut tx.conn(), org, &new, now).await?;
    db::meeting::insert_attendees(&mut tx.conn(), org, id, &attendees).await?;
    db::meeting::insert_agenda(&mut tx.conn(), org, id, &agenda).await?;
    let state = MeetingState {
        kind: new.kind,
        title: &title,
        held_on,
        place: &place,
        chair_id: input.chair,
        minutes: &minutes,
        recorded_by: by,
        attendees,
        agenda: agenda.iter().map(|(t, topics, clauses)| (t.as_str(), topics.clone(), clauses.clone())).collect(),
    };
    Ok((id, Change::of("create", "meeting", id, &state)))
}

/// Records a meeting inside `tx`, with its ledger event.
pub async fn create_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: UserId,
    input: &MeetingInput,
) -> Result<MeetingId, AppError> {
    let (id, change) = record_meeting(tx, org, by, input, ctx.now).await?;
    ctx.journal.append(tx, org, &ctx.actor, change, ctx.now).await?;
    Ok(id)
}

/// Records a meeting of `org`, as `by`.
pub async fn create(ctx: &Ctx<'_>, org: OrgId, by: UserId, input: &MeetingInput) -> Result<MeetingId, AppError> {
    let mut tx = ctx.db.begin().await?;
    let id = create_in(ctx, &mut tx, org, by, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// Meeting `id` of `org` inside `tx`.
pub async fn load(tx: &mut Tx, org: OrgId, id: MeetingId) -> Result<MeetingRow, AppError> {
    db::meeting::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("meeting"))
}
