//! Health, headers, error format, the OpenAPI document.

use crate::harness::{Reply, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::domain::role::Role;

fn assert_security_headers(reply: &Reply, path: &str) {
    let csp = reply.header("content-security-policy").unwrap_or_else(|| panic!("{path} has no CSP"));
    for part in ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
        assert!(csp.contains(part), "{path}: CSP lacks {part}");
    }
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
    assert_eq!(reply.header("referrer-policy"), Some("same-origin"), "{path}");
    assert!(reply.header("x-request-id").is_some(), "{path}");
}

async fn health_and_headers_everywhere(app: &TestApp) {
    let org = app.org("acme").await;
    let admin = app.member(org, "acme", Role::Employee).await;
    let token = app.token(org, admin).await;
    let health = app.api(Method::GET, "/healthz", None, None).await;
    assert_eq!((health.status, health.text().as_str()), (StatusCode::OK, "ok"));
    for (path, token, status) in [
        ("/healthz", None, StatusCode::OK),
        ("/login", None, StatusCode::OK),
        ("/nowhere", None, StatusCode::NOT_FOUND),
        ("/api/v1/nowhere", None, StatusCode::NOT_FOUND),
        ("/api/v1/me", None, StatusCode::UNAUTHORIZED),
        ("/api/v1/me", Some(token.as_str()), StatusCode::OK),
        ("/api/v1/users", Some(token.as_str()), StatusCode::FORBIDDEN),
    ] {
        let reply = app.api(Method::GET, path, token, None).await;
        assert_eq!(reply.status, status, "{path}: {}", reply.text());
        assert_security_headers(&reply, path);
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
    }
    let css = app.api(Method::GET, "/static/style.css", None, None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert_security_headers(&css, "/static/style.css");
}

async fn api_errors_are_json_a_person_can_act_on(app: &TestApp) {
    let org = app.org("acme").await;
    let admin = mandate::accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap();
    let token = app.token(org, admin.user_id).await;
    let t = Some(token.as_str());

    let missing = app.api(Method::GET, "/api/v1/nowhere", t, None).await;
    assert_eq!(missing.error_code(), "not_found");

    let unauthenticated = app.api(Method::GET, "/api/v1/me", Some("mdt_not-a-token"), None).await;
    assert_eq!(
        (unauthenticated.status, unauthenticated.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );

    let bad_id = app.api(Method::GET, "/api/v1/users/abc", t, None).await;
    assert_eq!((bad_id.status, bad_id.error_code().as_str()), (StatusCode::BAD_REQUEST, "bad_request"));

    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/users")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    let syntax = app.send(request, "192.0.2.1").await;
    assert_eq!((syntax.status, syntax.error_code().as_str()), (StatusCode::BAD_REQUEST, "bad_request"));

    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/users")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::from("{}"))
        .unwrap();
    let no_type = app.send(request, "192.0.2.1").await;
    assert_eq!(no_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let wrong_shape = app.api(Method::POST, "/api/v1/users", t, Some(serde_json::json!({"email": 5}))).await;
    assert_eq!(wrong_shape.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_shape.json()["error"]["message"].as_str().unwrap().contains("email"));

    let typo = app
        .api(
            Method::POST,
            "/api/v1/users",
            t,
            Some(serde_json::json!({"email": "a@b.test", "name": "A", "role": "employee", "rol": 1})),
        )
        .await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", typo.text());

    let bad_role = app
        .api(
            Method::POST,
            "/api/v1/users",
            t,
            Some(serde_json::json!({"email": "a@b.test", "name": "A", "role": "root"})),
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);

    let huge = "x".repeat(mandate::http::BODY_LIMIT + 10);
    let too_big = app
        .api(
            Method::POST,
            "/api/v1/users",
            t,
            Some(serde_json::json!({"email": "a@b.test", "name": huge, "role": "employee"})),
        )
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", too_big.text());
    assert_eq!(too_big.error_code(), "payload_too_large");
}

async fn openapi_document_describes_every_api_route(app: &TestApp) {
    let reply = app.api(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let routes = mandate::http::routes();
    for (method, path) in routes.table() {
        if !path.starts_with("/api/v1/") || *path == "/api/v1/openapi.json" {
            continue;
        }
        let operation = &doc["paths"][*path][method.as_str().to_lowercase()];
        assert!(operation.is_object(), "{method} {path} is missing from the OpenAPI document");
    }
}

async fn absurd_page_numbers_are_clamped_not_errors(app: &TestApp) {
    app.org("acme").await;
    let browser = app.browser();
    browser.sign_in("admin@acme.test").await;
    for list in ["/policies", "/evidence", "/admin/users", "/roles", "/appointments", "/objectives", "/resources"] {
        for page in ["9223372036854775807", "-5", "0"] {
            let reply = browser.get(&format!("{list}?page={page}")).await;
            assert_eq!(reply.status, StatusCode::OK, "{list}?page={page}: {}", reply.text());
        }
    }
}

on_both_databases!(
    absurd_page_numbers_are_clamped_not_errors,
    health_and_headers_everywhere,
    api_errors_are_json_a_person_can_act_on,
    openapi_document_describes_every_api_route
);

/// Internal errors and panics answer an opaque 500 with a request id; the detail stays in the log.
#[tokio::test]
async fn internal_errors_are_opaque_with_a_request_id() {
    use axum::Router;
    use axum::routing::get;
    use mandate::error::AppError;
    use tower::ServiceExt;
    async fn boom() -> Result<(), AppError> {
        Err(AppError::Internal(anyhow::anyhow!("secret database detail")))
    }
    async fn page_boom() -> Result<(), mandate::http::error::PageError> {
        Err(AppError::Internal(anyhow::anyhow!("secret page detail")).into())
    }
    async fn panics() -> &'static str {
        panic!("kaboom in a handler")
    }
    let app = Router::new()
        .route("/api/v1/boom", get(boom))
        .route("/boom", get(page_boom))
        .route("/api/v1/panic", get(panics))
        .layer(axum::middleware::from_fn(mandate::http::headers::request_id));
    for (path, secret) in
        [("/api/v1/boom", "secret database detail"), ("/boom", "secret page detail"), ("/api/v1/panic", "kaboom")]
    {
        let request = axum::http::Request::builder().uri(path).body(axum::body::Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        let id = response.headers()["x-request-id"].to_str().unwrap().to_string();
        let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains(&id), "{path}: the body names the request id: {body}");
        assert!(!body.contains(secret), "{path}: no internal detail leaks: {body}");
        if path.starts_with("/api/") {
            let json: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(json["error"]["code"], "internal");
        }
    }
}

/// Behind https, cookies are `__Host-` and `Secure`, and responses carry HSTS.
#[tokio::test]
async fn https_public_url_turns_on_secure_cookies_and_hsts() {
    let mut app = TestApp::sqlite().await;
    let config = mandate::config::Config::from_args(&mandate::config::ServerArgs {
        listen: "127.0.0.1:8080".into(),
        public_url: Some("https://isms.example.org".into()),
        session_idle_minutes: 30,
        session_absolute_hours: 12,
        trust_forwarded_for: false,
        max_upload_mb: 100,
    })
    .unwrap();
    assert!(config.secure);
    app.state.config = std::sync::Arc::new(config);
    app.router = mandate::http::router(app.state.clone());
    let reply = app.api(Method::GET, "/login", None, None).await;
    assert!(reply.header("strict-transport-security").unwrap().contains("max-age="));
    let cookie = reply.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with("__Host-mandate_csrf=") && cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let plain = TestApp::sqlite().await;
    assert!(plain.api(Method::GET, "/login", None, None).await.header("strict-transport-security").is_none());
}
