use super::*;
use crate::domain::leadership::{Detector, explain};

const NOW: UnixTime = 1_795_392_000; // 2026-11-23

fn signal(kind: EvidenceKind, days_ago: i64, own: bool, count: i64, weight_milli: i64) -> Signal {
    Signal { kind, manager: Some(UserId(1)), own, day: NOW - days_ago * DAY, count, weight_milli }
}

#[test]
fn a_duty_without_any_record_is_missing_and_says_which_records_would_count() {
    let judged = judge(Duty::Communication, 90, &[], 0, NOW);
    assert_eq!((judged.verdict, judged.score), (Verdict::Missing, 0));
    let words = explain::duty(&judged, &[]);
    assert!(words.contains("communications sent by top management"), "{words}");
    assert!(words.contains("would raise it to 29"), "{words}");
}

#[test]
fn records_older_than_the_window_leave_the_duty_stale() {
    let judged = judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, 91, true, 1, 1000)], 0, NOW);
    assert_eq!((judged.verdict, judged.score), (Verdict::Stale, 0));
    assert!(explain::duty(&judged, &[]).contains("older than the 90-day window"));
    let fresh = judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, 89, true, 1, 1000)], 0, NOW);
    assert_eq!(fresh.verdict, Verdict::Evidenced);
}

#[test]
fn records_dated_after_the_moment_judged_do_not_count() {
    let judged = judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, -5, true, 1, 1000)], 0, NOW);
    assert_eq!(judged.verdict, Verdict::Missing);
}

#[test]
fn a_finding_contradicts_and_halves_the_score() {
    let signals = [signal(EvidenceKind::ResourceApproved, 10, true, 2, 2000)];
    let clean = judge(Duty::Resources, 365, &signals, 0, NOW);
    let contradicted = judge(Duty::Resources, 365, &signals, 1, NOW);
    assert_eq!(clean.verdict, Verdict::Evidenced);
    assert_eq!(contradicted.verdict, Verdict::Contradicted);
    assert_eq!(contradicted.evidence_score, clean.score);
    assert_eq!(contradicted.score, (f64::from(clean.score) / 2.0).round() as u8);
    let words = explain::duty(&contradicted, &[Detector::ResourcesUnderspent]);
    assert!(words.contains("Resources approved but not spent"), "{words}");
}

#[test]
fn a_duty_with_only_old_records_is_stale_even_with_findings_against_it() {
    let signals = [signal(EvidenceKind::ReviewClosed, 400, true, 1, 1000)];
    let judged = judge(Duty::ManagementReview, 213, &signals, 2, NOW);
    assert_eq!((judged.verdict, judged.score), (Verdict::Stale, 0));
    let words = explain::duty(&judged, &[Detector::ReviewOverdue, Detector::ReviewMissingInputs]);
    assert!(words.contains("2 findings stand also against it (Management review overdue"), "{words}");
}

#[test]
fn repeated_records_add_less_and_less() {
    let one = judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, 1, true, 1, 1000)], 0, NOW);
    let two = judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, 1, true, 2, 2000)], 0, NOW);
    let ten = judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, 1, true, 10, 10_000)], 0, NOW);
    let twenty =
        judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, 1, true, 20, 20_000)], 0, NOW);
    assert_eq!((one.score, two.score), (29, 50));
    assert!(two.score - one.score > twenty.score - ten.score);
    assert!(twenty.score <= 100);
}

#[test]
fn a_record_made_on_a_managers_behalf_counts_half() {
    let own = judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, 1, true, 2, 2000)], 0, NOW);
    let behalf = judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, 1, false, 2, 2000)], 0, NOW);
    let own_one = judge(Duty::Communication, 90, &[signal(EvidenceKind::CommunicationSent, 1, true, 1, 1000)], 0, NOW);
    assert_eq!(behalf.score, own_one.score);
    assert!(own.score > behalf.score);
    assert!(explain::duty(&behalf, &[]).contains("2 on a manager's behalf"));
}

#[test]
fn weight_judged_by_what_followed_counts_not_the_number_of_records() {
    // Four budgets approved of which none was spent weigh as one fully spent budget.
    let unspent = judge(Duty::Resources, 365, &[signal(EvidenceKind::ResourceApproved, 5, true, 4, 1000)], 0, NOW);
    let spent = judge(Duty::Resources, 365, &[signal(EvidenceKind::ResourceApproved, 5, true, 1, 1000)], 0, NOW);
    assert_eq!(unspent.score, spent.score);
}

#[test]
fn the_most_telling_kind_weighs_most() {
    let approved = judge(Duty::Policy, 365, &[signal(EvidenceKind::PolicyApproved, 5, true, 1, 1000)], 0, NOW);
    let reviewed = judge(Duty::Policy, 365, &[signal(EvidenceKind::PolicyReviewed, 5, true, 1, 1000)], 0, NOW);
    assert!(approved.score > reviewed.score);
}

#[test]
fn mean_rounds_and_handles_nothing() {
    assert_eq!(mean([50, 51]), 51);
    assert_eq!(mean([]), 0);
}

#[test]
fn the_overall_and_manager_words_carry_the_figures() {
    let judged = judge(Duty::Communication, 90, &[], 0, NOW);
    let words = explain::overall(40, [8, 3, 2, 3], Some(&judged));
    assert!(words.starts_with("40 of 100: 8 of 16 duties evidenced, 3 stale, 2 missing, 3 contradicted."), "{words}");
    assert!(words.contains("ISO/IEC 27001 7.4"));
    let words = explain::manager("Dana", 30, std::slice::from_ref(&judged), 1, 3);
    assert!(words.contains("3 of 4 records were made on their behalf"), "{words}");
    assert!(words.contains("would raise management communicates to 29"), "{words}");
}
