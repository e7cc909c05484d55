//! The demo's objectives: a believable year for Northwind Logistics, seeded through the real operations.

use crate::harness::{PASSWORD, TestApp};
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use serde_json::Value;

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let reply = app.api(Method::GET, path, Some(token), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text());
    reply.json()
}

async fn the_demo_has_a_year_of_objectives(app: &TestApp) {
    let demo = mandate::demo::build(&app.ctx(), "Northwind Logistics", "demo", 1, PASSWORD).await.unwrap();
    let token = app.token(demo.org, demo.auditor).await;
    let list = get(app, &token, "/api/v1/objectives?limit=100").await;
    let items = list["items"].as_array().unwrap();
    let organisational: Vec<&Value> = items.iter().filter(|o| o["kind"] == "organisational").collect();
    assert!(organisational.len() >= 8, "{}", organisational.len());
    assert!(organisational.iter().all(|o| o["policy_id"].is_i64()), "they serve the information security policy");
    let progress: Vec<&str> = items.iter().filter_map(|o| o["progress"]["status"].as_str()).collect();
    for status in ["on_track", "at_risk", "off_track", "not_measured_recently"] {
        assert!(progress.contains(&status), "no {status} objective in {progress:?}");
    }
    assert_eq!(items.iter().filter(|o| o["status"] == "achieved").count(), 1);
    let people: Vec<&str> = items.iter().filter_map(|o| o["person_name"].as_str()).collect();
    assert!(people.contains(&"Martin Okafor") && people.contains(&"Sofia Lindqvist"), "{people:?}");

    let awareness = items.iter().find(|o| o["statement"] == "Staff who completed the security awareness course");
    let id = awareness.unwrap()["id"].as_i64().unwrap();
    let history = get(app, &token, &format!("/api/v1/objectives/{id}/measurements")).await;
    let history = history["items"].as_array().unwrap();
    assert!(history.len() >= 12, "a year of monthly measurements: {}", history.len());
    assert_eq!(history.iter().filter(|m| m["withdrawn"] == true).count(), 1, "the mistyped figure was withdrawn");
    let dates: Vec<i64> = history
        .iter()
        .filter(|m| m["withdrawn"] == false)
        .map(|m| mandate::domain::objective::parse_date(m["measured_on"].as_str().unwrap(), "date").unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[1] - w[0] == 30 * 86_400), "monthly: {dates:?}");
    assert!(*dates.last().unwrap() <= app.now(), "nothing measured in the future");

    // The register reads only what the rule needs: the first standing measurement and the latest six.
    let mut c = app.db.read().await.unwrap();
    let objective = mandate::domain::ids::ObjectiveId(id);
    let all = mandate::db::measurement::for_objective(&mut c.conn(), demo.org, objective).await.unwrap();
    let standing: Vec<(i64, f64)> =
        all.iter().filter(|m| m.withdrawn_at.is_none()).map(|m| (m.measured_on, m.value)).collect();
    let read = mandate::db::measurement::active_readings(&mut c.conn(), demo.org, &[objective], 6).await.unwrap();
    let read: Vec<(i64, f64)> = read.into_iter().map(|(_, on, value)| (on, value)).collect();
    assert_eq!(read.len(), 7);
    assert_eq!((read[0], &read[1..]), (standing[0], &standing[standing.len() - 6..]));
    drop(c);

    let ceo = app.browser();
    ceo.sign_in("ceo@demo.example").await;
    let page = ceo.get("/objectives/personal").await.text();
    assert!(page.contains("Yours") && page.contains("Chair the ISMS steering committee every quarter"), "{page}");
}

on_both_databases!(the_demo_has_a_year_of_objectives);
