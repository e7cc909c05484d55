//! `manifest.json`: the bundle's table of contents (counts, key history, evidence list).

use crate::bundle::EvidenceEntry;
use crate::keys::VerifierKey;
use serde_json::{Map, Value, json};

/// The manifest's `format` value.
pub(crate) const FORMAT_NAME: &str = "mandate-ledger-bundle";
/// The manifest's `version` value; a layout change gets a new one.
pub(crate) const FORMAT_VERSION: u64 = 1;

/// One entry of the key history.
#[derive(Debug, Clone)]
pub(crate) struct KeyStart {
    pub from_seq: u64,
    pub key: VerifierKey,
}

/// One evidence listing.
#[derive(Debug, Clone)]
pub(crate) struct ListedEvidence {
    pub entry: EvidenceEntry,
    pub size: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct Manifest {
    pub events: u64,
    pub checkpoints: u64,
    pub keys: Vec<KeyStart>,
    pub evidence: Vec<ListedEvidence>,
}

impl Manifest {
    /// Compact JSON with keys in sorted order (serde_json's map is ordered), so equal bundles are equal bytes.
    pub fn to_json(&self) -> Vec<u8> {
        let keys: Vec<Value> =
            self.keys.iter().map(|k| json!({"from_seq": k.from_seq, "key": k.key.to_string()})).collect();
        let evidence: Vec<Value> = self
            .evidence
            .iter()
            .map(|e| {
                json!({
                    "sha256": hex::encode(e.entry.sha256),
                    "size": e.size,
                    "id": e.entry.id,
                    "filename": e.entry.filename,
                    "media_type": e.entry.media_type,
                })
            })
            .collect();
        let manifest = json!({
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "events": self.events,
            "checkpoints": self.checkpoints,
            "keys": keys,
            "evidence": evidence,
        });
        // Serialising a Value to memory cannot fail.
        serde_json::to_vec(&manifest).unwrap_or_default()
    }

    /// Parses the manifest strictly: every field present with its type, no unknown fields, canonical keys.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
        let top = fields(&value, "the manifest", &["format", "version", "events", "checkpoints", "keys", "evidence"])?;
        if top["format"].as_str() != Some(FORMAT_NAME) {
            return Err(format!("format is not {FORMAT_NAME:?}"));
        }
        if top["version"].as_u64() != Some(FORMAT_VERSION) {
            return Err(format!("unsupported version (this verifier reads version {FORMAT_VERSION})"));
        }
        let events = number(top, "events")?;
        let checkpoints = number(top, "checkpoints")?;
        let keys = array(top, "keys")?
            .iter()
            .map(|k| {
                let k = fields(k, "a key", &["from_seq", "key"])?;
                let text = string(k, "key")?;
                let key = VerifierKey::parse(text).map_err(|e| format!("key {text:?}: {e}"))?;
                Ok(KeyStart { from_seq: number(k, "from_seq")?, key })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let evidence = array(top, "evidence")?
            .iter()
            .map(|e| {
                let e = fields(e, "an evidence entry", &["sha256", "size", "id", "filename", "media_type"])?;
                let sha256 = sha256_hex(string(e, "sha256")?)
                    .ok_or_else(|| "an evidence sha256 is not 64 lowercase hex digits".to_string())?;
                let entry = EvidenceEntry {
                    id: string(e, "id")?.to_string(),
                    sha256,
                    filename: string(e, "filename")?.to_string(),
                    media_type: string(e, "media_type")?.to_string(),
                };
                Ok(ListedEvidence { entry, size: number(e, "size")? })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Manifest { events, checkpoints, keys, evidence })
    }
}

/// Parses 64 lowercase hex digits, the only spelling the bundle uses.
pub(crate) fn sha256_hex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

fn fields<'a>(value: &'a Value, what: &str, expected: &[&str]) -> Result<&'a Map<String, Value>, String> {
    let map = value.as_object().ok_or_else(|| format!("{what} is not an object"))?;
    if map.len() != expected.len() || !expected.iter().all(|f| map.contains_key(*f)) {
        return Err(format!("{what} must have exactly the fields {expected:?}"));
    }
    Ok(map)
}

fn number(map: &Map<String, Value>, field: &str) -> Result<u64, String> {
    map[field].as_u64().ok_or_else(|| format!("{field} is not a non-negative integer"))
}

fn string<'a>(map: &'a Map<String, Value>, field: &str) -> Result<&'a str, String> {
    map[field].as_str().ok_or_else(|| format!("{field} is not a string"))
}

fn array<'a>(map: &'a Map<String, Value>, field: &str) -> Result<&'a Vec<Value>, String> {
    map[field].as_array().ok_or_else(|| format!("{field} is not an array"))
}
