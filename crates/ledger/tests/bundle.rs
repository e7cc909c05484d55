//! Bundle writing and verification: honest bundles pass, each kind of tampering is named.

mod common;

use common::*;
use ledger::merkle::root;
use ledger::{BundleWriter, Event, EvidenceEntry, Report, VerifierKey, VerifyError, verify_bundle};
use sha2::{Digest, Sha256};

fn verify(bytes: &[u8]) -> Result<Report, VerifyError> {
    verify_bundle(bytes, None, None)
}

fn pinned(bytes: &[u8], keys: &[VerifierKey]) -> Result<Report, VerifyError> {
    verify_bundle(bytes, None, Some(keys))
}

#[test]
fn the_writer_produces_exactly_the_documented_bytes() {
    let parts = honest(25, 10, &signer()).with_evidence(&[b"first file", b"second file"]);
    assert_eq!(parts.to_writer_bundle(), parts.to_tar());
}

#[test]
fn an_honest_bundle_verifies() {
    let parts = honest(25, 10, &signer()).with_evidence(&[b"first file", b"second file"]);
    let bytes = parts.to_writer_bundle();
    let report = pinned(&bytes, &[signer().verifier_key()]).unwrap();
    assert_eq!(report.events, 25);
    assert_eq!(report.checkpoints, 3);
    assert_eq!(report.keys, 1);
    assert!(report.keys_pinned);
    assert_eq!(report.evidence_files, 2);
    assert_eq!(report.evidence_bytes, 21);
    assert_eq!(report.bundle_bytes, bytes.len() as u64);
    assert_eq!(report.root, root(&leaves_of(&parts)));
    assert_eq!(report.origin, ORIGIN);
    assert!(report.to_string().contains("25 (seq 1..=25"));
    assert!(!verify(&bytes).unwrap().keys_pinned);
}

#[test]
fn an_empty_log_verifies_with_its_empty_checkpoint() {
    let mut parts = honest(0, 1, &signer());
    assert_eq!(parts.notes.len(), 1);
    assert_eq!(verify(&parts.to_writer_bundle()).unwrap().events, 0);
    // Two signatures of the empty tree (one per export) are fine too.
    parts.notes.push(parts.notes[0].clone());
    assert_eq!(verify(&parts.to_tar()).unwrap().checkpoints, 2);
}

#[test]
fn large_logs_span_several_chunks() {
    let mut writer = BundleWriter::new(Vec::new()).unwrap();
    writer.add_key(&signer().verifier_key(), 1).unwrap();
    let mut frontier = ledger::Frontier::new();
    let mut notes = Vec::new();
    for seq in 1..=3000 {
        let event = Event { object_id: "x".repeat(5000), ..event(seq) };
        frontier.append(event.leaf_hash());
        writer.add_event(&event).unwrap();
        if seq.is_multiple_of(1000) {
            notes.push(sign(&signer(), seq, frontier.root()));
        }
    }
    for note in &notes {
        writer.add_checkpoint(note).unwrap();
    }
    let bytes = writer.finish().unwrap();
    assert!(bytes.windows(26).filter(|w| w.starts_with(b"events/000")).count() >= 2);
    assert_eq!(verify(&bytes).unwrap().events, 3000);
}

#[test]
fn the_writer_refuses_misuse() {
    let mut writer = BundleWriter::new(Vec::new()).unwrap();
    assert!(writer.add_event(&event(2)).is_err(), "events start at 1");
    assert!(writer.add_key(&signer().verifier_key(), 2).is_err(), "the first key starts at 1");
    writer.add_key(&signer().verifier_key(), 1).unwrap();
    assert!(writer.add_key(&other_signer().verifier_key(), 1).is_err());
    assert!(writer.add_checkpoint("not a note").is_err());
    let entry = EvidenceEntry {
        id: "e".into(),
        sha256: Sha256::digest(b"abc").into(),
        filename: "a.txt".into(),
        media_type: "text/plain".into(),
    };
    assert!(writer.add_evidence(entry.clone(), &b"ab"[..], 3).is_err(), "a short source");
    let mut writer = BundleWriter::new(Vec::new()).unwrap();
    assert!(writer.add_evidence(entry, &b"abd"[..], 3).is_err(), "bytes that do not match their hash");
    assert!(BundleWriter::new(Vec::new()).unwrap().finish().is_err(), "a bundle needs its key history");
}

