//! The test harness: the real router in-process on a fresh database (SQLite, or PostgreSQL when
//! `MANDATE_TEST_POSTGRES_URL` is set), a manual clock, and a small browser that keeps cookies.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use mandate::accounts::{self, NewMember, NewOrganisation};
use mandate::clock::ManualClock;
use mandate::config::Config;
use mandate::context::Ctx;
use mandate::db::Db;
use mandate::domain::ids::{OrgId, UserId};
use mandate::domain::role::Role;
use mandate::http::{AppState, router};
use mandate::journal::{Actor, Journal};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex, Once};
use tower::ServiceExt;

/// The password every test user has.
pub const PASSWORD: &str = "correct horse battery staple";
/// The start of test time: 2026-11-23 00:00 UTC.
pub const T0: i64 = 1_795_392_000;
pub const ORIGIN: &str = "http://mandate.test";

/// The test installation's checkpoint key (fixed, so tests can build a second journal with the same key).
pub fn test_signer() -> ledger::Signer {
    ledger::Signer::from_secret("mandate-test", [7; 32])
}

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub db: Db,
    cleanup: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

/// Runs a test on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::harness::TestApp::sqlite().await;
                super::$name(&app).await;
            }
            #[tokio::test]
            async fn postgres() {
                match $crate::harness::TestApp::postgres().await {
                    Some(app) => {
                        super::$name(&app).await;
                        app.cleanup().await;
                    }
                    None => $crate::harness::postgres_skipped(),
                }
            }
        }
    )* };
}

/// Server logs go to the test's output when `RUST_LOG` is set (e.g. `RUST_LOG=error` to see why a request
/// was answered 500).
fn log_when_asked() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .try_init();
    }
}

pub fn postgres_skipped() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "NOTE: PostgreSQL tests were not run (set MANDATE_TEST_POSTGRES_URL to run them)"
        );
    });
}

impl TestApp {
    fn with_db(db: Db, dir: tempfile::TempDir, cleanup: Option<(String, String)>) -> Self {
        let clock = ManualClock::new(T0);
        let journal = Arc::new(Journal::new(test_signer(), 1));
        let blobs = mandate::blob::BlobStore::open(dir.path(), None).unwrap();
        let state = AppState {
            db: db.clone(),
            config: Arc::new(Config::for_tests()),
            clock: clock.clone(),
            journal,
            blobs,
            leadership: Default::default(),
        };
        Self { router: router(state.clone()), state, clock, db, cleanup, _dir: dir }
    }

    pub async fn sqlite() -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        log_when_asked();
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path(), None).await.unwrap();
        Self::with_db(db, dir, None)
    }

    /// A fresh schema in the configured PostgreSQL database, or `None` when none is configured.
    pub async fn postgres() -> Option<Self> {
        log_when_asked();
        let url = std::env::var("MANDATE_TEST_POSTGRES_URL").ok()?;
        let schema = format!("t{}", mandate::secret::new_token("")[..20].to_lowercase().replace(['-', '_'], "x"));
        let admin = sqlx::PgPool::connect(&url).await.expect("MANDATE_TEST_POSTGRES_URL must be reachable");
        sqlx::query(sqlx::AssertSqlSafe(format!("create schema {schema}"))).execute(&admin).await.unwrap();
        admin.close().await;
        let options = sqlx::postgres::PgConnectOptions::from_str(&url).unwrap().options([("search_path", &schema)]);
        let db = Db::open_postgres(options).await.unwrap();
        db.migrate().await.unwrap();
        Some(Self::with_db(db, tempfile::tempdir().unwrap(), Some((url, schema))))
    }

    /// Drops the PostgreSQL schema of a test that passed.
    pub async fn cleanup(&self) {
        self.db.close().await;
        if let Some((url, schema)) = &self.cleanup {
            let admin = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("drop schema {schema} cascade"))).execute(&admin).await.unwrap();
            admin.close().await;
        }
    }

    /// The data directory (blobs and staging live here).
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn now(&self) -> i64 {
        mandate::clock::Clock::now(self.clock.as_ref())
    }

    /// A context for changes made by the test itself.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx { db: &self.db, journal: &self.state.journal, actor: Actor::system("test"), now: self.now() }
    }

    /// Creates an organisation whose administrator is `admin@<slug>.test`.
    pub async fn org(&self, slug: &str) -> OrgId {
        let input = NewOrganisation {
            name: format!("Org {slug}"),
            slug: Some(slug.into()),
            admin_email: format!("admin@{slug}.test"),
            admin_name: format!("Admin of {slug}"),
            admin_password: PASSWORD.into(),
        };
        accounts::create_organisation(&self.ctx(), &input, None).await.unwrap().0
    }

    /// Adds `<role>@<slug>.test` to the organisation.
    pub async fn member(&self, org: OrgId, slug: &str, role: Role) -> UserId {
        self.member_as(org, &format!("{role}@{slug}.test"), role).await
    }

    pub async fn member_as(&self, org: OrgId, email: &str, role: Role) -> UserId {
        let input = NewMember {
            email: email.into(),
            name: format!("{} person", role.label()),
            role,
            password: Some(PASSWORD.into()),
            expires_at: None,
            department: None,
        };
        accounts::add_member(&self.ctx(), org, &input).await.unwrap()
    }

    /// A bearer token for a member, with their role.
    pub async fn token(&self, org: OrgId, user: UserId) -> String {
        accounts::create_token(&self.ctx(), org, user, None, "test").await.unwrap().1
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: Mutex::new(HashMap::new()),
            csrf: Mutex::new(String::new()),
            ip: "192.0.2.10".into(),
        }
    }

    /// Sends a request as is (no cookies), from `ip`.
    pub async fn send(&self, mut request: Request<Body>, ip: &str) -> Reply {
        let addr: SocketAddr = format!("{ip}:40000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply { status, headers, body }
    }

    /// An API request with a bearer token (or none) and an optional JSON body.
    pub async fn api(&self, method: Method, path: &str, token: Option<&str>, body: Option<serde_json::Value>) -> Reply {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match body {
            Some(json) => {
                builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(json.to_string())).unwrap()
            }
            None => builder.body(Body::empty()).unwrap(),
        };
        self.send(request, "192.0.2.1").await
    }
}

