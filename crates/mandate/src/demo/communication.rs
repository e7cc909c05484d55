//! The demo's communication plan and a year of communications (the incident-reporting reminder has fallen
//! behind; the CEO speaks more often than the CFO), and four training campaigns with completion between about
//! 60 % and 95 %, some people overdue. Scaled: one plan per site; enrolments grow with the staff.

use super::DemoOrg;
use crate::communication::training::{Completion, TrainingInput, complete_all_in, launch_in};
use crate::communication::{self, PlanInput, SentInput};
use crate::context::Ctx;
use crate::db::Tx;
use crate::domain::campaign::Audience;
use crate::domain::communication::{Cadence, Channel};
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Actor;

const DAY: i64 = 86_400;

/// Who speaks for an entry.
#[derive(Clone, Copy)]
enum Speaker {
    Ceo,
    Cfo,
    Ciso,
}

/// (subject, cadence, speaker, audience, channel, days of the year it was sent, share read %, acknowledged).
type Entry = (&'static str, Cadence, Speaker, fn() -> Audience, Channel, &'static [i64], u32, bool);

fn everyone() -> Audience {
    Audience::everyone()
}
fn managers() -> Audience {
    Audience { roles: vec![Role::TopManagement, Role::IsmsManager], ..Audience::default() }
}
fn finance() -> Audience {
    Audience { departments: vec!["Finance".into()], ..Audience::default() }
}
fn new_staff() -> Audience {
    Audience { departments: vec!["Warehouse".into(), "Transport".into()], ..Audience::default() }
}

const PLAN: &[Entry] = &[
    (
        "CEO's yearly message on information security",
        Cadence::Yearly,
        Speaker::Ceo,
        everyone,
        Channel::Video,
        &[20],
        78,
        true,
    ),
    (
        "Security newsletter",
        Cadence::Monthly,
        Speaker::Ciso,
        everyone,
        Channel::Newsletter,
        &[8, 38, 69, 99, 130, 160, 191, 222, 252, 283, 313, 344],
        61,
        false,
    ),
    (
        "Town hall: security update",
        Cadence::Quarterly,
        Speaker::Ceo,
        everyone,
        Channel::TownHall,
        &[30, 121, 212, 303],
        72,
        false,
    ),
    (
        "Onboarding security briefing",
        Cadence::Monthly,
        Speaker::Ciso,
        new_staff,
        Channel::Meeting,
        &[12, 43, 73, 104, 134, 165, 196, 226, 257, 287, 318, 349],
        90,
        true,
    ),
    (
        "Reminder: how to report an incident",
        Cadence::Quarterly,
        Speaker::Cfo,
        everyone,
        Channel::Email,
        &[15, 105],
        58,
        false,
    ),
    (
        "Phishing tips on the intranet",
        Cadence::Monthly,
        Speaker::Ciso,
        everyone,
        Channel::Intranet,
        &[22, 52, 83, 113, 144, 175, 205, 236, 266, 297, 328, 358],
        44,
        false,
    ),
    (
        "Management briefing on ISMS performance",
        Cadence::Quarterly,
        Speaker::Ceo,
        managers,
        Channel::Meeting,
        &[45, 136, 227, 318],
        100,
        true,
    ),
    ("Payment fraud alert for Finance", Cadence::Yearly, Speaker::Cfo, finance, Channel::Email, &[60], 88, true),
];

