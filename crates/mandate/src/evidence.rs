//! Accepting evidence: type and content checks on a staged upload, storing its bytes, then its row and ledger
//! event in one transaction.

use crate::blob::{BlobStore, Staged};
use crate::clock::UnixTime;
use crate::context::Ctx;
use crate::db::{self, DbError};
use crate::domain::file_type::{self, Kind, ZipLimits};
use crate::domain::identity::display_name;
use crate::domain::ids::{EvidenceId, OrgId, UserId};
use crate::error::AppError;
use crate::journal::Change;

/// What the uploader says about a file.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub title: Option<String>,
    pub filename: String,
    pub declared_type: String,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub expires_at: Option<UnixTime>,
    pub supersedes: Option<EvidenceId>,
}

/// An evidence row's state as the ledger hashes it: the content hash ties the ledger to the bytes.
#[derive(serde::Serialize)]
struct EvidenceState<'a> {
    title: &'a str,
    filename: &'a str,
    media_type: &'a str,
    size: i64,
    sha256: &'a str,
    record_type: Option<&'a str>,
    record_id: Option<&'a str>,
    expires_at: Option<UnixTime>,
    supersedes: Option<EvidenceId>,
    superseded_by: Option<EvidenceId>,
}

impl<'a> EvidenceState<'a> {
    fn of(row: &'a db::evidence::EvidenceRow) -> Self {
        Self {
            title: &row.title,
            filename: &row.filename,
            media_type: &row.media_type,
            size: row.size,
            sha256: &row.sha256,
            record_type: row.record_type.as_deref(),
            record_id: row.record_id.as_deref(),
            expires_at: row.expires_at,
            supersedes: row.supersedes,
            superseded_by: row.superseded_by,
        }
    }
}

/// Refuses file names that carry paths or control characters, so nothing that looks like a path is ever kept.
fn check_filename(name: &str) -> Result<String, AppError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(AppError::Invalid("the file has no name; give it one (e.g. minutes.pdf)".into()));
    }
    if trimmed.contains(['/', '\\']) || trimmed.chars().any(char::is_control) || trimmed == "." || trimmed == ".." {
        return Err(AppError::Invalid(
            "the file name may not contain slashes, backslashes or control characters; rename the file and upload it again".into(),
        ));
    }
    if trimmed.chars().count() > 200 {
        return Err(AppError::Invalid("the file name is longer than 200 characters".into()));
    }
    Ok(trimmed.to_string())
}

