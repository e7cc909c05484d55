use super::*;
use crate::checkpoint::{Checkpoint, open as open_checkpoint};

// The example key and note of Go's golang.org/x/mod/sumdb/note, the reference implementation of signed notes.
const GO_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_SKEY_B64: &str = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_TEXT: &str =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

fn go_signer() -> Signer {
    let raw = STANDARD.decode(GO_SKEY_B64).unwrap();
    assert_eq!(raw[0], ED25519);
    Signer::from_secret("PeterNeumann", raw[1..].try_into().unwrap())
}

fn go_note() -> String {
    format!("{GO_TEXT}\n{GO_SIG}")
}

#[test]
fn reproduces_the_reference_key_and_signature_byte_for_byte() {
    let signer = go_signer();
    assert_eq!(signer.verifier_key().to_string(), GO_VKEY);
    assert_eq!(signer.verifier_key().key_id(), 0xc74f20a3);
    assert_eq!(sign(GO_TEXT, &signer), go_note());
    let key = VerifierKey::parse(GO_VKEY).unwrap();
    assert_eq!(open(&go_note(), &[key]).unwrap(), GO_TEXT);
}

#[test]
fn verifier_key_manglings_are_refused() {
    assert!(VerifierKey::parse(GO_VKEY).is_ok());
    let bytes = GO_VKEY.as_bytes();
    for i in 0..=bytes.len() {
        for j in i + 1..=bytes.len() {
            if (i, j) != (0, bytes.len()) {
                let part = std::str::from_utf8(&bytes[i..j]).unwrap();
                assert!(VerifierKey::parse(part).is_err(), "accepted {part:?}");
            }
        }
    }
    for i in 0..bytes.len() {
        let mut changed = bytes.to_vec();
        changed[i] = changed[i].wrapping_add(1);
        if let Ok(text) = std::str::from_utf8(&changed) {
            assert!(VerifierKey::parse(text).is_err(), "accepted {text:?}");
        }
    }
    assert!(VerifierKey::parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").is_err());
}

#[test]
fn key_names_follow_the_spec() {
    assert!(is_valid_key_name("mandate-1a2b3c4d"));
    assert!(is_valid_key_name("example.com/log"));
    for bad in ["", "a b", "a+b", "a\nb", "a\u{2003}b"] {
        assert!(!is_valid_key_name(bad), "{bad:?}");
        assert!(Signer::try_from_secret(bad, [1; 32]).is_err());
    }
}

#[test]
fn signer_round_trips_its_secret_and_hides_it() {
    let signer = Signer::try_generate("mandate-test").unwrap();
    let again = Signer::from_secret("mandate-test", signer.secret_bytes());
    assert_eq!(again.verifier_key(), signer.verifier_key());
    assert!(!format!("{signer:?}").contains(&hex::encode(signer.secret_bytes())));
    assert_ne!(Signer::generate("mandate-test").secret_bytes(), signer.secret_bytes());
}

fn checkpoint() -> Checkpoint {
    Checkpoint { origin: "mandate-test/acme".into(), size: 42, root: [7; 32] }
}

#[test]
fn checkpoint_notes_round_trip() {
    let signer = Signer::from_secret("mandate-test", [1; 32]);
    let note = signer.sign(&checkpoint());
    assert!(
        note.starts_with(
            "mandate-test/acme\n42\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n\n\u{2014} mandate-test "
        )
    );
    assert_eq!(open_checkpoint(&note, &[signer.verifier_key()]).unwrap(), checkpoint());
    let empty = Checkpoint { size: 0, ..checkpoint() };
    assert_eq!(open_checkpoint(&signer.sign(&empty), &[signer.verifier_key()]).unwrap(), empty);
}

#[test]
fn unknown_keys_are_ignored_and_known_bad_signatures_refused() {
    let ours = Signer::from_secret("mandate-test", [1; 32]);
    let witness = Signer::from_secret("witness.example", [2; 32]);
    let note = ours.sign(&checkpoint());
    // A second signature line by a key the verifier does not know is ignored.
    let witnessed = format!("{note}{}", sign(&checkpoint().body().unwrap(), &witness).lines().last().unwrap());
    let witnessed = format!("{witnessed}\n");
    assert_eq!(open_checkpoint(&witnessed, &[ours.verifier_key()]).unwrap(), checkpoint());
    assert_eq!(open_checkpoint(&witnessed, &[witness.verifier_key()]).unwrap(), checkpoint());
    // Only unknown keys: refused.
    assert!(matches!(open_checkpoint(&note, &[witness.verifier_key()]), Err(Error::NoKnownSignature)));
    // Same name, other key (so other id): unknown, not bad.
    let impostor = Signer::from_secret("mandate-test", [3; 32]);
    assert!(matches!(open_checkpoint(&note, &[impostor.verifier_key()]), Err(Error::NoKnownSignature)));
    // A known key whose signature does not verify.
    let forged = note.replace("\n42\n", "\n43\n");
    assert!(matches!(open_checkpoint(&forged, &[ours.verifier_key()]), Err(Error::BadSignature { .. })));
    // The same key twice.
    let twice = format!("{note}{}\n", note.lines().last().unwrap());
    assert!(open_checkpoint(&twice, &[ours.verifier_key()]).is_err());
}

#[test]
fn malformed_notes_are_refused() {
    let signer = Signer::from_secret("mandate-test", [1; 32]);
    let keys = [signer.verifier_key()];
    let note = signer.sign(&checkpoint());
    let sig_line = note.lines().last().unwrap();
    let body = checkpoint().body().unwrap();
    let cases = [
        String::new(),
        body.clone(),
        format!("{body}\n"),
        note.trim_end().to_string(),
        note.replace('\u{2014}', "-"),
        note.replace("\n\n", "\n"),
        format!("{body}\n{}\n", sig_line.replace(' ', "  ")),
        format!("x\r\n{note}"),
        format!("extra\n{note}"),
        note.replace("\n42\n", "\n042\n"),
        note.replace("\n42\n", "\n+42\n"),
        note.replace("\n42\n", "\n\n"),
        note.replace("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "BwcH"),
    ];
    for case in cases {
        assert!(open_checkpoint(&case, &keys).is_err(), "accepted {case:?}");
    }
    let extension = Checkpoint { origin: "a\nb".into(), ..checkpoint() };
    assert!(signer.try_sign(&extension).is_err());
    assert!(signer.try_sign(&Checkpoint { origin: String::new(), ..checkpoint() }).is_err());
}
