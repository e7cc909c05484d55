//! `/api/v1/evidence`: upload (multipart, streamed), list, show and download evidence.

use crate::clock::{UnixTime, parse_time, rfc3339};
use crate::db;
use crate::db::evidence::{EvidenceRow, Filter};
use crate::domain::ids::EvidenceId;
use crate::error::AppError;
use crate::evidence::{self, Upload};
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EvidenceView {
    #[schema(value_type = i64)]
    pub id: EvidenceId,
    pub title: String,
    /// The uploader's file name, kept only as metadata.
    pub filename: String,
    pub media_type: String,
    pub size: i64,
    /// SHA-256 of the content (hex); the content is stored under it.
    pub sha256: String,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub expires_at: Option<String>,
    pub uploaded_by: String,
    pub uploaded_at: String,
    #[schema(value_type = Option<i64>)]
    pub supersedes: Option<EvidenceId>,
    #[schema(value_type = Option<i64>)]
    pub superseded_by: Option<EvidenceId>,
}

impl From<EvidenceRow> for EvidenceView {
    fn from(row: EvidenceRow) -> Self {
        Self {
            id: row.id,
            title: row.title,
            filename: row.filename,
            media_type: row.media_type,
            size: row.size,
            sha256: row.sha256,
            record_type: row.record_type,
            record_id: row.record_id,
            expires_at: row.expires_at.map(rfc3339),
            uploaded_by: row.uploader_email,
            uploaded_at: rfc3339(row.uploaded_at),
            supersedes: row.supersedes,
            superseded_by: row.superseded_by,
        }
    }
}

/// The most text a non-file form field may carry.
const FIELD_LIMIT: usize = 4096;

/// Reads a bounded text field.
async fn text_field(mut field: axum::extract::multipart::Field<'_>) -> Result<String, AppError> {
    let name = field.name().unwrap_or("field").to_string();
    let mut bytes = Vec::new();
    while let Some(chunk) =
        field.chunk().await.map_err(|e| AppError::BadRequest(format!("the upload was interrupted: {e}")))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > FIELD_LIMIT {
            return Err(AppError::Invalid(format!("the field '{name}' is longer than {FIELD_LIMIT} bytes")));
        }
    }
    String::from_utf8(bytes).map_err(|_| AppError::Invalid(format!("the field '{name}' is not UTF-8 text")))
}

/// The end of the day a `YYYY-MM-DD` (or RFC 3339) expiry names.
pub fn parse_expiry(text: &str) -> Result<Option<UnixTime>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t if t.len() == 10 => parse_time(t).map(|d| Some(d + 86_399)).ok_or_else(|| bad_date(t)),
        t => parse_time(t).map(Some).ok_or_else(|| bad_date(t)),
    }
}

fn bad_date(text: &str) -> AppError {
    AppError::Invalid(format!("'{text}' is not a date; use YYYY-MM-DD"))
}

/// Reads a multipart upload: streams the `file` part to staging, collects the other fields, and hands both
/// to [`evidence::accept`]. Shared by the API and the evidence page.
pub async fn receive(
    state: &AppState,
    principal: &Principal,
    request: &RequestId,
    mut multipart: Multipart,
) -> Result<EvidenceRow, AppError> {
    let mut upload = Upload::default();
    let mut staged = None;
    let result = async {
        while let Some(field) = multipart.next_field().await.map_err(|e| AppError::BadRequest(format!("the upload is not valid multipart form data: {e}")))? {
            match field.name().unwrap_or_default() {
                "file" => {
                    if staged.is_some() {
                        return Err(AppError::Invalid("send one file per upload".into()));
                    }
                    upload.filename = field.file_name().unwrap_or_default().to_string();
                    upload.declared_type = field.content_type().unwrap_or_default().to_string();
                    let limit = state.config.max_upload_bytes;
                    staged = Some(state.blobs.stage(field, limit).await.map_err(|e| match e {
                        crate::blob::StageError::TooLarge { limit } => AppError::PayloadTooLarge(format!(
                            "the file is larger than the {} MiB allowed; split it or ask an administrator to raise the limit",
                            limit / (1024 * 1024)
                        )),
                        crate::blob::StageError::DiskFull => AppError::InsufficientStorage("the server's disk is full, so the file was not stored".into()),
                        crate::blob::StageError::Interrupted(e) => AppError::BadRequest(format!("the upload was interrupted: {e}")),
                        crate::blob::StageError::Io(e) => AppError::Internal(e.into()),
                    })?);
                }
                "title" => upload.title = Some(text_field(field).await?),
                "record_type" => upload.record_type = Some(text_field(field).await?).filter(|t| !t.trim().is_empty()),
                "record_id" => upload.record_id = Some(text_field(field).await?).filter(|t| !t.trim().is_empty()),
                "expires_on" => upload.expires_at = parse_expiry(&text_field(field).await?)?,
                "supersedes" => {
                    let text = text_field(field).await?;
                    if !text.trim().is_empty() {
                        let id = text.trim().parse().map_err(|_| AppError::Invalid(format!("supersedes '{text}' is not an evidence id")))?;
                        upload.supersedes = Some(EvidenceId(id));
                    }
                }
                "csrf_token" => {
                    text_field(field).await?;
                }
                other => return Err(AppError::Invalid(format!("unknown field '{other}'; send file, title, record_type, record_id, expires_on, supersedes"))),
            }
        }
        Ok(())
    }
    .await;
    match (result, staged) {
        (Ok(()), Some(staged)) => {
            let ctx = state.ctx(principal, request);
            evidence::accept(&ctx, &state.blobs, principal.org_id, principal.user_id, staged, upload).await
        }
        (Ok(()), None) => Err(AppError::Invalid("the upload has no 'file' part".into())),
        (Err(error), staged) => {
            if let Some(staged) = staged {
                state.blobs.discard(&staged).await;
            }
            Err(error)
        }
    }
}

