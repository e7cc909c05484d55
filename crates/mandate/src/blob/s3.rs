//! Evidence bytes in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW…), through the `object_store` crate.

use super::{Staged, relative_path};
use anyhow::Context;
use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use tokio::io::AsyncReadExt;

#[derive(Debug, Clone)]
pub struct S3Store {
    store: Arc<AmazonS3>,
    pub(super) staging: PathBuf,
}

/// Parts of a multipart upload; S3 needs at least 5 MiB per part but the last.
const PART: usize = 8 * 1024 * 1024;

impl S3Store {
    /// `s3://BUCKET?endpoint=http://127.0.0.1:9000&region=us-east-1`; credentials come from the usual
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` environment variables.
    pub fn from_url(url: &str, staging: PathBuf) -> anyhow::Result<Self> {
        let parsed = url::Url::parse(url).with_context(|| format!("the blob URL '{url}' is malformed"))?;
        let bucket =
            parsed.host_str().filter(|b| !b.is_empty()).context("the blob URL names no bucket: s3://BUCKET")?;
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for (key, value) in parsed.query_pairs() {
            builder = match key.as_ref() {
                "endpoint" => {
                    let http = value.starts_with("http://");
                    builder.with_endpoint(value.as_ref()).with_allow_http(http).with_virtual_hosted_style_request(false)
                }
                "region" => builder.with_region(value.as_ref()),
                other => anyhow::bail!("unknown blob URL option '{other}': use endpoint and region"),
            };
        }
        let store = builder.build().context("cannot configure the S3 blob store")?;
        Ok(Self { store: Arc::new(store), staging })
    }

    pub(super) async fn store(&self, staged: &Staged) -> anyhow::Result<()> {
        let key = ObjectPath::from(relative_path(&staged.sha256));
        if self.store.head(&key).await.is_ok() {
            return Ok(());
        }
        let upload = self.store.put_multipart(&key).await.context("cannot start the evidence upload to S3")?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
        let mut file = tokio::fs::File::open(&staged.path).await?;
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            let read = file.read(&mut buffer).await?;
            if read == 0 {
                break;
            }
            writer.wait_for_capacity(4).await?;
            writer.write(&buffer[..read]);
        }
        writer.finish().await.context("cannot finish the evidence upload to S3")?;
        Ok(())
    }

    pub(super) async fn read(
        &self,
        sha256: &str,
    ) -> anyhow::Result<Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>> {
        let key = ObjectPath::from(relative_path(sha256));
        let result =
            self.store.get(&key).await.with_context(|| format!("evidence file {sha256} is missing from S3"))?;
        Ok(Box::pin(result.into_stream().map_err(std::io::Error::other)))
    }

    pub(super) async fn list(&self) -> anyhow::Result<Vec<String>> {
        let mut keys: Vec<String> =
            self.store.list(None).map_ok(|meta| meta.location.to_string().replace('/', "")).try_collect().await?;
        keys.sort();
        Ok(keys)
    }
}
