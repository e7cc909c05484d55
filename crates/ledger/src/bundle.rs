//! The export bundle's layout and its streaming writer. `FORMAT.md` ("Bundle") is the normative description.

use crate::checkpoint::Checkpoint;
use crate::error::Error;
use crate::event::{Event, MAX_EVENT_LEN};
use crate::keys::VerifierKey;
use crate::manifest::{KeyStart, ListedEvidence, Manifest};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::{self, Read, Write};

pub(crate) const MANIFEST_NAME: &str = "manifest.json";
pub(crate) const EVENTS_DIR: &str = "events/";
pub(crate) const CHECKPOINTS_DIR: &str = "checkpoints/";
pub(crate) const EVIDENCE_DIR: &str = "evidence/";

/// An events chunk is written once its buffer passes this size, so the writer's memory stays flat.
const CHUNK_TARGET: usize = 8 << 20;

/// `dir` followed by `n` as 20 zero-padded decimal digits (every u64 fits), so names sort in numeric order.
pub(crate) fn numbered_name(dir: &str, n: u64) -> String {
    format!("{dir}{n:020}")
}

/// The one header the bundle uses for an entry: POSIX ustar, regular file, mode 0644, owner 0:0, mtime 0, no user
/// or group names. The verifier rebuilds it and compares all 512 bytes, so no header byte goes unchecked.
pub(crate) fn canonical_header(name: &str, size: u64) -> io::Result<tar::Header> {
    let mut header = tar::Header::new_ustar();
    header.set_path(name)?;
    header.set_size(size);
    header.set_mode(0o644);
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    Ok(header)
}

/// Metadata of one evidence file, listed in the bundle's manifest next to its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceEntry {
    /// The application's id for the evidence.
    pub id: String,
    /// SHA-256 of the file's bytes; also its name in the bundle (`evidence/<hex>`).
    pub sha256: [u8; 32],
    /// The name the file was uploaded under (descriptive only).
    pub filename: String,
    /// Its media type, e.g. `application/pdf` (descriptive only).
    pub media_type: String,
}

/// Writes an export bundle to `W` as a stream: events, evidence, checkpoints and keys may be added in any order
/// (events in seq order), and memory stays bounded by one events chunk plus the checkpoint notes and metadata.
/// After an error the bundle is incomplete: discard it.
pub struct BundleWriter<W: Write> {
    tar: tar::Builder<W>,
    chunk: Vec<u8>,
    chunk_first_seq: u64,
    next_seq: u64,
    checkpoints: Vec<String>,
    last_checkpoint_size: u64,
    keys: Vec<KeyStart>,
    evidence: Vec<ListedEvidence>,
    evidence_files: HashSet<[u8; 32]>,
    scratch: Vec<u8>,
}

impl<W: Write> BundleWriter<W> {
    /// Starts a bundle on `out` (wrap files in a `BufWriter`).
    pub fn new(out: W) -> Result<Self, Error> {
        Ok(BundleWriter {
            tar: tar::Builder::new(out),
            chunk: Vec::new(),
            chunk_first_seq: 1,
            next_seq: 1,
            checkpoints: Vec::new(),
            last_checkpoint_size: 0,
            keys: Vec::new(),
            evidence: Vec::new(),
            evidence_files: HashSet::new(),
            scratch: Vec::new(),
        })
    }

    /// Adds the next event; events must come in seq order starting at 1.
    pub fn add_event(&mut self, event: &Event) -> Result<(), Error> {
        if event.seq != self.next_seq {
            return Err(Error::Bundle(format!("expected event {} next, got {}", self.next_seq, event.seq)));
        }
        self.scratch.clear();
        event.encode_into(&mut self.scratch);
        if self.scratch.len() > MAX_EVENT_LEN {
            return Err(Error::EventTooLarge { seq: event.seq, len: self.scratch.len(), max: MAX_EVENT_LEN });
        }
        // The length fits in u32: it is at most MAX_EVENT_LEN.
        self.chunk.extend_from_slice(&(self.scratch.len() as u32).to_be_bytes());
        self.chunk.extend_from_slice(&self.scratch);
        self.chunk.extend_from_slice(&crate::merkle::leaf_hash(&self.scratch));
        self.next_seq += 1;
        if self.chunk.len() >= CHUNK_TARGET {
            self.flush_chunk()?;
        }
        Ok(())
    }

