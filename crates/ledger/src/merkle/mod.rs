//! The RFC 9162 (§2.1) Merkle tree over SHA-256: leaf `SHA-256(0x00 ‖ data)`, node `SHA-256(0x01 ‖ left ‖ right)`,
//! empty tree `SHA-256("")`. Functions here take leaf *hashes*, not leaf data.

mod frontier;
mod proof;

pub use frontier::Frontier;
pub use proof::{consistency_proof, inclusion_proof, verify_consistency, verify_inclusion};

use sha2::{Digest, Sha256};

/// The root of the empty tree: SHA-256 of the empty string.
pub const EMPTY_ROOT: [u8; 32] = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41,
    0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// The hash of a leaf holding `data`: SHA-256(0x00 ‖ data).
pub fn leaf_hash(data: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root (RFC 9162 MTH) of the tree whose leaf hashes are `leaves`, in O(n) time and O(log n) memory.
pub fn root(leaves: &[[u8; 32]]) -> [u8; 32] {
    let mut frontier = Frontier::new();
    for leaf in leaves {
        frontier.append(*leaf);
    }
    frontier.root()
}

/// The size of the left subtree of a tree of `n ≥ 2` leaves: the largest power of two below `n`.
pub(crate) fn split(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

#[cfg(test)]
mod tests;
