//! Evidence bytes on the local filesystem, under the data directory.

use super::{Staged, relative_path};
use anyhow::Context;
use bytes::Bytes;
use futures_util::Stream;
use std::path::PathBuf;
use std::pin::Pin;

#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
    pub(super) staging: PathBuf,
}

impl LocalStore {
    pub fn new(root: PathBuf, staging: PathBuf) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&root).with_context(|| format!("cannot create {}", root.display()))?;
        Ok(Self { root, staging })
    }

    fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(relative_path(sha256))
    }

    /// Renames the synced staging file into place and syncs the folder, so the name survives a crash.
    pub(super) async fn store(&self, staged: &Staged) -> anyhow::Result<()> {
        let target = self.path(&staged.sha256);
        if tokio::fs::try_exists(&target).await.unwrap_or(false) {
            return Ok(());
        }
        let folder = target.parent().expect("blob paths have a folder").to_path_buf();
        tokio::fs::create_dir_all(&folder).await?;
        tokio::fs::rename(&staged.path, &target).await?;
        tokio::task::spawn_blocking(move || std::fs::File::open(&folder).and_then(|f| f.sync_all())).await??;
        Ok(())
    }

    pub(super) async fn read(
        &self,
        sha256: &str,
    ) -> anyhow::Result<Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>> {
        let file = tokio::fs::File::open(self.path(sha256))
            .await
            .with_context(|| format!("evidence file {sha256} is missing from the blob folder"))?;
        Ok(Box::pin(tokio_util::io::ReaderStream::new(file)))
    }

    pub(super) async fn list(&self) -> anyhow::Result<Vec<String>> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || {
            let mut keys = Vec::new();
            for folder in std::fs::read_dir(&root)? {
                let folder = folder?;
                if !folder.file_type()?.is_dir() {
                    continue;
                }
                let prefix = folder.file_name().to_string_lossy().into_owned();
                for file in std::fs::read_dir(folder.path())? {
                    keys.push(format!("{prefix}{}", file?.file_name().to_string_lossy()));
                }
            }
            keys.sort();
            Ok(keys)
        })
        .await?
    }
}