    /// Adds a signed checkpoint note; notes must come in non-decreasing order of size.
    pub fn add_checkpoint(&mut self, note: &str) -> Result<(), Error> {
        let checkpoint = Checkpoint::parse_unverified(note)?;
        if checkpoint.size < self.last_checkpoint_size {
            return Err(Error::Bundle(format!(
                "checkpoint of size {} added after one of size {}",
                checkpoint.size, self.last_checkpoint_size
            )));
        }
        self.last_checkpoint_size = checkpoint.size;
        self.checkpoints.push(note.to_string());
        Ok(())
    }

    /// Adds a key of the log's key history: `vkey` signs the checkpoints of size `from_seq` and above, until the
    /// next key. The first key has `from_seq` 1; later ones must increase.
    pub fn add_key(&mut self, vkey: &VerifierKey, from_seq: u64) -> Result<(), Error> {
        let ok = match self.keys.last() {
            None => from_seq == 1,
            Some(last) => from_seq > last.from_seq,
        };
        if !ok {
            return Err(Error::Bundle(format!(
                "key {vkey} from seq {from_seq} is out of order (the first key starts at 1)"
            )));
        }
        self.keys.push(KeyStart { from_seq, key: vkey.clone() });
        Ok(())
    }

    /// Streams one evidence file of `len` bytes into the bundle as `evidence/<sha256 hex>`. The bytes must hash to
    /// `entry.sha256`. A file whose bytes are already in the bundle is listed again but stored once.
    pub fn add_evidence(&mut self, entry: EvidenceEntry, reader: impl Read, len: u64) -> Result<(), Error> {
        if self.evidence_files.contains(&entry.sha256) {
            if let Some(first) = self.evidence.iter().find(|e| e.entry.sha256 == entry.sha256)
                && first.size != len
            {
                return Err(Error::Bundle(format!("evidence {} listed with two sizes", hex::encode(entry.sha256))));
            }
            self.evidence.push(ListedEvidence { entry, size: len });
            return Ok(());
        }
        let name = format!("{EVIDENCE_DIR}{}", hex::encode(entry.sha256));
        let header = canonical_header(&name, len)?;
        let mut source = ExactReader { inner: reader, left: len, hasher: Sha256::new() };
        self.tar.append(&header, &mut source)?;
        let actual: [u8; 32] = source.hasher.finalize().into();
        if actual != entry.sha256 {
            return Err(Error::Bundle(format!("evidence {} does not hash to its sha256", entry.id)));
        }
        self.evidence_files.insert(entry.sha256);
        self.evidence.push(ListedEvidence { entry, size: len });
        Ok(())
    }

    /// Writes the last events chunk, the checkpoints and the manifest, ends the archive and returns the output,
    /// flushed.
    pub fn finish(mut self) -> Result<W, Error> {
        self.flush_chunk()?;
        if self.keys.is_empty() {
            return Err(Error::Bundle("no key: add the log's key history with add_key".into()));
        }
        for (index, note) in self.checkpoints.iter().enumerate() {
            let name = numbered_name(CHECKPOINTS_DIR, index as u64 + 1);
            self.tar.append(&canonical_header(&name, note.len() as u64)?, note.as_bytes())?;
        }
        let manifest = Manifest {
            events: self.next_seq - 1,
            checkpoints: self.checkpoints.len() as u64,
            keys: std::mem::take(&mut self.keys),
            evidence: std::mem::take(&mut self.evidence),
        }
        .to_json();
        self.tar.append(&canonical_header(MANIFEST_NAME, manifest.len() as u64)?, manifest.as_slice())?;
        let mut out = self.tar.into_inner()?;
        out.flush()?;
        Ok(out)
    }

    fn flush_chunk(&mut self) -> Result<(), Error> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let name = numbered_name(EVENTS_DIR, self.chunk_first_seq);
        self.tar.append(&canonical_header(&name, self.chunk.len() as u64)?, self.chunk.as_slice())?;
        self.chunk.clear();
        self.chunk_first_seq = self.next_seq;
        Ok(())
    }
}

/// Yields exactly `left` bytes of `inner`, hashing them; a source that ends early is an error rather than a
/// silently corrupt archive.
struct ExactReader<R> {
    inner: R,
    left: u64,
    hasher: Sha256,
}

impl<R: Read> Read for ExactReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let max = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "evidence source ended before its length"));
        }
        self.hasher.update(&buf[..n]);
        self.left -= n as u64;
        Ok(n)
    }
}
