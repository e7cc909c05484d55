//! The façade detectors: each reads the registers and returns findings (see `crate::domain::leadership::finding`).
//! Each detector reads with one or two aggregate queries (`crate::db::detector`), never one query per record.

pub mod meetings;
pub mod people;
pub mod plan;
pub mod policy;
pub mod resources;
pub mod review;

use crate::clock::UnixTime;
use crate::db::Conn;
use crate::domain::ids::OrgId;
use crate::domain::leadership::Finding;
use crate::error::AppError;

/// Every detector's findings for `org` on day `today`, dismissed ones included.
pub async fn run_all(c: &mut Conn<'_>, org: OrgId, today: UnixTime) -> Result<Vec<Finding>, AppError> {
    let mut findings = Vec::new();
    findings.extend(resources::findings(c, org, today).await?);
    findings.extend(people::overdue_actions(c, org, today).await?);
    findings.extend(review::findings(c, org, today).await?);
    findings.extend(policy::review_overdue(c, org, today).await?);
    findings.extend(policy::approved_outside(c, org, today).await?);
    let managers = crate::db::detector::top_managers(c, org, today).await?;
    findings.extend(people::no_involvement(&managers, today));
    findings.extend(meetings::topics(c, org, today).await?);
    findings.extend(meetings::without_decisions(c, org, today).await?);
    findings.extend(plan::communication(c, org, today).await?);
    findings.extend(plan::objectives(c, org, today).await?);
    findings.extend(people::training(c, org, today).await?);
    Ok(findings)
}
