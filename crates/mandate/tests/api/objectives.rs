//! Objectives and measurements through the JSON API: set, measure, withdraw, close, who sees what, and bad
//! input refused with nothing changed.

use crate::harness::{Reply, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::db;
use mandate::domain::ids::{OrgId, UserId};
use mandate::domain::role::Role;
use serde_json::{Value, json};

/// An organisation with one person per role and their tokens.
pub struct Acme {
    pub org: OrgId,
    pub admin: String,
    pub ciso: String,
    pub ceo: UserId,
    pub ceo_token: String,
    pub cfo_token: String,
    pub employee: UserId,
    pub employee_token: String,
    pub auditor: UserId,
    pub auditor_token: String,
}

pub async fn acme(app: &TestApp) -> Acme {
    let org = app.org("acme").await;
    let admin = mandate::accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap().user_id;
    let ciso = app.member(org, "acme", Role::IsmsManager).await;
    let ceo = app.member_as(org, "ceo@acme.test", Role::TopManagement).await;
    let cfo = app.member_as(org, "cfo@acme.test", Role::TopManagement).await;
    let employee = app.member(org, "acme", Role::Employee).await;
    let auditor = app.member(org, "acme", Role::Auditor).await;
    Acme {
        org,
        admin: app.token(org, admin).await,
        ciso: app.token(org, ciso).await,
        ceo,
        ceo_token: app.token(org, ceo).await,
        cfo_token: app.token(org, cfo).await,
        employee,
        employee_token: app.token(org, employee).await,
        auditor,
        auditor_token: app.token(org, auditor).await,
    }
}

/// A well-formed objective; `extra` overrides or adds fields.
pub fn objective(extra: Value) -> Value {
    let mut body = json!({
        "statement": "Staff who completed the security awareness course",
        "target_value": 95,
        "unit": "%",
        "direction": "at_least",
        "due_on": "2027-06-30",
        "resources": "LMS licences; two hours per person",
        "evaluation_method": "Completion export from the LMS, checked by the CISO",
        "frequency": "monthly",
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

pub async fn create(app: &TestApp, token: &str, extra: Value) -> i64 {
    let reply = app.api(Method::POST, "/api/v1/objectives", Some(token), Some(objective(extra))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["id"].as_i64().unwrap()
}

pub async fn measure(app: &TestApp, token: &str, id: i64, value: f64, on: &str) -> Reply {
    let body = json!({"value": value, "measured_on": on, "note": "from the LMS export"});
    app.api(Method::POST, &format!("/api/v1/objectives/{id}/measurements"), Some(token), Some(body)).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let reply = app.api(Method::GET, path, Some(token), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text());
    reply.json()
}

/// Everything a refused request must leave as it was: rows and the ledger.
pub async fn snapshot(app: &TestApp, org: OrgId) -> String {
    let mut c = app.db.read().await.unwrap();
    let filter = db::objective::Filter::default();
    let (rows, _) = db::objective::list(&mut c.conn(), org, &filter, Default::default(), 1000, 0).await.unwrap();
    let mut out = String::new();
    for row in rows {
        out += &format!("{} {} {} {} {}\n", row.id, row.statement, row.status, row.target_value, row.updated_at);
        for m in db::measurement::for_objective(&mut c.conn(), org, row.id).await.unwrap() {
            out += &format!("  {} {} {} {:?}\n", m.id, m.value, m.measured_on, m.withdrawn_at);
        }
    }
    let head = db::ledger::head(&mut c.conn(), org).await.unwrap().map(|h| h.size);
    out + &format!("ledger {head:?}")
}

async fn objectives_are_set_measured_and_ledgered(app: &TestApp) {
    let acme = acme(app).await;
    let policy = json!({"title": "Information security policy", "body": "# Policy"});
    let policy = app.api(Method::POST, "/api/v1/policies", Some(&acme.admin), Some(policy)).await.json()["id"].clone();
    let id = create(app, &acme.admin, json!({"owner_id": acme.ceo.0, "policy_id": policy})).await;
    let shown = get(app, &acme.employee_token, &format!("/api/v1/objectives/{id}")).await;
    assert_eq!(shown["owner_name"], "Top management person");
    assert_eq!((shown["status"].as_str(), &shown["policy_id"]), (Some("open"), &policy));
    assert_eq!(shown["progress"]["status"], "not_measured_yet");
    let browser = app.browser();
    browser.sign_in("employee@acme.test").await;
    let page = browser.get(&format!("/objectives/{id}")).await.text();
    assert!(page.contains(&format!("<a href=\"/policies/{policy}\">Information security policy</a>")), "{page}");
    assert_eq!((shown["due_on"].as_str(), shown["frequency_days"].as_i64()), (Some("2027-06-30"), Some(30)));
    // A baseline from before the objective was set, then monthly figures.
    assert_eq!(measure(app, &acme.ceo_token, id, 60.0, "2026-10-31").await.status, StatusCode::CREATED);
    app.clock.advance(30 * 86_400);
    measure(app, &acme.ceo_token, id, 72.0, "2026-12-22").await;
    let progress = get(app, &acme.ceo_token, &format!("/api/v1/objectives/{id}")).await["progress"].clone();
    assert_eq!(progress["status"], "at_risk", "{progress}");
    assert!(progress["projected_value"].as_f64().unwrap() > 95.0, "{progress}");
    let list = get(app, &acme.auditor_token, "/api/v1/objectives?status=open&sort=owner").await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["progress"]["latest_value"], 72.0);
    // Silence past 1.5 evaluation intervals shows.
    app.clock.advance(46 * 86_400);
    let silent = get(app, &acme.ceo_token, &format!("/api/v1/objectives/{id}")).await;
    assert_eq!(silent["progress"]["status"], "not_measured_recently");
    let events = db::ledger::events_after(&mut app.db.read().await.unwrap().conn(), acme.org, 0, 1000).await.unwrap();
    let kinds: Vec<_> = events.iter().map(|e| (e.object_type.as_str(), e.action.as_str())).collect();
    assert_eq!(kinds.iter().filter(|k| **k == ("objective", "create")).count(), 1);
    assert_eq!(kinds.iter().filter(|k| **k == ("measurement", "create")).count(), 2);
    let measured = events.iter().find(|e| e.object_type == "measurement").unwrap();
    assert_eq!(measured.actor, "ceo@acme.test");
}

async fn bad_objective_input_is_refused_and_changes_nothing(app: &TestApp) {
    let acme = acme(app).await;
    let id = create(app, &acme.admin, json!({})).await;
    let before = snapshot(app, acme.org).await;
    let cases = [
        (json!({"statement": "  "}), "statement is required"),
        (json!({"direction": "more"}), "unknown variant"),
        (json!({"due_on": "30/06/2027"}), "YYYY-MM-DD"),
        (json!({"due_on": "2026-01-01"}), "must not be before 2026-11-23"),
        (json!({"frequency": "weekly"}), "half_yearly"),
        (json!({"frequency": "days"}), "in days"),
        (json!({"frequency": "days", "frequency_days": 0}), "between 1 and 730"),
        (json!({"kind": "personal"}), "needs the person"),
        (json!({"person_id": acme.ceo.0}), "only personal objectives"),
        (json!({"owner_id": acme.auditor.0}), "auditor"),
        (json!({"owner_id": 999_999}), "not an active member"),
        (json!({"kind": "personal", "person_id": 999_999}), "not an active member"),
        (json!({"target_value": 2e13}), "between -1e12 and 1e12"),
        (json!({"target_value": "lots"}), "invalid type"),
        (json!({"unit": "x".repeat(41)}), "longer than 40"),
        (json!({"resources": ""}), "resources are needed is required"),
        (json!({"policy_id": 999_999}), "there is no policy 999999"),
        (json!({"colour": "red"}), "unknown field"),
    ];
    for (extra, needle) in cases {
        let reply = app.api(Method::POST, "/api/v1/objectives", Some(&acme.ciso), Some(objective(extra.clone()))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{extra}: {}", reply.text());
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains(needle), "{extra}: {}", reply.text());
        let path = format!("/api/v1/objectives/{id}");
        let reply = app.api(Method::PATCH, &path, Some(&acme.ciso), Some(extra.clone())).await;
        assert!(reply.status.is_client_error(), "PATCH {extra}: {}", reply.text());
    }
    let patch = json!({"status_note": "no status"});
    let reply = app.api(Method::PATCH, &format!("/api/v1/objectives/{id}"), Some(&acme.ciso), Some(patch)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app.api(Method::GET, "/api/v1/objectives?sort=colour", Some(&acme.ciso), None).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(before, snapshot(app, acme.org).await, "refused requests changed something");
}

async fn closing_out_of_order_is_a_conflict(app: &TestApp) {
    let acme = acme(app).await;
    let id = create(app, &acme.ciso, json!({"owner_id": acme.ceo.0})).await;
    let path = format!("/api/v1/objectives/{id}");
    let status = |s: &str, note: &str| json!({"status": s, "status_note": note});
    let achieve = app.api(Method::PATCH, &path, Some(&acme.ceo_token), Some(status("achieved", ""))).await;
    assert_eq!(achieve.status, StatusCode::CONFLICT, "nothing measured yet: {}", achieve.text());
    measure(app, &acme.ceo_token, id, 80.0, "2026-11-20").await;
    let achieve = app.api(Method::PATCH, &path, Some(&acme.ceo_token), Some(status("achieved", ""))).await;
    assert_eq!(achieve.status, StatusCode::CONFLICT, "80 does not meet 95");
    assert!(achieve.json()["error"]["message"].as_str().unwrap().contains("does not meet the target"));
    measure(app, &acme.ceo_token, id, 96.0, "2026-11-23").await;
    let achieve = app.api(Method::PATCH, &path, Some(&acme.ceo_token), Some(status("achieved", "well done"))).await;
    assert_eq!(achieve.status, StatusCode::OK, "{}", achieve.text());
    assert_eq!((achieve.json()["status"].as_str(), achieve.json()["progress"].is_null()), (Some("achieved"), true));
    let before = snapshot(app, acme.org).await;
    for body in [status("achieved", ""), status("abandoned", "too late"), json!({"statement": "Changed"})] {
        let reply = app.api(Method::PATCH, &path, Some(&acme.ciso), Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{body}: {}", reply.text());
    }
    assert_eq!(measure(app, &acme.ceo_token, id, 97.0, "2026-11-23").await.status, StatusCode::CONFLICT);
    assert_eq!(before, snapshot(app, acme.org).await);
    // Reopen and correct in one request, then abandon with a reason.
    let reopen = json!({"status": "open", "statement": "Staff trained this year"});
    let reply = app.api(Method::PATCH, &path, Some(&acme.ciso), Some(reopen)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["statement"], "Staff trained this year");
    let silent = app.api(Method::PATCH, &path, Some(&acme.ciso), Some(status("abandoned", " "))).await;
    assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app.api(Method::PATCH, &path, Some(&acme.ciso), Some(status("abandoned", "merged into 7"))).await;
    assert_eq!(reply.json()["status_note"], "merged into 7");
    let events = db::ledger::events_after(&mut app.db.read().await.unwrap().conn(), acme.org, 0, 1000).await.unwrap();
    let actions: Vec<_> = events.iter().filter(|e| e.object_type == "objective").map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "achieve", "reopen", "update", "abandon"]);
}

async fn measurements_are_validated(app: &TestApp) {
    let acme = acme(app).await;
    let id = create(app, &acme.ciso, json!({})).await;
    let before = snapshot(app, acme.org).await;
    for (value, on, needle) in [
        (50.0, "2026-11-24", "future"),
        (50.0, "2025-11-21", "earliest date accepted is 2025-11-22"),
        (50.0, "yesterday", "YYYY-MM-DD"),
        (2e12, "2026-11-20", "between -1e12 and 1e12"),
    ] {
        let reply = measure(app, &acme.ciso, id, value, on).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{on}: {}", reply.text());
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains(needle), "{}", reply.text());
    }
    let path = format!("/api/v1/objectives/{id}/measurements");
    let no_value = app.api(Method::POST, &path, Some(&acme.ciso), Some(json!({"measured_on": "2026-11-20"}))).await;
    assert_eq!(no_value.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = json!({"value": 1, "measured_on": "2026-11-20"});
    let missing = app.api(Method::POST, "/api/v1/objectives/999999/measurements", Some(&acme.ciso), Some(body)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(before, snapshot(app, acme.org).await);
    assert_eq!(measure(app, &acme.ciso, id, 50.0, "2025-11-22").await.status, StatusCode::CREATED, "a year back");
    assert_eq!(measure(app, &acme.ciso, id, 51.0, "2026-11-23").await.status, StatusCode::CREATED, "today");
}

async fn withdrawn_measurements_stay_in_history(app: &TestApp) {
    let acme = acme(app).await;
    let id = create(app, &acme.ciso, json!({"owner_id": acme.ceo.0})).await;
    measure(app, &acme.ceo_token, id, 70.0, "2026-10-01").await;
    let wrong = measure(app, &acme.ceo_token, id, 18.0, "2026-11-01").await.json()["id"].as_i64().unwrap();
    let withdraw = format!("/api/v1/objectives/{id}/measurements/{wrong}/withdraw");
    let empty = app.api(Method::POST, &withdraw, Some(&acme.ceo_token), Some(json!({"reason": ""}))).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reason = json!({"reason": "typed 18 for 81"});
    let reply = app.api(Method::POST, &withdraw, Some(&acme.ceo_token), Some(reason.clone())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["withdrawn"], true);
    let again = app.api(Method::POST, &withdraw, Some(&acme.ciso), Some(reason.clone())).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    measure(app, &acme.ceo_token, id, 81.0, "2026-11-01").await;
    let history = get(app, &acme.auditor_token, &format!("/api/v1/objectives/{id}/measurements")).await;
    assert_eq!(history["total"], 3, "the withdrawn measurement is kept: {history}");
    let withdrawn = history["items"].as_array().unwrap().iter().find(|m| m["id"] == wrong).unwrap();
    assert_eq!(
        (withdrawn["withdraw_reason"].as_str(), withdrawn["value"].as_f64()),
        (Some("typed 18 for 81"), Some(18.0))
    );
    assert_eq!(withdrawn["withdrawn_by_name"], "Top management person");
    let shown = get(app, &acme.ciso, &format!("/api/v1/objectives/{id}")).await;
    assert_eq!(shown["progress"]["latest_value"], 81.0, "withdrawn values no longer count");
    let other = create(app, &acme.ciso, json!({})).await;
    let elsewhere = format!("/api/v1/objectives/{other}/measurements/{wrong}/withdraw");
    let reply = app.api(Method::POST, &elsewhere, Some(&acme.ciso), Some(reason)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "a measurement belongs to its own objective");
    let events = db::ledger::events_after(&mut app.db.read().await.unwrap().conn(), acme.org, 0, 1000).await.unwrap();
    let withdrawal = events.iter().find(|e| e.action == "withdraw").unwrap();
    assert_eq!((withdrawal.object_type.as_str(), withdrawal.object_id.clone()), ("measurement", wrong.to_string()));
}

on_both_databases!(
    objectives_are_set_measured_and_ledgered,
    bad_objective_input_is_refused_and_changes_nothing,
    closing_out_of_order_is_a_conflict,
    measurements_are_validated,
    withdrawn_measurements_stay_in_history,
);
