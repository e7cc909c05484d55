//! Extractors whose rejections speak our error format: JSON for the API, a page for forms.

use super::error::PageError;
use crate::error::AppError;
use axum::extract::FromRequest;
use axum::extract::FromRequestParts;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};

/// A JSON request body; a malformed one is a 400/415/422 with the parser's explanation.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// Path parameters of an API route.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// Query parameters of an API route.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

/// A URL-encoded form from a page.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Form), rejection(PageError))]
pub struct PageForm<T>(pub T);

/// Path parameters of a page.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(PageError))]
pub struct PagePath<T>(pub T);

/// Query parameters of a page.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(PageError))]
pub struct PageQuery<T>(pub T);

fn too_large() -> AppError {
    AppError::PayloadTooLarge(format!(
        "the request body is larger than the {} KiB allowed; send less at once",
        super::BODY_LIMIT / 1024
    ))
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return too_large();
        }
        match rejection {
            JsonRejection::MissingJsonContentType(_) => {
                AppError::UnsupportedMediaType("send the body as JSON with 'Content-Type: application/json'".into())
            }
            JsonRejection::JsonDataError(e) => AppError::Invalid(format!("the JSON does not fit: {}", e.body_text())),
            JsonRejection::JsonSyntaxError(e) => {
                AppError::BadRequest(format!("the body is not valid JSON: {}", e.body_text()))
            }
            other => AppError::BadRequest(other.body_text()),
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::BadRequest(format!("the address is malformed: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest(format!("the query string is malformed: {}", rejection.body_text()))
    }
}

impl From<FormRejection> for AppError {
    fn from(rejection: FormRejection) -> Self {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return too_large();
        }
        AppError::BadRequest(format!("the form could not be read: {}", rejection.body_text()))
    }
}

impl From<FormRejection> for PageError {
    fn from(rejection: FormRejection) -> Self {
        PageError(rejection.into())
    }
}

impl From<PathRejection> for PageError {
    fn from(rejection: PathRejection) -> Self {
        PageError(rejection.into())
    }
}

impl From<QueryRejection> for PageError {
    fn from(rejection: QueryRejection) -> Self {
        PageError(rejection.into())
    }
}

/// A CSV file sent as the whole request body (`Content-Type: text/csv`, or `text/plain`), as bytes: each importer
/// checks the encoding itself, so a wrong one is reported with the other problems of the file.
#[derive(Debug)]
pub struct CsvBody(pub bytes::Bytes);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = AppError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let media = request.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        if !media.is_some_and(|m| m.starts_with("text/csv") || m.starts_with("text/plain")) {
            return Err(AppError::UnsupportedMediaType("send the file as CSV with 'Content-Type: text/csv'".into()));
        }
        let body = bytes::Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge(
                    "the file is larger than this import accepts; split it and send the parts".into(),
                )
            } else {
                AppError::BadRequest(format!("the file could not be read: {}", rejection.body_text()))
            }
        })?;
        Ok(Self(body))
    }
}
