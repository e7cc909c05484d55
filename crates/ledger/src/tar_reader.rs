//! A strict reader for the bundle's tar container. The `tar` crate's reader forgives what a fail-closed verifier
//! must not: non-zero padding, extension headers, data after the end-of-archive marker. This reader accepts only
//! what `BundleWriter` writes: canonical ustar headers (compared byte for byte), zero padding, two zero blocks,
//! then end of input. So every byte of a bundle is either checked content or checked framing.

use crate::bundle::canonical_header;
use crate::error::VerifyError;
use std::io::{self, BufReader, Read};

const BLOCK: usize = 512;

pub(crate) struct TarReader<R> {
    inner: BufReader<R>,
    /// Content bytes of the current entry not yet read.
    remaining: u64,
    /// Zero bytes that follow the current entry's content up to the next block boundary.
    padding: usize,
    /// Bytes consumed so far, for error messages and the report.
    offset: u64,
}

impl<R: Read> TarReader<R> {
    pub fn new(inner: R) -> Self {
        // A large buffer: most reads are a few bytes of one event record.
        TarReader { inner: BufReader::with_capacity(256 * 1024, inner), remaining: 0, padding: 0, offset: 0 }
    }

    /// Bytes of the archive consumed so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Content bytes of the current entry not yet read.
    pub fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Moves to the next entry and returns its name and size, or `None` after a valid end-of-archive marker.
    /// The current entry's content must have been read in full.
    pub fn next_entry(&mut self) -> Result<Option<(String, u64)>, VerifyError> {
        if self.remaining != 0 {
            return Err(VerifyError::Malformed("an entry was not read to its end".into()));
        }
        let mut padding = [0u8; BLOCK];
        let padding = &mut padding[..self.padding];
        self.read_raw(padding)?;
        if padding.iter().any(|&b| b != 0) {
            return Err(self.malformed("non-zero padding after an entry"));
        }
        self.padding = 0;
        let start = self.offset;
        let mut block = [0u8; BLOCK];
        self.read_raw(&mut block)?;
        if block.iter().all(|&b| b == 0) {
            self.read_raw(&mut block)?;
            if block.iter().any(|&b| b != 0) {
                return Err(self.malformed("the end-of-archive marker is not two zero blocks"));
            }
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe).map_err(VerifyError::from_io)? != 0 {
                return Err(self.malformed("data after the end-of-archive marker"));
            }
            return Ok(None);
        }
        let name_field = &block[..100];
        let name_len = name_field.iter().position(|&b| b == 0).unwrap_or(100);
        let name = std::str::from_utf8(&name_field[..name_len])
            .ok()
            .filter(|n| n.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| VerifyError::Malformed(format!("entry at byte {start} has an unreadable name")))?
            .to_string();
        let size = tar::Header::from_byte_slice(&block)
            .entry_size()
            .map_err(|_| VerifyError::Malformed(format!("entry {name} has an unreadable size")))?;
        let canonical = canonical_header(&name, size)
            .map_err(|_| VerifyError::Malformed(format!("entry name {name:?} is not allowed")))?;
        if canonical.as_bytes() != &block {
            return Err(VerifyError::Malformed(format!(
                "the header of entry {name} (byte {start}) is not the canonical one (checksum, mode, owner, time or type differ)"
            )));
        }
        self.remaining = size;
        self.padding = (BLOCK - (size % BLOCK as u64) as usize) % BLOCK;
        Ok(Some((name, size)))
    }

    fn read_raw(&mut self, buf: &mut [u8]) -> Result<(), VerifyError> {
        self.inner.read_exact(buf).map_err(VerifyError::from_io)?;
        self.offset += buf.len() as u64;
        Ok(())
    }

    fn malformed(&self, what: &str) -> VerifyError {
        VerifyError::Malformed(format!("{what} (at byte {})", self.offset))
    }
}

/// Reads the current entry's content; returns 0 at its end. A premature end of input is `UnexpectedEof`.
impl<R: Read> Read for TarReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let max = buf.len().min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        if max == 0 {
            return Ok(0);
        }
        let n = self.inner.read(&mut buf[..max])?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.remaining -= n as u64;
        self.offset += n as u64;
        Ok(n)
    }
}
