//! `/api/v1/ledger`: the organisation's latest signed checkpoint and its events.

use crate::clock::rfc3339;
use crate::db;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::ApiQuery;
use axum::Json;
use axum::extract::State;

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CheckpointView {
    /// Number of events the checkpoint commits to.
    pub size: i64,
    /// Merkle tree root (hex).
    pub root: String,
    /// The signed note (C2SP checkpoint); keep it to detect a rewritten history later.
    pub note: String,
    /// The key that verifies it, in signed-note verifier-key form.
    pub verifier_key: String,
    pub signed_at: String,
    /// Events appended since the checkpoint (signed at the next checkpoint).
    pub unsigned_events: i64,
}

#[utoipa::path(get, path = "/api/v1/ledger/checkpoint", tag = "ledger",
    responses((status = 200, body = CheckpointView), (status = 404, body = ErrorBody)))]
pub async fn checkpoint(State(state): State<AppState>, principal: Principal) -> Result<Json<CheckpointView>, AppError> {
    let mut c = state.db.read().await?;
    let latest = db::ledger::latest_checkpoint(&mut c.conn(), principal.org_id).await?.ok_or_else(|| {
        AppError::NotFound(
            "no checkpoint has been signed yet; one is signed at the first export or within the hour".into(),
        )
    })?;
    let head = db::ledger::head(&mut c.conn(), principal.org_id).await?.map_or(0, |h| h.size);
    // The key that signed this checkpoint, which after a rotation may not be the server's current key.
    let signer = db::ledger::key_signing(&mut c.conn(), principal.org_id, latest.size).await?;
    Ok(Json(CheckpointView {
        size: latest.size,
        root: latest.root,
        note: latest.note,
        verifier_key: signer.unwrap_or_else(|| state.journal.verifier_key().to_string()),
        signed_at: rfc3339(latest.created_at),
        unsigned_events: head - latest.size,
    }))
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// Return events with a seq greater than this (default 0).
    pub after: Option<i64>,
    /// How many events to return (1–1000, default 100).
    pub limit: Option<i64>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EventView {
    pub seq: i64,
    pub time: String,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// SHA-256 (hex) of the object's new canonical state, or `tombstone` for a deletion.
    pub state_hash: String,
    pub request_id: String,
    /// The canonical encoding (hex) whose leaf hash enters the Merkle tree.
    pub encoded: String,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EventList {
    pub items: Vec<EventView>,
    /// Pass as `after` to read on; absent at the end of the log.
    pub next_after: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/ledger/events", tag = "ledger", params(EventsQuery),
    responses((status = 200, body = EventList), (status = 422, body = ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> Result<Json<EventList>, AppError> {
    let after = query.after.unwrap_or(0);
    let limit = query.limit.unwrap_or(100);
    if after < 0 || !(1..=1000).contains(&limit) {
        return Err(AppError::Invalid("after must be 0 or more and limit between 1 and 1000".into()));
    }
    let mut c = state.db.read().await?;
    let rows = db::ledger::events_after(&mut c.conn(), principal.org_id, after, limit).await?;
    let next_after = (rows.len() as i64 == limit).then(|| rows.last().map(|r| r.seq)).flatten();
    let items = rows
        .into_iter()
        .map(|r| EventView {
            seq: r.seq,
            time: rfc3339(r.at),
            actor: r.actor,
            role: r.role,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            state_hash: r.state_hash,
            request_id: r.request_id,
            encoded: hex::encode(r.encoded),
        })
        .collect();
    Ok(Json(EventList { items, next_after }))
}
