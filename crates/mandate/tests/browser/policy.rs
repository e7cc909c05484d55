//! A policy's life through the pages: drafted and sent for review by the ISMS manager, approved by top management
//! (the form carries the SHA-256 of the text shown), published with an acknowledgement campaign, and acknowledged
//! by an employee from My tasks while the count moves.

use crate::journey::Journey;
use mandate::domain::role::Role;

/// "3 of 5 people asked have acknowledged" → (3, 5).
async fn tally(j: &Journey) -> (u32, u32) {
    let text = j.text("section[aria-labelledby=ack-heading]").await;
    let line = text
        .lines()
        .find(|l| l.contains("people asked have acknowledged"))
        .unwrap_or_else(|| panic!("no tally in {text}"));
    let mut numbers = line.split_whitespace().filter_map(|w| w.parse().ok());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

#[tokio::test]
async fn a_policy_is_approved_published_and_acknowledged_from_my_tasks() {
    let Some(mut j) = Journey::start("policy").await else { return };
    j.sign_in(Role::IsmsManager).await;
    j.follow("Policies").await;
    j.fill(&[("Title", "Acceptable use"), ("Text of version 1", "Use company devices for company work.")]).await;
    j.press("Create draft").await;
    j.expect_notice("The draft is created").await;
    j.expect_text("Draft").await;
    let version = j.url().await.split('?').next().unwrap().to_string();
    j.press("Send for review").await;
    j.expect_notice("The version is sent for review.").await;
    j.expect_text("In review").await;

    j.sign_in(Role::TopManagement).await;
    j.visit(&version).await;
    let shown = j.text("dl.facts code").await;
    j.fill(&[("Decision this approval rests on", "Board meeting 2026-11, item 2")]).await;
    j.press("Approve this text").await;
    j.expect_notice("Approved: the approval pins the SHA-256 of the text shown.").await;
    j.expect_text("by Theo Director").await;
    j.expect_text(&format!("Approved text SHA-256\n{shown}")).await;
    j.expect_no_text("differs from the text").await;

    j.sign_in(Role::IsmsManager).await;
    j.visit(&version).await;
    j.fill(&[("Days everyone gets to acknowledge", "10")]).await;
    j.press("Publish and ask for acknowledgement").await;
    j.expect_notice("Published: everyone asked will find it in My tasks.").await;
    let (before, asked) = tally(&j).await;
    assert_eq!(before, 0, "nobody has acknowledged yet");

    j.sign_in(Role::Employee).await;
    let task = "Read and acknowledge “Acceptable use” (version 1)";
    j.expect_text(task).await;
    j.follow(task).await;
    j.expect_text("Use company devices for company work.").await;
    j.press("I have read and acknowledge version 1").await;
    j.expect_notice("Thank you: your acknowledgement of this version is recorded.").await;
    j.expect_text("You acknowledged this version on").await;
    j.follow("Home").await;
    j.expect_no_text(task).await;
    j.expect_text("Nothing is waiting for you.").await;

    j.sign_in(Role::IsmsManager).await;
    j.visit(&version).await;
    assert_eq!(tally(&j).await, (1, asked), "the employee's acknowledgement is counted");
    j.finish().await;
}
