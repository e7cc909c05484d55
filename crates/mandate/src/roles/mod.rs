//! ISMS roles, responsibilities and authorities (ISO/IEC 27001 5.3): the role catalogue, appointments made by
//! top management, the RACI matrix over ISMS processes, and segregation-of-duties rules and findings. These are
//! roles *within the ISMS*; what a person may do in Mandate is their access role (`domain::role`).
//!
//! Every change runs in one transaction with its ledger event. Each operation comes twice: `…_in` takes the
//! caller's transaction, so a generator can record thousands of changes in one; the plain one opens and commits
//! its own.

mod appointment_checks;
pub mod appointments;
pub mod catalogue;
pub mod raci;
pub mod segregation;

use crate::context::Ctx;
use crate::db::{self, DbError, Tx};
use crate::domain::ids::OrgId;
use crate::domain::role_catalogue::{SEED_PROCESSES, SEED_ROLES, SEED_SOD_PAIRS, name_key};
use crate::error::AppError;
use crate::journal::Actor;

/// Seeds `org`'s catalogue, processes and segregation rules the first time anyone uses them. Organisations get
/// their defaults on first use rather than at creation, so organisations created before this capability get
/// them too. The ledger attributes the seed to Mandate itself, not to the person whose visit triggered it.
pub async fn ensure_seeded(ctx: &Ctx<'_>, org: OrgId) -> Result<(), AppError> {
    if db::role_catalogue::is_seeded(&mut ctx.db.read().await?.conn(), org).await? {
        return Ok(());
    }
    let mut tx = ctx.db.begin().await?;
    match seed_in(ctx, &mut tx, org).await {
        Ok(_) => Ok(tx.commit().await?),
        // Another request seeded it between our check and our transaction: nothing left to do.
        Err(AppError::Conflict(_)) => Ok(()),
        Err(other) => Err(other),
    }
}

/// Seeds `org` inside `tx` unless it already was; returns whether it seeded.
pub async fn seed_in(ctx: &Ctx<'_>, tx: &mut Tx, org: OrgId) -> Result<bool, AppError> {
    if db::role_catalogue::is_seeded(&mut tx.conn(), org).await? {
        return Ok(false);
    }
    db::role_catalogue::mark_seeded(&mut tx.conn(), org, ctx.now).await.map_err(|e| match e {
        DbError::Conflict => AppError::Conflict("the role catalogue is being set up by another request".into()),
        other => other.into(),
    })?;
    let system = Ctx { db: ctx.db, journal: ctx.journal, actor: Actor::system(&ctx.actor.request_id), now: ctx.now };
    for seed in SEED_ROLES {
        let input = catalogue::RoleInput {
            name: seed.name.into(),
            description: seed.description.into(),
            needs_deputy: seed.needs_deputy,
        };
        catalogue::create_in(&system, tx, org, &input).await?;
    }
    for (name, description) in SEED_PROCESSES {
        let input = raci::ProcessInput { name: (*name).into(), description: (*description).into() };
        raci::create_process_in(&system, tx, org, &input).await?;
    }
    for (a, b, reason) in SEED_SOD_PAIRS {
        let role_a = db::role_catalogue::by_key(&mut tx.conn(), org, &name_key(a)).await?;
        let role_b = db::role_catalogue::by_key(&mut tx.conn(), org, &name_key(b)).await?;
        if let (Some(role_a), Some(role_b)) = (role_a, role_b) {
            let input = segregation::RuleInput { role_a, role_b, reason: Some((*reason).into()) };
            segregation::create_rule_in(&system, tx, org, &input).await?;
        }
    }
    Ok(true)
}
