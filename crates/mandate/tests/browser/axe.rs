//! Accessibility: axe-core runs in the page on every document a journey opens; serious and critical violations fail
//! the journey with the rule, its impact, the elements and the page.
//!
//! axe-core (MPL-2.0, ~650 KB) is not kept in the repository: `tests/browser/fetch-axe` downloads a pinned release
//! from the npm registry, checks its SHA-256 and prints the path that `MANDATE_TEST_AXE_JS` must name.

use axum::http::Method;
use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde::Deserialize;
use std::sync::OnceLock;
use url::Url;

/// One rule broken on one page.
#[derive(Debug, Deserialize)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

impl Violation {
    /// Whether this violation fails a journey.
    pub fn blocks(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

fn source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var("MANDATE_TEST_AXE_JS").unwrap_or_else(|_| {
            panic!(
                "MANDATE_TEST_AXE_JS is not set: run `export MANDATE_TEST_AXE_JS=$(crates/mandate/tests/browser/fetch-axe)` \
                 (it downloads axe-core once into a cache directory)"
            )
        });
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read axe-core at {path}: {e}"))
    })
}

const RUN: &str = r#"
return axe.run(document, { resultTypes: ['violations'] }).then(function (result) {
  return result.violations.map(function (v) {
    return { id: v.id, impact: v.impact || 'unknown', help: v.help,
             targets: v.nodes.map(function (n) { return n.target.join(' '); }) };
  });
});"#;

/// Chromium's DevTools command (through chromedriver) that evaluates a script in every new document.
#[derive(Debug)]
struct OnEveryDocument(&'static str);

impl WebDriverCompatibleCommand for OnEveryDocument {
    fn endpoint(&self, base: &Url, session: Option<&str>) -> Result<Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &Url) -> (Method, Option<String>) {
        let body =
            serde_json::json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": self.0 } });
        (Method::POST, Some(body.to_string()))
    }
}

/// Loads axe-core into every document the session opens from now on, so it is not sent again for each page.
pub async fn install(client: &Client) {
    client.issue_cmd(OnEveryDocument(source())).await.expect("axe-core could not be installed in the browser");
}

/// Runs axe-core on the current document (injecting it first when the page has not got it).
pub async fn check(client: &Client) -> Vec<Violation> {
    let loaded = client.execute("return typeof window.axe !== 'undefined';", vec![]).await.unwrap();
    if loaded != serde_json::Value::Bool(true) {
        let inject = format!("{}\n;return typeof window.axe;", source());
        let kind = client.execute(&inject, vec![]).await.expect("axe-core could not be injected");
        assert_eq!(kind, "object", "axe-core did not load in the page");
    }
    let found = client.execute(RUN, vec![]).await.expect("axe-core failed to run");
    serde_json::from_value(found).expect("axe-core's result has an unexpected shape")
}
