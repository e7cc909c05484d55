//! The demo organisation's staff: believable names spread over departments, added in one transaction.

use super::DemoOrg;
use crate::accounts::{NewMember, add_member_in};
use crate::context::Ctx;
use crate::db::Tx;
use crate::domain::role::Role;
use crate::error::AppError;

const FIRST: &[&str] = &[
    "Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jakob", "Kofi", "Lena", "Mateo",
    "Nora", "Oskar", "Paula", "Quentin", "Rosa", "Samir", "Tilda", "Umar", "Vera", "Wim", "Xenia", "Yusuf", "Zofia",
    "Anton", "Bianca", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hanna", "Ivan", "Julia", "Karim", "Lotte",
];
const LAST: &[&str] = &[
    "Andersen",
    "Bauer",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nowak",
    "Olsen",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Visser",
    "Weber",
    "Yilmaz",
    "Zimmermann",
    "Akhtar",
    "Brennan",
    "Cruz",
    "Dijkstra",
    "Esposito",
];
/// Departments of a logistics company, with how many of every hundred staff work in each.
const DEPARTMENTS: &[(&str, u32)] = &[
    ("Warehouse", 30),
    ("Transport", 25),
    ("Customer Service", 12),
    ("Sales", 8),
    ("Finance", 6),
    ("IT", 7),
    ("Procurement", 4),
    ("HR", 4),
    ("Legal & Compliance", 4),
];

/// Staff members per unit of scale, besides the six named people.
pub const STAFF_PER_SCALE: usize = 244;

fn department(rng: &mut fastrand::Rng) -> &'static str {
    let mut pick = rng.u32(0..100);
    for (name, share) in DEPARTMENTS {
        if pick < *share {
            return name;
        }
        pick -= share;
    }
    DEPARTMENTS[0].0
}

/// Adds `STAFF_PER_SCALE × scale` employees to the organisation, each in a department, without passwords
/// (they cannot sign in until an administrator sets one). Records them in `demo`.
pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &mut DemoOrg, rng: &mut fastrand::Rng) -> Result<(), AppError> {
    let count = STAFF_PER_SCALE * demo.scale as usize;
    for i in 0..count {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i / FIRST.len()) % LAST.len()];
        let round = i / (FIRST.len() * LAST.len());
        let local = if round == 0 { format!("{first}.{last}") } else { format!("{first}.{last}{round}") };
        let email = format!("{}@{}", local.to_lowercase(), demo.domain);
        // Staff joined in the month after the organisation was set up, before the history of its records starts.
        let joined = demo.founded + (demo.start - demo.founded) * i as i64 / count as i64;
        let member = NewMember {
            email: email.clone(),
            name: format!("{first} {last}"),
            role: Role::Employee,
            password: None,
            expires_at: None,
            department: Some(department(rng).into()),
        };
        let user = add_member_in(&demo.ctx(ctx, demo.admin, joined), tx, demo.org, &member).await?;
        demo.add_person(user, email, Role::Employee);
    }
    Ok(())
}
