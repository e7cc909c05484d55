//! Top management's personal involvement: logged by a manager themselves or by the ISMS manager on their
//! behalf, only about top managers, linked to records that exist, ledgered, shown per manager over time.

use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::db;
use mandate::domain::role::Role;
use serde_json::json;

async fn managers_log_their_own_and_the_isms_manager_on_their_behalf(app: &TestApp) {
    let org = app.org("acme").await;
    let ceo = app.member(org, "acme", Role::TopManagement).await;
    let cfo = app.member_as(org, "cfo@acme.test", Role::TopManagement).await;
    let manager = app.member(org, "acme", Role::IsmsManager).await;
    let auditor = app.member(org, "acme", Role::Auditor).await;
    let (ceo_token, manager_token) = (app.token(org, ceo).await, app.token(org, manager).await);
    let before = size(app, org).await;
    let own = app
        .api(
            Method::POST,
            "/api/v1/involvement",
            Some(&ceo_token),
            Some(json!({"kind": "workplace_visit", "place": "Depot", "notes": "Loading bays"})),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.text());
    let own = own.json();
    assert_eq!(
        (own["manager_id"].clone(), own["own_record"].clone(), own["occurred_on"].clone()),
        (json!(ceo), json!(true), json!("2026-11-23"))
    );
    assert_eq!(size(app, org).await, before + 1);
    let behalf = app
        .api(
            Method::POST,
            "/api/v1/involvement",
            Some(&manager_token),
            Some(json!({"kind": "chaired_review", "manager_id": cfo, "occurred_on": "2026-10-01"})),
        )
        .await
        .json();
    assert_eq!((behalf["own_record"].clone(), behalf["recorded_by"].clone()), (json!(false), json!(manager)));
    // A top manager does not log for another one.
    let other = app
        .api(Method::POST, "/api/v1/involvement", Some(&ceo_token), Some(json!({"kind": "other", "manager_id": cfo})))
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    // Only top managers are subjects.
    let refused = app
        .api(
            Method::POST,
            "/api/v1/involvement",
            Some(&manager_token),
            Some(json!({"kind": "joined_audit", "manager_id": auditor})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("auditor@acme.test is not a member of top management"), "{}", refused.text());
    // Links must name a record that exists; later capabilities' record types work the same way.
    let missing = app
        .api(
            Method::POST,
            "/api/v1/involvement",
            Some(&ceo_token),
            Some(json!({"kind": "sponsored_campaign", "record_type": "phishing_simulation", "record_id": 999})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", missing.text());
    let unknown = app
        .api(
            Method::POST,
            "/api/v1/involvement",
            Some(&ceo_token),
            Some(json!({"kind": "other", "record_type": "yacht", "record_id": 1})),
        )
        .await;
    assert!(unknown.text().contains("unknown record type 'yacht'"));
    let sim = app
        .api(Method::POST, "/api/v1/phishing", Some(&manager_token), Some(crate::phishing::simulation(ceo)))
        .await
        .json();
    let linked = app
        .api(
            Method::POST,
            "/api/v1/involvement",
            Some(&ceo_token),
            Some(json!({"kind": "sponsored_campaign", "record_type": "phishing_simulation", "record_id": sim["id"]})),
        )
        .await;
    assert_eq!(linked.status, StatusCode::CREATED, "{}", linked.text());
    let future = app
        .api(
            Method::POST,
            "/api/v1/involvement",
            Some(&ceo_token),
            Some(json!({"kind": "other", "occurred_on": "2026-12-01"})),
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(size(app, org).await, before + 4, "refusals record nothing");

    let listed = app
        .api(Method::GET, &format!("/api/v1/involvement?manager_id={ceo}&year=2026"), Some(&manager_token), None)
        .await
        .json();
    assert_eq!(listed["total"], 2);
    let by_kind =
        app.api(Method::GET, "/api/v1/involvement?kind=chaired_review", Some(&manager_token), None).await.json();
    assert_eq!(by_kind["items"][0]["manager_id"], json!(cfo));
    // Another organisation sees none of it.
    let b = app.org("globex").await;
    let b_admin = mandate::accounts::member_by_email(&app.db, b, "admin@globex.test").await.unwrap().user_id;
    let b_token = app.token(b, b_admin).await;
    let id = own["id"].as_i64().unwrap();
    assert_eq!(
        app.api(Method::GET, &format!("/api/v1/involvement/{id}"), Some(&b_token), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.api(Method::GET, "/api/v1/involvement", Some(&b_token), None).await.json()["total"], 0);
    let b_refused = app
        .api(Method::POST, "/api/v1/involvement", Some(&b_token), Some(json!({"kind": "other", "manager_id": ceo})))
        .await;
    assert_eq!(b_refused.status, StatusCode::UNPROCESSABLE_ENTITY, "A's manager is not B's member");
}

async fn the_phone_form_and_the_timeline(app: &TestApp) {
    let org = app.org("acme").await;
    app.member(org, "acme", Role::TopManagement).await;
    app.member(org, "acme", Role::Employee).await;
    let browser = app.browser();
    browser.sign_in("top_management@acme.test").await;
    let form = browser.get("/involvement/new").await.text();
    assert!(form.contains("value=\"2026-11-23\"") && form.contains("name=\"viewport\""), "defaults to today");
    let manager = csrf_free_value(&form);
    let reply = browser
        .post(
            "/involvement",
            &[
                ("manager", &manager),
                ("kind", "workplace_visit"),
                ("occurred_on", "2026-11-23"),
                ("place", "Depot"),
                ("notes", "Night shift"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let page = browser.get(reply.location().unwrap()).await.text();
    assert!(page.contains("Night shift") && page.contains("own record"), "{page}");
    let list = browser.get("/involvement").await.text();
    assert!(list.contains("Nov 26") && list.contains("Workplace visit 1"), "{list}");
    let employee = app.browser();
    employee.sign_in("employee@acme.test").await;
    assert_eq!(employee.get("/involvement").await.status, StatusCode::FORBIDDEN);
}

/// The selected manager's id in the form.
fn csrf_free_value(form: &str) -> String {
    let at = form.find("<option value=\"").unwrap() + "<option value=\"".len();
    form[at..at + form[at..].find('"').unwrap()].to_string()
}

async fn size(app: &TestApp, org: mandate::domain::ids::OrgId) -> i64 {
    db::ledger::head(&mut app.db.read().await.unwrap().conn(), org).await.unwrap().map_or(0, |h| h.size)
}

on_both_databases!(managers_log_their_own_and_the_isms_manager_on_their_behalf, the_phone_form_and_the_timeline);