#[test]
fn an_edited_event_is_named_by_seq() {
    let parts = honest(40, 8, &signer());
    let clean = parts.to_tar();
    // Change one byte of event 13's object id in place, leaving its stored leaf hash as signed.
    let needle = b"risk-000013";
    let at = clean.windows(needle.len()).position(|w| w == needle).unwrap();
    let mut bytes = clean.clone();
    bytes[at + 5] = b'9';
    assert!(matches!(verify(&bytes), Err(VerifyError::EditedEvent { seq: 13, size: 16 })));
}

#[test]
fn a_consistently_rewritten_event_is_caught_by_range() {
    let mut parts = honest(40, 8, &signer());
    let edited = Event { actor: "mallory@acme.example".into(), ..event(13) };
    parts.records[12] = (edited.encode(), edited.leaf_hash());
    assert!(matches!(verify(&parts.to_tar()), Err(VerifyError::RootMismatch { size: 16, first: 9 })));
}

#[test]
fn deleted_inserted_and_reordered_events_are_gaps() {
    let parts = honest(20, 5, &signer());
    let mut deleted = parts.clone();
    deleted.records.remove(6);
    assert!(matches!(verify(&deleted.to_tar()), Err(VerifyError::Gap { expected: 7, found: 8 })));
    let mut inserted = parts.clone();
    inserted.records.insert(3, inserted.records[2].clone());
    assert!(matches!(verify(&inserted.to_tar()), Err(VerifyError::Gap { expected: 4, found: 3 })));
    let mut swapped = parts.clone();
    swapped.records.swap(9, 10);
    assert!(matches!(verify(&swapped.to_tar()), Err(VerifyError::Gap { expected: 10, found: 11 })));
}

#[test]
fn truncated_and_extended_logs_are_refused() {
    let parts = honest(20, 5, &signer());
    let mut cut = parts.clone();
    cut.records.truncate(17);
    assert!(matches!(verify(&cut.to_tar()), Err(VerifyError::MissingEvents { size: 20, events: 17 })));
    let extended = parts.clone().record(&event(21));
    assert!(matches!(verify(&extended.to_tar()), Err(VerifyError::Uncovered { events: 21, size: 20 })));
    let mut unsigned = parts.clone();
    unsigned.notes.clear();
    assert!(matches!(verify(&unsigned.to_tar()), Err(VerifyError::NoCheckpoint)));
}

#[test]
fn a_consistent_truncation_is_a_rollback_against_a_trusted_checkpoint() {
    let parts = honest(20, 5, &signer());
    let trusted = parts.notes.last().unwrap().clone();
    let mut cut = parts.clone();
    cut.records.truncate(15);
    cut.notes.truncate(3);
    let bytes = cut.to_tar();
    assert_eq!(verify(&bytes).unwrap().events, 15, "on its own a prefix is a valid log");
    assert!(matches!(
        verify_bundle(&bytes[..], Some(&trusted), None),
        Err(VerifyError::Rollback { trusted_size: 20, bundle_size: 15 })
    ));
}

#[test]
fn a_trusted_checkpoint_must_be_extended_consistently() {
    let parts = honest(20, 5, &signer());
    let bytes = parts.to_tar();
    let earlier = parts.notes[1].clone();
    let report = verify_bundle(&bytes[..], Some(&earlier), Some(&[signer().verifier_key()])).unwrap();
    assert_eq!(report.trusted_size, Some(10));
    // A fork: the log once signed a different event 4.
    let mut fork = parts.clone();
    let other = Event { action: "risk.delete".into(), ..event(4) };
    fork.records[3] = (other.encode(), other.leaf_hash());
    let forked_note = sign(&signer(), 10, root_at(&fork, 10));
    assert!(matches!(
        verify_bundle(&bytes[..], Some(&forked_note), None),
        Err(VerifyError::Inconsistent { old_size: 10, new_size: 20 })
    ));
    // Another log, or a note by a key that is not trusted.
    let other_log = signer().sign(&ledger::Checkpoint { origin: "elsewhere".into(), size: 5, root: [0; 32] });
    assert!(matches!(verify_bundle(&bytes[..], Some(&other_log), None), Err(VerifyError::TrustedCheckpoint(_))));
    let untrusted = sign(&other_signer(), 10, root_at(&parts, 10));
    assert!(matches!(verify_bundle(&bytes[..], Some(&untrusted), None), Err(VerifyError::TrustedCheckpoint(_))));
    assert!(matches!(verify_bundle(&bytes[..], Some("garbage"), None), Err(VerifyError::TrustedCheckpoint(_))));
}

