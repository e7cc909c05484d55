//! The resources register through the JSON API: flags under a moving clock and the organisation's share,
//! sorting, paging and totals over every page, and the demo's year of history.

use crate::harness::TestApp;
use crate::on_both_databases;
use crate::resources::{DAY, approve, call, create, org, spend};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

async fn flags_follow_the_clock_and_the_organisations_share(app: &TestApp) {
    let acme = org(app, "acme").await;
    let body = |title: &str| json!({"title": title, "purpose": "p", "initiative": "i", "amount": "10000.00", "due_on": "2026-12-31"});
    let slow = create(app, &acme.manager, body("Awareness campaign")).await;
    let moved = create(app, &acme.manager, body("Pen test")).await;
    let refused = create(app, &acme.manager, body("Red team")).await;
    approve(app, &acme.ceo, slow).await;
    approve(app, &acme.ceo, moved).await;
    let no = json!({"decision_ref": "Board #5", "reason": "Next year"});
    call(app, Method::POST, &format!("/api/v1/resources/{refused}/refuse"), &acme.ceo, Some(no)).await;
    spend(app, &acme.manager, slow, json!({"amount": "2000.00", "spent_on": "2026-11-23"})).await;
    spend(app, &acme.manager, moved, json!({"amount": "5000.00", "spent_on": "2026-11-23"})).await;
    let auditor = acme.auditor.as_str();
    let flags = |id: i64| async move {
        call(app, Method::GET, &format!("/api/v1/resources/{id}"), auditor, None).await.json()["flags"].clone()
    };
    assert_eq!(flags(slow).await, json!([]), "early days");

    // 20 of the 39 days to the end of the due date have gone; 20% spent is under half of that share.
    app.clock.advance(20 * DAY);
    assert_eq!(flags(slow).await, json!(["behind_plan"]));
    assert_eq!(flags(refused).await, json!([]));
    let close = json!({"unspent": "redirected", "note": "Moved to the office refurbishment"});
    let closed = call(app, Method::POST, &format!("/api/v1/resources/{moved}/close"), &acme.manager, Some(close)).await;
    assert_eq!(closed.json()["flags"], json!(["redirected"]));

    // The due date (2026-12-31) has passed: 20% < 50% spent by then.
    app.clock.advance(19 * DAY);
    assert_eq!(flags(slow).await, json!(["underspent"]));
    let late = spend(app, &acme.manager, slow, json!({"amount": "8000.00", "spent_on": "2027-01-01"})).await;
    assert_eq!(late.status, StatusCode::CREATED, "{}", late.text());
    let shown = call(app, Method::GET, &format!("/api/v1/resources/{slow}"), &acme.auditor, None).await.json();
    assert_eq!(shown["spent"]["amount"], "10000.00");
    assert_eq!(shown["spent_by_due"]["amount"], "2000.00");
    assert_eq!(shown["flags"], json!(["underspent"]), "spending after the due date does not clear the flag");

    let flagged = call(app, Method::GET, "/api/v1/resources?flag=underspent", &acme.auditor, None).await.json();
    assert_eq!(flagged["total"], 1);
    assert_eq!(flagged["items"][0]["id"], slow);
    let redirected = call(app, Method::GET, "/api/v1/resources?flag=redirected", &acme.auditor, None).await.json();
    assert_eq!(redirected["items"][0]["id"], moved);
    let by_status = call(app, Method::GET, "/api/v1/resources?status=refused", &acme.auditor, None).await.json();
    assert_eq!(by_status["items"][0]["id"], refused);
    assert_eq!(by_status["total"], 1);

    // The organisation's share decides: at 15%, 20% spent by the due date is enough.
    let change = json!({"underspent_percent": 15});
    let denied = call(app, Method::PATCH, "/api/v1/resources/settings", &acme.manager, Some(change.clone())).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let changed = call(app, Method::PATCH, "/api/v1/resources/settings", &acme.admin, Some(change)).await;
    assert_eq!(changed.json(), json!({"currency": "EUR", "underspent_percent": 15}));
    assert_eq!(flags(slow).await, json!([]));
    let list = call(app, Method::GET, "/api/v1/resources", &acme.auditor, None).await.json();
    assert_eq!(list["underspent_percent"], 15);
}

