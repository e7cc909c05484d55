//! The status rule, pinned with a fixed clock.

use super::*;

const DAY: i64 = 86_400;
/// 2026-01-01, the day the objectives below are set.
const START: UnixTime = 1_767_225_600;

/// Training completion: at least 95 % by day 180, evaluated monthly.
fn training() -> Goal<'static> {
    Goal {
        target: 95.0,
        direction: Direction::AtLeast,
        unit: "%",
        due_on: START + 180 * DAY,
        interval_days: 30,
        created_at: START,
    }
}

fn readings(points: &[(i64, f64)]) -> Vec<Reading> {
    points.iter().map(|&(day, value)| Reading { on: START + day * DAY, value }).collect()
}

#[test]
fn without_measurements_an_objective_is_waiting_then_silent() {
    let goal = training();
    assert_eq!(assess(&goal, &[], START + 45 * DAY).progress, Progress::NotMeasuredYet);
    let silent = assess(&goal, &[], START + 46 * DAY);
    assert_eq!(silent.progress, Progress::NotMeasuredRecently);
    assert!(silent.reason.contains("since the objective was set on 2026-01-01"), "{}", silent.reason);
}

#[test]
fn a_measurement_older_than_one_and_a_half_intervals_is_not_recent() {
    let goal = training();
    let history = readings(&[(0, 96.0)]);
    assert_eq!(assess(&goal, &history, START + 45 * DAY).progress, Progress::OnTrack);
    let late = assess(&goal, &history, START + 45 * DAY + 1);
    assert_eq!(late.progress, Progress::NotMeasuredRecently);
    assert!(late.reason.contains("more than 45 days old"), "{}", late.reason);
}

#[test]
fn meeting_the_target_is_on_track() {
    let found = assess(&training(), &readings(&[(0, 60.0), (30, 95.0)]), START + 31 * DAY);
    assert_eq!(found.progress, Progress::OnTrack);
    assert_eq!(found.reason, "The latest measurement, 95 % on 2026-01-31, meets the target (at least 95 %).");
}

#[test]
fn a_missed_due_date_is_off_track_even_when_close() {
    let history = readings(&[(150, 94.0), (180, 94.9)]);
    assert_eq!(assess(&training(), &history, START + 180 * DAY + 3_600).progress, Progress::AtRisk);
    let missed = assess(&training(), &history, START + 181 * DAY);
    assert_eq!(missed.progress, Progress::OffTrack);
    assert!(missed.reason.contains("due date 2026-06-30 has passed"), "{}", missed.reason);
}

#[test]
fn one_measurement_day_gives_no_trend() {
    let found = assess(&training(), &readings(&[(10, 40.0), (10, 41.0)]), START + 11 * DAY);
    assert_eq!(found.progress, Progress::AtRisk);
    assert_eq!(found.projected, None);
}

#[test]
fn a_trend_that_reaches_the_target_in_time_is_at_risk_not_on_track() {
    // 60 → 70 → 80 over two months: +10 a month reaches 120 by day 180.
    let found = assess(&training(), &readings(&[(0, 60.0), (30, 70.0), (60, 80.0)]), START + 61 * DAY);
    assert_eq!(found.progress, Progress::AtRisk);
    assert!((found.projected.unwrap() - 120.0).abs() < 1e-9);
    assert!(found.reason.contains("reaches 120 % by the due date 2026-06-30"), "{}", found.reason);
}

#[test]
fn a_trend_that_falls_short_is_off_track_unless_the_value_is_close() {
    let flat = assess(&training(), &readings(&[(0, 60.0), (30, 61.0), (60, 61.0)]), START + 61 * DAY);
    assert_eq!(flat.progress, Progress::OffTrack);
    assert!(flat.reason.contains("reaches only"), "{}", flat.reason);
    // 92 is 3 short of 95, within 10 % of the 35-point gap from the first measurement (60),
    // with the last six measurements slowly slipping, so the trend does not reach it.
    let slipping = [(0, 60.0), (10, 93.0), (20, 92.8), (30, 92.6), (40, 92.4), (50, 92.2), (60, 92.0)];
    let close = assess(&training(), &readings(&slipping), START + 61 * DAY);
    assert_eq!(close.progress, Progress::AtRisk);
    assert!(close.reason.contains("3 % short"), "{}", close.reason);
}

#[test]
fn only_the_last_six_measurements_make_the_trend() {
    // An early surge, then six flat months: the flat tail decides.
    let mut points = vec![(0, 10.0), (5, 80.0)];
    points.extend((1..=6).map(|m| (10 + m * 5, 80.0)));
    let found = assess(&training(), &readings(&points), START + 41 * DAY);
    assert!((found.projected.unwrap() - 80.0).abs() < 1e-9);
    assert_eq!(found.progress, Progress::OffTrack);
}

#[test]
fn at_most_targets_improve_downwards() {
    let goal = Goal { target: 14.0, direction: Direction::AtMost, unit: "days", ..training() };
    let falling = assess(&goal, &readings(&[(0, 40.0), (30, 33.0), (60, 26.0)]), START + 61 * DAY);
    assert_eq!(falling.progress, Progress::AtRisk, "{}", falling.reason);
    let rising = assess(&goal, &readings(&[(0, 40.0), (30, 42.0), (60, 45.0)]), START + 61 * DAY);
    assert_eq!(rising.progress, Progress::OffTrack);
    assert_eq!(assess(&goal, &readings(&[(60, 14.0)]), START + 61 * DAY).progress, Progress::OnTrack);
}

#[test]
fn exact_targets_count_a_trend_that_passes_through_them() {
    let goal = Goal { target: 12.0, direction: Direction::Exactly, unit: "sites", ..training() };
    let approaching = assess(&goal, &readings(&[(0, 2.0), (60, 6.0)]), START + 61 * DAY);
    assert_eq!(approaching.progress, Progress::AtRisk);
    let exact = assess(&goal, &readings(&[(0, 2.0), (60, 12.0)]), START + 61 * DAY);
    assert_eq!(exact.progress, Progress::OnTrack);
}

#[test]
fn a_zero_target_measures_its_tolerance_from_the_target_itself() {
    // "No critical findings open": the first measurement already met it, so the gap is zero and only
    // meeting the target again is good enough.
    let goal = Goal { target: 0.0, direction: Direction::AtMost, unit: "findings", ..training() };
    let found = assess(&goal, &readings(&[(0, 0.0), (30, 0.0), (60, 1.0)]), START + 61 * DAY);
    assert_eq!(found.progress, Progress::OffTrack);
}

#[test]
fn the_projection_is_the_least_squares_line() {
    let points = readings(&[(0, 10.0), (10, 20.0), (20, 30.0)]);
    assert!((projection(&points, START + 40 * DAY).unwrap() - 50.0).abs() < 1e-9);
    assert_eq!(projection(&points[..1], START), None);
}

#[test]
fn the_first_and_the_last_six_readings_decide_alone() {
    let points: Vec<(i64, f64)> = (0..20).map(|m| (m * 9, 40.0 + (m as f64) * 1.5 + (m % 3) as f64)).collect();
    let all = readings(&points);
    let mut few = vec![all[0]];
    few.extend_from_slice(&all[all.len() - TREND_READINGS..]);
    let now = START + 175 * DAY;
    assert_eq!(assess(&training(), &all, now), assess(&training(), &few, now));
}
