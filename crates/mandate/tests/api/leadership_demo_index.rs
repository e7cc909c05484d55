//! The demo's Leadership Evidence Index and findings: duties evidenced, stale (the last closed management review is
//! older than the six-month schedule allows), missing (top management's own training) and contradicted, and several
//! detectors fire.

use crate::harness::{PASSWORD, TestApp};
use crate::on_both_databases;
use axum::http::Method;
use serde_json::Value;
use std::collections::BTreeMap;

async fn the_demo_index_shows_its_verdicts_and_many_detectors(app: &TestApp) {
    let demo = mandate::demo::build(&app.ctx(), "Northwind Logistics", "demo", 1, PASSWORD).await.unwrap();
    let token = app.token(demo.org, demo.ciso).await;
    let index = app.api(Method::GET, "/api/v1/leadership", Some(&token), None).await.json();
    let duties = index["duties"].as_array().unwrap();
    let verdict = |key: &str| duties.iter().find(|d| d["key"] == key).map(|d| d["verdict"].clone());
    let mut verdicts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in duties {
        verdicts.entry(d["verdict"].as_str().unwrap().into()).or_default().push(d["key"].as_str().unwrap().into());
    }
    for expected in ["evidenced", "stale", "missing", "contradicted"] {
        assert!(verdicts.contains_key(expected), "no duty is {expected}: {verdicts:?}");
    }
    // The schedule asks for a review every six months; the last one closed eleven months ago.
    assert_eq!(verdict("9.3"), Some(Value::from("stale")), "{verdicts:?}");
    assert_eq!(verdict("nis2-20.2"), Some(Value::from("missing")), "{verdicts:?}");

    let findings = app.api(Method::GET, "/api/v1/leadership/findings", Some(&token), None).await.json();
    let mut detectors: BTreeMap<String, usize> = BTreeMap::new();
    for f in findings["findings"].as_array().unwrap() {
        *detectors.entry(f["detector"].as_str().unwrap().into()).or_default() += 1;
    }
    assert!(detectors.len() >= 5, "{detectors:?}");
    for review_detector in ["review_missing_inputs", "review_overdue"] {
        assert!(detectors.contains_key(review_detector), "{detectors:?}");
    }
    assert!(!detectors.contains_key("review_without_top_management"), "the CEO attended both reviews");

    // The reviews: one closed with a checkpoint, the half-year one still open without one input's notes.
    let reviews = app.api(Method::GET, "/api/v1/reviews", Some(&token), None).await.json();
    let items = reviews["reviews"].as_array().unwrap();
    let status: Vec<&str> = items.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(status, vec!["open", "closed"], "{reviews}");
    assert_eq!(reviews["schedule"]["every_months"], 6, "{reviews}");
    assert_eq!(reviews["overdue"], true, "{reviews}");
    let closed = app.api(Method::GET, &format!("/api/v1/reviews/{}", items[1]["id"]), Some(&token), None).await.json();
    assert!(closed["checkpoint_size"].as_i64().unwrap() > 0, "{closed}");
}

on_both_databases!(the_demo_index_shows_its_verdicts_and_many_detectors);
