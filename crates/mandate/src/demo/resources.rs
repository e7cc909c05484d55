//! The demo's resources register (ISO/IEC 27001 7.1): per unit of scale, six commitments over the year that show
//! every state and flag — a SIEM rollout spent and closed, an awareness programme left underspent past its due
//! date, offline backups whose remainder was redirected to another project, a red-team exercise refused, a
//! certification audit still awaiting a decision, and a phishing platform on track. CEO and CFO decide.

use super::DemoOrg;
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::Tx;
use crate::domain::ids::{CommitmentId, UserId};
use crate::domain::resource::money::plain_decimal;
use crate::domain::resource::{DAY, Step, day_of, show_date};
use crate::error::AppError;
use crate::resources::entries::{CloseInput, EntryInput, close_in, record_in};
use crate::resources::{DecisionInput, RequestInput, decide_in, request_in};

/// Sites that copies of the set are run for at larger scales, so titles stay distinct and believable.
const SITES: &[&str] = &["Rotterdam hub", "Hamburg hub", "Antwerp hub", "Gdańsk depot", "Lyon depot", "Milan depot"];

/// A commitment of the set, as requested. Days are counted from the start of the history.
struct Commitment {
    title: &'static str,
    purpose: &'static str,
    initiative: &'static str,
    euros: i64,
    days: i64,
    due: i64,
}

const SET: [Commitment; 6] = [
    Commitment {
        title: "SIEM rollout and log retention",
        purpose: "Central collection and 12-month retention of security logs from the warehouse and transport \
                  systems, so incidents can be detected and investigated (A.8.15, A.8.16).",
        initiative: "Security monitoring",
        euros: 40_000,
        days: 20,
        due: 200,
    },
    Commitment {
        title: "Security awareness programme",
        purpose: "E-learning for all staff, quarterly refreshers and posters for the warehouses (A.6.3).",
        initiative: "People security",
        euros: 25_000,
        days: 15,
        due: 240,
    },
    Commitment {
        title: "Isolated offline backups",
        purpose: "Immutable, offline copies of the order and customer databases against ransomware (A.8.13).",
        initiative: "Business continuity",
        euros: 30_000,
        days: 10,
        due: 270,
    },
    Commitment {
        title: "Red-team exercise",
        purpose: "An external red team tests detection and response across the depots.",
        initiative: "Security testing",
        euros: 35_000,
        days: 5,
        due: 330,
    },
    Commitment {
        title: "ISO/IEC 27001 certification audit",
        purpose: "Stage 1 and stage 2 audits by an accredited certification body.",
        initiative: "Certification",
        euros: 18_000,
        days: 12,
        due: 425,
    },
    Commitment {
        title: "Phishing simulation platform",
        purpose: "Monthly simulated phishing with a report button and follow-up training (A.6.3, A.8.7).",
        initiative: "People security",
        euros: 12_000,
        days: 8,
        due: 455,
    },
];

