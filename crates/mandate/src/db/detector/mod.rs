//! What the façade detectors read: one aggregate query per detector, scoped by `org_id`, so the detectors together
//! read the registers a handful of times whatever their size. People here are the organisation's top managers;
//! `records` holds the queries over policies, meetings, the communication plan and objectives.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::OrgId;
use crate::domain::ids::UserId;

pub mod records;

/// A membership of top management that is in force at `$2`, on the membership aliased `m`.
macro_rules! top_manager {
    () => {
        "m.role = 'top_management' and m.disabled_at is null and (m.expires_at is null or m.expires_at > $2)"
    };
}
pub(crate) use top_manager;

/// A top manager of the organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Manager {
    pub user_id: UserId,
    pub name: String,
    /// When they last took part personally (their latest involvement entry), if ever.
    pub last_involved_on: Option<UnixTime>,
}

/// `org`'s top managers in force at `now`, by name, with their latest involvement entry.
pub async fn top_managers(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Manager>, DbError> {
    const SQL: &str = concat!(
        "select m.user_id, u.name, (select max(i.occurred_on) from management_involvement i ",
        "where i.org_id = m.org_id and i.manager_id = m.user_id) as last_involved_on ",
        "from membership m join app_user u on u.id = m.user_id where m.org_id = $1 and ",
        top_manager!(),
        " order by u.name, m.user_id"
    );
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(now).fetch_all(&mut **c).await)?)
}

/// An open action owned by a top manager whose due day has passed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OverdueAction {
    pub id: i64,
    pub title: String,
    pub owner_id: UserId,
    pub owner_name: String,
    pub due_on: UnixTime,
}

/// `org`'s open actions owned by a top manager in force at `now` and past their due day, by owner, oldest due
/// first (the rule of `domain::meeting::is_overdue`).
pub async fn overdue_top_actions(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<OverdueAction>, DbError> {
    const SQL: &str = concat!(
        "select a.id, a.title, a.owner_id, u.name as owner_name, a.due_on from meeting_action a ",
        "join membership m on m.org_id = a.org_id and m.user_id = a.owner_id join app_user u on u.id = a.owner_id ",
        "where a.org_id = $1 and a.status = 'open' and a.due_on + 86400 <= $2 and ",
        top_manager!(),
        " order by a.owner_id, a.due_on, a.id"
    );
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(now).fetch_all(&mut **c).await)?)
}

/// A top manager's enrolment in a training campaign past its due day, not completed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MissedTraining {
    pub campaign_id: i64,
    pub title: String,
    pub due_on: UnixTime,
    pub user_id: UserId,
    pub name: String,
}

/// `org`'s top managers (in force at `now`) enrolled in a campaign whose due day has passed and who have not
/// completed it, by person.
pub async fn missed_training(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<MissedTraining>, DbError> {
    const SQL: &str = concat!(
        "select t.id as campaign_id, t.title, t.due_on, e.user_id, u.name from training_enrolment e ",
        "join training_campaign t on t.id = e.campaign_id and t.org_id = e.org_id ",
        "join membership m on m.org_id = e.org_id and m.user_id = e.user_id join app_user u on u.id = e.user_id ",
        "where e.org_id = $1 and e.completed_on is null and t.due_on + 86400 <= $2 and ",
        top_manager!(),
        " order by e.user_id, t.due_on, t.id"
    );
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(now).fetch_all(&mut **c).await)?)
}
