//! Every page a person can reach by following links, for each role, on the demo organisation's year of history:
//! each must render (no error page) and pass the accessibility check. Pages of one shape (`/policies/#`) are
//! visited once.

use crate::journey::{Journey, PASSWORD};
use std::collections::{BTreeSet, VecDeque};

/// Same-origin links of the current page, as paths (downloads, the API and signing out left out).
const LINKS: &str = r#"
return Array.from(document.querySelectorAll('a[href]'))
  .map(function (a) { return new URL(a.href, location.href); })
  .filter(function (u) { return u.origin === location.origin; })
  .map(function (u) { return u.pathname + u.search; });
"#;

fn skipped(path: &str) -> bool {
    ["/api/", "/static/", "/download", "/document", "/export", "/logout", ".svg", ".csv"]
        .iter()
        .any(|p| path.contains(p))
}

/// The page's shape: its path with numbers replaced, without the query.
fn shape(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/')
        .map(|part| if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() { "#" } else { part })
        .collect::<Vec<_>>()
        .join("/")
}

/// Visits every page shape reachable from the home page; returns how many were visited.
async fn crawl(j: &mut Journey) -> usize {
    let mut seen = BTreeSet::from([shape("/")]);
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut visited = 0;
    while let Some(path) = queue.pop_front() {
        j.visit(&path).await;
        eprintln!("every page: {path}");
        visited += 1;
        // Every error page (whatever its status) carries its status on the body.
        let status = j.client.execute("return document.body.dataset.status || null;", vec![]).await.unwrap();
        assert!(status.is_null(), "{path} (linked from a page) shows error {status}: {}", j.text("main").await);
        let links: Vec<String> = serde_json::from_value(j.client.execute(LINKS, vec![]).await.unwrap()).unwrap();
        for link in links {
            if !skipped(&link) && seen.insert(shape(&link)) {
                queue.push_back(link);
            }
        }
    }
    visited
}

#[tokio::test]
async fn every_page_each_role_can_reach_renders_and_is_accessible() {
    let Some(mut j) = Journey::start_demo("every page").await else { return };
    // The administrator reaches every page the ISMS manager does, and the administration pages besides.
    for who in ["admin", "ceo", "auditor", "employee"] {
        j.sign_in_as(&format!("{who}@demo.example"), PASSWORD).await;
        j.expect_text(&format!("{who}@demo.example · ")).await;
        let pages = crawl(&mut j).await;
        eprintln!("every page: {who} reached {pages} page shapes");
    }
    j.finish().await;
}
