//! Appointments: made by a named member of top management, kept as history when they end, refused out of order.

use super::{call, events, ledger_size, message, org, role};
use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use serde_json::json;

async fn the_appointer_must_be_top_management(app: &TestApp) {
    let acme = org(app, "acme").await;
    let ciso = role(app, &acme.admin, "CISO").await;
    let before = ledger_size(app, acme.org).await;
    let body = |by: Option<i64>| json!({"role_id": ciso, "user_id": acme.alice.0, "appointed_by": by, "decision_ref": "Board minutes 2026-11-20, item 4"});
    let by_manager =
        call(app, Method::POST, "/api/v1/appointments", &acme.admin, Some(body(Some(acme.manager_id.0)))).await;
    assert_eq!(by_manager.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&by_manager).contains("isms_manager@acme.test is not top management"), "{}", by_manager.text());
    let nobody = call(app, Method::POST, "/api/v1/appointments", &acme.manager, Some(body(None))).await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&nobody).contains("name the member of top management"), "{}", nobody.text());
    assert_eq!(ledger_size(app, acme.org).await, before, "refusals change nothing");
    let listed = call(app, Method::GET, "/api/v1/appointments", &acme.admin, None).await.json();
    assert_eq!(listed["total"], 0);

    let made = call(app, Method::POST, "/api/v1/appointments", &acme.manager, Some(body(Some(acme.ceo.0)))).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    let made = made.json();
    assert_eq!(made["appointed_by"]["id"], acme.ceo.0);
    assert_eq!(made["appointed_on"], "2026-11-23", "today when not given");
    assert_eq!(made["status"], "current");
    assert_eq!(made["decision_ref"], "Board minutes 2026-11-20, item 4");
    assert_eq!(events(app, acme.org, "appointment").await.len(), 1);

    // A top manager records their own appointments, and only those.
    let dpo = role(app, &acme.admin, "Data protection officer").await;
    let own = call(
        app,
        Method::POST,
        "/api/v1/appointments",
        &acme.cfo_token,
        Some(json!({"role_id": dpo, "user_id": acme.bob.0})),
    )
    .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.text());
    assert_eq!(own.json()["appointed_by"]["id"], acme.cfo.0);
    let for_other = call(
        app,
        Method::POST,
        "/api/v1/appointments",
        &acme.cfo_token,
        Some(json!({"role_id": dpo, "user_id": acme.carol.0, "appointed_by": acme.ceo.0})),
    )
    .await;
    assert_eq!(for_other.status, StatusCode::FORBIDDEN);
    assert!(message(&for_other).contains("only the appointments they made themselves"), "{}", for_other.text());
    assert_eq!(
        call(app, Method::POST, "/api/v1/appointments", &acme.employee, Some(body(Some(acme.ceo.0)))).await.status,
        StatusCode::FORBIDDEN
    );

    // The same person cannot be appointed to the same role twice over the same time.
    let twice = call(app, Method::POST, "/api/v1/appointments", &acme.admin, Some(body(Some(acme.cfo.0)))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(message(&twice).contains("already appointed CISO"), "{}", twice.text());
}

