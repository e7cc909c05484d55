//! Mandate's tamper-evident ledger.
//!
//! Every change a customer makes is appended to a per-organisation log of [`Event`]s. The log is an RFC 9162
//! Merkle tree ([`merkle`]); its heads are published as C2SP checkpoints signed with Ed25519 ([`Checkpoint`],
//! [`Signer`], [`VerifierKey`]); an export is a tar bundle ([`BundleWriter`]) that an auditor checks offline with
//! [`verify_bundle`] or the `ledger-verify` binary.
//!
//! The crate has no database, no async and few dependencies so that an auditor can build and run the verifier
//! alone. `FORMAT.md` beside this crate documents every byte, so that anyone can write an independent verifier.
//!
//! Nothing reachable from decoding or verification panics: untrusted input only ever produces an error.

mod bundle;
mod checkpoint;
mod error;
mod event;
mod keys;
mod manifest;
pub mod merkle;
mod note;
mod report;
mod scan;
mod tar_reader;
mod verify;

pub use bundle::{BundleWriter, EvidenceEntry};
pub use checkpoint::{Checkpoint, open};
pub use error::{Error, VerifyError};
pub use event::{Event, FORMAT_VERSION, MAX_EVENT_LEN, StateHash, state_hash};
pub use keys::{KEY_OBJECT_TYPE, KEY_ROTATION_ACTION, Signer, VerifierKey};
pub use merkle::Frontier;
pub use report::Report;
pub use verify::verify_bundle;
