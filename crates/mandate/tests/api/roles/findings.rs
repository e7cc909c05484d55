//! Findings: segregation-of-duties conflicts (also through deputies), holders without the deputy their role
//! needs, roles nobody holds, and RACI rows without exactly one accountable role.

use super::{call, ledger_size, message, org, process, role};
use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

async fn appoint(app: &TestApp, token: &str, body: Value) -> i64 {
    let reply = call(app, Method::POST, "/api/v1/appointments", token, Some(body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["id"].as_i64().unwrap()
}

async fn a_conflict_appears_and_disappears_with_the_appointments(app: &TestApp) {
    let acme = org(app, "acme").await;
    let auditor_role = role(app, &acme.admin, "Internal auditor").await;
    let manager_role = role(app, &acme.admin, "ISMS manager").await;
    let ciso = role(app, &acme.admin, "CISO").await;
    let none = call(app, Method::GET, "/api/v1/sod-conflicts", &acme.auditor, None).await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json()["conflicts"], json!([]));
    assert_eq!(
        call(app, Method::GET, "/api/v1/sod-conflicts", &acme.employee, None).await.status,
        StatusCode::FORBIDDEN
    );

    appoint(app, &acme.admin, json!({"role_id": auditor_role, "user_id": acme.alice.0, "appointed_by": acme.ceo.0, "appointed_on": "2026-02-01"})).await;
    let second = appoint(app, &acme.admin, json!({"role_id": manager_role, "user_id": acme.alice.0, "appointed_by": acme.ceo.0, "appointed_on": "2026-06-15"})).await;
    let found = call(app, Method::GET, "/api/v1/sod-conflicts", &acme.admin, None).await.json();
    let conflicts = found["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{found}");
    assert_eq!(conflicts[0]["person"]["id"], acme.alice.0);
    assert_eq!(conflicts[0]["since"], "2026-06-15", "since both were held");
    assert_eq!(conflicts[0]["via_deputy"], false);
    let pair = [conflicts[0]["role_a"]["name"].as_str().unwrap(), conflicts[0]["role_b"]["name"].as_str().unwrap()];
    assert!(pair.contains(&"Internal auditor") && pair.contains(&"ISMS manager"), "{pair:?}");

    call(app, Method::POST, &format!("/api/v1/appointments/{second}/end"), &acme.admin, Some(json!({}))).await;
    let after = call(app, Method::GET, "/api/v1/sod-conflicts", &acme.admin, None).await.json();
    assert_eq!(after["conflicts"], json!([]), "ending one of the roles ends the conflict");

    // Deputising for the CISO conflicts with auditing, and says so.
    let ciso_appointment = appoint(
        app,
        &acme.admin,
        json!({"role_id": ciso, "user_id": acme.bob.0, "appointed_by": acme.ceo.0, "deputies": [acme.alice.0]}),
    )
    .await;
    let deputy = call(app, Method::GET, "/api/v1/sod-conflicts", &acme.admin, None).await.json();
    assert_eq!(deputy["conflicts"][0]["via_deputy"], true, "{deputy}");
    assert_eq!(deputy["conflicts"][0]["person"]["id"], acme.alice.0);
    call(
        app,
        Method::PATCH,
        &format!("/api/v1/appointments/{ciso_appointment}"),
        &acme.admin,
        Some(json!({"deputies": [acme.carol.0]})),
    )
    .await;
    let fixed = call(app, Method::GET, "/api/v1/sod-conflicts", &acme.admin, None).await.json();
    assert_eq!(fixed["conflicts"], json!([]));

    // A rule switched off raises nothing; switching it off twice is out of order.
    call(
        app,
        Method::PATCH,
        &format!("/api/v1/appointments/{ciso_appointment}"),
        &acme.admin,
        Some(json!({"deputies": [acme.alice.0]})),
    )
    .await;
    let rules = call(app, Method::GET, "/api/v1/sod-rules", &acme.auditor, None).await.json();
    let rule = rules["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role_a"]["id"] == ciso || r["role_b"]["id"] == ciso)
        .unwrap()["id"]
        .clone();
    let path = format!("/api/v1/sod-rules/{rule}");
    assert_eq!(
        call(app, Method::PATCH, &path, &acme.manager, Some(json!({"active": false}))).await.json()["active"],
        false
    );
    assert_eq!(call(app, Method::GET, "/api/v1/sod-conflicts", &acme.admin, None).await.json()["conflicts"], json!([]));
    let twice = call(app, Method::PATCH, &path, &acme.manager, Some(json!({"active": false}))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(message(&twice).contains("already switched off"), "{}", twice.text());
    let all = call(app, Method::GET, "/api/v1/sod-rules?include_inactive=true", &acme.admin, None).await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 2, "switched-off rules stay as history");

    // A new rule; the same pair again (in either order) is a conflict.
    let dpo = role(app, &acme.admin, "Data protection officer").await;
    let added = call(
        app,
        Method::POST,
        "/api/v1/sod-rules",
        &acme.manager,
        Some(json!({"role_a": dpo, "role_b": ciso, "reason": "The DPO monitors the security function"})),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    let again =
        call(app, Method::POST, "/api/v1/sod-rules", &acme.admin, Some(json!({"role_a": ciso, "role_b": dpo}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

async fn missing_deputies_and_unfilled_roles_are_flagged(app: &TestApp) {
    let acme = org(app, "acme").await;
    let start = call(app, Method::GET, "/api/v1/sod-conflicts", &acme.manager, None).await.json();
    assert_eq!(start["unfilled_roles"].as_array().unwrap().len(), 7);
    let ciso = role(app, &acme.admin, "CISO").await;
    let id =
        appoint(app, &acme.admin, json!({"role_id": ciso, "user_id": acme.bob.0, "appointed_by": acme.ceo.0})).await;
    let found = call(app, Method::GET, "/api/v1/sod-conflicts", &acme.manager, None).await.json();
    assert_eq!(found["unfilled_roles"].as_array().unwrap().len(), 6);
    assert_eq!(found["missing_deputies"][0]["appointment_id"], id);
    assert_eq!(found["missing_deputies"][0]["role"]["name"], "CISO");
    call(
        app,
        Method::PATCH,
        &format!("/api/v1/appointments/{id}"),
        &acme.admin,
        Some(json!({"deputies": [acme.carol.0]})),
    )
    .await;
    let fixed = call(app, Method::GET, "/api/v1/sod-conflicts", &acme.manager, None).await.json();
    assert_eq!(fixed["missing_deputies"], json!([]));
}

async fn raci_rows_need_exactly_one_accountable_role(app: &TestApp) {
    let acme = org(app, "acme").await;
    let matrix = call(app, Method::GET, "/api/v1/raci", &acme.employee, None).await.json();
    assert_eq!(matrix["roles"].as_array().unwrap().len(), 7);
    assert_eq!(matrix["processes"].as_array().unwrap().len(), 9);
    assert_eq!(matrix["flagged"], 9, "an empty matrix flags every process");
    assert_eq!(matrix["processes"][0]["flags"], json!(["no_accountable", "no_responsible"]));
    let risk = process(app, &acme.admin, "Risk assessment").await;
    let (ciso, manager, owner) = (
        role(app, &acme.admin, "CISO").await,
        role(app, &acme.admin, "ISMS manager").await,
        role(app, &acme.admin, "Risk owner").await,
    );
    let path = format!("/api/v1/raci/processes/{risk}");
    let cells = |list: Value| json!({"cells": list});
    let set = call(app, Method::PATCH, &path, &acme.manager, Some(cells(json!([{"role_id": ciso, "letter": "A"}, {"role_id": manager, "letter": "R"}, {"role_id": owner, "letter": "C"}])))).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    assert_eq!(set.json()["flags"], json!([]));
    assert_eq!(set.json()["cells"].as_array().unwrap().len(), 3);
    let two =
        call(app, Method::PATCH, &path, &acme.manager, Some(cells(json!([{"role_id": owner, "letter": "A"}])))).await;
    assert_eq!(two.json()["flags"], json!(["several_accountable"]));
    let none = call(
        app,
        Method::PATCH,
        &path,
        &acme.manager,
        Some(cells(json!([{"role_id": owner, "letter": null}, {"role_id": ciso, "letter": "I"}]))),
    )
    .await;
    assert_eq!(none.json()["flags"], json!(["no_accountable"]));
    let matrix = call(app, Method::GET, "/api/v1/raci", &acme.auditor, None).await.json();
    assert_eq!(matrix["flagged"], 9);

    let size = ledger_size(app, acme.org).await;
    for body in [
        cells(json!([{"role_id": 999_999, "letter": "A"}])),
        cells(json!([{"role_id": ciso, "letter": "A"}, {"role_id": ciso, "letter": "R"}])),
        cells(json!([{"role_id": ciso, "letter": "X"}])),
        json!({"name": " "}),
    ] {
        let reply = call(app, Method::PATCH, &path, &acme.manager, Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", reply.text());
    }
    assert_eq!(ledger_size(app, acme.org).await, size, "refused rows change nothing");
    // Retiring a process takes it out of the matrix; a retired row cannot change.
    let retired = call(app, Method::PATCH, &path, &acme.manager, Some(json!({"retired": true}))).await;
    assert_eq!(retired.json()["retired"], true);
    assert_eq!(
        call(app, Method::GET, "/api/v1/raci", &acme.auditor, None).await.json()["processes"].as_array().unwrap().len(),
        8
    );
    let frozen =
        call(app, Method::PATCH, &path, &acme.manager, Some(cells(json!([{"role_id": ciso, "letter": "A"}])))).await;
    assert_eq!(frozen.status, StatusCode::CONFLICT);
    let added =
        call(app, Method::POST, "/api/v1/raci/processes", &acme.manager, Some(json!({"name": "Access reviews"}))).await;
    assert_eq!(added.status, StatusCode::CREATED);
    let dup =
        call(app, Method::POST, "/api/v1/raci/processes", &acme.admin, Some(json!({"name": "access REVIEWS"}))).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
}

on_both_databases!(
    a_conflict_appears_and_disappears_with_the_appointments,
    missing_deputies_and_unfilled_roles_are_flagged,
    raci_rows_need_exactly_one_accountable_role,
);
