//! `mandate demo generate`: builds a synthetic organisation of `--scale` times the demo's size, with a year of
//! history in every register, for benchmarks and trials (scale 80 is the "large" profile).

use super::fail;
use crate::config::StoreArgs;
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(subcommand)]
    pub command: DemoCommand,
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Build a synthetic organisation whose size grows linearly with --scale (1 = the demo's ~250 staff).
    Generate(GenerateOpts),
}

#[derive(Debug, Args)]
pub struct GenerateOpts {
    #[command(flatten)]
    pub store: StoreArgs,
    /// How many times the demo's size (1–500).
    #[arg(long, env = "MANDATE_SCALE", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub scale: u32,
    /// The organisation's short name; its people's e-mail addresses end in @<slug>.example.
    #[arg(long, env = "MANDATE_SLUG", default_value = "generated")]
    pub slug: String,
}

pub async fn run(opts: Opts) -> anyhow::Result<()> {
    let DemoCommand::Generate(opts) = opts.command;
    let (db, journal) = super::open(&opts.store).await?;
    let ctx = super::cli_ctx(&db, &journal);
    let password = match std::env::var("MANDATE_DEMO_PASSWORD") {
        Ok(password) => password,
        Err(_) => crate::secret::new_token("demo-")[..21].to_string(),
    };
    let started = std::time::Instant::now();
    let name = format!("Northwind Logistics ×{}", opts.scale);
    let demo = crate::demo::build(&ctx, &name, &opts.slug, opts.scale, &password).await.map_err(fail)?;
    let elapsed = started.elapsed();
    let events = crate::db::ledger::head(&mut db.read().await?.conn(), demo.org).await?.map_or(0, |h| h.size);
    println!(
        "Generated '{}' (scale {}): {} people, {events} ledger events in {:.1} s ({:.0} events/s).",
        opts.slug,
        opts.scale,
        demo.staff.len(),
        elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64().max(0.001)
    );
    println!(
        "Sign in as admin@{}.example, ceo@{0}.example … with the password {}",
        demo.domain.trim_end_matches(".example"),
        if std::env::var("MANDATE_DEMO_PASSWORD").is_ok() { "in MANDATE_DEMO_PASSWORD".to_string() } else { password }
    );
    db.close().await;
    Ok(())
}
