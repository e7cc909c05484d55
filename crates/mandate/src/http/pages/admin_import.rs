//! The people import page: paste a CSV list, check it (nothing changes), then import it.

use super::Layout;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::PageForm;
use crate::http::headers::RequestId;
use crate::people_import::{self, ImportReport};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template, WebTemplate)]
#[template(path = "admin_import.html")]
pub struct ImportPage {
    layout: Layout,
    csrf: String,
    csv: String,
    report: Option<ImportReport>,
    error: Option<String>,
}

/// `GET /admin/import`
pub async fn show(principal: Principal) -> ImportPage {
    ImportPage {
        layout: Layout::member("Import people", "people", &principal),
        csrf: principal.csrf().to_string(),
        csv: String::new(),
        report: None,
        error: None,
    }
}

#[derive(serde::Deserialize)]
pub struct ImportForm {
    csv: String,
    /// "check" for a dry run, "import" to apply.
    action: String,
}

/// `POST /admin/import`
#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<ImportForm>,
) -> Result<Response, PageError> {
    let dry_run = form.action != "import";
    let result = people_import::import(&state.ctx(&principal, &request), principal.org_id, &form.csv, dry_run).await;
    let mut page = show(principal).await;
    page.csv = form.csv;
    match result {
        Ok(report) => {
            let status = if report.errors.is_empty() {
                axum::http::StatusCode::OK
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            page.report = Some(report);
            Ok((status, page).into_response())
        }
        Err(error @ AppError::Invalid(_)) => {
            let status = error.status();
            page.error = Some(error.to_string());
            Ok((status, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
