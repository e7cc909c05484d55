//! Test support: honest logs, and an independent bundle builder that follows FORMAT.md rather than calling
//! `BundleWriter`, so tests can build the bundles an attacker would.
#![allow(dead_code)]

use ledger::merkle::{Frontier, root};
use ledger::{BundleWriter, Checkpoint, Event, EvidenceEntry, Signer, StateHash, VerifierKey, state_hash};
use sha2::{Digest, Sha256};

pub const ORIGIN: &str = "mandate-test/acme";

pub fn signer() -> Signer {
    Signer::from_secret("mandate-test", [7; 32])
}

pub fn other_signer() -> Signer {
    Signer::from_secret("mandate-test", [8; 32])
}

pub fn event(seq: u64) -> Event {
    Event {
        seq,
        time: 1_767_225_600 + seq as i64,
        org: ORIGIN.into(),
        actor: format!("user{}@acme.example", seq % 5),
        role: "isms_manager".into(),
        action: "risk.update".into(),
        object_type: "risk".into(),
        object_id: format!("risk-{seq:06}"),
        state: if seq.is_multiple_of(7) {
            StateHash::Tombstone
        } else {
            StateHash::Sha256(state_hash(&seq.to_be_bytes()))
        },
        request_id: format!("req-{seq}"),
    }
}

/// The bundle's parts, in FORMAT.md terms.
#[derive(Clone)]
pub struct Parts {
    /// (canonical encoding, stored leaf hash) per record, in bundle order.
    pub records: Vec<(Vec<u8>, [u8; 32])>,
    pub notes: Vec<String>,
    /// (from_seq, verifier key text).
    pub keys: Vec<(u64, String)>,
    /// (entry name hex, bytes) as stored.
    pub files: Vec<(String, Vec<u8>)>,
    /// (sha256 hex, size, id, filename, media type) as listed.
    pub listed: Vec<(String, u64, String, String, String)>,
}

/// An honest log of `n` events with a checkpoint every `every` events and one at the end, signed by `signer`.
pub fn honest(n: u64, every: u64, signer: &Signer) -> Parts {
    let events: Vec<Event> = (1..=n).map(event).collect();
    let leaves: Vec<[u8; 32]> = events.iter().map(Event::leaf_hash).collect();
    let mut sizes: Vec<u64> = (1..=n).filter(|s| s.is_multiple_of(every)).collect();
    if sizes.last() != Some(&n) {
        sizes.push(n);
    }
    let notes = sizes.iter().map(|&s| sign(signer, s, root(&leaves[..s as usize]))).collect();
    Parts {
        records: events.iter().map(|e| (e.encode(), e.leaf_hash())).collect(),
        notes,
        keys: vec![(1, signer.verifier_key().to_string())],
        files: Vec::new(),
        listed: Vec::new(),
    }
}

pub fn sign(signer: &Signer, size: u64, root: [u8; 32]) -> String {
    signer.sign(&Checkpoint { origin: ORIGIN.into(), size, root })
}

pub fn leaves_of(parts: &Parts) -> Vec<[u8; 32]> {
    parts.records.iter().map(|(bytes, _)| ledger::merkle::leaf_hash(bytes)).collect()
}

impl Parts {
    pub fn with_evidence(mut self, files: &[&[u8]]) -> Self {
        for (i, bytes) in files.iter().enumerate() {
            let sha = hex::encode(Sha256::digest(bytes));
            self.files.push((sha.clone(), bytes.to_vec()));
            self.listed.push((
                sha,
                bytes.len() as u64,
                format!("ev-{i}"),
                format!("scan {i}.pdf"),
                "application/pdf".into(),
            ));
        }
        self
    }

    pub fn record(mut self, event: &Event) -> Self {
        self.records.push((event.encode(), event.leaf_hash()));
        self
    }

    /// The manifest as FORMAT.md specifies: compact JSON, keys sorted.
    pub fn manifest(&self) -> String {
        let keys: Vec<String> =
            self.keys.iter().map(|(from, key)| format!(r#"{{"from_seq":{from},"key":"{key}"}}"#)).collect();
        let evidence: Vec<String> = self
            .listed
            .iter()
            .map(|(sha, size, id, name, media)| {
                format!(r#"{{"filename":"{name}","id":"{id}","media_type":"{media}","sha256":"{sha}","size":{size}}}"#)
            })
            .collect();
        format!(
            r#"{{"checkpoints":{},"events":{},"evidence":[{}],"format":"mandate-ledger-bundle","keys":[{}],"version":1}}"#,
            self.notes.len(),
            self.records.len(),
            evidence.join(","),
            keys.join(",")
        )
    }

    /// The tar: evidence, then one events chunk, then checkpoints, then the manifest (BundleWriter's order for a
    /// log under one chunk whose evidence was added before `finish`).
    pub fn to_tar(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (sha, bytes) in &self.files {
            entry(&mut out, &format!("evidence/{sha}"), bytes);
        }
        if !self.records.is_empty() {
            let mut chunk = Vec::new();
            for (bytes, stored) in &self.records {
                chunk.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
                chunk.extend_from_slice(bytes);
                chunk.extend_from_slice(stored);
            }
            entry(&mut out, &format!("events/{:020}", 1), &chunk);
        }
        for (i, note) in self.notes.iter().enumerate() {
            entry(&mut out, &format!("checkpoints/{:020}", i + 1), note.as_bytes());
        }
        entry(&mut out, "manifest.json", self.manifest().as_bytes());
        out.extend_from_slice(&[0; 1024]);
        out
    }

    /// The same log written by the crate's writer.
    pub fn to_writer_bundle(&self) -> Vec<u8> {
        let mut writer = BundleWriter::new(Vec::new()).unwrap();
        for (from, key) in &self.keys {
            writer.add_key(&VerifierKey::parse(key).unwrap(), *from).unwrap();
        }
        for ((sha, bytes), (_, size, id, filename, media_type)) in self.files.iter().zip(&self.listed) {
            let entry = EvidenceEntry {
                id: id.clone(),
                sha256: hex::decode(sha).unwrap().try_into().unwrap(),
                filename: filename.clone(),
                media_type: media_type.clone(),
            };
            writer.add_evidence(entry, bytes.as_slice(), *size).unwrap();
        }
        for (bytes, _) in &self.records {
            writer.add_event(&Event::decode(bytes).unwrap()).unwrap();
        }
        for note in &self.notes {
            writer.add_checkpoint(note).unwrap();
        }
        writer.finish().unwrap()
    }
}

/// A ustar entry exactly as FORMAT.md describes it, built by hand (not with the tar crate).
pub fn entry(out: &mut Vec<u8>, name: &str, data: &[u8]) {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:07o}\0").as_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

/// A frontier root over the first `size` leaves of `parts`, from the bytes (not the stored hashes).
pub fn root_at(parts: &Parts, size: usize) -> [u8; 32] {
    let mut f = Frontier::new();
    for leaf in &leaves_of(parts)[..size] {
        f.append(*leaf);
    }
    f.root()
}
