//! Importing people from CSV: a dry run reports and changes nothing; bad rows are named and block the import;
//! a good list adds people and moves departments, ledgered, and campaigns then reach them.

use crate::harness::{Reply, TestApp};
use crate::on_both_databases;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use mandate::db;
use mandate::domain::ids::OrgId;
use serde_json::json;

pub async fn send_csv(app: &TestApp, path: &str, token: &str, csv: &str) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv.to_string()))
        .unwrap();
    app.send(request, "198.51.100.7").await
}

async fn members(app: &TestApp, org: OrgId) -> Vec<(String, Option<String>)> {
    let mut c = app.db.read().await.unwrap();
    let page = db::membership::list(&mut c.conn(), org, "", 1000, 0).await.unwrap();
    page.members.into_iter().map(|m| (m.email, m.department)).collect()
}

async fn a_dry_run_reports_and_changes_nothing(app: &TestApp) {
    let org = app.org("acme").await;
    let admin = mandate::accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap().user_id;
    let token = app.token(org, admin).await;
    app.org("globex").await;
    let before = members(app, org).await;
    let csv = "name,email,department,role\nAda Lovelace,ada@acme.test,IT,\nAdmin,admin@acme.test,Management,admin\n\
               Someone,admin@globex.test,,\n";
    let reply = send_csv(app, "/api/v1/people/import?dry_run=true", &token, csv).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let report = reply.json();
    assert_eq!(report["applied"], false);
    assert_eq!(report["added"][0]["email"], "ada@acme.test");
    assert_eq!(report["updated"][0]["change"], "department none → Management");
    let linked = report["added"][1]["change"].as_str().unwrap();
    assert!(linked.contains("existing Mandate account"), "{report}");
    assert!(!reply.text().contains("Admin of globex"), "nothing of the other organisation's account is shown");
    assert_eq!(before, members(app, org).await, "a dry run changes nothing");

    // Bad rows are named by line, and block the import entirely.
    let bad = "name,email,role\nGrace,grace@acme.test,\nBob,bob-at-acme,\nEve,eve@acme.test,overlord\n";
    let reply = send_csv(app, "/api/v1/people/import", &token, bad).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = reply.json()["errors"].clone();
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[1]["line"], 4);
    assert!(errors[1]["message"].as_str().unwrap().contains("overlord"));
    assert_eq!(before, members(app, org).await, "nothing is imported while a row is wrong");

    let reply = app.api(Method::POST, "/api/v1/people/import", Some(&token), Some(json!({"name": "x"}))).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let reply = send_csv(app, "/api/v1/people/import", &token, "first,last\nA,B\n").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("name, email"), "{}", reply.text());

    // A file that is not UTF-8 (Latin-1 "é") and one over the body limit are answered in the API's own format.
    let latin1 = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/people/import")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(b"name,email\nJos\xe9,jose@acme.test\n".to_vec()))
        .unwrap();
    let reply = app.send(latin1, "198.51.100.7").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.json()["error"]["message"].as_str().unwrap().contains("UTF-8"), "{}", reply.text());
    let huge = format!("name,email\n{}", "A,a@acme.test\n".repeat(100_000));
    let reply = send_csv(app, "/api/v1/people/import", &token, &huge).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.json()["error"]["message"].as_str().unwrap().contains("split it"), "{}", reply.text());
    assert_eq!(before, members(app, org).await, "refused files change nothing");
}

async fn an_import_adds_people_and_campaigns_reach_them(app: &TestApp) {
    let org = app.org("acme").await;
    let admin = mandate::accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap().user_id;
    let token = app.token(org, admin).await;
    let mut csv = String::from("email,name,department\n");
    for i in 0..30 {
        csv += &format!("p{i}@acme.test,Person {i},{}\n", if i % 3 == 0 { "Warehouse" } else { "Transport" });
    }
    let reply = send_csv(app, "/api/v1/people/import", &token, &csv).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["added"].as_array().unwrap().len(), 30);
    assert_eq!(reply.json()["applied"], true);
    // Importing the same list again changes nothing; a department move is reported and made.
    let again = send_csv(app, "/api/v1/people/import", &token, &csv).await.json();
    assert_eq!(again["unchanged"].as_array().unwrap().len(), 30);
    let moved =
        send_csv(app, "/api/v1/people/import", &token, "email,name,department\np1@acme.test,Person 1,Warehouse\n")
            .await;
    assert_eq!(moved.json()["updated"][0]["change"], "department Transport → Warehouse");
    let all = members(app, org).await;
    assert!(all.contains(&("p1@acme.test".into(), Some("Warehouse".into()))));

    // A campaign for the warehouse reaches the 11 people now in it.
    let ceo = app.member(org, "acme", mandate::domain::role::Role::TopManagement).await;
    let ceo_token = app.token(org, ceo).await;
    let policy = app
        .api(
            Method::POST,
            "/api/v1/policies",
            Some(&token),
            Some(json!({"title": "Forklifts", "body": "Drive safely."})),
        )
        .await
        .json();
    let steps = format!("/api/v1/policies/{}/versions/1/steps", policy["id"]);
    app.api(Method::POST, &steps, Some(&token), Some(json!({"step": "submit"}))).await;
    app.api(Method::POST, &steps, Some(&ceo_token), Some(json!({"step": "approve"}))).await;
    let published = app
        .api(
            Method::POST,
            &steps,
            Some(&token),
            Some(json!({"step": "publish", "audience": {"departments": ["warehouse"]}})),
        )
        .await;
    assert_eq!(published.json()["acknowledgements_requested"], 11, "{}", published.text());
}

async fn the_import_page_checks_then_imports(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    browser.sign_in("admin@acme.test").await;
    browser.get("/admin/import").await;
    let csv = "name,email,department\nLin Chen,lin@acme.test,Finance\n";
    let checked = browser.post("/admin/import", &[("csv", csv), ("action", "check")]).await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.text().contains("What the import would do") && checked.text().contains("lin@acme.test"));
    let imported = browser.post("/admin/import", &[("csv", csv), ("action", "import")]).await;
    assert!(imported.text().contains("Imported"), "{}", imported.text());
    let bad = browser.post("/admin/import", &[("csv", "name,email\nX,nope\n"), ("action", "import")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("Line 2"), "{}", bad.text());
}

on_both_databases!(
    a_dry_run_reports_and_changes_nothing,
    an_import_adds_people_and_campaigns_reach_them,
    the_import_page_checks_then_imports
);
