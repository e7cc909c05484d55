//! The `mandate` binary itself: init, user, token, serve (setup link and demo), and start-up failures.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mandate");
const PASSWORD: &str = crate::harness::PASSWORD;

fn mandate(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).arg("--data-dir").arg(dir).env_remove("MANDATE_DATABASE_URL").stdin(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn init_user_and_token_commands_work_on_one_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let weak = mandate(
        dir.path(),
        &["init", "--org", "Acme Corp", "--admin-email", "ada@acme.test"],
        &[("MANDATE_ADMIN_PASSWORD", "password1")],
    );
    assert!(!weak.status.success());
    assert!(text(&weak.stderr).contains("common"), "{}", text(&weak.stderr));

    let init = mandate(
        dir.path(),
        &["init", "--org", "Acme Corp", "--admin-email", "ada@acme.test"],
        &[("MANDATE_ADMIN_PASSWORD", PASSWORD)],
    );
    assert!(init.status.success(), "{}", text(&init.stderr));
    assert!(text(&init.stdout).contains("'acme-corp'"), "slug derived from the name: {}", text(&init.stdout));

    let again = mandate(
        dir.path(),
        &["init", "--org", "Acme Corp", "--admin-email", "bob@acme.test"],
        &[("MANDATE_ADMIN_PASSWORD", PASSWORD)],
    );
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already exists"), "{}", text(&again.stderr));

    let add = mandate(
        dir.path(),
        &["user", "add", "--org", "acme-corp", "--email", "cfo@acme.test", "--role", "top_management"],
        &[("MANDATE_USER_PASSWORD", PASSWORD)],
    );
    assert!(add.status.success(), "{}", text(&add.stderr));
    let bad_role =
        mandate(dir.path(), &["user", "add", "--org", "acme-corp", "--email", "x@acme.test", "--role", "boss"], &[]);
    assert!(!bad_role.status.success());
    assert!(text(&bad_role.stderr).contains("isms_manager"), "{}", text(&bad_role.stderr));
    let no_org =
        mandate(dir.path(), &["user", "add", "--org", "nope", "--email", "x@acme.test", "--role", "employee"], &[]);
    assert!(text(&no_org.stderr).contains("no organisation with the slug 'nope'"), "{}", text(&no_org.stderr));

    let token = mandate(
        dir.path(),
        &["token", "create", "--org", "acme-corp", "--email", "cfo@acme.test", "--role", "auditor"],
        &[],
    );
    assert!(token.status.success(), "{}", text(&token.stderr));
    let secret = text(&token.stdout).lines().last().unwrap().trim().to_string();
    assert!(secret.starts_with("mdt_"));
    let wider = mandate(
        dir.path(),
        &["token", "create", "--org", "acme-corp", "--email", "cfo@acme.test", "--role", "admin"],
        &[],
    );
    assert!(!wider.status.success());

    // The token works against a server on the same data directory.
    let db = mandate::db::Db::open(dir.path(), None).await.unwrap();
    let state = mandate::http::AppState {
        db: db.clone(),
        config: std::sync::Arc::new(mandate::config::Config::for_tests()),
        clock: std::sync::Arc::new(mandate::clock::SystemClock),
        journal: std::sync::Arc::new(mandate::journal::Journal::new(
            mandate::signing_key::load_or_create(dir.path()).unwrap(),
            1000,
        )),
        blobs: mandate::blob::BlobStore::open(dir.path(), None).unwrap(),
        leadership: Default::default(),
    };
    let app = mandate::http::router(state);
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .uri("/api/v1/me")
        .header("authorization", format!("Bearer {secret}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = app.clone().oneshot(request).await.unwrap();
    assert_eq!(reply.status(), 200);

    let disable = mandate(dir.path(), &["user", "disable", "--org", "acme-corp", "--email", "cfo@acme.test"], &[]);
    assert!(disable.status.success(), "{}", text(&disable.stderr));
    let request = axum::http::Request::builder()
        .uri("/api/v1/me")
        .header("authorization", format!("Bearer {secret}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.clone().oneshot(request).await.unwrap().status(), 401, "disabled member's token stops working");

    // Evidence uploaded through the server travels in the export and verifies.
    let admin = mandate(dir.path(), &["token", "create", "--org", "acme-corp", "--email", "ada@acme.test"], &[]);
    let admin = text(&admin.stdout).lines().last().unwrap().trim().to_string();
    let body =
        crate::harness::multipart(&[crate::harness::Part::file("minutes.pdf", "application/pdf", crate::harness::PDF)]);
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/evidence")
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", format!("multipart/form-data; boundary={}", crate::harness::BOUNDARY))
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(app.clone().oneshot(request).await.unwrap().status(), 201);
    let bundle = dir.path().join("acme.bundle");
    let export = mandate(dir.path(), &["export", "--org", "acme-corp", "--out", bundle.to_str().unwrap()], &[]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    assert!(text(&export.stdout).contains("1 evidence files"), "{}", text(&export.stdout));
    let verify = Command::new(BIN).arg("verify").arg(&bundle).output().unwrap();
    assert!(verify.status.success(), "{}{}", text(&verify.stdout), text(&verify.stderr));
    let scrub = mandate(dir.path(), &["scrub"], &[]);
    assert!(scrub.status.success() && text(&scrub.stdout).contains("Re-hashed 1"), "{}", text(&scrub.stdout));
    // A damaged blob is found by the scrub.
    let blob = walk_files(&dir.path().join("blobs")).pop().unwrap();
    std::fs::write(&blob, b"%PDF-1.4 damaged").unwrap();
    let scrub = mandate(dir.path(), &["scrub"], &[]);
    assert!(!scrub.status.success());
    assert!(text(&scrub.stderr).contains("no longer matches"), "{}", text(&scrub.stderr));

    let list = mandate(dir.path(), &["user", "list", "--org", "acme-corp"], &[]);
    let listing = text(&list.stdout);
    assert!(listing.contains("ada@acme.test\tadmin") && listing.contains("cfo@acme.test\ttop_management"), "{listing}");
    assert!(listing.contains("disabled"));
    db.close().await;
}

#[test]
fn a_failed_migration_stops_start_up_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    init_acme(dir.path(), &[]);
    // Someone edited an applied migration's record: Mandate must refuse to run on it.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite:{}", dir.path().join("mandate.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query("update _sqlx_migrations set checksum = x'00'").execute(&pool).await.unwrap();
        pool.close().await;
    });
    let serve = mandate(dir.path(), &["serve", "--listen", "127.0.0.1:1"], &[]);
    assert!(!serve.status.success());
    let stderr = text(&serve.stderr);
    assert!(stderr.contains("migration failed"), "{stderr}");
    let bad_url =
        Command::new(BIN).args(["user", "list", "--org", "x", "--database-url", "mysql://x"]).output().unwrap();
    assert!(!bad_url.status.success());
    assert!(text(&bad_url.stderr).contains("unsupported database URL"));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn http_get(port: u16, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// Starts `mandate serve`, waits for it to listen, and returns the process and what it printed.
fn start_server(
    dir: &Path,
    port: u16,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (std::process::Child, Vec<String>, Duration) {
    let started = Instant::now();
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("MANDATE_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = Vec::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            panic!("server exited early: {lines:?}");
        }
        let done = line.contains("listening on");
        lines.push(line.trim_end().to_string());
        if done {
            break;
        }
    }
    let mut answered = None;
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            answered = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    (child, lines, answered.expect("server answers"))
}

#[test]
fn serve_prints_a_one_time_setup_link_on_an_empty_installation() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut child, lines, elapsed) = start_server(dir.path(), port, &[], &[]);
    let link = lines.iter().find(|l| l.contains("/setup?token=")).expect("a setup link").trim().to_string();
    assert!(link.starts_with(&format!("http://127.0.0.1:{port}/setup?token=")));
    let path = link.split_once(&format!(":{port}")).unwrap().1;
    assert!(http_get(port, path).starts_with("HTTP/1.1 200"));
    assert!(http_get(port, "/setup?token=wrong").starts_with("HTTP/1.1 403"));
    assert!(http_get(port, "/healthz").ends_with("ok"));
    // `mandate init` works while the server runs on the same data directory; the setup link then expires.
    init_acme(dir.path(), &[]);
    assert!(http_get(port, path).starts_with("HTTP/1.1 403"), "an installation with an organisation cannot be claimed");
    eprintln!("start to first answered request: {} ms", elapsed.as_millis());
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn serve_demo_creates_one_user_per_role() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut child, lines, _) = start_server(dir.path(), port, &["--demo"], &[("MANDATE_DEMO_PASSWORD", PASSWORD)]);
    let printed = lines.join("\n");
    for email in [
        "admin@demo.example",
        "ciso@demo.example",
        "ceo@demo.example",
        "cfo@demo.example",
        "auditor@demo.example",
        "employee@demo.example",
    ] {
        assert!(printed.contains(email), "{printed}");
    }
    assert!(!printed.contains(PASSWORD), "a password from the environment is not echoed");
    child.kill().unwrap();
    child.wait().unwrap();
    let list = mandate(dir.path(), &["user", "list", "--org", "demo"], &[]);
    let listing = text(&list.stdout);
    for (email, role) in [
        ("admin@demo.example", "admin"),
        ("ciso@demo.example", "isms_manager"),
        ("ceo@demo.example", "top_management"),
        ("cfo@demo.example", "top_management"),
        ("auditor@demo.example", "auditor"),
        ("employee@demo.example", "employee"),
    ] {
        assert!(listing.contains(&format!("{email}\t{role}")), "{listing}");
    }

    // Without MANDATE_DEMO_PASSWORD a random password is printed once.
    let fresh = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut child, lines, _) = start_server(fresh.path(), port, &["--demo"], &[]);
    let line = lines.iter().find(|l| l.contains("shown only now")).expect("the generated password is printed");
    let password = line.rsplit(' ').next().unwrap();
    assert!(password.len() >= 16);
    child.kill().unwrap();
    child.wait().unwrap();
}

