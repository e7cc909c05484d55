//! Each façade detector on a small hand-built history, through the API on both databases: it fires when it
//! should (naming its subject, its records and the figures in its title), stays silent on the boundary, and
//! clears once the condition is fixed. Resources, policies, the communication plan, objectives and training here;
//! the meeting detectors in `detector_meeting_cases`.

use crate::harness::TestApp;
use crate::meetings::{People, date, people};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::domain::resource::money::show_money;
use serde_json::{Value, json};

pub const DAY: i64 = 86_400;

/// The current (not dismissed) findings the caller's organisation has now.
pub async fn findings(app: &TestApp, token: &str) -> Value {
    let reply = app.api(Method::GET, "/api/v1/leadership/findings", Some(token), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let list = reply.json();
    assert!(
        !list["findings"].as_array().unwrap().iter().any(|f| f["detector"] == "interview_claim_unsupported"),
        "the interview detector waits for its workspace and never fires: {list}"
    );
    list
}

/// The current findings of `detector`.
pub async fn of(app: &TestApp, token: &str, detector: &str) -> Vec<Value> {
    let list = findings(app, token).await;
    list["findings"].as_array().unwrap().iter().filter(|f| f["detector"] == detector).cloned().collect()
}

/// Posts `body` to `path` and returns the reply's JSON, asserting the status.
pub async fn post(app: &TestApp, token: &str, path: &str, body: Value, status: StatusCode) -> Value {
    let reply = app.api(Method::POST, path, Some(token), Some(body)).await;
    assert_eq!(reply.status, status, "{path}: {}", reply.text());
    serde_json::from_str(&reply.text()).unwrap_or(Value::Null)
}

/// An approved commitment of 1,000.00 EUR due in two days, with `spent` (in cents) spent today.
async fn commitment(app: &TestApp, p: &People, title: &str, spent: i64) -> i64 {
    let body = json!({"title": title, "purpose": "Backups (A.8.13)", "initiative": "Continuity", "amount": "1000.00",
        "currency": "EUR", "due_on": date(app, 2)});
    let id = post(app, &p.manager_token, "/api/v1/resources", body, StatusCode::CREATED).await["id"].as_i64().unwrap();
    let approve = json!({"decision_ref": "Board 2026-11 item 4"});
    post(app, &p.ceo_token, &format!("/api/v1/resources/{id}/approve"), approve, StatusCode::OK).await;
    let entry =
        json!({"amount": format!("{}.{:02}", spent / 100, spent % 100), "spent_on": date(app, 0), "note": "INV"});
    post(app, &p.manager_token, &format!("/api/v1/resources/{id}/entries"), entry, StatusCode::CREATED).await;
    id
}

async fn resources_underspent_and_redirected(app: &TestApp) {
    let p = people(app, "acme").await;
    let token = &p.manager_token;
    let exact = commitment(app, &p, "Backup appliance", 50_000).await;
    let short = commitment(app, &p, "Offsite tapes", 49_999).await;
    let moved = commitment(app, &p, "Restore drill", 90_000).await;
    let returned = commitment(app, &p, "Spare disks", 90_000).await;
    let close = |unspent: &str| json!({"unspent": unspent, "note": "to the SIEM licences"});
    post(app, token, &format!("/api/v1/resources/{moved}/close"), close("redirected"), StatusCode::OK).await;
    post(app, token, &format!("/api/v1/resources/{returned}/close"), close("returned"), StatusCode::OK).await;

    // Redirected fires as soon as the commitment is closed that way; returned money does not.
    let redirected = of(app, token, "resources_redirected").await;
    assert_eq!(redirected.len(), 1, "{redirected:?}");
    assert_eq!(redirected[0]["subject"], format!("resource_commitment:{moved}"));
    assert_eq!(
        redirected[0]["records"],
        json!([{"record_type": "resource_commitment", "id": moved, "label": "Restore drill"}])
    );
    let (approved, left) = (show_money(100_000, "EUR"), show_money(10_000, "EUR"));
    let title = format!("“Restore drill”: {approved} approved, the rest moved elsewhere ({left} left over)");
    assert_eq!(redirected[0]["title"], title);
    assert_eq!(redirected[0]["manager"], json!(p.ceo));

    // Underspent waits until the due date has passed: silent on the due date itself.
    app.clock.advance(2 * DAY);
    assert!(of(app, token, "resources_underspent").await.is_empty());
    app.clock.advance(DAY);
    let underspent = of(app, token, "resources_underspent").await;
    // Exactly half spent is enough; one cent less is not.
    assert_eq!(underspent.len(), 1, "{underspent:?}");
    let f = &underspent[0];
    assert_eq!(f["subject"], format!("resource_commitment:{short}"));
    assert_eq!(f["records"][0]["id"], short);
    let title = format!("“Offsite tapes”: {} of {approved} spent by {}", show_money(49_999, "EUR"), date(app, -1));
    assert_eq!(f["title"], title);
    assert_eq!((f["manager"].clone(), f["suggested_owner"].clone()), (json!(p.ceo), json!(p.ceo)));
    assert!(f["explanation"].as_str().unwrap().contains("less than 50%"));
    assert!(!underspent.iter().any(|f| f["subject"] == format!("resource_commitment:{exact}")));
}

/// A policy reviewed every month, approved by the CEO and published today.
async fn policy(app: &TestApp, p: &People) -> i64 {
    let body =
        json!({"title": "Information security", "body": "# Policy\n\nWe protect information.", "review_months": 1});
    let id = post(app, &p.manager_token, "/api/v1/policies", body, StatusCode::CREATED).await["id"].as_i64().unwrap();
    let steps = format!("/api/v1/policies/{id}/versions/1/steps");
    post(app, &p.manager_token, &steps, json!({"step": "submit"}), StatusCode::OK).await;
    let approve = json!({"step": "approve", "decision_ref": "Board 2026-11 item 3"});
    post(app, &p.ceo_token, &steps, approve, StatusCode::OK).await;
    post(app, &p.manager_token, &steps, json!({"step": "publish"}), StatusCode::OK).await;
    id
}

async fn policy_review_overdue(app: &TestApp) {
    let p = people(app, "acme").await;
    // Published 2026-11-23 at 15:00, reviewed monthly: due 2026-12-23; silent all that day, overdue from the
    // first moment of the next.
    app.clock.advance(15 * 3_600);
    let id = policy(app, &p).await;
    let token = &p.manager_token;
    app.clock.advance(30 * DAY + 9 * 3_600 - 1);
    assert_eq!(date(app, 0), "2026-12-23");
    assert!(of(app, token, "policy_review_overdue").await.is_empty(), "the review date itself still counts");
    app.clock.advance(1);
    let late = of(app, token, "policy_review_overdue").await;
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0]["subject"], format!("policy:{id}:due:{}", app.now() - DAY + 15 * 3_600));
    assert_eq!(late[0]["title"], "“Information security”: review due 2026-12-23, 1 days ago");
    assert_eq!(late[0]["records"], json!([{"record_type": "policy", "id": id, "label": "Information security"}]));
    // A review restarts the cycle: the finding clears.
    let review = json!({"outcome": "no_change", "note": "still fits"});
    post(app, &p.ceo_token, &format!("/api/v1/policies/{id}/reviews"), review, StatusCode::CREATED).await;
    assert!(of(app, token, "policy_review_overdue").await.is_empty());
}

