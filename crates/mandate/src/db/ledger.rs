//! The ledger tables: events (append-only), the per-organisation head, checkpoints and signing keys.

use super::{Conn, DbError, on_conn};
use crate::clock::UnixTime;
use crate::domain::ids::OrgId;

/// The head of an organisation's log: its size and Merkle frontier.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Head {
    pub origin: String,
    pub size: i64,
    pub frontier: Vec<u8>,
}

/// One stored event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub seq: i64,
    pub at: UnixTime,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub state_hash: String,
    pub request_id: String,
    pub encoded: Vec<u8>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CheckpointRow {
    pub size: i64,
    pub root: String,
    pub note: String,
    pub key_id: String,
    pub created_at: UnixTime,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRow {
    pub name: String,
    pub key_id: String,
    pub verifier_key: String,
    pub created_at: UnixTime,
    pub retired_at: Option<UnixTime>,
}

/// Creates the empty log of a new organisation.
pub async fn create_head(
    c: &mut Conn<'_>,
    org: OrgId,
    origin: &str,
    frontier: &[u8],
    now: UnixTime,
) -> Result<(), DbError> {
    const SQL: &str = "insert into ledger_head (org_id, origin, size, frontier, updated_at) values ($1, $2, 0, $3, $4)";
    on_conn!(c, c => sqlx::query(SQL).bind(org).bind(origin).bind(frontier).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Reads the head for an append, locking it so concurrent writers (and other server processes) queue behind
/// this transaction. SQLite needs no row lock: write transactions start with `BEGIN IMMEDIATE`.
pub async fn lock_head(c: &mut Conn<'_>, org: OrgId) -> Result<Head, DbError> {
    const SQLITE: &str = "select origin, size, frontier from ledger_head where org_id = $1";
    const POSTGRES: &str = "select origin, size, frontier from ledger_head where org_id = $1 for update";
    let head = match c {
        Conn::Sqlite(c) => sqlx::query_as(SQLITE).bind(org).fetch_optional(&mut **c).await?,
        Conn::Postgres(c) => sqlx::query_as(POSTGRES).bind(org).fetch_optional(&mut **c).await?,
    };
    head.ok_or(DbError::NotFound)
}

/// Reads the head without locking it.
pub async fn head(c: &mut Conn<'_>, org: OrgId) -> Result<Option<Head>, DbError> {
    const SQL: &str = "select origin, size, frontier from ledger_head where org_id = $1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_optional(&mut **c).await)?)
}

/// Stores one event; the caller holds the head lock and moves the head once per batch with [`move_head`].
pub async fn insert_event_row(c: &mut Conn<'_>, org: OrgId, event: &EventRow) -> Result<(), DbError> {
    const INSERT: &str = "insert into ledger_event (org_id, seq, at, actor, role, action, object_type, object_id, \
                          state_hash, request_id, encoded) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    on_conn!(c, c => sqlx::query(INSERT).bind(org).bind(event.seq).bind(event.at).bind(&event.actor).bind(&event.role)
        .bind(&event.action).bind(&event.object_type).bind(&event.object_id).bind(&event.state_hash)
        .bind(&event.request_id).bind(&event.encoded).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Moves the head from `from_size` to `size` after a batch; `Conflict` if another writer moved it.
pub async fn move_head(
    c: &mut Conn<'_>,
    org: OrgId,
    from_size: i64,
    size: i64,
    frontier: &[u8],
    at: UnixTime,
) -> Result<(), DbError> {
    const HEAD: &str =
        "update ledger_head set size = $2, frontier = $3, updated_at = $4 where org_id = $1 and size = $5";
    let moved = on_conn!(c, c => sqlx::query(HEAD).bind(org).bind(size).bind(frontier).bind(at).bind(from_size)
        .execute(&mut **c).await.map(|r| r.rows_affected()))?;
    if moved != 1 {
        return Err(DbError::Conflict);
    }
    Ok(())
}

/// Events of `org` after `after`, in order, at most `limit`.
pub async fn events_after(c: &mut Conn<'_>, org: OrgId, after: i64, limit: i64) -> Result<Vec<EventRow>, DbError> {
    const SQL: &str = "select seq, at, actor, role, action, object_type, object_id, state_hash, request_id, encoded \
                       from ledger_event where org_id = $1 and seq > $2 order by seq limit $3";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).bind(after).bind(limit).fetch_all(&mut **c).await)?)
}

pub async fn insert_checkpoint(c: &mut Conn<'_>, org: OrgId, checkpoint: &CheckpointRow) -> Result<(), DbError> {
    const SQL: &str = "insert into ledger_checkpoint (org_id, size, root, note, key_id, created_at) \
                       values ($1, $2, $3, $4, $5, $6) on conflict (org_id, size) do nothing";
    on_conn!(c, c => sqlx::query(SQL).bind(org).bind(checkpoint.size).bind(&checkpoint.root).bind(&checkpoint.note)
        .bind(&checkpoint.key_id).bind(checkpoint.created_at).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn latest_checkpoint(c: &mut Conn<'_>, org: OrgId) -> Result<Option<CheckpointRow>, DbError> {
    const SQL: &str = "select size, root, note, key_id, created_at from ledger_checkpoint where org_id = $1 \
                       order by size desc limit 1";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_optional(&mut **c).await)?)
}

pub async fn checkpoints(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<CheckpointRow>, DbError> {
    const SQL: &str =
        "select size, root, note, key_id, created_at from ledger_checkpoint where org_id = $1 order by size";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?)
}

/// Organisations whose log has grown past their latest checkpoint, with the size of that checkpoint and when
/// it was made (0 when there is none).
pub async fn unsigned_heads(c: &mut Conn<'_>) -> Result<Vec<(OrgId, i64, i64, UnixTime)>, DbError> {
    const SQL: &str = "select h.org_id, h.size, coalesce(max(k.size), 0), coalesce(max(k.created_at), 0) \
                       from ledger_head h left join ledger_checkpoint k on k.org_id = h.org_id \
                       group by h.org_id, h.size having h.size > coalesce(max(k.size), 0)";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).fetch_all(&mut **c).await)?)
}

