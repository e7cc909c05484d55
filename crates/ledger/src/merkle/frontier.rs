//! The compact range of an append-only tree: the roots of its perfect subtrees, enough to append and to compute
//! the root without the leaves.

use super::{EMPTY_ROOT, node_hash};
use crate::error::Error;

/// The right edge of an append-only Merkle tree: one hash per perfect subtree, largest (leftmost) first, so at most
/// ⌊log₂ n⌋ + 1 hashes for `n` leaves. The application keeps it in its ledger head row and appends to it under a
/// row lock; the verifier replays a bundle through it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// Bit `i` of `size` set ⇔ a subtree of 2^i leaves, stored from the highest bit to the lowest.
    hashes: Vec<[u8; 32]>,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of leaves appended so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf hash (see [`crate::Event::leaf_hash`]).
    ///
    /// # Panics
    /// If the tree already holds `u64::MAX` leaves.
    pub fn append(&mut self, leaf_hash: [u8; 32]) {
        let mut hash = leaf_hash;
        // Each trailing one bit of the old size is a subtree of equal height that the new leaf completes.
        let mut size = self.size;
        while size & 1 == 1 {
            // One hash is stored per set bit, so a trailing one always has its hash on top.
            let Some(left) = self.hashes.pop() else { unreachable!("frontier holds one hash per set bit of its size") };
            hash = node_hash(&left, &hash);
            size >>= 1;
        }
        self.hashes.push(hash);
        self.size = self.size.checked_add(1).expect("a ledger of 2^64 events");
    }

    /// The tree's root: the subtree roots folded from the right.
    pub fn root(&self) -> [u8; 32] {
        let mut iter = self.hashes.iter().rev();
        let Some(first) = iter.next() else { return EMPTY_ROOT };
        iter.fold(*first, |right, left| node_hash(left, &right))
    }

    /// Serialises as `size` (u64 big-endian) followed by the subtree hashes, largest first.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + 32 * self.hashes.len());
        out.extend_from_slice(&self.size.to_be_bytes());
        for hash in &self.hashes {
            out.extend_from_slice(hash);
        }
        out
    }

    /// Parses [`Frontier::encode`]'s output; the hash count must equal the number of set bits of the size.
    pub fn decode(bytes: &[u8]) -> Result<Frontier, Error> {
        let (size, rest) = bytes.split_first_chunk::<8>().ok_or(Error::BadFrontier("shorter than its size"))?;
        let size = u64::from_be_bytes(*size);
        if rest.len() != 32 * size.count_ones() as usize {
            return Err(Error::BadFrontier("hash count does not match the size"));
        }
        let (hashes, _) = rest.as_chunks::<32>();
        Ok(Frontier { size, hashes: hashes.to_vec() })
    }
}
