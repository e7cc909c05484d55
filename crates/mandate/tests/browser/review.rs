//! A management review run in the browser on the demo organisation by the ISMS manager — planned, opened, every
//! required input discussed, the CEO present, completed and closed — then found by the CEO on the leadership page as
//! evidence that the ISMS is reviewed at planned intervals.

use crate::journey::{Journey, PASSWORD};
use fantoccini::Locator;

/// The ids of the notes fields of the required inputs that have no notes yet.
const UNCOVERED: &str = r#"
return Array.from(document.querySelectorAll('section'))
  .filter(function (s) { var h = s.querySelector('h2'); return h && h.innerText.includes('not covered'); })
  .map(function (s) { return s.querySelector('textarea[name=notes]').id; });
"#;

#[tokio::test]
async fn a_review_is_run_to_its_close_and_shows_on_the_leadership_page() {
    let Some(mut j) = Journey::start_demo("review").await else { return };
    let title = "Management review, journey";
    let ceo = "Martin Okafor";
    j.sign_in_as("ciso@demo.example", PASSWORD).await;
    j.visit("/reviews").await;
    j.fill(&[("Title", title), ("Chair", ceo)]).await;
    j.press("Plan the review").await;
    j.expect_notice("The review is planned.").await;
    j.press("Open the review and compile its inputs").await;
    j.expect_notice("The review is open and its inputs are compiled from live data.").await;

    let uncovered: Vec<String> = serde_json::from_value(j.client.execute(UNCOVERED, vec![]).await.unwrap()).unwrap();
    assert_eq!(uncovered.len(), 10, "every 9.3.2 input needs notes: {uncovered:?}");
    for id in uncovered {
        let notes = j.client.find(Locator::Id(&id)).await.unwrap();
        notes.send_keys(&format!("Discussed with the board ({id}); **no objection**.")).await.unwrap();
        j.press_within(&format!("form:has(#{id})"), "Save the notes").await;
        j.expect_notice("The notes are saved.").await;
    }
    j.expect_no_text("not covered").await;
    j.fill(&[(ceo, "present")]).await;
    j.press("Save the attendance").await;
    j.expect_notice("The attendance is saved.").await;
    j.press("Complete the review").await;
    j.expect_notice("The review is complete. Close it to lock it and sign the ledger.").await;
    j.press("Close and lock the review").await;
    j.expect_notice("The review is closed and locked; a ledger checkpoint was signed with it.").await;
    let size = j.text("body").await;
    let size = size.split("signed at size ").nth(1).and_then(|s| s.split_whitespace().next()).map(str::to_string);
    let size = size.expect("the closed review shows its ledger checkpoint");

    let review = j.url().await;
    let review = review.split('?').next().unwrap().to_string();
    j.visit(&format!("{review}/minutes")).await;
    j.expect_text(&format!("Minutes of the management review: {title}")).await;
    j.expect_text("Measurements recorded").await;
    j.expect_text(&format!("covers the first {size} events")).await;

    // The printable minutes stand alone, without the header to sign out from.
    j.visit(&review).await;
    j.sign_in_as("ceo@demo.example", PASSWORD).await;
    j.expect_text("Leadership Evidence Index").await;
    j.follow("The ISMS is reviewed at planned intervals").await;
    assert_eq!(j.url().await, "/leadership/duties/9.3");
    j.expect_text(title).await;
    j.visit("/leadership/findings").await;
    j.expect_heading("Façade findings").await;
    j.finish().await;
}
