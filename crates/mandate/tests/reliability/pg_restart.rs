//! PostgreSQL restart under load: `mandate serve` runs on a PostgreSQL cluster of the test's own, which is
//! stopped and started again while reads and writes go on. While it is down every request is answered 503 with
//! a message, within a few seconds, and the server stays up; once it is back requests succeed again without a
//! restart of Mandate, and the ledger verifies.

use crate::pg::Cluster;
use crate::server::{Install, Server};
use crate::store::{self, assert_subset};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One answered (or unanswered) request.
struct Sent {
    at: Duration,
    took: Duration,
    status: Option<u16>,
    body: String,
}

#[derive(Default)]
struct Seen {
    sent: Vec<Sent>,
    attempted: BTreeSet<String>,
    acknowledged: BTreeSet<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_fail_cleanly_while_postgres_is_down_and_succeed_after_without_a_restart() {
    if std::env::var("MANDATE_TEST_POSTGRES_URL").is_err() {
        println!("SKIPPED: set MANDATE_TEST_POSTGRES_URL to run the PostgreSQL restart test");
        return;
    }
    let cluster = match Cluster::start() {
        Ok(cluster) => cluster,
        Err(why) => {
            println!("SKIPPED: the PostgreSQL restart test did not run: {why}");
            return;
        }
    };
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let install = Install::new(dir.path(), Some(cluster.url()));
    let token = install.set_up();
    let server = Arc::new(install.serve().await);
    let seed = store::write(&server, &token, 0, "obj-seed").await.unwrap();
    assert_eq!(seed.status, 201, "{}", seed.body);
    let objective = serde_json::from_str::<serde_json::Value>(&seed.body).unwrap()["id"].as_i64().unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    seen.lock().unwrap().attempted.insert("obj-seed".into());
    seen.lock().unwrap().acknowledged.insert("obj-seed".into());

    let t0 = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..5)
        .map(|c| tokio::spawn(client(server.clone(), token.clone(), objective, c, t0, stop.clone(), seen.clone())))
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    cluster.stop();
    let down = t0.elapsed();
    tokio::time::sleep(Duration::from_secs(7)).await;
    let restarting = t0.elapsed();
    cluster.start_again();
    let up = t0.elapsed();
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.await.unwrap();
    }
    assert!(server.alive(), "the server stayed up");

    let seen = std::mem::take(&mut *seen.lock().unwrap());
    let slowest = seen.sent.iter().map(|s| s.took).max().unwrap();
    for s in &seen.sent {
        let status = s.status.unwrap_or_else(|| panic!("a request sent at {:?} got no answer", s.at));
        assert!(matches!(status, 200 | 201 | 503), "answered {status}: {}", s.body);
        assert!(s.took < Duration::from_secs(6), "a request took {:?} to answer ({status})", s.took);
        if status == 503 {
            let body: serde_json::Value = serde_json::from_str(&s.body).unwrap();
            assert_eq!(body["error"]["code"], "unavailable", "{}", s.body);
            assert!(body["error"]["message"].as_str().unwrap().contains("database is unavailable"), "{}", s.body);
        }
    }
    let while_down: Vec<_> = seen.sent.iter().filter(|s| s.at > down && s.at + s.took < restarting).collect();
    let timeline: Vec<_> = seen
        .sent
        .iter()
        .map(|s| format!("{:.1}+{:.1}s:{:?}", s.at.as_secs_f64(), s.took.as_secs_f64(), s.status))
        .collect();
    assert!(
        while_down.len() >= 3,
        "only {} requests were answered while PostgreSQL was down ({down:?}..{restarting:?}): {timeline:?}",
        while_down.len()
    );
    assert!(while_down.iter().all(|s| s.status == Some(503)), "a request succeeded while PostgreSQL was down");
    let after: Vec<_> = seen.sent.iter().filter(|s| s.at > up + Duration::from_secs(1)).collect();
    assert!(after.len() >= 3, "only {} requests were sent after PostgreSQL came back", after.len());
    if let Some(failed) = after.iter().find(|s| !matches!(s.status, Some(200 | 201))) {
        panic!("a request failed after PostgreSQL came back: {:?} {}", failed.status, failed.body);
    }

    let stored = store::stored(&install).await;
    assert_subset(&seen.acknowledged, &stored, "acknowledged but not stored");
    assert_subset(&stored, &seen.attempted, "stored but never attempted");
    install.export_and_verify(dir.path());
    println!(
        "postgres restart: {} requests ({} while down, all 503; slowest answer {:?}), {} writes attempted, {} \
         acknowledged, {} stored, in {:.1} s",
        seen.sent.len(),
        while_down.len(),
        slowest,
        seen.attempted.len(),
        seen.acknowledged.len(),
        stored.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Odd clients write (objectives, measurements, evidence in turn), even clients read, until told to stop.
async fn client(
    server: Arc<Server>,
    token: String,
    objective: i64,
    client: usize,
    t0: Instant,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
) {
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let at = t0.elapsed();
        let (status, body) = if client % 2 == 1 {
            let tag = format!("{}-c{client}-{n}", store::kind_of(n));
            seen.lock().unwrap().attempted.insert(tag.clone());
            let answer = store::write(&server, &token, objective, &tag).await;
            if answer.as_ref().is_some_and(|a| a.status == 201) {
                seen.lock().unwrap().acknowledged.insert(tag);
            }
            answer.map_or((None, String::new()), |a| (Some(a.status), a.body))
        } else {
            store::read(&server, &token).await.map_or((None, String::new()), |(s, b)| (Some(s), b))
        };
        seen.lock().unwrap().sent.push(Sent { at, took: t0.elapsed() - at, status, body });
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
