//! The objectives register (filter, sort, pages, status badges) and the page of managers' personal objectives.

use super::Layout;
use crate::db;
use crate::db::objective::ObjectiveRow;
use crate::domain::objective::{Direction, date_text, format_value};
use crate::domain::progress::Assessment;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::OBJECTIVE_EDITORS;
use crate::http::api::objectives::ObjectiveQuery;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::PageQuery;
use crate::objectives::{Tracked, with_progress};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

pub use super::objective::{chart, show};

const PAGE_SIZE: i64 = 50;

/// One objective as a row of a table.
pub struct ObjectiveLine {
    pub id: i64,
    pub statement: String,
    pub personal: bool,
    pub person: String,
    pub owner: String,
    pub target: String,
    pub due: String,
    pub latest: String,
    pub badge: &'static str,
    pub badge_label: &'static str,
}

/// "at least 95 %": a target as people read it.
pub fn target_text(row: &ObjectiveRow) -> String {
    let direction = Direction::parse(&row.direction).map_or("", |d| d.label());
    format!("{direction} {} {}", format_value(row.target_value), row.unit).trim_end().to_string()
}

/// The badge class and label: progress while open, the closing status after.
pub fn badge(row: &ObjectiveRow, assessment: Option<&Assessment>) -> (&'static str, &'static str) {
    match (assessment, row.status.as_str()) {
        (Some(a), _) => (a.progress.as_str(), a.progress.label()),
        (None, "achieved") => ("achieved", "Achieved"),
        _ => ("abandoned", "Abandoned"),
    }
}

impl ObjectiveLine {
    pub fn of(tracked: &Tracked) -> Self {
        let (row, latest) = (&tracked.row, tracked.latest);
        let (badge, badge_label) = badge(row, tracked.assessment.as_ref());
        Self {
            id: row.id.0,
            statement: row.statement.clone(),
            personal: row.kind == "personal",
            person: row.person_name.clone().unwrap_or_default(),
            owner: row.owner_name.clone(),
            target: target_text(row),
            due: date_text(row.due_on),
            latest: latest.map_or_else(
                || "—".into(),
                |r| format!("{} {} on {}", format_value(r.value), row.unit, date_text(r.on)),
            ),
            badge,
            badge_label,
        }
    }
}

/// The register page.
#[derive(Template, WebTemplate)]
#[template(path = "objectives_list.html")]
pub struct ListPage {
    layout: Layout,
    can_edit: bool,
    items: Vec<ObjectiveLine>,
    total: i64,
    owners: Vec<(i64, String)>,
    owner: i64,
    status: String,
    kind: String,
    sort: String,
    q: String,
    page: i64,
    pages: i64,
    /// The filters as a query string, for the pager's links.
    filters: String,
    prev_page: Option<i64>,
    next_page: Option<i64>,
}

/// The register's query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
}

impl ListQuery {
    /// The filters as a query string, for the pager's links.
    fn as_query_string(&self, owner: Option<i64>) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("owner", owner.map(|o| o.to_string()).unwrap_or_default()),
                ("status", self.status.clone()),
            ])
            .extend_pairs([("kind", &self.kind), ("sort", &self.sort), ("q", &self.q)])
            .finish()
    }
}

/// The deepest page the register goes to; a larger number is read as the last one anyone could mean.
const MAX_PAGE: i64 = 100_000;

/// `GET /objectives`
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<ListPage, PageError> {
    let page = query.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let owner = query.owner.as_deref().filter(|o| !o.is_empty()).map(str::parse::<i64>).transpose();
    let owner = owner.map_err(|_| AppError::BadRequest("the owner filter is not a person's id".into()))?;
    let api = ObjectiveQuery {
        owner_id: owner,
        status: Some(query.status.clone()),
        kind: Some(query.kind.clone()),
        sort: Some(query.sort.clone()),
        q: Some(query.q.clone()),
        ..ObjectiveQuery::default()
    };
    let (filter, sort) = api.filter(&principal)?;
    let mut c = state.db.read().await?;
    let (rows, total) =
        db::objective::list(&mut c.conn(), principal.org_id, &filter, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let items = with_progress(&mut c.conn(), principal.org_id, rows, state.clock.now()).await?;
    let owners = db::objective::owners(&mut c.conn(), principal.org_id).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let filters = query.as_query_string(owner);
    Ok(ListPage {
        layout: Layout::member("Objectives", "objectives", &principal),
        can_edit: OBJECTIVE_EDITORS.contains(&principal.role),
        items: items.iter().map(ObjectiveLine::of).collect(),
        total,
        owners: owners.into_iter().map(|(id, name)| (id.0, name)).collect(),
        owner: owner.unwrap_or(0),
        status: query.status,
        kind: query.kind,
        sort: query.sort,
        q: query.q,
        page,
        pages,
        filters,
        prev_page: (page > 1).then_some(page - 1),
        next_page: (page < pages).then_some(page + 1),
    })
}

/// One person's personal objectives.
pub struct PersonGroup {
    pub person: i64,
    pub name: String,
    pub is_you: bool,
    pub lines: Vec<ObjectiveLine>,
}

/// The page of managers' personal objectives.
#[derive(Template, WebTemplate)]
#[template(path = "objectives_personal.html")]
pub struct PersonalPage {
    layout: Layout,
    can_edit: bool,
    groups: Vec<PersonGroup>,
    shown: usize,
    total: i64,
    truncated: bool,
}

/// At most this many personal objectives are shown at once; the register pages through all of them.
const PERSONAL_LIMIT: i64 = 500;

/// `GET /objectives/personal`: managers' personal ISMS objectives, yours first, then by person.
#[tracing::instrument(skip_all)]
pub async fn personal(State(state): State<AppState>, principal: Principal) -> Result<PersonalPage, PageError> {
    let api = ObjectiveQuery { kind: Some("personal".into()), ..ObjectiveQuery::default() };
    let (filter, sort) = api.filter(&principal)?;
    let mut c = state.db.read().await?;
    let (rows, total) = db::objective::list(&mut c.conn(), principal.org_id, &filter, sort, PERSONAL_LIMIT, 0).await?;
    let items = with_progress(&mut c.conn(), principal.org_id, rows, state.clock.now()).await?;
    let shown = items.len();
    let mut groups: Vec<PersonGroup> = Vec::new();
    for tracked in &items {
        let row = &tracked.row;
        let person = row.person_id.map_or(0, |p| p.0);
        let line = ObjectiveLine::of(tracked);
        match groups.iter_mut().find(|g| g.person == person) {
            Some(group) => group.lines.push(line),
            None => groups.push(PersonGroup {
                person,
                name: row.person_name.clone().unwrap_or_default(),
                is_you: person == principal.user_id.0,
                lines: vec![line],
            }),
        }
    }
    // Yours first, then by name.
    groups.sort_by_key(|g| (!g.is_you, g.name.to_lowercase(), g.person));
    Ok(PersonalPage {
        layout: Layout::member("Personal objectives", "objectives", &principal),
        can_edit: OBJECTIVE_EDITORS.contains(&principal.role),
        groups,
        shown,
        total,
        truncated: total > shown as i64,
    })
}
