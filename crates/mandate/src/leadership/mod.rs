//! Leadership and commitment (ISO/IEC 27001 5.1, 9.3): the Leadership Evidence Index, the façade detectors and
//! the management review compiled from live data.

pub mod cache;
pub mod detectors;
pub mod findings;
pub mod index;
pub mod review;
pub mod windows;

use crate::clock::UnixTime;
use crate::db::{self, Conn};
use crate::domain::ids::OrgId;
use crate::domain::leadership::Finding;
use crate::domain::role::Role;
use crate::error::AppError;
use index::{Index, Manager};

/// `org`'s current top managers, by name.
pub async fn top_managers(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Manager>, AppError> {
    Ok(db::membership::managers(c, org, now)
        .await?
        .into_iter()
        .filter(|m| m.role() == Role::TopManagement)
        .map(|m| Manager { user_id: m.user_id, name: m.name })
        .collect())
}

/// The index of `org` at `now`, with `findings` (the current, undismissed ones) standing against duties.
pub async fn index_of(c: &mut Conn<'_>, org: OrgId, now: UnixTime, findings: &[Finding]) -> Result<Index, AppError> {
    let windows = index::windows(c, org).await?;
    let signals = index::signals(c, org, index::since(now, &windows), now).await?;
    let managers = top_managers(c, org, now).await?;
    Ok(index::compute(&signals, &windows, &managers, findings, now))
}

/// The façade detectors' findings for `org` today that stand (not dismissed), most recent condition first.
pub async fn current_findings(c: &mut Conn<'_>, org: OrgId, now: UnixTime) -> Result<Vec<Finding>, AppError> {
    let mut findings: Vec<Finding> =
        findings::current(c, org, now).await?.open.into_iter().map(|t| t.finding).collect();
    findings.sort_by(|a, b| b.since.cmp(&a.since).then_with(|| a.detector.cmp(&b.detector)));
    Ok(findings)
}
