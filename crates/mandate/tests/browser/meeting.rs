//! A management meeting recorded in the browser by a top manager, with a decision and an action for an employee,
//! who finds the action in My tasks and closes it.

use crate::journey::{Journey, person};
use mandate::domain::role::Role;

#[tokio::test]
async fn a_meeting_with_a_decision_and_an_action_is_recorded_and_the_action_closed() {
    let Some(mut j) = Journey::start("meeting").await else { return };
    let (director, _) = person(Role::TopManagement);
    // Employees are not in the owner list (it offers managers); they are named by their address.
    let (_, employee) = person(Role::Employee);
    j.sign_in(Role::TopManagement).await;
    j.follow("Meetings").await;
    j.visit("/meetings/new").await;
    j.fill(&[
        ("Title", "Management team, November"),
        ("Kind", "Management team"),
        ("Held on", "2026-11-20"),
        ("Chair", director),
        (director, "present"),
        ("Item 1 title", "Phishing results"),
        ("Item 1 topics", "awareness"),
        ("Item 1 clauses", "7.3"),
        ("Minutes", "Click rate fell to **7 %**; a second campaign is agreed."),
    ])
    .await;
    j.press("Record the meeting").await;
    j.expect_notice("The meeting is recorded.").await;
    j.expect_text("Click rate fell to 7 %").await;

    j.fill(&[("Decision", "Run a second phishing campaign in Q1"), ("Decided by", director), ("Topic", "awareness")])
        .await;
    j.press("Add the decision").await;
    j.expect_notice("The decision is recorded.").await;
    j.fill(&[
        ("Action", "Book the Q1 phishing campaign"),
        ("or the owner's e-mail", &employee),
        ("Due on", "2026-12-15"),
        ("From decision", "1: Run a second phishing campaign in Q1"),
    ])
    .await;
    j.press("Add the action").await;
    j.expect_notice("The action is recorded and appears in its owner's tasks.").await;
    j.expect_text("Book the Q1 phishing campaign").await;

    j.sign_in(Role::Employee).await;
    let task = "Book the Q1 phishing campaign (from “Management team, November”)";
    j.expect_text(task).await;
    j.follow(task).await;
    j.expect_text("Status\nopen").await;
    j.fill(&[("What was done", "Booked with the awareness vendor")]).await;
    j.press("Done").await;
    j.expect_text("Status\ndone").await;
    j.expect_text("Booked with the awareness vendor").await;
    j.follow("Home").await;
    j.expect_no_text(task).await;
    j.finish().await;
}
