//! Management reviews (ISO/IEC 27001 9.3): planning, opening (which compiles every input from live data into
//! the review), recompiling, completing and closing. Each operation checks the review's state, writes its rows
//! and appends its ledger event in one transaction. A closed review is locked: every later write is refused.

pub mod compile;
pub mod compile_context;
pub mod record;
pub mod schedule;

use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::management_review::{NewInput, ReviewRow};
use crate::db::review_sources::Period;
use crate::db::{self, Conn, Tx};
use crate::domain::ids::{MeetingId, OrgId, UserId};
use crate::domain::leadership::review::{ReviewStatus, completion_gaps};
use crate::domain::meeting::MeetingKind;
use crate::domain::objective::{check_text, day_of};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Change;
use crate::meetings::MeetingInput;

/// The review as the ledger hashes it at each change of state.
#[derive(serde::Serialize)]
pub(crate) struct ReviewState<'a> {
    title: &'a str,
    planned_on: UnixTime,
    period_start: UnixTime,
    period_end: UnixTime,
    chair_id: UserId,
    status: &'a str,
    meeting_id: Option<MeetingId>,
    checkpoint_size: Option<i64>,
}

pub(crate) fn state_of(r: &ReviewRow) -> ReviewState<'_> {
    ReviewState {
        title: &r.title,
        planned_on: r.planned_on,
        period_start: r.period_start,
        period_end: r.period_end,
        chair_id: r.chair_id,
        status: &r.status,
        meeting_id: r.meeting_id,
        checkpoint_size: r.checkpoint_size,
    }
}

/// Review `id` of `org` inside `tx`, locked for the change `tx` makes.
pub async fn load(tx: &mut Tx, org: OrgId, id: i64) -> Result<ReviewRow, AppError> {
    db::management_review::lock(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("management review"))
}

/// How a review's meeting is titled: this, then the review's title.
pub(crate) const MEETING_PREFIX: &str = "Management review: ";

/// Refuses a change to a review that is not in one of `allowed`'s states, saying why.
pub fn check_state(row: &ReviewRow, allowed: &[ReviewStatus], what: &str) -> Result<ReviewStatus, AppError> {
    let status = ReviewStatus::from_stored(&row.status);
    if allowed.contains(&status) {
        return Ok(status);
    }
    Err(AppError::Conflict(match status {
        ReviewStatus::Closed => format!("the review is closed and locked, so {what} is no longer possible"),
        ReviewStatus::Planned => format!("the review is not open yet; open it before {what}"),
        other => format!("the review is {}, so {what} is not possible now", other.label().to_lowercase()),
    }))
}

/// Checks that `user` is an active top manager of `org`; `what` names their part.
pub(crate) async fn check_top_manager(
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
    what: &str,
    now: UnixTime,
) -> Result<(), AppError> {
    match db::membership::get(&mut tx.conn(), org, user).await? {
        Some(m) if m.active(now) && m.role() == Role::TopManagement => Ok(()),
        Some(m) if m.active(now) => Err(AppError::Invalid(format!(
            "{} is not top management, so cannot be the {what}; choose a top manager",
            m.email
        ))),
        _ => Err(AppError::Invalid(format!("the {what} (user {user}) is not an active member of this organisation"))),
    }
}

/// A review to plan.
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub title: String,
    pub planned_on: UnixTime,
    /// The schedule's chair when left out.
    pub chair: Option<UserId>,
}

/// Where a review's period starts: the day the previous closed review was held, or a year before `at` but not
/// before the organisation existed.
pub(crate) async fn period_start(
    c: &mut Conn<'_>,
    org: OrgId,
    at: UnixTime,
    except: i64,
) -> Result<UnixTime, AppError> {
    if let Some(prev) = db::management_review::previous_closed(c, org, at, except).await? {
        return Ok(prev.held_on.unwrap_or(prev.planned_on));
    }
    let created = db::organisation::by_id(c, org).await?.map_or(0, |o| o.created_at);
    Ok(day_of(created.max(at - 365 * 86_400)))
}

