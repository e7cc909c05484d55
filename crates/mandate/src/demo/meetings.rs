//! The demo's meetings: a year of monthly management-team meetings chaired by the CEO and quarterly ISMS
//! committee meetings chaired by the CISO. Incidents reach the agenda in some months and not in others; the CEO
//! and the CFO take the decisions, often different ones; the actions show every outcome — done on time, done
//! late, overdue and still open (a couple owned by the CEO), cancelled with a reason. Each further unit of scale
//! adds six site security meetings with ten decisions and forty actions each (scale 80 ≈ 500 meetings, 5,000
//! decisions, 20,000 actions). Every record goes through the operations the pages use; the ledger events are
//! appended together at the end, in time order.

use super::DemoOrg;
use super::decision_links::Held;
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::Tx;
use crate::domain::ids::{ActionId, DecisionId, UserId};
use crate::domain::meeting::{MeetingKind, Presence, Topic};
use crate::domain::objective::Acting;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::{Actor, Change};
use crate::meetings::actions::{ActionInput, Closing, record_action, record_close};
use crate::meetings::decisions::{DecisionInput, record_decision};
use crate::meetings::{AgendaInput, MeetingInput, record_meeting};

const DAY: i64 = 86_400;

/// Agenda items a management meeting picks from: (title, topics, clauses).
const ITEMS: &[(&str, &[&str], &[&str])] = &[
    ("Security incidents of the month", &["incidents"], &["9.1", "A.5.24", "A.5.27"]),
    ("Risk register changes", &["risks"], &["6.1.2", "8.2"]),
    ("Budget for security work", &["resources"], &["7.1"]),
    ("Objectives and their measurements", &["objectives"], &["6.2", "9.1"]),
    ("Critical suppliers' reviews", &["suppliers"], &["A.5.19", "A.5.22"]),
    ("Policy approvals and reviews", &["policies"], &["5.2"]),
    ("Awareness programme progress", &["awareness"], &["7.3", "A.6.3"]),
    ("Backup and recovery readiness", &["continuity"], &["8.4", "A.8.13"]),
    ("Internal audit findings", &["audits", "nonconformities"], &["9.2", "10.2"]),
];

/// Decisions a meeting can take: (text, topic, whether the CFO usually takes it).
const DECISIONS: &[(&str, Topic, bool)] = &[
    ("Fund the second SIEM log collector from the IT budget", Topic::Resources, true),
    ("Require multi-factor sign-in for all depot terminals by quarter end", Topic::Risks, false),
    ("Accept the residual risk of the legacy scanner network until its replacement", Topic::Risks, false),
    ("Review the two critical carriers' security clauses before renewal", Topic::Suppliers, true),
    ("Make the incident post-mortem a standing agenda item", Topic::Incidents, false),
    ("Postpone the red-team exercise to next year", Topic::Resources, true),
    ("Run the phishing simulation in the warehouses as well", Topic::Awareness, false),
    ("Test a full restore of the order database every quarter", Topic::Continuity, false),
    ("Close the audit finding on shared accounts with named accounts", Topic::Nonconformities, false),
];

/// Actions that follow from decisions.
const ACTIONS: &[&str] = &[
    "Prepare the purchase order",
    "Brief the depot managers",
    "Update the risk register entry",
    "Send the supplier questionnaire",
    "Report back at the next meeting",
    "Draft the change to the policy",
    "Schedule the restore test",
    "Collect evidence for the auditor",
];

/// One record to write, in time order.
enum Step {
    Meeting { index: usize, input: MeetingInput, by: UserId, decisions: Vec<(DecisionInput, Vec<Planned>)> },
    Close { meeting: usize, decision: usize, action: usize, closing: Closing, by: Acting },
}

/// An action and what becomes of it.
struct Planned {
    input: ActionInput,
}

/// A member and their role, for acting on actions.
fn acting(demo: &DemoOrg, user: UserId) -> Acting {
    let role = if user == demo.ceo || user == demo.cfo {
        Role::TopManagement
    } else if user == demo.ciso {
        Role::IsmsManager
    } else {
        Role::Employee
    };
    Acting { user, role }
}

