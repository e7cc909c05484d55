//! Driving concurrent work and summarising its latencies: the same driver times HTTP requests and the reference
//! calls made directly on the database, so the two figures are comparable.

use futures_util::future::BoxFuture;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One unit of work; each call is timed. `n` numbers the calls so writes can differ from one another.
pub type Work = Arc<dyn Fn(usize) -> BoxFuture<'static, ()> + Send + Sync>;

/// Latency percentiles and throughput of one run.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub p50: Duration,
    pub p99: Duration,
    pub per_second: f64,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Runs `work` `per_client` times (at least once) in each of `clients` concurrent tasks, after a short warm-up.
pub async fn run(work: &Work, clients: usize, per_client: usize) -> Stats {
    let per_client = per_client.max(1);
    for n in 0..3 {
        work(usize::MAX - n).await;
    }
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let work = work.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_client);
            for i in 0..per_client {
                let sent = Instant::now();
                work(client * per_client + i).await;
                times.push(sent.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::with_capacity(clients * per_client);
    for task in tasks {
        all.extend(task.await.expect("a client task panicked"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    Stats { p50: percentile(&all, 0.5), p99: percentile(&all, 0.99), per_second: all.len() as f64 / elapsed }
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
