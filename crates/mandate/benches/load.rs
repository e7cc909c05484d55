//! `cargo bench -p mandate --bench load`: latency of the register pages under 16 concurrent clients, against a
//! generated organisation (`MANDATE_LOAD_SCALE`, default 8; 80 is the "large" profile of QUALITY.md). Prints
//! p50/p99 per page and their ratio to `/healthz` measured in the same run.
//!
//! Set `MANDATE_LOAD_DATA_DIR` to keep the generated data between runs (generation is the slow part).

use mandate::blob::BlobStore;
use mandate::clock::{Clock, SystemClock};
use mandate::config::Config;
use mandate::db::Db;
use mandate::http::AppState;
use mandate::journal::{Actor, Journal};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;
const REQUESTS_PER_CLIENT: usize = 40;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn measure(client: &reqwest::Client, base: &str, path: &str, token: &str) -> (Duration, Duration, f64) {
    let url = format!("{base}{path}");
    // Warm up: first requests fill caches and the connection pool.
    for _ in 0..3 {
        let reply = client.get(&url).bearer_auth(token).send().await.expect("request");
        assert!(reply.status().is_success(), "{path}: {}", reply.status());
        reply.bytes().await.expect("body");
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, url, token) = (client.clone(), url.clone(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(REQUESTS_PER_CLIENT);
            for _ in 0..REQUESTS_PER_CLIENT {
                let sent = Instant::now();
                let reply = client.get(&url).bearer_auth(&token).send().await.expect("request");
                assert!(reply.status().is_success());
                reply.bytes().await.expect("body");
                times.push(sent.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("client"));
    }
    let throughput = all.len() as f64 / started.elapsed().as_secs_f64();
    all.sort();
    (percentile(&all, 0.5), percentile(&all, 0.99), throughput)
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let scale: u32 = std::env::var("MANDATE_LOAD_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    let temp = tempfile::tempdir()?;
    let dir = std::env::var("MANDATE_LOAD_DATA_DIR").map(std::path::PathBuf::from).unwrap_or(temp.path().into());
    std::fs::create_dir_all(&dir)?;
    let db = Db::open(&dir, None).await?;
    let journal = Arc::new(Journal::new(mandate::signing_key::load_or_create(&dir)?, 1000));
    journal.register_key(&db, SystemClock.now()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let ctx = mandate::context::Ctx { db: &db, journal: &journal, actor: Actor::cli(), now: SystemClock.now() };
    let org = match mandate::accounts::org_by_slug(&db, "load").await {
        Ok(org) => org.id,
        Err(_) => {
            let started = Instant::now();
            let demo = mandate::demo::build(&ctx, "Load test", "load", scale, "load-test-password")
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "generated scale {scale}: {} people in {:.1} s",
                demo.staff.len(),
                started.elapsed().as_secs_f64()
            );
            demo.org
        }
    };
    let admin =
        mandate::accounts::member_by_email(&db, org, "admin@load.example").await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let ceo =
        mandate::accounts::member_by_email(&db, org, "ceo@load.example").await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let (_, admin_token) = mandate::accounts::create_token(&ctx, org, admin.user_id, None, "load")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (_, ceo_token) = mandate::accounts::create_token(&ctx, org, ceo.user_id, None, "load")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    let state = AppState {
        db: db.clone(),
        config: Arc::new(Config::for_tests()),
        clock: Arc::new(SystemClock),
        journal: journal.clone(),
        blobs: BlobStore::open(&dir, None)?,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(mandate::http::serve(listener, state));
    let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build()?;

    let (ref_p50, ref_p99, ref_rps) = measure(&client, &base, "/healthz", &admin_token).await;
    println!("{CLIENTS} clients × {REQUESTS_PER_CLIENT} requests each, scale {scale}");
    println!("{:<34} {:>9} {:>9} {:>8} {:>10} {:>10}", "page", "p50 ms", "p99 ms", "req/s", "p50/ref", "p99/ref");
    let row = |path: &str, p50: Duration, p99: Duration, rps: f64| {
        println!(
            "{path:<34} {:>9.2} {:>9.2} {rps:>8.0} {:>10.1} {:>10.1}",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            p50.as_secs_f64() / ref_p50.as_secs_f64(),
            p99.as_secs_f64() / ref_p99.as_secs_f64()
        )
    };
    row("/healthz (reference)", ref_p50, ref_p99, ref_rps);
    let pages: &[(&str, &str)] = &[
        ("/", &ceo_token),
        ("/policies", &ceo_token),
        ("/policies?sort=next_review&overdue=1", &ceo_token),
        ("/policies/1", &ceo_token),
        ("/policies/1/versions/2", &ceo_token),
        ("/evidence", &ceo_token),
        ("/objectives", &ceo_token),
        ("/objectives?status=open&sort=owner", &ceo_token),
        ("/objectives/1", &ceo_token),
        ("/objectives/1/chart.svg", &ceo_token),
        ("/resources", &ceo_token),
        ("/resources?flag=underspent&sort=amount", &ceo_token),
        ("/resources/1", &ceo_token),
        ("/admin/users", &admin_token),
        ("/admin/users?page=40", &admin_token),
        ("/api/v1/policies", &ceo_token),
        ("/api/v1/objectives", &ceo_token),
        ("/api/v1/resources", &ceo_token),
        ("/api/v1/users?limit=100&offset=5000", &admin_token),
    ];
    for (path, token) in pages {
        let (p50, p99, rps) = measure(&client, &base, path, token).await;
        row(path, p50, p99, rps);
    }
    Ok(())
}
