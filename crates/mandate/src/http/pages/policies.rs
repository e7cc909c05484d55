//! The policy pages: the register with filters, a policy's page with its versions, reviews and exceptions, and
//! the forms that change them.

use super::Layout;
use crate::clock::format_utc;
use crate::db;
use crate::db::policy::PolicyRow;
use crate::domain::ids::{PolicyExceptionId, PolicyId, UserId};
use crate::domain::policy::VersionStatus;
use crate::domain::policy_exception::Decision;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::{POLICY_EDITORS, POLICY_OVERSEERS};
use crate::http::api::policies::{PolicyQuery, load, sees_drafts, who};
use crate::http::api::policy_reviews::{ExceptionView, parse_expiry};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::policies::{self, PolicyInput, VersionInput, exception};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Redirect;

const PAGE_SIZE: i64 = 50;

/// A day as pages show it.
pub fn day(t: i64) -> String {
    let full = format_utc(t);
    full.get(..10).unwrap_or(&full).to_string()
}

pub struct PolicyLine {
    id: PolicyId,
    title: String,
    published: Option<i64>,
    latest: String,
    owner: String,
    next_review: String,
    overdue: bool,
}

impl PolicyLine {
    fn of(row: &PolicyRow, now: i64, sees_drafts: bool) -> Self {
        let latest = if sees_drafts { row.latest_number } else { row.published_number };
        let status = if sees_drafts { row.latest_status.as_deref() } else { Some("published") };
        Self {
            id: row.id,
            title: row.title.clone(),
            published: row.published_number,
            latest: match (latest, status.and_then(VersionStatus::parse)) {
                (Some(n), Some(status)) => format!("{n} · {}", status.label()),
                _ => "—".into(),
            },
            owner: row.owner_name.clone(),
            next_review: row.next_review_at.map(day).unwrap_or_else(|| "—".into()),
            overdue: row.next_review_at.is_some_and(|due| due < now),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "policies_list.html")]
pub struct ListPage {
    layout: Layout,
    csrf: String,
    can_edit: bool,
    editor_view: bool,
    items: Vec<PolicyLine>,
    total: i64,
    q: String,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    overdue: bool,
    sort: String,
    page: i64,
    pages: i64,
    base_query: String,
    owners: Vec<(UserId, String)>,
    me: UserId,
    notice: Option<&'static str>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    overdue: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    page: Option<i64>,
}

/// `GET /policies`
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<ListPage, PageError> {
    let now = state.clock.now();
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let sort = query.sort.clone().unwrap_or_else(|| "title".into());
    let api = PolicyQuery {
        q: Some(query.q.clone()),
        review_overdue: Some(query.overdue.is_some()),
        status: Some(query.status.clone()),
        sort: Some(sort.clone()),
        ..PolicyQuery::default()
    };
    let filter = api.filter(principal.role, now)?;
    let mut c = state.db.read().await?;
    let (rows, total) =
        db::policy::list(&mut c.conn(), principal.org_id, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let can_edit = POLICY_EDITORS.contains(&principal.role);
    let owners =
        if can_edit { db::membership::managers(&mut c.conn(), principal.org_id, now).await? } else { Vec::new() };
    let base_query = url::form_urlencoded::Serializer::new(String::from("?"))
        .append_pair("q", &query.q)
        .append_pair("status", &query.status)
        .append_pair("sort", &sort)
        .extend_pairs(query.overdue.as_ref().map(|_| ("overdue", "1")))
        .finish();
    Ok(ListPage {
        layout: Layout::member("Policies", "policies", &principal),
        csrf: principal.csrf().to_string(),
        can_edit,
        editor_view: sees_drafts(principal.role),
        items: rows.iter().map(|r| PolicyLine::of(r, now, sees_drafts(principal.role))).collect(),
        total,
        q: query.q,
        status: query.status,
        statuses: ["draft", "in_review", "approved", "published", "superseded", "retired"]
            .into_iter()
            .filter_map(VersionStatus::parse)
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        overdue: query.overdue.is_some(),
        sort,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        base_query,
        owners: owners.into_iter().map(|m| (m.user_id, format!("{} ({})", m.name, m.role().label()))).collect(),
        me: principal.user_id,
        notice: None,
    })
}

#[derive(serde::Deserialize)]
pub struct PolicyForm {
    title: String,
    owner_id: i64,
    review_months: i64,
    #[serde(default)]
    body: String,
}

/// `POST /policies`
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<PolicyForm>,
) -> Result<Redirect, PageError> {
    let input = PolicyInput { title: form.title, owner: UserId(form.owner_id), review_months: form.review_months };
    let first = VersionInput { body: form.body, ..VersionInput::default() };
    let ctx = state.ctx(&principal, &request);
    let id = policies::create(&ctx, principal.org_id, who(&principal), &input, &first).await?;
    Ok(Redirect::to(&format!("/policies/{id}/versions/1?done=created")))
}

pub struct VersionLine {
    number: i64,
    status: &'static str,
    created: String,
    approved: String,
    published: String,
}

pub struct ReviewLine {
    when: String,
    who: String,
    outcome: &'static str,
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "policy_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    policy: PolicyLine,
    review_months: i64,
    last_reviewed: String,
    owner_id: UserId,
    owners: Vec<(UserId, String)>,
    versions: Vec<VersionLine>,
    reviews: Vec<ReviewLine>,
    exceptions: Vec<ExceptionView>,
    can_edit: bool,
    oversees: bool,
    decides: bool,
    latest_body: String,
    notice: Option<&'static str>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /policies/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<ShowPage, PageError> {
    let now = state.clock.now();
    let (row, versions) = load(&state, &principal, id).await?;
    let oversees = POLICY_OVERSEERS.contains(&principal.role);
    let can_edit = POLICY_EDITORS.contains(&principal.role);
    let mut c = state.db.read().await?;
    let (reviews, exceptions, owners) = if oversees {
        let reviews = db::policy::reviews(&mut c.conn(), principal.org_id, row.id).await?;
        let exceptions = db::policy_exception::list(&mut c.conn(), principal.org_id, row.id).await?;
        let owners =
            if can_edit { db::membership::managers(&mut c.conn(), principal.org_id, now).await? } else { vec![] };
        (reviews, exceptions, owners)
    } else {
        (vec![], vec![], vec![])
    };
    Ok(ShowPage {
        layout: Layout::member(&row.title, "policies", &principal),
        csrf: principal.csrf().to_string(),
        review_months: row.review_months,
        last_reviewed: row.last_reviewed_at.map(day).unwrap_or_else(|| "never".into()),
        owner_id: row.owner_id,
        owners: with_current_owner(owners.into_iter().map(|m| (m.user_id, m.name)).collect(), &row),
        latest_body: versions.first().map(|v| v.body.clone()).unwrap_or_default(),
        versions: versions
            .iter()
            .map(|v| VersionLine {
                number: v.number,
                status: VersionStatus::parse(&v.status).map_or("?", |s| s.label()),
                created: format!("{} by {}", day(v.created_at), v.creator_name),
                approved: match (&v.approver_name, v.approved_at) {
                    (Some(who), Some(at)) => format!("{} by {who}", day(at)),
                    _ => "—".into(),
                },
                published: v.published_at.map(day).unwrap_or_else(|| "—".into()),
            })
            .collect(),
        reviews: reviews
            .into_iter()
            .map(|r| ReviewLine {
                when: day(r.reviewed_at),
                who: r.reviewer_name,
                outcome: if r.outcome == "no_change" { "no change needed" } else { "changes needed" },
                note: r.note,
            })
            .collect(),
        exceptions: exceptions.iter().map(|e| ExceptionView::of(e, now)).collect(),
        policy: PolicyLine::of(&row, now, sees_drafts(principal.role)),
        can_edit,
        oversees,
        decides: principal.role == crate::domain::role::Role::TopManagement,
        notice: query.done.as_deref().and_then(|done| match done {
            "details" => Some("The policy's details are saved and recorded in the ledger."),
            "review" => Some("The review is recorded; the next one falls due one cycle from today."),
            "exception" => Some("The exception is asked for; top management decides on it."),
            "decision" => Some("The decision is recorded in the ledger."),
            _ => None,
        }),
    })
}

/// The owner choices, always including the current owner (who may be an employee).
fn with_current_owner(mut owners: Vec<(UserId, String)>, row: &PolicyRow) -> Vec<(UserId, String)> {
    if !owners.iter().any(|(id, _)| *id == row.owner_id) {
        owners.insert(0, (row.owner_id, row.owner_name.clone()));
    }
    owners
}

/// `POST /policies/{id}`: title, owner, review cycle.
#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<PolicyForm>,
) -> Result<Redirect, PageError> {
    let (row, _) = load(&state, &principal, id).await?;
    let input = PolicyInput { title: form.title, owner: UserId(form.owner_id), review_months: form.review_months };
    policies::update(&state.ctx(&principal, &request), principal.org_id, row.id, &input).await?;
    Ok(Redirect::to(&format!("/policies/{id}?done=details")))
}

