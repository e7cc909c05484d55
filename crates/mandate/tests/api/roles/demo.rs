//! The demo organisation's roles: a year of appointments by the CEO, with the findings an auditor should see.

use super::call;
use crate::harness::{PASSWORD, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};

async fn the_demo_has_a_believable_year_of_appointments_and_its_findings(app: &TestApp) {
    let demo = mandate::demo::build(&app.ctx(), "Northwind Logistics", "demo", 1, PASSWORD).await.unwrap();
    let token = app.token(demo.org, demo.ciso).await;
    let found = call(app, Method::GET, "/api/v1/sod-conflicts", &token, None).await;
    assert_eq!(found.status, StatusCode::OK);
    let found = found.json();
    assert_eq!(found["conflicts"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["missing_deputies"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["missing_deputies"][0]["role"]["name"], "BC coordinator");
    assert_eq!(found["unfilled_roles"].as_array().unwrap().len(), 0, "{found}");
    let raci = call(app, Method::GET, "/api/v1/raci", &token, None).await.json();
    let lacking: Vec<&str> = raci["processes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["flags"].as_array().unwrap().iter().any(|f| f == "no_accountable"))
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(lacking, ["Supplier management"]);
    let all = call(app, Method::GET, "/api/v1/appointments?limit=500", &token, None).await.json();
    let items = all["items"].as_array().unwrap();
    assert!(items.len() > 25, "{}", items.len());
    assert!(items.iter().all(|a| a["appointed_by"]["id"] == demo.ceo.0), "the CEO made every appointment");
    assert!(items.iter().any(|a| a["status"] == "ended"), "history includes ended appointments");
    let first = items.iter().map(|a| a["appointed_on"].as_str().unwrap()).min().unwrap();
    assert!(first < "2026-01-01", "appointments span the past year: {first}");
}

on_both_databases!(the_demo_has_a_believable_year_of_appointments_and_its_findings);