/// Adds the demo's meetings (and `6 × (scale − 1)` site meetings) with decisions, actions and closures.
pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg, rng: &mut fastrand::Rng) -> Result<(), AppError> {
    let today = (demo.now - demo.start) / DAY;
    let mut plan: Vec<(UnixTime, Step)> = Vec::new();
    let mut meetings = 0usize;
    let mut schedule: Vec<(i64, MeetingKind, String, usize)> = Vec::new();
    for k in 0..12 {
        schedule.push((12 + k * 30, MeetingKind::ManagementTeam, format!("Management team, month {}", k + 1), 3));
    }
    for q in 0..4 {
        schedule.push((40 + q * 91, MeetingKind::IsmsCommittee, format!("ISMS committee, quarter {}", q + 1), 2));
    }
    let sites = ["Rotterdam hub", "Hamburg hub", "Antwerp hub", "Gdańsk depot", "Lyon depot", "Milan depot"];
    for copy in 1..demo.scale as usize {
        for (s, site) in sites.iter().enumerate() {
            let day = 20 + (s as i64 * 57 + copy as i64 * 13) % 330;
            schedule.push((day, MeetingKind::Other, format!("{site} security meeting {copy}"), 10));
        }
    }
    let pool: Vec<UserId> = demo.staff.iter().skip(6).copied().collect();
    for (day, kind, title, decision_count) in schedule.into_iter().filter(|(d, ..)| *d < today - 1) {
        let held = demo.day(day);
        let site = kind == MeetingKind::Other;
        let chair = if kind == MeetingKind::IsmsCommittee { demo.ciso } else { demo.ceo };
        let cfo_presence = if rng.u8(0..5) == 0 { Presence::Excused } else { Presence::Present };
        let attendees = vec![(demo.ceo, Presence::Present), (demo.cfo, cfo_presence), (demo.ciso, Presence::Present)];
        // Incidents reach the management team every third month only; the committee always looks at them.
        let incidents = kind == MeetingKind::IsmsCommittee || (day / 30) % 3 == 0;
        let mut agenda: Vec<AgendaInput> = Vec::new();
        for (i, (item, topics, clauses)) in ITEMS.iter().enumerate() {
            let wanted = if i == 0 { incidents } else { rng.u8(0..3) == 0 || agenda.len() < 2 };
            if wanted && agenda.len() < 4 {
                agenda.push(AgendaInput {
                    title: (*item).into(),
                    topics: topics.iter().map(|t| (*t).to_string()).collect(),
                    clauses: clauses.iter().map(|c| (*c).to_string()).collect(),
                });
            }
        }
        let minutes = format!(
            "## {title}\n\nChaired by the {}. {}\n\n- Figures were presented by the CISO.\n- Decisions and actions are \
             recorded below.",
            if chair == demo.ciso { "CISO" } else { "CEO" },
            if incidents { "The month's incidents were reviewed first." } else { "No incident was discussed." }
        );
        let mut decisions = Vec::new();
        for d in 0..decision_count {
            let (text, topic, cfo_leans) = DECISIONS[(meetings * 3 + d) % DECISIONS.len()];
            // The CEO and the CFO decide differently often: the one who usually takes it does two times in three.
            let by_cfo = if rng.u8(0..3) == 0 { !cfo_leans } else { cfo_leans };
            let decided_by = if by_cfo { demo.cfo } else { demo.ceo };
            let per_decision = if site { 4 } else { 1 + rng.usize(0..2) };
            let mut actions = Vec::new();
            for a in 0..per_decision {
                let owner = match (site, rng.u8(0..6)) {
                    (false, 0) => demo.ceo,
                    (false, 1) => demo.cfo,
                    (false, 2) => demo.employee,
                    (true, _) if !pool.is_empty() => pool[(meetings * 7 + d * 3 + a) % pool.len()],
                    _ => demo.ciso,
                };
                let due = held + rng.i64(14..60) * DAY;
                actions.push(Planned {
                    input: ActionInput {
                        decision: None,
                        title: ACTIONS[(d + a) % ACTIONS.len()].into(),
                        owner,
                        due_on: due,
                    },
                });
            }
            decisions.push((DecisionInput { agenda_item: None, text: text.into(), decided_by, topic }, actions));
        }
        // What becomes of each action: closed on time, late, cancelled, or left open.
        for (d, (_, actions)) in decisions.iter().enumerate() {
            for (a, planned) in actions.iter().enumerate() {
                let due = planned.input.due_on;
                let roll = rng.u8(0..20);
                let by = acting(demo, planned.input.owner);
                let (at, closing) = match roll {
                    0..=11 => (due - rng.i64(0..10) * DAY, Closing::Done { note: "Done as agreed.".into() }),
                    12..=14 => (due + rng.i64(3..25) * DAY, Closing::Done { note: "Done after the due date.".into() }),
                    15 => (due - 2 * DAY, Closing::Cancelled { reason: "Overtaken by a later decision.".into() }),
                    _ => continue,
                };
                let at = at.max(held + DAY);
                if at < demo.now - DAY {
                    plan.push((at, Step::Close { meeting: meetings, decision: d, action: a, closing, by }));
                }
            }
        }
        let by = if rng.bool() { demo.ciso } else { demo.admin };
        let input =
            MeetingInput { kind, title, held_on: held, place: "Head office".into(), chair, attendees, agenda, minutes };
        plan.push((held + 4 * 3600, Step::Meeting { index: meetings, input, by, decisions }));
        meetings += 1;
    }
    plan.sort_by_key(|(at, step)| (*at, matches!(step, Step::Close { .. })));
    let held = write(ctx, tx, demo, plan, meetings).await?;
    super::decision_links::seed(ctx, tx, demo, &held).await
}

