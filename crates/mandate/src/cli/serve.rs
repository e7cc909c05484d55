//! `mandate serve`: open the database, prepare first-run setup or the demo, and serve.

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, ServerArgs, StoreArgs};
use crate::db::{self, Db};
use crate::http::{self, AppState};
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
    let db = Db::open(&opts.store.data_dir, opts.store.database_url.as_deref()).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    prepare(&db, clock.as_ref(), &config, opts.demo).await?;
    let listener = tokio::net::TcpListener::bind(&opts.server.listen)
        .await
        .with_context(|| format!("cannot listen on {}", opts.server.listen))?;
    println!("Mandate is listening on {}", config.public_origin);
    tokio::spawn(housekeeping(db.clone(), clock.clone(), config.clone()));
    let state = AppState { db, config: Arc::new(config), clock };
    http::serve(listener, state).await
}

/// Fills an empty installation with the demo, or prints the one-time setup link.
async fn prepare(db: &Db, clock: &dyn Clock, config: &Config, demo: bool) -> anyhow::Result<()> {
    let orgs = db::organisation::count(&mut db.read().await?.conn()).await?;
    if orgs > 0 {
        if demo {
            println!("This installation already has data; --demo only fills an empty one. Serving what is there.");
        }
        return Ok(());
    }
    if demo {
        return crate::demo::create(db, clock.now()).await;
    }
    let token = new_token("");
    let mut tx = db.begin().await?;
    db::setup_token::replace(&mut tx.conn(), &token_hash(&token), clock.now()).await?;
    tx.commit().await?;
    println!("No organisation exists yet. Open this link once to create the first one and its administrator:");
    println!("  {}/setup?token={token}", config.public_origin);
    Ok(())
}

/// Removes ended sessions and old sign-in attempts every ten minutes.
async fn housekeeping(db: Db, clock: Arc<dyn Clock>, config: Config) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        let now = clock.now();
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
