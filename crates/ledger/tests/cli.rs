//! The `ledger-verify` binary: exit status 0 for a good bundle, 1 naming the first problem, 2 for misuse.

mod common;

use common::*;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ledger-verify")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn verifies_and_reports_failures() {
    let dir = tempfile::tempdir().unwrap();
    let parts = honest(12, 4, &signer());
    let good = dir.path().join("good.tar");
    std::fs::write(&good, parts.to_writer_bundle()).unwrap();
    let trusted = dir.path().join("trusted.note");
    std::fs::write(&trusted, &parts.notes[1]).unwrap();
    let key = signer().verifier_key().to_string();
    let good = good.to_str().unwrap();

    let (code, out, _) = run(&[good, "--key", &key, "--trusted-checkpoint", trusted.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("VERIFIED") && out.contains("events:       12") && out.contains("size 8"), "{out}");

    let mut bad_parts = parts.clone();
    bad_parts.records.remove(4);
    let bad = dir.path().join("bad.tar");
    std::fs::write(&bad, bad_parts.to_tar()).unwrap();
    let (code, _, err) = run(&[bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("FAILED") && err.contains("expected seq 5, found seq 6"), "{err}");

    let other = other_signer().verifier_key().to_string();
    let (code, _, err) = run(&[good, "--key", &other]);
    assert_eq!(code, 1);
    assert!(err.contains("not signed by a trusted key"), "{err}");

    assert_eq!(run(&[]).0, 2);
    assert_eq!(run(&[good, "--key", "nonsense"]).0, 2);
    assert_eq!(run(&[good, "--bogus"]).0, 2);
    assert_eq!(run(&["/nonexistent/bundle.tar"]).0, 2);
}
