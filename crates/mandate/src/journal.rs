//! Writing every change to the organisation's ledger, in the same transaction as the change itself.
//!
//! The [`Journal`] holds the installation's checkpoint-signing key and the checkpoint policy. Operations call
//! [`Journal::append`] inside their transaction: it locks the log's head, appends the event with its Merkle leaf,
//! and signs a checkpoint when enough events have accumulated. If the transaction rolls back, the event and
//! the checkpoint go with it: no change without its event, no event without its change.

use crate::clock::UnixTime;
use crate::db::{self, Tx};
use crate::domain::ids::OrgId;
use crate::error::AppError;
use ledger::{Checkpoint, Event, Frontier, Signer, StateHash, VerifierKey};

/// Who made a change, as the ledger records it.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The person's e-mail address, or `cli`/`system` for commands and jobs.
    pub name: String,
    pub role: String,
    pub request_id: String,
}

impl Actor {
    /// A change made from the command line on the server.
    pub fn cli() -> Self {
        Self {
            name: "cli".into(),
            role: "operator".into(),
            request_id: format!("cli-{}", &crate::secret::new_token("")[..12]),
        }
    }

    /// A change made by Mandate itself (jobs, the demo generator).
    pub fn system(request_id: &str) -> Self {
        Self { name: "system".into(), role: "system".into(), request_id: request_id.into() }
    }
}

/// A change to record: what happened to which object, and the object's new canonical state.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: String,
    /// Canonical bytes of the object's new state; `None` records a deletion (a tombstone).
    pub state: Option<Vec<u8>>,
}

impl Change {
    /// A change whose new state is `state` serialised as JSON (field order fixed by the type).
    pub fn of<T: serde::Serialize>(
        action: &'static str,
        object_type: &'static str,
        id: impl ToString,
        state: &T,
    ) -> Self {
        let bytes = serde_json::to_vec(state).expect("record states serialise to JSON");
        Self { action, object_type, object_id: id.to_string(), state: Some(bytes) }
    }
}

/// The installation's ledger writer.
pub struct Journal {
    signer: Signer,
    verifier: VerifierKey,
    /// A checkpoint is signed when this many events have been appended since the last one.
    every_events: i64,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("key", &self.verifier.to_string())
            .field("every_events", &self.every_events)
            .finish()
    }
}

impl Journal {
    pub fn new(signer: Signer, every_events: i64) -> Self {
        let verifier = signer.verifier_key();
        Self { signer, verifier, every_events: every_events.max(1) }
    }

    /// The public key auditors pin, in signed-note verifier-key form.
    pub fn verifier_key(&self) -> &VerifierKey {
        &self.verifier
    }

    /// The key's name; also the prefix of every log's origin.
    pub fn key_name(&self) -> &str {
        self.verifier.name()
    }

