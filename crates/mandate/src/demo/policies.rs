//! The demo's policies: a year of versions, approvals by the CEO and CFO, campaigns whose acknowledgement rates
//! are not all 100%, a version stuck in review, a review that is overdue, and exceptions.

use super::DemoOrg;
use crate::context::Ctx;
use crate::db::Tx;
use crate::domain::campaign::Audience;
use crate::domain::ids::{PolicyId, UserId};
use crate::domain::policy::Step;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::policies::{self, PolicyInput, StepInput, VersionInput, Who, campaign, exception};

/// (title, review months, opening paragraph, share of staff who acknowledge, versions this year).
const POLICIES: &[(&str, i64, &str, u32, u32)] = &[
    (
        "Information security policy",
        12,
        "Northwind protects the information its customers, staff and partners entrust to it. Top management sets the direction of the ISMS and reviews it every year.",
        94,
        2,
    ),
    (
        "Acceptable use of IT",
        12,
        "Company devices and accounts are for company work. Personal use is allowed within reason and never at the cost of security.",
        88,
        1,
    ),
    (
        "Access control",
        12,
        "Access is granted on least privilege, approved by the asset owner and reviewed every quarter.",
        91,
        1,
    ),
    (
        "Supplier security",
        12,
        "Suppliers that handle our data are assessed before the contract and reviewed every year by their owner.",
        76,
        1,
    ),
    (
        "Incident reporting",
        12,
        "Report anything suspicious to the service desk at once; no one is blamed for reporting.",
        97,
        1,
    ),
    (
        "Clean desk and clear screen",
        6,
        "Lock your screen when you leave it; keep customer papers in locked drawers at the end of the day.",
        63,
        1,
    ),
    (
        "Cryptography",
        12,
        "Data leaving our network is encrypted in transit; laptops and backups are encrypted at rest.",
        81,
        2,
    ),
    (
        "Business continuity",
        12,
        "Critical logistics services are restored within the times the business impact analysis sets.",
        72,
        1,
    ),
];

fn body(title: &str, opening: &str, version: u32) -> String {
    format!(
        "# {title}\n\n{opening}\n\n## Scope\n\nAll staff, contractors and systems of Northwind Logistics.\n\n\
         ## Responsibilities\n\n- The **policy owner** keeps this policy current and reviews it on time.\n\
         - **Managers** make sure their teams know and follow it.\n- **Everyone** reports breaches at once.\n\n\
         ## Compliance\n\nBreaches are handled through the incident process. Version {version}.\n"
    )
}

/// Seeds the policies, their campaigns and acknowledgements, reviews and exceptions.
pub async fn seed(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg, rng: &mut fastrand::Rng) -> Result<(), AppError> {
    let manager = Who { user: demo.ciso, role: Role::IsmsManager };
    let approvers =
        [Who { user: demo.ceo, role: Role::TopManagement }, Who { user: demo.cfo, role: Role::TopManagement }];
    for copy in 0..demo.scale {
        for (i, (title, months, opening, rate, versions)) in POLICIES.iter().enumerate() {
            let title = if copy == 0 { (*title).to_string() } else { format!("{title} (site {})", copy + 1) };
            let drafted = demo.day(5 + i as i64 * 3);
            let input = PolicyInput { title: title.clone(), owner: demo.ciso, review_months: *months };
            let first = VersionInput { body: body(&title, opening, 1), document: None, change_note: String::new() };
            let id =
                policies::create_in(&demo.ctx(ctx, demo.ciso, drafted), tx, demo.org, manager, &input, &first).await?;
            // Site copies ask only a slice of staff, so the acknowledgements grow linearly with the scale.
            let audience = if copy == 0 {
                Audience::everyone()
            } else {
                let start = (copy as usize * 37) % demo.staff.len().max(1);
                let people: Vec<UserId> = demo.staff.iter().cycle().skip(start).take(20).copied().collect();
                Audience { people, ..Audience::default() }
            };
            let approver = approvers[i % 2];
            publish(ctx, tx, demo, id, 1, drafted, approver, &audience).await?;
            acknowledge(ctx, tx, demo, id, 1, drafted + 86_400, *rate, rng).await?;
            if *versions == 2 {
                let revised = drafted + 190 * 86_400;
                let next = VersionInput {
                    body: body(&title, opening, 2),
                    document: None,
                    change_note: "Updated after the management review".into(),
                };
                policies::new_version_in(&demo.ctx(ctx, demo.ciso, revised), tx, demo.org, id, manager, &next).await?;
                publish(ctx, tx, demo, id, 2, revised, approver, &audience).await?;
                acknowledge(ctx, tx, demo, id, 2, revised + 86_400, rate.saturating_sub(12), rng).await?;
            }
        }
    }
    Ok(())
}

