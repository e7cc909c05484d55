//! How errors become responses: JSON `{"error":{"code","message"}}` for the API, an HTML page for people.
//! Internal errors carry no detail to the client; the request-id middleware logs them once and writes the
//! opaque body with the request id.

use crate::error::AppError;
use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};

/// The detail of an internal error, carried from the handler to the request-id middleware for logging.
#[derive(Debug, Clone)]
pub struct InternalDetail(pub String);

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Invalid(_) => "invalid",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Unavailable(_) => "unavailable",
            AppError::InsufficientStorage(_) => "insufficient_storage",
            AppError::Internal(_) => "internal",
        }
    }

    fn internal_response(&self) -> Option<Response> {
        if let AppError::Internal(error) = self {
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(InternalDetail(format!("{error:#}")));
            Some(response)
        } else {
            None
        }
    }

    fn with_retry_after(&self, mut response: Response) -> Response {
        if let AppError::TooManyRequests { retry_after_seconds, .. } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// The JSON error body, as the OpenAPI document describes it.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `not_found`, `invalid`, `forbidden`.
    pub code: String,
    /// What went wrong and what to do about it.
    pub message: String,
}

pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = ErrorBody { error: ErrorDetail { code: code.into(), message: message.into() } };
    (status, Json(body)).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some(response) = self.internal_response() {
            return response;
        }
        let response = json_error(self.status(), self.code(), &self.to_string());
        self.with_retry_after(response)
    }
}

/// An error on a page: an HTML answer, or the sign-in page when the person is not signed in.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError(error)
    }
}

impl From<crate::db::DbError> for PageError {
    fn from(error: crate::db::DbError) -> Self {
        PageError(error.into())
    }
}

impl From<crate::domain::Invalid> for PageError {
    fn from(error: crate::domain::Invalid) -> Self {
        PageError(error.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    reason: &'a str,
    message: &'a str,
}

/// Renders an error page; used for page errors and for the opaque 500 page.
pub fn html_error(status: StatusCode, message: &str) -> Response {
    let page = ErrorPage { status: status.as_u16(), reason: status.canonical_reason().unwrap_or("Error"), message };
    match page.render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(_) => (status, message.to_string()).into_response(),
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let error = self.0;
        if let Some(response) = error.internal_response() {
            return response;
        }
        if matches!(error, AppError::Unauthorized(_)) {
            return Redirect::to("/login").into_response();
        }
        let response = html_error(error.status(), &error.to_string());
        error.with_retry_after(response)
    }
}

/// The answer for a URL that names no route.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        json_error(StatusCode::NOT_FOUND, "not_found", "no such API route; see /api/v1/openapi.json")
    } else {
        html_error(StatusCode::NOT_FOUND, "There is no page at this address.")
    }
}
