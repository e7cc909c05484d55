//! `POST /api/v1/people/import`: people from CSV (name, email, department, role); `?dry_run=true` reports what
//! would change without changing it.

use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::ApiQuery;
use crate::http::headers::RequestId;
use crate::people_import::{self, ImportReport};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Report what would change, change nothing.
    pub dry_run: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/people/import", tag = "people", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "Header line naming the columns name, email, and optionally department and role; one person per line."),
    responses((status = 200, body = ImportReport, description = "The report; `applied` says whether the changes were made"),
        (status = 415, body = ErrorBody), (status = 422, body = ImportReport, description = "Rows with errors; nothing was changed")))]
#[tracing::instrument(skip_all)]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiQuery(query): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: String,
) -> Result<(StatusCode, Json<ImportReport>), AppError> {
    let media = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !(media.starts_with("text/csv") || media.starts_with("text/plain")) {
        return Err(AppError::UnsupportedMediaType("send the people list as text/csv".into()));
    }
    let dry_run = query.dry_run.unwrap_or(false);
    let report = people_import::import(&state.ctx(&principal, &request), principal.org_id, &body, dry_run).await?;
    let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}
