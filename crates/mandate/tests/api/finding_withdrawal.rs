//! Withdrawing a dismissal, on both databases: the finding is current again and the ledger grows by one event
//! (the deletion of the dismissal, its state kept in the ledger); withdrawing what is not dismissed is 404 and changes nothing; auditors and
//! another organisation are refused; the page's dismissed list carries the form.

use crate::detector_cases::{findings, of, post};
use crate::harness::TestApp;
use crate::meetings::people;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::db;
use mandate::domain::ids::OrgId;
use mandate::domain::role::Role;
use serde_json::json;

const WITHDRAW: &str = "/api/v1/leadership/findings/dismissals/withdraw";

async fn size(app: &TestApp, org: OrgId) -> i64 {
    db::ledger::head(&mut app.db.read().await.unwrap().conn(), org).await.unwrap().map_or(0, |h| h.size)
}

async fn a_withdrawn_dismissal_brings_the_finding_back(app: &TestApp) {
    let p = people(app, "acme").await;
    let token = &p.manager_token;
    let auditor = app.member(p.org, "acme", Role::Auditor).await;
    let auditor = app.token(p.org, auditor).await;
    let key = json!({"detector": "supplier_risks_not_raised", "subject": "topic:suppliers:after:0"});
    let mut dismissal = key.clone();
    dismissal["reason"] = json!("No critical suppliers yet");
    post(app, token, "/api/v1/leadership/findings/dismissals", dismissal, StatusCode::CREATED).await;
    assert!(of(app, token, "supplier_risks_not_raised").await.is_empty());

    // Refused callers change nothing: auditors, another organisation, an unknown detector, bad JSON.
    let before = size(app, p.org).await;
    let reply = app.api(Method::POST, WITHDRAW, Some(&auditor), Some(key.clone())).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app.api(Method::POST, WITHDRAW, Some(&p.employee_token), Some(key.clone())).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let other = people(app, "globex").await;
    let reply = app.api(Method::POST, WITHDRAW, Some(&other.manager_token), Some(key.clone())).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text());
    let unknown = json!({"detector": "nonsense", "subject": "topic:suppliers:after:0"});
    assert_eq!(
        app.api(Method::POST, WITHDRAW, Some(token), Some(unknown)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let extra = json!({"detector": "supplier_risks_not_raised", "subject": "x", "reason": "no"});
    assert!(app.api(Method::POST, WITHDRAW, Some(token), Some(extra)).await.status.is_client_error());
    assert_eq!(size(app, p.org).await, before);

    // The CEO withdraws it: the finding is current again, one ledger event keeps the dismissal's reason.
    let reply = app.api(Method::POST, WITHDRAW, Some(&p.ceo_token), Some(key.clone())).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text());
    assert_eq!(size(app, p.org).await, before + 1);
    let list = findings(app, token).await;
    assert!(list["dismissed"].as_array().unwrap().is_empty(), "{list}");
    assert_eq!(of(app, token, "supplier_risks_not_raised").await.len(), 1);
    let mut c = app.db.read().await.unwrap();
    let events = db::ledger::events_after(&mut c.conn(), p.org, before, 10).await.unwrap();
    drop(c);
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].action.as_str(), events[0].object_type.as_str()), ("delete", "finding_dismissal"));

    // Nothing dismissed any more: 404, nothing changes; it can be dismissed again.
    let reply = app.api(Method::POST, WITHDRAW, Some(token), Some(key.clone())).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(size(app, p.org).await, before + 1);
    let mut again = key.clone();
    again["reason"] = json!("Still no critical suppliers");
    post(app, token, "/api/v1/leadership/findings/dismissals", again, StatusCode::CREATED).await;
}

async fn the_page_withdraws_a_dismissal(app: &TestApp) {
    let p = people(app, "acme").await;
    let dismissal = json!({"detector": "incidents_not_discussed", "subject": "topic:incidents:after:0",
        "reason": "No incidents yet"});
    post(app, &p.manager_token, "/api/v1/leadership/findings/dismissals", dismissal, StatusCode::CREATED).await;
    let page = app.browser();
    page.sign_in("isms_manager@acme.test").await;
    let html = page.get("/leadership/findings").await.text();
    assert!(html.contains("action=\"/leadership/findings/undismiss\"") && html.contains("Withdraw dismissal"));
    let before = size(app, p.org).await;
    let form = [("detector", "incidents_not_discussed"), ("subject", "topic:incidents:after:0")];
    let reply = page.post("/leadership/findings/undismiss", &form).await;
    assert_eq!(reply.location(), Some("/leadership/findings?done=undismissed"));
    assert_eq!(size(app, p.org).await, before + 1);
    let html = page.get("/leadership/findings?done=undismissed").await.text();
    assert!(html.contains("Dismissal withdrawn") && html.contains("No finding is dismissed."), "{html}");
    // Again: nothing to withdraw, the page says so.
    let reply = page.post("/leadership/findings/undismiss", &form).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.text().contains("not dismissed"));
    // Auditors read the page without the form, and the route refuses them.
    app.member(p.org, "acme", Role::Auditor).await;
    let reader = app.browser();
    reader.sign_in("auditor@acme.test").await;
    assert!(!reader.get("/leadership/findings").await.text().contains("Withdraw dismissal"));
    assert_eq!(reader.post("/leadership/findings/undismiss", &form).await.status, StatusCode::FORBIDDEN);
}

on_both_databases!(a_withdrawn_dismissal_brings_the_finding_back, the_page_withdraws_a_dismissal);
