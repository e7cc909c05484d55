//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document generated from this code.

pub mod actions;
pub mod appointments;
pub mod cited_decision;
pub mod communication;
pub mod communications;
pub mod evidence;
pub mod findings;
pub mod involvement;
pub mod leadership;
pub mod ledger;
pub mod me;
pub mod measurements;
pub mod meeting_views;
pub mod meetings;
pub mod objective_input;
pub mod objectives;
pub mod openapi;
pub mod people_import;
pub mod phishing;
pub mod policies;
pub mod policy_reviews;
pub mod policy_versions;
pub mod raci;
pub mod resource_actions;
pub mod resource_views;
pub mod resources;
pub mod review_views;
pub mod reviews;
pub mod roles;
pub mod sod;
pub mod tokens;
pub mod training;
pub mod training_completions;
pub mod users;

/// `?dry_run=true` on the CSV imports: check the file and report what would change, change nothing.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DryRun {
    /// Check the file and report what would change; change nothing.
    pub dry_run: Option<bool>,
}

impl DryRun {
    pub fn on(self) -> bool {
        self.dry_run.unwrap_or(false)
    }
}

/// Paging parameters shared by list endpoints.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// How many items to return (1–500, default 100).
    pub limit: Option<i64>,
    /// How many items to skip (default 0).
    pub offset: Option<i64>,
    /// Only items whose name or e-mail contains this text.
    pub q: Option<String>,
}

impl Paging {
    /// Checked limit and offset.
    pub fn bounds(&self) -> Result<(i64, i64), crate::error::AppError> {
        let limit = self.limit.unwrap_or(100);
        let offset = self.offset.unwrap_or(0);
        if !(1..=500).contains(&limit) {
            return Err(crate::error::AppError::Invalid("limit must be between 1 and 500".into()));
        }
        if offset < 0 {
            return Err(crate::error::AppError::Invalid("offset must not be negative".into()));
        }
        Ok((limit, offset))
    }
}

/// Distinguishes a field that is absent (leave unchanged) from one that is `null` (clear it).
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}
