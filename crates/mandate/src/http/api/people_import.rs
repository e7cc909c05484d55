//! `POST /api/v1/people/import`: people from CSV (name, email, department, role); `?dry_run=true` reports what
//! would change without changing it.

use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiQuery, CsvBody};
use crate::http::headers::RequestId;
use crate::people_import::{self, ImportReport};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(post, path = "/api/v1/people/import", tag = "people", params(super::DryRun),
    request_body(content = String, content_type = "text/csv", description = "Header line naming the columns name, email, and optionally department and role; one person per line."),
    responses((status = 200, body = ImportReport, description = "The report; `applied` says whether the changes were made"),
        (status = 415, body = ErrorBody), (status = 422, body = ImportReport, description = "Rows with errors; nothing was changed")))]
#[tracing::instrument(skip_all)]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiQuery(query): ApiQuery<super::DryRun>,
    CsvBody(body): CsvBody,
) -> Result<(StatusCode, Json<ImportReport>), AppError> {
    let body = std::str::from_utf8(&body)
        .map_err(|_| AppError::Invalid("the file is not UTF-8 text; save it as CSV UTF-8 and send it again".into()))?;
    let report = people_import::import(&state.ctx(&principal, &request), principal.org_id, body, query.on()).await?;
    let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}
