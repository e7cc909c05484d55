//! What a journey checks on the page in front of it: text, headings, notices and the main navigation.

use crate::journey::Journey;
use serde_json::{Value, json};

impl Journey {
    /// Where the browser is, path and query.
    pub async fn url(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default())
    }

    /// The text a person sees in the element matched by a CSS selector (the whole page for "body").
    pub async fn text(&self, css: &str) -> String {
        let script = "var e = document.querySelector(arguments[0]); return e ? e.innerText : null;";
        match self.client.execute(script, vec![json!(css)]).await.unwrap() {
            Value::String(text) => text,
            _ => panic!("nothing matches {css:?} on {}", self.url().await),
        }
    }

    /// Fails unless the page shows this text.
    pub async fn expect_text(&self, expected: &str) {
        let seen = self.text("body").await;
        assert!(
            seen.contains(expected),
            "{:?} is not shown on {}; the page shows:\n{seen}",
            expected,
            self.url().await
        );
    }

    /// Fails if the page shows this text.
    pub async fn expect_no_text(&self, unexpected: &str) {
        let seen = self.text("body").await;
        assert!(!seen.contains(unexpected), "{unexpected:?} is shown on {}; the page shows:\n{seen}", self.url().await);
    }

    /// Fails unless the page's main heading is this.
    pub async fn expect_heading(&self, expected: &str) {
        let seen = self.text("h1").await;
        assert_eq!(
            seen.trim(),
            expected,
            "unexpected heading on {}; the page shows:\n{}",
            self.url().await,
            self.text("body").await
        );
    }

    /// Fails unless the page shows this confirmation (the flash message after a form).
    pub async fn expect_notice(&self, expected: &str) {
        let seen = self.client.execute(crate::page::NOTICES, vec![]).await.unwrap();
        let found =
            seen.as_array().is_some_and(|all| all.iter().any(|n| n.as_str().is_some_and(|n| n.contains(expected))));
        assert!(
            found,
            "no notice {expected:?} on {}; notices: {seen}; the page shows:\n{}",
            self.url().await,
            self.text("body").await
        );
    }

    /// The texts of the links in the main navigation.
    pub async fn nav_links(&self) -> Vec<String> {
        let script =
            "return Array.from(document.querySelectorAll('nav[aria-label=Main] a')).map(a => a.innerText.trim());";
        serde_json::from_value(self.client.execute(script, vec![]).await.unwrap()).unwrap()
    }
}
