//! Who may see and measure which objective: employees see organisational objectives and their own personal ones;
//! only the owner, the ISMS manager and administrators record measurements.

use crate::harness::TestApp;
use crate::objectives::{acme, create, measure, snapshot};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let reply = app.api(Method::GET, path, Some(token), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text());
    reply.json()
}

async fn only_owners_and_managers_record_measurements(app: &TestApp) {
    let acme = acme(app).await;
    let id = create(app, &acme.admin, json!({"owner_id": acme.employee.0})).await;
    let before = snapshot(app, acme.org).await;
    let refused = measure(app, &acme.cfo_token, id, 50.0, "2026-11-20").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "top management, not the owner: {}", refused.text());
    assert!(refused.json()["error"]["message"].as_str().unwrap().contains("owner (Employee person)"));
    assert_eq!(measure(app, &acme.auditor_token, id, 50.0, "2026-11-20").await.status, StatusCode::FORBIDDEN);
    assert_eq!(before, snapshot(app, acme.org).await);
    for token in [&acme.employee_token, &acme.ciso, &acme.admin] {
        assert_eq!(measure(app, token, id, 50.0, "2026-11-20").await.status, StatusCode::CREATED);
    }
    let edit = json!({"statement": "x"});
    let path = format!("/api/v1/objectives/{id}");
    assert_eq!(
        app.api(Method::PATCH, &path, Some(&acme.employee_token), Some(edit)).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn personal_objectives_are_visible_to_their_person(app: &TestApp) {
    let acme = acme(app).await;
    let org_wide = create(app, &acme.admin, json!({})).await;
    let (employee, statement) = (acme.employee.0, "Lead two phishing drills");
    let own = json!({"kind": "personal", "person_id": employee, "owner_id": employee, "statement": statement});
    let own = create(app, &acme.ceo_token, own).await;
    let ceo = json!({"kind": "personal", "person_id": acme.ceo.0, "statement": "Chair four ISMS steering meetings"});
    let ceo = create(app, &acme.ceo_token, ceo).await;
    let listed = get(app, &acme.employee_token, "/api/v1/objectives").await;
    let ids: Vec<i64> = listed["items"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect();
    assert_eq!((ids.len(), listed["total"].as_i64()), (2, Some(2)), "{listed}");
    assert!(ids.contains(&org_wide) && ids.contains(&own) && !ids.contains(&ceo));
    for path in [format!("/api/v1/objectives/{ceo}"), format!("/api/v1/objectives/{ceo}/measurements")] {
        let reply = app.api(Method::GET, &path, Some(&acme.employee_token), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(measure(app, &acme.employee_token, own, 1.0, "2026-11-20").await.status, StatusCode::CREATED);
    let everyone = get(app, &acme.auditor_token, "/api/v1/objectives?kind=personal").await;
    assert_eq!(everyone["total"], 2);
    let ceos = get(app, &acme.cfo_token, &format!("/api/v1/objectives?person_id={}", acme.ceo.0)).await;
    assert_eq!(ceos["items"][0]["person_name"], "Top management person");
    // The pages: the employee's personal section lists their own objective only.
    let browser = app.browser();
    browser.sign_in("employee@acme.test").await;
    let page = browser.get("/objectives/personal").await.text();
    assert!(page.contains("Yours") && page.contains("Lead two phishing drills"), "{page}");
    assert!(!page.contains("Chair four ISMS steering meetings"));
    assert_eq!(browser.get(&format!("/objectives/{ceo}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(browser.get(&format!("/objectives/{ceo}/chart.svg")).await.status, StatusCode::NOT_FOUND);
    let manager = app.browser();
    manager.sign_in("ceo@acme.test").await;
    let page = manager.get("/objectives/personal").await.text();
    assert!(page.contains("Chair four ISMS steering meetings") && page.contains("Employee person"), "{page}");
}

on_both_databases!(only_owners_and_managers_record_measurements, personal_objectives_are_visible_to_their_person);
