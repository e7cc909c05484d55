//! The resources pages: request, approve, record, reverse and close with plain forms; the register with its
//! filters and totals; forms shown only to roles that may use them; refused forms change nothing.

use crate::harness::TestApp;
use crate::on_both_databases;
use crate::resources::fingerprint;
use axum::http::StatusCode;
use mandate::domain::role::Role;

async fn a_request_goes_through_the_pages(app: &TestApp) {
    let org = app.org("acme").await;
    for role in [Role::IsmsManager, Role::TopManagement, Role::Auditor, Role::Employee] {
        app.member(org, "acme", role).await;
    }
    let manager = app.browser();
    let home = manager.sign_in("isms_manager@acme.test").await.text();
    assert!(home.contains("href=\"/resources\""), "the navigation links the register");
    assert!(manager.get("/resources").await.text().contains("Request resources"));
    assert!(manager.get("/resources/new").await.text().contains("Send the request"));
    let mut form = vec![
        ("title", "Backup restore tests"),
        ("purpose", "Quarterly restore tests of the isolated backups"),
        ("initiative", "Business continuity"),
        ("amount", "12,50"),
        ("currency", "EUR"),
        ("person_days", "4"),
        ("due_on", "2027-02-28"),
    ];
    let before = fingerprint(app, org).await;
    let refused = manager.post("/resources", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text();
    assert!(text.contains("dot for decimals") && text.contains("value=\"Backup restore tests\""), "{text}");
    assert_eq!(before, fingerprint(app, org).await);
    form[3] = ("amount", "8000.00");
    let created = manager.post("/resources", &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let detail_url = created.location().unwrap().to_string();
    let path = detail_url.split('?').next().unwrap().to_string();
    let detail = manager.get(&detail_url).await.text();
    assert!(detail.contains("sent to top management") && detail.contains("Requested"));
    assert!(!detail.contains("Approve</button>"), "only top management sees the decision forms");
    assert!(!detail.contains("Record spending"), "nothing is recorded before approval");

    let ceo = app.browser();
    ceo.sign_in("top_management@acme.test").await;
    assert!(ceo.get(&path).await.text().contains("Approve</button>"));
    let missing_ref = ceo.post(&format!("{path}/approve"), &[("decision_ref", "")]).await;
    assert_eq!(missing_ref.status, StatusCode::UNPROCESSABLE_ENTITY);
    let approved =
        ceo.post(&format!("{path}/approve"), &[("decision_ref", "Board 2026-11 #7"), ("amount", "6000.00")]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text());
    let again = ceo.post(&format!("{path}/approve"), &[("decision_ref", "again")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "approving twice");
    assert!(again.text().contains("already approved"));

    let page = manager.get(&path).await.text();
    assert!(page.contains("6,000.00 EUR") && page.contains("Board 2026-11 #7") && page.contains("Record spending"));
    let recorded = manager
        .post(&format!("{path}/entries"), &[("amount", "1500.00"), ("spent_on", "2026-11-23"), ("note", "INV-1")])
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.text());
    let page = manager.get(&path).await.text();
    assert!(page.contains("INV-1") && page.contains("25%"), "promised versus actual: {page}");
    let entry = page.split("name=\"reverses\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let reversed =
        manager.post(&format!("{path}/entries"), &[("reverses", &entry), ("note", "wrong cost centre")]).await;
    assert_eq!(reversed.status, StatusCode::SEE_OTHER, "{}", reversed.text());
    let page = manager.get(&path).await.text();
    assert!(page.contains("reversed by #") && page.contains("wrong cost centre"));
    let closed = manager.post(&format!("{path}/close"), &[("unspent", "redirected"), ("note", "")]).await;
    assert_eq!(closed.status, StatusCode::UNPROCESSABLE_ENTITY, "a redirection says where");
    let closed =
        manager.post(&format!("{path}/close"), &[("unspent", "redirected"), ("note", "Moved to DR site")]).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.text());
    let page = manager.get(&path).await.text();
    assert!(page.contains("redirected elsewhere") && page.contains("flag-redirected"));

    let auditor = app.browser();
    auditor.sign_in("auditor@acme.test").await;
    let register = auditor.get("/resources").await.text();
    assert!(register.contains("Backup restore tests") && register.contains("Promised (approved)"));
    assert!(!register.contains("Request resources") && !register.contains("Save settings"));
    let redirected = auditor.get("/resources?flag=redirected&sort=amount").await.text();
    assert!(redirected.contains("Backup restore tests"));
    let underspent = auditor.get("/resources?flag=underspent").await.text();
    assert!(underspent.contains("0 commitments"));
    assert_eq!(auditor.get("/resources?status=open").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!auditor.get(&path).await.text().contains("Attach evidence"));

    let employee = app.browser();
    let home = employee.sign_in("employee@acme.test").await.text();
    assert!(!home.contains("href=\"/resources\""));
    assert_eq!(employee.get("/resources").await.status, StatusCode::FORBIDDEN);
}

async fn administrators_set_the_share_and_currency(app: &TestApp) {
    let org = app.org("acme").await;
    let admin = app.browser();
    admin.sign_in("admin@acme.test").await;
    assert!(admin.get("/resources").await.text().contains("Save settings"));
    let before = fingerprint(app, org).await;
    let bad = admin.post("/resources/settings", &[("currency", "EUR"), ("underspent_percent", "half")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("whole percentage"));
    assert_eq!(before, fingerprint(app, org).await);
    let saved = admin.post("/resources/settings", &[("currency", "chf"), ("underspent_percent", "70")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = admin.get(saved.location().unwrap()).await.text();
    assert!(page.contains("value=\"CHF\"") && page.contains("less than 70%"));
    assert!(admin.get("/resources/new").await.text().contains("value=\"CHF\""), "requests default to it");
}

on_both_databases!(a_request_goes_through_the_pages, administrators_set_the_share_and_currency);
