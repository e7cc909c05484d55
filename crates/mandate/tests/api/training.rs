//! Training campaigns: launching enrols the audience; completions one by one or imported from CSV (a dry run
//! changes nothing; any bad row blocks the whole file); rates per department; My tasks; organisations apart.

use crate::communication::ledger_size;
use crate::harness::TestApp;
use crate::on_both_databases;
use crate::people_import::send_csv;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use mandate::accounts::NewMember;
use mandate::domain::ids::{OrgId, UserId};
use mandate::domain::role::Role;
use serde_json::json;

async fn person(app: &TestApp, org: OrgId, email: &str, department: &str) -> UserId {
    let input = NewMember {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role: Role::Employee,
        password: Some(crate::harness::PASSWORD.into()),
        expires_at: None,
        department: Some(department.into()),
    };
    mandate::accounts::add_member(&app.ctx(), org, &input).await.unwrap()
}

async fn launch_import_and_rates(app: &TestApp) {
    let org = app.org("acme").await;
    let manager = app.member(org, "acme", Role::IsmsManager).await;
    let ada = person(app, org, "ada@acme.test", "IT").await;
    person(app, org, "bob@acme.test", "IT").await;
    person(app, org, "cy@acme.test", "Sales").await;
    let token = app.token(org, manager).await;
    let body =
        json!({"title": "Phishing basics", "audience": {"departments": ["IT", "Sales"]}, "due_on": "2026-12-15"});
    let reply = app.api(Method::POST, "/api/v1/training", Some(&token), Some(body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let id = reply.json()["id"].as_i64().unwrap();
    assert_eq!(reply.json()["enrolled"], 3);

    // Ada's open training is one of her tasks.
    let ada_token = app.token(org, ada).await;
    let tasks = app.api(Method::GET, "/api/v1/me/tasks", Some(&ada_token), None).await.json();
    let tasks = tasks.as_array().unwrap();
    assert!(tasks.iter().any(|t| t["kind"] == "complete_training" && t["training_id"] == id), "{tasks:?}");
    let home = app.browser();
    home.sign_in("ada@acme.test").await;
    assert!(home.get("/").await.text().contains("Complete the training “Phishing basics”"));
    assert_eq!(app.api(Method::GET, "/api/v1/training", Some(&ada_token), None).await.status, StatusCode::FORBIDDEN);

    // Every broken file is refused whole, and nothing is recorded.
    let path = format!("/api/v1/training/{id}/completions/import");
    let before = ledger_size(app, org).await;
    app.org("globex").await;
    let broken = [
        ("email,completed_on\nnobody@acme.test,2026-11-20\n", "not a member"),
        ("email,completed_on\nadmin@globex.test,2026-11-20\n", "not a member"),
        ("email,completed_on\nisms_manager@acme.test,2026-11-20\n", "not enrolled"),
        ("email,completed_on\nada@acme.test,20/11/2026\n", "not a date"),
        ("email,completed_on\nada@acme.test,2026-12-01\n", "in the future"),
        ("email,completed_on\nada@acme.test,2026-11-20\nADA@acme.test,2026-11-21\n", "already on line 2"),
        (
            "email,completed_on\nada@acme.test,2026-11-20\nbob@acme.test,2026-11-20,\ncy@acme.test,2026-11-33\n",
            "2026-11-33",
        ),
    ];
    for (csv, message) in broken {
        let reply = send_csv(app, &path, &token, csv).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{csv}: {}", reply.text());
        assert!(reply.text().contains(message), "{csv}: {}", reply.text());
        assert_eq!(reply.json()["applied"], false);
    }
    // Each error names its own line: the third data row (line 4) holds the impossible date.
    let csv = "email,completed_on\nada@acme.test,2026-11-20\nbob@acme.test,2026-11-20\ncy@acme.test,2026-11-33\n";
    let errors = send_csv(app, &path, &token, csv).await.json()["errors"].clone();
    assert!(
        errors
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["line"] == 4 && e["message"].as_str().unwrap().contains("2026-11-33")),
        "{errors}"
    );
    let reply = send_csv(app, &path, &token, "email,score\nada@acme.test,80\n").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("completed_on"), "a missing column: {}", reply.text());
    let request = Request::builder()
        .method(Method::POST)
        .uri(&path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(b"email,completed_on\n\xffada@acme.test,2026-11-20\n".to_vec()))
        .unwrap();
    let reply = app.send(request, "198.51.100.7").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("UTF-8"), "{}", reply.text());
    let json_body = app.api(Method::POST, &path, Some(&token), Some(json!({}))).await;
    assert_eq!(json_body.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(ledger_size(app, org).await, before, "nothing was recorded");

    // A dry run reports and records nothing; the import records every row.
    let good = "email,completed_on,score\nada@acme.test,2026-11-23,92\nbob@acme.test,2026-11-23,\n";
    let reply = send_csv(app, &format!("{path}?dry_run=true"), &token, good).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["recorded"].as_array().unwrap().len(), 2);
    assert_eq!(ledger_size(app, org).await, before);
    let reply = send_csv(app, &path, &token, good).await;
    assert_eq!(reply.json()["applied"], true, "{}", reply.text());
    assert_eq!(ledger_size(app, org).await, before + 2);
    let again = send_csv(app, &path, &token, good).await.json();
    assert_eq!(again["unchanged"].as_array().unwrap().len(), 2, "a second import changes nothing: {again}");

    let detail = app.api(Method::GET, &format!("/api/v1/training/{id}"), Some(&token), None).await.json();
    assert_eq!(detail["completed"], 2);
    let it = detail["departments"].as_array().unwrap().iter().find(|d| d["department"] == "IT").unwrap().clone();
    assert_eq!(it["completion_rate"], 100.0);
    let tasks = app.api(Method::GET, "/api/v1/me/tasks", Some(&ada_token), None).await.json();
    assert!(tasks.as_array().unwrap().is_empty());

    // Cy is overdue once the due date has passed; then recorded one by one.
    app.clock.advance(30 * 86_400);
    let overdue =
        app.api(Method::GET, &format!("/api/v1/training/{id}/enrolments?overdue=true"), Some(&token), None).await;
    assert_eq!(overdue.json()["total"], 1, "{}", overdue.text());
    assert_eq!(overdue.json()["items"][0]["email"], "cy@acme.test");
    let sales = app
        .api(
            Method::GET,
            &format!("/api/v1/training/{id}/enrolments?department=Sales&completed=false"),
            Some(&token),
            None,
        )
        .await;
    let cy = sales.json()["items"][0]["user_id"].as_i64().unwrap();
    let one = json!({"user_id": cy, "completed_on": "2026-12-20", "score": 101});
    let reply = app.api(Method::POST, &format!("/api/v1/training/{id}/completions"), Some(&token), Some(one)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let one = json!({"user_id": cy, "completed_on": "2026-12-20"});
    let reply =
        app.api(Method::POST, &format!("/api/v1/training/{id}/completions"), Some(&token), Some(one.clone())).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text());
    let reply = app.api(Method::POST, &format!("/api/v1/training/{id}/completions"), Some(&token), Some(one)).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);

    // Another organisation cannot see or touch it.
    let other = app.org("initech").await;
    let admin = mandate::accounts::member_by_email(&app.db, other, "admin@initech.test").await.unwrap().user_id;
    let other_token = app.token(other, admin).await;
    let before = ledger_size(app, org).await;
    assert_eq!(
        app.api(Method::GET, &format!("/api/v1/training/{id}"), Some(&other_token), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(send_csv(app, &path, &other_token, good).await.status, StatusCode::NOT_FOUND);
    assert_eq!(ledger_size(app, org).await, before);
}

async fn the_training_pages(app: &TestApp) {
    let org = app.org("acme").await;
    app.member(org, "acme", Role::IsmsManager).await;
    person(app, org, "ada@acme.test", "IT").await;
    let browser = app.browser();
    browser.sign_in("isms_manager@acme.test").await;
    let reply =
        browser.post("/training", &[("title", "Clean desk"), ("due_on", "2026-12-31"), ("everyone", "on")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.location().unwrap().to_string();
    let id = location.trim_start_matches("/training/").split('?').next().unwrap().to_string();
    assert!(browser.get(&location).await.text().contains("0 of 3 people"));
    let check =
        [("csv", "email,completed_on\nada@acme.test,2026-11-23\nzed@acme.test,2026-11-22\n"), ("action", "import")];
    let reply = browser.post(&format!("/training/{id}/import"), &check).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("Line 3: zed@acme.test is not a member"), "{}", reply.text());
    let good = [("csv", "email,completed_on\nada@acme.test,2026-11-23\n"), ("action", "import")];
    let reply = browser.post(&format!("/training/{id}/import"), &good).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.text().contains("1 of 3 people"), "{}", reply.text());
    assert!(browser.get("/training").await.text().contains("33 %"));

    let ada = app.browser();
    ada.sign_in("ada@acme.test").await;
    let mine = ada.get("/training").await;
    assert!(mine.text().contains("completed 2026-11-23"), "{}", mine.text());
    assert_eq!(ada.get(&format!("/training/{id}")).await.status, StatusCode::FORBIDDEN);
}

on_both_databases!(launch_import_and_rates, the_training_pages);