#[derive(serde::Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    change_note: String,
    #[serde(default)]
    document_id: String,
}

/// `POST /policies/{id}/versions`: start the next version from edited text.
#[tracing::instrument(skip_all)]
pub async fn new_version(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<VersionForm>,
) -> Result<Redirect, PageError> {
    let document = super::policy_version::document_field(&form.document_id)?;
    let input = VersionInput { body: form.body, document, change_note: form.change_note };
    let ctx = state.ctx(&principal, &request);
    let number = policies::new_version(&ctx, principal.org_id, PolicyId(id), who(&principal), &input).await?;
    Ok(Redirect::to(&format!("/policies/{id}/versions/{number}?done=created")))
}

#[derive(serde::Deserialize)]
pub struct ReviewForm {
    outcome: String,
    #[serde(default)]
    note: String,
}

/// `POST /policies/{id}/reviews`
#[tracing::instrument(skip_all)]
pub async fn review(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ReviewForm>,
) -> Result<Redirect, PageError> {
    let ctx = state.ctx(&principal, &request);
    policies::record_review(&ctx, principal.org_id, PolicyId(id), who(&principal), &form.outcome, &form.note).await?;
    Ok(Redirect::to(&format!("/policies/{id}?done=review")))
}

#[derive(serde::Deserialize)]
pub struct ExceptionForm {
    summary: String,
    reason: String,
    expires_on: String,
}

/// `POST /policies/{id}/exceptions`
#[tracing::instrument(skip_all)]
pub async fn request_exception(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ExceptionForm>,
) -> Result<Redirect, PageError> {
    let (row, _) = load(&state, &principal, id).await?;
    let expires = parse_expiry(&form.expires_on)?;
    let ctx = state.ctx(&principal, &request);
    exception::request(&ctx, principal.org_id, row.id, who(&principal), &form.summary, &form.reason, expires).await?;
    Ok(Redirect::to(&format!("/policies/{id}?done=exception")))
}

#[derive(serde::Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /policies/{id}/exceptions/{exception_id}/decision`
#[tracing::instrument(skip_all)]
pub async fn decide_exception(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath((id, exception_id)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Redirect, PageError> {
    let decision = Decision::parse(&form.decision).map_err(AppError::from)?;
    let ctx = state.ctx(&principal, &request);
    let eid = PolicyExceptionId(exception_id);
    exception::decide(&ctx, principal.org_id, PolicyId(id), eid, who(&principal), decision, &form.note).await?;
    Ok(Redirect::to(&format!("/policies/{id}?done=decision")))
}
