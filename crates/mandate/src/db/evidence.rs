//! Evidence metadata. The bytes live in the blob store under `sha256`.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{EvidenceId, OrgId, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: EvidenceId,
    pub title: String,
    pub filename: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub expires_at: Option<UnixTime>,
    pub uploaded_by: UserId,
    pub uploader_email: String,
    pub uploaded_at: UnixTime,
    pub supersedes: Option<EvidenceId>,
    pub superseded_by: Option<EvidenceId>,
}

/// What a new evidence row holds.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub title: &'a str,
    pub filename: &'a str,
    pub media_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub record_type: Option<&'a str>,
    pub record_id: Option<&'a str>,
    pub expires_at: Option<UnixTime>,
    pub uploaded_by: UserId,
    pub supersedes: Option<EvidenceId>,
}

pub async fn insert(c: &mut Conn<'_>, org: OrgId, new: &NewEvidence<'_>, now: UnixTime) -> Result<EvidenceId, DbError> {
    const SQL: &str = "insert into evidence (org_id, title, filename, media_type, size, sha256, record_type, record_id, \
                       expires_at, uploaded_by, uploaded_at, supersedes) \
                       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(new.title).bind(new.filename).bind(new.media_type)
        .bind(new.size).bind(new.sha256).bind(new.record_type).bind(new.record_id).bind(new.expires_at)
        .bind(new.uploaded_by).bind(now).bind(new.supersedes).fetch_one(&mut **c).await)?)
}

/// Marks `old` (of `org`) as superseded by `new`; fails if it already was.
pub async fn supersede(c: &mut Conn<'_>, org: OrgId, old: EvidenceId, new: EvidenceId) -> Result<(), DbError> {
    const SQL: &str = "update evidence set superseded_by = $3 where org_id = $1 and id = $2 and superseded_by is null";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(old).bind(new).execute(&mut **c).await
        .map(|r| r.rows_affected()))?;
    if done != 1 {
        return Err(DbError::Conflict);
    }
    Ok(())
}

pub async fn get(c: &mut Conn<'_>, org: OrgId, id: EvidenceId) -> Result<Option<EvidenceRow>, DbError> {
    const SQL: &str = concat!(
        "select e.id, e.title, e.filename, e.media_type, e.size, e.sha256, e.record_type, e.record_id, ",
        "e.expires_at, e.uploaded_by, u.email as uploader_email, e.uploaded_at, e.supersedes, e.superseded_by ",
        "from evidence e join app_user u on u.id = e.uploaded_by where e.org_id = $1 and e.id = $2"
    );
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(id).fetch_optional(&mut **c).await)?)
}

/// Filters for the evidence list.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub record_type: Option<&'a str>,
    pub record_id: Option<&'a str>,
    /// Only current versions expiring before this time (and not already expired before `now`).
    pub expiring_before: Option<UnixTime>,
    pub include_superseded: bool,
    pub search: &'a str,
}

/// One page of `org`'s evidence, newest first, and how many match in all.
pub async fn list(
    c: &mut Conn<'_>,
    org: OrgId,
    filter: &Filter<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EvidenceRow>, i64), DbError> {
    const SQL: &str = concat!(
        "select e.id, e.title, e.filename, e.media_type, e.size, e.sha256, e.record_type, e.record_id, ",
        "e.expires_at, e.uploaded_by, u.email as uploader_email, e.uploaded_at, e.supersedes, e.superseded_by ",
        "from evidence e join app_user u on u.id = e.uploaded_by ",
        "where e.org_id = $1 and ($2 is null or e.record_type = $2) and ($3 is null or e.record_id = $3) ",
        "and ($4 is null or (e.expires_at is not null and e.expires_at < $4)) and ($5 or e.superseded_by is null) ",
        "and (lower(e.title) like $6 escape '\\' or lower(e.filename) like $6 escape '\\') ",
        "order by e.id desc limit $7 offset $8"
    );
    const COUNT: &str = concat!(
        "select count(*) from evidence e ",
        "where e.org_id = $1 and ($2 is null or e.record_type = $2) and ($3 is null or e.record_id = $3) ",
        "and ($4 is null or (e.expires_at is not null and e.expires_at < $4)) and ($5 or e.superseded_by is null) ",
        "and (lower(e.title) like $6 escape '\\' or lower(e.filename) like $6 escape '\\')"
    );
    let pattern = super::membership::like_pattern(filter.search);
    let rows = on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(filter.record_type).bind(filter.record_id)
        .bind(filter.expiring_before).bind(filter.include_superseded).bind(&pattern).bind(limit).bind(offset)
        .fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(COUNT).bind(org).bind(filter.record_type).bind(filter.record_id)
        .bind(filter.expiring_before).bind(filter.include_superseded).bind(&pattern).fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// The versions of a piece of evidence: the chain through `supersedes`, newest first.
pub async fn versions(c: &mut Conn<'_>, org: OrgId, id: EvidenceId) -> Result<Vec<EvidenceRow>, DbError> {
    // Walk forward to the newest version, then back through `supersedes` (bounded against cycles).
    let mut newest = id;
    for _ in 0..1000 {
        match get(c, org, newest).await?.and_then(|row| row.superseded_by) {
            Some(next) => newest = next,
            None => break,
        }
    }
    let mut out = Vec::new();
    let mut cursor = Some(newest);
    while let Some(id) = cursor {
        let Some(row) = get(c, org, id).await? else { break };
        cursor = row.supersedes;
        out.push(row);
        if out.len() >= 1000 {
            break;
        }
    }
    Ok(out)
}

/// Every distinct blob key referenced by any organisation's evidence, for the scrub job.
pub async fn all_hashes(c: &mut Conn<'_>) -> Result<Vec<String>, DbError> {
    const SQL: &str = "select distinct sha256 from evidence order by sha256";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).fetch_all(&mut **c).await)?)
}

/// All current and past evidence of `org`, oldest first, for the export bundle.
pub async fn all_for_org(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<EvidenceRow>, DbError> {
    let (mut rows, _) = list(c, org, &Filter { include_superseded: true, ..Filter::default() }, i64::MAX, 0).await?;
    rows.reverse();
    Ok(rows)
}