    /// Registers this installation's signing key (its public half) in the database.
    pub async fn register_key(&self, db: &db::Db, now: UnixTime) -> Result<bool, AppError> {
        let mut tx = db.begin().await?;
        let row = db::ledger::KeyRow {
            name: self.verifier.name().to_string(),
            key_id: format!("{:08x}", self.verifier.key_id()),
            verifier_key: self.verifier.to_string(),
            created_at: now,
            retired_at: None,
        };
        let added = db::ledger::register_key(&mut tx.conn(), &row).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Creates the empty log of a new organisation, inside the transaction that creates it.
    pub async fn create_log(&self, tx: &mut Tx, org: OrgId, slug: &str, now: UnixTime) -> Result<(), AppError> {
        let origin = format!("{}/{slug}", self.key_name());
        db::ledger::create_head(&mut tx.conn(), org, &origin, &Frontier::new().encode(), now).await?;
        db::ledger::key_start(&mut tx.conn(), org, &self.verifier.to_string(), 1).await?;
        Ok(())
    }

    /// Appends `change` to `org`'s log inside `tx`; returns its seq.
    pub async fn append(
        &self,
        tx: &mut Tx,
        org: OrgId,
        actor: &Actor,
        change: Change,
        now: UnixTime,
    ) -> Result<i64, AppError> {
        self.append_all(tx, org, &[(actor.clone(), change, now)]).await
    }

    /// Appends many changes, each with its own actor and time, under one lock of the head (imports and the demo
    /// generator). Checkpoints are signed on the same event-count policy as [`append`](Self::append). Returns
    /// the last seq.
    pub async fn append_all(
        &self,
        tx: &mut Tx,
        org: OrgId,
        entries: &[(Actor, Change, UnixTime)],
    ) -> Result<i64, AppError> {
        let head = db::ledger::lock_head(&mut tx.conn(), org).await?;
        let mut frontier = decode_frontier(org, &head.frontier)?;
        let mut last_signed = db::ledger::latest_checkpoint(&mut tx.conn(), org).await?.map_or(0, |c| c.size);
        let (mut seq, mut at) = (head.size, 0);
        for (actor, change, now) in entries {
            seq += 1;
            at = *now;
            let row = event_row(&head.origin, seq, actor, change, *now, &mut frontier);
            db::ledger::insert_event_row(&mut tx.conn(), org, &row).await?;
            if seq - last_signed >= self.every_events {
                self.sign(tx, org, &head.origin, seq, &frontier, *now).await?;
                last_signed = seq;
            }
        }
        if seq > head.size {
            db::ledger::move_head(&mut tx.conn(), org, head.size, seq, &frontier.encode(), at).await?;
        }
        Ok(seq)
    }

    /// Signs a checkpoint of `org`'s current head if it has grown since the last one; returns its size.
    pub async fn checkpoint(&self, tx: &mut Tx, org: OrgId, now: UnixTime) -> Result<i64, AppError> {
        let head = db::ledger::lock_head(&mut tx.conn(), org).await?;
        let last = db::ledger::latest_checkpoint(&mut tx.conn(), org).await?.map_or(0, |c| c.size);
        if head.size > last || head.size == 0 {
            let frontier = decode_frontier(org, &head.frontier)?;
            self.sign(tx, org, &head.origin, head.size, &frontier, now).await?;
        }
        Ok(head.size)
    }

    /// Signs a checkpoint for every log that grew since its last checkpoint once that checkpoint is `max_age`
    /// seconds old; returns how many were signed. Run periodically by the server.
    pub async fn sign_due(&self, db: &db::Db, now: UnixTime, max_age: i64) -> Result<usize, AppError> {
        let heads = db::ledger::unsigned_heads(&mut db.read().await?.conn()).await?;
        let mut signed = 0;
        for (org, _, _, last_at) in heads {
            if now - last_at >= max_age {
                let mut tx = db.begin().await?;
                self.checkpoint(&mut tx, org, now).await?;
                tx.commit().await?;
                signed += 1;
            }
        }
        Ok(signed)
    }

    /// Hands `org`'s log over to `next`: appends the rotation event, signs a checkpoint covering it with the
    /// current key, and records that `next` signs from the following seq. Returns the rotation event's seq.
    pub async fn rotate(
        &self,
        tx: &mut Tx,
        org: OrgId,
        next: &VerifierKey,
        actor: &Actor,
        now: UnixTime,
    ) -> Result<i64, AppError> {
        let vkey = next.to_string();
        let change = Change {
            action: ledger::KEY_ROTATION_ACTION,
            object_type: ledger::KEY_OBJECT_TYPE,
            object_id: vkey.clone(),
            state: Some(vkey.clone().into_bytes()),
        };
        let seq = self.append(tx, org, actor, change, now).await?;
        self.checkpoint(tx, org, now).await?;
        db::ledger::key_start(&mut tx.conn(), org, &vkey, seq + 1).await?;
        Ok(seq)
    }

    async fn sign(
        &self,
        tx: &mut Tx,
        org: OrgId,
        origin: &str,
        size: i64,
        frontier: &Frontier,
        now: UnixTime,
    ) -> Result<(), AppError> {
        // After a rotation, a process still holding the old key must not sign on: that would fork the key history.
        let current = db::ledger::key_signing(&mut tx.conn(), org, size).await?;
        if current.is_some_and(|key| key != self.verifier.to_string()) {
            return Err(AppError::Unavailable(
                "this server's ledger signing key has been rotated; restart it so it loads the new key".into(),
            ));
        }
        let checkpoint = Checkpoint { origin: origin.to_string(), size: size as u64, root: frontier.root() };
        let row = db::ledger::CheckpointRow {
            size,
            root: hex::encode(checkpoint.root),
            note: self.signer.sign(&checkpoint),
            key_id: format!("{:08x}", self.verifier.key_id()),
            created_at: now,
        };
        db::ledger::insert_checkpoint(&mut tx.conn(), org, &row).await?;
        Ok(())
    }
}

fn decode_frontier(org: OrgId, bytes: &[u8]) -> Result<Frontier, AppError> {
    Frontier::decode(bytes)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("ledger head of org {org} is unreadable: {e}")))
}

/// Encodes event `seq` of the log `origin`, adds its leaf to `frontier`, and returns the row to store.
fn event_row(
    origin: &str,
    seq: i64,
    actor: &Actor,
    change: &Change,
    now: UnixTime,
    frontier: &mut Frontier,
) -> db::ledger::EventRow {
    let state = match &change.state {
        Some(bytes) => StateHash::Sha256(ledger::state_hash(bytes)),
        None => StateHash::Tombstone,
    };
    let event = Event {
        seq: seq as u64,
        time: now,
        org: origin.to_string(),
        actor: actor.name.clone(),
        role: actor.role.clone(),
        action: change.action.to_string(),
        object_type: change.object_type.to_string(),
        object_id: change.object_id.clone(),
        state,
        request_id: actor.request_id.clone(),
    };
    // Encoded once: the leaf hash and the stored bytes come from the same encoding.
    let encoded = event.encode();
    frontier.append(ledger::merkle::leaf_hash(&encoded));
    db::ledger::EventRow {
        seq,
        at: now,
        actor: event.actor.clone(),
        role: event.role.clone(),
        action: event.action.clone(),
        object_type: event.object_type.clone(),
        object_id: event.object_id.clone(),
        state_hash: match state {
            StateHash::Sha256(hash) => hex::encode(hash),
            StateHash::Tombstone => "tombstone".into(),
        },
        request_id: event.request_id.clone(),
        encoded,
    }
}
