//! What a successful verification checked.

use std::fmt;

/// The result of a successful [`crate::verify_bundle`]: what was checked, for the auditor's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The log's origin, as signed in its checkpoints.
    pub origin: String,
    /// Events checked (decoded, in sequence, under the signed roots).
    pub events: u64,
    /// The root of the whole log, as signed by the last checkpoint.
    pub root: [u8; 32],
    /// Checkpoints whose signature and root were checked.
    pub checkpoints: u64,
    /// Keys in the log's key history.
    pub keys: u64,
    /// Whether the caller pinned the keys (otherwise the bundle's first key was trusted as it stands).
    pub keys_pinned: bool,
    /// Evidence files checked against their SHA-256 and the manifest.
    pub evidence_files: u64,
    /// Their total size.
    pub evidence_bytes: u64,
    /// Size of the bundle.
    pub bundle_bytes: u64,
    /// The size of the trusted checkpoint the bundle was shown to extend, if one was given.
    pub trusted_size: Option<u64>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "log:          {}", self.origin)?;
        writeln!(f, "events:       {} (seq 1..={}, each decoded and in sequence)", self.events, self.events)?;
        writeln!(f, "root:         {}", hex::encode(self.root))?;
        writeln!(
            f,
            "checkpoints:  {} (each signature and root checked; the last covers every event)",
            self.checkpoints
        )?;
        let pinned = if self.keys_pinned {
            "pinned by you"
        } else {
            "NOT pinned: the bundle's first key was trusted as it stands; pass the key you hold to prove who signed"
        };
        writeln!(f, "keys:         {} ({pinned})", self.keys)?;
        writeln!(
            f,
            "evidence:     {} files, {} bytes (each matches its SHA-256 and the manifest)",
            self.evidence_files, self.evidence_bytes
        )?;
        writeln!(f, "bundle:       {} bytes (every byte checked)", self.bundle_bytes)?;
        match self.trusted_size {
            Some(size) => write!(f, "trusted:      the bundle extends your checkpoint of size {size}"),
            None => write!(
                f,
                "trusted:      no earlier checkpoint given; a rolled-back or rewritten history needs one to be detected"
            ),
        }
    }
}
