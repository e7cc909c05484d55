//! The objective rules: directions, frequencies, closing, checks and who may see or measure.

use super::*;

#[test]
fn directions_decide_what_meets_the_target() {
    assert!(Direction::AtLeast.meets(95.0, 95.0) && !Direction::AtLeast.meets(94.9, 95.0));
    assert!(Direction::AtMost.meets(3.0, 14.0) && !Direction::AtMost.meets(15.0, 14.0));
    assert!(Direction::Exactly.meets(0.1 + 0.2, 0.3) && !Direction::Exactly.meets(11.0, 12.0));
    assert_eq!(Direction::AtLeast.shortfall(90.0, 95.0), 5.0);
    assert_eq!(Direction::AtMost.shortfall(20.0, 14.0), 6.0);
    assert!(Direction::parse("more").unwrap_err().0.contains("at_least"));
}

#[test]
fn frequencies_have_an_interval_in_days() {
    assert_eq!(Frequency::parse("quarterly", None).unwrap().days(), 91);
    assert_eq!(Frequency::parse("days", Some(14)).unwrap(), Frequency::Days(14));
    assert!(Frequency::parse("days", None).is_err());
    assert!(Frequency::parse("days", Some(0)).is_err());
    assert!(Frequency::parse("weekly", None).unwrap_err().0.contains("half_yearly"));
    assert_eq!(Frequency::Days(14).label(), "every 14 days");
}

#[test]
fn closing_follows_the_order_of_things() {
    use Status::*;
    assert_eq!(check_status_change(Open, Achieved, true, ""), Ok(()));
    assert!(matches!(check_status_change(Open, Achieved, false, ""), Err(Refusal::State(_))));
    assert!(matches!(check_status_change(Open, Abandoned, false, " "), Err(Refusal::Invalid(_))));
    assert_eq!(check_status_change(Open, Abandoned, false, "merged into objective 4"), Ok(()));
    assert!(matches!(check_status_change(Achieved, Achieved, true, ""), Err(Refusal::State(_))));
    assert!(matches!(check_status_change(Achieved, Abandoned, true, "x"), Err(Refusal::State(_))));
    assert!(matches!(check_status_change(Abandoned, Achieved, true, ""), Err(Refusal::State(_))));
    assert_eq!(check_status_change(Abandoned, Open, false, ""), Ok(()));
}

#[test]
fn texts_values_and_dates_are_checked() {
    assert!(check_text("  ", "the statement", 10, true).is_err());
    assert_eq!(check_text("", "the note", 10, false).unwrap(), "");
    assert!(check_text("eleven char", "the unit", 10, false).is_err());
    assert!(check_text("a\u{7}b", "the unit", 10, false).is_err());
    assert!(check_value(f64::NAN, "the target").is_err() && check_value(2e12, "the target").is_err());
    assert_eq!(parse_date("2026-11-23", "due").unwrap(), 1_795_392_000);
    assert!(parse_date("23.11.2026", "due").unwrap_err().0.contains("YYYY-MM-DD"));
    assert_eq!(day_of(1_795_392_000 + 3_600), 1_795_392_000);
    assert_eq!(date_text(1_795_392_000), "2026-11-23");
}

#[test]
fn values_read_naturally() {
    assert_eq!(format_value(95.0), "95");
    assert_eq!(format_value(87.25), "87.25");
    assert_eq!(format_value(1.0 / 3.0), "0.333");
    assert_eq!(format_value(-0.0001), "0");
}

#[test]
fn employees_see_organisational_and_their_own_personal_objectives() {
    let employee = Acting { user: UserId(7), role: Role::Employee };
    assert!(may_see(employee, Kind::Organisational, None));
    assert!(may_see(employee, Kind::Personal, Some(UserId(7))));
    assert!(!may_see(employee, Kind::Personal, Some(UserId(8))));
    assert!(may_see(Acting { user: UserId(1), role: Role::Auditor }, Kind::Personal, Some(UserId(8))));
    assert!(may_measure(employee, UserId(7)) && !may_measure(employee, UserId(8)));
    assert!(!may_measure(Acting { user: UserId(2), role: Role::TopManagement }, UserId(8)));
    assert!(may_measure(Acting { user: UserId(3), role: Role::IsmsManager }, UserId(8)));
    assert!(!may_own(Role::Auditor) && may_own(Role::Employee));
}
