//! Management reviews through the API on both databases: inputs compiled from a small hand-built history with
//! exact figures, completion refused until every input is covered and a top manager attended, closing locks the
//! review and signs a ledger checkpoint, the next review compares with it, access for employees and other
//! organisations, and the review detectors firing and staying silent.

use crate::harness::{Reply, TestApp};
use crate::meetings::{date, people};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::db;
use mandate::domain::leadership::Detector;
use mandate::domain::role::Role;
use serde_json::{Value, json};

const DAY: i64 = 86_400;

async fn call(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> Reply {
    app.api(method, path, Some(token), body).await
}

fn input<'a>(review: &'a Value, key: &str) -> &'a Value {
    review["inputs"].as_array().unwrap().iter().find(|i| i["key"] == key).unwrap_or_else(|| panic!("input {key}"))
}

fn figure<'a>(review: &'a Value, key: &str, figure: &str) -> &'a Value {
    input(review, key)["figures"].as_array().unwrap().iter().find(|f| f["key"] == figure).unwrap()
}

/// Writes notes on every required input of review `id`.
async fn cover_all(app: &TestApp, token: &str, id: i64, review: &Value) {
    for i in review["inputs"].as_array().unwrap().iter().filter(|i| i["required"] == true) {
        let path = format!("/api/v1/reviews/{id}/inputs/{}", i["key"].as_str().unwrap());
        let reply = call(app, Method::PATCH, &path, token, Some(json!({"notes": "Discussed; see the figures."}))).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
}

async fn plan_and_open(app: &TestApp, token: &str, title: &str) -> (i64, Value) {
    let body = json!({"title": title, "planned_on": date(app, 0)});
    let reply = call(app, Method::POST, "/api/v1/reviews", token, Some(body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let id = reply.json()["id"].as_i64().unwrap();
    let reply = call(app, Method::POST, &format!("/api/v1/reviews/{id}/open"), token, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    (id, reply.json())
}

async fn a_review_is_compiled_covered_completed_and_closed(app: &TestApp) {
    let p = people(app, "acme").await;
    let token = &p.manager_token;
    // History: one objective measured on track, one meeting with an improvement decision and its action.
    let objective = crate::objectives::objective(json!({}));
    let objective = call(app, Method::POST, "/api/v1/objectives", &p.ceo_token, Some(objective)).await.json()["id"]
        .as_i64()
        .unwrap();
    assert!(crate::objectives::measure(app, &p.ceo_token, objective, 96.0, &date(app, 0)).await.status.is_success());
    let meeting = json!({"kind": "management_team", "title": "Monthly", "held_on": date(app, 0), "chair_id": p.ceo});
    let meeting =
        call(app, Method::POST, "/api/v1/meetings", token, Some(meeting)).await.json()["id"].as_i64().unwrap();
    let decision = json!({"text": "Run a tabletop exercise", "topic": "improvement", "decided_by": p.ceo});
    let reply = call(app, Method::POST, &format!("/api/v1/meetings/{meeting}/decisions"), token, Some(decision)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let schedule = json!({"every_months": 6, "chair_id": p.ceo, "attendee_ids": [p.cfo]});
    let reply = call(app, Method::PATCH, "/api/v1/reviews/schedule", token, Some(schedule)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["schedule"]["attendees"].as_array().unwrap().len(), 2, "the chair is always required");

    let (id, review) = plan_and_open(app, token, "Autumn review").await;
    assert_eq!(review["status"], "open");
    assert_eq!(review["inputs"].as_array().unwrap().len(), 13);
    assert!(input(&review, "a_previous_actions")["summary"].as_str().unwrap().contains("first management review"));
    for key in ["b_issues", "c_interested_parties", "d1_nonconformities", "e_feedback", "f_risks"] {
        assert!(input(&review, key)["summary"].as_str().unwrap().starts_with("No register yet"), "{key}");
        assert_eq!(input(&review, key)["required"], true);
    }
    assert_eq!(figure(&review, "d2_monitoring", "measurements")["value"], "1");
    assert_eq!(
        figure(&review, "d2_monitoring", "objectives_measured")["records"][0]["url"],
        format!("/objectives/{objective}")
    );
    assert_eq!(figure(&review, "d4_objectives", "on_track")["value"], "1");
    assert_eq!(figure(&review, "d4_objectives", "on_track_share")["value"], "100 % (1 of 1)");
    assert_eq!(figure(&review, "g_improvement", "improvement_decisions")["value"], "1");
    assert!(input(&review, "continuity")["summary"].as_str().unwrap().contains("not enabled"));

    // Completion is refused until every input is covered and a top manager attended.
    let reply = call(app, Method::POST, &format!("/api/v1/reviews/{id}/complete"), token, None).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.text().contains("notes for") && reply.text().contains("top manager"), "{}", reply.text());
    cover_all(app, token, id, &review).await;
    let reply = call(app, Method::POST, &format!("/api/v1/reviews/{id}/complete"), token, None).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(!reply.text().contains("notes for") && reply.text().contains("top manager"), "{}", reply.text());
    // Top managers recorded absent do not count as attending.
    let absent = json!([{"user_id": p.ceo, "presence": "absent"}, {"user_id": p.cfo, "presence": "excused"}]);
    let reply =
        call(app, Method::PATCH, &format!("/api/v1/reviews/{id}/attendance"), token, Some(absent.clone())).await;
    assert!(reply.status.is_success(), "{}", reply.text());
    let reply = call(app, Method::POST, &format!("/api/v1/reviews/{id}/complete"), token, None).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.text().contains("top manager"), "{}", reply.text());
    let output = json!({"kind": "improvement", "text": "Extend phishing drills", "decided_by": p.ceo,
        "actions": [{"title": "Plan the drills", "owner_id": p.cfo, "due_on": date(app, 20)}]});
    let reply = call(app, Method::POST, &format!("/api/v1/reviews/{id}/outputs"), token, Some(output.clone())).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let present = json!([{"user_id": p.ceo, "presence": "present"}, {"user_id": p.cfo, "presence": "excused"}]);
    call(app, Method::PATCH, &format!("/api/v1/reviews/{id}/attendance"), token, Some(present)).await;
    let reply = call(app, Method::POST, &format!("/api/v1/reviews/{id}/complete"), token, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

    // Closing locks it and signs a checkpoint in the same transaction.
    let reply = call(app, Method::POST, &format!("/api/v1/reviews/{id}/close"), token, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let size = reply.json()["checkpoint_size"].as_i64().expect("the checkpoint size is kept");
    let mut c = app.db.read().await.unwrap();
    let checkpoint = db::ledger::latest_checkpoint(&mut c.conn(), p.org).await.unwrap().unwrap();
    assert_eq!(checkpoint.size, size);
    drop(c);
    let notes = json!({"notes": "changed"});
    let path = format!("/api/v1/reviews/{id}/inputs/b_issues");
    assert_eq!(call(app, Method::PATCH, &path, token, Some(notes)).await.status, StatusCode::CONFLICT);
    let path = format!("/api/v1/reviews/{id}/outputs");
    assert_eq!(call(app, Method::POST, &path, token, Some(output)).await.status, StatusCode::CONFLICT);
    for step in ["recompile", "complete", "close", "open"] {
        let path = format!("/api/v1/reviews/{id}/{step}");
        assert_eq!(call(app, Method::POST, &path, token, None).await.status, StatusCode::CONFLICT, "{step}");
    }
    let path = format!("/api/v1/reviews/{id}/attendance");
    assert_eq!(call(app, Method::PATCH, &path, token, Some(absent)).await.status, StatusCode::CONFLICT);
    let meeting = reply_meeting(app, token, id).await;
    let decision = json!({"text": "late", "topic": "other"});
    let path = format!("/api/v1/meetings/{meeting}/decisions");
    assert_eq!(call(app, Method::POST, &path, token, Some(decision)).await.status, StatusCode::CONFLICT);

    // A month later: the next review reports the first one's action (now overdue) and compares figures.
    app.clock.advance(30 * DAY);
    assert!(crate::objectives::measure(app, &p.ceo_token, objective, 97.0, &date(app, 0)).await.status.is_success());
    let (_, review) = plan_and_open(app, token, "Winter review").await;
    assert_eq!(review["previous_id"], id);
    assert_eq!(figure(&review, "a_previous_actions", "overdue")["value"], "1");
    assert_eq!(figure(&review, "a_previous_actions", "done")["value"], "0");
    let measurements = figure(&review, "d2_monitoring", "measurements");
    assert_eq!(measurements["previous_value"], "1");
    assert_eq!(measurements["change"], "1 → 2 (+1)");

    // The minutes of the closed review print its figures with links, and the auditor reads the page.
    app.member(p.org, "acme", Role::Auditor).await;
    let page = app.browser();
    page.sign_in("auditor@acme.test").await;
    let minutes = page.get(&format!("/reviews/{id}/minutes")).await;
    assert_eq!(minutes.status, StatusCode::OK);
    let html = minutes.text();
    assert!(
        html.contains(&format!("href=\"/objectives/{objective}\"")) && html.contains(&format!("first {size} events"))
    );
    assert!(!html.contains("<nav"), "the minutes print without navigation");
    assert_eq!(page.get(&format!("/reviews/{id}")).await.status, StatusCode::OK);
    assert_eq!(page.get("/reviews").await.status, StatusCode::OK);
}

async fn reply_meeting(app: &TestApp, token: &str, id: i64) -> i64 {
    call(app, Method::GET, &format!("/api/v1/reviews/{id}"), token, None).await.json()["meeting_id"].as_i64().unwrap()
}

async fn employees_and_other_organisations_are_refused(app: &TestApp) {
    let p = people(app, "acme").await;
    let other = people(app, "globex").await;
    let schedule = json!({"every_months": 6, "chair_id": p.ceo});
    call(app, Method::PATCH, "/api/v1/reviews/schedule", &p.manager_token, Some(schedule)).await;
    let (id, _) = plan_and_open(app, &p.manager_token, "Review").await;
    assert_eq!(call(app, Method::GET, "/api/v1/reviews", &p.employee_token, None).await.status, StatusCode::FORBIDDEN);
    let path = format!("/api/v1/reviews/{id}");
    assert_eq!(call(app, Method::GET, &path, &p.employee_token, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(call(app, Method::GET, &path, &other.manager_token, None).await.status, StatusCode::NOT_FOUND);
    let notes = json!({"notes": "from elsewhere"});
    let path = format!("/api/v1/reviews/{id}/inputs/b_issues");
    assert_eq!(call(app, Method::PATCH, &path, &other.manager_token, Some(notes)).await.status, StatusCode::NOT_FOUND);
    // A chair must be top management.
    let schedule = json!({"every_months": 6, "chair_id": p.employee});
    let reply = call(app, Method::PATCH, "/api/v1/reviews/schedule", &p.manager_token, Some(schedule)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let schedule = json!({"every_months": 30, "chair_id": p.ceo});
    let reply = call(app, Method::PATCH, "/api/v1/reviews/schedule", &p.manager_token, Some(schedule)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn detectors(app: &TestApp, org: mandate::domain::ids::OrgId) -> Vec<(Detector, String)> {
    let mut c = app.db.read().await.unwrap();
    let found = mandate::leadership::detectors::review::findings(&mut c.conn(), org, app.now()).await.unwrap();
    found.into_iter().map(|f| (f.detector, f.subject)).collect()
}

async fn review_detectors_fire_only_on_what_is_true(app: &TestApp) {
    let p = people(app, "acme").await;
    assert!(detectors(app, p.org).await.is_empty(), "a new organisation owes no review yet");
    let schedule = json!({"every_months": 1, "chair_id": p.ceo});
    call(app, Method::PATCH, "/api/v1/reviews/schedule", &p.manager_token, Some(schedule)).await;
    let (id, _) = plan_and_open(app, &p.manager_token, "Held, never finished").await;
    assert!(detectors(app, p.org).await.is_empty(), "an open review held today is still being worked on");
    app.clock.advance(70 * DAY);
    let found = detectors(app, p.org).await;
    let subject = format!("management_review:{id}");
    assert!(found.contains(&(Detector::ReviewMissingInputs, subject.clone())), "{found:?}");
    assert!(found.contains(&(Detector::ReviewWithoutTopManagement, subject)), "{found:?}");
    assert!(found.iter().any(|f| f.0 == Detector::ReviewOverdue), "{found:?}");
    // Held properly and closed: all three fall silent.
    let review = call(app, Method::GET, &format!("/api/v1/reviews/{id}"), &p.manager_token, None).await.json();
    cover_all(app, &p.manager_token, id, &review).await;
    let present = json!([{"user_id": p.ceo, "presence": "present"}]);
    call(app, Method::PATCH, &format!("/api/v1/reviews/{id}/attendance"), &p.manager_token, Some(present)).await;
    for step in ["complete", "close"] {
        let reply = call(app, Method::POST, &format!("/api/v1/reviews/{id}/{step}"), &p.manager_token, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
    // The review was held 70 days ago, so with a monthly schedule the next one is still overdue.
    let found = detectors(app, p.org).await;
    assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), vec![Detector::ReviewOverdue], "{found:?}");
    let schedule = json!({"every_months": 6, "chair_id": p.ceo});
    call(app, Method::PATCH, "/api/v1/reviews/schedule", &p.manager_token, Some(schedule)).await;
    assert!(detectors(app, p.org).await.is_empty());
}

on_both_databases!(
    a_review_is_compiled_covered_completed_and_closed,
    employees_and_other_organisations_are_refused,
    review_detectors_fire_only_on_what_is_true,
);
