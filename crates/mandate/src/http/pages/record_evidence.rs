//! The evidence box on a record's page: what is attached to the record, and a form to attach more (it posts to
//! the evidence upload, which checks and stores the file and ledgers it).

use crate::db;
use crate::domain::ids::EvidenceId;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::{EVIDENCE_READERS, EVIDENCE_WRITERS};
use crate::http::auth::Principal;

/// A piece of evidence attached to the record.
pub struct AttachedEvidence {
    pub id: EvidenceId,
    pub title: String,
    pub uploaded: String,
}

/// What the box shows.
pub struct EvidenceBox {
    pub record_type: &'static str,
    pub record_id: String,
    /// Whether the person may see evidence at all (employees may not).
    pub can_read: bool,
    pub can_upload: bool,
    pub items: Vec<AttachedEvidence>,
    /// Current versions attached, beyond those listed.
    pub more: i64,
}

/// How many attached files the box lists.
const SHOWN: i64 = 20;

impl EvidenceBox {
    /// The box for `record_type` `record_id` as `principal` may see it.
    pub async fn load(
        state: &AppState,
        principal: &Principal,
        record_type: &'static str,
        record_id: i64,
    ) -> Result<Self, AppError> {
        let record_id = record_id.to_string();
        let can_read = EVIDENCE_READERS.contains(&principal.role);
        let (items, total) = if can_read {
            let filter = db::evidence::Filter {
                record_type: Some(record_type),
                record_id: Some(&record_id),
                ..Default::default()
            };
            let mut c = state.db.read().await?;
            let (rows, total) = db::evidence::list(&mut c.conn(), principal.org_id, &filter, SHOWN, 0).await?;
            let items = rows
                .into_iter()
                .map(|e| AttachedEvidence {
                    id: e.id,
                    title: e.title,
                    uploaded: crate::clock::format_utc(e.uploaded_at),
                })
                .collect();
            (items, total)
        } else {
            (Vec::new(), 0)
        };
        Ok(Self {
            record_type,
            record_id,
            can_read,
            can_upload: EVIDENCE_WRITERS.contains(&principal.role),
            more: (total - SHOWN).max(0),
            items,
        })
    }
}
