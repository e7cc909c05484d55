//! `mandate serve`: open the database, prepare first-run setup or the demo, and serve.

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, ServerArgs, StoreArgs};
use crate::context::Ctx;
use crate::db::{self, Db};
use crate::http::{self, AppState};
use crate::journal::{Actor, Journal};
use crate::secret::{new_token, token_hash};
use anyhow::Context;
use clap::Args;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub server: ServerArgs,
    /// On an empty installation, create the demo organisation "Northwind Logistics" with one user per role.
    #[arg(long, env = "MANDATE_DEMO")]
    pub demo: bool,
}

pub async fn run(opts: Opts) -> anyhow::Result<()> {
    let config = Config::from_args(&opts.server)?;
    let (db, journal) = super::open(&opts.store).await?;
    let journal = Arc::new(journal);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    prepare(&db, &journal, clock.as_ref(), &config, opts.demo).await?;
    let listener = tokio::net::TcpListener::bind(&opts.server.listen)
        .await
        .with_context(|| format!("cannot listen on {}", opts.server.listen))?;
    println!("Mandate is listening on {}", config.public_origin);
    tokio::spawn(housekeeping(
        db.clone(),
        journal.clone(),
        clock.clone(),
        config.clone(),
        opts.store.checkpoint_every_minutes,
    ));
    let blobs = crate::blob::BlobStore::open(&opts.store.data_dir, opts.store.blob_url.as_deref())?;
    let state = AppState { db, config: Arc::new(config), clock, journal, blobs, leadership: Default::default() };
    http::serve(listener, state).await
}

/// Fills an empty installation with the demo, or prints the one-time setup link.
async fn prepare(db: &Db, journal: &Journal, clock: &dyn Clock, config: &Config, demo: bool) -> anyhow::Result<()> {
    let orgs = db::organisation::count(&mut db.read().await?.conn()).await?;
    if orgs > 0 {
        if demo {
            println!("This installation already has data; --demo only fills an empty one. Serving what is there.");
        }
        return Ok(());
    }
    if demo {
        let ctx = Ctx { db, journal, actor: Actor::system("demo"), now: clock.now() };
        return crate::demo::create(&ctx).await;
    }
    let token = new_token("");
    let mut tx = db.begin().await?;
    db::setup_token::replace(&mut tx.conn(), &token_hash(&token), clock.now()).await?;
    tx.commit().await?;
    println!("No organisation exists yet. Open this link once to create the first one and its administrator:");
    println!("  {}/setup?token={token}", config.public_origin);
    Ok(())
}

/// Every minute: signs checkpoints of logs that grew and whose last checkpoint is older than the configured
/// interval; every ten minutes: removes ended sessions and old sign-in attempts.
async fn housekeeping(db: Db, journal: Arc<Journal>, clock: Arc<dyn Clock>, config: Config, checkpoint_minutes: i64) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    let mut round: u64 = 0;
    loop {
        tick.tick().await;
        round += 1;
        let now = clock.now();
        if let Err(error) = journal.sign_due(&db, now, checkpoint_minutes * 60).await {
            tracing::warn!(%error, "signing checkpoints failed; will retry");
        }
        if round % 10 != 1 {
            continue;
        }
        let result = async {
            let mut tx = db.begin().await?;
            db::session::delete_expired(
                &mut tx.conn(),
                now - config.session_idle_seconds,
                now - config.session_absolute_seconds,
            )
            .await?;
            db::login_attempt::prune(&mut tx.conn(), now - crate::domain::sign_in::KNOWN_ADDRESS_SECONDS).await?;
            tx.commit().await
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(%error, "housekeeping failed; will retry");
        }
    }
}
