//! When sign-in attempts are throttled.
//!
//! Two limits over a sliding window: failures from one address, and failures on one account. The account limit
//! does not apply from an address the account signed in from successfully before, so an attacker guessing a
//! person's password from elsewhere cannot lock that person out of their usual place of work.

/// Length of the sliding window over which failures count.
pub const WINDOW_SECONDS: i64 = 15 * 60;
/// How long an address counts as known to an account after a successful sign-in from it.
pub const KNOWN_ADDRESS_SECONDS: i64 = 90 * 24 * 3600;
/// Failures allowed from one address in the window (shared offices sit behind one address).
pub const ADDRESS_LIMIT: i64 = 30;
/// Failures allowed on one account in the window, from addresses it does not know.
pub const ACCOUNT_LIMIT: i64 = 10;

/// What the attempt history says about the address and account of a new attempt.
#[derive(Debug, Clone, Copy)]
pub struct AttemptHistory {
    pub address_failures: i64,
    pub account_failures: i64,
    pub known_address: bool,
}

/// The refusal to try now, if any, with the message for the person.
pub fn throttle(history: AttemptHistory) -> Option<&'static str> {
    if history.address_failures >= ADDRESS_LIMIT {
        return Some("Too many failed sign-ins from your network. Wait 15 minutes and try again.");
    }
    if history.account_failures >= ACCOUNT_LIMIT && !history.known_address {
        return Some(
            "Too many failed sign-ins for this account from new places. Wait 15 minutes, or sign in from a place you used before.",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(address_failures: i64, account_failures: i64, known_address: bool) -> AttemptHistory {
        AttemptHistory { address_failures, account_failures, known_address }
    }

    #[test]
    fn allows_ordinary_mistakes() {
        assert!(throttle(history(0, 0, false)).is_none());
        assert!(throttle(history(ADDRESS_LIMIT - 1, ACCOUNT_LIMIT - 1, false)).is_none());
    }

    #[test]
    fn limits_a_noisy_address_even_for_known_accounts() {
        assert!(throttle(history(ADDRESS_LIMIT, 0, true)).is_some());
    }

    #[test]
    fn account_limit_spares_the_real_users_known_address() {
        assert!(throttle(history(2, ACCOUNT_LIMIT + 50, false)).is_some());
        assert!(throttle(history(2, ACCOUNT_LIMIT + 50, true)).is_none());
    }
}
