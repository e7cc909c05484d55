//! `/meetings`: the register of meetings (filter by kind, topic and year; 50 a page) with how many decisions and
//! actions each produced and their follow-through.

use super::Layout;
use crate::db;
use crate::domain::meeting::{MeetingKind, Topic};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::MEETING_WRITERS;
use crate::http::api::meetings::{MeetingLineView, check_filter, page};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::PageQuery;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

const PAGE_SIZE: i64 = 50;
const MAX_PAGE: i64 = 100_000;

#[derive(Template, WebTemplate)]
#[template(path = "meetings_list.html")]
pub struct ListPage {
    layout: Layout,
    can_write: bool,
    items: Vec<MeetingLineView>,
    total: i64,
    kinds: Vec<(&'static str, &'static str)>,
    topics: Vec<&'static str>,
    years: Vec<i32>,
    kind: String,
    topic: String,
    year: String,
    page: i64,
    pages: i64,
    filters: String,
    prev_page: Option<i64>,
    next_page: Option<i64>,
}

/// The register's query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    page: Option<i64>,
}

/// `GET /meetings`
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<ListPage, PageError> {
    let page_no = query.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let year = match query.year.trim() {
        "" => None,
        y => Some(y.parse::<i32>().map_err(|_| AppError::BadRequest(format!("'{y}' is not a year")))?),
    };
    let filter = check_filter(Some(&query.kind), Some(&query.topic), year)?;
    let list = page(&state, principal.org_id, &filter, PAGE_SIZE, (page_no - 1) * PAGE_SIZE).await?;
    let mut c = state.db.read().await?;
    let years = match db::meeting::span(&mut c.conn(), principal.org_id).await? {
        Some((first, last)) => (year_of(first)..=year_of(last)).rev().collect(),
        None => Vec::new(),
    };
    let pages = ((list.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let filters = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("kind", &query.kind), ("topic", &query.topic), ("year", &query.year)])
        .finish();
    Ok(ListPage {
        layout: Layout::member("Meetings", "meetings", &principal),
        can_write: MEETING_WRITERS.contains(&principal.role),
        items: list.items,
        total: list.total,
        kinds: MeetingKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        topics: Topic::ALL.iter().map(|t| t.as_str()).collect(),
        years,
        kind: query.kind,
        topic: query.topic,
        year: query.year,
        page: page_no,
        pages,
        filters,
        prev_page: (page_no > 1).then_some(page_no - 1),
        next_page: (page_no < pages).then_some(page_no + 1),
    })
}

/// The calendar year of a day.
fn year_of(t: i64) -> i32 {
    crate::domain::objective::date_text(t)[..4].parse().unwrap_or(1970)
}
