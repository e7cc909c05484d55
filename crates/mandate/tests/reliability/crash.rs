//! Kill -9 under load: `mandate serve` takes concurrent writes over HTTP and is killed with SIGKILL at a random
//! moment, round after round. After each kill every acknowledged write is stored, nothing is half-stored, and
//! the exported ledger verifies: acknowledged ⊆ stored ⊆ attempted.

use crate::server::{Install, Server};
use crate::store::{self, assert_subset};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Concurrent writers per round.
const WRITERS: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    crash_rounds(&Install::new(dir.path(), None), "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    let Some(url) = crate::pg::fresh_database("crash").await else {
        println!("SKIPPED: set MANDATE_TEST_POSTGRES_URL to run the kill -9 test on PostgreSQL");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    crash_rounds(&Install::new(dir.path(), Some(url.clone())), "postgres").await;
    crate::pg::drop_database(&url).await;
}

/// What the writers saw, shared between them.
#[derive(Default)]
struct Seen {
    attempted: BTreeSet<String>,
    acknowledged: BTreeSet<String>,
    /// Answers that were neither a 201 nor a missing answer: each is a failure.
    unexpected: Vec<String>,
}

async fn crash_rounds(install: &Install, label: &str) {
    let started = Instant::now();
    let rounds: usize = std::env::var("MANDATE_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(20);
    let token = install.set_up();
    let server = install.serve().await;
    let seed = store::write(&server, &token, 0, "obj-seed").await.expect("the seed objective is answered");
    assert_eq!(seed.status, 201, "{}", seed.body);
    server.kill();
    let objective_id = serde_json::from_str::<serde_json::Value>(&seed.body).unwrap()["id"].as_i64().unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    seen.lock().unwrap().acknowledged.insert("obj-seed".into());
    seen.lock().unwrap().attempted.insert("obj-seed".into());
    let (mut not_answered, mut stored_unanswered) = (0, 0);

    for round in 0..rounds {
        let server = Arc::new(install.serve().await);
        let stop = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (server, token, stop, seen) = (server.clone(), token.clone(), stop.clone(), seen.clone());
                tokio::spawn(writer(server, token, objective_id, round, w, stop, seen))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(fastrand::u64(150..600))).await;
        server.kill();
        stop.store(true, Ordering::SeqCst);
        for worker in workers {
            worker.await.unwrap();
        }

        let stored = store::stored(install).await;
        let seen = seen.lock().unwrap();
        assert!(seen.unexpected.is_empty(), "round {round}: unexpected answers: {:?}", seen.unexpected);
        assert_subset(&seen.acknowledged, &stored, &format!("round {round}: acknowledged but not stored"));
        assert_subset(&stored, &seen.attempted, &format!("round {round}: stored but never attempted"));
        not_answered = seen.attempted.len() - seen.acknowledged.len();
        stored_unanswered = stored.difference(&seen.acknowledged).count();
        drop(seen);
        install.export_and_verify(&install.dir);
    }

    let seen = seen.lock().unwrap();
    println!(
        "kill -9 on {label}: {rounds} rounds, {} writes attempted, {} acknowledged, {} stored ({not_answered} \
         not answered, of which {stored_unanswered} stored), in {:.1} s",
        seen.attempted.len(),
        seen.acknowledged.len(),
        seen.acknowledged.len() + stored_unanswered,
        started.elapsed().as_secs_f64()
    );
    assert!(seen.acknowledged.len() > rounds * 5, "too few writes were acknowledged to prove anything");
}

async fn writer(
    server: Arc<Server>,
    token: String,
    objective_id: i64,
    round: usize,
    worker: usize,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
) {
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let tag = format!("{}-r{round}-w{worker}-{n}", store::kind_of(n + worker as u64));
        seen.lock().unwrap().attempted.insert(tag.clone());
        match store::write(&server, &token, objective_id, &tag).await {
            Some(answer) if answer.status == 201 => {
                seen.lock().unwrap().acknowledged.insert(tag);
            }
            Some(answer) => seen.lock().unwrap().unexpected.push(format!("{tag}: {} {}", answer.status, answer.body)),
            // No answer: the server was killed with this write in flight (or before it was sent).
            None => break,
        }
    }
}
