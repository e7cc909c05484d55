//! The demo's management reviews: a schedule of one review every six months, chaired by the CEO with the CFO and
//! the CISO required. The first review, eleven months ago, covered every input with the CEO and the CFO present,
//! took three decisions whose actions were mostly done (one of the CFO's is still open), and was closed with a
//! signed checkpoint. The half-year review stalled: the CFO was absent, the interested parties' input was never
//! discussed, so it could not be completed and is still open — the review detectors see it, and no review has
//! been closed since. The records go through the same writes and ledger events as the review operations, in
//! the demo's transaction. Reviews are few, so the set is the same at every scale.

use super::DemoOrg;
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::{self, Tx};
use crate::domain::ids::{ActionId, OrgId, UserId};
use crate::domain::leadership::review::{InputKey, OutputKind, covered};
use crate::domain::meeting::{MeetingKind, Presence};
use crate::domain::objective::{Acting, day_of};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::{Actor, Change};
use crate::leadership::review::record::NotesState;
use crate::leadership::review::schedule::ScheduleState;
use crate::leadership::review::{compile_into, load, period_start, state_of};
use crate::meetings::actions::{ActionInput, Closing, record_action, record_close};
use crate::meetings::decisions::{DecisionInput, record_decision};
use crate::meetings::{MeetingInput, record_meeting};

const DAY: i64 = 86_400;

/// What was said about each 9.3.2 input (context inputs need no notes).
fn notes(key: InputKey) -> &'static str {
    match key {
        InputKey::PreviousActions => "Walked through the actions one by one; the open one stays with its owner.",
        InputKey::Issues => "New customs rules for the UK lanes and the move of the ERP to the cloud provider.",
        InputKey::InterestedParties => "Two key customers now ask for ISO 27001 certification in their tenders.",
        InputKey::Nonconformities => {
            "Shared warehouse accounts remain the main finding; named accounts are rolling out."
        }
        InputKey::Monitoring => "Click rate falling, report rate rising; training completion lags in the depots.",
        InputKey::Audits => "The internal audit of access control found badge sharing at two gates.",
        InputKey::Objectives => "Most objectives on track; the restore-time objective is behind.",
        InputKey::Feedback => "Customer security questionnaires answered on time; no complaints.",
        InputKey::Risks => "Ransomware and carrier fraud stay the top risks; treatment plans unchanged.",
        InputKey::Improvement => "Phishing drills in the warehouses and a second security analyst were proposed.",
        _ => "",
    }
}

/// A decision of a review (kind, text, who decided) with its actions: (title, owner, due so many days after the
/// review, done so many days after it or still open).
type Output = (OutputKind, &'static str, UserId, Vec<(&'static str, UserId, i64, Option<i64>)>);

/// One review as held: when, who was there, which inputs were left without notes, what it decided.
struct Held {
    title: &'static str,
    planned: i64,
    held: i64,
    cfo: Presence,
    uncovered: &'static [InputKey],
    outputs: Vec<Output>,
    /// Completed and closed this many days after the review; `None` leaves it open.
    closed_after: Option<i64>,
}

/// The ledger events written so far, in time order.
struct Events<'a, 'c> {
    ctx: &'a Ctx<'c>,
    demo: &'a DemoOrg,
    list: Vec<(Actor, Change, UnixTime)>,
}

impl Events<'_, '_> {
    fn push(&mut self, by: UserId, at: UnixTime, change: Change) {
        self.list.push((self.demo.ctx(self.ctx, by, at).actor, change, at));
    }

    async fn flush(&mut self, tx: &mut Tx, org: OrgId) -> Result<(), AppError> {
        if !self.list.is_empty() {
            self.ctx.journal.append_all(tx, org, &self.list).await?;
            self.list.clear();
        }
        Ok(())
    }
}

/// Adds the schedule and the two reviews.
pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg) -> Result<(), AppError> {
    let mut events = Events { ctx, demo, list: Vec::new() };
    let set_at = demo.day(5);
    let mut attendees = vec![demo.ceo, demo.cfo, demo.ciso];
    attendees.sort();
    db::management_review::set_schedule(&mut tx.conn(), demo.org, 6, demo.ceo, &attendees, demo.ciso, set_at).await?;
    let state = ScheduleState { every_months: 6, chair_id: demo.ceo, attendees: &attendees, recorded_by: demo.ciso };
    events.push(demo.ciso, set_at, Change::of("update", "review_schedule", demo.org, &state));
    let first = Held {
        title: "Annual management review",
        planned: 10,
        held: 30,
        cfo: Presence::Present,
        uncovered: &[],
        outputs: vec![
            (
                OutputKind::Improvement,
                "Extend the phishing simulations to the warehouse terminals",
                demo.ceo,
                vec![("Agree the warehouse schedule with the site leads", demo.ciso, 45, Some(40))],
            ),
            (
                OutputKind::IsmsChange,
                "Bring the Gdańsk depot into the scope of the ISMS",
                demo.ceo,
                vec![
                    ("Update the scope statement", demo.ciso, 60, Some(74)),
                    ("Brief the Gdańsk depot manager", demo.ceo, 30, Some(21)),
                ],
            ),
            (
                OutputKind::ResourceNeed,
                "Fund a second security analyst from next year's budget",
                demo.cfo,
                vec![("Prepare the job profile and its cost", demo.cfo, 90, None)],
            ),
        ],
        closed_after: Some(3),
    };
    let second = Held {
        title: "Half-year management review",
        planned: 140,
        held: 163,
        cfo: Presence::Absent,
        uncovered: &[InputKey::InterestedParties],
        outputs: vec![(
            OutputKind::Improvement,
            "Test a full restore of the order database before the peak season",
            demo.ceo,
            vec![
                ("Schedule the restore test", demo.ciso, 30, Some(26)),
                ("Report the restore results to the management team", demo.ciso, 60, None),
            ],
        )],
        closed_after: None,
    };
    for review in [first, second] {
        hold(tx, &mut events, &review).await?;
    }
    events.flush(tx, demo.org).await
}

