//! Acknowledgement campaigns and the acknowledgements they ask for: one row per person and policy version, kept
//! forever, so a new version never erases who acknowledged the old one.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{CampaignId, OrgId, PolicyId, PolicyVersionId, UserId};

/// Active members of `org` with their role and department, for choosing a campaign's audience.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Audience {
    pub user_id: UserId,
    pub role: String,
    pub department: Option<String>,
}

pub async fn active_members(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Audience>, DbError> {
    const SQL: &str = "select user_id, role, department from membership where org_id = $1 \
                       and disabled_at is null and (expires_at is null or expires_at > $2) order by user_id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(now).fetch_all(&mut **c).await)?)
}

pub async fn insert_campaign(
    c: &mut Conn<'_>,
    org: OrgId,
    version: PolicyVersionId,
    audience: &str,
    by: UserId,
    due_at: UnixTime,
    now: UnixTime,
) -> Result<CampaignId, DbError> {
    const SQL: &str = "insert into ack_campaign (org_id, version_id, audience, started_by, started_at, due_at) \
                       values ($1, $2, $3, $4, $5, $6) returning id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(version).bind(audience).bind(by).bind(now)
        .bind(due_at).fetch_one(&mut **c).await)?)
}

/// Asks `people` to acknowledge `version`; people already asked (or who already acknowledged) are left as they
/// are. Returns how many were newly asked.
pub async fn request(
    c: &mut Conn<'_>,
    org: OrgId,
    version: PolicyVersionId,
    campaign: CampaignId,
    people: &[UserId],
    due_at: UnixTime,
    now: UnixTime,
) -> Result<u64, DbError> {
    let mut added = 0;
    for chunk in people.chunks(500) {
        // The ids are integers read from our own membership table; they are written into the statement so one
        // statement covers the chunk on both backends.
        let ids: Vec<String> = chunk.iter().map(|id| id.0.to_string()).collect();
        let sql = format!(
            "insert into acknowledgement (org_id, version_id, user_id, campaign_id, requested_at, due_at) \
             select $1, $2, m.user_id, $3, $4, $5 from membership m where m.org_id = $1 and m.user_id in ({}) \
             on conflict (version_id, user_id) do nothing",
            ids.join(", ")
        );
        added += on_conn!(c, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(version)
            .bind(campaign).bind(now).bind(due_at).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    }
    Ok(added)
}

/// Records that `user` acknowledged `version` whose text hashes to `sha256`. A person who was not asked may
/// still acknowledge. Returns the acknowledgement's id, or `Conflict` if they already had.
pub async fn acknowledge(
    c: &mut Conn<'_>,
    org: OrgId,
    version: PolicyVersionId,
    user: UserId,
    sha256: &str,
    now: UnixTime,
) -> Result<i64, DbError> {
    const UPDATE: &str = "update acknowledgement set acknowledged_at = $4, acknowledged_sha256 = $5 \
                          where org_id = $1 and version_id = $2 and user_id = $3 and acknowledged_at is null";
    const INSERT: &str = "insert into acknowledgement (org_id, version_id, user_id, acknowledged_at, acknowledged_sha256) \
                          values ($1, $2, $3, $4, $5)";
    const ID: &str = "select id from acknowledgement where org_id = $1 and version_id = $2 and user_id = $3";
    let updated = on_conn!(c, c => sqlx::query(UPDATE).bind(org).bind(version).bind(user).bind(now).bind(sha256)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if updated == 0 {
        on_conn!(c, c => sqlx::query(INSERT).bind(org).bind(version).bind(user).bind(now).bind(sha256)
            .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    }
    Ok(on_conn!(c, c => sqlx::query_scalar(ID).bind(org).bind(version).bind(user).fetch_one(&mut **c).await)?)
}

/// Records an acknowledgement unless the person already gave one; returns its id, or `None` if they had.
pub async fn acknowledge_once(
    c: &mut Conn<'_>,
    org: OrgId,
    version: PolicyVersionId,
    user: UserId,
    sha256: &str,
    now: UnixTime,
) -> Result<Option<i64>, DbError> {
    const UPDATE: &str = "update acknowledgement set acknowledged_at = $4, acknowledged_sha256 = $5 \
                          where org_id = $1 and version_id = $2 and user_id = $3 and acknowledged_at is null \
                          returning id";
    const INSERT: &str = "insert into acknowledgement (org_id, version_id, user_id, acknowledged_at, acknowledged_sha256) \
                          values ($1, $2, $3, $4, $5) on conflict (version_id, user_id) do nothing returning id";
    let updated: Option<i64> = on_conn!(c, c => sqlx::query_scalar(UPDATE).bind(org).bind(version).bind(user)
        .bind(now).bind(sha256).fetch_optional(&mut **c).await)?;
    if updated.is_some() {
        return Ok(updated);
    }
    Ok(on_conn!(c, c => sqlx::query_scalar(INSERT).bind(org).bind(version).bind(user).bind(now).bind(sha256)
        .fetch_optional(&mut **c).await)?)
}

/// How many people were asked to acknowledge a version, and how many of them (and of anyone) have.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct Tally {
    pub requested: i64,
    pub acknowledged_of_requested: i64,
    pub acknowledged: i64,
    pub overdue: i64,
}

pub async fn tally(c: &mut Conn<'_>, org: OrgId, version: PolicyVersionId, now: UnixTime) -> Result<Tally, DbError> {
    const SQL: &str = "select \
        coalesce(sum(case when requested_at is not null then 1 else 0 end), 0) as requested, \
        coalesce(sum(case when requested_at is not null and acknowledged_at is not null then 1 else 0 end), 0) \
          as acknowledged_of_requested, \
        coalesce(sum(case when acknowledged_at is not null then 1 else 0 end), 0) as acknowledged, \
        coalesce(sum(case when acknowledged_at is null and due_at < $3 then 1 else 0 end), 0) as overdue \
        from acknowledgement where org_id = $1 and version_id = $2";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(version).bind(now).fetch_one(&mut **c).await)?)
}