/// Registers a signing key's public half (idempotent).
pub async fn register_key(c: &mut Conn<'_>, key: &KeyRow) -> Result<bool, DbError> {
    const SQL: &str = "insert into ledger_key (name, key_id, verifier_key, created_at) values ($1, $2, $3, $4) \
                       on conflict (verifier_key) do nothing";
    let added = on_conn!(c, c => sqlx::query(SQL).bind(&key.name).bind(&key.key_id).bind(&key.verifier_key)
        .bind(key.created_at).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(added == 1)
}

pub async fn retire_keys_except(c: &mut Conn<'_>, verifier_key: &str, now: UnixTime) -> Result<(), DbError> {
    const SQL: &str = "update ledger_key set retired_at = $2 where verifier_key <> $1 and retired_at is null";
    on_conn!(c, c => sqlx::query(SQL).bind(verifier_key).bind(now).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records from which seq of `org`'s log a key signs (idempotent).
pub async fn key_start(c: &mut Conn<'_>, org: OrgId, verifier_key: &str, from_seq: i64) -> Result<(), DbError> {
    const SQL: &str = "insert into ledger_key_start (org_id, verifier_key, from_seq) values ($1, $2, $3) \
                       on conflict (org_id, verifier_key) do nothing";
    on_conn!(c, c => sqlx::query(SQL).bind(org).bind(verifier_key).bind(from_seq).execute(&mut **c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn key_starts(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<(String, i64)>, DbError> {
    const SQL: &str = "select verifier_key, from_seq from ledger_key_start where org_id = $1 order by from_seq";
    Ok(on_conn!(c, c => sqlx::query_as(SQL).bind(org).fetch_all(&mut **c).await)?)
}

/// The verifier key that signs `org`'s checkpoint of `size` events: the one whose start is the latest at or
/// before it (a rotation's handover checkpoint is still signed by the old key).
pub async fn key_signing(c: &mut Conn<'_>, org: OrgId, size: i64) -> Result<Option<String>, DbError> {
    let starts = key_starts(c, org).await?;
    Ok(starts.into_iter().filter(|(_, from)| *from <= size.max(1)).max_by_key(|(_, from)| *from).map(|(key, _)| key))
}

/// All organisations' ids, for jobs that visit every log.
pub async fn org_ids(c: &mut Conn<'_>) -> Result<Vec<OrgId>, DbError> {
    const SQL: &str = "select org_id from ledger_head order by org_id";
    Ok(on_conn!(c, c => sqlx::query_scalar(SQL).fetch_all(&mut **c).await)?)
}
