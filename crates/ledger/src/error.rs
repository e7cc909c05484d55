//! The crate's two error types: [`Error`] for encoding, parsing, signing and writing, and [`VerifyError`] for
//! the verdict of [`crate::verify_bundle`].

use std::io;

/// Why ledger data could not be decoded, parsed, signed or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input ended inside `field`.
    #[error("truncated: the input ends inside {field}")]
    Truncated {
        /// The field being read.
        field: &'static str,
    },
    /// A length prefix claims more bytes than remain in the input.
    #[error("{field} claims {len} bytes but only {remaining} remain")]
    LengthOutOfRange {
        /// The field whose length prefix is wrong.
        field: &'static str,
        /// The claimed length.
        len: u64,
        /// The bytes left in the input.
        remaining: usize,
    },
    /// Bytes follow the last field of an event.
    #[error("{count} unexpected bytes after the end of the event")]
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// The event's leading version byte is not one this crate knows.
    #[error("unknown event format version {0}")]
    UnknownVersion(u8),
    /// The state-hash tag is neither 0x01 (SHA-256) nor 0x02 (tombstone).
    #[error("unknown state tag {0:#04x}")]
    BadStateTag(u8),
    /// A string field is not valid UTF-8.
    #[error("{field} is not valid UTF-8")]
    BadUtf8 {
        /// The field.
        field: &'static str,
    },
    /// An encoded [`crate::Frontier`] is malformed.
    #[error("malformed frontier: {0}")]
    BadFrontier(&'static str),
    /// A key name is empty or contains a space, a `+` or a control character.
    #[error("invalid key name {0:?}: it must be non-empty, without spaces, '+' or control characters")]
    BadKeyName(String),
    /// A verifier key's text form is malformed.
    #[error("malformed verifier key: {0}")]
    BadVerifierKey(&'static str),
    /// A signed note's text is malformed.
    #[error("malformed signed note: {0}")]
    MalformedNote(&'static str),
    /// A checkpoint body is malformed.
    #[error("malformed checkpoint: {0}")]
    MalformedCheckpoint(&'static str),
    /// No signature in the note is by one of the given keys.
    #[error("the note carries no signature by a known key")]
    NoKnownSignature,
    /// A signature line names a known key but its signature does not verify.
    #[error("the signature by known key {key} does not verify")]
    BadSignature {
        /// The key's name.
        key: String,
    },
    /// The operating system's random source failed.
    #[error("the operating system's random source failed: {0}")]
    Random(String),
    /// An event's encoding exceeds [`crate::MAX_EVENT_LEN`].
    #[error("event {seq} encodes to {len} bytes, more than the {max} a bundle accepts")]
    EventTooLarge {
        /// The event's seq.
        seq: u64,
        /// Its encoded length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The bundle writer was used out of order or given inconsistent data.
    #[error("bundle: {0}")]
    Bundle(String),
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Why a bundle failed verification. Each variant names the first problem found: the seq of the first bad event,
/// the size of the first bad checkpoint or the SHA-256 of the first bad evidence file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The bundle could not be read (an I/O error, not a property of the bundle).
    #[error("cannot read the bundle: {0}")]
    Io(io::Error),
    /// The bundle is not a well-formed bundle (container, entry names, manifest, note syntax …).
    #[error("malformed bundle: {0}")]
    Malformed(String),
    /// The event record in position `seq` cannot be decoded or is internally inconsistent.
    #[error("event {seq} is bad: {reason}")]
    BadEvent {
        /// The seq the record should carry (its position in the log).
        seq: u64,
        /// What is wrong.
        reason: String,
    },
    /// The events are not numbered 1, 2, 3 …: an event is missing, inserted or moved.
    #[error("events out of sequence: expected seq {expected}, found seq {found}")]
    Gap {
        /// The seq that should come next.
        expected: u64,
        /// The seq found instead.
        found: u64,
    },
    /// Event `seq` differs from the event the checkpoint of size `size` signed. The bundle's per-event leaf
    /// hashes matched that signed root, which pins the change to this event.
    #[error("event {seq} was altered after it was signed (it does not match the checkpoint of size {size})")]
    EditedEvent {
        /// The altered event.
        seq: u64,
        /// The checkpoint that exposes it.
        size: u64,
    },
    /// The events `first..=size` do not hash to the root signed by the checkpoint of size `size`; the earlier
    /// checkpoints matched, so the change lies in that range.
    #[error(
        "the root of events 1..={size} differs from the signed checkpoint of size {size}: one of events {first}..={size} was altered"
    )]
    RootMismatch {
        /// The checkpoint's size.
        size: u64,
        /// The first event not covered by an earlier, matching checkpoint.
        first: u64,
    },
    /// The checkpoint of size `size` carries a signature line by its key that does not verify.
    #[error("the checkpoint of size {size} has an invalid signature")]
    BadSignature {
        /// The checkpoint's size.
        size: u64,
    },
    /// The checkpoint of size `size` is not signed by a trusted key valid at that size.
    #[error("the checkpoint of size {size} is not signed by a trusted key valid at that size")]
    UnknownKey {
        /// The checkpoint's size.
        size: u64,
    },
    /// The key that signs from `from_seq` on was neither pinned nor handed over by its predecessor.
    #[error("the key that signs from seq {from_seq} is not trusted: {reason}")]
    KeyNotHandedOver {
        /// The key's first seq.
        from_seq: u64,
        /// What is missing.
        reason: String,
    },
    /// The bundle is shorter than the trusted checkpoint: history was rolled back.
    #[error("rollback: the trusted checkpoint has {trusted_size} events but the bundle only {bundle_size}")]
    Rollback {
        /// The trusted checkpoint's size.
        trusted_size: u64,
        /// The bundle's size.
        bundle_size: u64,
    },
    /// The trusted checkpoint's root differs from the bundle's events at its size: history was rewritten.
    #[error(
        "the trusted checkpoint of size {old_size} is not consistent with the bundle of size {new_size}: history was rewritten"
    )]
    Inconsistent {
        /// The trusted checkpoint's size.
        old_size: u64,
        /// The bundle's size.
        new_size: u64,
    },
    /// The trusted checkpoint could not be opened or belongs to another log.
    #[error("the trusted checkpoint is unusable: {0}")]
    TrustedCheckpoint(String),
    /// The bundle holds no checkpoint at all.
    #[error("the bundle holds no signed checkpoint")]
    NoCheckpoint,
    /// Events follow the last checkpoint; an export always signs the whole log.
    #[error("the bundle has {events} events but its last checkpoint covers only {size}")]
    Uncovered {
        /// Events in the bundle.
        events: u64,
        /// The last checkpoint's size.
        size: u64,
    },
    /// A checkpoint covers more events than the bundle holds: events were cut off the end.
    #[error("the checkpoint of size {size} covers more events than the {events} in the bundle")]
    MissingEvents {
        /// The checkpoint's size.
        size: u64,
        /// Events in the bundle.
        events: u64,
    },
    /// An evidence file does not match its name or the manifest.
    #[error("evidence file {sha256}: {problem}")]
    EvidenceMismatch {
        /// The file's name (its claimed SHA-256, hex).
        sha256: String,
        /// What is wrong.
        problem: &'static str,
    },
}

impl VerifyError {
    /// Maps a read error: a premature end of input is a property of the bundle, anything else is I/O.
    pub(crate) fn from_io(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            VerifyError::Malformed("the bundle is truncated".into())
        } else {
            VerifyError::Io(e)
        }
    }
}
