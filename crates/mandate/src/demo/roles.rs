//! The demo's roles and responsibilities: a year of appointments the CEO made at management team meetings,
//! recorded by the CISO; a data protection officer who left and was replaced; a RACI matrix filled in over the
//! ISMS processes. Imperfections an auditor would find: the ISMS manager was also made internal auditor (a
//! segregation-of-duties conflict), the BC coordinator has no deputy although the role needs one, and nobody is
//! accountable for supplier management.

use super::{DemoOrg, PEOPLE};
use crate::context::Ctx;
use crate::db::{self, Tx};
use crate::domain::appointment::format_date;
use crate::domain::ids::{AppointmentId, CatalogueRoleId, UserId};
use crate::domain::raci::Letter;
use crate::domain::role::Role;
use crate::domain::role_catalogue::name_key;
use crate::error::AppError;
use crate::roles::appointments::{Ending, NewAppointment, Recorder, appoint_in, change_in, end_in};
use crate::roles::raci::set_cells_in;
use std::collections::HashMap;

/// Risk owners and asset owners per unit of scale (one per department, and the main information assets).
const RISK_OWNERS: usize = 9;
const ASSET_OWNERS: usize = 12;

/// The RACI matrix as Northwind filled it in: (process, [(role, letter)]). Supplier management has no A.
const RACI: &[(&str, &[(&str, Letter)])] = &[
    (
        "Risk assessment",
        &[
            ("CISO", Letter::A),
            ("ISMS manager", Letter::R),
            ("Risk owner", Letter::R),
            ("Asset owner", Letter::C),
            ("Data protection officer", Letter::C),
            ("Internal auditor", Letter::I),
        ],
    ),
    (
        "Risk treatment",
        &[("Risk owner", Letter::A), ("ISMS manager", Letter::R), ("Asset owner", Letter::R), ("CISO", Letter::C)],
    ),
    ("Internal audit", &[("CISO", Letter::A), ("Internal auditor", Letter::R), ("ISMS manager", Letter::I)]),
    (
        "Management review",
        &[
            ("CISO", Letter::A),
            ("ISMS manager", Letter::R),
            ("BC coordinator", Letter::C),
            ("Data protection officer", Letter::C),
            ("Internal auditor", Letter::C),
        ],
    ),
    (
        "Incident management",
        &[
            ("CISO", Letter::A),
            ("ISMS manager", Letter::R),
            ("Data protection officer", Letter::C),
            ("BC coordinator", Letter::C),
            ("Asset owner", Letter::I),
        ],
    ),
    ("Document control", &[("CISO", Letter::A), ("ISMS manager", Letter::R), ("Asset owner", Letter::C)]),
    (
        "Awareness & training",
        &[("CISO", Letter::A), ("ISMS manager", Letter::R), ("Data protection officer", Letter::C)],
    ),
    (
        "Supplier management",
        &[("ISMS manager", Letter::R), ("Risk owner", Letter::C), ("Data protection officer", Letter::C)],
    ),
    (
        "Business continuity",
        &[("BC coordinator", Letter::A), ("Asset owner", Letter::R), ("CISO", Letter::C), ("ISMS manager", Letter::I)],
    ),
];

