//! The meeting detectors on small hand-built histories, on both databases: supplier risks that never reached a
//! management meeting (site meetings do not count; a year's window), and management meetings that decided nothing
//! (at least two, and at least a third of them); and what the findings page says about detectors that wait.

use crate::detector_cases::{DAY, of, post};
use crate::harness::TestApp;
use crate::meetings::{People, meeting_body, people};
use crate::on_both_databases;
use axum::http::StatusCode;
use serde_json::json;

/// A meeting held today of `kind` with one agenda item on `topic`; its id.
async fn meeting(app: &TestApp, p: &People, kind: &str, topic: &str) -> i64 {
    let agenda = json!([{"title": "Standing item", "topics": [topic]}]);
    let body = meeting_body(app, p, json!({"kind": kind, "agenda": agenda}));
    post(app, &p.manager_token, "/api/v1/meetings", body, StatusCode::CREATED).await["id"].as_i64().unwrap()
}

async fn decide(app: &TestApp, p: &People, meeting: i64) {
    let decision = json!({"text": "Renew the backup contract", "topic": "improvement", "decided_by": p.ceo});
    post(app, &p.manager_token, &format!("/api/v1/meetings/{meeting}/decisions"), decision, StatusCode::CREATED).await;
}

async fn supplier_risks_not_raised(app: &TestApp) {
    let p = people(app, "acme").await;
    let token = &p.manager_token;
    let never = of(app, token, "supplier_risks_not_raised").await;
    assert_eq!(never.len(), 1);
    assert_eq!(never[0]["subject"], "topic:suppliers:after:0");
    assert_eq!(never[0]["title"], "No management meeting discussed suppliers in 365 days");
    assert_eq!(never[0]["records"], json!([]));
    assert!(never[0]["explanation"].as_str().unwrap().contains("supplier register exists"));
    // A site meeting on suppliers is not management's.
    meeting(app, &p, "other", "suppliers").await;
    assert_eq!(of(app, token, "supplier_risks_not_raised").await.len(), 1);
    let board = meeting(app, &p, "board", "suppliers").await;
    assert!(of(app, token, "supplier_risks_not_raised").await.is_empty());
    // Still within the year on its 365th day; the day after, the finding names the last meeting that had them.
    app.clock.advance(365 * DAY);
    assert!(of(app, token, "supplier_risks_not_raised").await.is_empty());
    app.clock.advance(DAY);
    let lapsed = of(app, token, "supplier_risks_not_raised").await;
    assert_eq!(lapsed.len(), 1);
    assert_eq!(lapsed[0]["subject"], format!("topic:suppliers:after:{board}"));
    assert_eq!(
        (lapsed[0]["records"][0]["record_type"].clone(), lapsed[0]["records"][0]["id"].clone()),
        (json!("meeting"), json!(board))
    );
}

async fn meetings_without_decisions(app: &TestApp) {
    let p = people(app, "acme").await;
    let token = &p.manager_token;
    // Four management meetings, one without a decision; two empty site meetings do not count.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(meeting(app, &p, "management_team", "risks").await);
    }
    for id in &held[1..] {
        decide(app, &p, *id).await;
    }
    for _ in 0..2 {
        meeting(app, &p, "other", "risks").await;
    }
    assert!(of(app, token, "meetings_without_decisions").await.is_empty(), "one empty meeting of four");
    // A second empty one: two of five is more than a third.
    let second = meeting(app, &p, "isms_committee", "risks").await;
    let found = of(app, token, "meetings_without_decisions").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["subject"], format!("meetings:{}-{second}", held[0]));
    assert_eq!(found[0]["title"], "2 of 5 management meetings in six months decided nothing");
    let ids: Vec<_> = found[0]["records"].as_array().unwrap().iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, vec![json!(held[0]), json!(second)]);
    // Recording the decision the meeting took clears it.
    decide(app, &p, second).await;
    assert!(of(app, token, "meetings_without_decisions").await.is_empty());
    // Two of six without decisions (exactly a third) fires; once they are older than six months, it is silent.
    let third = meeting(app, &p, "board", "risks").await;
    assert_eq!(
        of(app, token, "meetings_without_decisions").await[0]["subject"],
        format!("meetings:{}-{third}", held[0])
    );
    app.clock.advance(183 * DAY);
    assert!(of(app, token, "meetings_without_decisions").await.is_empty());
}

async fn the_page_says_what_detectors_wait_for(app: &TestApp) {
    let p = people(app, "acme").await;
    let list = crate::detector_cases::findings(app, &p.manager_token).await;
    let interview =
        list["detectors"].as_array().unwrap().iter().find(|d| d["detector"] == "interview_claim_unsupported");
    let interview = interview.expect("every detector is listed");
    assert_eq!(
        (interview["runs"].clone(), interview["needs"].clone()),
        (json!(false), json!("the interview workspace"))
    );
    let page = app.browser();
    page.sign_in("isms_manager@acme.test").await;
    let html = page.get("/leadership/findings").await.text();
    assert!(html.contains("Interview claim not borne out"), "{html}");
    assert!(html.contains("Needs the interview workspace: nothing to check yet."));
    assert!(html.contains("Approximated until the supplier register exists."));
    assert!(html.contains("Approximated until the incident register exists."));
}

on_both_databases!(supplier_risks_not_raised, meetings_without_decisions, the_page_says_what_detectors_wait_for);
