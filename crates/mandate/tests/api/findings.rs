//! The façade detectors' findings: a detector fires on a small history and stays silent on another; dismissing
//! needs a reason, hides the finding and is ledgered; a finding becomes an action in its owner's tasks; another
//! organisation neither sees nor dismisses them; employees are refused.

use crate::harness::{PASSWORD, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::db;
use mandate::domain::ids::OrgId;
use mandate::domain::role::Role;
use serde_json::{Value, json};

async fn findings(app: &TestApp, token: &str) -> Value {
    let reply = app.api(Method::GET, "/api/v1/leadership/findings", Some(token), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

fn of<'a>(list: &'a Value, detector: &str) -> Vec<&'a Value> {
    list["findings"].as_array().unwrap().iter().filter(|f| f["detector"] == detector).collect()
}

async fn size(app: &TestApp, org: OrgId) -> i64 {
    db::ledger::head(&mut app.db.read().await.unwrap().conn(), org).await.unwrap().map_or(0, |h| h.size)
}

async fn involvement_and_overdue_actions_fire_and_clear(app: &TestApp) {
    let org = app.org("acme").await;
    let ceo = app.member(org, "acme", Role::TopManagement).await;
    let cfo = app.member_as(org, "cfo@acme.test", Role::TopManagement).await;
    let manager = app.member(org, "acme", Role::IsmsManager).await;
    let employee = app.member(org, "acme", Role::Employee).await;
    let token = app.token(org, manager).await;
    // Nobody logged anything: both managers are flagged; once the CEO logs a visit, only the CFO is.
    assert_eq!(of(&findings(app, &token).await, "no_personal_involvement").len(), 2);
    let body = json!({"kind": "workplace_visit", "manager_id": ceo});
    assert_eq!(
        app.api(Method::POST, "/api/v1/involvement", Some(&token), Some(body)).await.status,
        StatusCode::CREATED
    );
    let list = findings(app, &token).await;
    let left = of(&list, "no_personal_involvement");
    assert_eq!((left.len(), left[0]["manager"].clone()), (1, json!(cfo)));

    // Actions due today: overdue for the CFO one day later fires; the employee's does not.
    let subject = left[0]["subject"].as_str().unwrap().to_string();
    let today = mandate::domain::objective::date_text(app.now());
    let act = |owner: i64| json!({"detector": "no_personal_involvement", "subject": subject, "owner_id": owner, "due_on": today});
    let made = app.api(Method::POST, "/api/v1/leadership/findings/actions", Some(&token), Some(act(cfo.0))).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    let again = app.api(Method::POST, "/api/v1/leadership/findings/actions", Some(&token), Some(act(employee.0))).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "one open action per finding");
    assert!(of(&findings(app, &token).await, "management_actions_overdue").is_empty(), "due today is not overdue");
    app.clock.advance(86_400);
    let list = findings(app, &token).await;
    let overdue = of(&list, "management_actions_overdue");
    assert_eq!(overdue.len(), 1, "{list}");
    assert_eq!(overdue[0]["manager"], json!(cfo));
    assert_eq!(overdue[0]["records"][0]["record_type"], "action");
    assert_eq!(overdue[0]["suggested_owner"], json!(cfo));
}

