//! The façade detectors: each reads the registers and returns findings (see `crate::domain::leadership::finding`).

pub mod review;

use crate::clock::UnixTime;
use crate::db::Conn;
use crate::domain::ids::OrgId;
use crate::domain::leadership::Finding;
use crate::error::AppError;

/// Every detector's findings for `org` on day `today`, dismissed ones included.
pub async fn run_all(c: &mut Conn<'_>, org: OrgId, today: UnixTime) -> Result<Vec<Finding>, AppError> {
    let mut findings = Vec::new();
    findings.extend(review::findings(c, org, today).await?);
    Ok(findings)
}
