//! Signing in: the form, CSRF, identical failures, throttling, organisation choice, sign-out.

use crate::harness::{ORIGIN, PASSWORD, TestApp, csrf_in};
use crate::on_both_databases;
use axum::http::StatusCode;
use mandate::domain::role::Role;

async fn every_role_signs_in_and_sees_its_home(app: &TestApp) {
    let org = app.org("acme").await;
    for role in [Role::IsmsManager, Role::TopManagement, Role::Auditor, Role::Employee] {
        app.member(org, "acme", role).await;
    }
    for role in Role::ALL {
        let browser = app.browser();
        let home = browser.sign_in(&format!("{role}@acme.test")).await;
        let html = home.text();
        assert!(html.contains(role.label()), "{role}: {html}");
        assert!(html.contains("Org acme"));
        assert_eq!(html.contains("href=\"/admin/users\""), role == Role::Admin, "{role} navigation");
        let cookie = browser.cookie("mandate_session").expect("session cookie");
        assert!(cookie.len() >= 43, "session token has at least 256 bits");
    }
}

async fn session_cookie_is_http_only_and_lax(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    let reply = browser.try_sign_in("admin@acme.test", PASSWORD).await;
    let set_cookie = reply.header("set-cookie").unwrap();
    assert!(set_cookie.starts_with("mandate_session="));
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax") && set_cookie.contains("Path=/"));
    assert!(!set_cookie.contains("Domain"));
}

