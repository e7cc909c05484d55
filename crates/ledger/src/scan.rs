//! One streaming pass over a bundle: checks what can be checked locally (framing, event decoding, seq order,
//! evidence hashes) and keeps what the signature and root checks need (leaf hashes, notes, manifest).

use crate::bundle::{CHECKPOINTS_DIR, EVENTS_DIR, EVIDENCE_DIR, MANIFEST_NAME};
use crate::error::VerifyError;
use crate::event::{EventView, MAX_EVENT_LEN};
use crate::keys::{KEY_OBJECT_TYPE, KEY_ROTATION_ACTION};
use crate::manifest::sha256_hex;
use crate::merkle;
use crate::tar_reader::TarReader;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;

/// A checkpoint note is a few hundred bytes; this bounds what one entry may make the verifier hold.
const MAX_NOTE_LEN: u64 = 64 * 1024;
/// The manifest grows with the evidence list (~300 bytes a file).
const MAX_MANIFEST_LEN: u64 = 256 * 1024 * 1024;

/// What the streaming pass found.
pub(crate) struct Scan {
    /// The leaf hash of every event, computed from its bytes; index = seq - 1.
    pub leaves: Vec<[u8; 32]>,
    /// Events whose stored leaf hash differs from the computed one: (seq, stored hash).
    pub stored_mismatches: Vec<(u64, [u8; 32])>,
    /// Key-rotation events: (seq, object_id).
    pub rotations: Vec<(u64, String)>,
    /// Checkpoint notes in bundle order.
    pub notes: Vec<String>,
    /// Evidence files by SHA-256, with their sizes.
    pub evidence: BTreeMap<[u8; 32], u64>,
    pub manifest: Vec<u8>,
    pub bytes: u64,
}

pub(crate) fn scan<R: Read>(reader: R) -> Result<Scan, VerifyError> {
    let mut tar = TarReader::new(reader);
    let mut scan = Scan {
        leaves: Vec::new(),
        stored_mismatches: Vec::new(),
        rotations: Vec::new(),
        notes: Vec::new(),
        evidence: BTreeMap::new(),
        manifest: Vec::new(),
        bytes: 0,
    };
    let mut manifest_seen = false;
    let mut record = Vec::new();
    while let Some((name, size)) = tar.next_entry()? {
        if manifest_seen {
            return Err(VerifyError::Malformed(format!("entry {name} follows the manifest, which must be last")));
        }
        if let Some(number) = name.strip_prefix(EVENTS_DIR) {
            let first = parse_number(number, &name)?;
            let expected = scan.leaves.len() as u64 + 1;
            if first != expected {
                return Err(VerifyError::Gap { expected, found: first });
            }
            if size == 0 {
                return Err(VerifyError::Malformed(format!("entry {name} is empty")));
            }
            read_events(&mut tar, &mut scan, &mut record)?;
        } else if let Some(number) = name.strip_prefix(CHECKPOINTS_DIR) {
            let index = parse_number(number, &name)?;
            if index != scan.notes.len() as u64 + 1 {
                return Err(VerifyError::Malformed(format!("checkpoint entry {name} is out of order")));
            }
            let text = read_small(&mut tar, size, MAX_NOTE_LEN, &name)?;
            let note = String::from_utf8(text).map_err(|_| VerifyError::Malformed(format!("{name} is not UTF-8")))?;
            scan.notes.push(note);
        } else if let Some(hex_name) = name.strip_prefix(EVIDENCE_DIR) {
            let sha256 = sha256_hex(hex_name)
                .ok_or_else(|| VerifyError::Malformed(format!("evidence entry {name} is not named by a SHA-256")))?;
            let actual = hash_entry(&mut tar)?;
            if actual != sha256 {
                return Err(VerifyError::EvidenceMismatch {
                    sha256: hex_name.to_string(),
                    problem: "its bytes do not hash to its name",
                });
            }
            if scan.evidence.insert(sha256, size).is_some() {
                return Err(VerifyError::Malformed(format!("evidence entry {name} appears twice")));
            }
        } else if name == MANIFEST_NAME {
            scan.manifest = read_small(&mut tar, size, MAX_MANIFEST_LEN, &name)?;
            manifest_seen = true;
        } else {
            return Err(VerifyError::Malformed(format!("unexpected entry {name}")));
        }
    }
    if !manifest_seen {
        return Err(VerifyError::Malformed(format!("no {MANIFEST_NAME}")));
    }
    scan.bytes = tar.offset();
    Ok(scan)
}

/// Reads the records of one events entry: `u32 length ‖ event encoding ‖ 32-byte leaf hash`, until the entry ends.
fn read_events<R: Read>(tar: &mut TarReader<R>, scan: &mut Scan, record: &mut Vec<u8>) -> Result<(), VerifyError> {
    while tar.remaining() > 0 {
        let seq = scan.leaves.len() as u64 + 1;
        let bad = |reason: &str| VerifyError::BadEvent { seq, reason: reason.to_string() };
        if tar.remaining() < 4 {
            return Err(bad("the record's length prefix is cut off by the end of its chunk"));
        }
        let mut len = [0u8; 4];
        tar.read_exact(&mut len).map_err(VerifyError::from_io)?;
        let len = u32::from_be_bytes(len) as u64;
        if len > MAX_EVENT_LEN as u64 {
            return Err(bad("the record is longer than the largest event"));
        }
        if len + 32 > tar.remaining() {
            return Err(bad("the record runs past the end of its chunk"));
        }
        // Never larger than MAX_EVENT_LEN: the check above came first.
        record.resize(len as usize, 0);
        tar.read_exact(record).map_err(VerifyError::from_io)?;
        let mut stored = [0u8; 32];
        tar.read_exact(&mut stored).map_err(VerifyError::from_io)?;
        let event = EventView::parse(record).map_err(|e| bad(&e.to_string()))?;
        if event.seq != seq {
            return Err(VerifyError::Gap { expected: seq, found: event.seq });
        }
        let leaf = merkle::leaf_hash(record);
        if stored != leaf {
            scan.stored_mismatches.push((seq, stored));
        }
        if event.action == KEY_ROTATION_ACTION && event.object_type == KEY_OBJECT_TYPE {
            scan.rotations.push((seq, event.object_id.to_string()));
        }
        scan.leaves.push(leaf);
    }
    Ok(())
}

fn parse_number(digits: &str, name: &str) -> Result<u64, VerifyError> {
    if digits.len() != 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::Malformed(format!("entry {name} is not numbered with 20 digits")));
    }
    digits.parse().map_err(|_| VerifyError::Malformed(format!("entry {name} has a number beyond 64 bits")))
}

fn read_small<R: Read>(tar: &mut TarReader<R>, size: u64, max: u64, name: &str) -> Result<Vec<u8>, VerifyError> {
    if size > max {
        return Err(VerifyError::Malformed(format!("entry {name} is larger than {max} bytes")));
    }
    // No capacity from the header's size: the bytes must actually arrive before memory is spent on them.
    let mut out = Vec::new();
    tar.read_to_end(&mut out).map_err(VerifyError::from_io)?;
    Ok(out)
}

fn hash_entry<R: Read>(tar: &mut TarReader<R>) -> Result<[u8; 32], VerifyError> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = tar.read(&mut buf).map_err(VerifyError::from_io)?;
        if n == 0 {
            return Ok(hasher.finalize().into());
        }
        hasher.update(&buf[..n]);
    }
}
