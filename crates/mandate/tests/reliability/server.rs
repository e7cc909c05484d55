//! The real `mandate` binary as a child process: set up an installation with the command line, start
//! `mandate serve` on a free loopback port, talk to it over HTTP, kill it with SIGKILL.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_mandate");
pub const PASSWORD: &str = "correct horse battery staple";
pub const ORG: &str = "acme";

/// One installation: a data directory and, for PostgreSQL, a database URL.
#[derive(Debug, Clone)]
pub struct Install {
    pub dir: PathBuf,
    pub database_url: Option<String>,
}

impl Install {
    pub fn new(dir: &Path, database_url: Option<String>) -> Self {
        Self { dir: dir.to_path_buf(), database_url }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command.args(args).arg("--data-dir").arg(&self.dir).stdin(Stdio::null()).env("RUST_LOG", "warn");
        match &self.database_url {
            Some(url) => command.env("MANDATE_DATABASE_URL", url),
            None => command.env_remove("MANDATE_DATABASE_URL"),
        };
        command
    }

    /// Runs a command of the binary against this installation and waits for it.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.command(args).env("MANDATE_ADMIN_PASSWORD", PASSWORD).output().unwrap()
    }

    /// `mandate init` and `mandate token create`: returns the administrator's API token.
    pub fn set_up(&self) -> String {
        let init = self.cli(&["init", "--org", "Acme", "--slug", ORG, "--admin-email", "admin@acme.test"]);
        assert!(init.status.success(), "init failed: {}", text(&init.stderr));
        let token = self.cli(&["token", "create", "--org", ORG, "--email", "admin@acme.test"]);
        assert!(token.status.success(), "token create failed: {}", text(&token.stderr));
        text(&token.stdout).lines().last().unwrap().trim().to_string()
    }

    /// `mandate export` then `mandate verify` (the bundle is written to `out_dir`); panics naming the failure.
    pub fn export_and_verify(&self, out_dir: &Path) -> String {
        let bundle = out_dir.join("acme.bundle");
        let export = self.cli(&["export", "--org", ORG, "--out", bundle.to_str().unwrap()]);
        assert!(export.status.success(), "export failed: {}", text(&export.stderr));
        let verify = Command::new(BIN).arg("verify").arg(&bundle).output().unwrap();
        assert!(verify.status.success(), "verify failed: {}{}", text(&verify.stdout), text(&verify.stderr));
        text(&verify.stdout)
    }

    /// Starts `mandate serve` and waits until it answers `/healthz`.
    pub async fn serve(&self) -> Server {
        let port = free_port();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.log_path()).unwrap();
        let child = self
            .command(&["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let server = Server { child: Mutex::new(child), base: format!("http://127.0.0.1:{port}"), http: client() };
        let started = Instant::now();
        loop {
            if let Ok(reply) = server.http.get(format!("{}/healthz", server.base)).send().await
                && reply.status() == 200
            {
                return server;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "server did not start: {}", self.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Where the servers' output goes (outside a data directory that may be a small tmpfs).
    fn log_path(&self) -> PathBuf {
        let name = self.dir.file_name().unwrap().to_string_lossy().into_owned();
        std::env::temp_dir().join(format!("mandate-reliability-{name}.log"))
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }
}

/// A running `mandate serve`.
pub struct Server {
    child: Mutex<Child>,
    pub base: String,
    pub http: reqwest::Client,
}

impl Server {
    /// SIGKILL: no shutdown, no flush, no chance to finish anything.
    pub fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Whether the process is still running.
    pub fn alive(&self) -> bool {
        self.child.lock().unwrap().try_wait().unwrap().is_none()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP client with a timeout, so a hung server fails the test instead of stalling it.
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Today (UTC) and a day a year ahead, as `YYYY-MM-DD`.
pub fn dates() -> (String, String) {
    let now = time::OffsetDateTime::now_utc().date();
    let format = time::macros::format_description!("[year]-[month]-[day]");
    (now.format(format).unwrap(), (now + time::Duration::days(365)).format(format).unwrap())
}

pub const BOUNDARY: &str = "mandate-reliability-boundary-9f8e7d";

/// A small PDF whose bytes are unique to `tag`, as a multipart evidence upload titled `tag`.
pub fn evidence_upload(tag: &str) -> Vec<u8> {
    let pdf = format!("%PDF-1.4\n% {tag}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    let mut out = Vec::new();
    out.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"title\"\r\n\r\n{tag}\r\n--{BOUNDARY}\r\n\
             content-disposition: form-data; name=\"file\"; filename=\"{tag}.pdf\"\r\n\
             content-type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    out.extend_from_slice(pdf.as_bytes());
    out.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    out
}

/// A well-formed objective whose statement is `tag`.
pub fn objective(tag: &str) -> serde_json::Value {
    let (_, due) = dates();
    serde_json::json!({
        "statement": tag,
        "target_value": 95,
        "unit": "%",
        "direction": "at_least",
        "due_on": due,
        "resources": "LMS licences",
        "evaluation_method": "Completion export from the LMS",
        "frequency": "monthly",
    })
}

/// A measurement noted with `tag`.
pub fn measurement(tag: &str) -> serde_json::Value {
    let (today, _) = dates();
    serde_json::json!({"value": 90, "measured_on": today, "note": tag})
}