async fn the_demo_tells_the_resource_story(app: &TestApp) {
    let demo =
        mandate::demo::build(&app.ctx(), "Northwind Logistics", "demo", 1, crate::harness::PASSWORD).await.unwrap();
    let mut c = app.db.read().await.unwrap();
    let query = mandate::resources::register::Query { limit: 100, ..Default::default() };
    let register = mandate::resources::register::register(&mut c.conn(), demo.org, &query, app.now()).await.unwrap();
    let by_status = |status: &str| register.items.iter().filter(|s| s.status.as_str() == status).count();
    assert_eq!(register.total, 6);
    assert_eq!(
        (by_status("requested"), by_status("approved"), by_status("refused"), by_status("closed")),
        (1, 2, 1, 2)
    );
    let flagged = |flag: &str| {
        register
            .items
            .iter()
            .filter(|s| s.flags.iter().any(|f| f.as_str() == flag))
            .map(|s| s.line.row.title.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(flagged("underspent"), ["Security awareness programme"]);
    assert_eq!(flagged("redirected"), ["Isolated offline backups"]);
    assert!(flagged("behind_plan").is_empty(), "the phishing platform is on track");
    let euros = &register.totals.money["EUR"];
    assert!(euros.spent > 0 && euros.spent < euros.promised && euros.pending == 1_800_000, "{euros:?}");
    let decided_by: Vec<_> = register.items.iter().filter_map(|s| s.line.decider_name.clone()).collect();
    assert!(decided_by.contains(&"Martin Okafor".to_string()) && decided_by.contains(&"Sofia Lindqvist".to_string()));
}

async fn the_register_sorts_and_pages_with_totals_over_every_page(app: &TestApp) {
    let acme = org(app, "acme").await;
    let request = |title: &str, amount: &str, due: &str| json!({"title": title, "purpose": "p", "initiative": "i", "amount": amount, "due_on": due});
    let b = create(app, &acme.manager, request("Backups", "300.00", "2027-03-01")).await;
    let a = create(app, &acme.manager, request("awareness", "100.00", "2027-02-01")).await;
    let c = create(app, &acme.manager, request("Cameras", "200.00", "2027-01-01")).await;
    let usd = json!({"title": "US office", "purpose": "p", "initiative": "i", "amount": "50.00", "currency": "USD",
        "due_on": "2027-04-01"});
    let d = create(app, &acme.manager, usd).await;
    approve(app, &acme.ceo, c).await;
    spend(app, &acme.manager, c, json!({"amount": "20.00", "spent_on": "2026-11-23"})).await;
    let ids =
        |list: &Value| list["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect::<Vec<_>>();
    let auditor = acme.auditor.as_str();
    let list = |query: &'static str| async move {
        call(app, Method::GET, &format!("/api/v1/resources?{query}"), auditor, None).await.json()
    };
    assert_eq!(ids(&list("").await), [c, a, b, d], "soonest due first by default");
    assert_eq!(ids(&list("sort=amount").await), [b, c, a, d]);
    assert_eq!(ids(&list("sort=title").await), [a, b, c, d], "titles sort without regard to case");
    assert_eq!(ids(&list("sort=newest").await), [d, c, a, b]);
    assert_eq!(ids(&list("sort=status").await), [d, a, b, c], "requested before approved");
    let page = list("sort=amount&limit=2&offset=1").await;
    assert_eq!(ids(&page), [c, a]);
    assert_eq!(page["total"], 4, "the total counts every page");
    assert_eq!(page["totals"][0]["currency"], "EUR");
    assert_eq!(page["totals"][0]["pending"], "400.00");
    assert_eq!(page["totals"][0]["promised"], "200.00");
    assert_eq!(page["totals"][0]["spent"], "20.00");
    assert_eq!(page["totals"][1]["currency"], "USD", "currencies are never added together");
    assert_eq!(page["totals"][1]["pending"], "50.00");
    let requested = list("status=requested&limit=1").await;
    assert_eq!((requested["total"].as_i64(), ids(&requested)), (Some(3), vec![a]));
    assert_eq!(requested["totals"][0]["promised"], "0.00");
    // Past the due date (2027-01-01), the camera commitment is underspent; the flag filter pages the same way.
    app.clock.advance(45 * DAY);
    let flagged = list("flag=underspent&limit=1").await;
    assert_eq!((flagged["total"].as_i64(), ids(&flagged)), (Some(1), vec![c]));
    assert_eq!(flagged["totals"][0]["promised"], "200.00");
    assert_eq!(list("flag=underspent&offset=1").await["items"], json!([]));
}

on_both_databases!(
    flags_follow_the_clock_and_the_organisations_share,
    the_register_sorts_and_pages_with_totals_over_every_page,
    the_demo_tells_the_resource_story,
);