async fn policy_approved_outside_top_management(app: &TestApp) {
    let p = people(app, "acme").await;
    let id = policy(app, &p).await;
    let token = &p.manager_token;
    assert!(of(app, token, "policy_approved_outside_top_management").await.is_empty(), "approved by the CEO");
    // The CEO later becomes the ISMS manager: the version in force no longer rests on top management.
    let admin = mandate::accounts::member_by_email(&app.db, p.org, "admin@acme.test").await.unwrap().user_id;
    let admin = app.token(p.org, admin).await;
    let user = format!("/api/v1/users/{}", p.ceo);
    let change = |role: &str| app.api(Method::PATCH, &user, Some(&admin), Some(json!({"role": role})));
    assert_eq!(change("isms_manager").await.status, StatusCode::OK);
    let outside = of(app, token, "policy_approved_outside_top_management").await;
    assert_eq!(outside.len(), 1, "{outside:?}");
    let f = &outside[0];
    let version = f["records"][1]["id"].as_i64().unwrap();
    assert_eq!(f["subject"], format!("policy_version:{version}"));
    assert_eq!((f["records"][0]["record_type"].clone(), f["records"][0]["id"].clone()), (json!("policy"), json!(id)));
    assert_eq!(f["records"][1]["record_type"], "policy_version");
    assert_eq!(f["title"], "“Information security” version 1: approved by Top management person, not top management");
    // Top management again: the finding clears.
    assert_eq!(change("top_management").await.status, StatusCode::OK);
    assert!(of(app, token, "policy_approved_outside_top_management").await.is_empty());
}

