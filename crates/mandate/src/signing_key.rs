//! The installation's checkpoint-signing key: a file in the data directory, readable only by its owner,
//! created at first start and never stored in the database.

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ledger::Signer;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the current key lives.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("ledger-signing.key")
}

/// Loads the key, creating it (mode 0400) when the data directory has none.
pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Signer> {
    let file = path(data_dir);
    if file.exists() {
        return load(&file);
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
    let signer = Signer::generate(&new_key_name());
    write(&file, &signer)?;
    tracing::info!(key = %signer.verifier_key(), "created the ledger signing key {}", file.display());
    Ok(signer)
}

/// A fresh key name: `mandate-` and 8 random hex digits, so logs of different installations never share an
/// origin.
pub fn new_key_name() -> String {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    format!("mandate-{}", hex::encode(bytes))
}

/// Loads a key file.
pub fn load(file: &Path) -> anyhow::Result<Signer> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the ledger signing key {}", file.display()))?;
    let mut lines = text.lines();
    let (Some(name), Some(secret)) = (lines.next(), lines.next()) else {
        anyhow::bail!("the ledger signing key {} is malformed (expected a name line and a key line)", file.display());
    };
    let bytes = STANDARD.decode(secret.trim()).context("the ledger signing key is not base64")?;
    let secret: [u8; 32] = bytes.try_into().map_err(|_| anyhow::anyhow!("the ledger signing key must be 32 bytes"))?;
    Ok(Signer::from_secret(name.trim(), secret))
}

/// Writes a key file readable only by its owner (0400), refusing to overwrite one.
pub fn write(file: &Path, signer: &Signer) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o400);
    let mut out =
        options.open(file).with_context(|| format!("cannot create the ledger signing key {}", file.display()))?;
    writeln!(out, "{}", signer.verifier_key().name())?;
    writeln!(out, "{}", STANDARD.encode(signer.secret_bytes()))?;
    out.sync_all()?;
    Ok(())
}
