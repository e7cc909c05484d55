//! Leadership records resting on meeting decisions, through the API on both databases: a resource approval, an
//! appointment and a policy version's approval cite a decision of their organisation in the same transaction
//! (and in the ledger state of the approval); another organisation's decision is refused with nothing changed;
//! the decision lists all three and each record links back to it.

use crate::harness::TestApp;
use crate::meetings::{People, meeting_body, people};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::db;
use mandate::domain::ids::{CommitmentId, OrgId, PolicyId};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Sends a JSON request; answers its status and body (null when empty).
pub async fn call(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let reply = app.api(method, path, Some(token), body).await;
    (reply.status, serde_json::from_str(&reply.text()).unwrap_or(Value::Null))
}

/// Records a meeting called `title` in `p`'s organisation with one decision; answers the decision's id.
pub async fn decision(app: &TestApp, p: &People, title: &str, text: &str) -> i64 {
    let body = meeting_body(app, p, json!({"title": title}));
    let (status, meeting) = call(app, Method::POST, "/api/v1/meetings", &p.manager_token, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{meeting}");
    let path = format!("/api/v1/meetings/{}/decisions", meeting["id"]);
    let body = json!({"text": text, "decided_by": p.ceo, "topic": "resources"});
    let (status, decision) = call(app, Method::POST, &path, &p.manager_token, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    decision["id"].as_i64().unwrap()
}

/// A requested commitment of `p`'s organisation.
pub async fn requested(app: &TestApp, p: &People) -> i64 {
    crate::resources::create(app, &p.manager_token, crate::resources::siem_request()).await
}

/// A policy of `p`'s organisation whose first version is in review.
pub async fn policy_in_review(app: &TestApp, p: &People) -> i64 {
    let body = json!({"title": "Access control", "body": "# Access control\n\nAccess follows need."});
    let (status, policy) = call(app, Method::POST, "/api/v1/policies", &p.manager_token, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{policy}");
    let id = policy["id"].as_i64().unwrap();
    let steps = format!("/api/v1/policies/{id}/versions/1/steps");
    let (status, _) = call(app, Method::POST, &steps, &p.manager_token, Some(json!({"step": "submit"}))).await;
    assert_eq!(status, StatusCode::OK);
    id
}

/// The ledger size of `org`.
pub async fn ledger_size(app: &TestApp, org: OrgId) -> i64 {
    let mut c = app.db.read().await.unwrap();
    db::ledger::head(&mut c.conn(), org).await.unwrap().map_or(0, |h| h.size)
}

/// The state hash of the last event with this action on this object.
async fn state_hash(app: &TestApp, org: OrgId, action: &str, object_type: &str, id: i64) -> String {
    let mut c = app.db.read().await.unwrap();
    let all = db::ledger::events_after(&mut c.conn(), org, 0, 100_000).await.unwrap();
    let found = all.into_iter().rev().find(|e| e.action == action && e.object_type == object_type);
    let event = found.unwrap_or_else(|| panic!("no {action} {object_type} event"));
    assert_eq!(event.object_id, id.to_string());
    event.state_hash
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The commitment's, appointment's and version's rows as `p`'s organisation holds them.
async fn fingerprint(app: &TestApp, p: &People, commitment: i64, policy: i64) -> String {
    let mut c = app.db.read().await.unwrap();
    let row = db::resource::lock(&mut c.conn(), p.org, CommitmentId(commitment)).await.unwrap().unwrap();
    let version = db::policy_version::get(&mut c.conn(), p.org, PolicyId(policy), 1).await.unwrap().unwrap();
    let filter = db::appointment::Filter::default();
    let (appointments, _) = db::appointment::list(&mut c.conn(), p.org, &filter, app.now(), 100, 0).await.unwrap();
    drop(c);
    format!(
        "{} {:?} {} {:?} {} {}",
        row.status,
        row.decision_id,
        version.status,
        version.decision_id,
        appointments.len(),
        ledger_size(app, p.org).await
    )
}

async fn records_cite_a_decision_of_their_organisation(app: &TestApp) {
    let p = people(app, "acme").await;
    let other = people(app, "beta").await;
    let d = decision(app, &p, "Management team, November", "Fund the SIEM and name a CISO").await;
    let foreign = decision(app, &other, "Beta board", "Beta's own decision").await;
    let commitment = requested(app, &p).await;
    let policy = policy_in_review(app, &p).await;
    let ciso = crate::roles::role(app, &p.manager_token, "CISO").await;
    let before = fingerprint(app, &p, commitment, policy).await;
    let before_other = ledger_size(app, other.org).await;

    // Another organisation's decision (or none at all) is refused with a message, and nothing changes.
    let approve = format!("/api/v1/resources/{commitment}/approve");
    let steps = format!("/api/v1/policies/{policy}/versions/1/steps");
    let appointment =
        |decision: i64| json!({"role_id": ciso, "user_id": p.employee, "appointed_by": p.ceo, "decision_id": decision});
    for (path, token, body) in [
        (approve.as_str(), &p.ceo_token, json!({"decision_id": foreign})),
        (approve.as_str(), &p.ceo_token, json!({"decision_id": 999_999, "decision_ref": "Minutes 4"})),
        ("/api/v1/appointments", &p.manager_token, appointment(foreign)),
        (steps.as_str(), &p.ceo_token, json!({"step": "approve", "decision_id": foreign})),
    ] {
        let (status, body) = call(app, Method::POST, path, token, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("no decision") && message.contains("this organisation"), "{message}");
    }
    let (status, body) = call(app, Method::POST, &approve, &p.ceo_token, Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no decision at all is refused: {body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("choose a meeting decision"), "{body}");
    let body = json!({"step": "return", "decision_id": d});
    let (status, body) = call(app, Method::POST, &steps, &p.manager_token, Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "only an approval cites a decision: {body}");
    assert_eq!(before, fingerprint(app, &p, commitment, policy).await, "refusals change nothing");
    assert_eq!(before_other, ledger_size(app, other.org).await);

    // Each approval cites the decision, beside (or instead of) the written reference.
    let (status, approved) = call(app, Method::POST, &approve, &p.ceo_token, Some(json!({"decision_id": d}))).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    let cited = &approved["meeting_decision"];
    assert_eq!((cited["id"].as_i64(), cited["meeting_title"].as_str()), (Some(d), Some("Management team, November")));
    assert_eq!(cited["decided_on"], crate::meetings::date(app, 0));
    assert_eq!(cited["url"], format!("/decisions/{d}"));
    let (status, made) = call(app, Method::POST, "/api/v1/appointments", &p.manager_token, Some(appointment(d))).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["meeting_decision"]["id"], d);
    let body = json!({"step": "approve", "decision_id": d, "decision_ref": "Item 2"});
    let (status, version) = call(app, Method::POST, &steps, &p.ceo_token, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{version}");
    assert_eq!(
        (version["meeting_decision"]["id"].as_i64(), version["approval_decision"].as_str()),
        (Some(d), Some("Item 2"))
    );

    // The views read back link to the decision, and the decision lists all three.
    let (_, shown) = call(app, Method::GET, &format!("/api/v1/resources/{commitment}"), &p.manager_token, None).await;
    assert_eq!(shown["meeting_decision"]["id"], d);
    let (_, shown) =
        call(app, Method::GET, &format!("/api/v1/appointments/{}", made["id"]), &p.manager_token, None).await;
    assert_eq!(shown["meeting_decision"]["meeting_title"], "Management team, November");
    let (_, shown) = call(app, Method::GET, &format!("/api/v1/policies/{policy}/versions/1"), &p.ceo_token, None).await;
    assert_eq!(shown["meeting_decision"]["id"], d);
    let (status, listed) = call(app, Method::GET, &format!("/api/v1/decisions/{d}"), &p.manager_token, None).await;
    assert_eq!(status, StatusCode::OK);
    let kinds: Vec<&str> = listed["links"].as_array().unwrap().iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["appointment", "policy_version", "resource_commitment"], "{listed}");
    let (status, _) = call(app, Method::GET, &format!("/api/v1/decisions/{d}"), &other.manager_token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another organisation does not read it");

    // The approval's ledger state carries the decision.
    let mut c = app.db.read().await.unwrap();
    let row = db::resource::lock(&mut c.conn(), p.org, CommitmentId(commitment)).await.unwrap().unwrap();
    let version = db::policy_version::get(&mut c.conn(), p.org, PolicyId(policy), 1).await.unwrap().unwrap();
    drop(c);
    let hashed = state_hash(app, p.org, "approve", "resource_commitment", commitment).await;
    assert_eq!(hashed, sha256_hex(&serde_json::to_vec(&row).unwrap()));
    assert!(serde_json::to_string(&row).unwrap().contains(&format!("\"decision_id\":{d}")));
    let state = format!(
        "{{\"policy_id\":{policy},\"number\":1,\"status\":\"approved\",\"content_sha256\":\"{}\",\"document_id\":null,\
         \"approved_by\":{},\"approved_at\":{},\"approved_sha256\":\"{}\",\"approval_decision\":\"Item 2\",\
         \"decision_id\":{d},\"published_at\":null,\"ended_at\":null}}",
        version.content_sha256,
        p.ceo,
        version.approved_at.unwrap(),
        version.content_sha256
    );
    assert_eq!(state_hash(app, p.org, "approve", "policy_version", version.id.0).await, sha256_hex(state.as_bytes()));
    let id = made["id"].as_i64().unwrap();
    let state = format!(
        "{{\"role_id\":{ciso},\"user_id\":{},\"appointed_by\":{},\"appointed_on\":{},\"decision_ref\":null,\
         \"decision_id\":{d},\"ends_on\":null,\"ended_at\":null,\"end_reason\":null,\"deputies\":[]}}",
        p.employee,
        p.ceo,
        app.now() - app.now() % 86_400
    );
    assert_eq!(state_hash(app, p.org, "create", "appointment", id).await, sha256_hex(state.as_bytes()));
}

/// The demo links one approval of each kind to a decision taken before it, each with a `link_decision` event.
async fn the_demo_links_each_kind_of_record_to_a_decision(app: &TestApp) {
    let demo =
        mandate::demo::build(&app.ctx(), "Northwind Logistics", "demo", 1, crate::harness::PASSWORD).await.unwrap();
    let token = app.token(demo.org, demo.ciso).await;
    let mut c = app.db.read().await.unwrap();
    let all = db::ledger::events_after(&mut c.conn(), demo.org, 0, 1_000_000).await.unwrap();
    drop(c);
    let links: Vec<&db::ledger::EventRow> = all.iter().filter(|e| e.action == "link_decision").collect();
    let kinds: Vec<&str> = links.iter().map(|e| e.object_type.as_str()).collect();
    assert_eq!(kinds, ["resource_commitment", "appointment", "policy_version"]);
    for event in links {
        let path = match event.object_type.as_str() {
            "resource_commitment" => format!("/api/v1/resources/{}", event.object_id),
            "appointment" => format!("/api/v1/appointments/{}", event.object_id),
            _ => String::new(),
        };
        if !path.is_empty() {
            let (_, shown) = call(app, Method::GET, &path, &token, None).await;
            assert!(shown["meeting_decision"]["meeting_title"].as_str().unwrap().starts_with("Management team"));
        }
    }
    let (_, list) = call(app, Method::GET, "/api/v1/meetings?limit=500", &token, None).await;
    let mut linked = 0;
    for meeting in list["items"].as_array().unwrap() {
        let (_, shown) = call(app, Method::GET, &format!("/api/v1/meetings/{}", meeting["id"]), &token, None).await;
        for d in shown["decisions"].as_array().unwrap() {
            let (_, decision) = call(app, Method::GET, &format!("/api/v1/decisions/{}", d["id"]), &token, None).await;
            linked += decision["links"].as_array().unwrap().len();
        }
    }
    assert_eq!(linked, 3, "one decision for each of the three records");
}

on_both_databases!(records_cite_a_decision_of_their_organisation, the_demo_links_each_kind_of_record_to_a_decision);
