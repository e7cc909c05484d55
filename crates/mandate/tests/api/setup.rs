//! First-run setup through the one-time link.

use crate::harness::{ORIGIN, PASSWORD, TestApp};
use crate::on_both_databases;
use axum::http::StatusCode;
use mandate::db;
use mandate::secret::{new_token, token_hash};

async fn issue_setup_token(app: &TestApp) -> String {
    let token = new_token("");
    let mut tx = app.db.begin().await.unwrap();
    db::setup_token::replace(&mut tx.conn(), &token_hash(&token), app.now()).await.unwrap();
    tx.commit().await.unwrap();
    token
}

async fn the_setup_link_creates_the_first_organisation_once(app: &TestApp) {
    let token = issue_setup_token(app).await;
    let browser = app.browser();
    assert_eq!(browser.get("/setup").await.status, StatusCode::FORBIDDEN, "no token, no setup");
    assert_eq!(browser.get("/setup?token=guess").await.status, StatusCode::FORBIDDEN);
    let page = browser.get(&format!("/setup?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);

    let weak = browser
        .post(
            "/setup",
            &[
                ("token", &token),
                ("org_name", "Acme Corp"),
                ("admin_name", "Ada"),
                ("admin_email", "ada@acme.test"),
                ("password", "password"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().contains("most common"), "{}", weak.text());

    let wrong_token = browser
        .post(
            "/setup",
            &[
                ("token", "guess"),
                ("org_name", "Evil"),
                ("admin_name", "Eve"),
                ("admin_email", "eve@evil.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);

    let done = browser
        .post(
            "/setup",
            &[
                ("token", &token),
                ("org_name", "Acme Corp"),
                ("admin_name", "Ada"),
                ("admin_email", "ada@acme.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.location(), Some("/login?done=setup"), "{}", done.text());
    let org = mandate::accounts::org_by_slug(&app.db, "acme-corp").await.unwrap();
    assert_eq!(org.name, "Acme Corp");

    let again = browser
        .post(
            "/setup",
            &[
                ("token", &token),
                ("org_name", "Second"),
                ("admin_name", "Eve"),
                ("admin_email", "eve@evil.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::FORBIDDEN, "the link works once");
    assert_eq!(browser.get(&format!("/setup?token={token}")).await.status, StatusCode::FORBIDDEN);

    let home = app.browser().sign_in("ada@acme.test").await;
    assert!(home.text().contains("Administrator"));
}

async fn setup_form_needs_csrf(app: &TestApp) {
    let token = issue_setup_token(app).await;
    let browser = app.browser();
    browser.get(&format!("/setup?token={token}")).await;
    let fields = [
        ("token", token.as_str()),
        ("org_name", "Acme"),
        ("admin_name", "Ada"),
        ("admin_email", "ada@acme.test"),
        ("password", PASSWORD),
    ];
    assert_eq!(browser.post_raw("/setup", &fields, Some(ORIGIN)).await.status, StatusCode::FORBIDDEN);
    assert!(mandate::accounts::org_by_slug(&app.db, "acme").await.is_err(), "nothing was created");
}

on_both_databases!(the_setup_link_creates_the_first_organisation_once, setup_form_needs_csrf);
