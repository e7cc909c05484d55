//! The bundle verifier: given only the bundle (and, ideally, keys and a checkpoint the auditor kept), it decides
//! whether the history is intact, and fails closed on anything it cannot vouch for.

use crate::checkpoint::{self, Checkpoint};
use crate::error::{Error, VerifyError};
use crate::keys::VerifierKey;
use crate::manifest::{KeyStart, Manifest};
use crate::merkle::{self, Frontier};
use crate::report::Report;
use crate::scan::{Scan, scan};
use std::collections::BTreeMap;
use std::io::Read;

/// Verifies an export bundle read from `reader`, in one pass, without network or database.
///
/// - `trusted`: a signed checkpoint note the auditor kept from earlier (an older export, or the application's
///   checkpoint endpoint). The bundle must extend it: a shorter bundle is a [`VerifyError::Rollback`], a different
///   history an [`VerifyError::Inconsistent`].
/// - `trusted_keys`: the verifier keys the auditor pinned. Without them the bundle's first key is trusted as it
///   stands (trust on first use), which proves integrity but not who signed.
///
/// Checks, in this order, stopping at the first failure: the container and every event record (seq 1, 2, 3 …
/// with no gap; every event decodes), every evidence file against its name; the manifest; every checkpoint's
/// signature by the key valid at its size; that the last checkpoint covers exactly the events present; every
/// checkpoint's root against the root recomputed from the events (which also makes successive checkpoints
/// consistent); the key history (rotations recorded in the log and handed over); the stored per-event leaf
/// hashes; evidence against the manifest; and the trusted checkpoint. See `FORMAT.md`.
pub fn verify_bundle<R: Read>(
    reader: R,
    trusted: Option<&str>,
    trusted_keys: Option<&[VerifierKey]>,
) -> Result<Report, VerifyError> {
    let scan = scan(reader)?;
    let manifest =
        Manifest::parse(&scan.manifest).map_err(|e| VerifyError::Malformed(format!("manifest.json: {e}")))?;
    let events = scan.leaves.len() as u64;
    if manifest.events != events || manifest.checkpoints != scan.notes.len() as u64 {
        return Err(VerifyError::Malformed(format!(
            "the manifest lists {} events and {} checkpoints, the bundle holds {events} and {}",
            manifest.events,
            manifest.checkpoints,
            scan.notes.len()
        )));
    }
    check_key_list(&manifest.keys)?;
    let checkpoints = parse_checkpoints(&scan.notes)?;
    let Some(last) = checkpoints.last() else { return Err(VerifyError::NoCheckpoint) };
    for (checkpoint, note) in checkpoints.iter().zip(&scan.notes) {
        check_signature(checkpoint, note, &manifest.keys)?;
    }
    if last.size < events {
        return Err(VerifyError::Uncovered { events, size: last.size });
    }
    if last.size > events {
        return Err(VerifyError::MissingEvents { size: last.size, events });
    }
    check_roots(&scan, &checkpoints)?;
    let authenticated = check_key_history(&manifest.keys, &checkpoints, &scan, trusted_keys)?;
    if let Some((seq, _)) = scan.stored_mismatches.first() {
        return Err(VerifyError::BadEvent {
            seq: *seq,
            reason: "its stored leaf hash does not match its bytes".into(),
        });
    }
    let (evidence_files, evidence_bytes) = check_evidence(&manifest, &scan)?;
    let trusted_size = match trusted {
        None => None,
        Some(note) => {
            let keys = match trusted_keys {
                Some(keys) => keys.to_vec(),
                None => authenticated,
            };
            Some(check_trusted(note, &keys, &scan.leaves, last)?)
        }
    };
    Ok(Report {
        origin: last.origin.clone(),
        events,
        root: last.root,
        checkpoints: checkpoints.len() as u64,
        keys: manifest.keys.len() as u64,
        keys_pinned: trusted_keys.is_some(),
        evidence_files,
        evidence_bytes,
        bundle_bytes: scan.bytes,
        trusted_size,
    })
}

