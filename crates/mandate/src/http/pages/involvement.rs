//! The personal involvement log: per top manager, a timeline of the last twelve months, counts per kind and
//! how much they logged themselves; the entries, filtered by manager, kind and year; and one entry's page with
//! its evidence (a photo of the visit).

use super::Layout;
use super::record_evidence::EvidenceBox;
use crate::clock::format_utc;
use crate::db;
use crate::domain::ids::UserId;
use crate::domain::involvement::{Kind, last_twelve_months, monthly_counts};
use crate::domain::objective::date_text;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::INVOLVEMENT_WRITERS;
use crate::http::api::involvement::{InvolvementQuery, find};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PagePath, PageQuery};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

const PAGE_SIZE: i64 = 50;
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// One manager's last twelve months.
pub struct ManagerSummary {
    pub id: i64,
    pub name: String,
    /// Entries per month, oldest first.
    pub months: Vec<usize>,
    pub total: i64,
    pub own: i64,
    /// (kind label, count) for the kinds they have.
    pub kinds: Vec<(&'static str, i64)>,
}

/// An entry as a row.
pub struct EntryLine {
    pub id: i64,
    pub day: String,
    pub manager: String,
    pub kind: &'static str,
    pub place: String,
    pub recorder: String,
    pub own: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "involvement_list.html")]
pub struct ListPage {
    layout: Layout,
    can_write: bool,
    month_labels: Vec<String>,
    summaries: Vec<ManagerSummary>,
    entries: Vec<EntryLine>,
    total: i64,
    managers: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    manager: i64,
    kind: String,
    year: String,
    filters: String,
    page: i64,
    pages: i64,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    manager: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    page: Option<i64>,
}

/// Per manager: months, kinds and own entries over the last twelve months.
async fn summaries(
    state: &AppState,
    principal: &Principal,
    query: &InvolvementQuery,
    now: i64,
) -> Result<Vec<ManagerSummary>, AppError> {
    let mut c = state.db.read().await?;
    let managers = db::membership::managers(&mut c.conn(), principal.org_id, now).await?;
    let (year, month) = last_twelve_months(now)[0];
    let from = time::Date::from_calendar_date(year, time::Month::try_from(month).unwrap_or(time::Month::January), 1)
        .map_or(0, |d| d.midnight().assume_utc().unix_timestamp());
    let mut filter = InvolvementQuery { year: None, ..query.clone() }.filter()?;
    filter.from = Some(from);
    let rows = db::involvement::summary(&mut c.conn(), principal.org_id, &filter).await?;
    let wanted = query.manager_id.map(UserId);
    Ok(managers
        .into_iter()
        .filter(|m| m.role() == Role::TopManagement && wanted.is_none_or(|w| w == m.user_id))
        .map(|m| {
            let mine: Vec<_> = rows.iter().filter(|r| r.0 == m.user_id).collect();
            let days = mine.iter().flat_map(|r| std::iter::repeat_n(r.2, r.3 as usize));
            let kinds = Kind::ALL
                .iter()
                .map(|k| (k.label(), mine.iter().filter(|r| r.1 == k.as_str()).map(|r| r.3).sum::<i64>()))
                .filter(|(_, n)| *n > 0)
                .collect();
            ManagerSummary {
                id: m.user_id.0,
                name: m.name,
                months: monthly_counts(days, now).into_iter().map(|(_, n)| n).collect(),
                total: mine.iter().map(|r| r.3).sum(),
                own: mine.iter().map(|r| r.4).sum(),
                kinds,
            }
        })
        .collect())
}

/// `GET /involvement`
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<ListPage, PageError> {
    let manager = q.manager.trim().parse::<i64>().ok();
    let year = q.year.trim();
    let year_number = (!year.is_empty()).then(|| year.parse::<i32>()).transpose();
    let year_number = year_number.map_err(|_| AppError::BadRequest(format!("the year '{year}' is not a year")))?;
    let query = InvolvementQuery {
        manager_id: manager,
        kind: Some(q.kind.clone()),
        year: year_number,
        limit: None,
        offset: None,
    };
    let now = state.clock.now();
    let summaries = summaries(&state, &principal, &query, now).await?;
    let filter = query.filter()?;
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let mut c = state.db.read().await?;
    let (rows, total) =
        db::involvement::list(&mut c.conn(), principal.org_id, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let managers = db::membership::managers(&mut c.conn(), principal.org_id, now).await?;
    let entries = rows
        .into_iter()
        .map(|r| EntryLine {
            id: r.id.0,
            day: date_text(r.occurred_on),
            kind: Kind::parse(&r.kind).map_or("Other", Kind::label),
            own: r.recorded_by == r.manager_id,
            manager: r.manager_name,
            place: r.place,
            recorder: r.recorder_name,
        })
        .collect();
    let filters = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("manager", q.manager.as_str()), ("kind", q.kind.as_str()), ("year", year)])
        .finish();
    Ok(ListPage {
        layout: Layout::member("Personal involvement", "involvement", &principal),
        can_write: INVOLVEMENT_WRITERS.contains(&principal.role),
        month_labels: last_twelve_months(now)
            .into_iter()
            .map(|(y, m)| format!("{} {}", MONTHS[m as usize - 1], y % 100))
            .collect(),
        summaries,
        entries,
        total,
        managers: managers
            .into_iter()
            .filter(|m| m.role() == Role::TopManagement)
            .map(|m| (m.user_id.0, m.name))
            .collect(),
        kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        manager: manager.unwrap_or(0),
        kind: q.kind,
        year: year.to_string(),
        filters,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "involvement_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    manager: String,
    kind: &'static str,
    day: String,
    place: String,
    notes: String,
    record: Option<(String, i64)>,
    recorder: String,
    own: bool,
    recorded_at: String,
    notice: Option<&'static str>,
    evidence: EvidenceBox,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /involvement/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<ShowPage, PageError> {
    let row = find(&state, &principal, id).await?;
    let evidence = EvidenceBox::load(&state, &principal, "involvement", row.id.0).await?;
    Ok(ShowPage {
        layout: Layout::member("Involvement", "involvement", &principal),
        csrf: principal.csrf().to_string(),
        kind: Kind::parse(&row.kind).map_or("Other", Kind::label),
        day: date_text(row.occurred_on),
        own: row.recorded_by == row.manager_id,
        recorded_at: format_utc(row.recorded_at),
        record: row.record_type.clone().zip(row.record_id),
        manager: row.manager_name,
        place: row.place,
        notes: row.notes,
        recorder: row.recorder_name,
        notice: (query.done.as_deref() == Some("created")).then_some("Logged and recorded in the ledger."),
        evidence,
    })
}
