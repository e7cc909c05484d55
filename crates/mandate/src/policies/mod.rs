//! Operations on policies: creating them, writing versions, moving versions through review, approval and
//! publication, and recording reviews. Each runs in one transaction with its ledger events.

pub mod campaign;
pub mod exception;

use crate::context::Ctx;
use crate::db::decision::LinkTable;
use crate::db::policy::NewPolicy;
use crate::db::policy_version::{NewVersion, StepFields, VersionRow};
use crate::db::{self, DbError, Tx};
use crate::domain::campaign::Audience;
use crate::domain::ids::{DecisionId, EvidenceId, OrgId, PolicyId, UserId};
use crate::domain::policy::{self, Refusal, Step, VersionStatus};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::journal::Change;
use crate::meetings::links::{attach, check_decision};

/// Who is acting, as the rules need it.
#[derive(Debug, Clone, Copy)]
pub struct Who {
    pub user: UserId,
    pub role: Role,
}

/// A policy's fields as people edit them.
#[derive(Debug, Clone)]
pub struct PolicyInput {
    pub title: String,
    pub owner: UserId,
    pub review_months: i64,
}

/// A version's content: Markdown text, or an attached document from the evidence vault (with optional notes).
#[derive(Debug, Clone, Default)]
pub struct VersionInput {
    pub body: String,
    pub document: Option<EvidenceId>,
    pub change_note: String,
}

/// What a step may carry: the decision an approval cites, and who a publication asks to acknowledge.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub decision_ref: Option<String>,
    /// For an approval: a decision recorded in one of the organisation's meetings that it rests on.
    pub decision_id: Option<i64>,
    pub audience: Option<Audience>,
    pub days_to_acknowledge: Option<i64>,
    /// For an approval: the SHA-256 of the text the approver read. The approval is refused if the text changed.
    pub expected_sha256: Option<String>,
}

#[derive(serde::Serialize)]
struct PolicyState<'a> {
    title: &'a str,
    owner_id: UserId,
    review_months: i64,
    last_reviewed_at: Option<i64>,
    next_review_at: Option<i64>,
}

#[derive(serde::Serialize)]
struct VersionState<'a> {
    policy_id: PolicyId,
    number: i64,
    status: &'a str,
    content_sha256: &'a str,
    document_id: Option<EvidenceId>,
    approved_by: Option<UserId>,
    approved_at: Option<i64>,
    approved_sha256: Option<&'a str>,
    approval_decision: Option<&'a str>,
    /// Left out when there is none, so versions that cite no decision hash as they always did.
    #[serde(skip_serializing_if = "Option::is_none")]
    decision_id: Option<DecisionId>,
    published_at: Option<i64>,
    ended_at: Option<i64>,
}

async fn record_policy(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    id: PolicyId,
    action: &'static str,
) -> Result<(), AppError> {
    let row = db::policy::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("policy"))?;
    let state = PolicyState {
        title: &row.title,
        owner_id: row.owner_id,
        review_months: row.review_months,
        last_reviewed_at: row.last_reviewed_at,
        next_review_at: row.next_review_at,
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, "policy", id, &state), ctx.now).await?;
    Ok(())
}

async fn record_version(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    v: &VersionRow,
    action: &'static str,
) -> Result<(), AppError> {
    let v =
        db::policy_version::by_id(&mut tx.conn(), org, v.id).await?.ok_or_else(|| AppError::not_found("version"))?;
    let state = VersionState {
        policy_id: v.policy_id,
        number: v.number,
        status: &v.status,
        content_sha256: &v.content_sha256,
        document_id: v.document_id,
        approved_by: v.approved_by,
        approved_at: v.approved_at,
        approved_sha256: v.approved_sha256.as_deref(),
        approval_decision: v.approval_decision.as_deref(),
        decision_id: v.decision_id,
        published_at: v.published_at,
        ended_at: v.ended_at,
    };
    ctx.journal.append(tx, org, &ctx.actor, Change::of(action, "policy_version", v.id, &state), ctx.now).await?;
    Ok(())
}