fn check_key_list(keys: &[KeyStart]) -> Result<(), VerifyError> {
    let Some(first) = keys.first() else { return Err(VerifyError::Malformed("the key history is empty".into())) };
    if first.from_seq != 1 || keys.windows(2).any(|w| w[1].from_seq <= w[0].from_seq) {
        return Err(VerifyError::Malformed("the key history must start at seq 1 and increase".into()));
    }
    Ok(())
}

fn parse_checkpoints(notes: &[String]) -> Result<Vec<Checkpoint>, VerifyError> {
    let mut out: Vec<Checkpoint> = Vec::with_capacity(notes.len());
    for (index, note) in notes.iter().enumerate() {
        let checkpoint = Checkpoint::parse_unverified(note)
            .map_err(|e| VerifyError::Malformed(format!("checkpoint {}: {e}", index + 1)))?;
        if let Some(previous) = out.last() {
            if checkpoint.origin != previous.origin {
                return Err(VerifyError::Malformed(format!("checkpoint {} is for another log", index + 1)));
            }
            if checkpoint.size < previous.size {
                return Err(VerifyError::Malformed(format!("checkpoint {} is out of size order", index + 1)));
            }
        }
        out.push(checkpoint);
    }
    Ok(out)
}

/// The key that signs checkpoints of `size`: the last one starting at or before it (the first key also signs the
/// empty tree).
fn key_index(keys: &[KeyStart], size: u64) -> usize {
    keys.iter().rposition(|k| k.from_seq <= size.max(1)).unwrap_or(0)
}

fn check_signature(checkpoint: &Checkpoint, note: &str, keys: &[KeyStart]) -> Result<(), VerifyError> {
    let key = &keys[key_index(keys, checkpoint.size)].key;
    let size = checkpoint.size;
    match checkpoint::open(note, std::slice::from_ref(key)) {
        Ok(_) => Ok(()),
        Err(Error::NoKnownSignature) => Err(VerifyError::UnknownKey { size }),
        Err(Error::BadSignature { .. }) => Err(VerifyError::BadSignature { size }),
        Err(e) => Err(VerifyError::Malformed(format!("checkpoint of size {size}: {e}"))),
    }
}

/// Replays the leaves once, comparing the root at every checkpoint's size.
fn check_roots(scan: &Scan, checkpoints: &[Checkpoint]) -> Result<(), VerifyError> {
    let mut frontier = Frontier::new();
    let mut matched_below = 0;
    for checkpoint in checkpoints {
        // Sizes were checked to be ordered and at most the number of leaves.
        for leaf in &scan.leaves[frontier.size() as usize..checkpoint.size as usize] {
            frontier.append(*leaf);
        }
        if frontier.root() != checkpoint.root {
            return Err(locate_edit(scan, checkpoint, matched_below));
        }
        matched_below = checkpoint.size;
    }
    Ok(())
}

/// Names the altered event when possible. The events after `after` (the last matching checkpoint) up to the
/// failing checkpoint's size changed. If substituting the bundle's stored leaf hashes for the recomputed ones
/// reproduces the signed root, those stored hashes are what was signed, and the first event whose bytes disagree
/// with its stored hash is the altered one. Otherwise only the range is known.
fn locate_edit(scan: &Scan, checkpoint: &Checkpoint, after: u64) -> VerifyError {
    let size = checkpoint.size;
    let range = if after < size { after } else { 0 };
    let mut stored = scan.stored_mismatches.iter().filter(|(seq, _)| *seq > range && *seq <= size).peekable();
    let Some(&&(first_seq, _)) = stored.peek() else {
        return VerifyError::RootMismatch { size, first: range + 1 };
    };
    let mut claimed = Frontier::new();
    for (index, leaf) in scan.leaves[..size as usize].iter().enumerate() {
        let seq = index as u64 + 1;
        match stored.next_if(|(s, _)| *s == seq) {
            Some((_, hash)) => claimed.append(*hash),
            None => claimed.append(*leaf),
        }
    }
    if claimed.root() == checkpoint.root {
        VerifyError::EditedEvent { seq: first_seq, size }
    } else {
        VerifyError::RootMismatch { size, first: range + 1 }
    }
}

