//! The approve and appoint forms offer recent meeting decisions: choosing one links the record to it, another
//! organisation's decision is refused with a message and nothing changed, and the pages link both ways.

use crate::decision_links::{decision, ledger_size, policy_in_review, requested};
use crate::harness::TestApp;
use crate::meetings::people;
use crate::on_both_databases;
use axum::http::StatusCode;

async fn the_forms_link_records_to_a_meeting_decision(app: &TestApp) {
    let p = people(app, "acme").await;
    let other = people(app, "beta").await;
    let d = decision(app, &p, "Management team, November", "Fund the SIEM and name a CISO").await.to_string();
    let foreign = decision(app, &other, "Beta board", "Beta's own decision").await.to_string();
    let commitment = requested(app, &p).await;
    let policy = policy_in_review(app, &p).await;
    let ceo = app.browser();
    ceo.sign_in("top_management@acme.test").await;
    let manager = app.browser();
    manager.sign_in("isms_manager@acme.test").await;

    // Resources: the approve form offers the decision; a foreign one is refused with nothing changed.
    let page = format!("/resources/{commitment}");
    let shown = ceo.get(&page).await.text();
    assert!(shown.contains("name=\"decision_id\"") && shown.contains(&format!("<option value=\"{d}\">")), "{shown}");
    assert!(shown.contains("Management team, November · Fund the SIEM"), "date · meeting · text: {shown}");
    assert!(!shown.contains("Beta&#x27;s own decision") && !shown.contains("Beta's own decision"));
    let before = ledger_size(app, p.org).await;
    let approve = format!("{page}/approve");
    let refused = ceo.post(&approve, &[("decision_id", &foreign), ("decision_ref", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("there is no decision"), "{}", refused.text());
    let refused = ceo.post(&approve, &[("decision_id", "soon"), ("decision_ref", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("not a decision number"), "{}", refused.text());
    assert_eq!(ledger_size(app, p.org).await, before, "nothing changed");
    let approved = ceo.post(&approve, &[("decision_id", &d), ("decision_ref", "")]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text());
    let shown = ceo.get(&page).await.text();
    assert!(
        shown.contains(&format!("Approved by <a href=\"/decisions/{d}\">decision of Management team, November</a>"))
    );

    // Appointments: the form offers the decision; the appointment's page links back.
    let ciso = crate::roles::role(app, &p.manager_token, "CISO").await.to_string();
    let form = |decision: &str| {
        vec![
            ("role_id", ciso.clone()),
            ("email", "employee@acme.test".to_string()),
            ("appointed_by", p.ceo.to_string()),
            ("decision_id", decision.to_string()),
        ]
    };
    let list = manager.get("/appointments").await.text();
    assert!(list.contains(&format!("<option value=\"{d}\">")), "{list}");
    let fields = form(&foreign);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let before = ledger_size(app, p.org).await;
    let refused = manager.post("/appointments", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("there is no decision"), "{}", refused.text());
    assert_eq!(ledger_size(app, p.org).await, before, "nothing changed");
    let fields = form(&d);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made = manager.post("/appointments", &fields).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    let shown = manager.get(made.location().unwrap()).await.text();
    assert!(shown.contains(&format!("Appointed by <a href=\"/decisions/{d}\">decision of Management team")), "{shown}");

    // Policy versions: the approve step offers the decision; the version links back.
    let version = format!("/policies/{policy}/versions/1");
    let shown = ceo.get(&version).await.text();
    assert!(shown.contains(&format!("<option value=\"{d}\">")), "{shown}");
    let sha = shown.split("name=\"content_sha256\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let steps = format!("{version}/steps");
    let step = |decision: &str| {
        vec![("step", "approve".to_string()), ("content_sha256", sha.clone()), ("decision_id", decision.to_string())]
    };
    let fields = step(&foreign);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let before = ledger_size(app, p.org).await;
    let refused = ceo.post(&steps, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("there is no decision"), "{}", refused.text());
    assert_eq!(ledger_size(app, p.org).await, before, "nothing changed");
    let fields = step(&d);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let approved = ceo.post(&steps, &fields).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text());
    let shown = ceo.get(&version).await.text();
    assert!(shown.contains(&format!("Approved by <a href=\"/decisions/{d}\">decision of Management team")), "{shown}");

    // The decision's page lists all three, linked.
    let shown = manager.get(&format!("/decisions/{d}")).await.text();
    assert!(shown.contains(&format!("Resources approved: <a href=\"/resources/{commitment}\">")), "{shown}");
    assert!(shown.contains("Appointment: <a href=\"/appointments/"), "{shown}");
    assert!(shown.contains(&format!("Policy version approved: <a href=\"/policies/{policy}/versions/1\">")), "{shown}");
}

on_both_databases!(the_forms_link_records_to_a_meeting_decision);