#[test]
fn checkpoints_with_wrong_sizes_bad_signatures_or_unknown_keys_are_refused() {
    let parts = honest(20, 5, &signer());
    // Signed by the right key, but claiming size 10 for the root of 9 events.
    let mut wrong_size = parts.clone();
    wrong_size.notes[1] = sign(&signer(), 10, root_at(&parts, 9));
    assert!(matches!(verify(&wrong_size.to_tar()), Err(VerifyError::RootMismatch { size: 10, first: 6 })));
    // A signature that does not verify.
    let mut bad_sig = parts.clone();
    let note = &bad_sig.notes[2];
    let cut = note.rfind(' ').unwrap() + 1;
    let mut sig = note[cut..].to_string().into_bytes();
    sig[20] = if sig[20] == b'A' { b'B' } else { b'A' };
    bad_sig.notes[2] = format!("{}{}", &note[..cut], String::from_utf8(sig).unwrap());
    assert!(matches!(verify(&bad_sig.to_tar()), Err(VerifyError::BadSignature { size: 15 })));
    // Checkpoints signed by another key than the bundle's.
    let mut foreign = parts.clone();
    foreign.notes[0] = sign(&other_signer(), 5, root_at(&parts, 5));
    assert!(matches!(verify(&foreign.to_tar()), Err(VerifyError::UnknownKey { size: 5 })));
    // A bundle re-signed entirely by an attacker's key passes on its own, but not against the pinned key.
    let forged = honest(20, 5, &other_signer());
    assert!(verify(&forged.to_tar()).is_ok());
    assert!(matches!(pinned(&forged.to_tar(), &[signer().verifier_key()]), Err(VerifyError::UnknownKey { size: 5 })));
}

/// A log that rotates from `signer()` to `other_signer()` after event `r`.
fn rotated(n: u64, r: u64, handover: bool, record_rotation: bool) -> Parts {
    let (old, new) = (signer(), other_signer());
    let mut events: Vec<Event> = (1..=n).map(event).collect();
    if record_rotation {
        events[r as usize - 1] = Event {
            action: ledger::KEY_ROTATION_ACTION.into(),
            object_type: ledger::KEY_OBJECT_TYPE.into(),
            object_id: new.verifier_key().to_string(),
            ..event(r)
        };
    }
    let leaves: Vec<[u8; 32]> = events.iter().map(Event::leaf_hash).collect();
    let mut notes = vec![sign(&old, r - 1, root(&leaves[..r as usize - 1]))];
    if handover {
        notes.push(sign(&old, r, root(&leaves[..r as usize])));
    }
    notes.push(sign(&new, n, root(&leaves)));
    Parts {
        records: events.iter().map(|e| (e.encode(), e.leaf_hash())).collect(),
        notes,
        keys: vec![(1, old.verifier_key().to_string()), (r + 1, new.verifier_key().to_string())],
        files: Vec::new(),
        listed: Vec::new(),
    }
}

#[test]
fn a_handed_over_key_rotation_verifies() {
    let bytes = rotated(12, 6, true, true).to_tar();
    assert_eq!(verify(&bytes).unwrap().keys, 2);
    assert!(pinned(&bytes, &[signer().verifier_key()]).is_ok(), "trust flows from the pinned first key");
    assert!(pinned(&bytes, &[signer().verifier_key(), other_signer().verifier_key()]).is_ok());
    // Pinning only the new key leaves the old key's checkpoints unvouched for.
    assert!(matches!(pinned(&bytes, &[other_signer().verifier_key()]), Err(VerifyError::UnknownKey { size: 5 })));
}