/// A response, fully read.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON ({}): {}", self.status, self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }
    /// The `error.code` of a JSON error body.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_string()
    }
}

/// Finds the first CSRF token in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// A browser: keeps cookies, sends a same-origin `Origin` and the page's CSRF token with forms.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    cookies: Mutex<HashMap<String, String>>,
    csrf: Mutex<String>,
    pub ip: String,
}

impl Browser<'_> {
    fn cookie_header(&self) -> String {
        self.cookies.lock().unwrap().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(&self, reply: &Reply) {
        for value in reply.headers.get_all(header::SET_COOKIE) {
            let cookie = cookie::Cookie::parse(value.to_str().unwrap().to_string()).unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if cookie.value().is_empty() {
                jar.remove(cookie.name());
            } else {
                jar.insert(cookie.name().to_string(), cookie.value().to_string());
            }
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies.lock().unwrap().insert(name.into(), value.into());
    }

    pub fn csrf(&self) -> String {
        self.csrf.lock().unwrap().clone()
    }

    pub async fn get(&self, path: &str) -> Reply {
        let request =
            Request::builder().uri(path).header(header::COOKIE, self.cookie_header()).body(Body::empty()).unwrap();
        let reply = self.app.send(request, &self.ip).await;
        self.keep_cookies(&reply);
        if let Some(token) = csrf_in(&reply.text()) {
            *self.csrf.lock().unwrap() = token;
        }
        reply
    }

    /// Posts a form with the last seen CSRF token and a same-origin `Origin`.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &csrf));
        self.post_raw(path, &all, Some(ORIGIN)).await
    }

    /// Posts a form exactly as given.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)], origin: Option<&str>) -> Reply {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            builder = builder.header(header::ORIGIN, origin);
        }
        let reply = self.app.send(builder.body(Body::from(body)).unwrap(), &self.ip).await;
        self.keep_cookies(&reply);
        if let Some(token) = csrf_in(&reply.text()) {
            *self.csrf.lock().unwrap() = token;
        }
        reply
    }

    /// An API call with the session cookie (and the CSRF header for unsafe methods).
    pub async fn api(&self, method: Method, path: &str, body: Option<serde_json::Value>) -> Reply {
        let unsafe_method = method != Method::GET;
        let mut builder = Request::builder().method(method).uri(path).header(header::COOKIE, self.cookie_header());
        if unsafe_method {
            builder = builder.header("x-csrf-token", self.csrf()).header(header::ORIGIN, ORIGIN);
        }
        let request = match body {
            Some(json) => builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(json.to_string())),
            None => builder.body(Body::empty()),
        };
        self.app.send(request.unwrap(), &self.ip).await
    }

    /// Signs in through the real form; returns the reply to the POST.
    pub async fn try_sign_in(&self, email: &str, password: &str) -> Reply {
        self.get("/login").await;
        self.post("/login", &[("email", email), ("password", password)]).await
    }

    /// Signs in and loads the home page (so forms have the session's CSRF token).
    pub async fn sign_in(&self, email: &str) -> Reply {
        let reply = self.try_sign_in(email, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "sign-in of {email} failed: {}", reply.text());
        let home = self.get(reply.location().unwrap()).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.text());
        home
    }
}

/// One part of a multipart form: a field name, an optional (file name, media type), and the bytes.
pub struct Part<'a> {
    pub name: &'a str,
    pub file: Option<(&'a str, &'a str)>,
    pub body: &'a [u8],
}

impl<'a> Part<'a> {
    pub fn text(name: &'a str, value: &'a str) -> Self {
        Self { name, file: None, body: value.as_bytes() }
    }
    pub fn file(filename: &'a str, media_type: &'a str, body: &'a [u8]) -> Self {
        Self { name: "file", file: Some((filename, media_type)), body }
    }
}

pub const BOUNDARY: &str = "mandate-test-boundary-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body.
pub fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part.file {
            Some((filename, media_type)) => out.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{filename}\"\r\nContent-Type: {media_type}\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
            None => out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{}\"\r\n\r\n", part.name).as_bytes()),
        }
        out.extend_from_slice(part.body);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

impl TestApp {
    /// A multipart upload with a bearer token.
    pub async fn upload(&self, path: &str, token: Option<&str>, parts: &[Part<'_>]) -> Reply {
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"));
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(builder.body(Body::from(multipart(parts))).unwrap(), "192.0.2.1").await
    }

    /// Stores evidence in an S3-compatible bucket instead of the data directory.
    pub fn use_blob_url(&mut self, url: &str) {
        self.state.blobs = mandate::blob::BlobStore::open(self._dir.path(), Some(url)).unwrap();
        self.router = router(self.state.clone());
    }

    /// Replaces the configuration (and rebuilds the router).
    pub fn reconfigure(&mut self, change: impl FnOnce(&mut Config)) {
        let mut config = (*self.state.config).clone();
        change(&mut config);
        self.state.config = Arc::new(config);
        self.router = router(self.state.clone());
    }
}

/// A minimal PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
