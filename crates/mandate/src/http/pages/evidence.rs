//! The evidence pages: list with filters, upload, detail with version history, download.

use super::Layout;
use crate::clock::format_utc;
use crate::db;
use crate::db::evidence::EvidenceRow;
use crate::domain::ids::EvidenceId;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::EVIDENCE_WRITERS;
use crate::http::api::evidence::{EvidenceQuery, download, receive};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PagePath, PageQuery};
use crate::http::headers::RequestId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: i64 = 50;

pub struct EvidenceLine {
    id: EvidenceId,
    title: String,
    filename: String,
    size: String,
    sha256_short: String,
    attached_to: String,
    expires: String,
    uploaded: String,
    uploader: String,
    superseded: bool,
}

impl EvidenceLine {
    fn of(row: &EvidenceRow) -> Self {
        Self {
            id: row.id,
            title: row.title.clone(),
            filename: row.filename.clone(),
            size: human_size(row.size),
            sha256_short: row.sha256[..12].to_string(),
            attached_to: match (&row.record_type, &row.record_id) {
                (Some(t), Some(i)) => format!("{t} {i}"),
                _ => "—".into(),
            },
            expires: row.expires_at.map(|t| format_utc(t)[..10].to_string()).unwrap_or_else(|| "—".into()),
            uploaded: format_utc(row.uploaded_at),
            uploader: row.uploader_email.clone(),
            superseded: row.superseded_by.is_some(),
        }
    }
}

fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "evidence_list.html")]
pub struct ListPage {
    layout: Layout,
    csrf: String,
    can_upload: bool,
    items: Vec<EvidenceLine>,
    total: i64,
    q: String,
    expiring: bool,
    all_versions: bool,
    page: i64,
    pages: i64,
    max_mb: u64,
    record_types: Vec<&'static str>,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    expiring: Option<String>,
    #[serde(default)]
    all: Option<String>,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    query: ListQuery,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let api_query = EvidenceQuery {
        q: Some(query.q.clone()),
        expiring_within_days: query.expiring.is_some().then_some(30),
        all_versions: Some(query.all.is_some()),
        ..EvidenceQuery::default()
    };
    let filter = api_query.filter(state.clock.now())?;
    let mut c = state.db.read().await?;
    let (rows, total) =
        db::evidence::list(&mut c.conn(), principal.org_id, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    Ok(ListPage {
        layout: Layout::member("Evidence", "evidence", principal),
        csrf: principal.csrf().to_string(),
        can_upload: EVIDENCE_WRITERS.contains(&principal.role),
        items: rows.iter().map(EvidenceLine::of).collect(),
        total,
        q: query.q,
        expiring: query.expiring.is_some(),
        all_versions: query.all.is_some(),
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        max_mb: state.config.max_upload_bytes / (1024 * 1024),
        record_types: db::records::record_types(),
        notice: (query.done.as_deref() == Some("uploaded"))
            .then_some("The evidence was stored and recorded in the ledger."),
        error,
    })
}

/// `GET /evidence`
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<ListPage, PageError> {
    Ok(render(&state, &principal, query, None).await?)
}

/// `POST /evidence` (multipart; the CSRF token rides in the form's action URL).
pub async fn upload(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let result = match multipart {
        Ok(multipart) => receive(&state, &principal, &request, multipart).await,
        Err(e) => Err(AppError::UnsupportedMediaType(format!("send the form as multipart/form-data: {e}"))),
    };
    match result {
        Ok(row) => Ok(Redirect::to(&format!("/evidence/{}?done=uploaded", row.id)).into_response()),
        Err(
            error @ (AppError::Invalid(_)
            | AppError::NotFound(_)
            | AppError::Conflict(_)
            | AppError::PayloadTooLarge(_)
            | AppError::UnsupportedMediaType(_)),
        ) => {
            let status = error.status();
            let page = render(&state, &principal, ListQuery::default(), Some(error.to_string())).await?;
            Ok((status, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "evidence_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    can_upload: bool,
    item: EvidenceLine,
    sha256: String,
    media_type: String,
    versions: Vec<EvidenceLine>,
    notice: Option<&'static str>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /evidence/{id}`
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<ShowPage, PageError> {
    let mut c = state.db.read().await?;
    let row = db::evidence::get(&mut c.conn(), principal.org_id, EvidenceId(id))
        .await?
        .ok_or_else(|| AppError::not_found("evidence"))?;
    let versions = db::evidence::versions(&mut c.conn(), principal.org_id, row.id).await?;
    Ok(ShowPage {
        layout: Layout::member("Evidence", "evidence", &principal),
        csrf: principal.csrf().to_string(),
        can_upload: EVIDENCE_WRITERS.contains(&principal.role) && row.superseded_by.is_none(),
        item: EvidenceLine::of(&row),
        sha256: row.sha256.clone(),
        media_type: row.media_type.clone(),
        versions: versions.iter().map(EvidenceLine::of).collect(),
        notice: (query.done.as_deref() == Some("uploaded"))
            .then_some("The evidence was stored and recorded in the ledger."),
    })
}

/// `GET /evidence/{id}/content`
pub async fn content(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    Ok(download(&state, &principal, id).await?)
}
