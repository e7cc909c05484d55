//! Database errors translated at the boundary into what callers branch on.

/// What went wrong with a database call, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row does not exist (or belongs to another organisation, which callers must not distinguish).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule would be broken.
    #[error("already exists")]
    Conflict,
    /// The disk holding the database is full.
    #[error("the database disk is full")]
    DiskFull,
    /// The database cannot be reached right now (down, restarting, pool exhausted).
    #[error("the database is unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error(transparent)]
    Other(sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => DbError::Conflict,
            // SQLITE_FULL (13) and PostgreSQL's disk_full (53100).
            sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("13") | Some("53100")) => {
                DbError::DiskFull
            }
            sqlx::Error::Io(io) if io.raw_os_error() == Some(28) => DbError::DiskFull,
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Tls(_) => DbError::Unavailable(error),
            // PostgreSQL shutting down or refusing connections (class 57P and 08).
            sqlx::Error::Database(db) if db.code().is_some_and(|c| c.starts_with("57P") || c.starts_with("08")) => {
                DbError::Unavailable(error)
            }
            _ => DbError::Other(error),
        }
    }
}

/// Maps "no row" to [`DbError::NotFound`] for lookups that must find something.
pub trait Found<T> {
    fn found(self) -> Result<T, DbError>;
}

impl<T> Found<T> for Result<Option<T>, DbError> {
    fn found(self) -> Result<T, DbError> {
        self?.ok_or(DbError::NotFound)
    }
}
