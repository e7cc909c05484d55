//! Meetings, decisions and actions through the API on both databases: recording a meeting in one body, bad input
//! refused with nothing changed, owner-only closing, follow-through arithmetic, tasks, ledger events and
//! cross-organisation refusal.

use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::db;
use mandate::domain::ids::{OrgId, UserId};
use mandate::domain::role::Role;
use serde_json::{Value, json};

const DAY: i64 = 86_400;

/// The date `days` from the test clock's today, as YYYY-MM-DD.
pub fn date(app: &TestApp, days: i64) -> String {
    mandate::clock::format_utc(app.now() + days * DAY)[..10].to_string()
}

/// Meetings, decisions and actions of `org` and the size of its ledger.
pub async fn fingerprint(app: &TestApp, org: OrgId) -> String {
    let mut c = app.db.read().await.unwrap();
    let meetings = db::meeting::count(&mut c.conn(), org).await.unwrap();
    let decisions = db::decision::count(&mut c.conn(), org).await.unwrap();
    let filter = db::meeting_action::Filter::default();
    let (actions, _) = db::meeting_action::list(&mut c.conn(), org, &filter, 1000, 0).await.unwrap();
    let actions: Vec<String> = actions.iter().map(|a| format!("{} {} {:?}", a.id, a.status, a.closed_by)).collect();
    let ledger = db::ledger::head(&mut c.conn(), org).await.unwrap().map(|h| h.size);
    format!("{meetings} {decisions} {actions:?} {ledger:?}")
}

/// The people of a test organisation.
pub struct People {
    pub org: OrgId,
    pub ceo: UserId,
    pub cfo: UserId,
    pub employee: UserId,
    pub manager_token: String,
    pub ceo_token: String,
    pub cfo_token: String,
    pub employee_token: String,
}

pub async fn people(app: &TestApp, slug: &str) -> People {
    let org = app.org(slug).await;
    let manager = app.member(org, slug, Role::IsmsManager).await;
    let ceo = app.member(org, slug, Role::TopManagement).await;
    let cfo = app.member_as(org, &format!("cfo@{slug}.test"), Role::TopManagement).await;
    let employee = app.member(org, slug, Role::Employee).await;
    People {
        org,
        ceo,
        cfo,
        employee,
        manager_token: app.token(org, manager).await,
        ceo_token: app.token(org, ceo).await,
        cfo_token: app.token(org, cfo).await,
        employee_token: app.token(org, employee).await,
    }
}

/// A meeting body chaired by `p.ceo`, held today, with incidents on the agenda.
pub fn meeting_body(app: &TestApp, p: &People, change: Value) -> Value {
    let mut body = json!({
        "kind": "management_team",
        "title": "Management team, monthly",
        "held_on": date(app, 0),
        "place": "Board room",
        "chair_id": p.ceo,
        "attendees": [{"user_id": p.ceo}, {"user_id": p.cfo, "presence": "excused"}],
        "agenda": [
            {"title": "Phishing incident of last week", "topics": ["incidents"], "clauses": ["9.1", "A.5.24"]},
            {"title": "Budget for backups", "topics": ["resources", "continuity"], "clauses": ["7.1"]}
        ],
        "minutes": "# Minutes\n\nWe discussed the **incident**. <script>alert(1)</script>"
    });
    for (key, value) in change.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
    let reply = app.api(Method::POST, path, Some(token), Some(body)).await;
    let json = if reply.text().is_empty() { Value::Null } else { reply.json() };
    (reply.status, json)
}

async fn get(app: &TestApp, path: &str, token: &str) -> (StatusCode, Value) {
    let reply = app.api(Method::GET, path, Some(token), None).await;
    (reply.status, reply.json())
}