/// Checks a policy's fields; the owner must be a member of `org`.
async fn check_policy(tx: &mut Tx, org: OrgId, input: &PolicyInput) -> Result<String, AppError> {
    let title = policy::check_title(&input.title)?;
    policy::check_review_months(input.review_months)?;
    if db::membership::get(&mut tx.conn(), org, input.owner).await?.is_none() {
        return Err(AppError::Invalid("the policy owner must be a member of this organisation".into()));
    }
    Ok(title)
}

/// Checks a version's content and works out its hash; an attached document must be evidence of `org`.
async fn check_content(tx: &mut Tx, org: OrgId, input: &VersionInput) -> Result<String, AppError> {
    let document_sha = match input.document {
        Some(id) => {
            let row = db::evidence::get(&mut tx.conn(), org, id).await?.ok_or_else(|| {
                AppError::Invalid(format!("there is no evidence {id} to use as the policy document; upload it first"))
            })?;
            Some(row.sha256)
        }
        None => None,
    };
    policy::check_body(&input.body, document_sha.is_some())?;
    if input.change_note.chars().count() > 2000 {
        return Err(AppError::Invalid("the change note is longer than 2,000 characters".into()));
    }
    Ok(policy::content_sha256(&input.body, document_sha.as_deref()))
}

/// Creates a policy with its first version as a draft; returns the policy's id.
pub async fn create(
    ctx: &Ctx<'_>,
    org: OrgId,
    by: Who,
    input: &PolicyInput,
    first: &VersionInput,
) -> Result<PolicyId, AppError> {
    let mut tx = ctx.db.begin().await?;
    let id = create_in(ctx, &mut tx, org, by, input, first).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside `tx`.
pub async fn create_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    by: Who,
    input: &PolicyInput,
    first: &VersionInput,
) -> Result<PolicyId, AppError> {
    let title = check_policy(tx, org, input).await?;
    let sha = check_content(tx, org, first).await?;
    let new = NewPolicy { title: &title, owner: input.owner, review_months: input.review_months };
    let id = db::policy::insert(&mut tx.conn(), org, &new, ctx.now).await?;
    record_policy(ctx, tx, org, id, "create").await?;
    add_version(ctx, tx, org, id, by, first, &sha).await?;
    Ok(id)
}

async fn add_version(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    policy: PolicyId,
    by: Who,
    input: &VersionInput,
    sha: &str,
) -> Result<i64, AppError> {
    let new = NewVersion {
        body: &input.body,
        document_id: input.document,
        change_note: input.change_note.trim(),
        content_sha256: sha,
        created_by: by.user,
    };
    let (_, number) = db::policy_version::insert(&mut tx.conn(), org, policy, &new, ctx.now).await?;
    let row = version(tx, org, policy, number).await?;
    record_version(ctx, tx, org, &row, "create").await?;
    Ok(number)
}

async fn version(tx: &mut Tx, org: OrgId, policy: PolicyId, number: i64) -> Result<VersionRow, AppError> {
    db::policy_version::get(&mut tx.conn(), org, policy, number)
        .await?
        .ok_or_else(|| AppError::not_found("policy version"))
}

/// Changes a policy's title, owner or review cycle; a changed cycle moves the next review date.
pub async fn update(ctx: &Ctx<'_>, org: OrgId, id: PolicyId, input: &PolicyInput) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    let current = db::policy::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("policy"))?;
    let title = check_policy(&mut tx, org, input).await?;
    let next = current.last_reviewed_at.map(|at| policy::review_due(at, input.review_months));
    let new = NewPolicy { title: &title, owner: input.owner, review_months: input.review_months };
    db::policy::update(&mut tx.conn(), org, id, &new, next, ctx.now).await?;
    record_policy(ctx, &mut tx, org, id, "update").await?;
    tx.commit().await?;
    Ok(())
}

/// Starts the next version as a draft. Refused while another version is still being worked on.
pub async fn new_version(
    ctx: &Ctx<'_>,
    org: OrgId,
    policy: PolicyId,
    by: Who,
    input: &VersionInput,
) -> Result<i64, AppError> {
    let mut tx = ctx.db.begin().await?;
    let number = new_version_in(ctx, &mut tx, org, policy, by, input).await?;
    tx.commit().await?;
    Ok(number)
}

