//! Exceptions to a policy: someone asks, top management approves or refuses, an approved exception ends at its
//! expiry or when revoked. An exception is never open-ended.

use super::Invalid;
use crate::clock::UnixTime;

/// The longest an exception may run before it must be asked for again.
pub const MAX_EXCEPTION_DAYS: i64 = 3 * 366;

/// What can be decided about an exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Refuse,
    Revoke,
}

impl Decision {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        match text {
            "approve" => Ok(Decision::Approve),
            "refuse" => Ok(Decision::Refuse),
            "revoke" => Ok(Decision::Revoke),
            other => Err(Invalid::new(format!("unknown decision '{other}'; use approve, refuse or revoke"))),
        }
    }

    /// The status a decision leads to from `from`, or why it cannot be taken.
    pub fn apply(self, from: &str) -> Result<&'static str, String> {
        match (from, self) {
            ("requested", Decision::Approve) => Ok("approved"),
            ("requested", Decision::Refuse) => Ok("refused"),
            ("approved", Decision::Revoke) => Ok("revoked"),
            (from, Decision::Revoke) => Err(format!("only an approved exception can be revoked; this one is {from}")),
            (from, _) => Err(format!("this exception was already decided ({from})")),
        }
    }
}

/// Where an exception stands at `now`: its stored status, except that an approved one past its expiry has expired.
pub fn effective_status(status: &str, expires_at: UnixTime, now: UnixTime) -> &str {
    if status == "approved" && expires_at <= now { "expired" } else { status }
}

/// Checks a new exception's text and expiry.
pub fn check_new(summary: &str, reason: &str, expires_at: UnixTime, now: UnixTime) -> Result<(), Invalid> {
    if summary.trim().is_empty() || summary.chars().count() > 200 {
        return Err(Invalid::new("say in 1–200 characters what the exception allows"));
    }
    if reason.trim().is_empty() || reason.chars().count() > 5000 {
        return Err(Invalid::new("give the reason for the exception (at most 5,000 characters)"));
    }
    if expires_at <= now {
        return Err(Invalid::new("an exception must end in the future; give its expiry date"));
    }
    if expires_at - now > MAX_EXCEPTION_DAYS * 86_400 {
        return Err(Invalid::new("an exception may run for at most three years; ask again when it ends"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_follow_the_status() {
        assert_eq!(Decision::Approve.apply("requested"), Ok("approved"));
        assert_eq!(Decision::Refuse.apply("requested"), Ok("refused"));
        assert_eq!(Decision::Revoke.apply("approved"), Ok("revoked"));
        assert!(Decision::Approve.apply("approved").is_err());
        assert!(Decision::Revoke.apply("requested").is_err());
    }

    #[test]
    fn approved_exceptions_expire() {
        assert_eq!(effective_status("approved", 100, 100), "expired");
        assert_eq!(effective_status("approved", 101, 100), "approved");
        assert_eq!(effective_status("refused", 1, 100), "refused");
    }

    #[test]
    fn exceptions_are_bounded() {
        assert!(check_new("USB sticks in the lab", "legacy test rig", 200, 100).is_ok());
        assert!(check_new("", "r", 200, 100).is_err());
        assert!(check_new("s", "r", 100, 100).is_err());
        assert!(check_new("s", "r", 100 + 4 * 366 * 86_400, 100).is_err());
    }
}
