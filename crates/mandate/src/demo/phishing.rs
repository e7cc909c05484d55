//! The demo's phishing programme: a simulation each quarter (each month in generated organisations), each
//! approved by a named person, with GoPhish results for every member written as GoPhish's CSV and imported
//! through the real import. Click rates fall from about a quarter to under a tenth over the year and report
//! rates rise; a few e-mails bounce and a few recipients (agency temps) are not members.
//!
//! Scale: the demo (scale 1) runs four simulations; generated organisations (scale ≥ 2) run twelve, one a month,
//! so results grow as about 12 × 250 × scale (≈ 234,000 at scale 80). One ledger event per simulation and one
//! per import, as for a real import.

use super::DemoOrg;
use crate::context::Ctx;
use crate::db::Tx;
use crate::db::phishing::SimulationRow;
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::phishing::{self, SimulationInput, import};
use std::fmt::Write;

const DAY: i64 = 86_400;

/// One simulation of the programme: (name, audience).
const THEMES: &[(&str, &str)] = &[
    ("Parcel delivery notice", "All staff"),
    ("Password expiry warning", "All staff"),
    ("Invoice from a new supplier", "All staff"),
    ("Shared document from the CEO", "All staff"),
];

/// When simulation `i` of `count` is launched (days after the history starts), its click and report rates.
fn plan(i: usize, count: usize) -> (i64, f64, f64) {
    let progress = if count > 1 { i as f64 / (count - 1) as f64 } else { 0.0 };
    let day = 20 + (320 * i / count.max(1)) as i64;
    (day, 0.24 - 0.17 * progress, 0.08 + 0.30 * progress)
}

/// Who approved simulation `i` and who recorded it: the CEO sponsors the programme and records some approvals
/// themselves; the ISMS manager approves one and records the rest.
fn approval(demo: &DemoOrg, i: usize) -> (UserId, UserId) {
    match i % 4 {
        0 => (demo.ceo, demo.ciso),
        1 => (demo.ceo, demo.ceo),
        2 => (demo.ciso, demo.ciso),
        _ => (demo.cfo, demo.ciso),
    }
}

fn line(out: &mut String, id: &str, status: &str, sent: i64, reported: bool, email: &str) {
    let local = email.split('@').next().unwrap_or("");
    let mut names = local.split('.');
    let first = names.next().unwrap_or("");
    let last = names.next().unwrap_or("");
    let date = crate::clock::rfc3339(sent);
    let _ = writeln!(out, "{id},{status},192.0.2.{},0,0,{date},{reported},{date},{email},{first},{last},", sent % 250);
}

/// The results file of a simulation: every member and three agency temps.
fn results_csv(demo: &DemoOrg, launch: i64, click: f64, report: f64, rng: &mut fastrand::Rng) -> String {
    let mut out = crate::domain::phishing::gophish::HEADER.join(",");
    out.push('\n');
    let temps = (1..=3).map(|n| format!("temp{n}@agency.example"));
    let emails = demo.staff.iter().filter_map(|u| demo.people.get(u).map(|p| p.0.clone())).chain(temps);
    for (n, email) in emails.enumerate() {
        let sent = launch + (n as i64 % 3600);
        let roll = rng.f64();
        let status = if roll < 0.01 {
            "Error"
        } else if roll < 0.01 + click * 0.4 {
            "Submitted Data"
        } else if roll < 0.01 + click {
            "Clicked Link"
        } else if roll < 0.01 + click + 0.35 {
            "Email Opened"
        } else {
            "Email Sent"
        };
        // Those who clicked report less often than the rest.
        let reported = status != "Error"
            && rng.f64() < if status == "Email Sent" || status == "Email Opened" { report * 1.1 } else { report * 0.3 };
        line(&mut out, &format!("r{n:06}"), status, sent, reported, &email);
    }
    out
}

/// Runs the programme; returns the simulations in launch order.
pub async fn seed(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    demo: &DemoOrg,
    rng: &mut fastrand::Rng,
) -> Result<Vec<SimulationRow>, AppError> {
    let count = if demo.scale == 1 { 4 } else { 12 };
    let mut simulations = Vec::with_capacity(count);
    for i in 0..count {
        let (day, click, report) = plan(i, count);
        let (approver, recorder) = approval(demo, i);
        let launch = demo.day(day);
        let (theme, audience) = THEMES[i % THEMES.len()];
        let input = SimulationInput {
            name: if count == 4 {
                format!("Q{} {theme}", i + 1)
            } else {
                format!("{} {theme}", &crate::domain::objective::date_text(launch)[..7])
            },
            gophish_campaign_id: Some(101 + i as i64),
            launched_on: launch,
            audience: audience.into(),
            approved_by: approver,
            approved_on: launch - 9 * DAY,
        };
        let row =
            phishing::create_in(&demo.ctx(ctx, recorder, launch - 7 * DAY), tx, demo.org, recorder, &input).await?;
        if launch + 14 * DAY <= demo.now {
            let csv = results_csv(demo, launch, click, report, rng);
            let at = launch + 14 * DAY;
            let report = import::import_in(
                &demo.ctx(ctx, demo.ciso, at),
                tx,
                demo.org,
                row.id,
                demo.ciso,
                csv.as_bytes(),
                false,
            )
            .await?;
            if !report.applied {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "demo phishing results refused: {:?}",
                    report.problems.first()
                )));
            }
        }
        simulations.push(row);
    }
    Ok(simulations)
}
