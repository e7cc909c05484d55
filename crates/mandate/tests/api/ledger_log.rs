//! The ledger in the application: every change appends its event in the same transaction, the log is
//! append-only and gapless under concurrent writers, and exported bundles verify offline.

use crate::harness::TestApp;
use crate::on_both_databases;
use axum::http::{Method, StatusCode};
use mandate::accounts::{self, MemberChange, NewMember};
use mandate::db::{self, Conn};
use mandate::domain::ids::OrgId;
use mandate::domain::role::Role;

async fn events(app: &TestApp, org: OrgId) -> Vec<db::ledger::EventRow> {
    db::ledger::events_after(&mut app.db.read().await.unwrap().conn(), org, 0, 100_000).await.unwrap()
}

async fn every_change_is_an_event_in_the_same_transaction(app: &TestApp) {
    let org = app.org("acme").await;
    let initial = events(app, org).await;
    let actions: Vec<_> = initial.iter().map(|e| format!("{} {}", e.action, e.object_type)).collect();
    assert_eq!(actions, ["create organisation", "create membership"]);

    let user = app.member(org, "acme", Role::Auditor).await;
    let change = MemberChange { role: Some(Role::Employee), ..Default::default() };
    accounts::change_member(&app.ctx(), org, user, &change).await.unwrap();
    let (token, _) = accounts::create_token(&app.ctx(), org, user, None, "sync").await.unwrap();
    accounts::revoke_token(&app.ctx(), org, token).await.unwrap();
    app.browser().sign_in("auditor@acme.test").await;
    let all = events(app, org).await;
    let actions: Vec<_> = all.iter().skip(2).map(|e| format!("{} {}", e.action, e.object_type)).collect();
    assert_eq!(
        actions,
        ["create membership", "update membership", "create api_token", "revoke api_token", "sign_in session"]
    );
    let seqs: Vec<i64> = all.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=all.len() as i64).collect::<Vec<_>>(), "gapless from 1");
    let sign_in = all.last().unwrap();
    assert_eq!((sign_in.actor.as_str(), sign_in.role.as_str()), ("auditor@acme.test", "employee"));
    assert_eq!(sign_in.request_id.len(), 16, "the request id is recorded");

    // A refused change leaves no event behind.
    let before = events(app, org).await.len();
    let duplicate = NewMember {
        email: "auditor@acme.test".into(),
        name: "Again".into(),
        role: Role::Employee,
        password: None,
        expires_at: None,
        department: None,
    };
    assert!(accounts::add_member(&app.ctx(), org, &duplicate).await.is_err());
    let last_admin = MemberChange { role: Some(Role::Employee), ..Default::default() };
    let admin = accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap().user_id;
    assert!(accounts::change_member(&app.ctx(), org, admin, &last_admin).await.is_err());
    assert_eq!(events(app, org).await.len(), before);

    // Organisations have separate logs.
    let other = app.org("globex").await;
    assert_eq!(events(app, other).await.len(), 2);
}

async fn the_event_table_refuses_updates_and_deletes(app: &TestApp) {
    let org = app.org("acme").await;
    let mut tx = app.db.begin().await.unwrap();
    let update = match tx.conn() {
        Conn::Sqlite(c) => sqlx::query("update ledger_event set actor = 'mallory'").execute(&mut *c).await.err(),
        Conn::Postgres(c) => sqlx::query("update ledger_event set actor = 'mallory'").execute(&mut *c).await.err(),
    };
    assert!(update.expect("update refused").to_string().contains("append-only"));
    drop(tx);
    let mut tx = app.db.begin().await.unwrap();
    let delete = match tx.conn() {
        Conn::Sqlite(c) => sqlx::query("delete from ledger_event where seq = 2").execute(&mut *c).await.err(),
        Conn::Postgres(c) => sqlx::query("delete from ledger_event where seq = 2").execute(&mut *c).await.err(),
    };
    assert!(delete.expect("delete refused").to_string().contains("append-only"));
    drop(tx);
    assert_eq!(events(app, org).await.len(), 2);
}