/// Submits, approves (citing a management meeting) and publishes version `number`, days after `drafted`.
#[allow(clippy::too_many_arguments)]
async fn publish(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    demo: &DemoOrg,
    id: PolicyId,
    number: i64,
    drafted: i64,
    approver: Who,
    audience: &Audience,
) -> Result<(), AppError> {
    let manager = Who { user: demo.ciso, role: Role::IsmsManager };
    let steps = [
        (Step::Submit, manager, drafted + 2 * 86_400, None),
        (Step::Approve, approver, drafted + 9 * 86_400, Some("Management team meeting".to_string())),
        (Step::Publish, manager, drafted + 10 * 86_400, None),
    ];
    for (step, who, at, decision) in steps {
        let input = StepInput {
            decision_ref: decision,
            decision_id: None,
            audience: Some(audience.clone()),
            days_to_acknowledge: Some(21),
            expected_sha256: None,
        };
        policies::take_step_in(&demo.ctx(ctx, who.user, at), tx, demo.org, id, number, who, step, &input).await?;
    }
    Ok(())
}

/// `rate`% of the people asked acknowledge, spread over the weeks after publication.
#[allow(clippy::too_many_arguments)]
async fn acknowledge(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    demo: &DemoOrg,
    id: PolicyId,
    number: i64,
    from: i64,
    rate: u32,
    rng: &mut fastrand::Rng,
) -> Result<(), AppError> {
    let asked = crate::db::policy_version::get(&mut tx.conn(), demo.org, id, number).await?;
    let Some(version) = asked else { return Ok(()) };
    let (people, _) =
        crate::db::acknowledgement::for_version(&mut tx.conn(), demo.org, version.id, true, i64::MAX, 0).await?;
    let mut days = Vec::new();
    for person in &people {
        let at = from + 10 * 86_400 + rng.i64(0..40 * 86_400);
        if rng.u32(0..100) < rate && at < demo.now {
            days.push((at, person.user_id));
        }
    }
    days.sort();
    let acks: Vec<_> = days.into_iter().map(|(at, user)| (demo.ctx(ctx, user, at).actor, user, at)).collect();
    campaign::acknowledge_all_in(ctx, tx, demo.org, id, number, &acks).await
}

/// Reviews, a revision stuck in review, and exceptions: what later screens and detectors show.
pub async fn seed_governance(ctx: &Ctx<'_>, tx: &mut Tx, demo: &DemoOrg) -> Result<(), AppError> {
    let manager = Who { user: demo.ciso, role: Role::IsmsManager };
    let ceo = Who { user: demo.ceo, role: Role::TopManagement };
    let employee = Who { user: demo.employee, role: Role::Employee };
    let (policies, _) = crate::db::policy::list(
        &mut tx.conn(),
        demo.org,
        &crate::db::policy::Filter { sort: crate::db::policy::Sort::Updated, ..Default::default() },
        1000,
        0,
    )
    .await?;
    let find = |title: &str| policies.iter().find(|p| p.title == title).map(|p| p.id);
    // Access control was reviewed on time; the clean-desk policy's six-month review never happened.
    if let Some(id) = find("Access control") {
        let at = demo.day(300);
        policies::record_review_in(
            &demo.ctx(ctx, demo.ceo, at),
            tx,
            demo.org,
            id,
            ceo,
            "no_change",
            "Still fits; checked with IT",
        )
        .await?;
    }
    // A third version of the security policy has waited for approval for two months.
    if let Some(id) = find("Information security policy") {
        let at = demo.now - 62 * 86_400;
        let next = VersionInput {
            body: body(
                "Information security policy",
                "Northwind protects the information entrusted to it, including in the new Rotterdam hub.",
                3,
            ),
            document: None,
            change_note: "Scope extended to the Rotterdam hub".into(),
        };
        let number = policies::new_version_in(&demo.ctx(ctx, demo.ciso, at), tx, demo.org, id, manager, &next).await?;
        policies::take_step_in(
            &demo.ctx(ctx, demo.ciso, at + 3600),
            tx,
            demo.org,
            id,
            number,
            manager,
            Step::Submit,
            &StepInput::default(),
        )
        .await?;
    }
    // Exceptions: one approved and running, one approved and expired, one still waiting for a decision.
    let cases = [
        (
            "Supplier security",
            "Legacy carrier portal without SSO",
            "The carrier retires the portal next quarter",
            200,
            Some(90),
        ),
        ("Cryptography", "Unencrypted label printers in the warehouse", "Printers are being replaced", 120, Some(-20)),
        (
            "Clean desk and clear screen",
            "Shared terminals at the loading docks stay signed in",
            "Gloves make signing in impractical",
            330,
            None,
        ),
    ];
    for (title, summary, reason, asked_day, runs_until) in cases {
        let Some(id) = find(title) else { continue };
        let asked = demo.day(asked_day);
        let until = runs_until.map_or(demo.now + 120 * 86_400, |days| demo.now + days * 86_400);
        let expiry = until.max(asked + 86_400);
        let eid = exception::request_in(
            &demo.ctx(ctx, demo.employee, asked),
            tx,
            demo.org,
            id,
            employee,
            summary,
            reason,
            expiry,
        )
        .await?;
        if runs_until.is_some() {
            let decided = asked + 5 * 86_400;
            exception::decide_in(
                &demo.ctx(ctx, demo.ceo, decided),
                tx,
                demo.org,
                id,
                eid,
                ceo,
                crate::domain::policy_exception::Decision::Approve,
                "Accepted for a limited time",
            )
            .await?;
        }
    }
    Ok(())
}
