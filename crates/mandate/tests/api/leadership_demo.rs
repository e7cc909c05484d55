//! The demo's phishing programme and personal involvement: improving click rates, rising report rates, each
//! simulation approved by a named person; a CEO who is visibly involved and a CFO with an eight-month gap.

use crate::harness::{PASSWORD, TestApp};
use crate::on_both_databases;
use axum::http::Method;
use serde_json::Value;

async fn the_demo_tells_the_awareness_and_involvement_story(app: &TestApp) {
    let demo = mandate::demo::build(&app.ctx(), "Northwind Logistics", "demo", 1, PASSWORD).await.unwrap();
    let token = app.token(demo.org, demo.auditor).await;
    let list = app.api(Method::GET, "/api/v1/phishing", Some(&token), None).await.json();
    let mut items: Vec<Value> = list["items"].as_array().unwrap().clone();
    items.reverse();
    assert_eq!(items.len(), 4, "one a quarter");
    let clicked: Vec<f64> = items.iter().map(|s| s["rates"]["clicked"].as_f64().unwrap()).collect();
    let reported: Vec<f64> = items.iter().map(|s| s["rates"]["reported"].as_f64().unwrap()).collect();
    assert!(clicked.windows(2).all(|w| w[1] < w[0]) && clicked[0] > 0.18 && clicked[3] < 0.11, "{clicked:?}");
    assert!(reported.windows(2).all(|w| w[1] > w[0]), "{reported:?}");
    assert!(
        items.iter().all(|s| s["tally"]["results"].as_i64().unwrap() >= 250 && s["matched"].as_i64().unwrap() >= 250)
    );
    let approvers: Vec<&str> = items.iter().map(|s| s["approver_name"].as_str().unwrap()).collect();
    assert!(approvers.contains(&"Martin Okafor") && approvers.contains(&"Priya Raman"), "{approvers:?}");
    let first = app.api(Method::GET, &format!("/api/v1/phishing/{}", items[0]["id"]), Some(&token), None).await.json();
    assert!(first["departments"].as_array().unwrap().len() >= 5, "{first}");

    let all = app.api(Method::GET, "/api/v1/involvement?limit=500", Some(&token), None).await.json();
    let entries = all["items"].as_array().unwrap();
    let of =
        |id: mandate::domain::ids::UserId| entries.iter().filter(move |e| e["manager_id"] == serde_json::json!(id));
    assert!(of(demo.ceo).count() >= 12);
    assert!(
        of(demo.ceo).any(|e| e["kind"] == "joined_audit")
            && of(demo.ceo).any(|e| e["record_type"] == "phishing_simulation")
    );
    let cfo: Vec<&Value> = of(demo.cfo).collect();
    assert!(!cfo.is_empty() && cfo.iter().any(|e| e["own_record"] == false));
    let eight_months_ago = mandate::clock::format_utc(demo.now - 240 * 86_400)[..10].to_string();
    assert!(cfo.iter().all(|e| e["occurred_on"].as_str().unwrap() < eight_months_ago.as_str()), "the CFO's gap");
    let page = app.browser();
    page.sign_in("ceo@demo.example").await;
    assert!(page.get("/involvement").await.text().contains("Sofia Lindqvist"));
    assert!(page.get("/phishing").await.text().contains("<svg"));
}

on_both_databases!(the_demo_tells_the_awareness_and_involvement_story);