fn sqlite_exec(dir: &Path, statements: &[&str]) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite:{}", dir.join("mandate.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        for statement in statements {
            sqlx::query(sqlx::AssertSqlSafe(statement.to_string())).execute(&pool).await.unwrap();
        }
        pool.close().await;
    });
}

fn latest_note(dir: &Path) -> String {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite:{}", dir.join("mandate.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let note: String = sqlx::query_scalar("select note from ledger_checkpoint order by size desc limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        note
    })
}

fn populate(dir: &Path, people: std::ops::Range<usize>) {
    for i in people {
        let email = format!("p{i}@acme.test");
        let add = mandate(
            dir,
            &[
                "user",
                "add",
                "--org",
                "acme",
                "--email",
                &email,
                "--role",
                "employee",
                "--checkpoint-every-events",
                "1",
            ],
            &[],
        );
        assert!(add.status.success(), "{}", text(&add.stderr));
    }
}

#[test]
fn verify_names_an_edited_event_and_passes_an_honest_bundle() {
    let dir = tempfile::tempdir().unwrap();
    init_acme(dir.path(), &["--checkpoint-every-events", "1"]);
    populate(dir.path(), 0..4);
    let bundle = dir.path().join("honest.bundle");
    let export = mandate(dir.path(), &["export", "--org", "acme", "--out", bundle.to_str().unwrap()], &[]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let verify = Command::new(BIN).arg("verify").arg(&bundle).output().unwrap();
    assert!(verify.status.success(), "{}{}", text(&verify.stdout), text(&verify.stderr));
    assert!(text(&verify.stdout).contains("verification passed"));

    // Someone with database access rewrites event 4 (bypassing the append-only guard).
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let edited = runtime.block_on(async {
        let url = format!("sqlite:{}", dir.path().join("mandate.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let encoded: Vec<u8> =
            sqlx::query_scalar("select encoded from ledger_event where seq = 4").fetch_one(&pool).await.unwrap();
        let mut event = ledger::Event::decode(&encoded).unwrap();
        event.actor = "mallory".into();
        pool.close().await;
        event.encode()
    });
    sqlite_exec(
        dir.path(),
        &[
            "drop trigger ledger_event_no_update",
            &format!("update ledger_event set encoded = x'{}', actor = 'mallory' where seq = 4", hex::encode(&edited)),
        ],
    );
    let tampered = dir.path().join("tampered.bundle");
    let export = mandate(dir.path(), &["export", "--org", "acme", "--out", tampered.to_str().unwrap()], &[]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let verify = Command::new(BIN).arg("verify").arg(&tampered).output().unwrap();
    assert!(!verify.status.success());
    let said = text(&verify.stderr);
    assert!(said.contains("FAILED") && said.contains('4'), "names seq 4: {said}");
}

#[test]
fn verify_detects_a_restored_older_database_against_a_newer_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    init_acme(dir.path(), &[]);
    populate(dir.path(), 0..2);
    let old = tempfile::tempdir().unwrap();
    for file in ["mandate.db", "mandate.db-wal", "mandate.db-shm"] {
        if dir.path().join(file).exists() {
            std::fs::copy(dir.path().join(file), old.path().join(file)).unwrap();
        }
    }
    populate(dir.path(), 2..5);
    let newer = dir.path().join("newer.bundle");
    assert!(mandate(dir.path(), &["export", "--org", "acme", "--out", newer.to_str().unwrap()], &[]).status.success());
    let trusted = dir.path().join("trusted-checkpoint.txt");
    std::fs::write(&trusted, latest_note(dir.path())).unwrap();

    // The operator restores the older database.
    for file in ["mandate.db", "mandate.db-wal", "mandate.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(file));
        if old.path().join(file).exists() {
            std::fs::copy(old.path().join(file), dir.path().join(file)).unwrap();
        }
    }
    let rolled_back = dir.path().join("rolled-back.bundle");
    let export = mandate(dir.path(), &["export", "--org", "acme", "--out", rolled_back.to_str().unwrap()], &[]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let alone = Command::new(BIN).arg("verify").arg(&rolled_back).output().unwrap();
    assert!(alone.status.success(), "on its own the older bundle is consistent");
    let verify =
        Command::new(BIN).arg("verify").arg(&rolled_back).arg("--trusted-checkpoint").arg(&trusted).output().unwrap();
    assert!(!verify.status.success());
    let said = text(&verify.stderr).to_lowercase();
    assert!(said.contains("rollback") || said.contains("rolled back"), "{said}");
}

#[test]
fn a_rotated_signing_key_hands_over_in_the_log_and_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    init_acme(dir.path(), &["--checkpoint-every-events", "1"]);
    populate(dir.path(), 0..2);
    let old_key = std::fs::read_to_string(dir.path().join("ledger-signing.key")).unwrap();
    let rotate = mandate(dir.path(), &["rotate-key"], &[]);
    assert!(rotate.status.success(), "{}", text(&rotate.stderr));
    let new_key = std::fs::read_to_string(dir.path().join("ledger-signing.key")).unwrap();
    assert_ne!(old_key, new_key);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("ledger-signing.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o400, "the key is readable by its owner only");
    }
    populate(dir.path(), 2..4);
    let bundle = dir.path().join("rotated.bundle");
    let export = mandate(dir.path(), &["export", "--org", "acme", "--out", bundle.to_str().unwrap()], &[]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let verify = Command::new(BIN).arg("verify").arg(&bundle).output().unwrap();
    assert!(verify.status.success(), "{}{}", text(&verify.stdout), text(&verify.stderr));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let actions: Vec<String> = runtime.block_on(async {
        let url = format!("sqlite:{}", dir.path().join("mandate.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let rows = sqlx::query_scalar("select action from ledger_event order by seq").fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    });
    assert_eq!(actions.iter().filter(|a| *a == ledger::KEY_ROTATION_ACTION).count(), 1, "{actions:?}");
}

fn http_post_json(port: u16, path: &str, token: &str, body: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// Two `mandate serve` processes on one PostgreSQL database, written to concurrently: one gapless log.
#[test]
fn two_servers_on_one_postgres_keep_one_log() {
    let Ok(url) = std::env::var("MANDATE_TEST_POSTGRES_URL") else {
        crate::harness::postgres_skipped();
        return;
    };
    let schema = format!("t{}", mandate::secret::new_token("")[..20].to_lowercase().replace(['-', '_'], "x"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let admin = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("create schema {schema}"))).execute(&admin).await.unwrap();
        admin.close().await;
    });
    let separator = if url.contains('?') { '&' } else { '?' };
    let db_url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(BIN);
        command.args(args).arg("--data-dir").arg(dir.path()).env("MANDATE_DATABASE_URL", &db_url).stdin(Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().unwrap()
    };
    let init =
        run(&["init", "--org", "Acme", "--admin-email", "ada@acme.test"], &[("MANDATE_ADMIN_PASSWORD", PASSWORD)]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let token = run(&["token", "create", "--org", "acme", "--email", "ada@acme.test"], &[]);
    let token = text(&token.stdout).lines().last().unwrap().trim().to_string();

    let start = |port: u16| {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--checkpoint-every-events", "7"])
            .arg("--data-dir")
            .arg(dir.path())
            .env("MANDATE_DATABASE_URL", &db_url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains("listening on") {
            line.clear();
            assert!(stdout.read_line(&mut line).unwrap() > 0, "server exited early");
        }
        child
    };
    let ports = [free_port(), free_port()];
    let mut servers: Vec<_> = ports.iter().map(|p| start(*p)).collect();
    let writers: Vec<_> = (0..6)
        .map(|w| {
            let token = token.clone();
            let port = ports[w % 2];
            std::thread::spawn(move || {
                for i in 0..8 {
                    let body = format!("{{\"email\":\"w{w}-{i}@acme.test\",\"name\":\"W\",\"role\":\"employee\"}}");
                    let response = http_post_json(port, "/api/v1/users", &token, &body);
                    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    for server in &mut servers {
        server.kill().unwrap();
        server.wait().unwrap();
    }
    runtime.block_on(async {
        let options = sqlx::postgres::PgConnectOptions::from_str(&url).unwrap().options([("search_path", &schema)]);
        let pool = sqlx::PgPool::connect_with(options).await.unwrap();
        let seqs: Vec<i64> =
            sqlx::query_scalar("select seq from ledger_event order by seq").fetch_all(&pool).await.unwrap();
        let size: i64 = sqlx::query_scalar("select size from ledger_head").fetch_one(&pool).await.unwrap();
        pool.close().await;
        // init: organisation + membership; token: 1; then 48 memberships.
        assert_eq!(seqs, (1..=51).collect::<Vec<i64>>());
        assert_eq!(size, 51);
    });
    let bundle = dir.path().join("pg.bundle");
    let export = run(&["export", "--org", "acme", "--out", bundle.to_str().unwrap()], &[]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let verify = Command::new(BIN).arg("verify").arg(&bundle).output().unwrap();
    assert!(verify.status.success(), "{}{}", text(&verify.stdout), text(&verify.stderr));
    runtime.block_on(async {
        let admin = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("drop schema {schema} cascade"))).execute(&admin).await.unwrap();
        admin.close().await;
    });
}

fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            out.extend(walk_files(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}

/// `mandate init` of organisation `acme` (administrator ada@acme.test) with extra flags.
fn init_acme(dir: &Path, extra: &[&str]) {
    let mut args = vec!["init", "--org", "Acme", "--admin-email", "ada@acme.test"];
    args.extend_from_slice(extra);
    let init = mandate(dir, &args, &[("MANDATE_ADMIN_PASSWORD", PASSWORD)]);
    assert!(init.status.success(), "{}", text(&init.stderr));
}
