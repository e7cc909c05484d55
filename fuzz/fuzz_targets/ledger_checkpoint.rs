//! The checkpoint note parser and the verifier-key parser on arbitrary text, and on an honestly signed note with
//! bytes overwritten: errors, never panics; a note that opens is signed by the trusted key over exactly the
//! checkpoint it names.
#![no_main]

use ledger::{Checkpoint, Signer};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn signer() -> &'static Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER.get_or_init(|| Signer::from_secret("fuzz.mandate.test", [7; 32]))
}

fn honest() -> &'static Checkpoint {
    static CHECKPOINT: OnceLock<Checkpoint> = OnceLock::new();
    CHECKPOINT.get_or_init(|| Checkpoint { origin: "mandate-fuzz/acme".into(), size: 1234, root: [9; 32] })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let note = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        let mut note = signer().sign(honest()).into_bytes();
        for pair in rest.chunks_exact(2) {
            let at = usize::from(pair[0]) % note.len();
            note[at] = pair[1];
        }
        note
    };
    let Ok(text) = std::str::from_utf8(&note) else { return };
    let _ = ledger::VerifierKey::parse(text.trim());
    let key = signer().verifier_key();
    if let Ok(checkpoint) = ledger::open(text, std::slice::from_ref(&key)) {
        let body = checkpoint.body().expect("an opened checkpoint has a valid body");
        assert!(text.starts_with(&body), "the signed body is the start of the note");
        // Only the fuzzer's honest checkpoint was ever signed with this key.
        assert_eq!(&checkpoint, honest(), "a forged checkpoint opened: {text:?}");
    }
});