#[utoipa::path(post, path = "/api/v1/evidence", tag = "evidence",
    request_body(content_type = "multipart/form-data", description = "file (required), title, record_type, record_id, expires_on (YYYY-MM-DD), supersedes (evidence id)"),
    responses((status = 201, body = EvidenceView), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<EvidenceView>), AppError> {
    let multipart = multipart
        .map_err(|e| AppError::UnsupportedMediaType(format!("send the upload as multipart/form-data: {e}")))?;
    let row = receive(&state, &principal, &request, multipart).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EvidenceQuery {
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    /// Only evidence expiring within this many days.
    pub expiring_within_days: Option<i64>,
    /// Include superseded versions.
    pub all_versions: Option<bool>,
    /// Only evidence whose title or file name contains this text.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl EvidenceQuery {
    pub fn filter(&self, now: UnixTime) -> Result<Filter<'_>, AppError> {
        if let Some(days) = self.expiring_within_days
            && !(0..=3650).contains(&days)
        {
            return Err(AppError::Invalid("expiring_within_days must be between 0 and 3650".into()));
        }
        Ok(Filter {
            record_type: self.record_type.as_deref().filter(|t| !t.is_empty()),
            record_id: self.record_id.as_deref().filter(|t| !t.is_empty()),
            expiring_before: self.expiring_within_days.map(|d| now + d * 86_400),
            include_superseded: self.all_versions.unwrap_or(false),
            search: self.q.as_deref().unwrap_or(""),
        })
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EvidenceList {
    pub items: Vec<EvidenceView>,
    pub total: i64,
}

#[utoipa::path(get, path = "/api/v1/evidence", tag = "evidence", params(EvidenceQuery),
    responses((status = 200, body = EvidenceList), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<EvidenceQuery>,
) -> Result<Json<EvidenceList>, AppError> {
    let limit = query.limit.unwrap_or(100);
    let offset = query.offset.unwrap_or(0);
    if !(1..=500).contains(&limit) || offset < 0 {
        return Err(AppError::Invalid("limit must be between 1 and 500 and offset not negative".into()));
    }
    let filter = query.filter(state.clock.now())?;
    let mut c = state.db.read().await?;
    let (rows, total) = db::evidence::list(&mut c.conn(), principal.org_id, &filter, limit, offset).await?;
    Ok(Json(EvidenceList { items: rows.into_iter().map(Into::into).collect(), total }))
}

async fn fetch(state: &AppState, principal: &Principal, id: i64) -> Result<EvidenceRow, AppError> {
    let mut c = state.db.read().await?;
    db::evidence::get(&mut c.conn(), principal.org_id, EvidenceId(id))
        .await?
        .ok_or_else(|| AppError::not_found("evidence"))
}

#[utoipa::path(get, path = "/api/v1/evidence/{id}", tag = "evidence", params(("id" = i64, Path, description = "evidence id")),
    responses((status = 200, body = EvidenceView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EvidenceView>, AppError> {
    Ok(Json(fetch(&state, &principal, id).await?.into()))
}

/// `Content-Disposition: attachment` with an ASCII fallback name and the exact name in RFC 8187 encoding.
pub fn content_disposition(filename: &str) -> String {
    let fallback: String =
        filename.chars().map(|c| if c.is_ascii_alphanumeric() || " .-_()".contains(c) { c } else { '_' }).collect();
    let encoded = url::form_urlencoded::byte_serialize(filename.as_bytes()).collect::<String>().replace('+', "%20");
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Streams a piece of evidence's bytes.
pub async fn download(state: &AppState, principal: &Principal, id: i64) -> Result<Response, AppError> {
    let row = fetch(state, principal, id).await?;
    let stream = state.blobs.read(&row.sha256).await.map_err(AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, row.media_type.clone()),
            (header::CONTENT_DISPOSITION, content_disposition(&row.filename)),
            (header::CONTENT_LENGTH, row.size.to_string()),
            (header::HeaderName::from_static("x-evidence-sha256"), row.sha256.clone()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/evidence/{id}/content", tag = "evidence", params(("id" = i64, Path, description = "evidence id")),
    responses((status = 200, description = "the file's bytes", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn content(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, AppError> {
    download(&state, &principal, id).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_disposition_is_safe_and_keeps_the_name() {
        let header = super::content_disposition("Board \"minutes\"\r\n ü.pdf");
        assert!(!header.contains('\r') && !header.contains('\n'));
        assert!(header.starts_with("attachment; filename=\"Board _minutes___ _.pdf\""), "{header}");
        assert!(header.contains("filename*=UTF-8''Board%20%22minutes%22%0D%0A%20%C3%BC.pdf"), "{header}");
    }
}
