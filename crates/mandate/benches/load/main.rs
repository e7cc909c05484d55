//! `cargo bench -p mandate --bench load`: HTTP load on the release `mandate serve`, against a generated
//! organisation (`MANDATE_LOAD_SCALE`, default 8; 80 is the "large" profile of QUALITY.md).
//!
//! For every scenario it prints p50/p99 latency and throughput at 1 and 16 concurrent clients, beside a
//! reference measured in the same run at the same concurrency: the same database function (or operation, for
//! writes) called directly, without HTTP, sessions or rendering. Then the server's resident memory, idle and peak.
//!
//! - `MANDATE_LOAD_DATA_DIR`: keep the generated data between runs (generation is the slow part).
//! - `MANDATE_LOAD_POSTGRES_URL`: also run on PostgreSQL (`postgres://…/DB`; the organisation is generated into
//!   that database unless it holds one already).
//! - `MANDATE_LOAD_REQUESTS`: requests per scenario at each concurrency (default 400).

mod drive;
mod scenarios;
mod server;

use server::{Server, Store};
use std::time::Instant;

const SLUG: &str = "load";

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let scale: u32 = std::env::var("MANDATE_LOAD_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    let requests: usize = std::env::var("MANDATE_LOAD_REQUESTS").ok().and_then(|s| s.parse().ok()).unwrap_or(400);
    let temp = tempfile::tempdir()?;
    let dir = std::env::var("MANDATE_LOAD_DATA_DIR").map(std::path::PathBuf::from).unwrap_or(temp.path().into());
    let mut stores = vec![("SQLite", Store { dir: dir.join("sqlite"), database_url: None })];
    if let Ok(url) = std::env::var("MANDATE_LOAD_POSTGRES_URL") {
        stores.push(("PostgreSQL", Store { dir: dir.join("postgres"), database_url: Some(url) }));
    }
    for (name, store) in stores {
        std::fs::create_dir_all(&store.dir)?;
        println!("\n== {name}, scale {scale}, {requests} requests per scenario and concurrency");
        if store.has_org(SLUG) {
            println!("using the organisation generated earlier in {}", store.dir.display());
        } else {
            let started = Instant::now();
            store.generate(SLUG, scale)?;
            println!("generation took {:.1} s", started.elapsed().as_secs_f64());
        }
        bench(&store, requests).await?;
    }
    Ok(())
}

async fn bench(store: &Store, requests: usize) -> anyhow::Result<()> {
    let tokens = scenarios::Tokens { ceo: store.token(SLUG, "ceo")?, admin: store.token(SLUG, "admin")? };
    // References first, in this process, before the server runs: the two never write at the same time.
    let direct = scenarios::Direct::open(store, SLUG).await?;
    let list = scenarios::list(&tokens, direct.members);
    let mut references = Vec::new();
    for scenario in &list {
        let work = direct.reference(scenario.reference);
        let one = drive::run(&work, 1, requests).await;
        let many = drive::run(&work, 16, requests / 16).await;
        references.push((one, many));
    }
    for (what, reference) in [
        ("management review compilation (6 months)", scenarios::Reference::ReviewCompile),
        ("leadership index and findings, uncached", scenarios::Reference::Leadership),
    ] {
        let work = direct.reference(reference);
        let stats = drive::run(&work, 1, requests.min(200)).await;
        println!("{what}, in-process: p50 {:.2} ms, p99 {:.2} ms", drive::ms(stats.p50), drive::ms(stats.p99));
    }
    direct.close().await;

    let server = Server::start(store).await?;
    let (idle, _) = server.memory();
    println!(
        "{:<46} {:>7} {:>7} {:>7} {:>8} {:>7} {:>8}",
        "scenario · clients", "p50 ms", "p99 ms", "req/s", "ref p50", "ref p99", "p99/ref"
    );
    let client = reqwest::Client::builder().pool_max_idle_per_host(16).build()?;
    for (scenario, (ref_one, ref_many)) in list.iter().zip(references) {
        let work = scenario.http(&client, &server.base);
        for (clients, reference) in [(1, ref_one), (16, ref_many)] {
            let stats = drive::run(&work, clients, requests / clients).await;
            println!(
                "{:<46} {:>7.2} {:>7.2} {:>7.0} {:>8.2} {:>7.2} {:>8.1}",
                format!("{} · {clients}", scenario.name),
                drive::ms(stats.p50),
                drive::ms(stats.p99),
                stats.per_second,
                drive::ms(reference.p50),
                drive::ms(reference.p99),
                stats.p99.as_secs_f64() / reference.p99.as_secs_f64().max(1e-9)
            );
        }
    }
    let (_, peak) = server.memory();
    println!("server memory: {idle:.1} MiB resident when idle, {peak:.1} MiB peak under load");
    Ok(())
}
