//! `cargo bench -p ledger`: append throughput through a Frontier, and the time to verify a bundle of 1,000,000
//! events next to `sha256sum` over the same bytes (the floor: reading and hashing the file once).

use ledger::merkle::Frontier;
use ledger::{BundleWriter, Checkpoint, Event, Signer, StateHash, state_hash, verify_bundle};
use std::io::{BufReader, BufWriter};
use std::process::Command;
use std::time::Instant;

const EVENTS: u64 = 1_000_000;
/// A checkpoint every this many events (the application's default policy is of this order).
const CHECKPOINT_EVERY: u64 = 1_000;
const ORIGIN: &str = "mandate-bench/acme";

/// A realistic event: an e-mail actor, a UUID-like object id and request id, a state hash.
fn event(seq: u64) -> Event {
    Event {
        seq,
        time: 1_767_225_600 + seq as i64,
        org: ORIGIN.into(),
        actor: format!("user{}@acme.example", seq % 97),
        role: "isms_manager".into(),
        action: "risk.update".into(),
        object_type: "risk".into(),
        object_id: format!("0190c8a2-{:04x}-7000-8000-{:012x}", seq % 0xffff, seq),
        state: StateHash::Sha256(state_hash(&seq.to_be_bytes())),
        request_id: format!("req-{seq:016x}"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Appends: encode, leaf-hash and append, as the application does inside each transaction.
    let start = Instant::now();
    let mut frontier = Frontier::new();
    for seq in 1..=EVENTS {
        frontier.append(event(seq).leaf_hash());
    }
    let append = start.elapsed();
    println!(
        "append:  {EVENTS} events through Frontier in {:.3} s = {:.0} events/s (encode + leaf hash + append)",
        append.as_secs_f64(),
        EVENTS as f64 / append.as_secs_f64()
    );

    // 2. A bundle of EVENTS events with a checkpoint every CHECKPOINT_EVERY.
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bundle.tar");
    let signer = Signer::from_secret("mandate-bench", [9; 32]);
    let start = Instant::now();
    let mut writer = BundleWriter::new(BufWriter::new(std::fs::File::create(&path)?))?;
    writer.add_key(&signer.verifier_key(), 1)?;
    let mut frontier = Frontier::new();
    let mut notes = Vec::new();
    for seq in 1..=EVENTS {
        let event = event(seq);
        frontier.append(event.leaf_hash());
        writer.add_event(&event)?;
        if seq.is_multiple_of(CHECKPOINT_EVERY) || seq == EVENTS {
            notes.push(signer.sign(&Checkpoint { origin: ORIGIN.into(), size: seq, root: frontier.root() }));
        }
    }
    for note in &notes {
        writer.add_checkpoint(note)?;
    }
    writer.finish()?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "write:   bundle of {EVENTS} events, {} checkpoints, {:.1} MB in {:.3} s",
        notes.len(),
        size as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );

    // Warm the page cache so both timings read from memory.
    std::fs::read(&path)?;
    let start = Instant::now();
    let report = verify_bundle(BufReader::new(std::fs::File::open(&path)?), None, Some(&[signer.verifier_key()]))?;
    let verify = start.elapsed();
    assert_eq!(report.events, EVENTS);

    let start = Instant::now();
    let status = Command::new("sha256sum").arg(&path).output();
    let sha = start.elapsed();
    println!(
        "verify:  {} events, {} checkpoints, {:.1} MB in {:.3} s = {:.0} events/s, {:.0} MB/s",
        report.events,
        report.checkpoints,
        size as f64 / 1e6,
        verify.as_secs_f64(),
        EVENTS as f64 / verify.as_secs_f64(),
        size as f64 / 1e6 / verify.as_secs_f64()
    );
    match status {
        Ok(out) if out.status.success() => println!(
            "sha256sum over the same bytes: {:.3} s; verify / sha256sum = {:.2}",
            sha.as_secs_f64(),
            verify.as_secs_f64() / sha.as_secs_f64()
        ),
        _ => println!("sha256sum is not available here; no ratio"),
    }
    Ok(())
}
