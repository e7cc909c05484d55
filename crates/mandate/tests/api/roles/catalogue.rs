//! The role catalogue: seeded once on first use, editable, retired rather than deleted once used.

use super::{call, events, ledger_size, message, org, role};
use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use serde_json::json;

async fn the_catalogue_is_seeded_once_on_first_use(app: &TestApp) {
    let acme = org(app, "acme").await;
    let before = ledger_size(app, acme.org).await;
    let list = call(app, Method::GET, "/api/v1/roles", &acme.employee, None).await;
    assert_eq!(list.status, StatusCode::OK, "employees read the catalogue: {}", list.text());
    let names: Vec<String> =
        list.json()["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    for expected in [
        "CISO",
        "ISMS manager",
        "BC coordinator",
        "Risk owner",
        "Data protection officer",
        "Asset owner",
        "Internal auditor",
    ] {
        assert!(names.contains(&expected.to_string()), "{expected} missing from {names:?}");
    }
    assert_eq!(list.json()["total"], 7);
    let seeded = ledger_size(app, acme.org).await;
    assert_eq!(seeded - before, 7 + 9 + 2, "roles, processes and segregation rules are ledgered");
    assert!(
        events(app, acme.org, "isms_role").await.iter().all(|(action, actor)| action == "create" && actor == "system")
    );
    // Reading again seeds nothing more.
    call(app, Method::GET, "/api/v1/raci", &acme.auditor, None).await;
    assert_eq!(ledger_size(app, acme.org).await, seeded);
    let ciso =
        call(app, Method::GET, &format!("/api/v1/roles/{}", role(app, &acme.admin, "CISO").await), &acme.admin, None)
            .await;
    assert_eq!(ciso.json()["needs_deputy"], true);
    assert_eq!(ciso.json()["holders"], 0);
}

async fn roles_are_added_renamed_described_and_deleted_while_unused(app: &TestApp) {
    let acme = org(app, "acme").await;
    let created = call(
        app,
        Method::POST,
        "/api/v1/roles",
        &acme.manager,
        Some(json!({"name": " Security  champion ", "needs_deputy": true})),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json()["name"], "Security champion");
    let id = created.json()["id"].as_i64().unwrap();
    let again = call(app, Method::POST, "/api/v1/roles", &acme.admin, Some(json!({"name": "security CHAMPION"}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(message(&again).contains("already has a role called"), "{}", again.text());
    let path = format!("/api/v1/roles/{id}");
    let changed = call(
        app,
        Method::PATCH,
        &path,
        &acme.manager,
        Some(json!({"name": "Security ambassador", "description": "Runs the awareness programme in a team."})),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    assert_eq!(changed.json()["name"], "Security ambassador");
    assert_eq!(changed.json()["description"], "Runs the awareness programme in a team.");
    let taken = call(app, Method::PATCH, &path, &acme.manager, Some(json!({"name": "ciso"}))).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(call(app, Method::DELETE, &path, &acme.employee, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(call(app, Method::DELETE, &path, &acme.manager, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(call(app, Method::GET, &path, &acme.manager, None).await.status, StatusCode::NOT_FOUND);
    let actions: Vec<String> = events(app, acme.org, "isms_role").await.into_iter().map(|(a, _)| a).collect();
    assert!(actions.ends_with(&["create".into(), "update".into(), "delete".into()]), "{actions:?}");
}

async fn a_used_role_is_retired_not_deleted(app: &TestApp) {
    let acme = org(app, "acme").await;
    let ciso = role(app, &acme.admin, "CISO").await;
    let appointed = call(
        app,
        Method::POST,
        "/api/v1/appointments",
        &acme.admin,
        Some(
            json!({"role_id": ciso, "user_id": acme.alice.0, "appointed_by": acme.ceo.0, "appointed_on": "2026-01-05"}),
        ),
    )
    .await;
    assert_eq!(appointed.status, StatusCode::CREATED, "{}", appointed.text());
    let path = format!("/api/v1/roles/{ciso}");
    let deleted = call(app, Method::DELETE, &path, &acme.admin, None).await;
    assert_eq!(deleted.status, StatusCode::CONFLICT);
    assert!(message(&deleted).contains("retire it instead"), "{}", deleted.text());
    let retire = call(app, Method::PATCH, &path, &acme.admin, Some(json!({"retired": true}))).await;
    assert_eq!(retire.status, StatusCode::CONFLICT, "people hold it: {}", retire.text());
    assert!(message(&retire).contains("end it before retiring"), "{}", retire.text());
    let appointment = appointed.json()["id"].as_i64().unwrap();
    call(app, Method::POST, &format!("/api/v1/appointments/{appointment}/end"), &acme.admin, Some(json!({}))).await;
    let retired = call(app, Method::PATCH, &path, &acme.admin, Some(json!({"retired": true}))).await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.text());
    assert_eq!(retired.json()["retired"], true);
    let active = call(app, Method::GET, "/api/v1/roles?q=cis", &acme.admin, None).await.json();
    assert_eq!(active["total"], 0, "retired roles are hidden unless asked for");
    let all = call(app, Method::GET, "/api/v1/roles?q=cis&include_retired=true", &acme.admin, None).await.json();
    assert_eq!(all["total"], 1);
    let refused = call(
        app,
        Method::POST,
        "/api/v1/appointments",
        &acme.admin,
        Some(json!({"role_id": ciso, "user_id": acme.bob.0, "appointed_by": acme.ceo.0})),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&refused).contains("retired"), "{}", refused.text());
    let back = call(app, Method::PATCH, &path, &acme.admin, Some(json!({"retired": false}))).await;
    assert_eq!(back.json()["retired"], false);
    let actions: Vec<String> = events(app, acme.org, "isms_role").await.into_iter().map(|(a, _)| a).collect();
    assert!(actions.ends_with(&["retire".into(), "reinstate".into()]), "{actions:?}");
    let sorted = call(app, Method::GET, "/api/v1/roles?sort=holders&limit=2", &acme.admin, None).await.json();
    assert_eq!(sorted["items"].as_array().unwrap().len(), 2);
    assert_eq!(sorted["total"], 7);
}

on_both_databases!(
    the_catalogue_is_seeded_once_on_first_use,
    roles_are_added_renamed_described_and_deleted_while_unused,
    a_used_role_is_retired_not_deleted,
);
