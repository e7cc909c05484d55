//! Who an acknowledgement campaign asks: everyone, chosen roles, chosen departments or chosen people.

use super::Invalid;
use crate::domain::ids::UserId;
use crate::domain::role::Role;

/// A campaign's audience. Several kinds combine: a person is asked if any part selects them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Audience {
    /// Every active member.
    #[serde(default)]
    pub everyone: bool,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub people: Vec<UserId>,
}

impl Audience {
    pub fn everyone() -> Self {
        Self { everyone: true, ..Self::default() }
    }

    /// Refuses an audience that selects nobody by construction.
    pub fn check(&self) -> Result<(), Invalid> {
        if !self.everyone && self.roles.is_empty() && self.departments.is_empty() && self.people.is_empty() {
            return Err(Invalid::new(
                "choose who must acknowledge: everyone, or at least one role, department or person",
            ));
        }
        if self.departments.len() > 100 || self.people.len() > 1000 || self.roles.len() > 10 {
            return Err(Invalid::new(
                "an audience names at most 100 departments and 1,000 people; ask everyone or by role for more",
            ));
        }
        if self.departments.iter().any(|d| d.trim().is_empty() || d.chars().count() > 100) {
            return Err(Invalid::new("department names must be 1–100 characters"));
        }
        Ok(())
    }

    /// Whether a member with this role and department is selected.
    pub fn selects(&self, user: UserId, role: Role, department: Option<&str>) -> bool {
        self.everyone
            || self.roles.contains(&role)
            || department.is_some_and(|d| self.departments.iter().any(|want| want.trim().eq_ignore_ascii_case(d)))
            || self.people.contains(&user)
    }

    /// A short description for lists: "everyone", "roles: employee; departments: IT".
    pub fn describe(&self) -> String {
        if self.everyone {
            return "everyone".into();
        }
        let mut parts = Vec::new();
        if !self.roles.is_empty() {
            parts.push(format!("roles: {}", self.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")));
        }
        if !self.departments.is_empty() {
            parts.push(format!("departments: {}", self.departments.join(", ")));
        }
        if !self.people.is_empty() {
            parts.push(format!("{} named people", self.people.len()));
        }
        parts.join("; ")
    }
}

/// Days people get to acknowledge, when the campaign does not say.
pub const DEFAULT_DAYS_TO_ACKNOWLEDGE: i64 = 14;

/// Checks the days people get to acknowledge.
pub fn check_days(days: i64) -> Result<i64, Invalid> {
    if (1..=365).contains(&days) {
        Ok(days)
    } else {
        Err(Invalid::new("people need between 1 and 365 days to acknowledge"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_combine() {
        let audience = Audience {
            roles: vec![Role::TopManagement],
            departments: vec!["IT".into()],
            people: vec![UserId(9)],
            ..Audience::default()
        };
        assert!(audience.selects(UserId(1), Role::TopManagement, None));
        assert!(audience.selects(UserId(2), Role::Employee, Some("it")));
        assert!(audience.selects(UserId(9), Role::Employee, Some("Sales")));
        assert!(!audience.selects(UserId(3), Role::Employee, Some("Sales")));
        assert!(Audience::everyone().selects(UserId(3), Role::Auditor, None));
        assert_eq!(audience.describe(), "roles: Top management; departments: IT; 1 named people");
    }

    #[test]
    fn an_empty_audience_is_refused() {
        assert!(Audience::default().check().is_err());
        assert!(Audience::everyone().check().is_ok());
        assert!(check_days(0).is_err() && check_days(14).is_ok());
    }
}
