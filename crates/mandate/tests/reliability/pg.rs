//! PostgreSQL for the reliability tests: a fresh database on the configured server, or a throwaway cluster of
//! the test's own that it can stop and start.

use std::process::{Command, Output};

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A new, empty database on `MANDATE_TEST_POSTGRES_URL`, or `None` when that is not set.
pub async fn fresh_database(label: &str) -> Option<String> {
    let url = std::env::var("MANDATE_TEST_POSTGRES_URL").ok()?;
    let name = format!("mandate_{label}_{}_{}", std::process::id(), fastrand::u32(..));
    let admin = sqlx::PgPool::connect(&url).await.expect("MANDATE_TEST_POSTGRES_URL must be reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}"))).execute(&admin).await.unwrap();
    admin.close().await;
    let mut url = url::Url::parse(&url).unwrap();
    url.set_path(&name);
    Some(url.to_string())
}

/// Drops a database made by [`fresh_database`] (after a test passed; a failed one keeps it for a look).
pub async fn drop_database(url: &str) {
    let mut admin_url = url::Url::parse(url).unwrap();
    let name = admin_url.path().trim_start_matches('/').to_string();
    admin_url.set_path("/postgres");
    let admin = sqlx::PgPool::connect(admin_url.as_str()).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("drop database if exists {name} with (force)")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
}

/// A PostgreSQL 15 cluster of the test's own on a free loopback port, run as `postgres` when the test is root.
pub struct Cluster {
    dir: tempfile::TempDir,
    pub port: u16,
    as_postgres: bool,
}

impl Cluster {
    /// Creates and starts the cluster; `Err` says why it cannot (binaries absent, initdb refused).
    pub fn start() -> Result<Self, String> {
        if !std::path::Path::new(&format!("{PG_BIN}/initdb")).exists() {
            return Err(format!("PostgreSQL binaries are not installed in {PG_BIN}"));
        }
        let dir = tempfile::Builder::new().prefix("mandate-pg-restart").tempdir().unwrap();
        let as_postgres = is_root();
        if as_postgres {
            let chown = Command::new("chown").arg("postgres:").arg(dir.path()).output().unwrap();
            if !chown.status.success() {
                return Err(format!("cannot hand the cluster folder to postgres: {}", text(&chown.stderr)));
            }
        }
        let cluster = Cluster { dir, port: crate::server::free_port(), as_postgres };
        let data = cluster.data();
        let init = cluster.run("initdb", &["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
        if !init.status.success() {
            return Err(format!("initdb failed: {}", text(&init.stderr)));
        }
        cluster.start_again();
        Ok(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    fn run(&self, tool: &str, args: &[&str]) -> Output {
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", &format!("{PG_BIN}/{tool}")]);
            c
        } else {
            Command::new(format!("{PG_BIN}/{tool}"))
        };
        command.args(args).output().unwrap()
    }

    /// `pg_ctl start`, waiting until it accepts connections.
    pub fn start_again(&self) {
        let log = self.dir.path().join("log").to_string_lossy().into_owned();
        let options = format!("-h 127.0.0.1 -p {} -k {} -c fsync=off", self.port, self.dir.path().display());
        let start = self.run("pg_ctl", &["-D", &self.data(), "-l", &log, "-w", "-o", &options, "start"]);
        assert!(start.status.success(), "pg_ctl start failed: {}{}", text(&start.stdout), text(&start.stderr));
    }

    /// `pg_ctl stop -m fast`: open sessions are ended, the server shuts down cleanly.
    pub fn stop(&self) {
        let stop = self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
        assert!(stop.status.success(), "pg_ctl stop failed: {}", text(&stop.stderr));
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
    }
}

/// Whether the test runs as root (read from `id -u`, so the test needs no unsafe libc call).
pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| text(&o.stdout).trim() == "0").unwrap_or(false)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
