//! `/actions`: the actions register (mine or all, overdue only, by owner) with follow-through per person, and an
//! action's page with the forms to close it as done or cancel it. Employees see only their own actions.

use super::Layout;
use super::record_evidence::EvidenceBox;
use crate::db;
use crate::domain::ids::ActionId;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::MEETING_READERS;
use crate::http::api::actions::{PersonFollowThrough, action_filter, readable};
use crate::http::api::meeting_views::ActionView;
use crate::http::api::objectives::acting;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::meetings::actions::{self, Closing};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "actions_list.html")]
pub struct ListPage {
    layout: Layout,
    items: Vec<ActionView>,
    total: i64,
    sees_all: bool,
    all: bool,
    overdue: bool,
    owner: i64,
    people: Vec<PersonFollowThrough>,
    page: i64,
    filters: String,
    prev_page: Option<i64>,
    next_page: Option<i64>,
}

/// The register's query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    /// "all" for everyone's actions; otherwise the signed-in person's.
    #[serde(default)]
    show: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    page: Option<i64>,
}

/// `GET /actions`
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<ListPage, PageError> {
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let sees_all = MEETING_READERS.contains(&principal.role);
    let owner = match query.owner.trim() {
        "" => None,
        o => Some(o.parse::<i64>().map_err(|_| AppError::BadRequest("the owner filter is not a person's id".into()))?),
    };
    let all = sees_all && (query.show == "all" || owner.is_some());
    let owner = if all { owner } else { Some(principal.user_id.0) };
    let overdue = !query.overdue.is_empty();
    let now = state.clock.now();
    let filter = action_filter(&principal, owner, None, overdue, now)?;
    let mut c = state.db.read().await?;
    let (rows, total) =
        db::meeting_action::list(&mut c.conn(), principal.org_id, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let people = if sees_all && principal.role != Role::Employee {
        let rows = db::meeting_action::follow_through_by_owner(&mut c.conn(), principal.org_id, now).await?;
        rows.into_iter()
            .map(|r| PersonFollowThrough {
                owner_id: r.owner_id.0,
                owner_name: r.owner_name,
                follow_through: r.counts.into(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let filters = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("show", &query.show), ("overdue", &query.overdue), ("owner", &query.owner)])
        .finish();
    Ok(ListPage {
        layout: Layout::member("Actions", "actions", &principal),
        items: rows.into_iter().map(|r| ActionView::of(r, now)).collect(),
        total,
        sees_all,
        all,
        overdue,
        owner: owner.filter(|_| all).unwrap_or(0),
        people,
        page,
        filters,
        prev_page: (page > 1).then_some(page - 1),
        next_page: (page < pages).then_some(page + 1),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "action_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    a: ActionView,
    can_close: bool,
    sees_meeting: bool,
    sees_findings: bool,
    evidence: EvidenceBox,
    error: Option<String>,
}

async fn render(state: &AppState, principal: &Principal, id: i64, error: Option<String>) -> Result<ShowPage, AppError> {
    let row = readable(state, principal, id).await?;
    let can_close = crate::domain::meeting::may_close(principal.role, principal.user_id, row.owner_id)
        && principal.role != Role::Auditor
        && row.status == "open";
    Ok(ShowPage {
        layout: Layout::member(&row.title, "actions", principal),
        csrf: principal.csrf().to_string(),
        a: ActionView::of(row, state.clock.now()),
        can_close,
        sees_meeting: MEETING_READERS.contains(&principal.role),
        sees_findings: crate::http::access::LEADERSHIP_READERS.contains(&principal.role),
        evidence: EvidenceBox::load(state, principal, "action", id).await?,
        error,
    })
}

/// `GET /actions/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
) -> Result<ShowPage, PageError> {
    Ok(render(&state, &principal, id, None).await?)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
}

async fn close_as(
    state: &AppState,
    principal: &Principal,
    request: &RequestId,
    id: i64,
    closing: Closing,
) -> Result<Response, PageError> {
    readable(state, principal, id).await?;
    let ctx = state.ctx(principal, request);
    match actions::close(&ctx, principal.org_id, ActionId(id), acting(principal), &closing).await {
        Ok(_) => Ok(Redirect::to(&format!("/actions/{id}")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = error.status();
            Ok((status, render(state, principal, id, Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /actions/{id}/close`
#[tracing::instrument(skip_all)]
pub async fn close(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CloseForm>,
) -> Result<Response, PageError> {
    close_as(&state, &principal, &request, id, Closing::Done { note: form.note }).await
}

/// `POST /actions/{id}/cancel`
#[tracing::instrument(skip_all)]
pub async fn cancel(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CloseForm>,
) -> Result<Response, PageError> {
    close_as(&state, &principal, &request, id, Closing::Cancelled { reason: form.reason }).await
}
