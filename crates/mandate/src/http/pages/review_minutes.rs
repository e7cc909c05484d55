//! A review's minutes: one print-ready page (no navigation, print styles) with the attendance, every input with
//! its figures linked to their records, the notes, the outputs and their actions, and the ledger checkpoint.

use crate::http::AppState;
use crate::http::api::review_views::{ReviewView, read_review};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::PagePath;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

#[derive(Template, WebTemplate)]
#[template(path = "review_minutes.html")]
pub struct MinutesPage {
    org_name: String,
    v: ReviewView,
    notes_html: Vec<String>,
}

/// `GET /reviews/{id}/minutes`
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
) -> Result<MinutesPage, PageError> {
    let v = read_review(&state, principal.org_id, id).await?;
    Ok(MinutesPage {
        org_name: principal.org_name.clone(),
        notes_html: v.inputs.iter().map(|i| crate::domain::markdown::render(&i.notes)).collect(),
        v,
    })
}
