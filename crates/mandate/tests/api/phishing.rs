//! Phishing simulations: recording with approval, importing GoPhish's results CSV through the API and the page
//! (the good file and every broken one: nothing imported on failure), rates, re-import, the ledger, and
//! another organisation's refusal.

use crate::harness::{Part, Reply, TestApp};
use crate::on_both_databases;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use mandate::db;
use mandate::domain::ids::{OrgId, UserId};
use mandate::domain::role::Role;
use serde_json::{Value, json};

/// A fixture file from `tests/fixtures/gophish/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/gophish/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Posts a results file to the API.
pub async fn send_results(app: &TestApp, id: i64, token: &str, bytes: &[u8], dry_run: bool) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/phishing/{id}/results/import?dry_run={dry_run}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(bytes.to_vec()))
        .unwrap();
    app.send(request, "198.51.100.9").await
}

/// A simulation body approved by `approver`.
pub fn simulation(approver: UserId) -> Value {
    json!({"name": "Parcel notice", "launched_on": "2026-11-02", "audience": "All staff",
        "approved_by": approver, "approved_on": "2026-10-28", "gophish_campaign_id": 17})
}

struct Acme {
    org: OrgId,
    manager_token: String,
    ceo: UserId,
    simulation: i64,
}

async fn acme(app: &TestApp) -> Acme {
    let org = app.org("acme").await;
    let manager = app.member(org, "acme", Role::IsmsManager).await;
    let ceo = app.member(org, "acme", Role::TopManagement).await;
    app.member(org, "acme", Role::Auditor).await;
    app.member(org, "acme", Role::Employee).await;
    let manager_token = app.token(org, manager).await;
    let reply = app.api(Method::POST, "/api/v1/phishing", Some(&manager_token), Some(simulation(ceo))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let created = reply.json();
    assert_eq!(created["approver_recorded"], false, "recorded by the ISMS manager on the CEO's behalf");
    Acme { org, manager_token, ceo, simulation: created["id"].as_i64().unwrap() }
}

async fn ledger_size(app: &TestApp, org: OrgId) -> i64 {
    db::ledger::head(&mut app.db.read().await.unwrap().conn(), org).await.unwrap().map_or(0, |h| h.size)
}

async fn results_stored(app: &TestApp, org: OrgId, id: i64) -> Vec<String> {
    let mut c = app.db.read().await.unwrap();
    let rows =
        db::phishing::results(&mut c.conn(), org, mandate::domain::ids::SimulationId(id), 1000, 0).await.unwrap();
    rows.into_iter().map(|r| format!("{} {} {}", r.email, r.status, r.reported)).collect()
}

async fn good_file_is_checked_imported_and_reimported(app: &TestApp) {
    let a = acme(app).await;
    let before = ledger_size(app, a.org).await;
    let dry = send_results(app, a.simulation, &a.manager_token, &fixture("good.csv"), true).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text());
    let dry = dry.json();
    assert_eq!((dry["applied"].clone(), dry["tally"]["results"].clone()), (json!(false), json!(8)));
    assert!(results_stored(app, a.org, a.simulation).await.is_empty(), "a dry run stores nothing");
    assert_eq!(ledger_size(app, a.org).await, before, "a dry run records nothing");

    let reply = send_results(app, a.simulation, &a.manager_token, &fixture("good.csv"), false).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let report = reply.json();
    assert_eq!(report["applied"], true);
    assert_eq!(
        report["tally"],
        json!({"results": 8, "sent": 6, "opened": 4, "clicked": 2, "submitted": 1, "reported": 2})
    );
    assert_eq!((report["matched"].clone(), report["unmatched"].clone()), (json!(4), json!(4)));
    assert_eq!(report["rates"]["clicked"], json!(2.0 / 6.0));
    assert_eq!(ledger_size(app, a.org).await, before + 1, "one event per import, not per row");
    let sha = report["sha256"].as_str().unwrap().to_string();
    let events = app.api(Method::GET, "/api/v1/ledger/events?limit=500", Some(&a.manager_token), None).await.json();
    assert!(events.to_string().contains("import_results"), "{events}");

    let shown = app.api(Method::GET, &format!("/api/v1/phishing/{}", a.simulation), Some(&a.manager_token), None).await;
    let shown = shown.json();
    assert_eq!(shown["simulation"]["import_sha256"], json!(sha));
    assert_eq!(shown["simulation"]["tally"]["sent"], 6);
    assert_eq!(shown["departments"].as_array().unwrap().len(), 1, "matched members without a department: {shown}");
    let results =
        app.api(Method::GET, &format!("/api/v1/phishing/{}/results", a.simulation), Some(&a.manager_token), None).await;
    let results = results.json();
    assert_eq!(results["total"], 8);
    assert_eq!(results["items"][2]["email"], "top_management@acme.test");
    assert_eq!(results["items"][2]["user_id"], json!(a.ceo));

    // The BOM variant is the same results; importing it replaces the eight rows.
    let again = send_results(app, a.simulation, &a.manager_token, &fixture("bom.csv"), false).await.json();
    assert_eq!((again["applied"].clone(), again["replaced"].clone()), (json!(true), json!(8)));
    assert_eq!(results_stored(app, a.org, a.simulation).await.len(), 8);
    let list = app.api(Method::GET, "/api/v1/phishing", Some(&a.manager_token), None).await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["rates"]["reported"], json!(2.0 / 6.0));
}

