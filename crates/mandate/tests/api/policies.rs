//! Policies: the version life cycle, approval by top management only, acknowledgement campaigns whose
//! per-version history survives new versions, reviews, exceptions, and the same facts in pages and API.

use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::db;
use mandate::domain::ids::OrgId;
use mandate::domain::role::Role;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const TEXT: &str = "# Information security policy\n\nNorthwind protects the information entrusted to it.";

struct Team {
    org: OrgId,
    manager: String,
    ceo: String,
    employee: String,
    admin: String,
}

async fn team(app: &TestApp) -> Team {
    let org = app.org("acme").await;
    let admin = mandate::accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap().user_id;
    let manager = app.member(org, "acme", Role::IsmsManager).await;
    let ceo = app.member(org, "acme", Role::TopManagement).await;
    let employee = app.member(org, "acme", Role::Employee).await;
    Team {
        org,
        manager: app.token(org, manager).await,
        ceo: app.token(org, ceo).await,
        employee: app.token(org, employee).await,
        admin: app.token(org, admin).await,
    }
}

async fn call(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let reply = app.api(method, path, Some(token), body).await;
    let json = serde_json::from_str(&reply.text()).unwrap_or(Value::Null);
    (reply.status, json)
}

/// Creates a policy and takes its first version to published; returns the policy id.
async fn published_policy(app: &TestApp, t: &Team) -> i64 {
    let (status, policy) = call(
        app,
        Method::POST,
        "/api/v1/policies",
        &t.manager,
        Some(json!({"title": "Information security", "body": TEXT})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{policy}");
    let id = policy["id"].as_i64().unwrap();
    let steps = format!("/api/v1/policies/{id}/versions/1/steps");
    assert_eq!(call(app, Method::POST, &steps, &t.manager, Some(json!({"step": "submit"}))).await.0, StatusCode::OK);
    let (status, approved) = call(
        app,
        Method::POST,
        &steps,
        &t.ceo,
        Some(json!({"step": "approve", "decision_ref": "Board 2026-11 item 3"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(call(app, Method::POST, &steps, &t.manager, Some(json!({"step": "publish"}))).await.0, StatusCode::OK);
    id
}

async fn ledger_size(app: &TestApp, org: OrgId) -> i64 {
    let mut c = app.db.read().await.unwrap();
    db::ledger::head(&mut c.conn(), org).await.unwrap().map_or(0, |h| h.size)
}

async fn a_policy_is_approved_published_and_acknowledged(app: &TestApp) {
    let t = team(app).await;
    let id = published_policy(app, &t).await;
    let (_, version) = call(app, Method::GET, &format!("/api/v1/policies/{id}/versions/1"), &t.manager, None).await;
    let sha = hex::encode(Sha256::digest(TEXT.as_bytes()));
    assert_eq!(version["status"], "published");
    assert_eq!(version["approved_sha256"], sha.as_str(), "approval pins the hash of the exact text");
    assert_eq!(version["approved_by"], "Top management person");
    assert_eq!(version["approval_decision"], "Board 2026-11 item 3");
    assert_eq!(version["acknowledgements_requested"], 4, "everyone active was asked: {version}");

    let (_, tasks) = call(app, Method::GET, "/api/v1/me/tasks", &t.employee, None).await;
    assert_eq!(tasks[0]["url"], format!("/policies/{id}/versions/1"));
    let acks = format!("/api/v1/policies/{id}/versions/1/acknowledgements");
    let (status, after) = call(app, Method::POST, &acks, &t.employee, None).await;
    assert_eq!(status, StatusCode::CREATED, "{after}");
    assert_eq!(after["acknowledged_of_requested"], 1);
    let (status, again) = call(app, Method::POST, &acks, &t.employee, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(call(app, Method::GET, "/api/v1/me/tasks", &t.employee, None).await.1, json!([]));
    let (_, list) = call(app, Method::GET, &acks, &t.manager, None).await;
    let mine = list["items"].as_array().unwrap().iter().find(|a| a["email"] == "employee@acme.test").unwrap();
    assert_eq!(mine["acknowledged_sha256"], sha.as_str());

    // Every step is in the ledger, and the exported bundle verifies.
    let mut c = app.db.read().await.unwrap();
    let events = db::ledger::events_after(&mut c.conn(), t.org, 0, 10_000).await.unwrap();
    drop(c);
    let actions: Vec<_> = events.iter().map(|e| format!("{}.{}", e.object_type, e.action)).collect();
    for wanted in [
        "policy.create",
        "policy_version.approve",
        "policy_version.publish",
        "ack_campaign.start",
        "acknowledgement.acknowledge",
    ] {
        assert!(actions.contains(&wanted.to_string()), "{wanted} missing from {actions:?}");
    }
    let out = app.dir().join("acme.bundle");
    mandate::cli::export::write(&app.db, &app.state.journal, &app.state.blobs, t.org, &out, app.now()).await.unwrap();
    let report = ledger::verify_bundle(std::fs::File::open(&out).unwrap(), None, None).unwrap();
    assert_eq!(report.events as usize, events.len());
}

async fn only_top_management_approves(app: &TestApp) {
    let t = team(app).await;
    let (_, policy) =
        call(app, Method::POST, "/api/v1/policies", &t.manager, Some(json!({"title": "Access", "body": TEXT}))).await;
    let id = policy["id"].as_i64().unwrap();
    let steps = format!("/api/v1/policies/{id}/versions/1/steps");
    call(app, Method::POST, &steps, &t.manager, Some(json!({"step": "submit"}))).await;
    for token in [&t.manager, &t.admin] {
        let before = ledger_size(app, t.org).await;
        let (status, body) = call(app, Method::POST, &steps, token, Some(json!({"step": "approve"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("only top management"), "{body}");
        assert_eq!(before, ledger_size(app, t.org).await, "a refused approval changes nothing");
    }
    let (status, _) = call(app, Method::POST, &steps, &t.employee, Some(json!({"step": "approve"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, version) = call(app, Method::GET, &format!("/api/v1/policies/{id}/versions/1"), &t.manager, None).await;
    assert_eq!(version["status"], "in_review");
    assert_eq!(version["approved_by"], Value::Null);
    // An approval names the text the approver read; if it changed since, the approval is refused.
    let stale = json!({"step": "approve", "expected_sha256": "0".repeat(64)});
    let (status, body) = call(app, Method::POST, &steps, &t.ceo, Some(stale)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("changed since you read it"), "{body}");
    let read = json!({"step": "approve", "expected_sha256": version["content_sha256"]});
    assert_eq!(call(app, Method::POST, &steps, &t.ceo, Some(read)).await.0, StatusCode::OK);
}

async fn steps_out_of_order_are_refused(app: &TestApp) {
    let t = team(app).await;
    let (_, policy) =
        call(app, Method::POST, "/api/v1/policies", &t.manager, Some(json!({"title": "Backup", "body": TEXT}))).await;
    let id = policy["id"].as_i64().unwrap();
    let steps = format!("/api/v1/policies/{id}/versions/1/steps");
    let (status, body) = call(app, Method::POST, &steps, &t.ceo, Some(json!({"step": "approve"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["error"]["message"].as_str().unwrap().contains("only a version in review can be approved"), "{body}");
    assert_eq!(
        call(app, Method::POST, &steps, &t.manager, Some(json!({"step": "publish"}))).await.0,
        StatusCode::CONFLICT
    );
    let (status, body) = call(app, Method::POST, &steps, &t.manager, Some(json!({"step": "jump"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A second version cannot start while the first is a draft; a published text cannot be edited.
    let versions = format!("/api/v1/policies/{id}/versions");
    assert_eq!(
        call(app, Method::POST, &versions, &t.manager, Some(json!({"body": "v2"}))).await.0,
        StatusCode::CONFLICT
    );
    let id = published_policy(app, &t).await;
    let patch = format!("/api/v1/policies/{id}/versions/1");
    let (status, body) = call(app, Method::PATCH, &patch, &t.manager, Some(json!({"body": "edited"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

async fn acknowledgements_of_a_version_survive_the_next(app: &TestApp) {
    let t = team(app).await;
    let id = published_policy(app, &t).await;
    call(app, Method::POST, &format!("/api/v1/policies/{id}/versions/1/acknowledgements"), &t.employee, None).await;
    let (status, v2) = call(
        app,
        Method::POST,
        &format!("/api/v1/policies/{id}/versions"),
        &t.manager,
        Some(json!({"body": "# Version 2", "change_note": "scope"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v2}");
    assert_eq!(v2["number"], 2);
    // The employee does not see the draft, nor learn that it exists.
    let (status, _) = call(app, Method::GET, &format!("/api/v1/policies/{id}/versions/2"), &t.employee, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = call(app, Method::GET, "/api/v1/policies?status=draft", &t.employee, None).await;
    assert_eq!(list["items"][0]["latest_version"], 1, "{list}");
    assert_eq!(list["items"][0]["latest_status"], "published");
    // Only one version is worked on at a time, whoever asks.
    let (status, _) =
        call(app, Method::POST, &format!("/api/v1/policies/{id}/versions"), &t.ceo, Some(json!({"body": "other"})))
            .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let steps = format!("/api/v1/policies/{id}/versions/2/steps");
    call(app, Method::POST, &steps, &t.manager, Some(json!({"step": "submit"}))).await;
    call(app, Method::POST, &steps, &t.ceo, Some(json!({"step": "approve"}))).await;
    let (status, published) = call(
        app,
        Method::POST,
        &steps,
        &t.manager,
        Some(json!({"step": "publish", "audience": {"roles": ["employee"]}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(published["acknowledgements_requested"], 1, "only employees were asked this time");

    let (_, v1) = call(app, Method::GET, &format!("/api/v1/policies/{id}/versions/1"), &t.manager, None).await;
    assert_eq!(v1["status"], "superseded");
    assert_eq!(v1["acknowledged_total"], 1, "who acknowledged version 1 is kept: {v1}");
    let (_, list) =
        call(app, Method::GET, &format!("/api/v1/policies/{id}/versions/1/acknowledgements"), &t.manager, None).await;
    let kept = list["items"].as_array().unwrap().iter().find(|a| a["email"] == "employee@acme.test").unwrap().clone();
    assert!(kept["acknowledged_at"].is_string(), "{kept}");
    let (_, tasks) = call(app, Method::GET, "/api/v1/me/tasks", &t.employee, None).await;
    assert_eq!(tasks[0]["version"], 2, "the employee now owes version 2: {tasks}");
    // Version 1 can no longer be acknowledged: it is not in force.
    let (status, _) =
        call(app, Method::POST, &format!("/api/v1/policies/{id}/versions/1/acknowledgements"), &t.ceo, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn bad_input_is_refused_and_changes_nothing(app: &TestApp) {
    let t = team(app).await;
    let other = app.org("globex").await;
    let outsider = mandate::accounts::member_by_email(&app.db, other, "admin@globex.test").await.unwrap().user_id;
    let before = ledger_size(app, t.org).await;
    for (body, needle) in [
        (json!({"title": "", "body": TEXT}), "title"),
        (json!({"title": "T", "body": "  "}), "text is empty"),
        (json!({"title": "T", "body": TEXT, "review_months": 0}), "review cycle"),
        (json!({"title": "T", "body": TEXT, "owner_id": outsider.0}), "owner must be a member"),
        (json!({"title": "T", "body": TEXT, "document_id": 999_999}), "no evidence"),
    ] {
        let (status, reply) = call(app, Method::POST, "/api/v1/policies", &t.manager, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert!(reply["error"]["message"].as_str().unwrap().contains(needle), "{reply}");
    }
    let (status, _) = call(app, Method::GET, "/api/v1/policies?sort=colour", &t.manager, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(before, ledger_size(app, t.org).await);
    // Another organisation's policy does not exist for this one.
    let id = published_policy(app, &t).await;
    let b_token = app.token(other, outsider).await;
    let (status, _) = call(app, Method::GET, &format!("/api/v1/policies/{id}"), &b_token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(call(app, Method::GET, "/api/v1/policies", &b_token, None).await.1["total"], 0);
}

async fn reviews_restart_the_cycle_and_overdue_ones_are_listed(app: &TestApp) {
    let t = team(app).await;
    let id = published_policy(app, &t).await;
    let overdue = "/api/v1/policies?review_overdue=true";
    assert_eq!(call(app, Method::GET, overdue, &t.manager, None).await.1["total"], 0);
    app.clock.advance(400 * 86_400);
    let (_, list) = call(app, Method::GET, overdue, &t.manager, None).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["review_overdue"], true);
    let (status, body) =
        call(app, Method::POST, &format!("/api/v1/policies/{id}/reviews"), &t.ceo, Some(json!({"outcome": "maybe"})))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = call(
        app,
        Method::POST,
        &format!("/api/v1/policies/{id}/reviews"),
        &t.ceo,
        Some(json!({"outcome": "no_change", "note": "still right"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(call(app, Method::GET, overdue, &t.manager, None).await.1["total"], 0);
    let (_, reviews) = call(app, Method::GET, &format!("/api/v1/policies/{id}/reviews"), &t.manager, None).await;
    assert_eq!(reviews[0]["outcome"], "no_change");
}

async fn exceptions_are_decided_by_top_management_and_expire(app: &TestApp) {
    let t = team(app).await;
    let id = published_policy(app, &t).await;
    let until = mandate::clock::format_utc(app.now() + 90 * 86_400)[..10].to_string();
    let ask = format!("/api/v1/policies/{id}/exceptions");
    let (status, exception) = call(
        app,
        Method::POST,
        &ask,
        &t.employee,
        Some(json!({"summary": "USB stick for the scanner", "reason": "vendor tool", "expires_on": until})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{exception}");
    let decide = format!("{ask}/{}/decision", exception["id"]);
    let (status, _) = call(app, Method::POST, &decide, &t.manager, Some(json!({"decision": "approve"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = call(app, Method::POST, &decide, &t.ceo, Some(json!({"decision": "refuse"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a refusal needs a reason: {body}");
    let (status, approved) = call(
        app,
        Method::POST,
        &decide,
        &t.ceo,
        Some(json!({"decision": "approve", "note": "until the new scanner arrives"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(
        call(app, Method::POST, &decide, &t.ceo, Some(json!({"decision": "approve"}))).await.0,
        StatusCode::CONFLICT
    );
    let (status, _) = call(
        app,
        Method::POST,
        &ask,
        &t.employee,
        Some(json!({"summary": "s", "reason": "r", "expires_on": "2020-01-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.clock.advance(91 * 86_400);
    let (_, list) = call(app, Method::GET, &ask, &t.manager, None).await;
    assert_eq!(list[0]["status"], "expired");
}

async fn in_the_browser_a_top_manager_approves_and_an_employee_acknowledges(app: &TestApp) {
    let t = team(app).await;
    let (_, policy) = call(
        app,
        Method::POST,
        "/api/v1/policies",
        &t.manager,
        Some(json!({"title": "Clean desk", "body": "Keep desks **clear**.\n\n<script>alert(1)</script>"})),
    )
    .await;
    let id = policy["id"].as_i64().unwrap();
    call(
        app,
        Method::POST,
        &format!("/api/v1/policies/{id}/versions/1/steps"),
        &t.manager,
        Some(json!({"step": "submit"})),
    )
    .await;

    let ceo = app.browser();
    ceo.sign_in("top_management@acme.test").await;
    let page = ceo.get(&format!("/policies/{id}/versions/1")).await.text();
    assert!(page.contains("Approve this text"), "{page}");
    assert!(page.contains("<strong>clear</strong>") && !page.contains("<script>alert"), "rendered and sanitised");
    let reply = ceo
        .post(&format!("/policies/{id}/versions/1/steps"), &[("step", "approve"), ("decision_ref", "MT 2026-11")])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let page = ceo.get(reply.location().unwrap()).await.text();
    assert!(page.contains("by <strong>Top management person</strong>"), "{page}");
    let reply = ceo.post(&format!("/policies/{id}/versions/1/steps"), &[("step", "publish"), ("days", "7")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    let employee = app.browser();
    let home = employee.sign_in("employee@acme.test").await.text();
    assert!(home.contains(&format!("/policies/{id}/versions/1")), "My tasks lists the policy: {home}");
    employee.get(&format!("/policies/{id}/versions/1")).await;
    let reply = employee.post(&format!("/policies/{id}/versions/1/acknowledge"), &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let page = employee.get(reply.location().unwrap()).await.text();
    assert!(page.contains("You acknowledged this version"), "{page}");
    let home = employee.get("/").await.text();
    assert!(home.contains("Nothing is waiting for you"), "{home}");
    // The employee cannot approve, and the list shows only what is in force.
    let reply = employee.post(&format!("/policies/{id}/versions/1/steps"), &[("step", "retire")]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // The API tells the same story.
    let (_, version) = call(app, Method::GET, &format!("/api/v1/policies/{id}/versions/1"), &t.manager, None).await;
    assert_eq!(version["approval_decision"], "MT 2026-11");
    assert_eq!(version["acknowledged_of_requested"], 1);
}

async fn a_version_can_be_an_attached_document(app: &TestApp) {
    let t = team(app).await;
    let parts = [crate::harness::Part::file("policy.pdf", "application/pdf", crate::harness::PDF)];
    let evidence = app.upload("/api/v1/evidence", Some(&t.manager), &parts).await.json();
    let body = json!({"title": "Travel security", "document_id": evidence["id"]});
    let (status, policy) = call(app, Method::POST, "/api/v1/policies", &t.manager, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{policy}");
    let (_, version) =
        call(app, Method::GET, &format!("/api/v1/policies/{}/versions/1", policy["id"]), &t.manager, None).await;
    assert_eq!(version["document_id"], evidence["id"]);
    let expected = hex::encode(Sha256::digest(format!("document:{}", evidence["sha256"].as_str().unwrap()).as_bytes()));
    assert_eq!(version["content_sha256"], expected.as_str(), "the version's hash follows the document's bytes");
    // Published, the document reaches employees, who cannot browse the evidence vault.
    let steps = format!("/api/v1/policies/{}/versions/1/steps", policy["id"]);
    call(app, Method::POST, &steps, &t.manager, Some(json!({"step": "submit"}))).await;
    call(app, Method::POST, &steps, &t.ceo, Some(json!({"step": "approve"}))).await;
    call(app, Method::POST, &steps, &t.manager, Some(json!({"step": "publish"}))).await;
    let employee = app.browser();
    employee.sign_in("employee@acme.test").await;
    let download = employee.get(&format!("/policies/{}/versions/1/document", policy["id"])).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.header("content-type"), Some("application/pdf"));
    let vault = employee.get(&format!("/evidence/{}/content", evidence["id"])).await;
    assert_eq!(vault.status, StatusCode::FORBIDDEN);
}

on_both_databases!(
    a_version_can_be_an_attached_document,
    a_policy_is_approved_published_and_acknowledged,
    only_top_management_approves,
    steps_out_of_order_are_refused,
    acknowledgements_of_a_version_survive_the_next,
    bad_input_is_refused_and_changes_nothing,
    reviews_restart_the_cycle_and_overdue_ones_are_listed,
    exceptions_are_decided_by_top_management_and_expire,
    in_the_browser_a_top_manager_approves_and_an_employee_acknowledges
);
