//! The demo's objectives: a year of monthly and quarterly measurements for Northwind's security objectives —
//! some on track, some off track, one nobody has measured for months, one achieved and closed, a mistyped
//! figure withdrawn — and personal ISMS objectives of the CEO and the CFO. Every record goes through the same
//! operations the pages use, in time order, inside the seeder's transaction.

use super::DemoOrg;
use crate::context::Ctx;
use crate::db::{self, Tx};
use crate::domain::ids::{ObjectiveId, PolicyId};
use crate::domain::objective::{Acting, Kind, Status, day_of};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::measurements::{self, MeasurementInput};
use crate::objectives::{self, ObjectiveInput};

const DAY: i64 = 86_400;

mod plans;
use plans::{Holder, PLANS, Plan, Series};

/// A step of the history, applied in time order.
enum Step {
    Set(usize),
    Measure(usize, f64),
    /// A mistyped figure, withdrawn two days later and entered again: (plan, value typed, the right value).
    Mistype(usize, f64, f64),
    Achieve(usize),
}

fn who(demo: &DemoOrg, holder: Holder, copy: u32) -> Acting {
    let staff = |n: usize| {
        // Site copies are run by other people; generated staff come after the six named people.
        let pool = demo.staff.len().saturating_sub(6).max(1);
        demo.staff.get(6 + (n + copy as usize * 11) % pool).copied().unwrap_or(demo.ciso)
    };
    match (holder, copy) {
        (Holder::Ciso, _) => Acting { user: demo.ciso, role: Role::IsmsManager },
        (Holder::Admin, _) => Acting { user: demo.admin, role: Role::Admin },
        (Holder::Ceo, 0) => Acting { user: demo.ceo, role: Role::TopManagement },
        (Holder::Cfo, 0) => Acting { user: demo.cfo, role: Role::TopManagement },
        (Holder::Ceo, _) => Acting { user: staff(1), role: Role::Employee },
        (Holder::Cfo, _) => Acting { user: staff(2), role: Role::Employee },
        (Holder::Staff(n), _) => Acting { user: staff(n), role: Role::Employee },
    }
}

/// The history of one plan: when it was set, measured, corrected and closed.
fn history(index: usize, plan: &Plan, demo: &DemoOrg, rng: &mut fastrand::Rng) -> Vec<(i64, Step)> {
    let today = (demo.now - demo.start) / DAY;
    let last = plan.last_day.unwrap_or(today - 2).min(today - 2);
    let every = plan.frequency.days();
    let mut steps = vec![(plan.set_day, Step::Set(index))];
    let days: Vec<i64> = (0..).map(|k| plan.set_day + 2 + k * every).take_while(|d| *d <= last).collect();
    for (k, day) in days.iter().enumerate() {
        let value = match plan.series {
            Series::Steps(values) => match values.get(k) {
                Some(v) => *v,
                None => break,
            },
            Series::Linear(from, to, noise) => {
                let share = if days.len() > 1 { k as f64 / (days.len() - 1) as f64 } else { 1.0 };
                let wobble = if k + 1 == days.len() { 0.0 } else { noise * (rng.f64() * 2.0 - 1.0) };
                let value = ((from + (to - from) * share + wobble) * 10.0).round() / 10.0;
                if plan.unit == "%" { value.clamp(0.0, 100.0) } else { value.max(0.0) }
            }
        };
        // The sixth figure of the first objective was typed with a misplaced decimal point.
        let step =
            if index == 0 && k == 5 { Step::Mistype(index, value / 10.0, value) } else { Step::Measure(index, value) };
        steps.push((*day, step));
    }
    if plan.achieved {
        steps.push((last + 5, Step::Achieve(index)));
    }
    steps
}

