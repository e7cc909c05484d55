//! The error type shared by operations and the HTTP layer. Every variant but `Internal` carries a message a
//! person can act on; `Internal` is answered with an opaque 500 and a request id, and logged once.

use crate::db::DbError;
use crate::domain::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed (syntax, wrong types).
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed input that breaks a rule.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_seconds: i64 },
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    InsufficientStorage(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }
}

impl From<Invalid> for AppError {
    fn from(invalid: Invalid) -> Self {
        AppError::Invalid(invalid.0)
    }
}

impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => AppError::NotFound("not found".into()),
            DbError::Conflict => AppError::Conflict("this already exists".into()),
            DbError::DiskFull => AppError::InsufficientStorage(
                "the server's disk is full, so nothing was changed; reading still works — try again once an administrator has freed space".into(),
            ),
            DbError::Unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable("the database is unavailable right now, so nothing was changed; try again in a moment".into())
            }
            DbError::Other(e) => AppError::Internal(e.into()),
        }
    }
}