#[test]
fn a_rotation_needs_its_event_and_its_handover() {
    assert!(matches!(
        verify(&rotated(12, 6, true, false).to_tar()),
        Err(VerifyError::KeyNotHandedOver { from_seq: 7, .. })
    ));
    assert!(matches!(
        verify(&rotated(12, 6, false, true).to_tar()),
        Err(VerifyError::KeyNotHandedOver { from_seq: 7, .. })
    ));
    // With both keys pinned, the handover checkpoint is not needed (the old key may be lost), the event is.
    let both = [signer().verifier_key(), other_signer().verifier_key()];
    assert!(pinned(&rotated(12, 6, false, true).to_tar(), &both).is_ok());
}

#[test]
fn evidence_must_match_its_name_and_the_manifest() {
    let parts = honest(5, 5, &signer()).with_evidence(&[b"alpha", b"bravo!"]);
    assert!(verify(&parts.to_tar()).is_ok());
    let mut edited = parts.clone();
    edited.files[1].1[0] ^= 1;
    assert!(
        matches!(verify(&edited.to_tar()), Err(VerifyError::EvidenceMismatch { ref sha256, .. }) if *sha256 == parts.files[1].0)
    );
    let mut swapped = parts.clone();
    let (a, b) = (swapped.files[0].1.clone(), swapped.files[1].1.clone());
    swapped.files[0].1 = b;
    swapped.files[1].1 = a;
    assert!(
        matches!(verify(&swapped.to_tar()), Err(VerifyError::EvidenceMismatch { ref sha256, .. }) if *sha256 == parts.files[0].0)
    );
    let mut missing = parts.clone();
    missing.files.remove(0);
    assert!(matches!(verify(&missing.to_tar()), Err(VerifyError::EvidenceMismatch { .. })));
    let mut unlisted = parts.clone();
    unlisted.listed.remove(1);
    assert!(matches!(verify(&unlisted.to_tar()), Err(VerifyError::EvidenceMismatch { .. })));
    let mut resized = parts.clone();
    resized.listed[0].1 += 1;
    assert!(matches!(verify(&resized.to_tar()), Err(VerifyError::EvidenceMismatch { .. })));
}

#[test]
fn one_file_listed_twice_is_stored_once() {
    let sha: [u8; 32] = Sha256::digest(b"same").into();
    let mut writer = BundleWriter::new(Vec::new()).unwrap();
    writer.add_key(&signer().verifier_key(), 1).unwrap();
    for id in ["a", "b"] {
        let entry = EvidenceEntry { id: id.into(), sha256: sha, filename: "f".into(), media_type: "text/plain".into() };
        writer.add_evidence(entry, &b"same"[..], 4).unwrap();
    }
    writer.add_checkpoint(&sign(&signer(), 0, ledger::merkle::EMPTY_ROOT)).unwrap();
    let report = verify(&writer.finish().unwrap()).unwrap();
    assert_eq!((report.evidence_files, report.evidence_bytes), (1, 4));
}

#[test]
fn container_irregularities_are_refused() {
    let parts = honest(6, 3, &signer());
    let clean = parts.to_tar();
    let mut trailing = clean.clone();
    trailing.extend_from_slice(&[0; 512]);
    assert!(matches!(verify(&trailing), Err(VerifyError::Malformed(_))));
    let mut no_end = clean.clone();
    no_end.truncate(clean.len() - 1024);
    assert!(matches!(verify(&no_end), Err(VerifyError::Malformed(_))));
    // An extra entry, an entry after the manifest, a second manifest.
    let mut extra = clean[..clean.len() - 1024].to_vec();
    entry(&mut extra, "notes.txt", b"hello");
    extra.extend_from_slice(&[0; 1024]);
    assert!(matches!(verify(&extra), Err(VerifyError::Malformed(_))));
    // A manifest whose counts disagree.
    let mut body = Vec::new();
    for (i, note) in parts.notes.iter().enumerate() {
        entry(&mut body, &format!("checkpoints/{:020}", i + 1), note.as_bytes());
    }
    entry(&mut body, "manifest.json", parts.manifest().replace("\"events\":6", "\"events\":5").as_bytes());
    body.extend_from_slice(&[0; 1024]);
    assert!(matches!(verify(&body), Err(VerifyError::Malformed(_))));
    assert!(matches!(verify(b""), Err(VerifyError::Malformed(_))));
}
