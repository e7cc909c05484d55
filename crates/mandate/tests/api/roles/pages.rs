//! The pages: catalogue, appointments and RACI through plain forms, with findings highlighted.

use super::{call, org, process, role};
use crate::harness::{PDF, Part, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use serde_json::json;

async fn managers_record_appointments_through_the_forms(app: &TestApp) {
    let acme = org(app, "acme").await;
    let manager = app.browser();
    manager.sign_in("isms_manager@acme.test").await;
    let roles = manager.get("/roles").await;
    assert_eq!(roles.status, StatusCode::OK);
    let text = roles.text();
    assert!(text.contains("Internal auditor") && text.contains("Nobody holds CISO"), "{text}");
    assert!(text.contains("href=\"/roles\" aria-current=\"page\""), "the nav highlights the section");

    let added = manager
        .post(
            "/roles",
            &[("name", "Security champion"), ("description", "Speaks for security in a team."), ("needs_deputy", "1")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    let shown = manager.get(added.location().unwrap()).await.text();
    assert!(
        shown.contains("Speaks for security in a team.") && shown.contains("each holder needs a deputy"),
        "{shown}"
    );
    let duplicate = manager.post("/roles", &[("name", "security champion")]).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert!(duplicate.text().contains("already has a role called"));

    let ciso = role(app, &acme.admin, "CISO").await.to_string();
    let refused = manager
        .post(
            "/appointments",
            &[("role_id", &ciso), ("email", "alice@acme.test"), ("appointed_by", &acme.manager_id.0.to_string())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("is not top management"), "{}", refused.text());
    let stranger = manager
        .post(
            "/appointments",
            &[("role_id", &ciso), ("email", "nobody@acme.test"), ("appointed_by", &acme.ceo.0.to_string())],
        )
        .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stranger.text().contains("no member with the e-mail address"), "{}", stranger.text());
    let fields = [
        ("role_id", ciso.as_str()),
        ("email", "alice@acme.test"),
        ("appointed_by", &acme.ceo.0.to_string()),
        ("appointed_on", "2026-10-01"),
        ("decision_ref", "Board minutes 2026-09-28"),
        ("deputies", "bob@acme.test, carol@acme.test"),
    ];
    let recorded = manager.post("/appointments", &fields).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.text());
    let path = recorded.location().unwrap().split('?').next().unwrap().to_string();
    let detail = manager.get(&path).await.text();
    assert!(
        detail.contains("Board minutes 2026-09-28") && detail.contains("bob@acme.test") && detail.contains("current"),
        "{detail}"
    );
    let list = manager.get("/appointments?status=current&sort=person").await.text();
    assert!(list.contains("Board minutes 2026-09-28"), "{list}");

    // Evidence of the decision attaches to the appointment and shows on its page.
    let id = path.rsplit('/').next().unwrap();
    let parts = [
        Part::file("letter.pdf", "application/pdf", PDF),
        Part::text("title", "Signed appointment letter"),
        Part::text("record_type", "appointment"),
        Part::text("record_id", id),
    ];
    assert_eq!(app.upload("/api/v1/evidence", Some(&acme.admin), &parts).await.status, StatusCode::CREATED);
    assert!(manager.get(&path).await.text().contains("Signed appointment letter"));

    let ended = manager.post(&format!("{path}/end"), &[("ended_on", ""), ("reason", "Left the company")]).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.text());
    let after = manager.get(&path).await.text();
    assert!(after.contains("Left the company") && !after.contains("End this appointment"), "{after}");
    let again = manager.post(&format!("{path}/end"), &[("reason", "twice")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("can no longer be changed or ended again"), "{}", again.text());
}

async fn employees_read_responsibilities_but_not_findings(app: &TestApp) {
    let acme = org(app, "acme").await;
    let ciso = role(app, &acme.admin, "CISO").await;
    let auditor = role(app, &acme.admin, "Internal auditor").await;
    for role_id in [ciso, auditor] {
        let body = json!({"role_id": role_id, "user_id": acme.alice.0, "appointed_by": acme.ceo.0});
        assert_eq!(
            call(app, Method::POST, "/api/v1/appointments", &acme.admin, Some(body)).await.status,
            StatusCode::CREATED
        );
    }
    let top = app.browser();
    top.sign_in("ceo@acme.test").await;
    let page = top.get("/roles").await.text();
    assert!(page.contains("holds both CISO and Internal auditor since 2026-11-23"), "{page}");
    assert!(page.contains("CISO (Employee person) has no deputy"), "{page}");
    assert!(!page.contains("Add a role"), "top management does not edit the catalogue");
    let appointments = top.get("/appointments").await.text();
    assert!(
        appointments.contains("Record an appointment")
            && appointments.contains("You record appointments you made yourself")
    );

    let employee = app.browser();
    employee.sign_in("employee@acme.test").await;
    let page = employee.get("/roles").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("CISO") && !page.text().contains("What needs attention"), "{}", page.text());
    let detail = employee.get(&format!("/roles/{ciso}")).await.text();
    assert!(
        detail.contains("Current holders") && !detail.contains("Change this role") && !detail.contains("Attach a file")
    );
    assert!(!employee.get("/appointments").await.text().contains("Record an appointment"));
    assert_eq!(employee.post("/roles", &[("name", "Sneaky")]).await.status, StatusCode::FORBIDDEN);
}

async fn the_raci_grid_highlights_rows_and_saves_one_row_at_a_time(app: &TestApp) {
    let acme = org(app, "acme").await;
    let manager = app.browser();
    manager.sign_in("isms_manager@acme.test").await;
    let grid = manager.get("/raci").await.text();
    assert!(grid.contains("9 processes need attention"), "{grid}");
    assert!(grid.contains("class=\"flagged\""), "{grid}");
    let risk = process(app, &acme.admin, "Risk assessment").await;
    let (ciso, manager_role) = (role(app, &acme.admin, "CISO").await, role(app, &acme.admin, "ISMS manager").await);
    let (a, r) = (format!("cell_{ciso}"), format!("cell_{manager_role}"));
    let saved = manager.post(&format!("/raci/{risk}/cells"), &[(a.as_str(), "A"), (r.as_str(), "R")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let grid = manager.get("/raci").await.text();
    assert!(grid.contains("8 processes need attention"), "{grid}");
    let bad = manager.post(&format!("/raci/{risk}/cells"), &[(a.as_str(), "Z")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("not a RACI letter"));
    let process_page = manager.get(&format!("/raci/{risk}")).await.text();
    assert!(process_page.contains("A — Accountable") && process_page.contains("R — Responsible"), "{process_page}");
    let renamed = manager
        .post(
            &format!("/raci/{risk}"),
            &[("name", "Risk assessment (6.1.2)"), ("description", "Yearly and on change.")],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    let added = manager.post("/raci", &[("name", "Access reviews")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);

    let auditor = app.browser();
    auditor.sign_in("auditor@acme.test").await;
    let read_only = auditor.get("/raci").await.text();
    assert!(read_only.contains("Risk assessment (6.1.2)") && !read_only.contains("<select"), "{read_only}");
    assert_eq!(auditor.post(&format!("/raci/{risk}/cells"), &[(a.as_str(), "")]).await.status, StatusCode::FORBIDDEN);
}

on_both_databases!(
    managers_record_appointments_through_the_forms,
    employees_read_responsibilities_but_not_findings,
    the_raci_grid_highlights_rows_and_saves_one_row_at_a_time,
);
