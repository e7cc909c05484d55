use super::*;

const DAY: i64 = 86_400;

#[test]
fn kinds_topics_and_presence_parse_and_name_the_accepted_values() {
    assert_eq!(MeetingKind::parse("isms_committee").unwrap(), MeetingKind::IsmsCommittee);
    let refused = MeetingKind::parse("management_review").unwrap_err().0;
    assert!(refused.contains("management_team, isms_committee, board, other"), "{refused}");
    assert_eq!(Presence::parse(" excused ").unwrap(), Presence::Excused);
    assert_eq!(Topic::ALL.len(), 14);
    assert!(Topic::parse("weather").is_err());
}

#[test]
fn topics_need_one_and_repeat_once() {
    let names = ["incidents".to_string(), "risks".into(), "incidents".into(), " ".into()];
    assert_eq!(check_topics(&names, "the item").unwrap(), vec![Topic::Incidents, Topic::Risks]);
    assert!(check_topics(&[], "the item").unwrap_err().0.contains("at least one ISMS topic"));
}

#[test]
fn clauses_are_those_the_standards_have() {
    for ok in ["5.1", "6.1.2", "9.3", "10.2", "8.4", "A.5.24", "A.8.34", "a.6.3"] {
        assert!(check_clause(ok).is_ok(), "{ok}");
    }
    assert_eq!(check_clause("a.6.3").unwrap(), "A.6.3");
    for bad in ["5.4", "11", "9.3.4", "A.5.38", "A.9.1", "A.5", "abc", "", "5.1.1"] {
        assert!(check_clause(bad).is_err(), "{bad}");
    }
    let clauses = check_clauses(&["9.3".into(), "5.1".into(), "9.3".into()]).unwrap();
    assert_eq!(clauses, vec!["9.3", "5.1"]);
}

#[test]
fn lists_are_stored_with_delimiters_at_both_ends() {
    assert_eq!(join_list(&["incidents", "risks"]), ",incidents,risks,");
    assert_eq!(join_list::<&str>(&[]), "");
    assert_eq!(split_list(",incidents,risks,"), vec!["incidents", "risks"]);
    assert!(split_list("").is_empty());
}

#[test]
fn only_the_owner_the_isms_manager_or_an_administrator_closes() {
    let (owner, other) = (UserId(1), UserId(2));
    assert!(may_close(Role::Employee, owner, owner));
    assert!(may_close(Role::TopManagement, owner, owner));
    assert!(!may_close(Role::TopManagement, other, owner));
    assert!(!may_close(Role::Employee, other, owner));
    assert!(may_close(Role::IsmsManager, other, owner));
    assert!(may_close(Role::Admin, other, owner));
    assert!(may_read_action(Role::Auditor, other, owner));
    assert!(!may_read_action(Role::Employee, other, owner));
}

#[test]
fn closing_needs_an_open_action_and_a_reason_to_cancel() {
    assert!(check_close(ActionStatus::Open, None).is_ok());
    assert!(check_close(ActionStatus::Open, Some("no longer needed")).is_ok());
    assert!(matches!(check_close(ActionStatus::Open, Some("  ")), Err(CloseRefusal::Invalid(_))));
    assert!(matches!(check_close(ActionStatus::Done, None), Err(CloseRefusal::State(_))));
    assert!(matches!(check_close(ActionStatus::Cancelled, Some("x")), Err(CloseRefusal::State(_))));
}

#[test]
fn an_action_is_overdue_only_once_its_due_day_has_passed() {
    let due = 100 * DAY;
    assert!(!is_overdue(ActionStatus::Open, due, due + DAY - 1));
    assert!(is_overdue(ActionStatus::Open, due, due + DAY));
    assert!(!is_overdue(ActionStatus::Done, due, due + 10 * DAY));
}

#[test]
fn follow_through_counts_what_is_known_and_says_so() {
    let f = FollowThrough::default();
    assert_eq!(f.summary(), "no actions");
    assert_eq!(f.percent(), None);
    let pending = FollowThrough { pending: 1, ..Default::default() };
    assert_eq!(pending.summary(), "1 not yet due");
    let f = FollowThrough { on_time: 2, late: 1, overdue: 1, pending: 1, cancelled: 1 };
    assert_eq!((f.total(), f.counted()), (6, 4));
    assert_eq!(f.percent(), Some(50));
    assert_eq!(f.summary(), "50 % on time (2 of 4), 1 not yet due");
    let cancelled = FollowThrough { cancelled: 2, ..Default::default() };
    assert_eq!(cancelled.summary(), "all actions cancelled");
    let nearly = FollowThrough { on_time: 199, late: 1, ..Default::default() };
    assert_eq!(nearly.percent(), Some(99));
}
