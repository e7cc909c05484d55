//! Bad input is refused with a message and changes nothing; another organisation sees and touches nothing.

use super::{call, ledger_size, org, process, role};
use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use serde_json::json;

async fn bad_input_is_refused_with_a_message_and_changes_nothing(app: &TestApp) {
    let acme = org(app, "acme").await;
    let ciso = role(app, &acme.admin, "CISO").await;
    let made = call(
        app,
        Method::POST,
        "/api/v1/appointments",
        &acme.admin,
        Some(json!({"role_id": ciso, "user_id": acme.bob.0, "appointed_by": acme.ceo.0})),
    )
    .await;
    let appointment = made.json()["id"].as_i64().unwrap();
    let (alice, ceo) = (acme.alice.0, acme.ceo.0);
    let appoint = |extra: serde_json::Value| {
        let mut body = json!({"role_id": ciso, "user_id": alice, "appointed_by": ceo});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let cases = [
        (Method::POST, "/api/v1/roles".to_string(), json!({"name": " "}), "needs a name"),
        (Method::POST, "/api/v1/roles".into(), json!({"name": "x".repeat(81)}), "longer than 80"),
        (Method::POST, "/api/v1/roles".into(), json!({"name": "Champion", "colour": "red"}), "unknown field"),
        (
            Method::POST,
            "/api/v1/roles".into(),
            json!({"name": "Champion", "description": "bell\u{7}"}),
            "control characters",
        ),
        (Method::POST, "/api/v1/appointments".into(), appoint(json!({"role_id": 999_999})), "no role 999999"),
        (Method::POST, "/api/v1/appointments".into(), appoint(json!({"user_id": 999_999})), "no member 999999"),
        (Method::POST, "/api/v1/appointments".into(), appoint(json!({"appointed_on": "yesterday"})), "YYYY-MM-DD"),
        (
            Method::POST,
            "/api/v1/appointments".into(),
            appoint(json!({"appointed_on": "2029-01-01"})),
            "more than a year ahead",
        ),
        (
            Method::POST,
            "/api/v1/appointments".into(),
            appoint(json!({"appointed_on": "2026-05-01", "ends_on": "2026-04-01"})),
            "must be after",
        ),
        (Method::POST, "/api/v1/appointments".into(), appoint(json!({"deputies": [alice]})), "own deputy"),
        (Method::POST, "/api/v1/appointments".into(), appoint(json!({"deputies": [999_999]})), "no member 999999"),
        (Method::POST, "/api/v1/appointments".into(), appoint(json!({"decision_ref": "line\nbreak"})), "one line"),
        (Method::POST, "/api/v1/appointments".into(), json!({"role_id": "CISO", "user_id": alice}), "does not fit"),
        (Method::PATCH, format!("/api/v1/appointments/{appointment}"), json!({"ends_on": "2020-01-01"}), "use end"),
        (
            Method::POST,
            format!("/api/v1/appointments/{appointment}/end"),
            json!({"reason": "x".repeat(301)}),
            "longer than 300",
        ),
        (Method::POST, "/api/v1/raci/processes".into(), json!({"name": ""}), "needs a name"),
        (Method::POST, "/api/v1/sod-rules".into(), json!({"role_a": ciso, "role_b": ciso}), "two different roles"),
        (Method::POST, "/api/v1/sod-rules".into(), json!({"role_a": ciso, "role_b": 999_999}), "no role 999999"),
    ];
    let before = ledger_size(app, acme.org).await;
    for (method, path, body, needle) in cases {
        let reply = call(app, method.clone(), &path, &acme.admin, Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{method} {path} {body}: {}", reply.text());
        assert!(reply.text().contains(needle), "{method} {path} {body}: {}", reply.text());
    }
    for query in ["status=gone", "sort=cost", "limit=0", "role_id=x", "colour=red"] {
        let reply = call(app, Method::GET, &format!("/api/v1/appointments?{query}"), &acme.admin, None).await;
        assert!(reply.status.is_client_error(), "{query}: {}", reply.status);
        assert!(!super::message(&reply).is_empty(), "{query}");
    }
    assert_eq!(
        call(app, Method::GET, "/api/v1/roles?sort=cost", &acme.admin, None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let not_json = app.api(Method::POST, "/api/v1/roles", Some(&acme.admin), None).await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(ledger_size(app, acme.org).await, before, "refusals change nothing");
    let listed = call(app, Method::GET, "/api/v1/appointments", &acme.admin, None).await.json();
    assert_eq!(listed["total"], 1);
}

async fn another_organisation_sees_and_touches_nothing(app: &TestApp) {
    let acme = org(app, "acme").await;
    let globex = org(app, "globex").await;
    let ciso = role(app, &acme.admin, "CISO").await;
    let made = call(
        app,
        Method::POST,
        "/api/v1/appointments",
        &acme.admin,
        Some(json!({"role_id": ciso, "user_id": acme.alice.0, "appointed_by": acme.ceo.0})),
    )
    .await;
    let appointment = made.json()["id"].as_i64().unwrap();
    let risk = process(app, &acme.admin, "Risk assessment").await;
    let rule =
        call(app, Method::GET, "/api/v1/sod-rules", &acme.admin, None).await.json()["items"][0]["id"].as_i64().unwrap();
    let before = ledger_size(app, acme.org).await;
    let b = &globex.admin;
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/roles/{ciso}"), None),
        (Method::PATCH, format!("/api/v1/roles/{ciso}"), Some(json!({"name": "Taken over"}))),
        (Method::DELETE, format!("/api/v1/roles/{ciso}"), None),
        (Method::GET, format!("/api/v1/appointments/{appointment}"), None),
        (Method::PATCH, format!("/api/v1/appointments/{appointment}"), Some(json!({"deputies": []}))),
        (Method::POST, format!("/api/v1/appointments/{appointment}/end"), Some(json!({}))),
        (Method::PATCH, format!("/api/v1/raci/processes/{risk}"), Some(json!({"retired": true}))),
        (Method::PATCH, format!("/api/v1/sod-rules/{rule}"), Some(json!({"active": false}))),
    ] {
        let reply = call(app, method.clone(), &path, b, body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {}", reply.text());
    }
    // Ids of A's records in B's requests are simply unknown there.
    let cross = call(
        app,
        Method::POST,
        "/api/v1/appointments",
        b,
        Some(json!({"role_id": ciso, "user_id": globex.alice.0, "appointed_by": globex.ceo.0})),
    )
    .await;
    assert_eq!(cross.status, StatusCode::UNPROCESSABLE_ENTITY);
    let b_ciso = role(app, b, "CISO").await;
    let cross_person = call(
        app,
        Method::POST,
        "/api/v1/appointments",
        b,
        Some(json!({"role_id": b_ciso, "user_id": acme.alice.0, "appointed_by": globex.ceo.0})),
    )
    .await;
    assert_eq!(cross_person.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!cross_person.text().contains("acme"), "{}", cross_person.text());
    for path in ["/api/v1/appointments", "/api/v1/sod-conflicts", "/api/v1/raci", "/api/v1/roles"] {
        let text = call(app, Method::GET, path, b, None).await.text();
        assert!(!text.contains("acme.test"), "{path}: {text}");
    }
    assert_eq!(call(app, Method::GET, "/api/v1/appointments", b, None).await.json()["total"], 0);
    assert_eq!(ledger_size(app, acme.org).await, before, "nothing changed in organisation A");
    assert_ne!(b_ciso, ciso);
}

on_both_databases!(
    bad_input_is_refused_with_a_message_and_changes_nothing,
    another_organisation_sees_and_touches_nothing
);
