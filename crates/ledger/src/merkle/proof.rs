//! Inclusion and consistency proofs (RFC 9162 §2.1.3 and §2.1.4): generation from the leaf hashes, and the
//! RFC's verification algorithms.

use super::{EMPTY_ROOT, Frontier, node_hash, split};

/// The audit path of leaf `index` in the tree of `leaves` (RFC 9162 §2.1.3.1), nearest sibling first.
/// Returns an empty path when `index` is out of range (which no verifier accepts for a tree of two or more).
pub fn inclusion_proof(leaves: &[[u8; 32]], index: u64) -> Vec<[u8; 32]> {
    let mut proof = Vec::new();
    if let Ok(index) = usize::try_from(index)
        && index < leaves.len()
    {
        path(index, leaves, &mut proof);
    }
    proof
}

fn path(m: usize, d: &[[u8; 32]], out: &mut Vec<[u8; 32]>) {
    if d.len() <= 1 {
        return;
    }
    let k = split(d.len());
    if m < k {
        path(m, &d[..k], out);
        out.push(subtree_root(&d[k..]));
    } else {
        path(m - k, &d[k..], out);
        out.push(subtree_root(&d[..k]));
    }
}

/// The proof that the tree of the first `old_size` leaves is a prefix of the tree of all `leaves`
/// (RFC 9162 §2.1.4.1). Empty when `old_size` is 0 or not smaller than the tree, where none is needed.
pub fn consistency_proof(leaves: &[[u8; 32]], old_size: u64) -> Vec<[u8; 32]> {
    let mut proof = Vec::new();
    if let Ok(m) = usize::try_from(old_size)
        && 0 < m
        && m < leaves.len()
    {
        subproof(m, leaves, true, &mut proof);
    }
    proof
}

fn subproof(m: usize, d: &[[u8; 32]], complete: bool, out: &mut Vec<[u8; 32]>) {
    if m == d.len() {
        // The old tree is this whole subtree: the verifier already knows its root when it is the old root itself.
        if !complete {
            out.push(subtree_root(d));
        }
        return;
    }
    let k = split(d.len());
    if m <= k {
        subproof(m, &d[..k], complete, out);
        out.push(subtree_root(&d[k..]));
    } else {
        subproof(m - k, &d[k..], false, out);
        out.push(subtree_root(&d[..k]));
    }
}

fn subtree_root(leaves: &[[u8; 32]]) -> [u8; 32] {
    let mut frontier = Frontier::new();
    for leaf in leaves {
        frontier.append(*leaf);
    }
    frontier.root()
}

/// Whether `proof` shows that `leaf_hash` is leaf `index` of the tree of `size` leaves with root `root`
/// (RFC 9162 §2.1.3.2). The proof does not bind the size by itself: trust the pair (size, root) only as
/// signed together in a checkpoint.
pub fn verify_inclusion(leaf_hash: &[u8; 32], index: u64, size: u64, proof: &[[u8; 32]], root: &[u8; 32]) -> bool {
    if index >= size {
        return false;
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = *leaf_hash;
    for p in proof {
        if sn == 0 {
            return false;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            // Skip the levels where this node has no right sibling.
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    sn == 0 && r == *root
}

/// Whether `proof` shows that the tree of `old_size` leaves with root `old_root` is a prefix of the tree of
/// `new_size` leaves with root `new_root` (RFC 9162 §2.1.4.2). Equal sizes need equal roots and an empty proof;
/// an empty old tree needs the empty root and an empty proof.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &[u8; 32],
    new_root: &[u8; 32],
    proof: &[[u8; 32]],
) -> bool {
    if old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    if old_size == 0 {
        return proof.is_empty() && *old_root == EMPTY_ROOT;
    }
    if proof.is_empty() {
        return false;
    }
    let mut path = proof.iter();
    // When the old tree is a perfect left subtree, the proof omits its root: the verifier has it.
    let seed = if old_size.is_power_of_two() { Some(old_root) } else { path.next() };
    let Some(seed) = seed else { return false };
    let (mut fn_, mut sn) = (old_size - 1, new_size - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let (mut fr, mut sr) = (*seed, *seed);
    for c in path {
        if sn == 0 {
            return false;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    fr == *old_root && sr == *new_root && sn == 0
}
