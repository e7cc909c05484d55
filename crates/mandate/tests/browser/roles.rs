//! Each role signs in and sees its own navigation and home page.

use crate::journey::{Journey, person};
use mandate::domain::role::Role;

/// The main navigation each role is given, in order.
fn expected_nav(role: Role) -> Vec<&'static str> {
    let oversees = role != Role::Employee;
    let mut nav = if oversees { vec!["Leadership"] } else { vec![] };
    nav.extend(["Home", "Policies", "Objectives", "Communication", "Training"]);
    if oversees {
        nav.extend(["Reviews", "Meetings"]);
    }
    nav.push("Actions");
    if role == Role::Admin {
        nav.extend(["People", "API tokens"]);
    }
    nav.push("Roles");
    if oversees {
        nav.extend(["Phishing", "Involvement", "Resources", "Evidence", "Ledger"]);
    }
    nav
}

#[tokio::test]
async fn each_role_sees_its_own_navigation_and_home() {
    let Some(mut j) = Journey::start("each role's home").await else { return };
    for role in Role::ALL {
        j.sign_in(role).await;
        let (_, email) = person(role);
        j.expect_text(&format!("{email} · Acme Corp · {}", role.label())).await;
        assert_eq!(j.nav_links().await, expected_nav(role), "navigation of {role}");
        // Top management's home is the leadership page; everyone else's says what their role does.
        match role {
            Role::TopManagement => j.expect_text("Leadership Evidence Index").await,
            _ => j.expect_text("What your role does here").await,
        }
    }
    // The last one signed in is the employee, whose role does not reach the ledger.
    j.visit("/ledger").await;
    j.expect_heading("Forbidden").await;
    j.finish().await;
}
