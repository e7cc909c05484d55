//! Browser journeys: headless Chromium (Debian's `chromium` and `chromium-driver`) driven over WebDriver against a
//! real `mandate serve` on loopback. Each journey checks what a person sees — headings, notices, the status shown —
//! and runs axe-core on every page it opens. They run when `MANDATE_TEST_BROWSER=1` (and `MANDATE_TEST_AXE_JS` names
//! axe-core, see `fetch-axe`); otherwise each says it was not run and passes.
//!
//! Adding a journey: a function in a module listed below, in this shape —
//!
//! ```ignore
//! #[tokio::test]
//! async fn a_manager_records_something() {
//!     let Some(mut j) = Journey::start("record something").await else { return };
//!     j.sign_in(Role::IsmsManager).await;          // people: journey::person(role)
//!     j.visit("/things").await;                    // or j.follow("Things")
//!     j.fill(&[("Title", "Quarterly review"), ("Kind", "Review")]).await;   // by label; selects by option text
//!     j.press("Record").await;                     // waits for the next page and checks it with axe-core
//!     j.expect_notice("recorded in the ledger").await;
//!     j.expect_text("Quarterly review").await;
//!     j.finish().await;                            // fails on serious or critical accessibility violations
//! }
//! ```

mod axe;
mod expect;
mod journey;
mod page;
mod process;

mod every_page;
mod evidence;
mod first_run;
mod meeting;
mod policy;
mod review;
mod roles;
mod sign_out;
