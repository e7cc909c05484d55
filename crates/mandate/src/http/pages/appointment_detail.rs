//! One appointment: who was appointed to which role by whom, its deputies and evidence; forms to change the
//! decision reference, planned end and deputies, and to end it.

use super::Layout;
use super::appointments::{AppointmentLine, form_date, members_by_emails};
use super::record_evidence::EvidenceBox;
use crate::db;
use crate::db::appointment::DeputyRow;
use crate::domain::appointment::{Status, format_date, status};
use crate::domain::ids::AppointmentId;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::APPOINTMENT_WRITERS;
use crate::http::api::cited_decision::CitedDecision;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::roles::appointments::{self, AppointmentChange, Ending};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "appointments_show.html")]
pub struct AppointmentPage {
    layout: Layout,
    csrf: String,
    /// Whether the person may change or end it (it has not ended and their role records appointments).
    can_change: bool,
    item: AppointmentLine,
    /// The meeting decision the appointment rests on.
    cited: Option<CitedDecision>,
    /// Whether the viewer may open the decision's page (employees do not read meetings).
    sees_meetings: bool,
    deputies: Vec<(DeputyRow, String)>,
    deputy_emails: String,
    ends_on_value: String,
    today: String,
    evidence: EvidenceBox,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    id: AppointmentId,
    done: Option<&str>,
    error: Option<String>,
) -> Result<AppointmentPage, AppError> {
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let row = db::appointment::get(&mut c.conn(), principal.org_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("appointment"))?;
    let deputies = db::appointment::deputies(&mut c.conn(), principal.org_id, &[id]).await?;
    drop(c);
    let ended = status(row.appointed_on, row.ends_on, row.ended_at, now) == Status::Ended;
    Ok(AppointmentPage {
        layout: Layout::member(&format!("{} — {}", row.role_name, row.user_name), "roles", principal),
        csrf: principal.csrf().to_string(),
        can_change: !ended && APPOINTMENT_WRITERS.contains(&principal.role),
        deputy_emails: deputies.iter().map(|d| d.email.as_str()).collect::<Vec<_>>().join(", "),
        deputies: deputies.into_iter().map(|d| (format_date(d.since), d)).map(|(since, d)| (d, since)).collect(),
        ends_on_value: if row.ended_at.is_none() {
            row.ends_on.map(format_date).unwrap_or_default()
        } else {
            String::new()
        },
        today: format_date(now),
        evidence: EvidenceBox::load(state, principal, "appointment", id.0).await?,
        cited: CitedDecision::of(row.decision_id, &row.cite),
        sees_meetings: crate::http::access::MEETING_READERS.contains(&principal.role),
        item: AppointmentLine::of(row, now),
        notice: match done {
            Some("recorded") => Some("The appointment was recorded in the ledger."),
            Some("saved") => Some("The change was saved and recorded in the ledger."),
            _ => None,
        },
        error,
    })
}

/// `GET /appointments/{id}`
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<AppointmentPage, PageError> {
    Ok(render(&state, &principal, AppointmentId(id), query.done.as_deref(), None).await?)
}

/// Shows the appointment again with the error, for rule violations; other errors become error pages.
async fn rerender(
    state: &AppState,
    principal: &Principal,
    id: AppointmentId,
    error: AppError,
) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(_) | AppError::Conflict(_) | AppError::Forbidden(_) => {
            let status = error.status();
            Ok((status, render(state, principal, id, None, Some(error.to_string())).await?).into_response())
        }
        other => Err(other.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    decision_ref: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    deputies: String,
}

/// `POST /appointments/{id}`
#[tracing::instrument(skip_all)]
pub async fn change(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ChangeForm>,
) -> Result<Response, PageError> {
    let id = AppointmentId(id);
    let org = principal.org_id;
    let result = async {
        let change = AppointmentChange {
            decision_ref: Some(Some(form.decision_ref)),
            ends_on: Some(form_date(&form.ends_on, "until")?),
            deputies: Some(members_by_emails(&state, org, &form.deputies, "deputies").await?),
        };
        appointments::change(&state.ctx(&principal, &request), org, id, &change).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/appointments/{id}?done=saved")).into_response()),
        Err(error) => rerender(&state, &principal, id, error).await,
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct EndForm {
    #[serde(default)]
    ended_on: String,
    #[serde(default)]
    reason: String,
}

/// `POST /appointments/{id}/end`
#[tracing::instrument(skip_all)]
pub async fn end(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<EndForm>,
) -> Result<Response, PageError> {
    let id = AppointmentId(id);
    let result = async {
        let ending = Ending { ended_on: form_date(&form.ended_on, "ended on")?, reason: Some(form.reason) };
        appointments::end(&state.ctx(&principal, &request), principal.org_id, id, &ending).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/appointments/{id}?done=saved")).into_response()),
        Err(error) => rerender(&state, &principal, id, error).await,
    }
}
