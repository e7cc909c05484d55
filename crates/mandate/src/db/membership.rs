//! Memberships: a person's role in one organisation, with optional expiry and disabling.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::{OrgId, UserId};
use crate::domain::role::Role;

/// A member of an organisation as the people pages and the API list them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub role: String,
    pub expires_at: Option<UnixTime>,
    pub disabled_at: Option<UnixTime>,
    pub created_at: UnixTime,
    pub department: Option<String>,
}

impl Member {
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Employee)
    }

    /// Whether the membership currently grants access.
    pub fn active(&self, now: UnixTime) -> bool {
        self.disabled_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// An organisation a person can act in, for the organisation picker.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgChoice {
    pub org_id: OrgId,
    pub slug: String,
    pub name: String,
    pub role: String,
}

/// What a new membership holds.
#[derive(Debug, Clone)]
pub struct NewMembership {
    pub role: Role,
    pub expires_at: Option<UnixTime>,
    pub department: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn insert(
    c: &mut Conn<'_>,
    org: OrgId,
    user: UserId,
    new: &NewMembership,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "insert into membership (org_id, user_id, role, expires_at, department, created_at, updated_at) \
                       values ($1, $2, $3, $4, $5, $6, $6)";
    on_conn!(c, c => sqlx::query(SQL).bind(org).bind(user).bind(new.role.as_str()).bind(new.expires_at)
        .bind(&new.department).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// One page of an organisation's members, ordered by e-mail address, with the number matching in all.
#[derive(Debug, Clone)]
pub struct MemberPage {
    pub members: Vec<Member>,
    pub total: i64,
}

/// Escapes `%`, `_` and `\` so a search term matches literally inside `like '%…%' escape '\'`.
pub(crate) fn like_pattern(term: &str) -> String {
    let escaped = term.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Members of `org` whose name or e-mail contains `search` (all when empty).
#[tracing::instrument(skip_all)]
pub async fn list(c: &mut Conn<'_>, org: OrgId, search: &str, limit: i64, offset: i64) -> Result<MemberPage, DbError> {
    const SQL: &str = "select u.id as user_id, u.email, u.name, m.role, m.expires_at, m.disabled_at, m.created_at, \
                       m.department \
                       from membership m join app_user u on u.id = m.user_id \
                       where m.org_id = $1 and (u.email like $2 escape '\\' or lower(u.name) like $2 escape '\\') \
                       order by u.email limit $3 offset $4";
    const COUNT: &str = "select count(*) from membership m join app_user u on u.id = m.user_id \
                         where m.org_id = $1 and (u.email like $2 escape '\\' or lower(u.name) like $2 escape '\\')";
    let pattern = like_pattern(search);
    let members = on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(&pattern).bind(limit).bind(offset)
        .fetch_all(&mut **c).await)?;
    let total = on_conn!(c, c => sqlx::query_scalar(COUNT).bind(org).bind(&pattern).fetch_one(&mut **c).await)?;
    Ok(MemberPage { members, total })
}

/// Active members of `org` who are not employees (owners, approvers and appointers are chosen from them).
pub async fn managers(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Member>, DbError> {
    const SQL: &str = "select u.id as user_id, u.email, u.name, m.role, m.expires_at, m.disabled_at, m.created_at, \
                       m.department from membership m join app_user u on u.id = m.user_id \
                       where m.org_id = $1 and m.role <> 'employee' and m.disabled_at is null \
                       and (m.expires_at is null or m.expires_at > $2) order by u.name, u.id";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(now).fetch_all(&mut **c).await)?)
}

/// The distinct departments of `org`'s members, for choosing a campaign's audience.
pub async fn departments(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<String>, DbError> {
    const SQL: &str = "select distinct department from membership where org_id = $1 and department is not null \
                       order by department";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).fetch_all(&mut **c).await)?)
}

/// How many members of `org` have access now.
pub async fn count_active(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<i64, DbError> {
    const SQL: &str = "select count(*) from membership where org_id = $1 \
                       and disabled_at is null and (expires_at is null or expires_at > $2)";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).bind(now).fetch_one(&mut **c).await)?)
}

/// One member of one organisation; a person who is not a member of `org` is not found.
pub async fn get(c: &mut Conn<'_>, org: OrgId, user: UserId) -> Result<Option<Member>, DbError> {
    const SQL: &str = "select u.id as user_id, u.email, u.name, m.role, m.expires_at, m.disabled_at, m.created_at, \
                       m.department \
                       from membership m join app_user u on u.id = m.user_id where m.org_id = $1 and m.user_id = $2";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(user).fetch_optional(&mut **c).await)?)
}

/// Organisations in which the person's membership is active now.
pub async fn active_for_user(c: &mut Conn<'_>, user: UserId, now: UnixTime) -> Result<Vec<OrgChoice>, DbError> {
    const SQL: &str = "select o.id as org_id, o.slug, o.name, m.role from membership m \
                       join organisation o on o.id = m.org_id \
                       where m.user_id = $1 and m.disabled_at is null and (m.expires_at is null or m.expires_at > $2) \
                       order by o.name";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(user).bind(now).fetch_all(&mut **c).await)?)
}

/// Changes role, expiry and disabled state of a membership in `org`.
#[tracing::instrument(skip_all)]
pub async fn update(
    c: &mut Conn<'_>,
    org: OrgId,
    user: UserId,
    role: Role,
    expires_at: Option<UnixTime>,
    disabled_at: Option<UnixTime>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update membership set role = $3, expires_at = $4, disabled_at = $5, updated_at = $6 \
                       where org_id = $1 and user_id = $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(user).bind(role.as_str()).bind(expires_at)
        .bind(disabled_at).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Sets the department of a member of `org`.
pub async fn set_department(
    c: &mut Conn<'_>,
    org: OrgId,
    user: UserId,
    department: Option<&str>,
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "update membership set department = $3, updated_at = $4 where org_id = $1 and user_id = $2";
    let done = on_conn!(c, c => sqlx::query(SQL).bind(org).bind(user).bind(department).bind(now)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if done == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// How many administrators of `org` are neither disabled nor time-limited.
pub async fn permanent_admins(c: &mut Conn<'_>, org: OrgId) -> Result<i64, DbError> {
    const SQL: &str = "select count(*) from membership where org_id = $1 and role = 'admin' \
                       and disabled_at is null and expires_at is null";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).bind(org).fetch_one(&mut **c).await)?)
}

/// Every member's lower-cased e-mail with their id and department, for matching imported rows
/// to members with one query.
pub async fn emails(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<(String, UserId, Option<String>)>, DbError> {
    const SQL: &str = "select lower(u.email), u.id, m.department from membership m \
                       join app_user u on u.id = m.user_id where m.org_id = $1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_terms_match_literally() {
        assert_eq!(super::like_pattern(" Ada "), "%ada%");
        assert_eq!(super::like_pattern("50%_x\\"), "%50\\%\\_x\\\\%");
    }
}
