//! `mandate export`: write an organisation's auditor bundle (events, checkpoints, key history).

use super::fail;
use crate::accounts;
use crate::config::StoreArgs;
use crate::db;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The organisation's slug.
    #[arg(long, env = "MANDATE_ORG")]
    pub org: String,
    /// Where to write the bundle.
    #[arg(long, env = "MANDATE_OUT")]
    pub out: PathBuf,
}

/// Events are read from the database in batches of this size, so memory stays flat for any log length.
const BATCH: i64 = 10_000;

pub async fn run(opts: Opts) -> anyhow::Result<()> {
    let (db, journal) = super::open(&opts.store).await?;
    let org = accounts::org_by_slug(&db, &opts.org).await.map_err(fail)?;
    let ctx = super::cli_ctx(&db, &journal);
    let blobs = crate::blob::BlobStore::open(&opts.store.data_dir, opts.store.blob_url.as_deref())?;
    let (size, evidence) = write(&db, &journal, &blobs, org.id, &opts.out, ctx.now).await?;
    println!(
        "Wrote {} ({size} events and {} evidence files of '{}', signed by {}).",
        opts.out.display(),
        evidence,
        org.slug,
        journal.verifier_key()
    );
    println!("Verify it anywhere with: mandate verify {}", opts.out.display());
    db.close().await;
    Ok(())
}

/// Writes `org`'s bundle to `out` (through a `.partial` file renamed at the end), after signing a checkpoint of
/// the whole log. Returns the log's size and the number of evidence files.
pub async fn write(
    db: &crate::db::Db,
    journal: &crate::journal::Journal,
    blobs: &crate::blob::BlobStore,
    org: crate::domain::ids::OrgId,
    out: &std::path::Path,
    now: crate::clock::UnixTime,
) -> anyhow::Result<(i64, usize)> {
    // Every export signs a checkpoint of the whole log, so the bundle is covered to its last event.
    let mut tx = db.begin().await?;
    let size = journal.checkpoint(&mut tx, org, now).await.map_err(fail)?;
    tx.commit().await?;

    let partial = out.with_extension("partial");
    let file = std::fs::File::create(&partial).with_context(|| format!("cannot write {}", partial.display()))?;
    let mut bundle = ledger::BundleWriter::new(std::io::BufWriter::new(file))?;
    let mut c = db.read().await?;
    for (key, from_seq) in db::ledger::key_starts(&mut c.conn(), org).await? {
        let key =
            ledger::VerifierKey::parse(&key).map_err(|e| anyhow::anyhow!("stored verifier key is malformed: {e}"))?;
        bundle.add_key(&key, from_seq as u64)?;
    }
    let mut after = 0;
    loop {
        let rows = db::ledger::events_after(&mut c.conn(), org, after, BATCH).await?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in &rows {
            let event = ledger::Event::decode(&row.encoded)
                .map_err(|e| anyhow::anyhow!("stored event {} does not decode: {e}", row.seq))?;
            bundle.add_event(&event)?;
        }
    }
    for checkpoint in db::ledger::checkpoints(&mut c.conn(), org).await? {
        bundle.add_checkpoint(&checkpoint.note)?;
    }
    let evidence = db::evidence::all_for_org(&mut c.conn(), org).await?;
    drop(c);
    for row in &evidence {
        let copy = blobs.copy_to_staging(&row.sha256).await?;
        let file = std::fs::File::open(&copy)?;
        let mut sha256 = [0u8; 32];
        hex::decode_to_slice(&row.sha256, &mut sha256).context("a stored evidence hash is malformed")?;
        let entry = ledger::EvidenceEntry {
            id: row.id.0.to_string(),
            sha256,
            filename: row.filename.clone(),
            media_type: row.media_type.clone(),
        };
        let added = bundle.add_evidence(entry, file, row.size as u64);
        let _ = std::fs::remove_file(&copy);
        added?;
    }
    bundle.finish()?;
    std::fs::rename(&partial, out)?;
    Ok((size, evidence.len()))
}
