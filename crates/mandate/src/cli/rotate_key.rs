//! `mandate rotate-key`: replace the ledger signing key. The rotation is an event in every organisation's log,
//! covered by a checkpoint the old key signs, so verifiers can follow the hand-over. Stop the servers first.

use super::fail;
use crate::config::StoreArgs;
use crate::db;
use crate::journal::Actor;
use crate::signing_key;
use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub store: StoreArgs,
}

pub async fn run(opts: Opts) -> anyhow::Result<()> {
    let (db, old) = super::open(&opts.store).await?;
    let current = signing_key::path(&opts.store.data_dir);
    let pending = current.with_extension("key.next");
    // A rotation that stopped half-way resumes with the same new key.
    let next = if pending.exists() {
        signing_key::load(&pending)?
    } else {
        let next = ledger::Signer::generate(&signing_key::new_key_name());
        signing_key::write(&pending, &next)?;
        next
    };
    let next_key = next.verifier_key();
    let now = crate::clock::Clock::now(&crate::clock::SystemClock);
    let registered = crate::journal::Journal::new(next, opts.store.checkpoint_every_events);
    registered.register_key(&db, now).await.map_err(fail)?;
    let actor = Actor::cli();
    let orgs = db::ledger::org_ids(&mut db.read().await?.conn()).await?;
    for org in &orgs {
        let starts = db::ledger::key_starts(&mut db.read().await?.conn(), *org).await?;
        if starts.iter().any(|(key, _)| *key == next_key.to_string()) {
            continue;
        }
        let mut tx = db.begin().await?;
        old.rotate(&mut tx, *org, &next_key, &actor, now).await.map_err(fail)?;
        tx.commit().await?;
    }
    let mut tx = db.begin().await?;
    db::ledger::retire_keys_except(&mut tx.conn(), &next_key.to_string(), now).await?;
    tx.commit().await?;
    // The old secret must never sign again: once every log has been handed over, the new key replaces it in one
    // atomic rename (never a moment without a key file, in which another command would create a fresh key).
    std::fs::rename(&pending, &current).with_context(|| format!("cannot install the new key {}", current.display()))?;
    println!("Rotated the ledger signing key in {} organisation(s).", orgs.len());
    println!("Old key: {}", old.verifier_key());
    println!("New key: {next_key}");
    println!(
        "Restart every server that uses this data directory (or a copy of its key) so they sign with the new key."
    );
    db.close().await;
    Ok(())
}