/// Writes the plan in time order and appends its ledger events under one lock of the head; answers the
/// management-team meetings written, in time order.
async fn write(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    demo: &DemoOrg,
    plan: Vec<(UnixTime, Step)>,
    meetings: usize,
) -> Result<Vec<Held>, AppError> {
    let mut held = Vec::new();
    let mut ids: Vec<Vec<(DecisionId, Vec<ActionId>)>> = vec![Vec::new(); meetings];
    let mut events: Vec<(Actor, Change, UnixTime)> = Vec::new();
    for (at, step) in plan {
        match step {
            Step::Meeting { index, input, by, decisions } => {
                let (meeting, change) = record_meeting(tx, demo.org, by, &input, at).await?;
                if input.kind == MeetingKind::ManagementTeam {
                    held.push(Held { recorded_at: at, meeting, by });
                }
                events.push((demo.ctx(ctx, by, at).actor, change, at));
                let mut recorded = Vec::new();
                for (n, (decision, actions)) in decisions.into_iter().enumerate() {
                    let when = at + 60 * (n as i64 + 1);
                    let (decision_id, change) = record_decision(tx, demo.org, meeting, by, &decision, when).await?;
                    events.push((demo.ctx(ctx, by, when).actor, change, when));
                    let mut action_ids = Vec::new();
                    for planned in actions {
                        let input = ActionInput { decision: Some(decision_id), ..planned.input };
                        let (id, change) = record_action(tx, demo.org, meeting, by, &input, when).await?;
                        events.push((demo.ctx(ctx, by, when).actor, change, when));
                        action_ids.push(id);
                    }
                    recorded.push((decision_id, action_ids));
                }
                ids[index] = recorded;
            }
            Step::Close { meeting, decision, action, closing, by } => {
                let Some(id) = ids.get(meeting).and_then(|m| m.get(decision)).and_then(|d| d.1.get(action)) else {
                    continue;
                };
                let (_, change) = record_close(tx, demo.org, *id, by, &closing, at).await?;
                events.push((demo.ctx(ctx, by.user, at).actor, change, at));
            }
        }
    }
    ctx.journal.append_all(tx, demo.org, &events).await?;
    Ok(held)
}
