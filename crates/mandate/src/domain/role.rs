//! Roles a person holds in an organisation.

use super::Invalid;
use serde::{Deserialize, Serialize};

/// A membership's role. Access rules are written in terms of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the installation for the organisation: people, tokens, settings.
    Admin,
    /// Runs the ISMS day to day (often the CISO).
    IsmsManager,
    /// Directors and executives: approve, decide, review.
    TopManagement,
    /// Read-only access, usually time-boxed.
    Auditor,
    /// Reads and acknowledges policies, completes training.
    Employee,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::IsmsManager, Role::TopManagement, Role::Auditor, Role::Employee];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::IsmsManager => "isms_manager",
            Role::TopManagement => "top_management",
            Role::Auditor => "auditor",
            Role::Employee => "employee",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::IsmsManager => "ISMS manager",
            Role::TopManagement => "Top management",
            Role::Auditor => "Auditor",
            Role::Employee => "Employee",
        }
    }

    /// Whether a token or delegation with role `other` stays within what this role may do.
    /// Admins cover every role; managers cover the read-only auditor view and the employee's own duties.
    pub fn covers(self, other: Role) -> bool {
        self == other
            || self == Role::Admin
            || (matches!(self, Role::IsmsManager | Role::TopManagement)
                && matches!(other, Role::Auditor | Role::Employee))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or_else(|| {
            Invalid::new(format!(
                "unknown role '{s}'; use one of admin, isms_manager, top_management, auditor, employee"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_role_and_refuses_others() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        let err = "root".parse::<Role>().unwrap_err();
        assert!(err.0.contains("isms_manager"));
    }

    #[test]
    fn coverage_never_escalates() {
        assert!(Role::Admin.covers(Role::TopManagement));
        assert!(Role::TopManagement.covers(Role::Auditor));
        assert!(!Role::TopManagement.covers(Role::IsmsManager));
        assert!(!Role::IsmsManager.covers(Role::Admin));
        assert!(!Role::Auditor.covers(Role::Employee));
        assert!(!Role::Employee.covers(Role::Auditor));
        for role in Role::ALL {
            assert!(role.covers(role));
            assert!(Role::Admin.covers(role));
        }
    }
}
