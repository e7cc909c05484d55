//! The leadership page's snapshot (the index and the findings that stand), kept per organisation until the
//! organisation's ledger grows or the hour turns. Every change to a record appends a ledger event in the same
//! transaction, so the ledger's size is an exact change counter, shared by every server on one database; the
//! hour bounds how late a purely time-driven change (a window ending, an action falling overdue) shows.

use super::index::Index;
use crate::clock::UnixTime;
use crate::db::{self, Conn};
use crate::domain::ids::OrgId;
use crate::domain::leadership::Finding;
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What the page shows.
#[derive(Debug)]
pub struct Snapshot {
    pub findings: Vec<Finding>,
    pub index: Index,
}

/// (ledger size, hour since the epoch): the snapshot is valid while both are unchanged.
type Key = (i64, i64);

/// An organisation's slot: its snapshot, behind a lock held while one request computes it, so requests that
/// arrive meanwhile wait for that result instead of computing it again.
type Slot = Arc<tokio::sync::Mutex<Option<(Key, Arc<Snapshot>)>>>;

/// One snapshot per organisation.
#[derive(Clone, Default)]
pub struct Cache {
    slots: Arc<Mutex<HashMap<OrgId, Slot>>>,
}

impl Cache {
    /// `org`'s snapshot at `now`, computed when the ledger or the hour has moved since the last one.
    pub async fn snapshot(&self, c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Arc<Snapshot>, AppError> {
        let size = db::ledger::head(c, org).await?.map_or(0, |h| h.size);
        let key = (size, now.div_euclid(3600));
        let slot = self.slots.lock().map_err(|_| poisoned())?.entry(org).or_default().clone();
        let mut slot = slot.lock().await;
        if let Some((found, snapshot)) = slot.as_ref()
            && *found == key
        {
            return Ok(snapshot.clone());
        }
        let findings = super::current_findings(c, org, now).await?;
        let index = super::index_of(c, org, now, &findings).await?;
        let snapshot = Arc::new(Snapshot { findings, index });
        *slot = Some((key, snapshot.clone()));
        Ok(snapshot)
    }
}

fn poisoned() -> AppError {
    AppError::Internal(anyhow::anyhow!("the leadership cache was poisoned by a panic"))
}