async fn unknown_user_and_wrong_password_look_the_same(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    let wrong = browser.try_sign_in("admin@acme.test", "not the password").await;
    let unknown = browser.try_sign_in("nobody@acme.test", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    let normalise = |html: String, email: &str| html.replace(email, "EMAIL").replace(&csrf_in(&html).unwrap(), "CSRF");
    assert_eq!(normalise(wrong.text(), "admin@acme.test"), normalise(unknown.text(), "nobody@acme.test"));
    assert!(browser.cookie("mandate_session").is_none());
    let reply = app.api(axum::http::Method::GET, "/", None, None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

async fn sign_in_needs_csrf_token_and_same_origin(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    browser.get("/login").await;
    let token = browser.csrf();
    let fields = [("email", "admin@acme.test"), ("password", PASSWORD)];
    let no_token = browser.post_raw("/login", &fields, Some(ORIGIN)).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let with_token = [("email", "admin@acme.test"), ("password", PASSWORD), ("csrf_token", token.as_str())];
    let cross_site = browser.post_raw("/login", &with_token, Some("https://evil.example")).await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    let no_origin = browser.post_raw("/login", &with_token, None).await;
    assert_eq!(no_origin.status, StatusCode::FORBIDDEN);
    let forged =
        [("email", "admin@acme.test"), ("password", PASSWORD), ("csrf_token", "forged-forged-forged-forged-forged")];
    assert_eq!(browser.post_raw("/login", &forged, Some(ORIGIN)).await.status, StatusCode::FORBIDDEN);
    assert!(browser.cookie("mandate_session").is_none());
    let ok = browser.post_raw("/login", &with_token, Some(ORIGIN)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}

async fn signed_in_forms_need_the_session_csrf_token(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    browser.sign_in("admin@acme.test").await;
    let fields = [("name", "Eve"), ("email", "eve@acme.test"), ("role", "admin")];
    let forged = browser.post_raw("/admin/users", &fields, Some(ORIGIN)).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let csrf = browser.csrf();
    let with_token = [("name", "Eve"), ("email", "eve@acme.test"), ("role", "admin"), ("csrf_token", csrf.as_str())];
    let cross = browser.post_raw("/admin/users", &with_token, Some("http://evil.example")).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    let list = browser.get("/admin/users").await.text();
    assert!(!list.contains("eve@acme.test"), "a refused form changed nothing");
    let ok = browser.post("/admin/users", &[("name", "Eve"), ("email", "eve@acme.test"), ("role", "employee")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
}

async fn sign_in_is_throttled_per_address_and_per_account(app: &TestApp) {
    use mandate::domain::sign_in::{ACCOUNT_LIMIT, ADDRESS_LIMIT};
    app.org("acme").await;
    // The real user signed in once from the office.
    let office = app.browser();
    office.sign_in("admin@acme.test").await;

    // An attacker guesses from many addresses: the account limit trips for new places...
    for i in 0..ACCOUNT_LIMIT {
        let mut attacker = app.browser();
        attacker.ip = format!("198.51.100.{i}");
        let reply = attacker.try_sign_in("admin@acme.test", "guess").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let mut next = app.browser();
    next.ip = "198.51.100.200".into();
    let throttled = next.try_sign_in("admin@acme.test", PASSWORD).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits from a new place");
    assert!(throttled.header("retry-after").is_some());
    // ...but the real user at the office still gets in.
    let again = app.browser();
    let reply = again.try_sign_in("admin@acme.test", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "the real user is not locked out");

    // One noisy address is limited whatever the account.
    let mut noisy = app.browser();
    noisy.ip = "203.0.113.9".into();
    for i in 0..ADDRESS_LIMIT {
        noisy.try_sign_in(&format!("someone{i}@acme.test"), "guess").await;
    }
    assert_eq!(noisy.try_sign_in("other@acme.test", "guess").await.status, StatusCode::TOO_MANY_REQUESTS);

    // The window passes and the limits lift.
    app.clock.advance(mandate::domain::sign_in::WINDOW_SECONDS + 1);
    assert_eq!(next.try_sign_in("admin@acme.test", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

async fn a_person_in_two_organisations_chooses_one(app: &TestApp) {
    let acme = app.org("acme").await;
    let globex = app.org("globex").await;
    app.member_as(acme, "pat@both.test", Role::TopManagement).await;
    app.member_as(globex, "pat@both.test", Role::Auditor).await;
    let browser = app.browser();
    let reply = browser.try_sign_in("pat@both.test", PASSWORD).await;
    assert_eq!(reply.location(), Some("/orgs/choose"));
    let home = browser.get("/").await;
    assert_eq!(home.location(), Some("/orgs/choose"), "no organisation chosen yet");
    let me = browser.api(axum::http::Method::GET, "/api/v1/me", None).await;
    assert_eq!(me.status, StatusCode::FORBIDDEN);
    let page = browser.get("/orgs/choose").await.text();
    assert!(page.contains("Org acme") && page.contains("Org globex"));
    let chosen = browser.post("/orgs/choose", &[("org_id", &globex.0.to_string())]).await;
    assert_eq!(chosen.location(), Some("/"));
    let me = browser.api(axum::http::Method::GET, "/api/v1/me", None).await.json();
    assert_eq!(me["organisation"]["slug"], "globex");
    assert_eq!(me["role"], "auditor");
    // An organisation they do not belong to cannot be chosen.
    let stranger = app.org("initech").await;
    let refused = browser.post("/orgs/choose", &[("org_id", &stranger.0.to_string())]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let me = browser.api(axum::http::Method::GET, "/api/v1/me", None).await.json();
    assert_eq!(me["organisation"]["slug"], "globex");
}

async fn sign_out_ends_the_session(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    browser.sign_in("admin@acme.test").await;
    let stolen = browser.cookie("mandate_session").unwrap();
    let out = browser.post("/logout", &[]).await;
    assert_eq!(out.location(), Some("/login?done=signed-out"));
    let thief = app.browser();
    thief.set_cookie("mandate_session", &stolen);
    assert_eq!(thief.get("/").await.location(), Some("/login"));
}

async fn signing_in_again_replaces_the_session_token(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    browser.sign_in("admin@acme.test").await;
    let first = browser.cookie("mandate_session").unwrap();
    browser.try_sign_in("admin@acme.test", PASSWORD).await;
    let second = browser.cookie("mandate_session").unwrap();
    assert_ne!(first, second);
    let old = app.browser();
    old.set_cookie("mandate_session", &first);
    assert_eq!(old.get("/").await.location(), Some("/login"), "the earlier token no longer works");
}

on_both_databases!(
    every_role_signs_in_and_sees_its_home,
    session_cookie_is_http_only_and_lax,
    unknown_user_and_wrong_password_look_the_same,
    sign_in_needs_csrf_token_and_same_origin,
    signed_in_forms_need_the_session_csrf_token,
    sign_in_is_throttled_per_address_and_per_account,
    a_person_in_two_organisations_chooses_one,
    sign_out_ends_the_session,
    signing_in_again_replaces_the_session_token,
);
