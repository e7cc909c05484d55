use super::*;
use proptest::prelude::*;

/// RFC 6962 test leaves, as published with Go's transparency-dev/merkle and certificate-transparency.
const LEAVES: [&str; 8] =
    ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

/// Roots of the trees of the first 1..=8 leaves (same source).
const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn h(hex_str: &str) -> [u8; 32] {
    hex::decode(hex_str).unwrap().try_into().unwrap()
}

fn vector_leaves() -> Vec<[u8; 32]> {
    LEAVES.iter().map(|l| leaf_hash(&hex::decode(l).unwrap())).collect()
}

/// RFC 9162's recursive definition, written as plainly as possible, as the reference.
fn naive_root(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves.len() {
        0 => EMPTY_ROOT,
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            node_hash(&naive_root(&leaves[..k]), &naive_root(&leaves[k..]))
        }
    }
}

#[test]
fn empty_root_is_sha256_of_nothing() {
    assert_eq!(EMPTY_ROOT, <[u8; 32]>::from(sha2::Sha256::digest(b"")));
    assert_eq!(root(&[]), EMPTY_ROOT);
    assert_eq!(Frontier::new().root(), EMPTY_ROOT);
}

#[test]
fn known_roots_for_every_size() {
    let leaves = vector_leaves();
    let mut frontier = Frontier::new();
    for (size, expected) in (1..=8).zip(ROOTS) {
        frontier.append(leaves[size - 1]);
        assert_eq!(root(&leaves[..size]), h(expected), "root of size {size}");
        assert_eq!(frontier.root(), h(expected), "frontier root of size {size}");
        assert_eq!(naive_root(&leaves[..size]), h(expected), "naive root of size {size}");
        assert_eq!(frontier.size(), size as u64);
    }
}

