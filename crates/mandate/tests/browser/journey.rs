//! A journey: one headless Chromium session against one real `mandate serve`, with helpers that act the way a
//! person does (find fields by their label, buttons and links by their text) and check what the page shows.
//! Every document the journey opens is checked with axe-core once per person and path.

use crate::axe;
use crate::process::{self, CHROMEDRIVER, CHROMIUM, Group, Server};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use mandate::domain::role::Role;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::io::Write;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// The password every person in a journey has.
pub const PASSWORD: &str = "correct horse battery staple";
/// The organisation a journey starts with (unless it starts empty).
pub const ORG: &str = "Acme Corp";

/// The person who holds `role` in the journey's organisation: (name, e-mail address).
pub fn person(role: Role) -> (&'static str, String) {
    let name = match role {
        Role::Admin => "Ada Admin",
        Role::IsmsManager => "Iris Manager",
        Role::TopManagement => "Theo Director",
        Role::Auditor => "Audrey Auditor",
        Role::Employee => "Emil Employee",
    };
    (name, format!("{}@acme.test", role.as_str()))
}

pub struct Journey {
    pub client: Client,
    pub server: Server,
    me: Option<String>,
    checked: HashSet<String>,
    findings: Vec<String>,
    dir: tempfile::TempDir,
    _driver: Group,
    _turn: SemaphorePermit<'static>,
}

/// Chromium is heavy: at most two journeys run at once, whatever the test threads.
fn turns() -> &'static Semaphore {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    TURNS.get_or_init(|| Semaphore::new(2))
}

/// Whether browser journeys run here; says why not when they do not.
fn enabled(name: &str) -> bool {
    if std::env::var("MANDATE_TEST_BROWSER").as_deref() != Ok("1") {
        // Straight to stderr, past the test harness's capture, so the note shows in every run.
        let _ = writeln!(
            std::io::stderr(),
            "NOTE: browser journey '{name}' was not run: set MANDATE_TEST_BROWSER=1 to run it \
             (it needs {CHROMIUM} and {CHROMEDRIVER} from Debian's chromium and chromium-driver packages)"
        );
        return false;
    }
    for binary in [CHROMIUM, CHROMEDRIVER] {
        assert!(std::path::Path::new(binary).exists(), "MANDATE_TEST_BROWSER=1 but {binary} is missing");
    }
    true
}

impl Journey {
    /// A journey on an installation with the organisation `ORG` and one person per role (see `person`).
    pub async fn start(name: &str) -> Option<Journey> {
        if !enabled(name) {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let (_, admin) = person(Role::Admin);
        let init = ["init", "--org", ORG, "--slug", "acme", "--admin-email", &admin, "--admin-name", "Ada Admin"];
        process::mandate(dir.path(), &init, &[("MANDATE_ADMIN_PASSWORD", PASSWORD)]);
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
            let (who, email) = person(role);
            let add = ["user", "add", "--org", "acme", "--email", &email, "--role", role.as_str(), "--name", who];
            process::mandate(dir.path(), &add, &[("MANDATE_USER_PASSWORD", PASSWORD)]);
        }
        Some(Self::open(dir, &[], &[]).await)
    }

    /// A journey on the demo organisation (`mandate serve --demo`): a year of history, people signing in as
    /// `<who>@demo.example` (admin, ciso, ceo, auditor, employee) with `PASSWORD`.
    pub async fn start_demo(name: &str) -> Option<Journey> {
        if !enabled(name) {
            return None;
        }
        Some(Self::open(tempfile::tempdir().unwrap(), &["--demo"], &[("MANDATE_DEMO_PASSWORD", PASSWORD)]).await)
    }

    /// A journey on an empty installation: the server printed a setup link (`setup_link`).
    pub async fn start_empty(name: &str) -> Option<Journey> {
        if !enabled(name) {
            return None;
        }
        Some(Self::open(tempfile::tempdir().unwrap(), &[], &[]).await)
    }

