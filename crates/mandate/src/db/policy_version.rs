//! Policy versions: the text (or attached document) and where the version stands in its life.

use super::decision::{DecisionCite, cite_columns, cite_join};
use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{DecisionId, EvidenceId, OrgId, PolicyId, PolicyVersionId, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: PolicyVersionId,
    pub policy_id: PolicyId,
    pub number: i64,
    pub status: String,
    pub body: String,
    pub document_id: Option<EvidenceId>,
    pub change_note: String,
    pub content_sha256: String,
    pub created_by: UserId,
    pub creator_name: String,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
    pub submitted_at: Option<UnixTime>,
    pub approved_by: Option<UserId>,
    pub approver_name: Option<String>,
    pub approved_at: Option<UnixTime>,
    pub approved_sha256: Option<String>,
    pub approval_decision: Option<String>,
    /// The meeting decision the approval rests on.
    pub decision_id: Option<DecisionId>,
    #[sqlx(flatten)]
    pub cite: DecisionCite,
    pub published_by: Option<UserId>,
    pub published_at: Option<UnixTime>,
    pub ended_at: Option<UnixTime>,
}

const SELECT: &str = concat!(
    "select v.id, v.policy_id, v.number, v.status, v.body, v.document_id, v.change_note, v.content_sha256, ",
    "v.created_by, c.name as creator_name, v.created_at, v.updated_at, v.submitted_at, v.approved_by, ",
    "a.name as approver_name, v.approved_at, v.approved_sha256, v.approval_decision, v.decision_id, ",
    cite_columns!(),
    ", v.published_by, v.published_at, v.ended_at from policy_version v join app_user c on c.id = v.created_by ",
    "left join app_user a on a.id = v.approved_by",
    cite_join!("v")
);

/// What a new version holds.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub body: &'a str,
    pub document_id: Option<EvidenceId>,
    pub change_note: &'a str,
    pub content_sha256: &'a str,
    pub created_by: UserId,
}

/// Adds the next version (numbered after the latest) as a draft.
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    policy: PolicyId,
    new: &NewVersion<'_>,
    now: UnixTime,
) -> Result<(PolicyVersionId, i64), DbError> {
    const NEXT: &str = "select coalesce(max(number), 0) + 1 from policy_version where org_id = $1 and policy_id = $2";
    const SQL: &str = "insert into policy_version (org_id, policy_id, number, status, body, document_id, \
                       change_note, content_sha256, created_by, created_at, updated_at) \
                       values ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $9) returning id";
    let number: i64 = on_conn!(c, c => sqlx::query_scalar(NEXT).bind(org).bind(policy).fetch_one(&mut **c).await)?;
    let id = on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(policy).bind(number).bind(new.body)
        .bind(new.document_id).bind(new.change_note).bind(new.content_sha256).bind(new.created_by).bind(now)
        .fetch_one(&mut **c).await)?;
    Ok((id, number))
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, policy: PolicyId, number: i64) -> Result<Option<VersionRow>, DbError> {
    let sql = format!("{SELECT} where v.org_id = $1 and v.policy_id = $2 and v.number = $3");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(policy).bind(number)
        .fetch_optional(&mut **c).await)?)
}

pub async fn by_id(c: &mut Conn<'_>, org: OrgId, id: PolicyVersionId) -> Result<Option<VersionRow>, DbError> {
    let sql = format!("{SELECT} where v.org_id = $1 and v.id = $2");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(id)
        .fetch_optional(&mut **c).await)?)
}

/// Every version of a policy, newest first.
pub async fn list(c: &mut Conn<'_>, org: OrgId, policy: PolicyId) -> Result<Vec<VersionRow>, DbError> {
    let sql = format!("{SELECT} where v.org_id = $1 and v.policy_id = $2 order by v.number desc");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(policy)
        .fetch_all(&mut **c).await)?)
}

/// Replaces a draft's text; fails with `Conflict` unless the version is still a draft.
pub async fn update_draft(
    c: &mut Conn<'_>,
    org: OrgId,
    id: PolicyVersionId,
    new: &NewVersion<'_>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update policy_version set body = $3, document_id = $4, change_note = $5, \
                       content_sha256 = $6, updated_at = $7 where org_id = $1 and id = $2 and status = 'draft'";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(new.body).bind(new.document_id)
        .bind(new.change_note).bind(new.content_sha256).bind(now).execute(&mut **c).await
        .map(|r| r.rows_affected()))?;
    if done != 1 {
        return Err(DbError::Conflict);
    }
    Ok(())
}

/// What a step writes besides the new status.
#[derive(Debug, Clone, Default)]
pub struct StepFields<'a> {
    pub submitted_at: Option<UnixTime>,
    /// The approver, the content hash they approve (the update fails if the text no longer has it), and the
    /// decision cited.
    pub approved: Option<(UserId, &'a str, Option<&'a str>)>,
    pub published_by: Option<UserId>,
    pub ended: bool,
}

/// Moves a version from `from` to `to`, compare-and-set on the status so two concurrent steps cannot both win.
pub async fn set_status(
    c: &mut Conn<'_>,
    org: OrgId,
    id: PolicyVersionId,
    from: &str,
    to: &str,
    fields: &StepFields<'_>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update policy_version set status = $4, updated_at = $5, \
                       submitted_at = coalesce($6, submitted_at), \
                       approved_by = coalesce($7, approved_by), approved_at = case when $7 is null then approved_at else $5 end, \
                       approved_sha256 = case when $7 is null then approved_sha256 else content_sha256 end, approval_decision = coalesce($9, approval_decision), \
                       published_by = coalesce($10, published_by), \
                       published_at = case when $10 is null then published_at else $5 end, \
                       ended_at = case when $11 then $5 else ended_at end \
                       where org_id = $1 and id = $2 and status = $3 and ($8 is null or content_sha256 = $8)";
    let (approver, sha, decision) = match fields.approved {
        Some((who, sha, decision)) => (Some(who), Some(sha), decision),
        None => (None, None, None),
    };
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(id).bind(from).bind(to).bind(now)
        .bind(fields.submitted_at).bind(approver).bind(sha).bind(decision).bind(fields.published_by)
        .bind(fields.ended).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done != 1 {
        return Err(DbError::Conflict);
    }
    Ok(())
}

/// The published version of a policy, if any.
pub async fn published(c: &mut Conn<'_>, org: OrgId, policy: PolicyId) -> Result<Option<VersionRow>, DbError> {
    let sql = format!("{SELECT} where v.org_id = $1 and v.policy_id = $2 and v.status = 'published'");
    Ok(on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(policy)
        .fetch_optional(&mut **c).await)?)
}
