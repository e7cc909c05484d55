//! The offline bundle verifier on arbitrary bytes, and on an honest bundle with bytes overwritten or cut off:
//! it must refuse every malformed or altered bundle with an error and never panic.
#![no_main]

use ledger::{BundleWriter, Checkpoint, Event, EvidenceEntry, Frontier, Signer, StateHash};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const ORIGIN: &str = "mandate-fuzz/acme";

/// A small bundle that verifies: five events, a checkpoint after three and after five, one evidence file.
fn honest() -> &'static [u8] {
    static BUNDLE: OnceLock<Vec<u8>> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let signer = Signer::from_secret("fuzz.mandate.test", [7; 32]);
        let mut writer = BundleWriter::new(Vec::new()).unwrap();
        writer.add_key(&signer.verifier_key(), 1).unwrap();
        let mut frontier = Frontier::new();
        let mut notes = Vec::new();
        for seq in 1..=5u64 {
            let event = Event {
                seq,
                time: 1_767_225_600 + seq as i64,
                org: ORIGIN.into(),
                actor: format!("user{seq}@acme.example"),
                role: "isms_manager".into(),
                action: "create".into(),
                object_type: "objective".into(),
                object_id: seq.to_string(),
                state: if seq == 4 {
                    StateHash::Tombstone
                } else {
                    StateHash::Sha256(ledger::state_hash(&[seq as u8]))
                },
                request_id: format!("req-{seq}"),
            };
            frontier.append(event.leaf_hash());
            writer.add_event(&event).unwrap();
            if seq == 3 || seq == 5 {
                notes.push(signer.sign(&Checkpoint { origin: ORIGIN.into(), size: seq, root: frontier.root() }));
            }
        }
        for note in &notes {
            writer.add_checkpoint(note).unwrap();
        }
        let file = b"%PDF-1.4 board minutes";
        let entry = EvidenceEntry {
            id: "1".into(),
            sha256: sha256(file),
            filename: "minutes.pdf".into(),
            media_type: "application/pdf".into(),
        };
        writer.add_evidence(entry, &file[..], file.len() as u64).unwrap();
        let bytes = writer.finish().unwrap();
        ledger::verify_bundle(&bytes[..], None, None).expect("the honest bundle verifies");
        bytes
    })
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode % 2 == 0 {
        let _ = ledger::verify_bundle(rest, None, None);
        return;
    }
    // Overwrite the honest bundle at (position, byte) pairs, then perhaps cut it short.
    let mut bundle = honest().to_vec();
    let mut changed = false;
    // Three bytes of position (any offset of a bundle up to 16 MiB, odd ones included) and the byte to write.
    for pair in rest.chunks_exact(4) {
        let at = u32::from_le_bytes([pair[0], pair[1], pair[2], 0]) as usize % bundle.len();
        changed |= bundle[at] != pair[3];
        bundle[at] = pair[3];
    }
    if mode % 4 == 3 {
        let cut = usize::from(rest.first().copied().unwrap_or(0)) * 64 % bundle.len();
        changed |= cut < bundle.len();
        bundle.truncate(cut);
    }
    let result = ledger::verify_bundle(&bundle[..], None, None);
    // An altered bundle can still verify only when the change fell on bytes the format does not read (tar
    // padding, header fields it ignores, the end-of-archive blocks); it must never verify to a different
    // report than the honest one, apart from the bundle's size.
    if changed && let Ok(report) = result {
        let clean = ledger::verify_bundle(honest(), None, None).unwrap();
        let report = ledger::Report { bundle_bytes: clean.bundle_bytes, ..report };
        assert_eq!(report, clean, "an altered bundle verified with a different report");
    }
});