/// (title, launched on day, due after days, launched by the CEO (else the CISO), audience, completion %).
type Campaign = (&'static str, i64, i64, bool, fn() -> Audience, u32);

const TRAINING: &[Campaign] = &[
    ("Annual security awareness", 30, 60, true, everyone, 94),
    ("Recognising phishing", 150, 45, false, everyone, 86),
    ("Handling payment data safely", 220, 50, true, finance, 72),
    ("Data protection refresher", 330, 45, false, everyone, 61),
];

pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg, rng: &mut fastrand::Rng) -> Result<(), AppError> {
    let members = communication::audience::members(tx, demo.org, demo.now).await?;
    let mut sent = Vec::new();
    for copy in 0..demo.scale {
        sent.extend(seed_plan(ctx, tx, demo, copy, &members, rng).await?);
    }
    sent.sort_by_key(|s| s.3);
    communication::record_all_in(ctx, tx, demo.org, &sent).await?;
    for (title, launched, days, by_ceo, audience, rate) in TRAINING {
        let at = demo.day(*launched);
        let launcher = if *by_ceo { demo.ceo } else { demo.ciso };
        let input = TrainingInput {
            title: (*title).into(),
            description: format!("{title}: a short online course with a quiz at the end."),
            audience: audience(),
            due_on: at + days * DAY,
            launched_by: Some(launcher),
        };
        let row = launch_in(&demo.ctx(ctx, demo.ciso, at), tx, demo.org, demo.ciso, &input).await?;
        let (people, _) =
            crate::db::training::enrolments(&mut tx.conn(), demo.org, row.id, &Default::default(), false, i64::MAX, 0)
                .await?;
        let mut items = Vec::new();
        for person in people {
            // Top management is enrolled with everyone but never finds the time: the management-training gap
            // NIS2 Art. 20(2) asks about.
            if person.user_id == demo.ceo || person.user_id == demo.cfo {
                continue;
            }
            // A campaign still running has had only the days since its launch.
            let span = (days + 25).min((demo.now - at) / DAY);
            let on = at + DAY * rng.i64(1..span);
            if rng.u32(0..100) < *rate && on < demo.now - DAY {
                let recorded = on + 9 * 3600;
                let actor = demo.ctx(ctx, demo.ciso, recorded).actor;
                let score = Some(f64::from(rng.u32(62..101)));
                let completed_on = on - on.rem_euclid(DAY);
                items.push(Completion {
                    actor,
                    at: recorded,
                    person: person.user_id,
                    completed_on,
                    score,
                    recorded_by: demo.ciso,
                });
            }
        }
        items.sort_by_key(|i| i.at);
        complete_all_in(&demo.ctx(ctx, demo.ciso, demo.now), tx, demo.org, row.id, &items).await?;
    }
    Ok(())
}

/// One site's plan, and its year of communications to record.
async fn seed_plan(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    demo: &DemoOrg,
    copy: u32,
    members: &[crate::db::acknowledgement::Audience],
    rng: &mut fastrand::Rng,
) -> Result<Vec<(Actor, UserId, SentInput, i64)>, AppError> {
    let mut sent = Vec::new();
    for (i, (subject, cadence, speaker, audience, channel, days, read, ack)) in PLAN.iter().enumerate() {
        let who: UserId = match speaker {
            Speaker::Ceo => demo.ceo,
            Speaker::Cfo => demo.cfo,
            Speaker::Ciso => demo.ciso,
        };
        let subject = if copy == 0 { (*subject).to_string() } else { format!("{subject} (site {})", copy + 1) };
        let at = demo.day(2 + i as i64);
        let input = PlanInput {
            subject: subject.clone(),
            description: String::new(),
            frequency: *cadence,
            first_due_on: demo.day(days[0]),
            communicator: who,
            audience: audience(),
            channel: *channel,
        };
        let entry = communication::create_in(&demo.ctx(ctx, demo.ciso, at), tx, demo.org, demo.ciso, &input).await?;
        // The communicator records their own communications about half the time; the CISO records the rest.
        let size = communication::audience::resolve(&audience(), members)?.len() as i64;
        for day in days.iter() {
            let on = demo.day(*day);
            let by = if rng.bool() { who } else { demo.ciso };
            let readers = size * i64::from(read.saturating_sub(rng.u32(0..12))) / 100;
            let (read_count, acknowledged_count) = (Some(readers), ack.then_some(readers * 4 / 5));
            let input = SentInput {
                plan_entry: Some(entry.id),
                sent_on: on,
                read_count,
                acknowledged_count,
                ..SentInput::default()
            };
            sent.push((demo.ctx(ctx, by, on + 3600).actor, by, input, on + 3600));
        }
    }
    Ok(sent)
}
