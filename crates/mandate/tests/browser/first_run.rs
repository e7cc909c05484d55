//! First run: the setup link `mandate serve` prints creates the organisation and its administrator, who signs in
//! and adds a colleague through the People page.

use crate::journey::{Journey, PASSWORD};
use mandate::domain::role::Role;

#[tokio::test]
async fn the_setup_link_creates_the_organisation_and_the_administrator_signs_in() {
    let Some(mut j) = Journey::start_empty("first run").await else { return };
    let link = j.server.setup_link.clone().expect("an empty installation prints a setup link");
    j.visit(&link).await;
    j.expect_heading("Set up Mandate").await;
    j.fill(&[
        ("Organisation name", "Acme Corp"),
        ("Short name for URLs and commands", "acme"),
        ("Your name", "Ada Admin"),
        ("Your e-mail address", "admin@acme.test"),
        ("Password", PASSWORD),
    ])
    .await;
    j.press("Create organisation").await;
    j.expect_notice("Your organisation is ready").await;

    j.sign_in(Role::Admin).await;
    j.expect_text("admin@acme.test · Acme Corp · Administrator").await;
    j.expect_text("1 active member").await;

    j.visit(&link).await;
    j.expect_text("This setup link is not valid").await;

    j.visit("/").await;
    j.follow("People").await;
    j.fill(&[
        ("Name", "Emil Employee"),
        ("E-mail address", "employee@acme.test"),
        ("Role", "Employee"),
        ("Initial password", PASSWORD),
    ])
    .await;
    j.press("Add").await;
    j.expect_notice("The person was added.").await;
    j.expect_text("employee@acme.test").await;

    j.sign_in(Role::Employee).await;
    j.expect_text("employee@acme.test · Acme Corp · Employee").await;
    j.finish().await;
}
