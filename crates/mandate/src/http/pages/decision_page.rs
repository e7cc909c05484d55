//! `/decisions/{id}`: a decision, who took it and who recorded it, its follow-through, the actions arising from
//! it, and the approvals and appointments that rest on it.

use super::Layout;
use super::record_evidence::EvidenceBox;
use crate::db;
use crate::domain::ids::DecisionId;
use crate::http::AppState;
use crate::http::api::meeting_views::{ActionView, DecisionView};
use crate::http::api::meetings::read_decision;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::PagePath;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

#[derive(Template, WebTemplate)]
#[template(path = "decision_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    d: DecisionView,
    actions: Vec<ActionView>,
    evidence: EvidenceBox,
}

/// `GET /decisions/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
) -> Result<ShowPage, PageError> {
    let d = read_decision(&state, principal.org_id, DecisionId(id)).await?;
    let now = state.clock.now();
    let filter = db::meeting_action::Filter { decision: Some(DecisionId(id)), ..Default::default() };
    let mut c = state.db.read().await?;
    let (rows, _) = db::meeting_action::list(&mut c.conn(), principal.org_id, &filter, 500, 0).await?;
    // The evidence box takes a connection of its own: never hold two from the pool at once.
    drop(c);
    Ok(ShowPage {
        layout: Layout::member(&format!("Decision {id}"), "meetings", &principal),
        csrf: principal.csrf().to_string(),
        actions: rows.into_iter().map(|r| ActionView::of(r, now)).collect(),
        evidence: EvidenceBox::load(&state, &principal, "decision", id).await?,
        d,
    })
}
