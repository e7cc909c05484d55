//! Roles, responsibilities and appointments (ISO/IEC 27001 5.3): the catalogue, appointments by top management,
//! segregation-of-duties findings, the RACI matrix and their pages. Shared fixture here; tests in `roles/`.

mod appointments;
mod catalogue;
mod demo;
mod findings;
mod isolation;
mod pages;

use crate::harness::{Reply, TestApp};
use axum::http::Method;
use mandate::domain::ids::{OrgId, UserId};
use mandate::domain::role::Role;
use serde_json::Value;

/// An organisation with a person in each access role and three staff members.
pub struct Org {
    pub org: OrgId,
    pub admin: String,
    pub manager: String,
    pub manager_id: UserId,
    pub ceo: UserId,
    pub cfo: UserId,
    pub cfo_token: String,
    pub employee: String,
    pub auditor: String,
    pub alice: UserId,
    pub bob: UserId,
    pub carol: UserId,
}

pub async fn org(app: &TestApp, slug: &str) -> Org {
    let org = app.org(slug).await;
    let admin = mandate::accounts::member_by_email(&app.db, org, &format!("admin@{slug}.test")).await.unwrap().user_id;
    let manager_id = app.member(org, slug, Role::IsmsManager).await;
    let ceo = app.member_as(org, &format!("ceo@{slug}.test"), Role::TopManagement).await;
    let cfo = app.member_as(org, &format!("cfo@{slug}.test"), Role::TopManagement).await;
    let employee = app.member(org, slug, Role::Employee).await;
    let auditor = app.member(org, slug, Role::Auditor).await;
    Org {
        org,
        admin: app.token(org, admin).await,
        manager: app.token(org, manager_id).await,
        manager_id,
        ceo,
        cfo,
        cfo_token: app.token(org, cfo).await,
        employee: app.token(org, employee).await,
        auditor: app.token(org, auditor).await,
        alice: app.member_as(org, &format!("alice@{slug}.test"), Role::Employee).await,
        bob: app.member_as(org, &format!("bob@{slug}.test"), Role::Employee).await,
        carol: app.member_as(org, &format!("carol@{slug}.test"), Role::Employee).await,
    }
}

/// The id of the catalogue role called `name` (retired ones included).
pub async fn role(app: &TestApp, token: &str, name: &str) -> i64 {
    let reply = app.api(Method::GET, "/api/v1/roles?include_retired=true&limit=500", Some(token), None).await;
    let list = reply.json();
    let found = list["items"].as_array().unwrap().iter().find(|r| r["name"] == name);
    found.unwrap_or_else(|| panic!("no role {name}: {list}"))["id"].as_i64().unwrap()
}

/// The id of the RACI process called `name`.
pub async fn process(app: &TestApp, token: &str, name: &str) -> i64 {
    let matrix = app.api(Method::GET, "/api/v1/raci", Some(token), None).await.json();
    let found = matrix["processes"].as_array().unwrap().iter().find(|p| p["name"] == name);
    found.unwrap_or_else(|| panic!("no process {name}: {matrix}"))["id"].as_i64().unwrap()
}

/// Sends a JSON request with a token.
pub async fn call(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> Reply {
    app.api(method, path, Some(token), body).await
}

/// How many events `org`'s ledger holds.
pub async fn ledger_size(app: &TestApp, org: OrgId) -> i64 {
    let mut c = app.db.read().await.unwrap();
    mandate::db::ledger::head(&mut c.conn(), org).await.unwrap().map_or(0, |h| h.size)
}

/// The events of `org` about `object_type`, as (action, actor).
pub async fn events(app: &TestApp, org: OrgId, object_type: &str) -> Vec<(String, String)> {
    let mut c = app.db.read().await.unwrap();
    let all = mandate::db::ledger::events_after(&mut c.conn(), org, 0, 100_000).await.unwrap();
    all.into_iter().filter(|e| e.object_type == object_type).map(|e| (e.action, e.actor)).collect()
}

/// The error message of a JSON error reply.
pub fn message(reply: &Reply) -> String {
    reply.json()["error"]["message"].as_str().unwrap_or_default().to_string()
}
