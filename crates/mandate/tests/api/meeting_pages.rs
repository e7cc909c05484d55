//! The meetings pages: one form records a meeting with attendance and agenda, small forms add a decision and an
//! action, the owner sees the action on the home page and closes it; employees never read minutes.

use crate::harness::TestApp;
use crate::meetings::{date, fingerprint};
use crate::on_both_databases;
use axum::http::StatusCode;
use mandate::domain::role::Role;

async fn a_manager_records_a_meeting_decision_and_action_in_a_few_forms(app: &TestApp) {
    let org = app.org("acme").await;
    app.member(org, "acme", Role::IsmsManager).await;
    let ceo = app.member(org, "acme", Role::TopManagement).await.to_string();
    let employee = app.member(org, "acme", Role::Employee).await;
    let manager = app.browser();
    let home = manager.sign_in("isms_manager@acme.test").await.text();
    assert!(home.contains("href=\"/meetings\""), "the navigation links the meetings");
    let form_page = manager.get("/meetings/new").await.text();
    assert!(form_page.contains("Record the meeting") && form_page.contains("presence_"), "{form_page}");
    let today = date(app, 0);
    let presence = format!("presence_{ceo}");
    let mut form = vec![
        ("title", "Management team, November"),
        ("kind", "management_team"),
        ("held_on", today.as_str()),
        ("chair", ceo.as_str()),
        (presence.as_str(), "present"),
        ("item1_title", "Ransomware attempt at the depot"),
        ("item1_topics", "incidents, risks"),
        ("item1_clauses", "9.9"),
        ("minutes", "Discussed the **attempt**.<script>alert(1)</script>"),
    ];
    let before = fingerprint(app, org).await;
    let refused = manager.post("/meetings", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text();
    assert!(text.contains("not a clause") && text.contains("value=\"Ransomware attempt at the depot\""), "{text}");
    assert_eq!(before, fingerprint(app, org).await);
    form[7] = ("item1_clauses", "9.1, A.5.24");
    let created = manager.post("/meetings", &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let url = created.location().unwrap().to_string();
    let path = url.split('?').next().unwrap().to_string();
    let page = manager.get(&url).await.text();
    assert!(page.contains("<strong>attempt</strong>") && !page.contains("<script>alert"), "minutes are sanitised");
    assert!(page.contains("A.5.24") && page.contains("Add a decision"));

    let decided = manager
        .post(
            &format!("{path}/decisions"),
            &[("text", "Isolate depot backups"), ("decided_by", &ceo), ("topic", "continuity")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.text());
    let page = manager.get(&path).await.text();
    assert!(page.contains("Isolate depot backups") && page.contains("no actions"));
    let bad = manager
        .post(
            &format!("{path}/actions"),
            &[("title", "Buy tapes"), ("owner", &employee.to_string()), ("due_on", "not a date")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let added = manager
        .post(
            &format!("{path}/actions"),
            &[("title", "Buy tapes"), ("owner", "0"), ("owner_email", "employee@acme.test"), ("due_on", &date(app, 7))],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    let register = manager.get("/meetings?topic=incidents").await.text();
    assert!(register.contains("Management team, November") && register.contains("1 not yet due"), "{register}");

    let staff = app.browser();
    let home = staff.sign_in("employee@acme.test").await.text();
    assert!(home.contains("Buy tapes"), "the action is on the owner's home page: {home}");
    assert_eq!(staff.get(&path).await.status, StatusCode::FORBIDDEN, "employees do not read minutes");
    assert_eq!(staff.get("/meetings").await.status, StatusCode::FORBIDDEN);
    let actions = staff.get("/actions").await.text();
    let link = actions.split("href=\"/actions/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let action = format!("/actions/{link}");
    assert!(staff.get(&action).await.text().contains("Mark as done"));
    let done = staff.post(&format!("{action}/close"), &[("note", "Ordered 20 tapes")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let shown = staff.get(&action).await.text();
    assert!(shown.contains("Ordered 20 tapes") && !shown.contains("Mark as done"));
    let again = staff.post(&format!("{action}/close"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(!staff.get("/").await.text().contains("Buy tapes"), "a done action is no longer a task");

    // Another employee neither reads nor closes it.
    app.member_as(org, "other@acme.test", Role::Employee).await;
    let other = app.browser();
    other.sign_in("other@acme.test").await;
    assert_eq!(other.get(&action).await.status, StatusCode::FORBIDDEN);
    let page = manager.get("/actions?show=all").await.text();
    assert!(page.contains("Follow-through per person") && page.contains("100 % on time (1 of 1)"), "{page}");
}

on_both_databases!(a_manager_records_a_meeting_decision_and_action_in_a_few_forms);
