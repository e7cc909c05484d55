//! Evidence bytes. Every file is first staged in the data directory (streamed to a temp file while hashed and
//! counted, then fsynced), then stored under its SHA-256: `blobs/ab/cdef…` on the local filesystem, or the same key
//! in an S3-compatible bucket. Only after that is the database row committed, so a row never names missing bytes.

mod local;
mod s3;

use anyhow::Context;
use bytes::Bytes;
use futures_util::Stream;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

pub use local::LocalStore;
pub use s3::S3Store;

/// Where evidence bytes live.
#[derive(Debug, Clone)]
pub enum BlobStore {
    Local(LocalStore),
    S3(S3Store),
}

/// A file written to the staging area, hashed and synced, not yet stored.
#[derive(Debug)]
pub struct Staged {
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// The first bytes, for checking the file's type.
    pub head: Vec<u8>,
}

/// Why staging failed.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error("the file is larger than the {limit} bytes allowed")]
    TooLarge { limit: u64 },
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error("the server's disk is full")]
    DiskFull,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn is_disk_full(error: &std::io::Error) -> bool {
    error.raw_os_error() == Some(28)
}

/// How many leading bytes are kept for type checks.
const HEAD: usize = 8192;

impl BlobStore {
    /// The store named by `--blob-url` (`s3://BUCKET?endpoint=…&region=…`), or the data directory's `blobs/`.
    pub fn open(data_dir: &Path, url: Option<&str>) -> anyhow::Result<Self> {
        let staging = data_dir.join("staging");
        std::fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
        match url {
            None => Ok(BlobStore::Local(LocalStore::new(data_dir.join("blobs"), staging)?)),
            Some(url) if url.starts_with("s3://") => Ok(BlobStore::S3(S3Store::from_url(url, staging)?)),
            Some(other) => {
                anyhow::bail!("unsupported blob URL '{other}': use s3://BUCKET?endpoint=URL or leave it unset")
            }
        }
    }

    fn staging_dir(&self) -> &Path {
        match self {
            BlobStore::Local(s) => &s.staging,
            BlobStore::S3(s) => &s.staging,
        }
    }

    /// Streams `body` into a staging file, refusing it once it passes `limit` bytes.
    pub async fn stage<S, E>(&self, mut body: S, limit: u64) -> Result<Staged, StageError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        use futures_util::StreamExt;
        let path = self.staging_dir().join(format!("upload-{}", &crate::secret::new_token("")[..22]));
        let result = async {
            let mut file = tokio::fs::File::create(&path).await?;
            let mut hasher = Sha256::new();
            let mut size: u64 = 0;
            let mut head = Vec::with_capacity(HEAD);
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| StageError::Interrupted(e.to_string()))?;
                size += chunk.len() as u64;
                if size > limit {
                    return Err(StageError::TooLarge { limit });
                }
                if head.len() < HEAD {
                    let take = (HEAD - head.len()).min(chunk.len());
                    head.extend_from_slice(&chunk[..take]);
                }
                hasher.update(&chunk);
                file.write_all(&chunk).await?;
            }
            file.sync_all().await?;
            Ok(Staged { path: path.clone(), sha256: hex::encode(hasher.finalize()), size, head })
        }
        .await;
        match result {
            Ok(staged) => Ok(staged),
            Err(error) => {
                let _ = tokio::fs::remove_file(&path).await;
                Err(match error {
                    StageError::Io(io) if is_disk_full(&io) => StageError::DiskFull,
                    other => other,
                })
            }
        }
    }

    /// Moves a staged file to its content address. Storing bytes that are already there is a no-op.
    pub async fn store(&self, staged: &Staged) -> anyhow::Result<()> {
        let result = match self {
            BlobStore::Local(s) => s.store(staged).await,
            BlobStore::S3(s) => s.store(staged).await,
        };
        let _ = tokio::fs::remove_file(&staged.path).await;
        result
    }

    /// Throws a staged file away.
    pub async fn discard(&self, staged: &Staged) {
        let _ = tokio::fs::remove_file(&staged.path).await;
    }

    /// The stored bytes of `sha256` as a stream.
    pub async fn read(
        &self,
        sha256: &str,
    ) -> anyhow::Result<std::pin::Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>> {
        check_key(sha256)?;
        match self {
            BlobStore::Local(s) => s.read(sha256).await,
            BlobStore::S3(s) => s.read(sha256).await,
        }
    }

    /// Copies a stored blob into a staging file (for readers that need a plain file, like the bundle writer).
    pub async fn copy_to_staging(&self, sha256: &str) -> anyhow::Result<PathBuf> {
        use futures_util::StreamExt;
        let path = self.staging_dir().join(format!("copy-{}", &crate::secret::new_token("")[..22]));
        let mut stream = self.read(sha256).await?;
        let mut file = tokio::fs::File::create(&path).await?;
        while let Some(chunk) = stream.next().await {
            file.write_all(&chunk?).await?;
        }
        file.flush().await?;
        Ok(path)
    }

    /// Every stored blob's key.
    pub async fn list(&self) -> anyhow::Result<Vec<String>> {
        match self {
            BlobStore::Local(s) => s.list().await,
            BlobStore::S3(s) => s.list().await,
        }
    }

    /// Re-hashes one stored blob; `Ok(false)` when its bytes no longer match its name.
    pub async fn rehash(&self, sha256: &str) -> anyhow::Result<bool> {
        use futures_util::StreamExt;
        let mut stream = self.read(sha256).await?;
        let mut hasher = Sha256::new();
        while let Some(chunk) = stream.next().await {
            hasher.update(chunk?);
        }
        Ok(hex::encode(hasher.finalize()) == sha256)
    }
}

/// A blob key is 64 lower-case hex digits; nothing else ever reaches a path or an object name.
fn check_key(sha256: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "'{sha256}' is not a SHA-256 blob key"
    );
    Ok(())
}

/// `ab/cdef…`: the first two hex digits as a folder, so no folder grows too large.
pub fn relative_path(sha256: &str) -> String {
    format!("{}/{}", &sha256[..2], &sha256[2..])
}
