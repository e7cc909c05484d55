//! Every SQL statement lives in this module. The same statements run on SQLite and PostgreSQL; the backend
//! is chosen at start-up from the database URL. Functions take a [`Conn`], obtained from the pool for reads
//! or from a [`Tx`] for changes, and every function that touches an organisation's rows takes its `OrgId`.

pub mod acknowledgement;
pub mod api_token;
pub mod appointment;
pub mod communication;
pub mod decision;
pub mod detector;
pub mod error;
pub mod evidence;
pub mod finding_dismissal;
pub mod involvement;
pub mod leadership;
pub mod leadership_records;
pub mod ledger;
pub mod login_attempt;
pub mod management_review;
pub mod measurement;
pub mod meeting;
pub mod meeting_action;
pub mod membership;
pub mod objective;
pub mod organisation;
pub mod phishing;
pub mod policy;
pub mod policy_exception;
pub mod policy_version;
pub mod raci;
pub mod records;
pub mod resource;
pub mod review_findings;
pub mod review_sources;
pub mod role_catalogue;
pub mod session;
pub mod setup_token;
pub mod sod;
pub mod training;
pub mod user;

pub use error::DbError;

use anyhow::Context;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Runs the same statement on whichever backend a [`Conn`] holds. The body is written once and compiled
/// for each backend, so SQL shared by both dialects is never duplicated.
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite($c) => $body,
            $crate::db::Conn::Postgres($c) => $body,
        }
    };
}
pub(crate) use on_conn;

/// Which database an installation uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to the installation's database.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool, WriteLock),
    Postgres(PgPool),
}

/// SQLite has one writer at a time. This process's writers queue here, in order, instead of in SQLite's busy
/// handler, whose back-off sleeps (up to 100 ms a try) left the slowest of 16 concurrent writes waiting about a
/// third of a second. Other processes (the commands) still meet the busy timeout.
type WriteLock = Arc<tokio::sync::Mutex<()>>;

/// A borrowed connection, from the pool or inside a transaction.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// A connection taken from the pool for reads.
pub enum Pooled {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A write transaction; dropped without [`Tx::commit`] it rolls back, so a change and its record go
/// together or not at all.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>, tokio::sync::OwnedMutexGuard<()>),
    Postgres(Transaction<'static, Postgres>),
}

impl Pooled {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(c) => Conn::Sqlite(c),
            Pooled::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl Tx {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t, _) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    pub async fn commit(self) -> Result<(), DbError> {
        match self {
            Tx::Sqlite(t, _writing) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Db {
    /// Opens the database named by `url`, or the SQLite file in `data_dir` when no URL is given, and brings
    /// its schema up to date.
    pub async fn open(data_dir: &Path, url: Option<&str>) -> anyhow::Result<Self> {
        let db = match url {
            None => {
                std::fs::create_dir_all(data_dir)
                    .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
                Self::open_sqlite(SqliteConnectOptions::new().filename(data_dir.join("mandate.db"))).await?
            }
            Some(url) if url.starts_with("sqlite:") => {
                let options = SqliteConnectOptions::from_str(url)
                    .with_context(|| "the sqlite: database URL is malformed".to_string())?;
                Self::open_sqlite(options).await?
            }
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let options = PgConnectOptions::from_str(url).context("the postgres:// database URL is malformed")?;
                Self::open_postgres(options).await?
            }
            Some(_) => anyhow::bail!(
                "unsupported database URL: use postgres://USER@HOST/DB, sqlite:PATH, or leave it unset for the SQLite file in the data directory"
            ),
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Opens SQLite with the settings the ledger needs: WAL, foreign keys, a busy timeout and full sync.
    pub async fn open_sqlite(options: SqliteConnectOptions) -> anyhow::Result<Self> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(15))
            // SQLite rolls a transaction back by itself when a write fails on a full disk (SQLITE_FULL) or an I/O
            // error, and sqlx then still counts that connection as inside a transaction: every later `BEGIN` on
            // it would fail. A connection still marked as in a transaction is closed instead of handed out, so
            // writes resume once space returns.
            .before_acquire(|conn, _| Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) }))
            .connect_with(options)
            .await
            .context("cannot open the SQLite database")?;
        Ok(Db::Sqlite(pool, WriteLock::default()))
    }

    pub async fn open_postgres(options: PgConnectOptions) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // While PostgreSQL is down, a request waits this long (sqlx retries refused connections until then)
            // before it is answered 503; short enough that people and clients are not left hanging.
            .acquire_timeout(Duration::from_secs(3))
            .connect_with(options)
            .await
            .context("cannot connect to PostgreSQL")?;
        Ok(Db::Postgres(pool))
    }

    /// Applies the embedded migrations for this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let result = match self {
            Db::Sqlite(pool, _) => sqlx::migrate!("migrations/sqlite").run(pool).await,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await,
        };
        result.context("the database schema could not be brought up to date (migration failed)")
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(..) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// A connection for reads.
    pub async fn read(&self) -> Result<Pooled, DbError> {
        Ok(match self {
            Db::Sqlite(pool, _) => Pooled::Sqlite(pool.acquire().await?),
            Db::Postgres(pool) => Pooled::Postgres(pool.acquire().await?),
        })
    }

    /// Starts a write transaction. On SQLite it first waits its turn among this process's writers, then takes
    /// the database's write lock at once (`BEGIN IMMEDIATE`), so writers queue instead of failing when one
    /// upgrades from reading to writing.
    pub async fn begin(&self) -> Result<Tx, DbError> {
        Ok(match self {
            Db::Sqlite(pool, lock) => {
                // As long as the pool's own wait: a writer stuck longer is an error, not a hang.
                let turn = tokio::time::timeout(Duration::from_secs(15), lock.clone().lock_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?;
                Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?, turn)
            }
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A write transaction if one can start without waiting for this process's other writers (SQLite); `None`
    /// when one is busy. For writes worth making but not worth waiting for, such as recording when a session was
    /// last seen. PostgreSQL has no such queue: it always begins.
    pub async fn try_begin(&self) -> Result<Option<Tx>, DbError> {
        Ok(match self {
            Db::Sqlite(pool, lock) => match lock.clone().try_lock_owned() {
                Ok(turn) => Some(Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?, turn)),
                Err(_) => None,
            },
            Db::Postgres(pool) => Some(Tx::Postgres(pool.begin().await?)),
        })
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool, _) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}