async fn ending_keeps_history_and_is_refused_out_of_order(app: &TestApp) {
    let acme = org(app, "acme").await;
    let bc = role(app, &acme.admin, "BC coordinator").await;
    let made = call(app, Method::POST, "/api/v1/appointments", &acme.admin, Some(json!({"role_id": bc, "user_id": acme.alice.0, "appointed_by": acme.ceo.0, "appointed_on": "2026-03-01", "deputies": [acme.bob.0, acme.bob.0]}))).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    let id = made.json()["id"].as_i64().unwrap();
    assert_eq!(made.json()["deputies"].as_array().unwrap().len(), 1, "a deputy named twice counts once");
    let path = format!("/api/v1/appointments/{id}");
    let end = format!("{path}/end");
    for (body, needle) in [
        (json!({"ended_on": "2026-12-01"}), "future"),
        (json!({"ended_on": "2026-02-01"}), "before the appointment started"),
        (json!({"ended_on": "1st of May"}), "YYYY-MM-DD"),
    ] {
        let reply = call(app, Method::POST, &end, &acme.manager, Some(body)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
        assert!(message(&reply).contains(needle), "{}", reply.text());
    }
    let ended =
        call(app, Method::POST, &end, &acme.cfo_token, Some(json!({"reason": "Moved to the Rotterdam office"}))).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.text());
    assert_eq!(ended.json()["status"], "ended");
    assert_eq!(ended.json()["ends_on"], "2026-11-23");
    assert_eq!(ended.json()["end_reason"], "Moved to the Rotterdam office");
    let size = ledger_size(app, acme.org).await;
    let again = call(app, Method::POST, &end, &acme.admin, Some(json!({}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(message(&again).contains("ended on 2026-11-23"), "{}", again.text());
    let change = call(app, Method::PATCH, &path, &acme.admin, Some(json!({"deputies": []}))).await;
    assert_eq!(change.status, StatusCode::CONFLICT, "{}", change.text());
    assert_eq!(ledger_size(app, acme.org).await, size, "refusals change nothing");

    let ended_list = call(app, Method::GET, "/api/v1/appointments?status=ended", &acme.employee, None).await.json();
    assert_eq!(ended_list["total"], 1, "history is kept");
    let current = call(app, Method::GET, "/api/v1/appointments?status=current", &acme.employee, None).await.json();
    assert_eq!(current["total"], 0);
    let actions: Vec<String> = events(app, acme.org, "appointment").await.into_iter().map(|(a, _)| a).collect();
    assert_eq!(actions, ["create", "end"]);

    // After it ended, the person can be appointed again.
    let again = call(
        app,
        Method::POST,
        "/api/v1/appointments",
        &acme.admin,
        Some(json!({"role_id": bc, "user_id": acme.alice.0, "appointed_by": acme.ceo.0})),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
}

async fn planned_ends_deputies_and_decisions_change_until_the_end(app: &TestApp) {
    let acme = org(app, "acme").await;
    let owner = role(app, &acme.admin, "Risk owner").await;
    let made = call(app, Method::POST, "/api/v1/appointments", &acme.admin, Some(json!({"role_id": owner, "user_id": acme.alice.0, "appointed_by": acme.ceo.0, "appointed_on": "2026-12-01"}))).await;
    assert_eq!(made.json()["status"], "planned");
    let path = format!("/api/v1/appointments/{}", made.json()["id"]);
    let changed = call(
        app,
        Method::PATCH,
        &path,
        &acme.manager,
        Some(json!({"ends_on": "2027-12-01", "deputies": [acme.carol.0], "decision_ref": "MT meeting 2026-11"})),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    assert_eq!(changed.json()["ends_on"], "2027-12-01");
    assert_eq!(changed.json()["deputies"][0]["id"], acme.carol.0);
    assert_eq!(changed.json()["deputies"][0]["since"], "2026-12-01", "a deputy starts with the appointment");
    let past = call(app, Method::PATCH, &path, &acme.manager, Some(json!({"ends_on": "2026-11-23"}))).await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&past).contains("use end"), "{}", past.text());
    let cleared =
        call(app, Method::PATCH, &path, &acme.manager, Some(json!({"ends_on": null, "decision_ref": null}))).await;
    assert_eq!(cleared.json()["ends_on"], serde_json::Value::Null);
    assert_eq!(cleared.json()["decision_ref"], serde_json::Value::Null);
    // Ending a planned appointment cancels it: it is never held.
    let cancelled =
        call(app, Method::POST, &format!("{path}/end"), &acme.manager, Some(json!({"reason": "Plans changed"}))).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text());
    assert_eq!(cancelled.json()["status"], "ended");
    app.clock.advance(30 * 86_400);
    let holders = call(app, Method::GET, &format!("/api/v1/roles/{owner}"), &acme.admin, None).await.json();
    assert_eq!(holders["holders"], 0);
}

on_both_databases!(
    the_appointer_must_be_top_management,
    ending_keeps_history_and_is_refused_out_of_order,
    planned_ends_deputies_and_decisions_change_until_the_end,
);