/// Checks the staged bytes against the declared type; ZIP containers also against entry and size limits.
async fn check_content(staged: &Staged, kind: Kind) -> Result<(), AppError> {
    if !file_type::magic_matches(kind, &staged.head) {
        return Err(AppError::UnsupportedMediaType(
            "the file's content does not match its declared type (e.g. a renamed file); upload the original document"
                .into(),
        ));
    }
    if kind == Kind::Zip {
        let path = staged.path.clone();
        let totals = tokio::task::spawn_blocking(move || -> Result<(usize, u64, u64), String> {
            let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
            let mut archive = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
            let (mut expanded, mut compressed) = (0u64, 0u64);
            for i in 0..archive.len() {
                let entry = archive.by_index_raw(i).map_err(|e| e.to_string())?;
                expanded = expanded.saturating_add(entry.size());
                compressed = compressed.saturating_add(entry.compressed_size());
            }
            Ok((archive.len(), expanded, compressed))
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::UnsupportedMediaType(format!("the file is not a readable ZIP-based document: {e}")))?;
        let (entries, expanded, compressed) = totals;
        file_type::check_zip_totals(entries, expanded, compressed.max(staged.size), ZipLimits::default())
            .map_err(|e| AppError::UnsupportedMediaType(e.0))?;
    }
    Ok(())
}

/// Whether the record evidence is attached to exists in `org`.
async fn check_record(
    ctx: &Ctx<'_>,
    org: OrgId,
    record_type: Option<&str>,
    record_id: Option<&str>,
) -> Result<(), AppError> {
    let (record_type, record_id) = match (record_type, record_id) {
        (None, None) => return Ok(()),
        (Some(t), Some(i)) => (t, i),
        _ => return Err(AppError::Invalid("give both record_type and record_id, or neither".into())),
    };
    let id: i64 = record_id
        .parse()
        .map_err(|_| AppError::Invalid(format!("record_id '{record_id}' is not a record id (a number)")))?;
    let mut c = ctx.db.read().await?;
    let Some(found) = db::records::exists(&mut c.conn(), org, record_type, id).await? else {
        return Err(AppError::Invalid(format!(
            "evidence cannot be attached to '{record_type}'; use one of: {}",
            db::records::record_types().join(", ")
        )));
    };
    if !found {
        return Err(AppError::NotFound(format!("there is no {record_type} {record_id} to attach the evidence to")));
    }
    Ok(())
}

/// Checks a staged upload, stores its bytes, and records it. On any refusal the staged file is removed and
/// nothing is stored.
pub async fn accept(
    ctx: &Ctx<'_>,
    blobs: &BlobStore,
    org: OrgId,
    uploader: UserId,
    staged: Staged,
    mut upload: Upload,
) -> Result<db::evidence::EvidenceRow, AppError> {
    let checked = async {
        // A new version stays attached where the old one was unless told otherwise.
        if let Some(old) = upload.supersedes
            && upload.record_type.is_none()
        {
            let mut c = ctx.db.read().await?;
            let previous = db::evidence::get(&mut c.conn(), org, old)
                .await?
                .ok_or_else(|| AppError::not_found("evidence to supersede"))?;
            upload.record_type = previous.record_type;
            upload.record_id = previous.record_id;
        }
        let filename = check_filename(&upload.filename)?;
        let kind = file_type::declared_kind(&upload.declared_type, &filename)
            .map_err(|e| AppError::UnsupportedMediaType(e.0))?;
        check_content(&staged, kind).await?;
        if staged.size == 0 {
            return Err(AppError::Invalid("the file is empty".into()));
        }
        let title = match upload.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(title) => display_name(title, "the title")?,
            None => filename.clone(),
        };
        if let Some(expiry) = upload.expires_at
            && expiry <= ctx.now
        {
            return Err(AppError::Invalid("the expiry date must be in the future".into()));
        }
        check_record(ctx, org, upload.record_type.as_deref(), upload.record_id.as_deref()).await?;
        Ok((filename, kind, title))
    }
    .await;
    let (filename, kind, title) = match checked {
        Ok(ok) => ok,
        Err(error) => {
            blobs.discard(&staged).await;
            return Err(error);
        }
    };
    blobs.store(&staged).await.map_err(|e| storage_error(e, "store the file"))?;
    let mut tx = ctx.db.begin().await?;
    let new = db::evidence::NewEvidence {
        title: &title,
        filename: &filename,
        media_type: kind.media_type(&upload.declared_type),
        size: staged.size as i64,
        sha256: &staged.sha256,
        record_type: upload.record_type.as_deref(),
        record_id: upload.record_id.as_deref(),
        expires_at: upload.expires_at,
        uploaded_by: uploader,
        supersedes: upload.supersedes,
    };
    let id = db::evidence::insert(&mut tx.conn(), org, &new, ctx.now).await?;
    if let Some(old) = upload.supersedes {
        db::evidence::get(&mut tx.conn(), org, old)
            .await?
            .ok_or_else(|| AppError::not_found("evidence to supersede"))?;
        db::evidence::supersede(&mut tx.conn(), org, old, id).await.map_err(|e| match e {
            DbError::Conflict => {
                AppError::Conflict(format!("evidence {old} already has a newer version; upload against that one"))
            }
            other => other.into(),
        })?;
        let old_row =
            db::evidence::get(&mut tx.conn(), org, old).await?.ok_or_else(|| AppError::not_found("evidence"))?;
        ctx.journal
            .append(
                &mut tx,
                org,
                &ctx.actor,
                Change::of("supersede", "evidence", old, &EvidenceState::of(&old_row)),
                ctx.now,
            )
            .await?;
    }
    let row = db::evidence::get(&mut tx.conn(), org, id).await?.ok_or_else(|| AppError::not_found("evidence"))?;
    ctx.journal
        .append(&mut tx, org, &ctx.actor, Change::of("create", "evidence", id, &EvidenceState::of(&row)), ctx.now)
        .await?;
    tx.commit().await?;
    tracing::info!(target: "mandate::audit", org = %org, evidence = %id, sha256 = row.sha256, size = row.size, "evidence stored");
    Ok(row)
}

/// Maps a blob-store failure to what the person sees: a full disk is a 507, anything else a 500.
pub fn storage_error(error: anyhow::Error, doing: &str) -> AppError {
    let disk_full =
        error.chain().any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.raw_os_error() == Some(28)));
    if disk_full {
        AppError::InsufficientStorage(format!(
            "the server's disk is full, so it could not {doing}; nothing was changed"
        ))
    } else {
        AppError::Internal(error.context(format!("could not {doing}")))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn path_like_and_control_character_names_are_refused() {
        for bad in ["../../etc/passwd", "C:\\boot.ini", "a\nb.pdf", "..", " ", "x\u{7}.pdf"] {
            assert!(super::check_filename(bad).is_err(), "{bad:?}");
        }
        assert_eq!(super::check_filename(" Board minutes 2026.pdf ").unwrap(), "Board minutes 2026.pdf");
    }
}
