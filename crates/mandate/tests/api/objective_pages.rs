//! The objective pages: forms that set, change, measure, withdraw and close; the register; the SVG chart; and
//! another organisation that finds nothing.

use crate::harness::{PDF, Part, TestApp};
use crate::objectives::{acme, create, measure, snapshot};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::domain::objective::{Acting, Direction, Frequency, Kind};
use mandate::domain::role::Role;
use mandate::objectives::ObjectiveInput;
use serde_json::json;

/// The id at the end of a redirect to `/objectives/{id}?done=…`.
fn id_in(location: &str) -> i64 {
    location.trim_start_matches("/objectives/").split('?').next().unwrap().parse().unwrap()
}

const FORM: [(&str, &str); 10] = [
    ("statement", "Critical patches applied within two weeks"),
    ("kind", "organisational"),
    ("owner_email", "ceo@acme.test"),
    ("target_value", "14"),
    ("unit", "days"),
    ("direction", "at_most"),
    ("due_on", "2027-03-31"),
    ("resources", "One engineer a week; the patch tool"),
    ("evaluation_method", "Median time to patch from the scanner"),
    ("frequency", "monthly"),
];

async fn forms_set_measure_withdraw_and_close(app: &TestApp) {
    let acme = acme(app).await;
    let ciso = app.browser();
    ciso.sign_in("isms_manager@acme.test").await;
    assert!(ciso.get("/objectives/new").await.text().contains("Set an objective"));
    let mut bad = FORM.to_vec();
    bad[3] = ("target_value", "lots");
    let refused = ciso.post("/objectives", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("not a number") && refused.text().contains("Critical patches applied"));
    let created = ciso.post("/objectives", &FORM).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let id = id_in(created.location().unwrap());
    let page = ciso.get(created.location().unwrap()).await.text();
    assert!(page.contains("Not measured yet") && page.contains("How this status is worked out"), "{page}");
    assert!(page.contains("<svg") && page.contains("<g class=\"target\">") && page.contains("at most 14 days"));
    let mut edited = FORM.to_vec();
    edited[0] = ("statement", "Critical patches applied within 14 days");
    assert_eq!(ciso.post(&format!("/objectives/{id}"), &edited).await.status, StatusCode::SEE_OTHER);

    let ceo = app.browser();
    ceo.sign_in("ceo@acme.test").await;
    ceo.get(&format!("/objectives/{id}")).await;
    let before = snapshot(app, acme.org).await;
    let future = [("value", "20"), ("measured_on", "2026-12-01"), ("note", "scanner")];
    let refused = ceo.post(&format!("/objectives/{id}/measurements"), &future).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("cannot be dated in the future") && refused.text().contains("value=\"20\""));
    assert_eq!(before, snapshot(app, acme.org).await);
    let good = [("value", "21,5"), ("measured_on", "2026-11-20"), ("note", "scanner")];
    let measured = ceo.post(&format!("/objectives/{id}/measurements"), &good).await;
    assert_eq!(measured.status, StatusCode::SEE_OTHER, "{}", measured.text());
    let history = app.api(Method::GET, &format!("/api/v1/objectives/{id}/measurements"), Some(&acme.ciso), None).await;
    let m = history.json()["items"][0]["id"].as_i64().unwrap();
    assert_eq!(history.json()["items"][0]["value"], 21.5);
    let withdraw = format!("/objectives/{id}/measurements/{m}/withdraw");
    assert_eq!(ceo.post(&withdraw, &[("reason", "wrong scanner")]).await.status, StatusCode::SEE_OTHER);
    let page = ceo.get(&format!("/objectives/{id}?done=withdrawn")).await.text();
    assert!(page.contains("class=\"withdrawn\"") && page.contains("wrong scanner"), "{page}");

    let status = format!("/objectives/{id}/status");
    let early = ciso.post(&status, &[("status", "achieved")]).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(early.text().contains("does not meet the target"));
    assert_eq!(ciso.post(&status, &[("status", "abandoned")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = ciso.post(&status, &[("status", "abandoned"), ("status_note", "replaced by SLA objective")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = ciso.get(&format!("/objectives/{id}")).await.text();
    assert!(page.contains("badge abandoned") && page.contains("replaced by SLA objective"));
    assert!(!page.contains("Record a measurement"), "a closed objective takes no measurements");
}

async fn the_chart_is_svg_with_the_target_line(app: &TestApp) {
    let acme = acme(app).await;
    let id = create(app, &acme.ciso, json!({})).await;
    let browser = app.browser();
    browser.sign_in("auditor@acme.test").await;
    let empty = browser.get(&format!("/objectives/{id}/chart.svg")).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text().contains("No measurements yet. Target at least 95 % by 2027-06-30."));
    for (value, on) in [(60.0, "2026-09-30"), (68.0, "2026-10-31"), (75.0, "2026-11-20")] {
        measure(app, &acme.ciso, id, value, on).await;
    }
    let chart = browser.get(&format!("/objectives/{id}/chart.svg")).await;
    assert_eq!(chart.header("content-type"), Some("image/svg+xml; charset=utf-8"));
    let svg = chart.text();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    assert!(svg.contains("role=\"img\"") && svg.contains("<title id=") && svg.contains("<desc id="));
    assert!(svg.contains("<g class=\"target\">") && svg.contains("Target: at least 95 %"), "{svg}");
    assert_eq!(svg.matches("<circle").count(), 3);
    assert!(svg.contains("<title>2026-11-20: 75 %</title>") && svg.contains("<g class=\"trend\">"));
    assert!(svg.contains("<g class=\"today\">"), "today is marked, so silence since the last figure shows");
    assert!(!svg.contains("<script") && !svg.contains("style="), "no script, nothing the CSP would block");
    let page = browser.get(&format!("/objectives/{id}")).await.text();
    assert!(page.contains("<figure class=\"chart-wrap\">\n    <svg"), "the chart is inline");
}

async fn the_register_filters_sorts_and_pages(app: &TestApp) {
    let acme = acme(app).await;
    // Sixty objectives in one transaction, through the same operation the API uses.
    let ctx = app.ctx();
    let mut tx = app.db.begin().await.unwrap();
    for n in 0..60 {
        let input = ObjectiveInput {
            statement: format!("Objective {n:02}"),
            kind: Kind::Organisational,
            person: None,
            owner: if n % 3 == 0 { acme.ceo } else { acme.employee },
            target_value: 10.0,
            unit: "findings".into(),
            direction: Direction::AtMost,
            due_on: app.now() + (60 - n) * 86_400,
            resources: "Audit team".into(),
            evaluation_method: "Count in the audit register".into(),
            frequency: Frequency::Quarterly,
            policy_id: None,
        };
        let row = mandate::objectives::create_in(&ctx, &mut tx, acme.org, acme.ceo, &input).await.unwrap();
        if n == 0 {
            let acting = Acting { user: acme.ceo, role: Role::TopManagement };
            let reading =
                mandate::measurements::MeasurementInput { value: 4.0, measured_on: app.now(), note: String::new() };
            mandate::measurements::add_in(&ctx, &mut tx, acme.org, acting, row.id, &reading).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    let browser = app.browser();
    browser.sign_in("employee@acme.test").await;
    let first = browser.get("/objectives").await.text();
    assert!(first.contains("60 objectives") && first.contains("Page 1 of 2") && first.contains("page=2"));
    assert!(first.find("Objective 59").unwrap() < first.find("Objective 58").unwrap(), "soonest due first");
    let by_name = browser.get(&format!("/objectives?sort=statement&owner={}", acme.ceo)).await.text();
    assert!(
        by_name.contains("20 objectives")
            && by_name.find("Objective 00").unwrap() < by_name.find("Objective 03").unwrap()
    );
    assert!(by_name.contains("badge on_track") && by_name.contains("badge not_measured_yet"));
    let second = browser.get("/objectives?page=2&sort=statement").await.text();
    assert!(second.contains("Objective 59") && !second.contains("Objective 00"));
    let none = browser.get("/objectives?status=achieved").await.text();
    assert!(none.contains("0 objectives") && none.contains("No objectives match"));
    assert_eq!(browser.get("/objectives?sort=colour").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(browser.get("/objectives?owner=someone").await.status, StatusCode::BAD_REQUEST);
}

async fn another_organisation_finds_nothing(app: &TestApp) {
    let acme = acme(app).await;
    let id = create(app, &acme.ciso, json!({})).await;
    let m = measure(app, &acme.ciso, id, 50.0, "2026-11-20").await.json()["id"].as_i64().unwrap();
    let globex = app.org("globex").await;
    let admin = mandate::accounts::member_by_email(&app.db, globex, "admin@globex.test").await.unwrap().user_id;
    let token = app.token(globex, admin).await;
    let before = snapshot(app, acme.org).await;
    let requests = [
        (Method::GET, format!("/api/v1/objectives/{id}"), None),
        (Method::PATCH, format!("/api/v1/objectives/{id}"), Some(json!({"statement": "mine now"}))),
        (Method::GET, format!("/api/v1/objectives/{id}/measurements"), None),
        (
            Method::POST,
            format!("/api/v1/objectives/{id}/measurements"),
            Some(json!({"value": 1, "measured_on": "2026-11-20"})),
        ),
        (Method::POST, format!("/api/v1/objectives/{id}/measurements/{m}/withdraw"), Some(json!({"reason": "x"}))),
    ];
    for (method, path, body) in requests {
        let reply = app.api(method.clone(), &path, Some(&token), body).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {path}: {}", reply.text());
    }
    assert_eq!(app.api(Method::GET, "/api/v1/objectives", Some(&token), None).await.json()["total"], 0);
    let browser = app.browser();
    browser.sign_in("admin@globex.test").await;
    for path in [format!("/objectives/{id}"), format!("/objectives/{id}/chart.svg"), format!("/objectives/{id}/edit")] {
        assert_eq!(browser.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let posts = [
        (format!("/objectives/{id}/measurements"), vec![("value", "1"), ("measured_on", "2026-11-20")]),
        (format!("/objectives/{id}/measurements/{m}/withdraw"), vec![("reason", "x")]),
        (format!("/objectives/{id}/status"), vec![("status", "abandoned"), ("status_note", "x")]),
        (format!("/objectives/{id}"), [&FORM[..2], &[("owner_email", "admin@globex.test")], &FORM[3..]].concat()),
    ];
    for (path, fields) in posts {
        assert_eq!(browser.post(&path, &fields).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!browser.get("/objectives").await.text().contains("Staff who completed"));
    assert_eq!(before, snapshot(app, acme.org).await);
}

async fn evidence_attaches_to_objectives_and_measurements(app: &TestApp) {
    let acme = acme(app).await;
    let id = create(app, &acme.ciso, json!({})).await;
    let m = measure(app, &acme.ciso, id, 61.0, "2026-11-20").await.json()["id"].as_i64().unwrap();
    let attach = |record_type: &'static str, record_id: String, title: &'static str| {
        let token = acme.ciso.clone();
        async move {
            let parts = [
                Part::file("export.pdf", "application/pdf", PDF),
                Part::text("title", title),
                Part::text("record_type", record_type),
                Part::text("record_id", &record_id),
            ];
            app.upload("/api/v1/evidence", Some(&token), &parts).await
        }
    };
    assert_eq!(attach("measurement", m.to_string(), "LMS export November").await.status, StatusCode::CREATED);
    assert_eq!(attach("objective", id.to_string(), "Training plan").await.status, StatusCode::CREATED);
    assert_eq!(attach("measurement", "999999".into(), "Nowhere").await.status, StatusCode::NOT_FOUND);
    let path = format!("/api/v1/objectives/{id}/measurements");
    let history = app.api(Method::GET, &path, Some(&acme.auditor_token), None).await.json();
    assert_eq!(history["items"][0]["evidence"][0]["title"], "LMS export November");
    let auditor = app.browser();
    auditor.sign_in("auditor@acme.test").await;
    let page = auditor.get(&format!("/objectives/{id}")).await.text();
    assert!(page.contains("LMS export November") && page.contains("Training plan"), "{page}");
    assert!(!page.contains("Record a measurement") && !page.contains("Attach a file"), "auditors only read");
    let employee = app.browser();
    employee.sign_in("employee@acme.test").await;
    let page = employee.get(&format!("/objectives/{id}")).await.text();
    assert!(!page.contains("LMS export November"), "employees do not read the evidence vault");
}

on_both_databases!(
    evidence_attaches_to_objectives_and_measurements,
    forms_set_measure_withdraw_and_close,
    the_chart_is_svg_with_the_target_line,
    the_register_filters_sorts_and_pages,
    another_organisation_finds_nothing,
);