async fn a_meeting_is_recorded_with_a_decision_and_an_action(app: &TestApp) {
    let p = people(app, "acme").await;
    let before = fingerprint(app, p.org).await;
    let (status, meeting) = post(app, "/api/v1/meetings", &p.manager_token, meeting_body(app, &p, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{meeting}");
    assert_eq!(meeting["chair_id"], p.ceo.0);
    assert_ne!(meeting["recorded_by"], p.ceo.0, "who recorded it is kept apart from who chaired");
    assert_eq!(meeting["agenda"][0]["topics"], json!(["incidents"]));
    assert_eq!(meeting["agenda"][0]["clauses"], json!(["9.1", "A.5.24"]));
    assert_eq!(meeting["attendees"].as_array().unwrap().len(), 2);
    assert_eq!(meeting["follow_through"]["summary"], "no actions");
    let id = meeting["id"].as_i64().unwrap();
    let after_meeting = fingerprint(app, p.org).await;
    assert_ne!(before, after_meeting, "the meeting and its ledger event are written");

    let decisions = format!("/api/v1/meetings/{id}/decisions");
    let body = json!({"text": "Fund offline backups", "decided_by": p.ceo, "topic": "resources",
        "agenda_item_id": meeting["agenda"][1]["id"]});
    let (status, decision) = post(app, &decisions, &p.manager_token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    assert_eq!(decision["decided_by"], p.ceo.0);
    assert_eq!(decision["decided_on"], meeting["held_on"]);
    assert_eq!(decision["follow_through"]["summary"], "no actions");

    let actions = format!("/api/v1/meetings/{id}/actions");
    let body = json!({"title": "Order the backup appliance", "owner_id": p.employee, "due_on": date(app, 10),
        "decision_id": decision["id"]});
    let (status, action) = post(app, &actions, &p.manager_token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{action}");
    assert_eq!((action["status"].as_str(), action["overdue"].as_bool()), (Some("open"), Some(false)));

    let (_, tasks) = get(app, "/api/v1/me/tasks", &p.employee_token).await;
    let task = tasks.as_array().unwrap().iter().find(|t| t["kind"] == "meeting_action").expect("the action is a task");
    assert_eq!(task["action_id"], action["id"]);
    assert_eq!(task["url"], format!("/actions/{}", action["id"]));

    let (status, shown) = get(app, &format!("/api/v1/meetings/{id}"), &p.ceo_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(shown["actions"][0]["title"], "Order the backup appliance");
    let (_, list) = get(app, "/api/v1/meetings?topic=incidents", &p.ceo_token).await;
    assert_eq!(list["total"], 1);
    assert_eq!((list["items"][0]["decisions"].as_i64(), list["items"][0]["actions"].as_i64()), (Some(1), Some(1)));
    let (_, none) = get(app, "/api/v1/meetings?topic=suppliers", &p.ceo_token).await;
    assert_eq!(none["total"], 0);
    let (_, other_year) = get(app, "/api/v1/meetings?year=2001", &p.ceo_token).await;
    assert_eq!(other_year["total"], 0);
    let (status, _) = get(app, "/api/v1/meetings?topic=weather", &p.ceo_token).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Employees read the actions they own, not the minutes.
    assert_eq!(get(app, "/api/v1/meetings", &p.employee_token).await.0, StatusCode::FORBIDDEN);
    let (_, mine) = get(app, "/api/v1/actions", &p.employee_token).await;
    assert_eq!(mine["total"], 1);
    let (status, _) = get(app, &format!("/api/v1/actions/{}", action["id"]), &p.employee_token).await;
    assert_eq!(status, StatusCode::OK);

    // Each change wrote one ledger event of its own object type.
    let (_, events) = get(app, "/api/v1/ledger/events?limit=500", &p.manager_token).await;
    let types: Vec<&str> =
        events["items"].as_array().unwrap().iter().filter_map(|e| e["object_type"].as_str()).collect();
    for kind in ["meeting", "decision", "action"] {
        assert!(types.contains(&kind), "a {kind} event is in the ledger: {types:?}");
    }
}

async fn bad_input_is_refused_and_changes_nothing(app: &TestApp) {
    let p = people(app, "acme").await;
    let other = app.org("globex").await;
    let stranger = app.member(other, "globex", Role::TopManagement).await;
    let auditor = app.member(p.org, "acme", Role::Auditor).await;
    let (_, meeting) = post(app, "/api/v1/meetings", &p.manager_token, meeting_body(app, &p, json!({}))).await;
    let id = meeting["id"].as_i64().unwrap();
    let before = fingerprint(app, p.org).await;
    let bad_meetings = [
        (json!({"kind": "management_review"}), "management_team"),
        (json!({"held_on": date(app, 3)}), "future"),
        (json!({"held_on": "31/12/2026"}), "YYYY-MM-DD"),
        (json!({"title": " "}), "title is required"),
        (json!({"chair_id": stranger}), "not an active member"),
        (json!({"chair_id": auditor}), "auditor"),
        (json!({"attendees": [{"user_id": p.ceo}, {"user_id": p.ceo}]}), "twice"),
        (json!({"attendees": [{"user_id": p.ceo, "presence": "asleep"}]}), "present, absent, excused"),
        (json!({"agenda": [{"title": "x", "topics": []}]}), "at least one ISMS topic"),
        (json!({"agenda": [{"title": "x", "topics": ["weather"]}]}), "unknown topic"),
        (json!({"agenda": [{"title": "x", "topics": ["risks"], "clauses": ["5.9"]}]}), "not a clause"),
    ];
    for (change, message) in bad_meetings {
        let (status, body) = post(app, "/api/v1/meetings", &p.manager_token, meeting_body(app, &p, change)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(message), "{message}: {body}");
    }
    let decisions = format!("/api/v1/meetings/{id}/decisions");
    for body in [
        json!({"text": "", "topic": "risks"}),
        json!({"text": "x", "topic": "nothing"}),
        json!({"text": "x", "topic": "risks", "decided_by": stranger}),
        json!({"text": "x", "topic": "risks", "agenda_item_id": 999_999}),
    ] {
        let (status, reply) = post(app, &decisions, &p.manager_token, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    }
    let actions = format!("/api/v1/meetings/{id}/actions");
    for body in [
        json!({"title": "x", "owner_id": p.employee, "due_on": date(app, -3)}),
        json!({"title": "x", "owner_id": stranger, "due_on": date(app, 3)}),
        json!({"title": "x", "owner_id": auditor, "due_on": date(app, 3)}),
        json!({"title": "x", "owner_id": p.employee, "due_on": date(app, 3), "decision_id": 999_999}),
    ] {
        let (status, reply) = post(app, &actions, &p.manager_token, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    }
    let (status, _) =
        post(app, "/api/v1/meetings/999999/decisions", &p.manager_token, json!({"text": "x", "topic": "risks"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(before, fingerprint(app, p.org).await, "refused input changed something");
}

/// Records a meeting held today with one decision; returns (meeting, decision).
pub async fn meeting_with_decision(app: &TestApp, p: &People) -> (i64, i64) {
    let (_, meeting) = post(app, "/api/v1/meetings", &p.manager_token, meeting_body(app, p, json!({}))).await;
    let id = meeting["id"].as_i64().unwrap();
    let body = json!({"text": "Run a phishing exercise", "decided_by": p.cfo, "topic": "awareness"});
    let (_, decision) = post(app, &format!("/api/v1/meetings/{id}/decisions"), &p.manager_token, body).await;
    (id, decision["id"].as_i64().unwrap())
}

async fn add_action(app: &TestApp, p: &People, meeting: i64, decision: Option<i64>, owner: UserId, due: i64) -> i64 {
    let body = json!({"title": format!("Action due in {due} days"), "owner_id": owner, "due_on": date(app, due),
        "decision_id": decision});
    let (status, action) = post(app, &format!("/api/v1/meetings/{meeting}/actions"), &p.manager_token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{action}");
    action["id"].as_i64().unwrap()
}

async fn only_the_owner_or_the_isms_manager_closes(app: &TestApp) {
    let p = people(app, "acme").await;
    let (meeting, decision) = meeting_with_decision(app, &p).await;
    let ceo_action = add_action(app, &p, meeting, Some(decision), p.ceo, 5).await;
    let other = add_action(app, &p, meeting, None, p.employee, 5).await;
    let close = format!("/api/v1/actions/{ceo_action}/close");
    let before = fingerprint(app, p.org).await;
    for token in [&p.cfo_token, &p.employee_token] {
        let (status, body) = post(app, &close, token, json!({"note": "not mine"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    assert_eq!(before, fingerprint(app, p.org).await);
    let (status, closed) = post(app, &close, &p.ceo_token, json!({"note": "Signed the order"})).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!((closed["status"].as_str(), closed["closed_by"].as_i64()), (Some("done"), Some(p.ceo.0)));
    assert!(closed["closed_at"].is_string());
    let after = fingerprint(app, p.org).await;
    assert_eq!(post(app, &close, &p.ceo_token, json!({})).await.0, StatusCode::CONFLICT);
    assert_eq!(after, fingerprint(app, p.org).await);

    let cancel = format!("/api/v1/actions/{other}/cancel");
    assert_eq!(post(app, &cancel, &p.manager_token, json!({"reason": " "})).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(after, fingerprint(app, p.org).await);
    let (status, cancelled) = post(app, &cancel, &p.manager_token, json!({"reason": "Superseded"})).await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["cancel_reason"], "Superseded");
    let (_, tasks) = get(app, "/api/v1/me/tasks", &p.employee_token).await;
    assert!(tasks.as_array().unwrap().iter().all(|t| t["kind"] != "meeting_action"), "closed actions are no tasks");
}

async fn follow_through_counts_what_was_done_on_time(app: &TestApp) {
    let p = people(app, "acme").await;
    let (meeting, decision) = meeting_with_decision(app, &p).await;
    let on_time = add_action(app, &p, meeting, Some(decision), p.ceo, 1).await;
    let late = add_action(app, &p, meeting, Some(decision), p.ceo, 1).await;
    let _overdue = add_action(app, &p, meeting, Some(decision), p.cfo, 1).await;
    let _pending = add_action(app, &p, meeting, Some(decision), p.cfo, 30).await;
    let cancelled = add_action(app, &p, meeting, Some(decision), p.cfo, 30).await;
    let (_, empty) = meeting_with_decision(app, &p).await;
    post(app, &format!("/api/v1/actions/{on_time}/close"), &p.ceo_token, json!({})).await;
    post(app, &format!("/api/v1/actions/{cancelled}/cancel"), &p.cfo_token, json!({"reason": "Merged"})).await;
    app.clock.advance(3 * DAY);
    post(app, &format!("/api/v1/actions/{late}/close"), &p.ceo_token, json!({})).await;

    let (_, d) = get(app, &format!("/api/v1/decisions/{decision}"), &p.ceo_token).await;
    let f = &d["follow_through"];
    let counts: Vec<i64> =
        ["on_time", "late", "overdue", "pending", "cancelled"].iter().map(|k| f[k].as_i64().unwrap()).collect();
    assert_eq!(counts, vec![1, 1, 1, 1, 1], "{f}");
    assert_eq!(f["percent"], 33);
    assert_eq!(f["summary"], "33 % on time (1 of 3), 1 not yet due");
    let (_, m) = get(app, &format!("/api/v1/meetings/{meeting}"), &p.ceo_token).await;
    assert_eq!(m["follow_through"], *f, "the meeting counts the same actions as its one decision");
    let (_, none) = get(app, &format!("/api/v1/decisions/{empty}"), &p.ceo_token).await;
    assert_eq!(
        (none["follow_through"]["summary"].as_str(), none["follow_through"]["percent"].as_i64()),
        (Some("no actions"), None)
    );

    let (_, people) = get(app, "/api/v1/actions/follow-through", &p.manager_token).await;
    let of = |user: UserId| {
        people.as_array().unwrap().iter().find(|r| r["owner_id"] == user.0).unwrap()["follow_through"].clone()
    };
    assert_eq!(of(p.ceo)["summary"], "50 % on time (1 of 2)");
    assert_eq!(of(p.cfo)["summary"], "0 % on time (0 of 1), 1 not yet due");
    let (_, overdue) = get(app, "/api/v1/actions?overdue=true", &p.manager_token).await;
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["overdue"], true);
    let (_, tasks) = get(app, "/api/v1/me/tasks", &p.cfo_token).await;
    let flagged: Vec<bool> = tasks.as_array().unwrap().iter().map(|t| t["overdue"].as_bool().unwrap()).collect();
    assert_eq!(flagged, vec![true, false], "overdue first, flagged: {tasks}");
}

async fn another_organisation_sees_and_touches_nothing(app: &TestApp) {
    let p = people(app, "acme").await;
    let (meeting, decision) = meeting_with_decision(app, &p).await;
    let action = add_action(app, &p, meeting, Some(decision), p.employee, 5).await;
    let b = people(app, "globex").await;
    let before = fingerprint(app, p.org).await;
    for path in [
        format!("/api/v1/meetings/{meeting}"),
        format!("/api/v1/decisions/{decision}"),
        format!("/api/v1/actions/{action}"),
    ] {
        assert_eq!(get(app, &path, &b.manager_token).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    let body = json!({"text": "x", "topic": "risks"});
    assert_eq!(
        post(app, &format!("/api/v1/meetings/{meeting}/decisions"), &b.manager_token, body).await.0,
        StatusCode::NOT_FOUND
    );
    let body = json!({"title": "x", "owner_id": b.employee, "due_on": date(app, 3)});
    assert_eq!(
        post(app, &format!("/api/v1/meetings/{meeting}/actions"), &b.manager_token, body).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(app, &format!("/api/v1/actions/{action}/close"), &b.manager_token, json!({})).await.0,
        StatusCode::NOT_FOUND
    );
    // B's meeting cannot name A's people.
    let (status, _) = post(app, "/api/v1/meetings", &b.manager_token, meeting_body(app, &p, json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = get(app, "/api/v1/actions", &b.manager_token).await;
    assert_eq!(list["total"], 0);
    assert_eq!(before, fingerprint(app, p.org).await);
}

on_both_databases!(
    a_meeting_is_recorded_with_a_decision_and_an_action,
    bad_input_is_refused_and_changes_nothing,
    only_the_owner_or_the_isms_manager_closes,
    follow_through_counts_what_was_done_on_time,
    another_organisation_sees_and_touches_nothing,
);