/// [`new_version`] inside `tx`.
pub async fn new_version_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    policy: PolicyId,
    by: Who,
    input: &VersionInput,
) -> Result<i64, AppError> {
    db::policy::lock(&mut tx.conn(), org, policy).await?;
    db::policy::get(&mut tx.conn(), org, policy).await?.ok_or_else(|| AppError::not_found("policy"))?;
    let versions = db::policy_version::list(&mut tx.conn(), org, policy).await?;
    if let Some(open) = versions.iter().find(|v| matches!(v.status.as_str(), "draft" | "in_review" | "approved")) {
        return Err(AppError::Conflict(format!(
            "version {} is still {}; finish or publish it before starting another",
            open.number,
            VersionStatus::parse(&open.status).map_or("open", |s| s.label()).to_lowercase()
        )));
    }
    let sha = check_content(tx, org, input).await?;
    add_version(ctx, tx, org, policy, by, input, &sha).await
}

/// Replaces a draft's content.
pub async fn edit_draft(
    ctx: &Ctx<'_>,
    org: OrgId,
    policy: PolicyId,
    number: i64,
    input: &VersionInput,
) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    let row = version(&mut tx, org, policy, number).await?;
    if row.status != "draft" {
        return Err(AppError::Conflict(format!(
            "version {number} is {}; only a draft can be edited — start a new version instead",
            VersionStatus::parse(&row.status).map_or("not a draft", |s| s.label()).to_lowercase()
        )));
    }
    let sha = check_content(&mut tx, org, input).await?;
    let new = NewVersion {
        body: &input.body,
        document_id: input.document,
        change_note: input.change_note.trim(),
        content_sha256: &sha,
        created_by: row.created_by,
    };
    db::policy_version::update_draft(&mut tx.conn(), org, row.id, &new, ctx.now).await?;
    record_version(ctx, &mut tx, org, &row, "update").await?;
    tx.commit().await?;
    Ok(())
}

/// Takes `step` on a version. Approval pins the hash of the exact content approved; publication supersedes the
/// version in force, restarts the review cycle and asks the audience (everyone by default) to acknowledge.
pub async fn take_step(
    ctx: &Ctx<'_>,
    org: OrgId,
    policy_id: PolicyId,
    number: i64,
    by: Who,
    step: Step,
    input: &StepInput,
) -> Result<VersionStatus, AppError> {
    let mut tx = ctx.db.begin().await?;
    let status = take_step_in(ctx, &mut tx, org, policy_id, number, by, step, input).await?;
    tx.commit().await?;
    Ok(status)
}

