//! The Leadership Evidence Index on small hand-built histories: a duty with no record is missing, a fresh record
//! evidences it, the window's end leaves it stale, a record made on a manager's behalf counts half, windows are
//! per organisation and ledgered, and nothing of one organisation shows in another's index.

use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::domain::ids::{OrgId, UserId};
use mandate::domain::role::Role;
use serde_json::{Value, json};

const DAY: i64 = 86_400;

fn duty<'a>(index: &'a Value, key: &str) -> &'a Value {
    index["duties"].as_array().unwrap().iter().find(|d| d["key"] == key).unwrap()
}

async fn ledger_size(app: &TestApp, org: OrgId) -> i64 {
    crate::communication::ledger_size(app, org).await
}

async fn send(app: &TestApp, token: &str, communicator: UserId, sent_on: &str) {
    let body = json!({"sent_on": sent_on, "channel": "email", "subject": "Why we patch on Tuesdays",
        "external_audience": "All staff", "audience_size": 40, "communicator_id": communicator});
    let reply = app.api(Method::POST, "/api/v1/communications", Some(token), Some(body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
}

async fn index(app: &TestApp, token: &str) -> Value {
    let reply = app.api(Method::GET, "/api/v1/leadership", Some(token), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

async fn verdicts_follow_the_records_and_the_clock(app: &TestApp) {
    let org = app.org("acme").await;
    let ceo = app.member(org, "acme", Role::TopManagement).await;
    let ceo_token = app.token(org, ceo).await;
    let empty = index(app, &ceo_token).await;
    assert_eq!((empty["missing"].clone(), empty["overall"].clone()), (json!(16), json!(0)));
    assert_eq!(duty(&empty, "7.4")["verdict"], "missing");
    assert!(duty(&empty, "7.4")["explanation"].as_str().unwrap().contains("communications sent by top management"));
    assert_eq!(empty["managers"][0]["score"], 0);
    assert_eq!(empty["trend"].as_array().unwrap().len(), 12);

    send(app, &ceo_token, ceo, "2026-11-20").await;
    let one = index(app, &ceo_token).await;
    let comm = duty(&one, "7.4");
    assert_eq!((comm["verdict"].clone(), comm["score"].clone()), (json!("evidenced"), json!(29)), "{comm}");
    assert!(comm["explanation"].as_str().unwrap().contains("In the last 90 days: 1 communications sent"), "{comm}");
    assert_eq!(one["trend"].as_array().unwrap().last().unwrap()["overall"], one["overall"]);
    assert!(one["managers"][0]["score"].as_i64().unwrap() > 0);

    // Ninety days on, the communication no longer evidences 7.4: stale, with the date it was sent.
    app.clock.advance(88 * DAY);
    let stale = index(app, &ceo_token).await;
    assert_eq!(duty(&stale, "7.4")["verdict"], "stale");
    assert!(duty(&stale, "7.4")["explanation"].as_str().unwrap().contains("2026-11-20"));
    // The trend still shows the month it counted in.
    let trend = stale["trend"].as_array().unwrap();
    assert!(trend.iter().any(|p| p["overall"].as_i64().unwrap() > 0) && trend.last().unwrap()["overall"] == 0);
}

async fn records_made_on_a_managers_behalf_count_half(app: &TestApp) {
    let org = app.org("acme").await;
    let ceo = app.member(org, "acme", Role::TopManagement).await;
    let cfo = app.member_as(org, "cfo@acme.test", Role::TopManagement).await;
    let manager = app.member(org, "acme", Role::IsmsManager).await;
    let (ceo_token, manager_token) = (app.token(org, ceo).await, app.token(org, manager).await);
    send(app, &ceo_token, ceo, "2026-11-20").await;
    send(app, &ceo_token, ceo, "2026-11-21").await;
    send(app, &manager_token, cfo, "2026-11-20").await;
    send(app, &manager_token, cfo, "2026-11-21").await;
    let index = index(app, &ceo_token).await;
    let managers = index["managers"].as_array().unwrap();
    let of = |id: UserId| managers.iter().find(|m| m["user_id"] == json!(id)).unwrap();
    assert_eq!((of(ceo)["own"].clone(), of(ceo)["on_behalf"].clone()), (json!(2), json!(0)));
    assert_eq!((of(cfo)["own"].clone(), of(cfo)["on_behalf"].clone()), (json!(0), json!(2)));
    assert!(of(ceo)["score"].as_i64() > of(cfo)["score"].as_i64(), "{managers:?}");
    assert!(of(cfo)["explanation"].as_str().unwrap().contains("made on their behalf and count half"));
    // The duty's page lists the records with who made them.
    let page = app.api(Method::GET, "/api/v1/leadership/duties/7.4", Some(&ceo_token), None).await.json();
    let records = page["records"][0].as_array().unwrap();
    assert_eq!(records.len(), 4);
    assert_eq!(records.iter().filter(|r| r["own"] == true).count(), 2);
    assert!(records.iter().all(|r| r["record_type"] == "communication"));
    let unknown = app.api(Method::GET, "/api/v1/leadership/duties/5.9", Some(&ceo_token), None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn windows_are_the_organisations_own_and_ledgered(app: &TestApp) {
    let org = app.org("acme").await;
    let ceo = app.member(org, "acme", Role::TopManagement).await;
    let auditor = app.member(org, "acme", Role::Auditor).await;
    let (ceo_token, auditor_token) = (app.token(org, ceo).await, app.token(org, auditor).await);
    send(app, &ceo_token, ceo, "2026-08-01").await;
    assert_eq!(duty(&index(app, &ceo_token).await, "7.4")["verdict"], "stale");
    let before = ledger_size(app, org).await;
    for bad in [json!({"window_days": 10}), json!({"window_days": 5000}), json!({"days": 120})] {
        let reply = app.api(Method::PATCH, "/api/v1/leadership/windows/7.4", Some(&ceo_token), Some(bad)).await;
        assert_eq!(reply.status.as_u16() / 100, 4, "{}", reply.text());
    }
    assert_eq!(ledger_size(app, org).await, before, "refused windows change nothing");
    let body = json!({"window_days": 180});
    let set = app.api(Method::PATCH, "/api/v1/leadership/windows/7.4", Some(&ceo_token), Some(body.clone())).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    assert_eq!(ledger_size(app, org).await, before + 1);
    let after = index(app, &ceo_token).await;
    assert_eq!(
        (duty(&after, "7.4")["verdict"].clone(), duty(&after, "7.4")["window_days"].clone()),
        (json!("evidenced"), json!(180))
    );
    let refused = app.api(Method::PATCH, "/api/v1/leadership/windows/7.4", Some(&auditor_token), Some(body)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Another organisation keeps the default and sees none of acme's records.
    let other = app.org("globex").await;
    let their_ceo = app.member(other, "globex", Role::TopManagement).await;
    let their_token = app.token(other, their_ceo).await;
    let theirs = index(app, &their_token).await;
    assert_eq!(
        (duty(&theirs, "7.4")["verdict"].clone(), duty(&theirs, "7.4")["window_days"].clone()),
        (json!("missing"), json!(90))
    );
    let page = app.api(Method::GET, "/api/v1/leadership/duties/7.4", Some(&their_token), None).await.json();
    assert!(page["records"][0].as_array().unwrap().is_empty());
}

async fn the_page_is_top_managements_home_and_read_only_for_auditors(app: &TestApp) {
    let org = app.org("acme").await;
    app.member(org, "acme", Role::TopManagement).await;
    app.member(org, "acme", Role::Auditor).await;
    app.member(org, "acme", Role::Employee).await;
    let ceo = app.browser();
    ceo.sign_in("top_management@acme.test").await;
    let home = ceo.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text().contains("Leadership Evidence Index") && home.text().contains("My tasks"));
    assert!(home.text().contains("/leadership/windows"));
    let auditor = app.browser();
    auditor.sign_in("auditor@acme.test").await;
    let page = auditor.get("/leadership").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Leadership Evidence Index") && !page.text().contains("/leadership/windows"));
    assert_eq!(auditor.get("/leadership/windows").await.status, StatusCode::FORBIDDEN);
    let duty = auditor.get("/leadership/duties/9.3").await;
    assert!(duty.text().contains("management reviews closed"), "{}", duty.text());
    let employee = app.browser();
    employee.sign_in("employee@acme.test").await;
    assert_eq!(employee.get("/leadership").await.status, StatusCode::FORBIDDEN);
    assert!(!employee.get("/").await.text().contains("href=\"/leadership\""));
    // The windows form: a bad value is refused with the reason and the good ones beside it are not saved either.
    let before = crate::communication::ledger_size(app, org).await;
    let bad = ceo.post("/leadership/windows", &[("5.2", "200"), ("7.4", "7")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("between 30 and 1095 days"));
    assert_eq!(crate::communication::ledger_size(app, org).await, before);
    assert!(!ceo.get("/leadership/windows").await.text().contains("value=\"200\""));
    let good = ceo.post("/leadership/windows", &[("7.4", "120")]).await;
    assert_eq!(good.location(), Some("/leadership/windows?done=saved"));
    assert!(ceo.get("/leadership/windows?done=saved").await.text().contains("value=\"120\""));
}

on_both_databases!(
    verdicts_follow_the_records_and_the_clock,
    records_made_on_a_managers_behalf_count_half,
    windows_are_the_organisations_own_and_ledgered,
    the_page_is_top_managements_home_and_read_only_for_auditors,
);
