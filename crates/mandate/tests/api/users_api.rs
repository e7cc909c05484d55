//! People and tokens through the JSON API.

use crate::harness::{PASSWORD, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::domain::role::Role;
use serde_json::json;

async fn admin_token(app: &TestApp, slug: &str) -> (mandate::domain::ids::OrgId, String) {
    let org = app.org(slug).await;
    let admin = mandate::accounts::member_by_email(&app.db, org, &format!("admin@{slug}.test")).await.unwrap();
    (org, app.token(org, admin.user_id).await)
}

async fn admins_add_list_and_change_people(app: &TestApp) {
    let (_, token) = admin_token(app, "acme").await;
    let t = Some(token.as_str());
    let created = app
        .api(Method::POST, "/api/v1/users", t, Some(json!({"email": " Grace@Acme.TEST ", "name": "Grace Hopper", "role": "isms_manager", "password": PASSWORD})))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let grace = created.json();
    assert_eq!(grace["email"], "grace@acme.test");
    assert_eq!(grace["role"], "isms_manager");
    assert_eq!(grace["active"], true);
    let id = grace["id"].as_i64().unwrap();

    let duplicate = app
        .api(
            Method::POST,
            "/api/v1/users",
            t,
            Some(json!({"email": "grace@acme.test", "name": "G", "role": "employee"})),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert!(duplicate.json()["error"]["message"].as_str().unwrap().contains("already a member"));

    for (body, needle) in [
        (json!({"email": "not-an-address", "name": "X", "role": "employee"}), "e-mail"),
        (json!({"email": "x@acme.test", "name": " ", "role": "employee"}), "name"),
        (json!({"email": "x@acme.test", "name": "X", "role": "employee", "password": "short"}), "at least 8"),
        (json!({"email": "x@acme.test", "name": "X", "role": "employee", "password": "iloveyou"}), "common"),
        (json!({"email": "x@acme.test", "name": "X", "role": "employee", "expires_at": "soon"}), "RFC 3339"),
        (json!({"email": "x@acme.test", "name": "X", "role": "auditor", "expires_at": "2020-01-01"}), "future"),
    ] {
        let reply = app.api(Method::POST, "/api/v1/users", t, Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", reply.text());
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains(needle), "{body}: {}", reply.text());
    }

    let listed = app.api(Method::GET, "/api/v1/users?limit=1&q=grace", t, None).await.json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["email"], "grace@acme.test");
    let all = app.api(Method::GET, "/api/v1/users", t, None).await.json();
    assert_eq!(all["total"], 2);
    assert_eq!(app.api(Method::GET, "/api/v1/users?limit=0", t, None).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.api(Method::GET, "/api/v1/users?limit=x", t, None).await.status, StatusCode::BAD_REQUEST);

    let changed = app
        .api(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            t,
            Some(json!({"role": "auditor", "expires_at": "2027-01-31"})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    assert_eq!(changed.json()["role"], "auditor");
    assert!(changed.json()["expires_at"].as_str().unwrap().starts_with("2027-01-31"));
    let cleared =
        app.api(Method::PATCH, &format!("/api/v1/users/{id}"), t, Some(json!({"expires_at": null}))).await.json();
    assert_eq!(cleared["expires_at"], serde_json::Value::Null);
    assert_eq!(cleared["role"], "auditor", "absent fields stay as they were");
    let disabled =
        app.api(Method::PATCH, &format!("/api/v1/users/{id}"), t, Some(json!({"disabled": true}))).await.json();
    assert_eq!((disabled["disabled"].clone(), disabled["active"].clone()), (json!(true), json!(false)));
    let shown = app.api(Method::GET, &format!("/api/v1/users/{id}"), t, None).await.json();
    assert_eq!(shown["disabled"], true);
    assert_eq!(app.api(Method::GET, "/api/v1/users/999999", t, None).await.status, StatusCode::NOT_FOUND);
}

async fn the_last_administrator_cannot_be_removed(app: &TestApp) {
    let (org, token) = admin_token(app, "acme").await;
    let admin = mandate::accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap().user_id;
    let t = Some(token.as_str());
    for body in [json!({"role": "employee"}), json!({"disabled": true}), json!({"expires_at": "2030-01-01"})] {
        let reply = app.api(Method::PATCH, &format!("/api/v1/users/{admin}"), t, Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{body}: {}", reply.text());
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains("last administrator"));
    }
    app.member_as(org, "second@acme.test", Role::Admin).await;
    let reply =
        app.api(Method::PATCH, &format!("/api/v1/users/{admin}"), t, Some(json!({"role": "top_management"}))).await;
    assert_eq!(reply.status, StatusCode::OK, "with a second admin the first can step down");
}

async fn adding_someone_from_another_organisation_keeps_their_password(app: &TestApp) {
    let (globex, _) = admin_token(app, "globex").await;
    app.member_as(globex, "pat@shared.test", Role::Employee).await;
    let (_, token) = admin_token(app, "acme").await;
    let reply = app
        .api(Method::POST, "/api/v1/users", Some(&token), Some(json!({"email": "pat@shared.test", "name": "Renamed", "role": "auditor", "password": "attacker chosen password"})))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_ne!(reply.json()["name"], "Renamed", "the existing identity keeps its name");
    let refused = app.browser().try_sign_in("pat@shared.test", "attacker chosen password").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "another organisation cannot set someone's password");
    let ok = app.browser().try_sign_in("pat@shared.test", PASSWORD).await;
    assert_eq!(ok.location(), Some("/orgs/choose"));
}

async fn tokens_are_created_listed_and_revoked(app: &TestApp) {
    let (org, token) = admin_token(app, "acme").await;
    app.member(org, "acme", Role::Employee).await;
    let t = Some(token.as_str());
    let created = app
        .api(
            Method::POST,
            "/api/v1/tokens",
            t,
            Some(json!({"name": "evidence sync", "owner_email": "employee@acme.test"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let secret = created.json()["token"].as_str().unwrap().to_string();
    let id = created.json()["id"].as_i64().unwrap();
    assert!(secret.starts_with("mdt_"));
    let me = app.api(Method::GET, "/api/v1/me", Some(&secret), None).await.json();
    assert_eq!((me["email"].as_str(), me["authenticated_by"].as_str()), (Some("employee@acme.test"), Some("token")));
    let listed = app.api(Method::GET, "/api/v1/tokens", t, None).await;
    assert!(!listed.text().contains(&secret), "secrets are never listed");
    assert!(listed.text().contains("evidence sync"));
    let wider = app
        .api(
            Method::POST,
            "/api/v1/tokens",
            t,
            Some(json!({"name": "x", "owner_email": "employee@acme.test", "role": "admin"})),
        )
        .await;
    assert_eq!(wider.status, StatusCode::FORBIDDEN);
    let stranger =
        app.api(Method::POST, "/api/v1/tokens", t, Some(json!({"name": "x", "owner_email": "nobody@acme.test"}))).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let revoked = app.api(Method::DELETE, &format!("/api/v1/tokens/{id}"), t, None).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    assert_eq!(app.api(Method::GET, "/api/v1/me", Some(&secret), None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.api(Method::DELETE, "/api/v1/tokens/999999", t, None).await.status, StatusCode::NOT_FOUND);
}

async fn the_api_accepts_the_session_cookie_with_csrf(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    browser.sign_in("admin@acme.test").await;
    let me = browser.api(Method::GET, "/api/v1/me", None).await.json();
    assert_eq!(me["authenticated_by"], "session");
    let ok = browser
        .api(Method::POST, "/api/v1/users", Some(json!({"email": "a@acme.test", "name": "A", "role": "employee"})))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    // Without the CSRF header, a cookie-authenticated change is refused.
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/users")
        .header("cookie", format!("mandate_session={}", browser.cookie("mandate_session").unwrap()))
        .header("origin", crate::harness::ORIGIN)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(json!({"email": "b@acme.test", "name": "B", "role": "employee"}).to_string()))
        .unwrap();
    let refused = app.send(request, "192.0.2.10").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.error_code(), "forbidden");
}

on_both_databases!(
    admins_add_list_and_change_people,
    the_last_administrator_cannot_be_removed,
    adding_someone_from_another_organisation_keeps_their_password,
    tokens_are_created_listed_and_revoked,
    the_api_accepts_the_session_cookie_with_csrf,
);