/// Plans a review of `org`; returns its id.
pub async fn plan(ctx: &Ctx<'_>, org: OrgId, by: UserId, input: &PlanInput) -> Result<i64, AppError> {
    // The review's meeting carries the title after a prefix, within a meeting title's length.
    let title_max = crate::domain::meeting::TITLE_MAX - MEETING_PREFIX.chars().count();
    let title = check_text(&input.title, "the title", title_max, true)?;
    let planned_on = day_of(input.planned_on);
    let mut tx = ctx.db.begin().await?;
    let chair = match input.chair {
        Some(chair) => chair,
        None => db::management_review::schedule(&mut tx.conn(), org)
            .await?
            .map(|s| s.chair_id)
            .ok_or_else(|| AppError::Invalid("choose the chair: there is no review schedule naming one yet".into()))?,
    };
    check_top_manager(&mut tx, org, chair, "chair", ctx.now).await?;
    let start = period_start(&mut tx.conn(), org, planned_on, 0).await?;
    let id = db::management_review::insert(&mut tx.conn(), org, &title, planned_on, start, chair, by, ctx.now).await?;
    let row = load(&mut tx, org, id).await?;
    let change = Change::of("create", "management_review", id, &state_of(&row));
    ctx.journal.append(&mut tx, org, &ctx.actor, change, ctx.now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Compiles the inputs of `row` (open or complete) at `now` and stores them, keeping notes already written.
pub(crate) async fn compile_into(tx: &mut Tx, org: OrgId, row: &ReviewRow, now: UnixTime) -> Result<(), AppError> {
    let previous = db::management_review::previous_closed(&mut tx.conn(), org, row.period_start, row.id).await?;
    let scope = compile::Scope {
        org,
        period: Period { start: row.period_start, end: row.period_end + 86_400 },
        previous_meeting: previous.and_then(|p| p.meeting_id),
        now,
    };
    let compiled = compile::compile(&mut tx.conn(), scope).await?;
    let texts: Vec<String> =
        compiled.iter().map(|c| serde_json::to_string(&c.figures).expect("figures serialise")).collect();
    let inputs: Vec<NewInput<'_>> = compiled
        .iter()
        .zip(&texts)
        .enumerate()
        .map(|(n, (c, figures))| NewInput {
            key: c.key.as_str(),
            position: n as i64,
            heading: c.key.heading(),
            required: c.key.required(),
            summary: &c.summary,
            figures,
        })
        .collect();
    db::management_review::store_compiled(&mut tx.conn(), org, row.id, &inputs, now).await?;
    Ok(())
}

/// Opens planned review `id`: holds it in a new meeting today, fixes its period, and compiles every input.
pub async fn open(ctx: &Ctx<'_>, org: OrgId, id: i64, by: UserId) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = load(&mut tx, org, id).await?;
    check_state(&row, &[ReviewStatus::Planned], "opening it")?;
    let today = day_of(ctx.now);
    let meeting = MeetingInput {
        kind: MeetingKind::Other,
        title: format!("{MEETING_PREFIX}{}", row.title),
        held_on: today,
        place: String::new(),
        chair: row.chair_id,
        attendees: Vec::new(),
        agenda: Vec::new(),
        minutes: String::new(),
    };
    let meeting_id = crate::meetings::create_in(ctx, &mut tx, org, by, &meeting).await?;
    let start = period_start(&mut tx.conn(), org, today, id).await?;
    db::management_review::open(&mut tx.conn(), org, id, meeting_id, (start, today), ctx.now).await?;
    let row = load(&mut tx, org, id).await?;
    compile_into(&mut tx, org, &row, ctx.now).await?;
    ctx.journal
        .append(&mut tx, org, &ctx.actor, Change::of("open", "management_review", id, &state_of(&row)), ctx.now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Compiles the inputs of open or complete review `id` again from live data.
pub async fn recompile(ctx: &Ctx<'_>, org: OrgId, id: i64) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = load(&mut tx, org, id).await?;
    check_state(&row, &[ReviewStatus::Open, ReviewStatus::Complete], "recompiling its inputs")?;
    compile_into(&mut tx, org, &row, ctx.now).await?;
    let inputs = db::management_review::inputs(&mut tx.conn(), org, id).await?;
    let snapshot: Vec<(&str, &str, &str)> =
        inputs.iter().map(|i| (i.key.as_str(), i.summary.as_str(), i.figures.as_str())).collect();
    ctx.journal
        .append(&mut tx, org, &ctx.actor, Change::of("recompile", "management_review", id, &snapshot), ctx.now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// What still keeps review `row` from being completed.
pub async fn gaps(c: &mut Conn<'_>, org: OrgId, row: &ReviewRow) -> Result<Vec<String>, AppError> {
    let inputs = db::management_review::inputs(c, org, row.id).await?;
    let uncovered: Vec<&str> = inputs.iter().filter(|i| i.required && !i.covered).map(|i| i.heading.as_str()).collect();
    let present = match row.meeting_id {
        Some(m) => db::management_review::top_manager_present(c, org, m).await?,
        None => false,
    };
    Ok(completion_gaps(&uncovered, present))
}

/// Completes open review `id` when every required input is covered and a top manager attended.
pub async fn complete(ctx: &Ctx<'_>, org: OrgId, id: i64) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = load(&mut tx, org, id).await?;
    check_state(&row, &[ReviewStatus::Open], "completing it")?;
    let missing = gaps(&mut tx.conn(), org, &row).await?;
    if !missing.is_empty() {
        return Err(AppError::Conflict(format!(
            "the review cannot be completed yet; it still needs {}",
            missing.join(", ")
        )));
    }
    db::management_review::set_status(&mut tx.conn(), org, id, "open", "complete", ctx.now).await?;
    let row = load(&mut tx, org, id).await?;
    ctx.journal
        .append(&mut tx, org, &ctx.actor, Change::of("complete", "management_review", id, &state_of(&row)), ctx.now)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Closes complete review `id`: locks it and its inputs (the snapshot is frozen as it stands) and signs a
/// checkpoint of the ledger covering the close, whose size the review keeps.
pub async fn close(ctx: &Ctx<'_>, org: OrgId, id: i64) -> Result<i64, AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = load(&mut tx, org, id).await?;
    check_state(&row, &[ReviewStatus::Complete], "closing it (complete it first)")?;
    let inputs = db::management_review::inputs(&mut tx.conn(), org, id).await?;
    let frozen: Vec<(&str, &str, &str, &str)> =
        inputs.iter().map(|i| (i.key.as_str(), i.summary.as_str(), i.figures.as_str(), i.notes.as_str())).collect();
    ctx.journal
        .append(&mut tx, org, &ctx.actor, Change::of("close", "management_review", id, &frozen), ctx.now)
        .await?;
    let size = ctx.journal.checkpoint(&mut tx, org, ctx.now).await?;
    db::management_review::close(&mut tx.conn(), org, id, size, ctx.now).await?;
    tx.commit().await?;
    Ok(size)
}
