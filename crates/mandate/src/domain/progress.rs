//! How an open objective's progress is worked out from its measurements (ISO/IEC 27001 9.1: analyse and
//! evaluate the results). The rule, in order; the first that applies decides:
//!
//! 1. **Not measured recently** — the latest measurement (or, with none, the day the objective was set) is
//!    older than 1.5 × the evaluation interval. A figure nobody looked at is not evidence of anything.
//!    With no measurement yet and the objective younger than that, it is **not measured yet**.
//! 2. **On track** — the latest measurement meets the target (in the target's direction).
//! 3. **Off track** — the due date has passed without the target being met.
//! 4. **At risk** — only one measurement day so far: there is no trend to judge by.
//! 5. **At risk** — the straight line fitted (least squares) through the last 6 measurements reaches the
//!    target by the due date, or the latest value is within 10 % of the gap between the first measurement and
//!    the target.
//! 6. **Off track** — otherwise.
//!
//! A forecast never shows an unmet objective as on track: it can only lift it from off track to at risk,
//! because a trend of a few points is a hint, not a result an auditor can check.
//! Withdrawn measurements take no part.

use super::objective::{Direction, date_text, day_of, format_value};
use crate::clock::UnixTime;

/// Silence longer than this many evaluation intervals makes an objective "not measured recently".
pub const STALE_AFTER_INTERVALS: f64 = 1.5;
/// How many of the latest measurements the trend is fitted through.
pub const TREND_READINGS: usize = 6;
/// How close (as a share of the gap from the first measurement to the target) still counts as at risk.
pub const TOLERANCE: f64 = 0.10;

/// The rule in words, for the objective page, so what people read is what the code does.
pub const RULE: [&str; 6] = [
    "Not measured recently: the latest measurement (or the day the objective was set, when there is none) is \
     older than 1.5 times the evaluation interval.",
    "On track: the latest measurement meets the target.",
    "Off track: the due date has passed without the target being met.",
    "At risk: there are measurements on only one day, so there is no trend yet.",
    "At risk: a straight line through the last 6 measurements reaches the target by the due date, or the latest \
     value is within 10% of the gap between the first measurement and the target.",
    "Off track: in every other case. A forecast alone never makes an unmet objective on track.",
];

/// What an objective aims for, as far as the rule needs it.
#[derive(Debug, Clone, Copy)]
pub struct Goal<'a> {
    pub target: f64,
    pub direction: Direction,
    pub unit: &'a str,
    pub due_on: UnixTime,
    pub interval_days: i64,
    pub created_at: UnixTime,
}

/// One (not withdrawn) measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub on: UnixTime,
    pub value: f64,
}

/// The derived status of an open objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    OnTrack,
    AtRisk,
    OffTrack,
    NotMeasuredRecently,
    NotMeasuredYet,
}

impl Progress {
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::OnTrack => "on_track",
            Progress::AtRisk => "at_risk",
            Progress::OffTrack => "off_track",
            Progress::NotMeasuredRecently => "not_measured_recently",
            Progress::NotMeasuredYet => "not_measured_yet",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Progress::OnTrack => "On track",
            Progress::AtRisk => "At risk",
            Progress::OffTrack => "Off track",
            Progress::NotMeasuredRecently => "Not measured recently",
            Progress::NotMeasuredYet => "Not measured yet",
        }
    }
}

/// The outcome of the rule: the status, the figures behind it, and why, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub progress: Progress,
    pub latest: Option<Reading>,
    /// The trend's value on the due date, when there is a trend.
    pub projected: Option<f64>,
    pub reason: String,
}

/// The least-squares line through `readings` (x in days), as (slope per day, value at the mean day, mean
/// day); `None` without two different days.
pub fn trend(readings: &[Reading]) -> Option<(f64, f64, f64)> {
    let n = readings.len() as f64;
    let days: Vec<f64> = readings.iter().map(|r| (r.on as f64) / 86_400.0).collect();
    let mean_x = days.iter().sum::<f64>() / n;
    let mean_y = readings.iter().map(|r| r.value).sum::<f64>() / n;
    let spread: f64 = days.iter().map(|x| (x - mean_x).powi(2)).sum();
    if readings.len() < 2 || spread < 1e-9 {
        return None;
    }
    let covariance: f64 = days.iter().zip(readings).map(|(x, r)| (x - mean_x) * (r.value - mean_y)).sum();
    Some((covariance / spread, mean_y, mean_x))
}

