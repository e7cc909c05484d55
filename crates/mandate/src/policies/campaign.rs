//! Acknowledgement campaigns: a published version asks its audience to acknowledge it; each person
//! acknowledges that exact version, and the acknowledgement pins the hash of the text they acknowledged.

use super::Who;
use crate::context::Ctx;
use crate::db::{self, DbError, Tx};
use crate::domain::campaign::{self, Audience};
use crate::domain::ids::{CampaignId, OrgId, PolicyId, PolicyVersionId, UserId};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Change;
use sha2::{Digest, Sha256};

/// What a campaign's ledger event pins: its audience, deadline, and exactly who was asked.
#[derive(serde::Serialize)]
struct CampaignState<'a> {
    version_id: PolicyVersionId,
    audience: &'a Audience,
    due_at: i64,
    asked: usize,
    /// SHA-256 of the sorted ids of everyone asked, comma-separated.
    asked_sha256: String,
}

/// Starts a campaign for a published version; returns its id and how many people were newly asked.
pub async fn start(
    ctx: &Ctx<'_>,
    org: OrgId,
    policy: PolicyId,
    number: i64,
    by: Who,
    audience: &Audience,
    days: Option<i64>,
) -> Result<(CampaignId, u64), AppError> {
    let mut tx = ctx.db.begin().await?;
    let version = db::policy_version::get(&mut tx.conn(), org, policy, number)
        .await?
        .ok_or_else(|| AppError::not_found("policy version"))?;
    if version.status != "published" {
        return Err(AppError::Conflict(
            "only the published version of a policy can be sent for acknowledgement".into(),
        ));
    }
    let started = start_in(ctx, &mut tx, org, version.id, by, audience, days).await?;
    tx.commit().await?;
    Ok(started)
}

/// [`start`] inside `tx`, for a version already known to be published.
pub async fn start_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    version: PolicyVersionId,
    by: Who,
    audience: &Audience,
    days: Option<i64>,
) -> Result<(CampaignId, u64), AppError> {
    audience.check()?;
    let days = campaign::check_days(days.unwrap_or(campaign::DEFAULT_DAYS_TO_ACKNOWLEDGE))?;
    let members = db::acknowledgement::active_members(&mut tx.conn(), org, ctx.now).await?;
    for person in &audience.people {
        if !members.iter().any(|m| m.user_id == *person) {
            return Err(AppError::Invalid(format!("person {person} is not an active member of this organisation")));
        }
    }
    let asked: Vec<UserId> = members
        .iter()
        .filter(|m| audience.selects(m.user_id, m.role.parse().unwrap_or(Role::Employee), m.department.as_deref()))
        .map(|m| m.user_id)
        .collect();
    if asked.is_empty() {
        return Err(AppError::Invalid("nobody is in this audience; choose other roles, departments or people".into()));
    }
    let due_at = ctx.now + days * 86_400;
    let id = db::acknowledgement::insert_campaign(
        &mut tx.conn(),
        org,
        version,
        &audience.describe(),
        by.user,
        due_at,
        ctx.now,
    )
    .await?;
    let added = db::acknowledgement::request(&mut tx.conn(), org, version, id, &asked, due_at, ctx.now).await?;
    let ids: Vec<String> = asked.iter().map(|u| u.0.to_string()).collect();
    let state = CampaignState {
        version_id: version,
        audience,
        due_at,
        asked: asked.len(),
        asked_sha256: hex::encode(Sha256::digest(ids.join(",").as_bytes())),
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("start", "ack_campaign", id, &state), ctx.now).await?;
    Ok((id, added))
}

/// Records that `user` has read and acknowledges the published version `number` of a policy.
pub async fn acknowledge(
    ctx: &Ctx<'_>,
    org: OrgId,
    policy: PolicyId,
    number: i64,
    user: UserId,
) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    acknowledge_in(ctx, &mut tx, org, policy, number, user).await?;
    tx.commit().await?;
    Ok(())
}

/// [`acknowledge`] inside `tx`.
pub async fn acknowledge_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    policy: PolicyId,
    number: i64,
    user: UserId,
) -> Result<(), AppError> {
    let version = db::policy_version::get(&mut tx.conn(), org, policy, number)
        .await?
        .ok_or_else(|| AppError::not_found("policy version"))?;
    if version.status != "published" {
        return Err(AppError::Conflict(format!(
            "version {number} is not the policy in force; acknowledge the published version instead"
        )));
    }
    if let Some(existing) = db::acknowledgement::of_user(&mut tx.conn(), org, version.id, user).await?
        && existing.acknowledged_at.is_some()
    {
        return Err(AppError::Conflict(format!("you already acknowledged version {number} of this policy")));
    }
    let sha = version.approved_sha256.clone().unwrap_or_else(|| version.content_sha256.clone());
    let id =
        db::acknowledgement::acknowledge(&mut tx.conn(), org, version.id, user, &sha, ctx.now).await.map_err(|e| {
            match e {
                DbError::Conflict => {
                    AppError::Conflict(format!("you already acknowledged version {number} of this policy"))
                }
                other => other.into(),
            }
        })?;
    let state = AckState { version_id: version.id, user_id: user, acknowledged_sha256: &sha };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("acknowledge", "acknowledgement", id, &state), ctx.now).await?;
    Ok(())
}

/// Records many acknowledgements of one published version at once, each by its own person at its own time, with
/// their ledger events appended under one lock of the head (the demo generator; bulk imports of paper records).
/// People who already acknowledged are refused, as in [`acknowledge`].
pub async fn acknowledge_all_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    policy: PolicyId,
    number: i64,
    acks: &[(crate::journal::Actor, UserId, i64)],
) -> Result<(), AppError> {
    let version = db::policy_version::get(&mut tx.conn(), org, policy, number)
        .await?
        .ok_or_else(|| AppError::not_found("policy version"))?;
    if version.status != "published" {
        return Err(AppError::Conflict(format!("version {number} is not the policy in force")));
    }
    let sha = version.approved_sha256.clone().unwrap_or_else(|| version.content_sha256.clone());
    let mut events = Vec::with_capacity(acks.len());
    for (actor, user, at) in acks {
        let id = db::acknowledgement::acknowledge_once(&mut tx.conn(), org, version.id, *user, &sha, *at)
            .await?
            .ok_or_else(|| AppError::Conflict(format!("person {user} already acknowledged version {number}")))?;
        let state = AckState { version_id: version.id, user_id: *user, acknowledged_sha256: &sha };
        events.push((actor.clone(), Change::of("acknowledge", "acknowledgement", id, &state), *at));
    }
    ctx.journal.append_all(tx, org, &events).await?;
    Ok(())
}

/// An acknowledgement's state as the ledger hashes it.
#[derive(serde::Serialize)]
struct AckState<'a> {
    version_id: PolicyVersionId,
    user_id: UserId,
    acknowledged_sha256: &'a str,
}