/// Every broken fixture with the line and column its first problem names.
pub const BROKEN: &[(&str, usize, Option<&str>)] = &[
    ("renamed_column.csv", 1, Some("mail")),
    ("missing_column.csv", 1, Some("position")),
    ("extra_column.csv", 1, Some("department")),
    ("bad_date.csv", 3, Some("send_date")),
    ("unknown_status.csv", 3, Some("status")),
    ("bad_reported.csv", 3, Some("reported")),
    ("duplicate_email.csv", 3, Some("email")),
    ("duplicate_id.csv", 3, Some("id")),
    ("empty_email.csv", 3, Some("email")),
    ("empty.csv", 1, None),
    ("latin1.csv", 3, None),
];

async fn broken_files_are_reported_and_nothing_is_imported(app: &TestApp) {
    let a = acme(app).await;
    send_results(app, a.simulation, &a.manager_token, &fixture("good.csv"), false).await;
    let stored = results_stored(app, a.org, a.simulation).await;
    let size = ledger_size(app, a.org).await;
    for (name, line, column) in BROKEN {
        for dry_run in [false, true] {
            let reply = send_results(app, a.simulation, &a.manager_token, &fixture(name), dry_run).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", reply.text());
            let report = reply.json();
            assert_eq!(report["applied"], false, "{name}");
            let first = &report["problems"][0];
            assert_eq!(first["line"], json!(line), "{name}: {report}");
            assert_eq!(first["column"].as_str(), *column, "{name}: {report}");
            assert!(!first["expected"].as_str().unwrap().is_empty(), "{name} says what would be right");
        }
        assert_eq!(results_stored(app, a.org, a.simulation).await, stored, "{name} changed the results");
        assert_eq!(ledger_size(app, a.org).await, size, "{name} was ledgered");
    }
    let wrong_type = app
        .api(
            Method::POST,
            &format!("/api/v1/phishing/{}/results/import", a.simulation),
            Some(&a.manager_token),
            Some(json!({})),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

async fn simulations_need_an_approver_who_may_approve(app: &TestApp) {
    let a = acme(app).await;
    let employee = mandate::accounts::member_by_email(&app.db, a.org, "employee@acme.test").await.unwrap().user_id;
    let reply = app.api(Method::POST, "/api/v1/phishing", Some(&a.manager_token), Some(simulation(employee))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("approved by top management or the ISMS manager"), "{}", reply.text());
    let mut late = simulation(a.ceo);
    late["approved_on"] = json!("2026-11-05");
    let reply = app.api(Method::POST, "/api/v1/phishing", Some(&a.manager_token), Some(late)).await;
    assert!(reply.text().contains("after the launch"), "{}", reply.text());
    // A top manager records their own approval.
    let ceo_token = app.token(a.org, a.ceo).await;
    let own = app
        .api(
            Method::POST,
            "/api/v1/phishing",
            Some(&ceo_token),
            Some(json!({"name": "Own",
        "launched_on": "2026-11-20", "audience": "Finance", "approved_on": "2026-11-19"})),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.text());
    assert_eq!(own.json()["approver_recorded"], true);
}

/// A results file larger than the general 1 MiB body limit is taken by the import route (the people import test
/// shows other routes keep that limit).
async fn a_results_file_over_a_mebibyte_is_accepted(app: &TestApp) {
    let a = acme(app).await;
    let mut csv = String::from(
        "id,status,ip,latitude,longitude,send_date,reported,modified_date,email,first_name,last_name,position\n",
    );
    for n in 0..12_000 {
        csv.push_str(&format!(
            "r{n},Email Opened,198.51.100.23,52.3676,4.9041,2026-11-02T09:00:04Z,false,2026-11-02T10:14:31Z,\
             temp{n}@agency.example,Temp,Worker,Picker\n"
        ));
    }
    assert!(csv.len() > 1024 * 1024, "the file is {} bytes", csv.len());
    let reply = send_results(app, a.simulation, &a.manager_token, csv.as_bytes(), true).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["tally"]["opened"], 12_000);
}

async fn another_organisation_cannot_see_or_import(app: &TestApp) {
    let a = acme(app).await;
    let b = app.org("globex").await;
    let b_admin = mandate::accounts::member_by_email(&app.db, b, "admin@globex.test").await.unwrap().user_id;
    let b_token = app.token(b, b_admin).await;
    let ledgers = (ledger_size(app, a.org).await, ledger_size(app, b).await);
    let reply = send_results(app, a.simulation, &b_token, &fixture("good.csv"), false).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(results_stored(app, b, a.simulation).await.is_empty(), "nothing is stored under the caller's organisation");
    assert_eq!(ledgers, (ledger_size(app, a.org).await, ledger_size(app, b).await), "neither ledger moved");
    for path in [format!("/api/v1/phishing/{}", a.simulation), format!("/api/v1/phishing/{}/results", a.simulation)] {
        assert_eq!(app.api(Method::GET, &path, Some(&b_token), None).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(app.api(Method::GET, "/api/v1/phishing", Some(&b_token), None).await.json()["total"], 0);
    assert!(results_stored(app, a.org, a.simulation).await.is_empty());
    // Employees see no results at all.
    let employee = mandate::accounts::member_by_email(&app.db, a.org, "employee@acme.test").await.unwrap().user_id;
    let token = app.token(a.org, employee).await;
    assert_eq!(app.api(Method::GET, "/api/v1/phishing", Some(&token), None).await.status, StatusCode::FORBIDDEN);
}

async fn upload(app: &TestApp, browser: &crate::harness::Browser<'_>, id: i64, bytes: &[u8], action: &str) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/phishing/{id}/results?csrf_token={}", browser.csrf()))
        .header("cookie", format!("mandate_session={}", browser.cookie("mandate_session").unwrap()))
        .header("origin", crate::harness::ORIGIN)
        .header("content-type", format!("multipart/form-data; boundary={}", crate::harness::BOUNDARY))
        .body(Body::from(crate::harness::multipart(&[
            Part::file("results.csv", "text/csv", bytes),
            Part::text("action", action),
        ])))
        .unwrap();
    app.send(request, &browser.ip).await
}

async fn pages_record_check_and_import(app: &TestApp) {
    let a = acme(app).await;
    let browser = app.browser();
    browser.sign_in("isms_manager@acme.test").await;
    assert!(browser.get("/phishing/new").await.text().contains("Approved by"));
    let reply = browser
        .post(
            "/phishing",
            &[
                ("name", "Invoice lure"),
                ("audience", "All staff"),
                ("launched_on", "2026-11-10"),
                ("approved_by", &a.ceo.to_string()),
                ("approved_on", "2026-11-01"),
                ("gophish_campaign_id", ""),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let page = browser.get(reply.location().unwrap()).await.text();
    assert!(page.contains("Invoice lure") && page.contains("behalf"), "{page}");
    let id = a.simulation;
    browser.get(&format!("/phishing/{id}")).await;
    let checked = upload(app, &browser, id, &fixture("good.csv"), "check").await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
    assert!(checked.text().contains("The file is fine: 8 results"), "{}", checked.text());
    assert!(results_stored(app, a.org, id).await.is_empty());
    for (name, line, _) in BROKEN {
        let refused = upload(app, &browser, id, &fixture(name), "import").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let text = refused.text();
        assert!(text.contains("Problems in the file") && text.contains(&format!("<td>{line}</td>")), "{name}: {text}");
        assert!(results_stored(app, a.org, id).await.is_empty(), "{name}");
    }
    let imported = upload(app, &browser, id, &fixture("good.csv"), "import").await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.text());
    let page = browser.get(imported.location().unwrap()).await.text();
    assert!(page.contains("The results were imported") && page.contains("temp1@agency.example"), "{page}");
    let list = browser.get("/phishing").await.text();
    assert!(list.contains("<svg") && list.contains("33.3 %"), "{list}");
    // Auditors read; they cannot import.
    let auditor = app.browser();
    auditor.sign_in("auditor@acme.test").await;
    let page = auditor.get(&format!("/phishing/{id}")).await.text();
    assert!(page.contains("temp1@agency.example") && !page.contains("Import results from GoPhish"));
}

on_both_databases!(
    good_file_is_checked_imported_and_reimported,
    broken_files_are_reported_and_nothing_is_imported,
    simulations_need_an_approver_who_may_approve,
    another_organisation_cannot_see_or_import,
    pages_record_check_and_import,
    a_results_file_over_a_mebibyte_is_accepted,
);