/// One step of the history, on a day of the year.
enum Step {
    /// Appoint `user` to `role` with deputies; the appointment is remembered under `slot`.
    Appoint { slot: usize, role: &'static str, user: UserId, deputies: Vec<UserId> },
    /// Replace the deputies of the appointment in `slot`.
    Deputies { slot: usize, deputies: Vec<UserId> },
    /// End the appointment in `slot`.
    End { slot: usize, reason: &'static str },
    /// Fill in the RACI matrix.
    Raci,
}

/// The year's steps, by day. Named slots first; scaled risk and asset owners after them.
fn plan(demo: &DemoOrg, rng: &mut fastrand::Rng) -> Vec<(i64, Step)> {
    let mut pool: Vec<UserId> = demo.staff.iter().skip(PEOPLE.len()).copied().collect();
    rng.shuffle(&mut pool);
    let mut person = || pool.pop().unwrap_or(demo.employee);
    let (manager, manager_deputy, ciso_deputy, ciso_deputy_later) = (person(), person(), person(), person());
    let (bc, auditor, dpo, dpo_next, dpo_deputy) = (person(), person(), person(), person(), person());
    let appoint = |slot, role, user, deputies| Step::Appoint { slot, role, user, deputies };
    let mut steps = vec![
        (10, appoint(0, "CISO", demo.ciso, vec![ciso_deputy])),
        (10, appoint(1, "ISMS manager", manager, vec![manager_deputy])),
        (31, appoint(2, "BC coordinator", bc, Vec::new())),
        (31, appoint(3, "Data protection officer", dpo, Vec::new())),
        (45, appoint(4, "Internal auditor", auditor, Vec::new())),
        (70, Step::Raci),
        (150, Step::Deputies { slot: 0, deputies: vec![ciso_deputy_later] }),
        (180, Step::End { slot: 3, reason: "Left Northwind for another employer" }),
        (181, appoint(5, "Data protection officer", dpo_next, vec![dpo_deputy])),
        // Short of auditors for the Q3 warehouse audit, the CEO made the ISMS manager an internal auditor too.
        (260, appoint(6, "Internal auditor", manager, Vec::new())),
    ];
    let scale = demo.scale as usize;
    for i in 0..RISK_OWNERS * scale {
        steps.push((
            20 + (i * 180 / (RISK_OWNERS * scale)) as i64,
            appoint(100 + i, "Risk owner", person(), Vec::new()),
        ));
    }
    for i in 0..ASSET_OWNERS * scale {
        let day = 60 + (i * 260 / (ASSET_OWNERS * scale)) as i64;
        steps.push((day, appoint(100 + RISK_OWNERS * scale + i, "Asset owner", person(), Vec::new())));
    }
    // Every so often a risk owner hands over to a successor.
    for i in 0..scale {
        let slot = 100 + i * RISK_OWNERS;
        steps.push((220, Step::End { slot, reason: "Moved to another department" }));
        steps.push((221, appoint(100_000 + i, "Risk owner", person(), Vec::new())));
    }
    steps.sort_by_key(|(day, _)| *day);
    steps
}

/// Seeds the catalogue and a year of appointments and RACI letters, all in `tx`.
pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg, rng: &mut fastrand::Rng) -> Result<(), AppError> {
    let org = demo.org;
    crate::roles::seed_in(&demo.ctx(ctx, demo.admin, demo.day(3)), tx, org).await?;
    let mut roles: HashMap<&'static str, CatalogueRoleId> = HashMap::new();
    for seed in crate::domain::role_catalogue::SEED_ROLES {
        let id = db::role_catalogue::by_key(&mut tx.conn(), org, &name_key(seed.name)).await?;
        roles.insert(seed.name, id.ok_or_else(|| AppError::not_found("seeded role"))?);
    }
    let mut slots: HashMap<usize, AppointmentId> = HashMap::new();
    let recorder = Recorder::Member { user: demo.ciso, role: Role::IsmsManager };
    for (item, (day, step)) in plan(demo, rng).into_iter().enumerate() {
        let at = demo.day(day);
        let by = demo.ctx(ctx, demo.ciso, at);
        match step {
            Step::Appoint { slot, role, user, deputies } => {
                let new = NewAppointment {
                    role: roles[role],
                    user,
                    appointed_by: Some(demo.ceo),
                    appointed_on: Some(at),
                    decision_ref: Some(format!("Management team minutes {}, item {}", format_date(at), item % 9 + 1)),
                    decision_id: None,
                    ends_on: None,
                    deputies,
                };
                slots.insert(slot, appoint_in(&by, tx, org, recorder, &new).await?.id);
            }
            Step::Deputies { slot, deputies } => {
                let change =
                    crate::roles::appointments::AppointmentChange { deputies: Some(deputies), ..Default::default() };
                change_in(&by, tx, org, slots[&slot], &change).await?;
            }
            Step::End { slot, reason } => {
                end_in(&by, tx, org, slots[&slot], &Ending { ended_on: None, reason: Some(reason.into()) }).await?;
            }
            Step::Raci => fill_raci(&by, tx, demo, &roles).await?,
        }
    }
    Ok(())
}

/// Fills in the RACI matrix as [`RACI`] says.
async fn fill_raci(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    demo: &DemoOrg,
    roles: &HashMap<&'static str, CatalogueRoleId>,
) -> Result<(), AppError> {
    let processes = db::raci::list(&mut tx.conn(), demo.org, false).await?;
    for (process, cells) in RACI {
        let Some(row) = processes.iter().find(|p| p.name == *process) else { continue };
        let cells: Vec<_> = cells.iter().map(|(role, letter)| (roles[role], Some(*letter))).collect();
        set_cells_in(ctx, tx, demo.org, row.id, &cells).await?;
    }
    Ok(())
}
