//! The communication plan and communications sent: next due and overdue, reach checks, retiring, who may read
//! and write, organisations kept apart, ledger events; the pages and the demo's plan.

use crate::harness::{PASSWORD, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::domain::ids::OrgId;
use mandate::domain::role::Role;
use serde_json::json;

pub async fn ledger_size(app: &TestApp, org: OrgId) -> i64 {
    let mut c = app.db.read().await.unwrap();
    mandate::db::ledger::head(&mut c.conn(), org).await.unwrap().map_or(0, |h| h.size)
}

async fn plan_next_due_reach_and_retiring(app: &TestApp) {
    let org = app.org("acme").await;
    let ceo = app.member(org, "acme", Role::TopManagement).await;
    let employee = app.member(org, "acme", Role::Employee).await;
    let token = app.token(org, ceo).await;
    let body = json!({"subject": "Town hall: security update", "frequency": "quarterly", "first_due_on": "2026-11-01",
        "audience": {"everyone": true}, "channel": "town_hall"});
    let reply = app.api(Method::POST, "/api/v1/communication/plan", Some(&token), Some(body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let entry = reply.json();
    let id = entry["id"].as_i64().unwrap();
    assert_eq!(entry["communicator_id"], ceo.0);
    assert_eq!(entry["next_due_on"], "2026-11-01");
    assert_eq!(entry["overdue"], true, "the first date has passed and nothing was sent");

    // A read count larger than the audience (3 members) is refused, and nothing changes.
    let before = ledger_size(app, org).await;
    let bad = json!({"plan_entry_id": id, "sent_on": "2026-11-20", "read_count": 4});
    let reply = app.api(Method::POST, "/api/v1/communications", Some(&token), Some(bad)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
    assert!(reply.text().contains("larger than the audience"), "{}", reply.text());
    let future = json!({"plan_entry_id": id, "sent_on": "2026-12-20"});
    let reply = app.api(Method::POST, "/api/v1/communications", Some(&token), Some(future)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let both = json!({"plan_entry_id": id, "sent_on": "2026-11-20", "audience_size": 9});
    let reply = app.api(Method::POST, "/api/v1/communications", Some(&token), Some(both)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "a member audience is counted, not typed");
    assert_eq!(ledger_size(app, org).await, before);

    let good = json!({"plan_entry_id": id, "sent_on": "2026-11-20", "read_count": 2, "acknowledged_count": 1});
    let reply = app.api(Method::POST, "/api/v1/communications", Some(&token), Some(good)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let sent = reply.json();
    assert_eq!(sent["audience_size"], 3);
    assert_eq!(sent["audience_counted"], true);
    assert_eq!(sent["channel"], "town_hall", "taken from the plan entry");
    assert_eq!(sent["communicator_id"], ceo.0);
    assert_eq!(ledger_size(app, org).await, before + 1);
    let external = json!({"sent_on": "2026-11-21", "channel": "email", "subject": "Carrier security notice",
        "external_audience": "Carriers", "audience_size": 40, "read_count": 31});
    let reply = app.api(Method::POST, "/api/v1/communications", Some(&token), Some(external)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["audience_counted"], false);

    let entry = app.api(Method::GET, &format!("/api/v1/communication/plan/{id}"), Some(&token), None).await.json();
    assert_eq!(entry["last_sent_on"], "2026-11-20");
    assert_eq!(entry["next_due_on"], "2027-02-20");
    assert_eq!(entry["overdue"], false);
    assert!((entry["read_rate"].as_f64().unwrap() - 66.67).abs() < 0.1, "{entry}");
    app.clock.advance(100 * 86_400);
    let entry = app.api(Method::GET, &format!("/api/v1/communication/plan/{id}"), Some(&token), None).await.json();
    assert_eq!(entry["overdue"], true);
    let list = app.api(Method::GET, "/api/v1/communications", Some(&token), None).await.json();
    assert_eq!(list["total"], 2);

    // Employees read the plan but do not write it.
    let employee_token = app.token(org, employee).await;
    let reply = app.api(Method::GET, "/api/v1/communication/plan", Some(&employee_token), None).await;
    assert_eq!(reply.json()["total"], 1);
    let reply =
        app.api(Method::POST, &format!("/api/v1/communication/plan/{id}/retire"), Some(&employee_token), None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // Another organisation sees none of it and cannot record against it.
    let other = app.org("globex").await;
    let admin = mandate::accounts::member_by_email(&app.db, other, "admin@globex.test").await.unwrap().user_id;
    let other_token = app.token(other, admin).await;
    let reply = app.api(Method::GET, &format!("/api/v1/communication/plan/{id}"), Some(&other_token), None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let aimed = json!({"plan_entry_id": id, "sent_on": "2027-01-01"});
    let reply = app.api(Method::POST, "/api/v1/communications", Some(&other_token), Some(aimed)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(app.api(Method::GET, "/api/v1/communications", Some(&other_token), None).await.json()["total"], 0);

    let reply = app.api(Method::POST, &format!("/api/v1/communication/plan/{id}/retire"), Some(&token), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(reply.json()["next_due_on"].is_null());
    let reply = app.api(Method::POST, &format!("/api/v1/communication/plan/{id}/retire"), Some(&token), None).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let late = json!({"plan_entry_id": id, "sent_on": "2027-02-01"});
    assert_eq!(
        app.api(Method::POST, "/api/v1/communications", Some(&token), Some(late)).await.status,
        StatusCode::CONFLICT
    );
}

async fn the_pages_plan_and_record(app: &TestApp) {
    let org = app.org("acme").await;
    app.member(org, "acme", Role::IsmsManager).await;
    app.member(org, "acme", Role::Employee).await;
    let browser = app.browser();
    browser.sign_in("isms_manager@acme.test").await;
    let form = [
        ("subject", "Security newsletter"),
        ("frequency", "monthly"),
        ("first_due_on", "2026-11-01"),
        ("everyone", "on"),
        ("channel", "newsletter"),
    ];
    let reply = browser.post("/communication/plan", &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.location().unwrap().to_string();
    let id = location.trim_start_matches("/communication/plan/").split('?').next().unwrap().to_string();
    let page = browser.get(&location).await;
    assert!(page.text().contains("overdue"), "due since 1 November and never sent");
    let record = browser.get(&format!("/communication/record?plan={id}")).await;
    assert_eq!(record.status, StatusCode::OK);
    let reply =
        browser.post("/communication/record", &[("plan", &id), ("sent_on", "2026-11-22"), ("read_count", "9")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "9 readers of 3 people");
    assert!(reply.text().contains("larger than the audience"));
    let reply =
        browser.post("/communication/record", &[("plan", &id), ("sent_on", "2026-11-22"), ("read_count", "2")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let page = browser.get("/communication").await.text();
    assert!(page.contains("2026-12-22"), "next due a month after it was sent");
    assert!(page.contains("67 %"));

    let employee = app.browser();
    employee.sign_in("employee@acme.test").await;
    assert_eq!(employee.get("/communication").await.status, StatusCode::OK);
    assert_eq!(employee.get("/communication/record").await.status, StatusCode::FORBIDDEN);
}

async fn the_demo_plan_has_one_entry_behind(app: &TestApp) {
    let demo = mandate::demo::build(&app.ctx(), "Northwind Logistics", "demo", 1, PASSWORD).await.unwrap();
    let token = app.token(demo.org, demo.auditor).await;
    let plan = app.api(Method::GET, "/api/v1/communication/plan", Some(&token), None).await.json();
    let items = plan["items"].as_array().unwrap();
    assert_eq!(items.len(), 8);
    let overdue: Vec<&str> =
        items.iter().filter(|e| e["overdue"] == true).map(|e| e["subject"].as_str().unwrap()).collect();
    assert_eq!(overdue, vec!["Reminder: how to report an incident"]);
    let sent = app.api(Method::GET, "/api/v1/communications?limit=500", Some(&token), None).await.json();
    let sent = sent["items"].as_array().unwrap();
    let by = |name: &str| sent.iter().filter(|s| s["communicator_name"] == name).count();
    assert!(by("Martin Okafor") > by("Sofia Lindqvist"), "the CEO communicates more than the CFO");
    let with_reach = sent.iter().filter(|s| s["read_count"].as_i64().is_some_and(|n| n > 0)).count();
    assert!(with_reach * 2 > sent.len(), "most demo communications have a known reach: {with_reach} of {}", sent.len());
    let training = app.api(Method::GET, "/api/v1/training", Some(&token), None).await.json();
    let rates: Vec<f64> =
        training["items"].as_array().unwrap().iter().map(|t| t["completion_rate"].as_f64().unwrap()).collect();
    assert_eq!(rates.len(), 4);
    assert!(rates.iter().all(|r| (50.0..=98.0).contains(r)), "{rates:?}");
    let overdue: i64 = training["items"].as_array().unwrap().iter().map(|t| t["overdue"].as_i64().unwrap()).sum();
    assert!(overdue > 0);
}

on_both_databases!(plan_next_due_reach_and_retiring, the_pages_plan_and_record, the_demo_plan_has_one_entry_behind);