    async fn open(dir: tempfile::TempDir, args: &[&str], env: &[(&str, &str)]) -> Journey {
        let turn = turns().acquire().await.unwrap();
        let server = Server::start(dir.path(), args, env);
        let (driver, url) = process::chromedriver();
        let options = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--disable-extensions", "--no-first-run", "--window-size=1280,900", "--lang=en-GB"],
            },
        });
        let Value::Object(capabilities) = options else { unreachable!() };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&url)
            .await
            .expect("chromedriver could not start a Chromium session");
        axe::install(&client).await;
        Journey {
            client,
            server,
            me: None,
            checked: HashSet::new(),
            findings: vec![],
            dir,
            _driver: driver,
            _turn: turn,
        }
    }

    /// The installation's data directory (for `mandate` commands run beside the server).
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Opens a path of the server, as typing it in the address bar does.
    pub async fn visit(&mut self, path: &str) {
        self.client.goto(&format!("{}{path}", self.server.origin)).await.unwrap();
        self.arrived().await;
    }

    /// Reloads the page, or goes back in history, as the browser's buttons do.
    pub async fn reload(&mut self) {
        self.client.refresh().await.unwrap();
        self.arrived().await;
    }
    pub async fn back(&mut self) {
        self.client.back().await.unwrap();
        self.arrived().await;
    }

    /// Signs in as the person holding `role` (signing out whoever is signed in first) and lands on the home page:
    /// the leadership page for top management, a welcome for everyone else.
    pub async fn sign_in(&mut self, role: Role) {
        let (name, email) = person(role);
        self.sign_in_as(&email, PASSWORD).await;
        match role {
            Role::TopManagement => self.expect_heading("Leadership").await,
            _ => self.expect_heading(&format!("Welcome, {name}")).await,
        }
    }

    /// Signs in with an address and password through the sign-in form.
    pub async fn sign_in_as(&mut self, email: &str, password: &str) {
        if self.me.is_some() {
            self.sign_out().await;
        }
        self.visit("/login").await;
        self.fill(&[("E-mail address", email), ("Password", password)]).await;
        self.me = Some(email.to_string());
        self.press("Sign in").await;
    }

    /// Signs out with the button in the header.
    pub async fn sign_out(&mut self) {
        self.press("Sign out").await;
        self.me = None;
        self.expect_notice("You have signed out.").await;
    }

    /// Types into the fields named by their labels (the label's text without its hint), in order.
    pub async fn fill(&mut self, fields: &[(&str, &str)]) {
        for (label, value) in fields {
            let field = self.field(label).await;
            let kind = field.attr("type").await.unwrap().unwrap_or_default();
            match field.tag_name().await.unwrap().as_str() {
                "select" => field.select_by_label(value).await.unwrap_or_else(|e| panic!("no option {value:?}: {e}")),
                _ if kind == "date" => {
                    self.client
                        .execute("arguments[0].value = arguments[1];", vec![json!(field), json!(value)])
                        .await
                        .unwrap();
                }
                _ => {
                    field.clear().await.unwrap();
                    field.send_keys(value).await.unwrap();
                }
            }
        }
    }

    /// Picks a file for the file input named by its label.
    pub async fn attach(&mut self, label: &str, path: &std::path::Path) {
        self.field(label).await.send_keys(path.to_str().unwrap()).await.unwrap();
    }

    /// Presses the button with this text and waits for the page it leads to.
    pub async fn press(&mut self, button: &str) {
        let found = self.find(crate::page::BUTTON, button).await;
        self.leave_by(found).await;
    }

    /// Presses the button with this text inside the element a CSS selector matches, where several forms on one page
    /// share a button's text (one "Save" per section).
    pub async fn press_within(&mut self, scope: &str, button: &str) {
        let found = self.client.execute(crate::page::BUTTON, vec![json!(button), json!(scope)]).await.unwrap();
        let found = self.element(found, &format!("{button} (in {scope})")).await;
        self.leave_by(found).await;
    }

    /// Follows the link with this text and waits for the page it leads to.
    pub async fn follow(&mut self, link: &str) {
        let found = self.find(crate::page::LINK, link).await;
        self.leave_by(found).await;
    }

    async fn leave_by(&mut self, element: Element) {
        self.client.execute("window.__journeyLeft = true;", vec![]).await.unwrap();
        element.click().await.unwrap();
        let start = Instant::now();
        loop {
            let fresh = self
                .client
                .execute("return window.__journeyLeft !== true && document.readyState === 'complete';", vec![]);
            if let Ok(Value::Bool(true)) = fresh.await {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "no new page within 15 s after a click on {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        self.arrived().await;
    }

    async fn field(&self, label: &str) -> Element {
        self.find(crate::page::FIELD, label).await
    }

    /// Runs one of `page`'s finders; panics listing what the page offers when nothing matches.
    async fn find(&self, finder: &str, name: &str) -> Element {
        let found = self.client.execute(finder, vec![json!(name)]).await.unwrap();
        self.element(found, name).await
    }

    /// The element a finder returned; panics listing what the page offers when it found none.
    async fn element(&self, found: Value, name: &str) -> Element {
        match found {
            Value::Object(object) if object.len() == 1 && !object.contains_key("offered") => {
                let (_, id) = object.into_iter().next().unwrap();
                Element::from_element_id(self.client.clone(), ElementRef::from(id.as_str().unwrap().to_string()))
            }
            other => panic!("{name:?} is not on {}; the page offers {}", self.url().await, other["offered"]),
        }
    }

    /// A new document is shown: check it with axe-core, once per person and path.
    async fn arrived(&mut self) {
        let url = self.client.current_url().await.unwrap();
        let key = format!("{}:{}", self.me.as_deref().unwrap_or("-"), url.path());
        if !self.checked.insert(key) {
            return;
        }
        for v in axe::check(&self.client).await {
            let finding = format!("{} [{}] on {}: {} — {}", v.id, v.impact, url.path(), v.help, v.targets.join(", "));
            eprintln!("axe: {finding}");
            if v.blocks() {
                self.findings.push(finding);
            }
        }
    }

    /// Ends the journey: fails on any serious or critical accessibility violation seen on the way.
    pub async fn finish(mut self) {
        let findings = std::mem::take(&mut self.findings);
        let client = self.client.clone();
        drop(client.close().await);
        assert!(findings.is_empty(), "axe-core found serious or critical violations:\n{}", findings.join("\n"));
    }
}