/// [`take_step`] inside `tx`.
#[allow(clippy::too_many_arguments)]
pub async fn take_step_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    policy_id: PolicyId,
    number: i64,
    by: Who,
    step: Step,
    input: &StepInput,
) -> Result<VersionStatus, AppError> {
    // Steps on one policy's versions are serialised, so two publications cannot both win.
    db::policy::lock(&mut tx.conn(), org, policy_id).await?;
    let policy = db::policy::get(&mut tx.conn(), org, policy_id).await?.ok_or_else(|| AppError::not_found("policy"))?;
    let row = version(tx, org, policy_id, number).await?;
    let from = VersionStatus::parse(&row.status).ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad status")))?;
    let to = policy::next_status(from, step, by.role).map_err(|refusal| match refusal {
        Refusal::Role(message) => AppError::Forbidden(message),
        Refusal::State(message) => AppError::Conflict(message),
    })?;
    let decision = input.decision_ref.as_deref().map(str::trim).filter(|d| !d.is_empty());
    if decision.is_some_and(|d| d.chars().count() > 200) {
        return Err(AppError::Invalid("the decision reference is longer than 200 characters".into()));
    }
    let cited = match step {
        Step::Approve => check_decision(tx, org, input.decision_id).await?,
        _ if input.decision_id.is_some() => {
            return Err(AppError::Invalid(
                "only an approval cites a meeting decision (decision_id); leave it out".into(),
            ));
        }
        _ => None,
    };
    let mut fields = StepFields::default();
    match step {
        Step::Submit => fields.submitted_at = Some(ctx.now),
        Step::Approve => {
            let expected = input.expected_sha256.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if expected.is_some_and(|sha| sha != row.content_sha256) {
                return Err(AppError::Conflict(
                    "the text of this version changed since you read it; read it again before approving".into(),
                ));
            }
            fields.approved = Some((by.user, expected.unwrap_or(&row.content_sha256), decision));
        }
        Step::Publish => {
            fields.published_by = Some(by.user);
            if let Some(old) = db::policy_version::published(&mut tx.conn(), org, policy_id).await? {
                let ended = StepFields { ended: true, ..StepFields::default() };
                db::policy_version::set_status(&mut tx.conn(), org, old.id, "published", "superseded", &ended, ctx.now)
                    .await
                    .map_err(|_| AppError::Conflict("someone else changed this policy just now; reload".into()))?;
                record_version(ctx, tx, org, &old, "supersede").await?;
            }
        }
        Step::Retire => fields.ended = true,
        Step::Return => {}
    }
    db::policy_version::set_status(&mut tx.conn(), org, row.id, from.as_str(), to.as_str(), &fields, ctx.now)
        .await
        .map_err(|e| match e {
            DbError::Conflict => AppError::Conflict(
                "this version changed just now (its status or its text); reload, read it and try again".into(),
            ),
            other => other.into(),
        })?;
    attach(tx, org, LinkTable::PolicyVersion, row.id.0, cited).await?;
    record_version(ctx, tx, org, &row, step.as_str()).await?;
    if step == Step::Publish {
        let next = policy::review_due(ctx.now, policy.review_months);
        db::policy::set_reviewed(&mut tx.conn(), org, policy_id, ctx.now, next).await?;
        record_policy(ctx, tx, org, policy_id, "review_cycle").await?;
        let audience = input.audience.clone().unwrap_or_else(Audience::everyone);
        campaign::start_in(ctx, tx, org, row.id, by, &audience, input.days_to_acknowledge).await?;
    }
    Ok(to)
}

/// Records a review of the policy in force; the next review falls due one cycle later.
pub async fn record_review(
    ctx: &Ctx<'_>,
    org: OrgId,
    policy_id: PolicyId,
    by: Who,
    outcome: &str,
    note: &str,
) -> Result<(), AppError> {
    let mut tx = ctx.db.begin().await?;
    record_review_in(ctx, &mut tx, org, policy_id, by, outcome, note).await?;
    tx.commit().await?;
    Ok(())
}

/// [`record_review`] inside `tx`.
pub async fn record_review_in(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    org: OrgId,
    policy_id: PolicyId,
    by: Who,
    outcome: &str,
    note: &str,
) -> Result<(), AppError> {
    let outcome = policy::check_review_outcome(outcome)?;
    if note.chars().count() > 5000 {
        return Err(AppError::Invalid("the review note is longer than 5,000 characters".into()));
    }
    let row = db::policy::get(&mut tx.conn(), org, policy_id).await?.ok_or_else(|| AppError::not_found("policy"))?;
    if row.published_number.is_none() {
        return Err(AppError::Conflict("this policy has no published version to review yet; publish one first".into()));
    }
    let id = db::policy::insert_review(&mut tx.conn(), org, policy_id, by.user, outcome, note.trim(), ctx.now).await?;
    #[derive(serde::Serialize)]
    struct ReviewState<'a> {
        policy_id: PolicyId,
        reviewed_by: UserId,
        outcome: &'a str,
        note: &'a str,
    }
    let state = ReviewState { policy_id, reviewed_by: by.user, outcome, note: note.trim() };
    ctx.journal.append(tx, org, &ctx.actor, Change::of("create", "policy_review", id, &state), ctx.now).await?;
    let next = policy::review_due(ctx.now, row.review_months);
    db::policy::set_reviewed(&mut tx.conn(), org, policy_id, ctx.now, next).await?;
    record_policy(ctx, tx, org, policy_id, "review_cycle").await
}
