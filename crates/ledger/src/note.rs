//! C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures: the envelope of every checkpoint.

use crate::error::Error;
use crate::keys::{Signer, VerifierKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// The signature type byte of Ed25519 in key ids and verifier keys.
pub(crate) const ED25519: u8 = 0x01;

/// Notes with more signature lines are refused (the spec asks verifiers to accept at least 16).
const MAX_SIGNATURES: usize = 100;

/// The prefix of every signature line: em dash (U+2014) and a space.
const SIG_PREFIX: &str = "\u{2014} ";

/// Key names are non-empty, without Unicode spaces or `+` (the spec), and without control characters (which a
/// note may not contain anyway).
pub(crate) fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+' || c.is_control())
}

/// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), first four bytes big-endian.
pub(crate) fn key_id(name: &str, public_key: &[u8; 32]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', ED25519]);
    h.update(public_key);
    let digest: [u8; 32] = h.finalize().into();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// Whether `text` may appear in a note: no ASCII control characters other than newline.
pub(crate) fn has_only_note_chars(text: &str) -> bool {
    !text.bytes().any(|b| b < 0x20 && b != b'\n')
}

/// Signs `text` (which must end in a newline and obey the note rules) and returns the whole note.
pub(crate) fn sign(text: &str, signer: &Signer) -> String {
    let signature = signer.sign_bytes(text.as_bytes());
    let mut blob = Vec::with_capacity(68);
    blob.extend_from_slice(&signer.verifier_key().key_id().to_be_bytes());
    blob.extend_from_slice(&signature);
    format!("{text}\n{SIG_PREFIX}{} {}\n", signer.verifier_key().name(), STANDARD.encode(blob))
}

/// Verifies `note` against `keys` and returns its text. Lines by unknown keys are ignored; a line by a known key
/// (same name *and* id) must verify; at least one must.
pub(crate) fn open<'a>(note: &'a str, keys: &[VerifierKey]) -> Result<&'a str, Error> {
    if !has_only_note_chars(note) {
        return Err(Error::MalformedNote("contains a control character"));
    }
    if !note.ends_with('\n') {
        return Err(Error::MalformedNote("does not end with a newline"));
    }
    // The text ends at the last blank line; the text keeps its final newline.
    let split = note.rfind("\n\n").ok_or(Error::MalformedNote("no blank line before the signatures"))?;
    let (text, signatures) = (&note[..=split], &note[split + 2..]);
    if signatures.is_empty() {
        return Err(Error::MalformedNote("no signature lines"));
    }
    let mut verified: Vec<&VerifierKey> = Vec::new();
    for (count, line) in signatures.split_terminator('\n').enumerate() {
        if count >= MAX_SIGNATURES {
            return Err(Error::MalformedNote("too many signature lines"));
        }
        let line = line.strip_prefix(SIG_PREFIX).ok_or(Error::MalformedNote("a signature line lacks '— '"))?;
        let (name, b64) = line.split_once(' ').ok_or(Error::MalformedNote("a signature line lacks its signature"))?;
        if !is_valid_key_name(name) {
            return Err(Error::MalformedNote("a signature line has an invalid key name"));
        }
        let blob = STANDARD.decode(b64).map_err(|_| Error::MalformedNote("a signature is not base64"))?;
        let Some((id, signature)) = blob.split_first_chunk::<4>() else {
            return Err(Error::MalformedNote("a signature is shorter than its key id"));
        };
        if signature.is_empty() {
            return Err(Error::MalformedNote("a signature line carries no signature"));
        }
        let id = u32::from_be_bytes(*id);
        let Some(key) = keys.iter().find(|k| k.name() == name && k.key_id() == id) else { continue };
        if verified.contains(&key) {
            return Err(Error::MalformedNote("two signature lines by the same key"));
        }
        let signature: &[u8; 64] = signature.try_into().map_err(|_| Error::BadSignature { key: name.to_string() })?;
        if !key.verify(text.as_bytes(), signature) {
            return Err(Error::BadSignature { key: name.to_string() });
        }
        verified.push(key);
    }
    if verified.is_empty() {
        return Err(Error::NoKnownSignature);
    }
    Ok(text)
}

#[cfg(test)]
mod tests;