async fn dismissing_and_acting(app: &TestApp) {
    let org = app.org("acme").await;
    let ceo = app.member(org, "acme", Role::TopManagement).await;
    let manager = app.member(org, "acme", Role::IsmsManager).await;
    let employee = app.member(org, "acme", Role::Employee).await;
    let (token, ceo_token) = (app.token(org, manager).await, app.token(org, ceo).await);
    let list = findings(app, &token).await;
    let incidents = of(&list, "incidents_not_discussed")[0].clone();
    assert!(incidents["explanation"].as_str().unwrap().contains("incident register exists"));
    let dismissal = |reason: &str| json!({"detector": "incidents_not_discussed", "subject": incidents["subject"], "reason": reason});
    let before = size(app, org).await;
    let refused =
        app.api(Method::POST, "/api/v1/leadership/findings/dismissals", Some(&token), Some(dismissal("  "))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((size(app, org).await, of(&findings(app, &token).await, "incidents_not_discussed").len()), (before, 1));
    let done = app
        .api(Method::POST, "/api/v1/leadership/findings/dismissals", Some(&token), Some(dismissal("No incidents yet")))
        .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text());
    assert_eq!(size(app, org).await, before + 1);
    let list = findings(app, &token).await;
    assert!(of(&list, "incidents_not_discussed").is_empty());
    assert_eq!(list["dismissed"][0]["reason"], "No incidents yet");

    // The CEO's missing involvement becomes an action in the CEO's tasks, shown on the finding.
    let mine = of(&list, "no_personal_involvement")[0].clone();
    let body = json!({"detector": "no_personal_involvement", "subject": mine["subject"]});
    let made = app.api(Method::POST, "/api/v1/leadership/findings/actions", Some(&token), Some(body)).await.json();
    assert_eq!((made["owner_id"].clone(), made["meeting_id"].clone()), (json!(ceo), Value::Null));
    let tasks = app.api(Method::GET, "/api/v1/me/tasks", Some(&ceo_token), None).await.json();
    assert!(tasks.as_array().unwrap().iter().any(|t| t["action_id"] == made["id"]), "{tasks}");
    let list = findings(app, &token).await;
    assert_eq!(of(&list, "no_personal_involvement")[0]["action"]["id"], made["id"]);

    // Another organisation sees none of it and cannot dismiss it; employees are refused.
    let other = app.org("globex").await;
    let admin_b = app.member(other, "globex", Role::IsmsManager).await;
    let b_token = app.token(other, admin_b).await;
    let b_list = findings(app, &b_token).await;
    let subject = mine["subject"].as_str().unwrap();
    assert!(!b_list.to_string().contains(subject) && b_list["dismissed"].as_array().unwrap().is_empty(), "{b_list}");
    let body = json!({"detector": "no_personal_involvement", "subject": mine["subject"], "reason": "not ours"});
    let cross = app.api(Method::POST, "/api/v1/leadership/findings/dismissals", Some(&b_token), Some(body)).await;
    assert_eq!(cross.status, StatusCode::NOT_FOUND);
    let employee_token = app.token(org, employee).await;
    let reply = app.api(Method::GET, "/api/v1/leadership/findings", Some(&employee_token), None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // The page shows every detector, the dismissed finding and the action.
    let page = app.browser();
    page.sign_in("isms_manager@acme.test").await;
    let html = page.get("/leadership/findings").await.text();
    assert!(html.contains("No incidents yet") && html.contains(&format!("action #{}", made["id"])), "{html}");
    assert!(html.contains("Needs the interview workspace"));
}

async fn the_demo_fires_the_story(app: &TestApp) {
    let demo = mandate::demo::build(&app.ctx(), "Northwind Logistics", "demo", 1, PASSWORD).await.unwrap();
    let started = std::time::Instant::now();
    let mut c = app.db.read().await.unwrap();
    let all = mandate::leadership::detectors::run_all(&mut c.conn(), demo.org, app.now()).await.unwrap();
    println!("run_all on the demo at scale 1: {:?}, {} findings", started.elapsed(), all.len());
    drop(c);
    let count = |d: &str| all.iter().filter(|f| f.detector.as_str() == d).count();
    for d in mandate::domain::leadership::Detector::ALL {
        println!("{}: {}", d.as_str(), count(d.as_str()));
    }
    for f in &all {
        println!("  {}", f.title);
    }
    assert!(count("resources_underspent") + count("resources_redirected") >= 1);
    let by = |d: &str, who| all.iter().any(|f| f.detector.as_str() == d && f.manager == Some(who));
    assert!(by("management_actions_overdue", demo.ceo), "the CEO's overdue actions");
    assert!(by("no_personal_involvement", demo.cfo), "the CFO's gap");
    assert!(
        all.iter()
            .any(|f| f.detector.as_str() == "communication_overdue"
                && f.title.to_lowercase().contains("report an incident")),
        "the reminder"
    );
    let others =
        ["policy_review_overdue", "meetings_without_decisions", "objectives_not_measured", "incidents_not_discussed"];
    assert!(others.iter().any(|d| count(d) > 0));
}

on_both_databases!(involvement_and_overdue_actions_fire_and_clear, dismissing_and_acting, the_demo_fires_the_story);
