//! One commitment: promised versus actual, its entries and evidence, and the forms the person's role allows
//! (handled in `resource_actions`).

use super::Layout;
use super::decision_choice::{DecisionOption, offered};
use super::resource_views::{CompareRow, EntryLine, badges, compare_rows, entry_lines};
use crate::clock::format_utc;
use crate::db;
use crate::domain::ids::CommitmentId;
use crate::domain::resource::money::show_money;
use crate::domain::resource::{Status, day_of, show_date};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::RESOURCE_WRITERS;
use crate::http::api::cited_decision::CitedDecision;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PagePath, PageQuery};
use crate::resources::register;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

const ENTRIES_PER_PAGE: i64 = 100;

#[derive(Template, WebTemplate)]
#[template(path = "resources_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    id: i64,
    title: String,
    purpose: String,
    initiative: String,
    objective_id: Option<i64>,
    status: &'static str,
    flags: Vec<(&'static str, &'static str, &'static str)>,
    requested_by: String,
    requested_at: String,
    due: String,
    currency: String,
    /// (who, when, decision reference, refusal reason).
    decision: Option<(String, String, String, Option<String>)>,
    /// The meeting decision the approval rests on.
    cited: Option<CitedDecision>,
    /// Recent meeting decisions the approval form offers (only when it is shown).
    decisions: Vec<DecisionOption>,
    /// (who, when, unspent, disposition, note).
    closing: Option<(String, String, String, String, String)>,
    rows: Vec<CompareRow>,
    entries: Vec<EntryLine>,
    entry_total: i64,
    entries_page: i64,
    entries_pages: i64,
    evidence: Vec<(i64, String)>,
    can_decide: bool,
    can_record: bool,
    can_attach: bool,
    has_unspent: bool,
    unspent: String,
    today: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    entries: Option<i64>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "requested" => "The request was recorded and sent to top management.",
        "approved" => "The commitment was approved; spending and time can now be recorded against it.",
        "refused" => "The request was refused.",
        "recorded" => "The entry was recorded.",
        "closed" => "The commitment was closed.",
        _ => return None,
    })
}

pub(super) async fn render(
    state: &AppState,
    principal: &Principal,
    id: i64,
    q: ShowQuery,
    error: Option<String>,
) -> Result<ShowPage, AppError> {
    let (org, id, now) = (principal.org_id, CommitmentId(id), state.clock.now());
    let mut c = state.db.read().await?;
    let s = register::summary(&mut c.conn(), org, id, now).await?;
    let page = q.entries.unwrap_or(1).clamp(1, 1_000_000);
    let (rows, entry_total) =
        db::resource::entry::list(&mut c.conn(), org, id, ENTRIES_PER_PAGE, (page - 1) * ENTRIES_PER_PAGE).await?;
    let entry_evidence = db::resource::entry::evidence(&mut c.conn(), org, id).await?;
    let id_text = id.to_string();
    let filter = db::evidence::Filter {
        record_type: Some("resource_commitment"),
        record_id: Some(&id_text),
        ..Default::default()
    };
    let (evidence, _) = db::evidence::list(&mut c.conn(), org, &filter, 100, 0).await?;
    let (line, r) = (&s.line, &s.line.row);
    let cur = r.currency.as_str();
    let approved = r.approved_minor.unwrap_or(0);
    let unspent = (approved - line.spent_minor).max(0);
    let writer = RESOURCE_WRITERS.contains(&principal.role);
    let can_decide = principal.role == Role::TopManagement && s.status == Status::Requested;
    let decisions = if can_decide { offered(&mut c.conn(), org).await? } else { Vec::new() };
    Ok(ShowPage {
        layout: Layout::member(&r.title, "resources", principal),
        csrf: principal.csrf().to_string(),
        id: r.id.0,
        title: r.title.clone(),
        purpose: r.purpose.clone(),
        initiative: r.initiative.clone(),
        objective_id: r.objective_id,
        status: s.status.label(),
        flags: badges(&s.flags),
        requested_by: line.requester_name.clone(),
        requested_at: format_utc(r.created_at),
        due: show_date(r.due_on),
        currency: cur.into(),
        decision: r.decided_at.map(|at| {
            let who = line.decider_name.clone().unwrap_or_default();
            (who, format_utc(at), r.decision_ref.clone().unwrap_or_default(), r.refusal_reason.clone())
        }),
        cited: CitedDecision::of(r.decision_id, &line.cite),
        decisions,
        closing: r.closed_at.map(|at| {
            let who = line.closer_name.clone().unwrap_or_default();
            let left = show_money(r.unspent_minor.unwrap_or(0), cur);
            (
                who,
                format_utc(at),
                left,
                r.disposition.clone().unwrap_or_default(),
                r.close_note.clone().unwrap_or_default(),
            )
        }),
        rows: compare_rows(&s),
        entries: entry_lines(rows, &entry_evidence, cur),
        entry_total,
        entries_page: page,
        entries_pages: ((entry_total + ENTRIES_PER_PAGE - 1) / ENTRIES_PER_PAGE).max(1),
        evidence: evidence.into_iter().map(|e| (e.id.0, e.title)).collect(),
        can_decide,
        can_record: writer && s.status == Status::Approved,
        can_attach: writer,
        has_unspent: unspent > 0,
        unspent: show_money(unspent, cur),
        today: show_date(day_of(now)),
        notice: notice(q.done.as_deref()),
        error,
    })
}

/// `GET /resources/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<ShowPage, PageError> {
    Ok(render(&state, &principal, id, query, None).await?)
}
