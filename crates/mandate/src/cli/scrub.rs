//! `mandate scrub`: re-hash every stored evidence file and report any whose bytes no longer match.

use crate::blob::BlobStore;
use crate::config::StoreArgs;
use crate::db;
use clap::Args;

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub store: StoreArgs,
}

pub async fn run(opts: Opts) -> anyhow::Result<()> {
    // Scrubbing reads blobs only: it opens the database without loading (or creating) the signing key.
    let db = crate::db::Db::open(&opts.store.data_dir, opts.store.database_url.as_deref()).await?;
    let blobs = BlobStore::open(&opts.store.data_dir, opts.store.blob_url.as_deref())?;
    let referenced = db::evidence::all_hashes(&mut db.read().await?.conn()).await?;
    let mut bad = Vec::new();
    for sha256 in &referenced {
        match blobs.rehash(sha256).await {
            Ok(true) => {}
            Ok(false) => bad.push(format!("{sha256}: content no longer matches its hash")),
            Err(error) => bad.push(format!("{sha256}: {error:#}")),
        }
    }
    db.close().await;
    println!("Re-hashed {} evidence file(s).", referenced.len());
    if bad.is_empty() {
        println!("All evidence files match their hashes.");
        Ok(())
    } else {
        for line in &bad {
            eprintln!("BAD {line}");
        }
        anyhow::bail!("{} evidence file(s) are damaged or missing", bad.len())
    }
}
