//! Resources (ISO/IEC 27001 7.1) through the JSON API: the lifecycle, who may decide, out-of-order steps,
//! refused input that changes nothing, and organisations kept apart.

use crate::harness::{PDF, Part, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::domain::ids::{OrgId, UserId};
use mandate::domain::role::Role;
use serde_json::{Value, json};

pub const DAY: i64 = 86_400;

/// An organisation with one token per role.
pub struct Org {
    pub id: OrgId,
    pub admin: String,
    pub manager: String,
    pub ceo: String,
    pub ceo_id: UserId,
    pub auditor: String,
    pub employee: String,
    pub employee_id: UserId,
}

pub async fn org(app: &TestApp, slug: &str) -> Org {
    let id = app.org(slug).await;
    let admin = mandate::accounts::member_by_email(&app.db, id, &format!("admin@{slug}.test")).await.unwrap().user_id;
    let manager = app.member(id, slug, Role::IsmsManager).await;
    let ceo_id = app.member(id, slug, Role::TopManagement).await;
    let auditor = app.member(id, slug, Role::Auditor).await;
    let employee_id = app.member(id, slug, Role::Employee).await;
    Org {
        id,
        admin: app.token(id, admin).await,
        manager: app.token(id, manager).await,
        ceo: app.token(id, ceo_id).await,
        ceo_id,
        auditor: app.token(id, auditor).await,
        employee: app.token(id, employee_id).await,
        employee_id,
    }
}

/// A request for 40,000.00 EUR and 20 person-days, due 2027-03-31 (T0 is 2026-11-23).
pub fn siem_request() -> Value {
    json!({"title": "SIEM rollout", "purpose": "Central logging for incident detection (A.8.15, A.8.16)",
           "initiative": "Security monitoring", "amount": "40000.00", "currency": "EUR", "person_days": "20",
           "due_on": "2027-03-31"})
}

pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> crate::harness::Reply {
    app.api(method, path, Some(token), body).await
}

pub async fn create(app: &TestApp, token: &str, body: Value) -> i64 {
    let reply = call(app, Method::POST, "/api/v1/resources", token, Some(body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["id"].as_i64().unwrap()
}

pub async fn approve(app: &TestApp, token: &str, id: i64) -> Value {
    let body = json!({"decision_ref": "Board minutes 2026-11 item 4"});
    let reply = call(app, Method::POST, &format!("/api/v1/resources/{id}/approve"), token, Some(body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

pub async fn spend(app: &TestApp, token: &str, id: i64, body: Value) -> crate::harness::Reply {
    call(app, Method::POST, &format!("/api/v1/resources/{id}/entries"), token, Some(body)).await
}

/// The organisation's ledger size and commitment and entry counts: what any refused request must leave alone.
pub async fn fingerprint(app: &TestApp, org: OrgId) -> (Option<i64>, usize, i64) {
    let mut c = app.db.read().await.unwrap();
    let head = mandate::db::ledger::head(&mut c.conn(), org).await.unwrap().map(|h| h.size);
    let lines = mandate::db::resource::lines(
        &mut c.conn(),
        org,
        &mandate::db::resource::LineQuery { limit: 1000, ..Default::default() },
    )
    .await
    .unwrap();
    (head, lines.len(), lines.iter().map(|l| l.entry_count).sum())
}

async fn a_commitment_runs_from_request_to_closure(app: &TestApp) {
    let acme = org(app, "acme").await;
    let id = create(app, &acme.manager, siem_request()).await;
    let shown = call(app, Method::GET, &format!("/api/v1/resources/{id}"), &acme.auditor, None).await.json();
    assert_eq!(shown["status"], "requested");
    assert_eq!(shown["requested"]["amount_minor"], 4_000_000);
    assert_eq!(shown["requested"]["person_days"], "20.00");
    assert_eq!(shown["approved"], Value::Null);

    let body = json!({"decision_ref": "Board 2026-11 #4", "amount": "30000.00"});
    let approved = call(app, Method::POST, &format!("/api/v1/resources/{id}/approve"), &acme.ceo, Some(body)).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
    let approved = approved.json();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["approved"]["amount"], "30000.00", "top management may grant less than asked");
    assert_eq!(approved["approved"]["person_days_x100"], 2000);
    assert_eq!(approved["decision"]["decided_by"]["id"], acme.ceo_id.0);
    assert_eq!(approved["decision"]["decision_ref"], "Board 2026-11 #4");

    let invoice =
        spend(app, &acme.manager, id, json!({"amount": "12000.50", "spent_on": "2026-11-23", "note": "INV-881"})).await;
    assert_eq!(invoice.status, StatusCode::CREATED, "{}", invoice.text());
    let invoice_id = invoice.json()["id"].as_i64().unwrap();
    let time =
        json!({"person_days": "2.5", "spent_on": "2026-11-23", "person": acme.employee_id.0, "note": "log sources"});
    let time = spend(app, &acme.admin, id, time).await.json();
    assert_eq!(time["person"]["id"], acme.employee_id.0);
    let wrong =
        spend(app, &acme.manager, id, json!({"amount": "999.00", "spent_on": "2026-11-23", "note": "typo"})).await;
    let wrong_id = wrong.json()["id"].as_i64().unwrap();
    let reversal =
        spend(app, &acme.manager, id, json!({"reverses": wrong_id, "note": "booked on the wrong project"})).await;
    assert_eq!(reversal.status, StatusCode::CREATED, "{}", reversal.text());
    assert_eq!(reversal.json()["spent"]["amount_minor"], -99_900);

    let shown = call(app, Method::GET, &format!("/api/v1/resources/{id}"), &acme.auditor, None).await.json();
    assert_eq!(shown["spent"]["amount"], "12000.50", "the reversed entry no longer counts");
    assert_eq!(shown["spent"]["person_days"], "2.50");
    assert_eq!(shown["entry_count"], 4, "the mistake and its reversal stay in the history");
    let entries = call(app, Method::GET, &format!("/api/v1/resources/{id}/entries"), &acme.auditor, None).await.json();
    assert_eq!(entries["total"], 4);
    assert_eq!(entries["items"][2]["reversed_by"], reversal_id(&entries));
    assert_eq!(entries["items"][0]["id"], invoice_id);

    let list = call(app, Method::GET, "/api/v1/resources", &acme.employee, None).await;
    assert_eq!(list.status, StatusCode::FORBIDDEN, "employees do not read the register");
    let list = call(app, Method::GET, "/api/v1/resources", &acme.auditor, None).await.json();
    assert_eq!(
        list["totals"][0],
        json!({"currency": "EUR", "pending": "0.00", "promised": "30000.00", "spent": "12000.50",
        "pending_minor": 0, "promised_minor": 3_000_000, "spent_minor": 1_200_050})
    );
    assert_eq!(list["person_days"]["promised"], "20.00");

    let redirect = json!({"unspent": "redirected"});
    let refused =
        call(app, Method::POST, &format!("/api/v1/resources/{id}/close"), &acme.manager, Some(redirect)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "redirecting needs a note: {}", refused.text());
    let close = json!({"unspent": "returned", "note": "Licences cheaper than quoted"});
    let closed = call(app, Method::POST, &format!("/api/v1/resources/{id}/close"), &acme.manager, Some(close)).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text());
    let closed = closed.json();
    assert_eq!(closed["closing"]["unspent"], "17999.50");
    assert_eq!(closed["closing"]["disposition"], "returned");
    assert_eq!(closed["flags"], json!([]));

    let mut c = app.db.read().await.unwrap();
    let events = mandate::db::ledger::events_after(&mut c.conn(), acme.id, 0, 1000).await.unwrap();
    let actions: Vec<_> = events
        .iter()
        .filter(|e| e.object_type.starts_with("resource_"))
        .map(|e| format!("{} {}", e.action, e.object_type))
        .collect();
    assert_eq!(
        actions,
        [
            "request resource_commitment",
            "approve resource_commitment",
            "record resource_entry",
            "record resource_entry",
            "record resource_entry",
            "reverse resource_entry",
            "close resource_commitment"
        ]
    );
}

fn reversal_id(entries: &Value) -> Value {
    entries["items"].as_array().unwrap().iter().find(|e| !e["reverses"].is_null()).unwrap()["id"].clone()
}

async fn only_top_management_approves_or_refuses(app: &TestApp) {
    let acme = org(app, "acme").await;
    let id = create(app, &acme.manager, siem_request()).await;
    let decision = json!({"decision_ref": "Board 2026-11 #4"});
    for token in [&acme.admin, &acme.manager, &acme.auditor, &acme.employee] {
        for step in ["approve", "refuse"] {
            let body = json!({"decision_ref": "x", "reason": "y"});
            let body = if step == "approve" { decision.clone() } else { body };
            let reply = call(app, Method::POST, &format!("/api/v1/resources/{id}/{step}"), token, Some(body)).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{step}: {}", reply.text());
        }
    }
    let before = fingerprint(app, acme.id).await;
    let admin = mandate::accounts::member_by_email(&app.db, acme.id, "admin@acme.test").await.unwrap().user_id;
    let outsider = app.org("globex").await;
    let outsider_admin =
        mandate::accounts::member_by_email(&app.db, outsider, "admin@globex.test").await.unwrap().user_id;
    for named in [admin.0, outsider_admin.0, 999_999] {
        let body = json!({"decision_ref": "Board 2026-11 #4", "decided_by": named});
        let reply = call(app, Method::POST, &format!("/api/v1/resources/{id}/approve"), &acme.ceo, Some(body)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
    }
    let no_reason = json!({"decision_ref": "Board 2026-11 #4", "reason": " "});
    let reply = call(app, Method::POST, &format!("/api/v1/resources/{id}/refuse"), &acme.ceo, Some(no_reason)).await;
    assert!(reply.json()["error"]["message"].as_str().unwrap().contains("reason"), "{}", reply.text());
    assert_eq!(before, fingerprint(app, acme.id).await, "refused decisions change nothing");

    let cfo = app.member_as(acme.id, "cfo@acme.test", Role::TopManagement).await;
    let body = json!({"decision_ref": "CFO memo 12", "reason": "No budget left this year", "decided_by": cfo.0});
    let refused = call(app, Method::POST, &format!("/api/v1/resources/{id}/refuse"), &acme.ceo, Some(body)).await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.text());
    let refused = refused.json();
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["decision"]["decided_by"]["id"], cfo.0, "one manager may record another's decision");
    assert_eq!(refused["decision"]["refusal_reason"], "No budget left this year");
}

async fn steps_out_of_order_are_conflicts_that_change_nothing(app: &TestApp) {
    let acme = org(app, "acme").await;
    let id = create(app, &acme.manager, siem_request()).await;
    let entry = json!({"amount": "100.00", "spent_on": "2026-11-23"});
    let close = json!({"unspent": "returned"});
    let before = fingerprint(app, acme.id).await;
    let reply = spend(app, &acme.manager, id, entry.clone()).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text());
    assert!(reply.json()["error"]["message"].as_str().unwrap().contains("approved"), "{}", reply.text());
    let reply =
        call(app, Method::POST, &format!("/api/v1/resources/{id}/close"), &acme.manager, Some(close.clone())).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(before, fingerprint(app, acme.id).await);

    approve(app, &acme.ceo, id).await;
    let twice = call(
        app,
        Method::POST,
        &format!("/api/v1/resources/{id}/approve"),
        &acme.ceo,
        Some(json!({"decision_ref": "again"})),
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.json()["error"]["message"].as_str().unwrap().contains("already approved"));
    let first = spend(app, &acme.manager, id, entry.clone()).await.json()["id"].as_i64().unwrap();
    let undo = json!({"reverses": first, "note": "duplicate"});
    assert_eq!(spend(app, &acme.manager, id, undo.clone()).await.status, StatusCode::CREATED);
    let before = fingerprint(app, acme.id).await;
    assert_eq!(spend(app, &acme.manager, id, undo).await.status, StatusCode::CONFLICT, "reversed once only");
    let reversal_of_reversal = json!({"reverses": first + 1, "note": "x"});
    assert_eq!(spend(app, &acme.manager, id, reversal_of_reversal).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(before, fingerprint(app, acme.id).await);

    let closed =
        call(app, Method::POST, &format!("/api/v1/resources/{id}/close"), &acme.manager, Some(close.clone())).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text());
    let before = fingerprint(app, acme.id).await;
    assert_eq!(spend(app, &acme.manager, id, entry).await.status, StatusCode::CONFLICT, "closed takes no spending");
    let again = call(app, Method::POST, &format!("/api/v1/resources/{id}/close"), &acme.manager, Some(close)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let refuse = json!({"decision_ref": "x", "reason": "y"});
    let refused = call(app, Method::POST, &format!("/api/v1/resources/{id}/refuse"), &acme.ceo, Some(refuse)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(before, fingerprint(app, acme.id).await);
}

async fn bad_input_is_refused_with_a_message_and_changes_nothing(app: &TestApp) {
    let acme = org(app, "acme").await;
    let id = create(app, &acme.manager, siem_request()).await;
    approve(app, &acme.ceo, id).await;
    let with = |field: &str, value: Value| {
        let mut body = siem_request();
        body[field] = value;
        body
    };
    let creates = [
        (with("amount", json!("12,50")), "comma"),
        (with("amount", json!("-5")), "negative"),
        (with("amount", json!("10.505")), "decimal places"),
        (with("amount", json!(12.5)), "does not fit"),
        (with("currency", json!("EURO")), "ISO 4217"),
        (with("due_on", json!("2026-11-01")), "in the past"),
        (with("due_on", json!("31/03/2027")), "YYYY-MM-DD"),
        (with("title", json!(" ")), "title is required"),
        (with("requested_by", json!(999_999)), "not a member"),
        (with("objective_id", json!(0)), "not an objective"),
        (with("objective_id", json!(999_999)), "no objective 999999 in this organisation"),
        (with("colour", json!("red")), "unknown field"),
        (json!({"title": "t", "purpose": "p", "initiative": "i", "due_on": "2027-01-01"}), "money, people's time"),
        (
            json!({"title": "t", "purpose": "p", "amount": "1.00", "due_on": "2027-01-01"}),
            "initiative or the objective",
        ),
        (
            json!({"title": "t", "purpose": "p", "initiative": "i", "amount": "10.5", "currency": "JPY", "due_on": "2027-01-01"}),
            "no minor unit",
        ),
    ];
    let entries = [
        (json!({"amount": "1,5", "spent_on": "2026-11-23"}), "comma"),
        (json!({"amount": "1.50", "spent_on": "2026-11-24"}), "future"),
        (json!({"amount": "1.50", "spent_on": "2026-11-01"}), "before the commitment was requested"),
        (json!({"amount": "1.50", "currency": "USD", "spent_on": "2026-11-23"}), "in EUR"),
        (json!({"spent_on": "2026-11-23", "note": "nothing"}), "amount spent"),
        (json!({"amount": "1.50"}), "date is required"),
        (json!({"amount": "1.50", "spent_on": "2026-11-23", "person": 999_999}), "not a member"),
    ];
    let before = fingerprint(app, acme.id).await;
    for (body, needle) in creates {
        let reply = call(app, Method::POST, "/api/v1/resources", &acme.manager, Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", reply.text());
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains(needle), "{needle}: {}", reply.text());
    }
    for (body, needle) in entries {
        let reply = spend(app, &acme.manager, id, body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", reply.text());
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains(needle), "{needle}: {}", reply.text());
    }
    let unknown = spend(app, &acme.manager, id, json!({"reverses": 999_999, "note": "x"})).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    for query in ["status=open", "flag=late", "sort=price", "limit=0", "colour=red"] {
        let reply = call(app, Method::GET, &format!("/api/v1/resources?{query}"), &acme.auditor, None).await;
        assert!(matches!(reply.status.as_u16(), 400 | 422), "{query}: {}", reply.text());
    }
    for change in [json!({"underspent_percent": 0}), json!({"underspent_percent": 101}), json!({"currency": "XYZ"})] {
        let reply = call(app, Method::PATCH, "/api/v1/resources/settings", &acme.admin, Some(change)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
    }
    assert_eq!(before, fingerprint(app, acme.id).await, "refused input changes nothing");
}

async fn another_organisation_sees_and_touches_nothing(app: &TestApp) {
    let acme = org(app, "acme").await;
    let globex = org(app, "globex").await;
    let id = create(app, &acme.manager, siem_request()).await;
    approve(app, &acme.ceo, id).await;
    let entry = spend(app, &acme.manager, id, json!({"amount": "10.00", "spent_on": "2026-11-23"})).await.json();
    let before = fingerprint(app, acme.id).await;
    let attempts = [
        (Method::GET, format!("/api/v1/resources/{id}"), &globex.admin, None),
        (Method::GET, format!("/api/v1/resources/{id}/entries"), &globex.auditor, None),
        (Method::POST, format!("/api/v1/resources/{id}/approve"), &globex.ceo, Some(json!({"decision_ref": "x"}))),
        (
            Method::POST,
            format!("/api/v1/resources/{id}/refuse"),
            &globex.ceo,
            Some(json!({"decision_ref": "x", "reason": "y"})),
        ),
        (
            Method::POST,
            format!("/api/v1/resources/{id}/entries"),
            &globex.manager,
            Some(json!({"amount": "1.00", "spent_on": "2026-11-23"})),
        ),
        (
            Method::POST,
            format!("/api/v1/resources/{id}/entries"),
            &globex.manager,
            Some(json!({"reverses": entry["id"], "note": "x"})),
        ),
        (Method::POST, format!("/api/v1/resources/{id}/close"), &globex.admin, Some(json!({"unspent": "returned"}))),
    ];
    for (method, path, token, body) in attempts {
        let reply = call(app, method.clone(), &path, token, body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {}", reply.text());
    }
    let listed = call(app, Method::GET, "/api/v1/resources", &globex.auditor, None).await.json();
    assert_eq!(listed["total"], 0);
    assert_eq!(listed["totals"], json!([]));
    let entry_id = entry["id"].to_string();
    let parts = [
        Part::file("invoice.pdf", "application/pdf", PDF),
        Part::text("record_type", "resource_entry"),
        Part::text("record_id", &entry_id),
    ];
    assert_eq!(app.upload("/api/v1/evidence", Some(&globex.admin), &parts).await.status, StatusCode::NOT_FOUND);
    assert_eq!(before, fingerprint(app, acme.id).await);

    // Within its own organisation, the invoice attaches to the entry and shows on it.
    let uploaded = app.upload("/api/v1/evidence", Some(&acme.manager), &parts).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.text());
    let entries = call(app, Method::GET, &format!("/api/v1/resources/{id}/entries"), &acme.auditor, None).await.json();
    assert_eq!(entries["items"][0]["evidence"], json!([uploaded.json()["id"]]));
    let id_text = id.to_string();
    let commitment_parts = [
        Part::file("case.pdf", "application/pdf", PDF),
        Part::text("record_type", "resource_commitment"),
        Part::text("record_id", &id_text),
    ];
    assert_eq!(
        app.upload("/api/v1/evidence", Some(&acme.manager), &commitment_parts).await.status,
        StatusCode::CREATED
    );
}

on_both_databases!(
    a_commitment_runs_from_request_to_closure,
    only_top_management_approves_or_refuses,
    steps_out_of_order_are_conflicts_that_change_nothing,
    bad_input_is_refused_with_a_message_and_changes_nothing,
    another_organisation_sees_and_touches_nothing,
);