/// (leaf index, tree size, proof) from the published vectors.
fn inclusion_vectors() -> Vec<(u64, u64, Vec<[u8; 32]>)> {
    vec![
        (
            0,
            8,
            vec![
                h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ],
        ),
        (
            5,
            8,
            vec![
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ],
        ),
        (2, 3, vec![h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
        (
            1,
            5,
            vec![
                h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            ],
        ),
    ]
}

/// (old size, new size, proof) from the published vectors.
fn consistency_vectors() -> Vec<(u64, u64, Vec<[u8; 32]>)> {
    vec![
        (
            1,
            8,
            vec![
                h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ],
        ),
        (
            6,
            8,
            vec![
                h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ],
        ),
        (
            2,
            5,
            vec![
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            ],
        ),
        (
            6,
            7,
            vec![
                h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ],
        ),
    ]
}

#[test]
fn known_inclusion_proofs() {
    let leaves = vector_leaves();
    for (index, size, proof) in inclusion_vectors() {
        let tree = &leaves[..size as usize];
        assert_eq!(inclusion_proof(tree, index), proof, "proof for {index} in {size}");
        let root = h(ROOTS[size as usize - 1]);
        assert!(verify_inclusion(&leaves[index as usize], index, size, &proof, &root));
        // The corruptions of the reference suite: wrong index, size, leaf, root; garbage added or removed.
        let leaf = &leaves[index as usize];
        assert!(!verify_inclusion(leaf, index.wrapping_sub(1), size, &proof, &root));
        assert!(!verify_inclusion(leaf, index + 1, size, &proof, &root));
        assert!(!verify_inclusion(leaf, index ^ 2, size, &proof, &root));
        assert!(!verify_inclusion(leaf, index, size * 2, &proof, &root));
        assert!(!verify_inclusion(leaf, index, size / 2, &proof, &root));
        assert!(!verify_inclusion(&leaf_hash(b"WrongLeaf"), index, size, &proof, &root));
        assert!(!verify_inclusion(leaf, index, size, &proof, &EMPTY_ROOT));
        let mut longer = proof.clone();
        longer.push(root);
        assert!(!verify_inclusion(leaf, index, size, &longer, &root));
        let mut prefixed = vec![root];
        prefixed.extend(&proof);
        assert!(!verify_inclusion(leaf, index, size, &prefixed, &root));
        assert!(!verify_inclusion(leaf, index, size, &proof[..proof.len() - 1], &root));
        for i in 0..proof.len() {
            let mut flipped = proof.clone();
            flipped[i][0] ^= 8;
            assert!(!verify_inclusion(leaf, index, size, &flipped, &root));
        }
    }
}

#[test]
fn inclusion_edge_cases() {
    let leaf = leaf_hash(b"data");
    assert!(verify_inclusion(&leaf, 0, 1, &[], &leaf));
    assert!(!verify_inclusion(&leaf, 0, 0, &[], &leaf));
    assert!(!verify_inclusion(&leaf, 1, 1, &[], &leaf));
    assert!(!verify_inclusion(&leaf, 0, 1, &[], &EMPTY_ROOT));
    assert!(inclusion_proof(&[leaf], 5).is_empty());
}

#[test]
fn known_consistency_proofs() {
    let leaves = vector_leaves();
    for (old, new, proof) in consistency_vectors() {
        assert_eq!(consistency_proof(&leaves[..new as usize], old), proof, "proof {old} -> {new}");
        let (r1, r2) = (h(ROOTS[old as usize - 1]), h(ROOTS[new as usize - 1]));
        assert!(verify_consistency(old, new, &r1, &r2, &proof));
        assert!(!verify_consistency(old - 1, new, &r1, &r2, &proof));
        assert!(!verify_consistency(old + 1, new, &r1, &r2, &proof));
        assert!(!verify_consistency(old ^ 2, new, &r1, &r2, &proof));
        assert!(!verify_consistency(old, new * 2, &r1, &r2, &proof));
        assert!(!verify_consistency(old, new / 2, &r1, &r2, &proof));
        assert!(!verify_consistency(old, new, &r2, &r1, &proof));
        assert!(!verify_consistency(old, new, &EMPTY_ROOT, &r2, &proof));
        assert!(!verify_consistency(old, new, &r1, &r2, &[]));
        for extra in [r1, r2, proof[0]] {
            let mut longer = proof.clone();
            longer.push(extra);
            assert!(!verify_consistency(old, new, &r1, &r2, &longer));
            let mut prefixed = vec![extra];
            prefixed.extend(&proof);
            assert!(!verify_consistency(old, new, &r1, &r2, &prefixed));
        }
        assert!(!verify_consistency(old, new, &r1, &r2, &proof[..proof.len() - 1]));
        for i in 0..proof.len() {
            let mut flipped = proof.clone();
            flipped[i][0] ^= 16;
            assert!(!verify_consistency(old, new, &r1, &r2, &flipped));
        }
    }
}

#[test]
fn consistency_edge_cases() {
    let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
    assert!(verify_consistency(0, 0, &EMPTY_ROOT, &EMPTY_ROOT, &[]));
    assert!(verify_consistency(0, 5, &EMPTY_ROOT, &a, &[]));
    assert!(!verify_consistency(0, 5, &a, &b, &[]), "the empty tree has one root");
    assert!(verify_consistency(3, 3, &a, &a, &[]));
    assert!(!verify_consistency(3, 3, &a, &b, &[]));
    assert!(!verify_consistency(3, 3, &a, &a, &[a]));
    assert!(!verify_consistency(4, 3, &a, &a, &[]));
    assert!(!verify_consistency(1, 2, &a, &b, &[]));
}

#[test]
fn frontier_encoding() {
    let leaves = vector_leaves();
    let mut frontier = Frontier::new();
    assert_eq!(frontier.encode(), 0u64.to_be_bytes());
    for leaf in &leaves[..7] {
        frontier.append(*leaf);
        let bytes = frontier.encode();
        assert_eq!(bytes.len(), 8 + 32 * frontier.size().count_ones() as usize);
        assert_eq!(Frontier::decode(&bytes).unwrap(), frontier);
    }
    // Size 7 = 4 + 2 + 1: the published compact range for seven leaves.
    let bytes = frontier.encode();
    assert_eq!(&bytes[8..40], &h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
    assert_eq!(&bytes[40..72], &h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"));
    assert_eq!(&bytes[72..104], &leaves[6]);
    assert!(Frontier::decode(&bytes[..103]).is_err());
    assert!(Frontier::decode(&bytes[..7]).is_err());
    let mut wrong_size = bytes.clone();
    wrong_size[7] = 8;
    assert!(Frontier::decode(&wrong_size).is_err());
}

fn arb_leaves(max: usize) -> impl Strategy<Value = Vec<[u8; 32]>> {
    proptest::collection::vec(any::<[u8; 32]>(), 0..max)
}

proptest! {
    #[test]
    fn frontier_matches_naive_root(leaves in arb_leaves(300)) {
        let mut frontier = Frontier::new();
        for leaf in &leaves {
            frontier.append(*leaf);
            prop_assert!(frontier.encode().len() <= 8 + 32 * (64 - frontier.size().leading_zeros() as usize));
        }
        prop_assert_eq!(frontier.root(), naive_root(&leaves));
        prop_assert_eq!(Frontier::decode(&frontier.encode()).unwrap(), frontier);
    }

    #[test]
    fn frontier_decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(mut frontier) = Frontier::decode(&bytes) {
            let _ = frontier.root();
            if frontier.size() < u64::MAX {
                frontier.append([0; 32]);
            }
        }
    }

    #[test]
    fn every_inclusion_proof_verifies_and_tampering_fails(
        leaves in arb_leaves(70).prop_filter("non-empty", |l| !l.is_empty()),
        pick in any::<prop::sample::Index>(),
        other in any::<prop::sample::Index>(),
        bit in 0..256usize,
    ) {
        let size = leaves.len() as u64;
        let index = pick.index(leaves.len()) as u64;
        let root = naive_root(&leaves);
        let proof = inclusion_proof(&leaves, index);
        let leaf = leaves[index as usize];
        prop_assert!(verify_inclusion(&leaf, index, size, &proof, &root));
        // A single flipped bit anywhere in the proof, the leaf or the root.
        let target = other.index(proof.len() + 2);
        let (mut proof2, mut leaf2, mut root2) = (proof.clone(), leaf, root);
        let flipped = match target {
            t if t < proof.len() => &mut proof2[t],
            t if t == proof.len() => &mut leaf2,
            _ => &mut root2,
        };
        flipped[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(!verify_inclusion(&leaf2, index, size, &proof2, &root2));
        // Any other index.
        let wrong = other.index(leaves.len() + 3) as u64;
        if wrong != index {
            prop_assert!(!verify_inclusion(&leaf, wrong, size, &proof, &root));
        }
        // Another size, claimed with that tree's own root (the pair a checkpoint would sign).
        let other_size = 1 + other.index(leaves.len()) as u64;
        if other_size != size && index < other_size {
            let other_root = naive_root(&leaves[..other_size as usize]);
            prop_assert!(!verify_inclusion(&leaf, index, other_size, &proof, &other_root));
        }
    }

    #[test]
    fn every_consistency_proof_verifies_and_tampering_fails(
        leaves in arb_leaves(70).prop_filter("two or more", |l| l.len() >= 2),
        pick in any::<prop::sample::Index>(),
        other in any::<prop::sample::Index>(),
        bit in 0..256usize,
    ) {
        let new_size = leaves.len() as u64;
        let old_size = 1 + pick.index(leaves.len() - 1) as u64;
        let (old_root, new_root) = (naive_root(&leaves[..old_size as usize]), naive_root(&leaves));
        let proof = consistency_proof(&leaves, old_size);
        prop_assert!(verify_consistency(old_size, new_size, &old_root, &new_root, &proof));
        let target = other.index(proof.len() + 2);
        let (mut proof2, mut old2, mut new2) = (proof.clone(), old_root, new_root);
        let flipped = match target {
            t if t < proof.len() => &mut proof2[t],
            t if t == proof.len() => &mut old2,
            _ => &mut new2,
        };
        flipped[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(!verify_consistency(old_size, new_size, &old2, &new2, &proof2));
        // A wrong old size claimed with that tree's own root.
        let wrong_old = 1 + other.index(leaves.len() - 1) as u64;
        if wrong_old != old_size {
            let wrong_root = naive_root(&leaves[..wrong_old as usize]);
            prop_assert!(!verify_consistency(wrong_old, new_size, &wrong_root, &new_root, &proof));
        }
        // A wrong new size claimed with that tree's own root.
        let wrong_new = old_size + other.index((new_size - old_size) as usize) as u64;
        if wrong_new != new_size && wrong_new > old_size {
            let wrong_root = naive_root(&leaves[..wrong_new as usize]);
            prop_assert!(!verify_consistency(old_size, wrong_new, &old_root, &wrong_root, &proof));
        }
    }
}
