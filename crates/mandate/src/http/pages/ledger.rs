//! The ledger page: how big the log is, the latest signed checkpoint, recent events and how to verify.

use super::Layout;
use crate::clock::format_utc;
use crate::db;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

pub struct EventLine {
    seq: i64,
    time: String,
    actor: String,
    action: String,
    object: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "ledger.html")]
pub struct LedgerPage {
    layout: Layout,
    org_slug: String,
    size: i64,
    checkpoint_size: i64,
    checkpoint_time: String,
    checkpoint_note: String,
    verifier_key: String,
    events: Vec<EventLine>,
}

/// How many of the latest events the page lists.
const RECENT: i64 = 50;

/// `GET /ledger`
pub async fn show(State(state): State<AppState>, principal: Principal) -> Result<LedgerPage, PageError> {
    let mut c = state.db.read().await?;
    let size = db::ledger::head(&mut c.conn(), principal.org_id).await?.map_or(0, |h| h.size);
    let latest = db::ledger::latest_checkpoint(&mut c.conn(), principal.org_id).await?;
    let signer = match &latest {
        Some(checkpoint) => db::ledger::key_signing(&mut c.conn(), principal.org_id, checkpoint.size).await?,
        None => None,
    };
    let rows = db::ledger::events_after(&mut c.conn(), principal.org_id, (size - RECENT).max(0), RECENT).await?;
    let events = rows
        .into_iter()
        .rev()
        .map(|r| EventLine {
            seq: r.seq,
            time: format_utc(r.at),
            actor: r.actor,
            action: r.action,
            object: format!("{} {}", r.object_type, r.object_id),
        })
        .collect();
    Ok(LedgerPage {
        layout: Layout::member("Ledger", "ledger", &principal),
        org_slug: principal.org_slug.clone(),
        size,
        checkpoint_size: latest.as_ref().map_or(0, |c| c.size),
        checkpoint_time: latest.as_ref().map(|c| format_utc(c.created_at)).unwrap_or_else(|| "not yet".into()),
        checkpoint_note: latest.map(|c| c.note).unwrap_or_default(),
        verifier_key: signer.unwrap_or_else(|| state.journal.verifier_key().to_string()),
        events,
    })
}