/// Decides which keys of the history are trusted, and requires every checkpoint's key to be one. A key is trusted
/// when the auditor pinned it, or (without pins) when it is the first key, or when its predecessor is trusted and
/// handed over to it: the log records the rotation in the event just before the key's first seq, and a checkpoint
/// of exactly that size is signed by the predecessor. Returns the trusted keys.
fn check_key_history(
    keys: &[KeyStart],
    checkpoints: &[Checkpoint],
    scan: &Scan,
    pinned: Option<&[VerifierKey]>,
) -> Result<Vec<VerifierKey>, VerifyError> {
    let mut trusted = Vec::with_capacity(keys.len());
    for (index, start) in keys.iter().enumerate() {
        if index > 0 {
            let rotation = start.from_seq - 1;
            let text = start.key.to_string();
            if !scan.rotations.iter().any(|(seq, id)| *seq == rotation && *id == text) {
                return Err(VerifyError::KeyNotHandedOver {
                    from_seq: start.from_seq,
                    reason: format!("event {rotation} does not record the rotation to {text}"),
                });
            }
        }
        let pinned_here = match pinned {
            Some(pins) => pins.contains(&start.key),
            None => index == 0,
        };
        let handed_over = index > 0 && trusted[index - 1] && checkpoints.iter().any(|c| c.size == start.from_seq - 1);
        trusted.push(pinned_here || handed_over);
    }
    for checkpoint in checkpoints {
        let index = key_index(keys, checkpoint.size);
        if trusted[index] {
            continue;
        }
        if index > 0 && trusted[index - 1] {
            let from_seq = keys[index].from_seq;
            return Err(VerifyError::KeyNotHandedOver {
                from_seq,
                reason: format!("no checkpoint of size {} signed by the previous key", from_seq - 1),
            });
        }
        return Err(VerifyError::UnknownKey { size: checkpoint.size });
    }
    Ok(keys.iter().zip(&trusted).filter(|(_, t)| **t).map(|(k, _)| k.key.clone()).collect())
}

/// Every listed file present with its listed size, every present file listed. Returns (files, bytes).
fn check_evidence(manifest: &Manifest, scan: &Scan) -> Result<(u64, u64), VerifyError> {
    let mismatch = |sha256: &[u8; 32], problem| VerifyError::EvidenceMismatch { sha256: hex::encode(sha256), problem };
    let mut listed = BTreeMap::new();
    for item in &manifest.evidence {
        let sha256 = &item.entry.sha256;
        if let Some(size) = listed.insert(*sha256, item.size)
            && size != item.size
        {
            return Err(mismatch(sha256, "the manifest lists it with two sizes"));
        }
        match scan.evidence.get(sha256) {
            None => return Err(mismatch(sha256, "listed in the manifest but missing from the bundle")),
            Some(size) if *size != item.size => return Err(mismatch(sha256, "its size differs from the manifest")),
            Some(_) => {}
        }
    }
    if let Some(sha256) = scan.evidence.keys().find(|sha256| !listed.contains_key(*sha256)) {
        return Err(mismatch(sha256, "not listed in the manifest"));
    }
    Ok((scan.evidence.len() as u64, scan.evidence.values().sum()))
}

/// The trusted checkpoint must be signed by a trusted key, name the same log, be no larger than the bundle, and
/// be consistent with the bundle's last checkpoint (RFC 9162 consistency proof built from the bundle's leaves).
fn check_trusted(note: &str, keys: &[VerifierKey], leaves: &[[u8; 32]], last: &Checkpoint) -> Result<u64, VerifyError> {
    let old = checkpoint::open(note, keys).map_err(|e| VerifyError::TrustedCheckpoint(e.to_string()))?;
    if old.origin != last.origin {
        return Err(VerifyError::TrustedCheckpoint(format!(
            "it is for log {:?}, the bundle for {:?}",
            old.origin, last.origin
        )));
    }
    if old.size > last.size {
        return Err(VerifyError::Rollback { trusted_size: old.size, bundle_size: last.size });
    }
    let proof = merkle::consistency_proof(leaves, old.size);
    if !merkle::verify_consistency(old.size, last.size, &old.root, &last.root, &proof) {
        return Err(VerifyError::Inconsistent { old_size: old.size, new_size: last.size });
    }
    Ok(old.size)
}
