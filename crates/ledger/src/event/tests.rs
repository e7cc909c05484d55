use super::*;
use proptest::prelude::*;

/// The worked example of FORMAT.md.
fn example() -> Event {
    Event {
        seq: 1,
        time: 1_767_225_600, // 2026-01-01T00:00:00Z
        org: "acme".into(),
        actor: "ann@acme.example".into(),
        role: "admin".into(),
        action: "policy.approve".into(),
        object_type: "policy".into(),
        object_id: "42".into(),
        state: StateHash::Sha256(state_hash(b"{}")),
        request_id: "r1".into(),
    }
}

// Cross-checked with an independent encoder (Python's struct + hashlib) while writing FORMAT.md.
const EXAMPLE_HEX: &str = "010000000000000001000000006955b9000000000461636d6500000010616e6e4061636d652e6578616d706c65\
                           0000000561646d696e0000000e706f6c6963792e617070726f766500000006706f6c696379000000023432\
                           0144136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a000000027231";
const EXAMPLE_LEAF: &str = "c944a32f77c7996f8c19f60d1fb7438b27fac25bd66e0d0c659741e90d4d2dca";

#[test]
fn worked_example_matches_format_md() {
    let bytes = example().encode();
    assert_eq!(hex::encode(&bytes), EXAMPLE_HEX);
    assert_eq!(bytes.len(), 127);
    assert_eq!(hex::encode(example().leaf_hash()), EXAMPLE_LEAF);
    assert_eq!(Event::decode(&bytes).unwrap(), example());
}

#[test]
fn state_hash_is_plain_sha256() {
    assert_eq!(hex::encode(state_hash(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

#[test]
fn tombstone_round_trips() {
    let event = Event { state: StateHash::Tombstone, time: -5, ..example() };
    let bytes = event.encode();
    assert_eq!(Event::decode(&bytes).unwrap(), event);
}

#[test]
fn every_truncation_is_refused() {
    let bytes = example().encode();
    for len in 0..bytes.len() {
        assert!(Event::decode(&bytes[..len]).is_err(), "accepted a truncation to {len} bytes");
    }
}

#[test]
fn trailing_bytes_are_refused() {
    let mut bytes = example().encode();
    bytes.push(0);
    assert!(matches!(Event::decode(&bytes), Err(Error::TrailingBytes { count: 1 })));
}

#[test]
fn unknown_version_and_state_tag_are_refused() {
    let mut bytes = example().encode();
    bytes[0] = 2;
    assert!(matches!(Event::decode(&bytes), Err(Error::UnknownVersion(2))));
    let mut bytes = example().encode();
    let tag = bytes.len() - 6 - 33; // request_id (4 + 2) and the hash (32) follow the tag
    assert_eq!(bytes[tag], 0x01);
    for bad in [0x00, 0x03, 0xff] {
        bytes[tag] = bad;
        assert!(matches!(Event::decode(&bytes), Err(Error::BadStateTag(b)) if b == bad));
    }
}

#[test]
fn bad_utf8_is_refused() {
    let mut bytes = example().encode();
    let org = 1 + 8 + 8 + 4; // first byte of "acme"
    bytes[org] = 0xff;
    assert!(matches!(Event::decode(&bytes), Err(Error::BadUtf8 { field: "org" })));
}

#[test]
fn over_long_length_is_refused_before_allocating() {
    let mut bytes = example().encode();
    bytes[17..21].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(Event::decode(&bytes), Err(Error::LengthOutOfRange { field: "org", .. })));
}

fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![".{0,12}", "[a-z@.]{0,40}"]
}

fn arb_event() -> impl Strategy<Value = Event> {
    let strings = (arb_string(), arb_string(), arb_string(), arb_string(), arb_string(), arb_string(), arb_string());
    let state = prop_oneof![Just(StateHash::Tombstone), any::<[u8; 32]>().prop_map(StateHash::Sha256)];
    (any::<u64>(), any::<i64>(), strings, state).prop_map(
        |(seq, time, (org, actor, role, action, object_type, object_id, request_id), state)| Event {
            seq,
            time,
            org,
            actor,
            role,
            action,
            object_type,
            object_id,
            state,
            request_id,
        },
    )
}

proptest! {
    #[test]
    fn encode_decode_round_trips(event in arb_event()) {
        let bytes = event.encode();
        prop_assert_eq!(bytes.len(), event.encoded_len());
        prop_assert_eq!(Event::decode(&bytes).unwrap(), event);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Event::decode(&bytes);
    }

    #[test]
    fn a_decoded_mutation_re_encodes_to_itself(event in arb_event(), at in any::<prop::sample::Index>(), bit in 0..8u8) {
        // Canonical: whatever decodes encodes back to the same bytes, so one event has one leaf hash.
        let mut bytes = event.encode();
        let i = at.index(bytes.len());
        bytes[i] ^= 1 << bit;
        if let Ok(decoded) = Event::decode(&bytes) {
            prop_assert_eq!(decoded.encode(), bytes);
        }
    }
}
