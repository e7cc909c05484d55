//! The resources register (ISO/IEC 27001 7.1): commitments with promised versus actual, flags, filters, sorting,
//! paging and totals; the administrator's settings.

use super::Layout;
use super::resource_views::{LineView, TotalRow, total_rows};
use crate::domain::resource::{Flag, Status};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::RESOURCE_WRITERS;
use crate::http::api::resources::ResourceQuery;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use crate::resources;
use crate::resources::register::{self, SORTS};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "resources_list.html")]
pub struct ListPage {
    layout: Layout,
    csrf: String,
    can_request: bool,
    is_admin: bool,
    items: Vec<LineView>,
    totals: Vec<TotalRow>,
    total: i64,
    /// (value, label, selected) for each filter's options.
    statuses: Vec<(&'static str, &'static str, bool)>,
    flags: Vec<(&'static str, &'static str, bool)>,
    sorts: Vec<(&'static str, &'static str, bool)>,
    /// The filter as a query string, for the pager's links.
    filter_qs: String,
    page: i64,
    pages: i64,
    prev_page: Option<i64>,
    next_page: Option<i64>,
    currency: String,
    underspent_percent: i64,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    flag: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    q: ListQuery,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let api_query = ResourceQuery {
        status: Some(q.status.clone()),
        flag: Some(q.flag.clone()),
        sort: Some(q.sort.clone()),
        limit: Some(PAGE_SIZE),
        offset: Some((page - 1) * PAGE_SIZE),
    };
    let query = api_query.query(PAGE_SIZE)?;
    let mut c = state.db.read().await?;
    let found = register::register(&mut c.conn(), principal.org_id, &query, state.clock.now()).await?;
    let pages = ((found.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let filter_qs = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("status", &q.status), ("flag", &q.flag), ("sort", &q.sort)])
        .finish();
    Ok(ListPage {
        layout: Layout::member("Resources", "resources", principal),
        csrf: principal.csrf().to_string(),
        can_request: RESOURCE_WRITERS.contains(&principal.role),
        is_admin: principal.role == crate::domain::role::Role::Admin,
        items: found.items.iter().map(LineView::of).collect(),
        totals: total_rows(&found.totals),
        total: found.total,
        statuses: Status::ALL.iter().map(|s| (s.as_str(), s.label(), query.status == Some(*s))).collect(),
        flags: Flag::ALL.iter().map(|f| (f.as_str(), f.label(), query.flag == Some(*f))).collect(),
        sorts: SORTS.iter().map(|(sort, code, label)| (*code, *label, query.sort == *sort)).collect(),
        filter_qs,
        page,
        pages,
        prev_page: (page > 1).then_some(page - 1),
        next_page: (page < pages).then_some(page + 1),
        currency: found.settings.currency.code().into(),
        underspent_percent: found.settings.underspent_percent,
        notice: (q.done.as_deref() == Some("settings"))
            .then_some("The settings were saved and recorded in the ledger."),
        error,
    })
}

/// `GET /resources`
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<ListPage, PageError> {
    Ok(render(&state, &principal, query, None).await?)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    currency: String,
    #[serde(default)]
    underspent_percent: String,
}

/// `POST /resources/settings` (administrators)
#[tracing::instrument(skip_all)]
pub async fn settings(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<SettingsForm>,
) -> Result<Response, PageError> {
    let result = async {
        let percent = form.underspent_percent.trim().parse::<i64>().map_err(|_| {
            AppError::Invalid(format!(
                "'{}' is not a whole percentage; give a number from 1 to 100",
                form.underspent_percent.trim()
            ))
        })?;
        resources::save_settings(&state.ctx(&principal, &request), principal.org_id, &form.currency, percent).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/resources?done=settings").into_response()),
        Err(error @ AppError::Invalid(_)) => {
            let status = error.status();
            Ok((status, render(&state, &principal, ListQuery::default(), Some(error.to_string())).await?)
                .into_response())
        }
        Err(error) => Err(error.into()),
    }
}