/// Plans, opens, records and (when it was) completes and closes one review; closes its actions that were done.
async fn hold(tx: &mut Tx, events: &mut Events<'_, '_>, review: &Held) -> Result<(), AppError> {
    let demo = events.demo;
    let (org, by) = (demo.org, demo.ciso);
    let (planned_at, held_at) = (demo.day(review.planned), demo.day(review.held));
    let held_on = day_of(held_at);
    let start = period_start(&mut tx.conn(), org, held_on, 0).await?;
    let id = db::management_review::insert(&mut tx.conn(), org, review.title, held_on, start, demo.ceo, by, planned_at)
        .await?;
    events.push(by, planned_at, Change::of("create", "management_review", id, &state_of(&load(tx, org, id).await?)));

    let meeting = MeetingInput {
        kind: MeetingKind::Other,
        title: format!("{}{}", crate::leadership::review::MEETING_PREFIX, review.title),
        held_on,
        place: String::new(),
        chair: demo.ceo,
        attendees: Vec::new(),
        agenda: Vec::new(),
        minutes: String::new(),
    };
    let (meeting, change) = record_meeting(tx, org, by, &meeting, held_at).await?;
    events.push(by, held_at, change);
    let start = period_start(&mut tx.conn(), org, held_on, id).await?;
    db::management_review::open(&mut tx.conn(), org, id, meeting, (start, held_on), held_at).await?;
    let row = load(tx, org, id).await?;
    compile_into(tx, org, &row, held_at).await?;
    events.push(by, held_at, Change::of("open", "management_review", id, &state_of(&row)));

    // The discussion, the attendance and the decisions are written up during the afternoon.
    let mut at = held_at + 5 * 3600;
    for key in InputKey::ALL.into_iter().filter(|k| k.required() && !review.uncovered.contains(k)) {
        let text = notes(key);
        db::management_review::set_notes(&mut tx.conn(), org, id, key.as_str(), text, covered(text), by).await?;
        let state =
            NotesState { review_id: id, key: key.as_str(), notes: text, covered: covered(text), recorded_by: by };
        events.push(by, at, Change::of("update", "review_input", format!("{id}:{}", key.as_str()), &state));
        at += 120;
    }
    let attendance = [(demo.ceo, Presence::Present), (demo.cfo, review.cfo), (demo.ciso, Presence::Present)];
    let list: Vec<(UserId, &str)> = attendance.iter().map(|(u, p)| (*u, p.as_str())).collect();
    db::management_review::set_attendance(&mut tx.conn(), org, meeting, &list).await?;
    events.push(by, at, Change::of("attendance", "management_review", id, &list));

    let mut closings: Vec<(UnixTime, ActionId, UserId)> = Vec::new();
    for (kind, text, decided_by, actions) in &review.outputs {
        at += 300;
        let decision =
            DecisionInput { agenda_item: None, text: (*text).into(), decided_by: *decided_by, topic: kind.topic() };
        let (decision_id, change) = record_decision(tx, org, meeting, by, &decision, at).await?;
        db::management_review::insert_output(&mut tx.conn(), org, id, decision_id, kind.as_str()).await?;
        events.push(by, at, change);
        events.push(by, at, Change::of("create", "review_output", decision_id, &(id, kind.as_str())));
        for (title, owner, due, done) in actions {
            let input = ActionInput {
                decision: Some(decision_id),
                title: (*title).into(),
                owner: *owner,
                due_on: held_on + due * DAY,
            };
            let (action, change) = record_action(tx, org, meeting, by, &input, at).await?;
            events.push(by, at, change);
            if let Some(after) = done {
                closings.push((held_at + after * DAY, action, *owner));
            }
        }
    }

    if let Some(after) = review.closed_after {
        let done_at = held_at + after * DAY;
        db::management_review::set_status(&mut tx.conn(), org, id, "open", "complete", done_at).await?;
        let row = load(tx, org, id).await?;
        events.push(by, done_at, Change::of("complete", "management_review", id, &state_of(&row)));
        let close_at = done_at + 3600;
        let inputs = db::management_review::inputs(&mut tx.conn(), org, id).await?;
        let frozen: Vec<(&str, &str, &str, &str)> =
            inputs.iter().map(|i| (i.key.as_str(), i.summary.as_str(), i.figures.as_str(), i.notes.as_str())).collect();
        events.push(by, close_at, Change::of("close", "management_review", id, &frozen));
        // The checkpoint covers the close, so the events so far go to the ledger first.
        events.flush(tx, org).await?;
        let size = events.ctx.journal.checkpoint(tx, org, close_at).await?;
        db::management_review::close(&mut tx.conn(), org, id, size, close_at).await?;
    }

    closings.sort_by_key(|c| c.0);
    for (when, action, owner) in closings.into_iter().filter(|c| c.0 < demo.now - DAY) {
        let role = if owner == demo.ceo || owner == demo.cfo { Role::TopManagement } else { Role::IsmsManager };
        let closing = Closing::Done { note: "Done; reported to the management team.".into() };
        let (_, change) = record_close(tx, org, action, Acting { user: owner, role }, &closing, when).await?;
        events.push(owner, when, change);
    }
    Ok(())
}
