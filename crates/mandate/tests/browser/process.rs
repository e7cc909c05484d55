//! The two real processes a journey needs: `mandate serve` on a fresh data directory and chromedriver, each on a
//! free loopback port, each ended (with everything it started) when the journey is dropped, passed or not.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const MANDATE: &str = env!("CARGO_BIN_EXE_mandate");
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A child process in its own process group; dropping it kills the whole group (chromedriver's browsers too).
pub struct Group(Child);

impl Group {
    fn spawn(command: &mut Command) -> Self {
        let child = command
            .process_group(0)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
        Group(child)
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.wait();
    }
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "{what} did not listen on port {port} within 20 s");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// chromedriver on a free port; it starts headless Chromium for each session. With `MANDATE_TEST_BROWSER_LOG` set
/// to a directory, it writes a verbose log there (`chromedriver-<port>.log`).
pub fn chromedriver() -> (Group, String) {
    let port = free_port();
    let mut command = Command::new(CHROMEDRIVER);
    command.arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null());
    if let Some(dir) = std::env::var_os("MANDATE_TEST_BROWSER_LOG") {
        command.arg("--verbose").arg(format!("--log-path={}/chromedriver-{port}.log", dir.to_string_lossy()));
    }
    let group = Group::spawn(&mut command);
    wait_for_port(port, "chromedriver");
    (group, format!("http://127.0.0.1:{port}"))
}

/// Runs a `mandate` command on the data directory and panics with its output if it fails.
pub fn mandate(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let mut command = Command::new(MANDATE);
    command.args(args).arg("--data-dir").arg(dir).env_remove("MANDATE_DATABASE_URL").stdin(Stdio::null());
    command.envs(env.iter().copied());
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "mandate {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A running `mandate serve`: its origin and the setup link it printed (on an empty installation).
pub struct Server {
    pub origin: String,
    pub setup_link: Option<String>,
    _group: Group,
}

impl Server {
    /// Starts `mandate serve` (with `extra` arguments and environment) on the data directory and waits until it
    /// says it listens.
    pub fn start(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let port = free_port();
        let origin = format!("http://127.0.0.1:{port}");
        let mut command = Command::new(MANDATE);
        command
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--public-url", &origin, "--data-dir"])
            .arg(dir)
            .args(extra)
            .envs(env.iter().copied())
            .env_remove("MANDATE_DATABASE_URL")
            .env("MANDATE_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut group = Group::spawn(&mut command);
        let stdout = group.0.stdout.take().unwrap();
        let (lines, seen) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let mut setup_link = None;
        loop {
            let line = seen.recv_timeout(Duration::from_secs(90)).expect("mandate serve was not ready within 90 s");
            if let Some(link) = line.trim().strip_prefix(&format!("{origin}/setup?token=")) {
                setup_link = Some(format!("/setup?token={link}"));
            }
            if line.starts_with("Mandate is listening") {
                break;
            }
        }
        wait_for_port(port, "mandate serve");
        Server { origin, setup_link, _group: group }
    }
}