/// The input for plan `plan` in site copy `copy`.
fn input(plan: &Plan, demo: &DemoOrg, copy: u32, policy: Option<PolicyId>) -> ObjectiveInput {
    let holder = who(demo, plan.holder, copy);
    let statement =
        if copy == 0 { plan.statement.to_string() } else { format!("{} (site {})", plan.statement, copy + 1) };
    ObjectiveInput {
        statement,
        kind: if plan.personal { Kind::Personal } else { Kind::Organisational },
        person: plan.personal.then_some(holder.user),
        owner: holder.user,
        target_value: plan.target,
        unit: plan.unit.into(),
        direction: plan.direction,
        due_on: day_of(demo.now + plan.due_in * DAY).max(day_of(demo.day(plan.set_day))),
        resources: plan.resources.into(),
        evaluation_method: plan.method.into(),
        frequency: plan.frequency,
        policy_id: if plan.personal { None } else { policy.map(|p| p.0) },
    }
}

/// The demo's information security policy, which the organisational objectives serve (5.2 c).
async fn security_policy(tx: &mut Tx, demo: &DemoOrg) -> Result<Option<PolicyId>, AppError> {
    let filter = db::policy::Filter { search: "Information security policy", ..Default::default() };
    let (found, _) = db::policy::list(&mut tx.conn(), demo.org, &filter, 1, 0).await?;
    Ok(found.first().map(|p| p.id))
}

/// Seeds `demo.scale` copies of the objectives with their history, each copy in time order.
pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg, rng: &mut fastrand::Rng) -> Result<(), AppError> {
    let policy = security_policy(tx, demo).await?;
    for copy in 0..demo.scale {
        let mut steps: Vec<(i64, Step)> =
            PLANS.iter().enumerate().flat_map(|(i, plan)| history(i, plan, demo, rng)).collect();
        steps.sort_by_key(|(day, _)| *day);
        let mut ids: Vec<Option<ObjectiveId>> = vec![None; PLANS.len()];
        for (day, step) in steps {
            let at = demo.day(day) + 2 * 3600;
            apply(ctx, tx, demo, copy, policy, &mut ids, at, step).await?;
        }
    }
    Ok(())
}

/// Applies one step of the history at time `at`.
#[allow(clippy::too_many_arguments)]
async fn apply(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    demo: &DemoOrg,
    copy: u32,
    policy: Option<PolicyId>,
    ids: &mut [Option<ObjectiveId>],
    at: i64,
    step: Step,
) -> Result<(), AppError> {
    let id = |i: usize| ids[i].ok_or_else(|| AppError::not_found("demo objective"));
    let measure = |value: f64| MeasurementInput { value, measured_on: at, note: String::new() };
    match step {
        Step::Set(i) => {
            let input = input(&PLANS[i], demo, copy, policy);
            // Top management sets the objectives; a manager sets their own personal ones.
            let by = if PLANS[i].personal && copy == 0 { input.owner } else { demo.ceo };
            let row = objectives::create_in(&demo.ctx(ctx, by, at), tx, demo.org, by, &input).await?;
            ids[i] = Some(row.id);
        }
        Step::Measure(i, value) => {
            let by = who(demo, PLANS[i].holder, copy);
            measurements::add_in(&demo.ctx(ctx, by.user, at), tx, demo.org, by, id(i)?, &measure(value)).await?;
        }
        Step::Mistype(i, typed, right) => {
            let by = who(demo, PLANS[i].holder, copy);
            let objective = id(i)?;
            let wrong =
                measurements::add_in(&demo.ctx(ctx, by.user, at), tx, demo.org, by, objective, &measure(typed)).await?;
            let later = demo.ctx(ctx, by.user, at + 2 * DAY);
            let reason = format!("typed {typed} for {right}: decimal point in the wrong place");
            measurements::withdraw_in(&later, tx, demo.org, by, objective, wrong.id, &reason).await?;
            let fixed =
                MeasurementInput { value: right, measured_on: at, note: "re-entered from the LMS export".into() };
            measurements::add_in(&later, tx, demo.org, by, objective, &fixed).await?;
        }
        Step::Achieve(i) => {
            let note = "every laptop encrypted; kept up by the endpoint baseline";
            let ctx = demo.ctx(ctx, demo.ceo, at);
            objectives::set_status_in(&ctx, tx, demo.org, id(i)?, Status::Achieved, note).await?;
        }
    }
    Ok(())
}