async fn communication_overdue(app: &TestApp) {
    let p = people(app, "acme").await;
    let plan = |subject: &str| {
        json!({"subject": subject, "frequency": "quarterly", "first_due_on": date(app, 1),
        "audience": {"everyone": true}, "channel": "town_hall"})
    };
    let entry = post(app, &p.ceo_token, "/api/v1/communication/plan", plan("Town hall: security"), StatusCode::CREATED)
        .await["id"]
        .as_i64()
        .unwrap();
    // The ISMS manager's own entry is not top management's communication.
    post(app, &p.manager_token, "/api/v1/communication/plan", plan("Newsletter"), StatusCode::CREATED).await;
    let token = &p.manager_token;
    app.clock.advance(DAY);
    assert!(of(app, token, "communication_overdue").await.is_empty(), "due today is not overdue");
    app.clock.advance(DAY);
    let late = of(app, token, "communication_overdue").await;
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0]["subject"], format!("communication_plan_entry:{entry}:due:{}", app.now() - DAY));
    assert_eq!(
        late[0]["title"],
        format!("“Town hall: security” by Top management person: due {}, 1 days ago", date(app, -1))
    );
    assert_eq!((late[0]["manager"].clone(), late[0]["records"][0]["id"].clone()), (json!(p.ceo), json!(entry)));
    // Sent today: the next one is due in a quarter and the finding clears.
    let sent = json!({"plan_entry_id": entry, "sent_on": date(app, 0)});
    post(app, &p.ceo_token, "/api/v1/communications", sent, StatusCode::CREATED).await;
    assert!(of(app, token, "communication_overdue").await.is_empty());
}

async fn objectives_not_measured(app: &TestApp) {
    let p = people(app, "acme").await;
    let id = crate::objectives::create(app, &p.ceo_token, json!({})).await;
    let token = &p.manager_token;
    // Monthly: 30 days an interval, stale after one and a half intervals (45 days).
    app.clock.advance(45 * DAY);
    assert!(of(app, token, "objectives_not_measured").await.is_empty(), "45 days is still within the allowance");
    app.clock.advance(DAY);
    let stale = of(app, token, "objectives_not_measured").await;
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0]["subject"], format!("objective:{id}:from:{}", crate::harness::T0));
    assert_eq!(stale[0]["title"], "“Staff who completed the security awareness course”: not measured for 46 days");
    assert_eq!(stale[0]["records"][0]["id"], id);
    let measured = crate::objectives::measure(app, &p.ceo_token, id, 90.0, &date(app, 0)).await;
    assert_eq!(measured.status, StatusCode::CREATED, "{}", measured.text());
    assert!(of(app, token, "objectives_not_measured").await.is_empty());
}

async fn management_training_incomplete(app: &TestApp) {
    let p = people(app, "acme").await;
    let token = &p.manager_token;
    let body = json!({"title": "Security for leaders", "audience": {"everyone": true}, "due_on": date(app, 2)});
    let id = post(app, token, "/api/v1/training", body, StatusCode::CREATED).await["id"].as_i64().unwrap();
    app.clock.advance(2 * DAY);
    assert!(of(app, token, "management_training_incomplete").await.is_empty(), "due today is not late");
    app.clock.advance(DAY);
    // Both top managers are late; the ISMS manager and the employee, also enrolled, are not top management.
    let late = of(app, token, "management_training_incomplete").await;
    let mut managers: Vec<i64> = late.iter().map(|f| f["manager"].as_i64().unwrap()).collect();
    managers.sort_unstable();
    assert_eq!(managers, vec![p.ceo.0.min(p.cfo.0), p.ceo.0.max(p.cfo.0)], "{late:?}");
    let ceo = late.iter().find(|f| f["manager"] == json!(p.ceo)).unwrap();
    assert_eq!(ceo["subject"], format!("user:{}:campaign:{id}", p.ceo));
    assert_eq!(ceo["title"], "Top management person: 1 training campaign(s) past due, not completed");
    assert_eq!(ceo["records"][0]["record_type"], "training_campaign");
    let done = json!({"user_id": p.ceo, "completed_on": date(app, 0)});
    let reply = app.api(Method::POST, &format!("/api/v1/training/{id}/completions"), Some(token), Some(done)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text());
    let left = of(app, token, "management_training_incomplete").await;
    assert_eq!((left.len(), left[0]["manager"].clone()), (1, json!(p.cfo)));
}

on_both_databases!(
    resources_underspent_and_redirected,
    policy_review_overdue,
    policy_approved_outside_top_management,
    communication_overdue,
    objectives_not_measured,
    management_training_incomplete
);
