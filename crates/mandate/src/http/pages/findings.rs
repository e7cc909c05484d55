//! `/leadership/findings`: every façade detector as a section (its findings, "no finding", or what it waits
//! for), the dismissed findings with who dismissed them and why, and plain forms to dismiss a finding (or withdraw
//! the dismissal) or turn it into an action.

use super::Layout;
use crate::clock::format_utc;
use crate::db;
use crate::domain::ids::UserId;
use crate::domain::leadership::{Detector, Finding};
use crate::domain::objective::{date_text, parse_date};
use crate::domain::record_link;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::FINDING_WRITERS;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use crate::leadership::findings::{self, Current, DEFAULT_ACTION_DAYS};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

/// A finding as the page shows it.
pub struct Row {
    detector: &'static str,
    subject: String,
    title: String,
    explanation: String,
    /// (label, page address if the record has one).
    records: Vec<(String, Option<String>)>,
    suggested_action: String,
    owner: String,
    /// The action made from it: (id, status).
    action: Option<(i64, String)>,
}

impl Row {
    /// Whether an action made from the finding is still open (a done or cancelled one leaves it to act on again).
    fn has_open_action(&self) -> bool {
        self.action.as_ref().is_some_and(|a| a.1 == "open")
    }

    fn of(f: Finding, action: Option<(i64, String)>) -> Self {
        Self {
            detector: f.detector.as_str(),
            records: f.records.into_iter().map(|r| (r.label, record_link::url(r.record_type, r.id))).collect(),
            owner: f.suggested_owner.map_or(String::new(), |u| u.to_string()),
            subject: f.subject,
            title: f.title,
            explanation: f.explanation,
            suggested_action: f.suggested_action,
            action,
        }
    }
}

/// One detector's section.
pub struct Section {
    label: &'static str,
    clauses: String,
    needs: Option<&'static str>,
    runs: bool,
    rows: Vec<Row>,
}

/// A dismissed finding: (detector, title, reason, who, when), with its keys for the withdraw form.
pub struct DismissedRow {
    detector: &'static str,
    code: &'static str,
    subject: String,
    title: String,
    reason: String,
    by: String,
    at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "findings.html")]
pub struct FindingsPage {
    layout: Layout,
    csrf: String,
    sections: Vec<Section>,
    dismissed: Vec<DismissedRow>,
    can_write: bool,
    /// Who may own an action: (id, name).
    owners: Vec<(String, String)>,
    default_due: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

fn sections(current: Current) -> (Vec<Section>, Vec<DismissedRow>) {
    let mut sections: Vec<Section> = Detector::ALL
        .into_iter()
        .map(|d| Section {
            label: d.label(),
            clauses: d.duties().iter().map(|duty| duty.clause()).collect::<Vec<_>>().join(", "),
            needs: d.needs(),
            runs: d.runs(),
            rows: Vec::new(),
        })
        .collect();
    let index = |d: Detector| Detector::ALL.iter().position(|x| *x == d).unwrap_or(0);
    for t in current.open {
        let i = index(t.finding.detector);
        sections[i].rows.push(Row::of(t.finding, t.action.map(|a| (a.id, a.status))));
    }
    let dismissed = current
        .dismissed
        .into_iter()
        .map(|d| DismissedRow {
            detector: d.finding.detector.label(),
            code: d.finding.detector.as_str(),
            subject: d.finding.subject,
            title: d.finding.title,
            reason: d.dismissal.reason,
            by: d.dismissal.dismissed_by_name,
            at: format_utc(d.dismissal.dismissed_at),
        })
        .collect();
    (sections, dismissed)
}

async fn render(
    state: &AppState,
    principal: &Principal,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<FindingsPage, AppError> {
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let current = findings::current(&mut c.conn(), principal.org_id, now).await?;
    let members = db::membership::managers(&mut c.conn(), principal.org_id, now).await?;
    drop(c);
    let owners =
        members.into_iter().filter(|m| m.role() != Role::Auditor).map(|m| (m.user_id.to_string(), m.name)).collect();
    let (sections, dismissed) = sections(current);
    Ok(FindingsPage {
        layout: Layout::member("Façade findings", "leadership", principal),
        csrf: principal.csrf().to_string(),
        sections,
        dismissed,
        can_write: FINDING_WRITERS.contains(&principal.role),
        owners,
        default_due: date_text(now + DEFAULT_ACTION_DAYS * 86_400),
        notice,
        error,
    })
}

/// `?done=dismissed|undismissed|acted` after a change.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PageParams {
    done: String,
}

/// `GET /leadership/findings`
#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(q): PageQuery<PageParams>,
) -> Result<FindingsPage, PageError> {
    let notice = match q.done.as_str() {
        "dismissed" => Some("Finding dismissed; the reason is recorded in the ledger."),
        "undismissed" => Some("Dismissal withdrawn; the finding is current again while its condition holds."),
        "acted" => Some("Action created; it is in its owner's tasks."),
        _ => None,
    };
    Ok(render(&state, &principal, notice, None).await?)
}

/// The dismiss and act forms.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FindingForm {
    pub detector: String,
    pub subject: String,
    pub reason: String,
    pub owner: String,
    pub due_on: String,
}

/// Redirects after a change, or shows the page again with the problem.
async fn answer(
    state: &AppState,
    principal: &Principal,
    result: Result<(), AppError>,
    done: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/leadership/findings?done={done}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::BadRequest(_) | AppError::NotFound(_) | AppError::Conflict(_))) => {
            let status = e.status();
            Ok((status, render(state, principal, None, Some(e.to_string())).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /leadership/findings/dismiss`
#[tracing::instrument(skip_all)]
pub async fn dismiss(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<FindingForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result =
        findings::dismiss(&ctx, principal.org_id, principal.user_id, &form.detector, &form.subject, &form.reason)
            .await
            .map(|_| ());
    answer(&state, &principal, result, "dismissed").await
}

/// `POST /leadership/findings/undismiss`
#[tracing::instrument(skip_all)]
pub async fn undismiss(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<FindingForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result =
        findings::withdraw(&ctx, principal.org_id, principal.user_id, &form.detector, &form.subject).await.map(|_| ());
    answer(&state, &principal, result, "undismissed").await
}

/// `POST /leadership/findings/act`
#[tracing::instrument(skip_all)]
pub async fn act(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<FindingForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result = async {
        let owner = match form.owner.trim() {
            "" => None,
            text => Some(UserId(text.parse().map_err(|_| AppError::Invalid("choose the owner of the action".into()))?)),
        };
        let due_on =
            Some(form.due_on.trim()).filter(|d| !d.is_empty()).map(|d| parse_date(d, "the due date")).transpose()?;
        findings::act(&ctx, principal.org_id, principal.user_id, &form.detector, &form.subject, owner, due_on).await?;
        Ok(())
    }
    .await;
    answer(&state, &principal, result, "acted").await
}
