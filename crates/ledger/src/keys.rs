//! Checkpoint signing keys: the private [`Signer`] kept in the data directory and the public [`VerifierKey`]
//! auditors pin, in the signed-note text form `<name>+<8 hex key id>+<base64(0x01 ‖ public key)>`.

use crate::checkpoint::Checkpoint;
use crate::error::Error;
use crate::note::{self, ED25519, is_valid_key_name, key_id};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use std::fmt;
use std::str::FromStr;

/// The `action` of the event that records a key rotation. The event's `object_type` is [`KEY_OBJECT_TYPE`] and
/// its `object_id` the new key's text form; it must be the event just before the new key's first seq, and a
/// checkpoint of exactly that size must be signed by the old key (see `FORMAT.md`, "Key history").
pub const KEY_ROTATION_ACTION: &str = "ledger.key_rotated";

/// The `object_type` of a key-rotation event.
pub const KEY_OBJECT_TYPE: &str = "ledger_key";

/// A public checkpoint key: name, key id and Ed25519 public key.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl VerifierKey {
    /// Parses `<name>+<8 lowercase hex key id>+<base64(0x01 ‖ 32-byte public key)>`. The id must match the name
    /// and key, and the text must be canonical, so that `parse(s)?.to_string() == s`.
    pub fn parse(text: &str) -> Result<VerifierKey, Error> {
        let (name, rest) = text.split_once('+').ok_or(Error::BadVerifierKey("expected name+id+key"))?;
        let (id_hex, key_b64) = rest.split_once('+').ok_or(Error::BadVerifierKey("expected name+id+key"))?;
        if !is_valid_key_name(name) {
            return Err(Error::BadVerifierKey("invalid key name"));
        }
        if id_hex.len() != 8 || !id_hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(Error::BadVerifierKey("the key id must be 8 lowercase hex digits"));
        }
        let id = u32::from_str_radix(id_hex, 16).map_err(|_| Error::BadVerifierKey("bad key id"))?;
        let raw = STANDARD.decode(key_b64).map_err(|_| Error::BadVerifierKey("the key is not base64"))?;
        let Some((&ED25519, public)) = raw.split_first() else {
            return Err(Error::BadVerifierKey("not an Ed25519 key (type byte 0x01)"));
        };
        let public: &[u8; 32] = public.try_into().map_err(|_| Error::BadVerifierKey("the key is not 32 bytes"))?;
        let key = VerifyingKey::from_bytes(public).map_err(|_| Error::BadVerifierKey("not an Ed25519 point"))?;
        if key.is_weak() {
            return Err(Error::BadVerifierKey("a small-order key"));
        }
        if key_id(name, public) != id {
            return Err(Error::BadVerifierKey("the key id does not match the name and key"));
        }
        Ok(VerifierKey { name: name.to_string(), id, key })
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id: the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), big-endian.
    pub fn key_id(&self) -> u32 {
        self.id
    }

    /// The raw Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// Strict Ed25519 verification (rejects non-canonical and small-order encodings).
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.key.verify_strict(message, &Signature::from_bytes(signature)).is_ok()
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = [0u8; 33];
        raw[0] = ED25519;
        raw[1..].copy_from_slice(self.key.as_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.id, STANDARD.encode(raw))
    }
}

impl fmt::Debug for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifierKey({self})")
    }
}

impl FromStr for VerifierKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        VerifierKey::parse(s)
    }
}

/// A private checkpoint key. Its `Debug` form shows only the public half.
pub struct Signer {
    signing: SigningKey,
    verifier: VerifierKey,
}

impl Signer {
    /// A signer from a 32-byte Ed25519 secret (seed) and a key name.
    ///
    /// # Panics
    /// If `name` is not a valid key name (empty, or containing a space, `+` or a control character); use
    /// [`Signer::try_from_secret`] for names that are not known to be valid.
    pub fn from_secret(name: &str, secret: [u8; 32]) -> Signer {
        match Signer::try_from_secret(name, secret) {
            Ok(signer) => signer,
            Err(e) => panic!("{e}"),
        }
    }

    /// A signer from a 32-byte Ed25519 secret, refusing an invalid key name.
    pub fn try_from_secret(name: &str, secret: [u8; 32]) -> Result<Signer, Error> {
        if !is_valid_key_name(name) {
            return Err(Error::BadKeyName(name.to_string()));
        }
        let signing = SigningKey::from_bytes(&secret);
        let public = signing.verifying_key();
        let verifier = VerifierKey { name: name.to_string(), id: key_id(name, public.as_bytes()), key: public };
        Ok(Signer { signing, verifier })
    }

    /// A new random signer (the secret comes from the operating system).
    ///
    /// # Panics
    /// If `name` is invalid or the operating system's random source fails; see [`Signer::try_generate`].
    pub fn generate(name: &str) -> Signer {
        match Signer::try_generate(name) {
            Ok(signer) => signer,
            Err(e) => panic!("{e}"),
        }
    }

    /// A new random signer, reporting an invalid name or a failing random source.
    pub fn try_generate(name: &str) -> Result<Signer, Error> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| Error::Random(e.to_string()))?;
        Signer::try_from_secret(name, secret)
    }

    /// The 32-byte secret, to store in the key file.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }

    /// The public half, for auditors to pin.
    pub fn verifier_key(&self) -> VerifierKey {
        self.verifier.clone()
    }

    /// Signs `checkpoint` and returns the whole signed note.
    ///
    /// # Panics
    /// If the origin is empty or contains a control character (a newline would let the origin forge the
    /// following lines); see [`Signer::try_sign`].
    pub fn sign(&self, checkpoint: &Checkpoint) -> String {
        match self.try_sign(checkpoint) {
            Ok(note) => note,
            Err(e) => panic!("{e}"),
        }
    }

    /// Signs `checkpoint`, refusing an origin that cannot be written in a note.
    pub fn try_sign(&self, checkpoint: &Checkpoint) -> Result<String, Error> {
        Ok(note::sign(&checkpoint.body()?, self))
    }

    pub(crate) fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer as _;
        self.signing.sign(message).to_bytes()
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer").field("key", &self.verifier.to_string()).finish_non_exhaustive()
    }
}
