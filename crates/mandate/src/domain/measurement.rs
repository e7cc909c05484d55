//! Measurements of objectives (ISO/IEC 27001 9.1): a value on a date, by a member, with a note. A measurement
//! is never edited; a wrong one is withdrawn with a reason and stays in the history.

use super::Invalid;
use super::objective::{date_text, day_of};
use crate::clock::UnixTime;

/// How long before an objective was created a measurement may be dated: one year, so the baseline from the
/// last annual evaluation (or last year's figure an objective was set against) can be recorded, while a
/// mistyped year (2016 for 2026) is still caught.
pub const BASELINE_WINDOW_DAYS: i64 = 366;

/// Checks the day a measurement was taken: not after today (UTC) and not more than [`BASELINE_WINDOW_DAYS`]
/// before the day the objective was created.
pub fn check_measured_on(measured_on: UnixTime, objective_created: UnixTime, now: UnixTime) -> Result<(), Invalid> {
    let day = day_of(measured_on);
    if day > day_of(now) {
        return Err(Invalid::new(format!(
            "a measurement cannot be dated in the future ({}); today is {}",
            date_text(day),
            date_text(now)
        )));
    }
    let earliest = day_of(objective_created) - BASELINE_WINDOW_DAYS * 86_400;
    if day < earliest {
        return Err(Invalid::new(format!(
            "{} is more than a year before the objective was set; the earliest date accepted is {}",
            date_text(day),
            date_text(earliest)
        )));
    }
    Ok(())
}

/// Checks the reason given for withdrawing a measurement: required, at most 500 characters.
pub fn check_withdraw_reason(reason: &str) -> Result<String, Invalid> {
    super::objective::check_text(reason, "the reason for withdrawing the measurement", 500, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    const CREATED: UnixTime = 1_795_392_000; // 2026-11-23

    #[test]
    fn today_is_accepted_and_tomorrow_is_not() {
        let now = CREATED + 30 * DAY + 9 * 3_600;
        assert!(check_measured_on(CREATED + 30 * DAY, CREATED, now).is_ok());
        let err = check_measured_on(CREATED + 31 * DAY, CREATED, now).unwrap_err();
        assert!(err.0.contains("future") && err.0.contains("2026-12-23"), "{}", err.0);
    }

    #[test]
    fn a_baseline_may_predate_the_objective_by_a_year() {
        assert!(check_measured_on(CREATED - BASELINE_WINDOW_DAYS * DAY, CREATED + 10, CREATED).is_ok());
        let err = check_measured_on(CREATED - (BASELINE_WINDOW_DAYS + 1) * DAY, CREATED, CREATED).unwrap_err();
        assert!(err.0.contains("earliest date accepted is 2025-11-22"), "{}", err.0);
    }

    #[test]
    fn withdrawing_needs_a_reason() {
        assert!(check_withdraw_reason(" ").is_err());
        assert_eq!(check_withdraw_reason(" typed 78 for 87 ").unwrap(), "typed 78 for 87");
    }
}