/// The value the trend of the last [`TREND_READINGS`] readings reaches on day `at`.
pub fn projection(readings: &[Reading], at: UnixTime) -> Option<f64> {
    let recent = &readings[readings.len().saturating_sub(TREND_READINGS)..];
    trend(recent).map(|(slope, mean_y, mean_x)| mean_y + slope * ((at as f64) / 86_400.0 - mean_x))
}

/// Applies the rule to `readings` (not withdrawn, oldest first) at time `now`. Only the first reading and the
/// last [`TREND_READINGS`] matter, so callers may pass just those.
pub fn assess(goal: &Goal<'_>, readings: &[Reading], now: UnixTime) -> Assessment {
    let shown = |v: f64| format!("{} {}", format_value(v), goal.unit).trim_end().to_string();
    let target = format!("{} {}", goal.direction.label(), shown(goal.target));
    let stale_after = (STALE_AFTER_INTERVALS * goal.interval_days as f64 * 86_400.0) as i64;
    let done = |progress, latest, projected, reason: String| Assessment { progress, latest, projected, reason };
    let Some(&latest) = readings.last() else {
        let since = format!("Nothing has been measured since the objective was set on {}", date_text(goal.created_at));
        return if now - goal.created_at > stale_after {
            let reason = format!("{since}; it is to be evaluated every {} days.", goal.interval_days);
            done(Progress::NotMeasuredRecently, None, None, reason)
        } else {
            done(Progress::NotMeasuredYet, None, None, format!("{since}."))
        };
    };
    let last = format!("The latest measurement, {} on {},", shown(latest.value), date_text(latest.on));
    if now - latest.on > stale_after {
        let reason = format!(
            "{last} is more than {} days old; the objective is to be evaluated every {} days.",
            stale_after / 86_400,
            goal.interval_days
        );
        return done(Progress::NotMeasuredRecently, Some(latest), None, reason);
    }
    if goal.direction.meets(latest.value, goal.target) {
        return done(Progress::OnTrack, Some(latest), None, format!("{last} meets the target ({target})."));
    }
    let due = date_text(goal.due_on);
    if day_of(now) > day_of(goal.due_on) {
        let reason = format!("{last} does not meet the target ({target}) and the due date {due} has passed.");
        return done(Progress::OffTrack, Some(latest), None, reason);
    }
    let Some(projected) = projection(readings, goal.due_on) else {
        let reason = format!("{last} does not meet the target ({target}) yet; measurements on one day give no trend.");
        return done(Progress::AtRisk, Some(latest), None, reason);
    };
    let crosses = goal.direction == Direction::Exactly
        && (latest.value - goal.target).signum() != (projected - goal.target).signum();
    if goal.direction.meets(projected, goal.target) || crosses {
        let reason = format!(
            "{last} does not meet the target ({target}) yet, but the recent trend reaches {} by the due date {due}.",
            shown(projected)
        );
        return done(Progress::AtRisk, Some(latest), Some(projected), reason);
    }
    let first = readings[0].value;
    let gap = match (goal.target - first).abs() {
        gap if gap > 0.0 => gap,
        _ => goal.target.abs(),
    };
    let short = goal.direction.shortfall(latest.value, goal.target);
    if short <= TOLERANCE * gap {
        let reason = format!(
            "{last} is {} short of the target ({target}), within 10% of the gap from the first measurement ({}).",
            shown(short),
            shown(first)
        );
        return done(Progress::AtRisk, Some(latest), Some(projected), reason);
    }
    let reason = format!(
        "{last} does not meet the target ({target}) and the recent trend reaches only {} by the due date {due}.",
        shown(projected)
    );
    done(Progress::OffTrack, Some(latest), Some(projected), reason)
}

#[cfg(test)]
mod tests;
