//! Resolving an audience (everyone, roles, departments, named people) into the active members it selects, as
//! communications count their audience and training campaigns enrol theirs.

use crate::clock::UnixTime;
use crate::db::acknowledgement::Audience as Member;
use crate::db::{self, Tx};
use crate::domain::campaign::Audience;
use crate::domain::ids::{OrgId, UserId};
use crate::domain::role::Role;
use crate::error::AppError;

/// The active members of `org` with their role and department.
pub async fn members(tx: &mut Tx, org: OrgId, now: UnixTime) -> Result<Vec<Member>, AppError> {
    Ok(db::acknowledgement::active_members(&mut tx.conn(), org, now).await?)
}

/// The members `audience` selects; refuses an audience that names someone who is not an active member or
/// selects nobody.
pub fn resolve(audience: &Audience, members: &[Member]) -> Result<Vec<UserId>, AppError> {
    audience.check()?;
    for person in &audience.people {
        if !members.iter().any(|m| m.user_id == *person) {
            return Err(AppError::Invalid(format!("person {person} is not an active member of this organisation")));
        }
    }
    let selected: Vec<UserId> = members
        .iter()
        .filter(|m| audience.selects(m.user_id, m.role.parse().unwrap_or(Role::Employee), m.department.as_deref()))
        .map(|m| m.user_id)
        .collect();
    if selected.is_empty() {
        return Err(AppError::Invalid("nobody is in this audience; choose other roles, departments or people".into()));
    }
    Ok(selected)
}
