//! The system under load: the release `mandate` binary, run as its own process so its memory is its own, and the
//! commands that prepare its data (`demo generate`, `token create`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where one run keeps its data: a data directory and, for PostgreSQL, a database URL.
#[derive(Debug, Clone)]
pub struct Store {
    pub dir: PathBuf,
    pub database_url: Option<String>,
}

impl Store {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mandate"));
        command.args(args).arg("--data-dir").arg(&self.dir).env_remove("MANDATE_DATABASE_URL");
        if let Some(url) = &self.database_url {
            command.arg("--database-url").arg(url);
        }
        command
    }

    /// Whether the organisation `slug` exists already (data kept from an earlier run).
    pub fn has_org(&self, slug: &str) -> bool {
        self.token(slug, "admin").is_ok()
    }

    /// Generates the demo organisation at `scale`; prints what the generator reports.
    pub fn generate(&self, slug: &str, scale: u32) -> anyhow::Result<()> {
        let output = self
            .command(&["demo", "generate", "--scale", &scale.to_string(), "--slug", slug])
            .env("MANDATE_DEMO_PASSWORD", "load-test-password")
            .output()?;
        anyhow::ensure!(output.status.success(), "generate failed: {}", String::from_utf8_lossy(&output.stderr));
        print!("{}", String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or_default());
        println!();
        Ok(())
    }

    /// A fresh API token for `who@slug.example`.
    pub fn token(&self, slug: &str, who: &str) -> anyhow::Result<String> {
        let email = format!("{who}@{slug}.example");
        let output = self.command(&["token", "create", "--org", slug, "--email", &email, "--name", "load"]).output()?;
        anyhow::ensure!(output.status.success(), "token failed: {}", String::from_utf8_lossy(&output.stderr));
        let stdout = String::from_utf8(output.stdout)?;
        Ok(stdout.lines().last().unwrap_or_default().trim().to_string())
    }
}

/// A running `mandate serve`; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub async fn start(store: &Store) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let listen = format!("127.0.0.1:{port}");
        let child = store
            .command(&["serve", "--listen", &listen])
            .env("MANDATE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        let server = Self { child, base: format!("http://{listen}") };
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if client.get(format!("{}/healthz", server.base)).send().await.is_ok_and(|r| r.status().is_success()) {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        anyhow::bail!("mandate serve did not answer /healthz within 60 s")
    }

    /// (current, peak) resident memory of the server process in MiB.
    pub fn memory(&self) -> (f64, f64) {
        memory_of(&Path::new("/proc").join(self.child.id().to_string()).join("status"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn memory_of(status: &Path) -> (f64, f64) {
    let text = std::fs::read_to_string(status).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