/// One thing done to a commitment of the set.
enum Act {
    Request,
    Approve { by_cfo: bool, euros: Option<i64> },
    Refuse { reason: &'static str },
    Spend { euros: i64, days: i64, note: &'static str },
    Close { unspent: &'static str, note: &'static str },
}

const fn spend(euros: i64, days: i64, note: &'static str) -> Act {
    Act::Spend { euros, days, note }
}

/// What happens to the set, as (commitment, day of the history, act).
const SCRIPT: &[(usize, i64, Act)] = &[
    (0, 20, Act::Request),
    (0, 30, Act::Approve { by_cfo: false, euros: None }),
    (0, 45, spend(18_000, 0, "SIEM licences, invoice INV-2291")),
    (0, 70, spend(0, 6, "Onboarding log sources: WMS, TMS, firewalls")),
    (0, 90, spend(6_500, 0, "Integration partner, invoice INV-2417")),
    (0, 120, spend(9_000, 8, "Detection rules workshop and tuning")),
    (0, 210, Act::Close { unspent: "returned", note: "Licences came in below the quote; the rest went back to IT." }),
    (1, 60, Act::Request),
    (1, 70, Act::Approve { by_cfo: true, euros: None }),
    (1, 100, spend(4_000, 3, "E-learning platform, first year")),
    (1, 150, spend(3_500, 2, "Warehouse posters and printed guides")),
    (1, 300, spend(1_000, 0, "Refresher module, bought after the due date")),
    (2, 90, Act::Request),
    (2, 100, Act::Approve { by_cfo: true, euros: Some(28_000) }),
    (2, 130, spend(9_500, 4, "Tape library and media")),
    (2, 180, spend(6_500, 3, "Off-site vaulting contract, first year")),
    (
        2,
        280,
        Act::Close {
            unspent: "redirected",
            note: "The remaining 12,000 EUR went to the warehouse scanner replacement (Operations), by CFO decision.",
        },
    ),
    (3, 150, Act::Request),
    (3, 165, Act::Refuse { reason: "Postponed until the SIEM is in production; raise it again next budget round." }),
    (4, 340, Act::Request),
    (5, 250, Act::Request),
    (5, 260, Act::Approve { by_cfo: false, euros: None }),
    (5, 280, spend(5_000, 0, "Platform subscription, first half-year")),
    (5, 300, spend(0, 3, "Campaign design with HR")),
    (5, 330, spend(2_000, 0, "Follow-up training content")),
];

/// Adds `6 × scale` commitments with their decisions, entries and closures, in time order.
pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg, rng: &mut fastrand::Rng) -> Result<(), AppError> {
    let copies = demo.scale as usize;
    // Each copy is shifted by up to nine days, so the scaled histories interleave like real ones.
    let shifts: Vec<i64> = (0..copies).map(|k| if k == 0 { 0 } else { rng.i64(0..10) }).collect();
    let mut plan: Vec<(UnixTime, usize, &Act)> = Vec::with_capacity(SCRIPT.len() * copies);
    for (k, shift) in shifts.iter().enumerate() {
        for (i, (commitment, day, act)) in SCRIPT.iter().enumerate() {
            // Minutes apart by position, so steps of one day keep the script's order.
            let at = working_day(demo, day + shift) + (i * 60) as i64 + k as i64;
            plan.push((at, k * SET.len() + commitment, act));
        }
    }
    plan.sort_by_key(|(at, _, _)| *at);
    let mut ids: Vec<Option<CommitmentId>> = vec![None; copies * SET.len()];
    for (at, n, act) in plan {
        let site = (n >= SET.len()).then(|| SITES[(n / SET.len() - 1) % SITES.len()]);
        let shift = shifts[n / SET.len()];
        play(ctx, tx, demo, rng, Cue { at, n, shift, site }, &mut ids[n], act).await?;
    }
    Ok(())
}

/// When an act happens and to which commitment: its number over all copies, its copy's shift in days, its site.
#[derive(Clone, Copy)]
struct Cue {
    at: UnixTime,
    n: usize,
    shift: i64,
    site: Option<&'static str>,
}

/// 09:00 UTC on the day `days` after the history starts (the history may start at any time of day).
fn working_day(demo: &DemoOrg, days: i64) -> UnixTime {
    day_of(demo.start) + days * DAY + 9 * 3600
}

fn euros(amount: i64) -> String {
    plain_decimal(amount * 100, 2)
}

/// Performs one act at `at` as the person who would do it.
async fn play(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    demo: &DemoOrg,
    rng: &mut fastrand::Rng,
    cue: Cue,
    id: &mut Option<CommitmentId>,
    act: &Act,
) -> Result<(), AppError> {
    let (org, ciso) = (demo.org, demo.ciso);
    let at = cue.at;
    match act {
        Act::Request => {
            let input = request(demo, cue);
            *id = Some(request_in(&demo.ctx(ctx, ciso, at), tx, org, ciso, &input).await?);
        }
        Act::Approve { by_cfo, euros: amount } => {
            let who = if *by_cfo { demo.cfo } else { demo.ceo };
            let input = DecisionInput {
                decision_ref: format!("Management meeting {}, item {}", show_date(day_of(at)), rng.u32(2..9)),
                amount: amount.map(euros).unwrap_or_default(),
                ..DecisionInput::default()
            };
            decide_in(&demo.ctx(ctx, who, at), tx, org, who, target(id)?, Step::Approve, &input).await?;
        }
        Act::Refuse { reason } => {
            let input = DecisionInput {
                decision_ref: format!("Management meeting {}, item {}", show_date(day_of(at)), rng.u32(2..9)),
                reason: (*reason).into(),
                ..DecisionInput::default()
            };
            decide_in(&demo.ctx(ctx, demo.ceo, at), tx, org, demo.ceo, target(id)?, Step::Refuse, &input).await?;
        }
        Act::Spend { euros: amount, days, note } => {
            // Money is booked by the CISO; time is worked by someone on the staff.
            let person = if *days > 0 { pick(rng, &demo.staff, ciso) } else { ciso };
            let input = EntryInput {
                amount: if *amount > 0 { euros(*amount) } else { String::new() },
                person_days: if *days > 0 { days.to_string() } else { String::new() },
                spent_on: show_date(day_of(at)),
                person: Some(person),
                note: (*note).into(),
                ..EntryInput::default()
            };
            record_in(&demo.ctx(ctx, ciso, at), tx, org, ciso, target(id)?, &input).await?;
        }
        Act::Close { unspent, note } => {
            let input = CloseInput { unspent: (*unspent).into(), note: (*note).into() };
            close_in(&demo.ctx(ctx, ciso, at), tx, org, ciso, target(id)?, &input).await?;
        }
    }
    Ok(())
}

/// The request of the commitment `cue` names, its title marked with its site in larger organisations.
fn request(demo: &DemoOrg, cue: Cue) -> RequestInput {
    let c = &SET[cue.n % SET.len()];
    RequestInput {
        title: cue.site.map_or_else(|| c.title.to_string(), |site| format!("{} — {site}", c.title)),
        purpose: c.purpose.into(),
        initiative: c.initiative.into(),
        amount: euros(c.euros),
        currency: "EUR".into(),
        person_days: c.days.to_string(),
        due_on: show_date(day_of(demo.start) + (c.due + cue.shift) * DAY),
        ..RequestInput::default()
    }
}

fn target(id: &Option<CommitmentId>) -> Result<CommitmentId, AppError> {
    id.ok_or_else(|| AppError::Internal(anyhow::anyhow!("demo script acts on a commitment before requesting it")))
}

fn pick(rng: &mut fastrand::Rng, staff: &[UserId], otherwise: UserId) -> UserId {
    staff.get(rng.usize(..staff.len().max(1))).copied().unwrap_or(otherwise)
}