async fn concurrent_writers_make_one_gapless_log(app: &TestApp) {
    let org = app.org("acme").await;
    let writers = 8;
    let per_writer = 10;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let db = app.db.clone();
        let journal = app.state.journal.clone();
        let now = app.now();
        tasks.push(tokio::spawn(async move {
            for i in 0..per_writer {
                let ctx = mandate::context::Ctx {
                    db: &db,
                    journal: &journal,
                    actor: mandate::journal::Actor::system("w"),
                    now,
                };
                let member = NewMember {
                    email: format!("w{w}-{i}@acme.test"),
                    name: format!("W {w} {i}"),
                    role: Role::Employee,
                    password: None,
                    expires_at: None,
                    department: None,
                };
                accounts::add_member(&ctx, org, &member).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let all = events(app, org).await;
    assert_eq!(all.len(), 2 + writers * per_writer);
    let seqs: Vec<i64> = all.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=all.len() as i64).collect::<Vec<_>>());
    let head = db::ledger::head(&mut app.db.read().await.unwrap().conn(), org).await.unwrap().unwrap();
    assert_eq!(head.size, all.len() as i64);
    // The stored frontier's root is the root over the stored events.
    let leaves: Vec<[u8; 32]> = all.iter().map(|e| ledger::Event::decode(&e.encoded).unwrap().leaf_hash()).collect();
    assert_eq!(ledger::Frontier::decode(&head.frontier).unwrap().root(), ledger::merkle::root(&leaves));
}

async fn the_api_serves_checkpoints_and_events(app: &TestApp) {
    let org = app.org("acme").await;
    let auditor = app.member(org, "acme", Role::Auditor).await;
    let token = app.token(org, auditor).await;
    let checkpoint = app.api(Method::GET, "/api/v1/ledger/checkpoint", Some(&token), None).await;
    assert_eq!(checkpoint.status, StatusCode::OK, "{}", checkpoint.text());
    let body = checkpoint.json();
    let note = body["note"].as_str().unwrap();
    let key = ledger::VerifierKey::parse(body["verifier_key"].as_str().unwrap()).unwrap();
    let opened = ledger::open(note, &[key]).unwrap();
    assert_eq!(opened.size as i64, body["size"].as_i64().unwrap());
    let page = app.api(Method::GET, "/api/v1/ledger/events?after=1&limit=2", Some(&token), None).await.json();
    assert_eq!(page["items"][0]["seq"], 2);
    assert_eq!(page["next_after"], 3);
    assert_eq!(
        app.api(Method::GET, "/api/v1/ledger/events?limit=5000", Some(&token), None).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let employee = app.member(org, "acme", Role::Employee).await;
    let employee_token = app.token(org, employee).await;
    assert_eq!(
        app.api(Method::GET, "/api/v1/ledger/events", Some(&employee_token), None).await.status,
        StatusCode::FORBIDDEN
    );
    let browser = app.browser();
    browser.sign_in("auditor@acme.test").await;
    let html = browser.get("/ledger").await.text();
    assert!(html.contains("Latest signed checkpoint") && html.contains("mandate-test"), "{html}");
}

async fn a_server_with_a_rotated_out_key_cannot_sign_on(app: &TestApp) {
    let org = app.org("acme").await;
    let next = ledger::Signer::generate("mandate-next");
    let mut tx = app.db.begin().await.unwrap();
    let seq = app
        .state
        .journal
        .rotate(&mut tx, org, &next.verifier_key(), &mandate::journal::Actor::system("t"), app.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(seq, 3);
    // The old journal (still holding the old key) refuses to sign, so the change is refused too.
    let member = NewMember {
        email: "late@acme.test".into(),
        name: "Late".into(),
        role: Role::Employee,
        password: None,
        expires_at: None,
        department: None,
    };
    let refused = accounts::add_member(&app.ctx(), org, &member).await;
    assert!(matches!(refused, Err(mandate::error::AppError::Unavailable(_))), "{refused:?}");
    assert_eq!(events(app, org).await.len(), 3, "nothing was half-written");
    // A journal with the new key carries on.
    let next_key = next.verifier_key().to_string();
    let journal = mandate::journal::Journal::new(next, 1);
    let ctx = mandate::context::Ctx {
        db: &app.db,
        journal: &journal,
        actor: mandate::journal::Actor::system("t"),
        now: app.now(),
    };
    accounts::add_member(&ctx, org, &member).await.unwrap();
    assert_eq!(events(app, org).await.len(), 4);
    // The checkpoint API names the key that signed the checkpoint, not the key of the server answering.
    let admin = accounts::member_by_email(&app.db, org, "admin@acme.test").await.unwrap().user_id;
    let (_, token) = accounts::create_token(&ctx, org, admin, None, "checkpoint").await.unwrap();
    let checkpoint = app.api(Method::GET, "/api/v1/ledger/checkpoint", Some(&token), None).await.json();
    assert!(checkpoint["size"].as_i64().unwrap() >= 4, "{checkpoint}");
    assert_eq!(checkpoint["verifier_key"], next_key.as_str());
    assert_ne!(next_key, app.state.journal.verifier_key().to_string());
}

async fn checkpoints_follow_the_event_count_and_the_clock(app: &TestApp) {
    let org = app.org("acme").await;
    let journal = mandate::journal::Journal::new(crate::harness::test_signer(), 3);
    let ctx = |now| mandate::context::Ctx {
        db: &app.db,
        journal: &journal,
        actor: mandate::journal::Actor::system("t"),
        now,
    };
    let latest = || async {
        db::ledger::latest_checkpoint(&mut app.db.read().await.unwrap().conn(), org).await.unwrap().map(|c| c.size)
    };
    // The test app signs every event; this journal every third: 2 events so far, signed at 2 by the app's journal.
    assert_eq!(latest().await, Some(2));
    for i in 0..4 {
        let member = NewMember {
            email: format!("m{i}@acme.test"),
            name: "M".into(),
            role: Role::Employee,
            password: None,
            expires_at: None,
            department: None,
        };
        accounts::add_member(&ctx(app.now()), org, &member).await.unwrap();
    }
    assert_eq!(latest().await, Some(5), "signed when 3 events had accumulated");
    // The sixth event waits for the clock.
    assert_eq!(journal.sign_due(&app.db, app.now(), 3600).await.unwrap(), 0, "the last checkpoint is recent");
    assert_eq!(journal.sign_due(&app.db, app.now() + 3600, 3600).await.unwrap(), 1);
    assert_eq!(latest().await, Some(6));
    assert_eq!(journal.sign_due(&app.db, app.now() + 7200, 3600).await.unwrap(), 0, "nothing new to sign");
}

async fn a_batch_of_events_is_one_gapless_verifiable_run(app: &TestApp) {
    use mandate::journal::{Actor, Change, Journal};
    let org = app.org("acme").await;
    let before = events(app, org).await.len() as i64;
    let journal = Journal::new(crate::harness::test_signer(), 3);
    let batch: Vec<_> = (0..7)
        .map(|i| {
            let actor = Actor::system(&format!("batch-{i}"));
            (actor, Change::of("import", "note", i, &serde_json::json!({"n": i})), app.now() + i)
        })
        .collect();
    let mut tx = app.db.begin().await.unwrap();
    let last = journal.append_all(&mut tx, org, &batch).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(last, before + 7);
    let seqs: Vec<i64> = events(app, org).await.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=before + 7).collect::<Vec<_>>(), "gapless");
    // Checkpoints were signed on the event-count policy inside the batch, and the whole log verifies.
    let sizes: Vec<i64> = {
        let mut c = app.db.read().await.unwrap();
        db::ledger::checkpoints(&mut c.conn(), org).await.unwrap().iter().map(|k| k.size).collect()
    };
    assert!(sizes.iter().filter(|s| **s > before).count() >= 2, "{sizes:?}");
    let out = app.dir().join("batch.bundle");
    mandate::cli::export::write(&app.db, &app.state.journal, &app.state.blobs, org, &out, app.now() + 10)
        .await
        .unwrap();
    let report = ledger::verify_bundle(std::fs::File::open(&out).unwrap(), None, None).unwrap();
    assert_eq!(report.events as i64, before + 7);
}

on_both_databases!(
    a_batch_of_events_is_one_gapless_verifiable_run,
    checkpoints_follow_the_event_count_and_the_clock,
    a_server_with_a_rotated_out_key_cannot_sign_on,
    every_change_is_an_event_in_the_same_transaction,
    the_event_table_refuses_updates_and_deletes,
    concurrent_writers_make_one_gapless_log,
    the_api_serves_checkpoints_and_events,
);
