//! Signing out ends the session: going back or reloading shows the sign-in page, not the member's pages.

use crate::journey::Journey;
use mandate::domain::role::Role;

#[tokio::test]
async fn after_signing_out_back_and_reload_show_the_sign_in_page() {
    let Some(mut j) = Journey::start("sign out").await else { return };
    j.sign_in(Role::IsmsManager).await;
    j.follow("Policies").await;
    j.expect_heading("Policies").await;
    j.sign_out().await;
    j.expect_heading("Sign in").await;

    j.back().await;
    j.expect_heading("Sign in").await;
    j.expect_no_text("isms_manager@acme.test").await;
    j.reload().await;
    j.expect_heading("Sign in").await;
    j.visit("/policies").await;
    j.expect_heading("Sign in").await;
    j.finish().await;
}
