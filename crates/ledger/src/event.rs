//! The canonical event encoding: one fixed byte layout per event, so that its leaf hash is reproducible by
//! anyone. `FORMAT.md` describes it byte by byte.

use crate::error::Error;
use crate::merkle;
use sha2::{Digest, Sha256};

/// The leading byte of every encoded event. A new layout gets a new number; old events keep theirs.
pub const FORMAT_VERSION: u8 = 1;

/// The largest event encoding a bundle carries. Events are a few hundred bytes; the cap lets the verifier refuse
/// a hostile length prefix before allocating anything.
pub const MAX_EVENT_LEN: usize = 1 << 20;

const TAG_SHA256: u8 = 0x01;
const TAG_TOMBSTONE: u8 = 0x02;

/// The hash of an object's state after the change, or a tombstone when the change deleted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateHash {
    /// SHA-256 of the object's canonical state (see [`state_hash`]).
    Sha256([u8; 32]),
    /// The object no longer exists.
    Tombstone,
}

/// One change to one object, as the ledger records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Position in the organisation's log: 1-based and gapless. The Merkle leaf index is `seq - 1`.
    pub seq: u64,
    /// When the change was committed, in Unix seconds (UTC).
    pub time: i64,
    /// The organisation (its log's identity).
    pub org: String,
    /// Who made the change.
    pub actor: String,
    /// The role the actor acted in.
    pub role: String,
    /// What was done, e.g. `policy.approve`.
    pub action: String,
    /// The kind of object changed, e.g. `policy`.
    pub object_type: String,
    /// The changed object's id.
    pub object_id: String,
    /// The object's state after the change.
    pub state: StateHash,
    /// The request that made the change, to correlate with application logs.
    pub request_id: String,
}

/// SHA-256 of an object's canonical state bytes: the value to put in [`StateHash::Sha256`]. It is the plain
/// SHA-256, so an auditor holding the state can check it with any tool.
pub fn state_hash(canonical_state: &[u8]) -> [u8; 32] {
    Sha256::digest(canonical_state).into()
}

impl Event {
    /// The canonical encoding (see `FORMAT.md`).
    ///
    /// # Panics
    /// If a string field is longer than `u32::MAX` bytes, which no real event is.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode_into(&mut out);
        out
    }

    /// Appends the canonical encoding to `out`, so that a writer can reuse one buffer for many events.
    ///
    /// # Panics
    /// If a string field is longer than `u32::MAX` bytes.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.time.to_be_bytes());
        for field in [&self.org, &self.actor, &self.role, &self.action, &self.object_type, &self.object_id] {
            put_str(out, field);
        }
        match &self.state {
            StateHash::Sha256(hash) => {
                out.push(TAG_SHA256);
                out.extend_from_slice(hash);
            }
            StateHash::Tombstone => out.push(TAG_TOMBSTONE),
        }
        put_str(out, &self.request_id);
    }

    /// Decodes a canonical encoding, refusing anything [`Event::encode`] would not have produced.
    pub fn decode(bytes: &[u8]) -> Result<Event, Error> {
        EventView::parse(bytes).map(|view| view.to_event())
    }

    /// The Merkle leaf hash: SHA-256(0x00 ‖ encode()).
    pub fn leaf_hash(&self) -> [u8; 32] {
        merkle::leaf_hash(&self.encode())
    }

    fn encoded_len(&self) -> usize {
        let strings = [&self.org, &self.actor, &self.role, &self.action, &self.object_type, &self.object_id];
        let state = match self.state {
            StateHash::Sha256(_) => 33,
            StateHash::Tombstone => 1,
        };
        1 + 8 + 8 + strings.iter().map(|s| 4 + s.len()).sum::<usize>() + state + 4 + self.request_id.len()
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    let len = u32::try_from(s.len()).expect("an event field longer than 4 GiB");
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// A decoded event borrowing its strings from the input: the verifier checks a million events without
/// allocating for each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventView<'a> {
    pub seq: u64,
    pub time: i64,
    pub org: &'a str,
    pub actor: &'a str,
    pub role: &'a str,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub state: StateHash,
    pub request_id: &'a str,
}

impl<'a> EventView<'a> {
    /// Parses and validates an encoding; every check of [`Event::decode`] happens here.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        let mut r = Cursor { rest: bytes };
        let version = r.u8("version")?;
        if version != FORMAT_VERSION {
            return Err(Error::UnknownVersion(version));
        }
        let seq = u64::from_be_bytes(r.array("seq")?);
        let time = i64::from_be_bytes(r.array("time")?);
        let org = r.str("org")?;
        let actor = r.str("actor")?;
        let role = r.str("role")?;
        let action = r.str("action")?;
        let object_type = r.str("object_type")?;
        let object_id = r.str("object_id")?;
        let state = match r.u8("state tag")? {
            TAG_SHA256 => StateHash::Sha256(r.array("state hash")?),
            TAG_TOMBSTONE => StateHash::Tombstone,
            tag => return Err(Error::BadStateTag(tag)),
        };
        let request_id = r.str("request_id")?;
        if !r.rest.is_empty() {
            return Err(Error::TrailingBytes { count: r.rest.len() });
        }
        Ok(EventView { seq, time, org, actor, role, action, object_type, object_id, state, request_id })
    }

    pub fn to_event(self) -> Event {
        Event {
            seq: self.seq,
            time: self.time,
            org: self.org.to_owned(),
            actor: self.actor.to_owned(),
            role: self.role.to_owned(),
            action: self.action.to_owned(),
            object_type: self.object_type.to_owned(),
            object_id: self.object_id.to_owned(),
            state: self.state,
            request_id: self.request_id.to_owned(),
        }
    }
}

/// Reads fields off the front of a slice, checking every length against what remains before using it.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], Error> {
        if self.rest.len() < n {
            return Err(Error::Truncated { field });
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn u8(&mut self, field: &'static str) -> Result<u8, Error> {
        Ok(self.take(1, field)?[0])
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], Error> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    fn str(&mut self, field: &'static str) -> Result<&'a str, Error> {
        let len = u32::from_be_bytes(self.array(field)?);
        // Compare as u64 so the check cannot wrap on any platform.
        if u64::from(len) > self.rest.len() as u64 {
            return Err(Error::LengthOutOfRange { field, len: len.into(), remaining: self.rest.len() });
        }
        let bytes = self.take(len as usize, field)?;
        std::str::from_utf8(bytes).map_err(|_| Error::BadUtf8 { field })
    }
}

#[cfg(test)]
mod tests;
