//! C2SP checkpoints (c2sp.org/tlog-checkpoint): the signed statement "log `origin` has `size` leaves with root
//! `root`".

use crate::error::Error;
use crate::keys::VerifierKey;
use crate::note;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A tree head: the log's identity, its size and its Merkle root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity, e.g. `mandate-1a2b3c4d/acme`.
    pub origin: String,
    /// The number of leaves (events).
    pub size: u64,
    /// The RFC 9162 root of those leaves.
    pub root: [u8; 32],
}

impl Checkpoint {
    /// The note text: `origin\nsize\nbase64(root)\n`. Fails for an origin that is empty or contains a control
    /// character.
    pub fn body(&self) -> Result<String, Error> {
        if self.origin.is_empty() || self.origin.chars().any(char::is_control) {
            return Err(Error::MalformedCheckpoint("the origin must be non-empty, without control characters"));
        }
        Ok(format!("{}\n{}\n{}\n", self.origin, self.size, STANDARD.encode(self.root)))
    }

    /// Parses a note text written by [`Checkpoint::body`]. Extension lines are refused: Mandate writes none, and
    /// nothing may ride along under a signature unchecked.
    pub(crate) fn parse_body(text: &str) -> Result<Checkpoint, Error> {
        let mut lines = text.split_terminator('\n');
        let (Some(origin), Some(size), Some(root), None) = (lines.next(), lines.next(), lines.next(), lines.next())
        else {
            return Err(Error::MalformedCheckpoint("expected exactly three lines: origin, size, root"));
        };
        if !text.ends_with('\n') || origin.is_empty() || origin.chars().any(char::is_control) {
            return Err(Error::MalformedCheckpoint("bad origin line"));
        }
        let canonical = size == "0" || (!size.starts_with('0') && !size.is_empty());
        if !canonical || !size.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::MalformedCheckpoint("the size is not a canonical decimal number"));
        }
        let size = size.parse().map_err(|_| Error::MalformedCheckpoint("the size does not fit in 64 bits"))?;
        let root = STANDARD.decode(root).map_err(|_| Error::MalformedCheckpoint("the root is not base64"))?;
        let root = root.try_into().map_err(|_| Error::MalformedCheckpoint("the root is not 32 bytes"))?;
        Ok(Checkpoint { origin: origin.to_string(), size, root })
    }

    /// Reads the checkpoint in `note` without checking any signature, to learn which key must have signed it.
    pub(crate) fn parse_unverified(note: &str) -> Result<Checkpoint, Error> {
        let split = note.rfind("\n\n").ok_or(Error::MalformedNote("no blank line before the signatures"))?;
        Checkpoint::parse_body(&note[..=split])
    }
}

/// Opens a signed checkpoint note: at least one signature must be by one of `keys` and verify. Signature lines by
/// other keys are ignored; a line by a known key that does not verify is an error; malformed text is an error.
pub fn open(note: &str, keys: &[VerifierKey]) -> Result<Checkpoint, Error> {
    Checkpoint::parse_body(note::open(note, keys)?)
}
