//! Session lifetimes, tested with the injected clock: idle and absolute timeouts, disabling, expiry.

use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::accounts::{self, MemberChange};
use mandate::domain::role::Role;

async fn idle_sessions_end(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    browser.sign_in("admin@acme.test").await;
    let idle = app.state.config.session_idle_seconds;
    // Activity keeps the session alive across several idle periods...
    for _ in 0..3 {
        app.clock.advance(idle - 60);
        assert_eq!(browser.get("/").await.status, StatusCode::OK);
    }
    // ...and a pause longer than the idle limit ends it.
    app.clock.advance(idle + 1);
    assert_eq!(browser.get("/").await.location(), Some("/login"));
    assert_eq!(browser.api(Method::GET, "/api/v1/me", None).await.status, StatusCode::UNAUTHORIZED);
}

async fn sessions_end_at_the_absolute_limit_despite_activity(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    browser.sign_in("admin@acme.test").await;
    let absolute = app.state.config.session_absolute_seconds;
    let step = app.state.config.session_idle_seconds / 2;
    let mut elapsed = 0;
    while elapsed + step <= absolute {
        app.clock.advance(step);
        elapsed += step;
        assert_eq!(browser.get("/").await.status, StatusCode::OK, "after {elapsed} s");
    }
    app.clock.advance(absolute - elapsed + 1);
    assert_eq!(browser.get("/").await.location(), Some("/login"));
}

async fn disabling_a_member_ends_their_sessions_and_tokens(app: &TestApp) {
    let org = app.org("acme").await;
    let user = app.member(org, "acme", Role::IsmsManager).await;
    let token = app.token(org, user).await;
    let browser = app.browser();
    browser.sign_in("isms_manager@acme.test").await;
    let change = MemberChange { disabled: Some(true), ..Default::default() };
    accounts::change_member(&app.ctx(), org, user, &change).await.unwrap();
    assert_eq!(browser.get("/").await.location(), Some("/login"));
    assert_eq!(app.api(Method::GET, "/api/v1/me", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
    let again = app.browser();
    let refused = again.try_sign_in("isms_manager@acme.test", crate::harness::PASSWORD).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.text().contains("ended or been disabled"));
    // Re-enabled, they can sign in again, and the token works again.
    let change = MemberChange { disabled: Some(false), ..Default::default() };
    accounts::change_member(&app.ctx(), org, user, &change).await.unwrap();
    assert_eq!(app.api(Method::GET, "/api/v1/me", Some(&token), None).await.status, StatusCode::OK);
}

async fn an_auditors_access_ends_at_its_expiry(app: &TestApp) {
    let org = app.org("acme").await;
    let user = app.member(org, "acme", Role::Auditor).await;
    let expiry = app.now() + 3600;
    let change = MemberChange { expires_at: Some(Some(expiry)), ..Default::default() };
    accounts::change_member(&app.ctx(), org, user, &change).await.unwrap();
    let token = app.token(org, user).await;
    let browser = app.browser();
    browser.sign_in("auditor@acme.test").await;
    for _ in 0..3 {
        app.clock.advance(1000);
        assert_eq!(browser.get("/").await.status, StatusCode::OK);
        assert_eq!(app.api(Method::GET, "/api/v1/me", Some(&token), None).await.status, StatusCode::OK);
    }
    app.clock.advance(601);
    assert_eq!(browser.get("/").await.location(), Some("/login"), "access ended at the expiry");
    assert_eq!(app.api(Method::GET, "/api/v1/me", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
    let refused = app.browser().try_sign_in("auditor@acme.test", crate::harness::PASSWORD).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn a_role_change_applies_at_the_next_request(app: &TestApp) {
    let org = app.org("acme").await;
    let user = app.member_as(org, "second@acme.test", Role::Admin).await;
    let browser = app.browser();
    browser.sign_in("second@acme.test").await;
    assert_eq!(browser.get("/admin/users").await.status, StatusCode::OK);
    let change = MemberChange { role: Some(Role::Employee), ..Default::default() };
    accounts::change_member(&app.ctx(), org, user, &change).await.unwrap();
    assert_eq!(browser.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    assert!(browser.get("/").await.text().contains("Employee"));
}

on_both_databases!(
    idle_sessions_end,
    sessions_end_at_the_absolute_limit_despite_activity,
    disabling_a_member_ends_their_sessions_and_tokens,
    an_auditors_access_ends_at_its_expiry,
    a_role_change_applies_at_the_next_request,
);
