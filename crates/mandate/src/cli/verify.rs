//! `mandate verify`: check an auditor bundle offline. Needs no database and no network.

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct Opts {
    /// The bundle written by `mandate export`.
    pub bundle: PathBuf,
    /// A signed checkpoint kept from an earlier export or from `GET /api/v1/ledger/checkpoint`; the bundle must
    /// extend it (this detects a rolled-back or rewritten history).
    #[arg(long, env = "MANDATE_TRUSTED_CHECKPOINT")]
    pub trusted_checkpoint: Option<PathBuf>,
    /// Verifier keys to trust (`name+keyid+base64`); by default the keys in the bundle are used.
    #[arg(long = "key", env = "MANDATE_TRUSTED_KEYS", value_delimiter = ',')]
    pub keys: Vec<String>,
}

pub async fn run(opts: Opts) -> anyhow::Result<()> {
    let file = std::fs::File::open(&opts.bundle).with_context(|| format!("cannot open {}", opts.bundle.display()))?;
    let trusted = match &opts.trusted_checkpoint {
        Some(path) => Some(std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?),
        None => None,
    };
    let keys = opts
        .keys
        .iter()
        .map(|k| ledger::VerifierKey::parse(k).map_err(|e| anyhow::anyhow!("--key '{k}' is not a verifier key: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let keys = (!keys.is_empty()).then_some(keys);
    let report = ledger::verify_bundle(std::io::BufReader::new(file), trusted.as_deref(), keys.as_deref())
        .map_err(|e| anyhow::anyhow!("verification FAILED: {e}"))?;
    println!("{report}");
    println!("verification passed");
    Ok(())
}