/// The tallies of every version of a policy, keyed by version (versions nobody was asked about are absent).
pub async fn tallies(
    c: &mut Conn<'_>,
    org: OrgId,
    policy: PolicyId,
    now: UnixTime,
) -> Result<std::collections::HashMap<PolicyVersionId, Tally>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        version_id: PolicyVersionId,
        #[sqlx(flatten)]
        tally: Tally,
    }
    const SQL: &str = "select a.version_id, \
        coalesce(sum(case when a.requested_at is not null then 1 else 0 end), 0) as requested, \
        coalesce(sum(case when a.requested_at is not null and a.acknowledged_at is not null then 1 else 0 end), 0) \
          as acknowledged_of_requested, \
        coalesce(sum(case when a.acknowledged_at is not null then 1 else 0 end), 0) as acknowledged, \
        coalesce(sum(case when a.acknowledged_at is null and a.due_at < $3 then 1 else 0 end), 0) as overdue \
        from acknowledgement a join policy_version v on v.id = a.version_id \
        where a.org_id = $1 and v.org_id = $1 and v.policy_id = $2 group by a.version_id";
    let rows: Vec<Row> =
        on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(policy).bind(now).fetch_all(&mut **c).await)?;
    Ok(rows.into_iter().map(|r| (r.version_id, r.tally)).collect())
}

/// One person's acknowledgement of one version, as lists show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AckRow {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub department: Option<String>,
    pub requested_at: Option<UnixTime>,
    pub due_at: Option<UnixTime>,
    pub acknowledged_at: Option<UnixTime>,
    pub acknowledged_sha256: Option<String>,
}

/// Who was asked to acknowledge a version or did, pending first, then by name.
pub async fn for_version(
    c: &mut Conn<'_>,
    org: OrgId,
    version: PolicyVersionId,
    pending_only: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AckRow>, i64), DbError> {
    // Two statements rather than one with "$3 or …", so the pending list reads only pending rows from the index.
    const SELECT: &str = "select a.user_id, u.email, u.name, m.department, a.requested_at, a.due_at, \
                          a.acknowledged_at, a.acknowledged_sha256 from acknowledgement a \
                          join app_user u on u.id = a.user_id \
                          left join membership m on m.org_id = a.org_id and m.user_id = a.user_id \
                          where a.org_id = $1 and a.version_id = $2 ";
    let (filter, order) = if pending_only {
        ("and a.acknowledged_at is null ", "order by u.name, u.id limit $3 offset $4")
    } else {
        ("", "order by case when a.acknowledged_at is null then 0 else 1 end, u.name, u.id limit $3 offset $4")
    };
    let sql = format!("{SELECT}{filter}{order}");
    let count = format!("select count(*) from acknowledgement a where a.org_id = $1 and a.version_id = $2 {filter}");
    // Both statements are built from the constants above only.
    let rows = on_conn!(c, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(org).bind(version).bind(limit)
        .bind(offset).fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(org).bind(version)
        .fetch_one(&mut **c).await)?;
    Ok((rows, total))
}

/// A published version someone still has to acknowledge: their task.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenTask {
    pub policy_id: PolicyId,
    pub title: String,
    pub number: i64,
    pub requested_at: UnixTime,
    pub due_at: UnixTime,
}

pub async fn open_tasks(c: &mut Conn<'_>, org: OrgId, user: UserId) -> Result<Vec<OpenTask>, DbError> {
    const SQL: &str = "select p.id as policy_id, p.title, v.number, a.requested_at, a.due_at \
                       from acknowledgement a join policy_version v on v.id = a.version_id \
                       join policy p on p.id = v.policy_id \
                       where a.org_id = $1 and a.user_id = $2 and a.acknowledged_at is null \
                       and a.requested_at is not null and v.status = 'published' order by a.due_at, p.title";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(user).fetch_all(&mut **c).await)?)
}

/// A person's acknowledgement of one version, if asked or given.
pub async fn of_user(
    c: &mut Conn<'_>,
    org: OrgId,
    version: PolicyVersionId,
    user: UserId,
) -> Result<Option<AckRow>, DbError> {
    const SQL: &str = "select a.user_id, u.email, u.name, m.department, a.requested_at, a.due_at, a.acknowledged_at, \
                       a.acknowledged_sha256 from acknowledgement a join app_user u on u.id = a.user_id \
                       left join membership m on m.org_id = a.org_id and m.user_id = a.user_id \
                       where a.org_id = $1 and a.version_id = $2 and a.user_id = $3";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(version).bind(user).fetch_optional(&mut **c).await)?)
}
