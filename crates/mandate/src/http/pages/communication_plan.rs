//! One plan entry: what, when, by whom, to whom and how; when it is next due; its history of communications
//! with their reach; evidence; and, for those who run the ISMS, recording a communication of it or retiring it.

use super::Layout;
use super::communication::SentLine;
use super::record_evidence::EvidenceBox;
use crate::communication;
use crate::db;
use crate::domain::communication::{Cadence, Channel, rate, rate_text};
use crate::domain::ids::PlanEntryId;
use crate::domain::objective::date_text;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::COMMUNICATION_WRITERS;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PagePath, PageQuery};
use crate::http::headers::RequestId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

const HISTORY: i64 = 100;

#[derive(Template, WebTemplate)]
#[template(path = "communication_plan.html")]
pub struct PlanPage {
    layout: Layout,
    csrf: String,
    id: i64,
    subject: String,
    description: String,
    frequency: &'static str,
    first_due: String,
    communicator: String,
    recorder: String,
    audience: String,
    channel: &'static str,
    retired: Option<String>,
    next_due: String,
    overdue: bool,
    history: Vec<SentLine>,
    sent_total: i64,
    read_rate: String,
    acknowledged_rate: String,
    can_write: bool,
    evidence: EvidenceBox,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    done: Option<String>,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    id: i64,
    done: Option<&str>,
    error: Option<String>,
) -> Result<PlanPage, AppError> {
    let (org, now) = (principal.org_id, state.clock.now());
    let mut c = state.db.read().await?;
    let row = db::communication::get_entry(&mut c.conn(), org, PlanEntryId(id))
        .await?
        .ok_or_else(|| AppError::not_found("plan entry"))?;
    let (history, sent_total) = db::communication::list_sent(&mut c.conn(), org, Some(row.id), HISTORY, 0).await?;
    let reach = db::communication::reach(&mut c.conn(), org).await?.get(&row.id).copied().unwrap_or_default();
    drop(c);
    let (due, overdue) = communication::schedule(&row, now);
    Ok(PlanPage {
        layout: Layout::member(&row.subject, "communication", principal),
        csrf: principal.csrf().to_string(),
        id,
        frequency: Cadence::parse(&row.frequency).map_or("", Cadence::label),
        first_due: date_text(row.first_due_on),
        communicator: row.communicator_name.clone(),
        recorder: row.recorder_name.clone(),
        audience: row.audience_label.clone(),
        channel: Channel::parse(&row.channel).map_or("", Channel::label),
        retired: row.retired_at.map(date_text),
        next_due: due.map_or_else(|| "—".into(), date_text),
        overdue,
        history: history.into_iter().map(SentLine::of).collect(),
        sent_total,
        read_rate: rate_text(rate(reach.read, reach.read_audience)),
        acknowledged_rate: rate_text(rate(reach.acknowledged, reach.acknowledged_audience)),
        can_write: COMMUNICATION_WRITERS.contains(&principal.role) && row.retired_at.is_none(),
        evidence: EvidenceBox::load(state, principal, "communication_plan_entry", id).await?,
        notice: match done {
            Some("created") => Some("The entry was added to the plan."),
            Some("recorded") => Some("The communication was recorded."),
            Some("retired") => Some("The entry was retired; its history stays."),
            _ => None,
        },
        error,
        subject: row.subject,
        description: row.description,
    })
}

/// `GET /communication/plan/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<PlanQuery>,
) -> Result<PlanPage, PageError> {
    Ok(render(&state, &principal, id, query.done.as_deref(), None).await?)
}

/// `POST /communication/plan/{id}/retire`
#[tracing::instrument(skip_all)]
pub async fn retire(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    match communication::retire(&ctx, principal.org_id, principal.user_id, PlanEntryId(id)).await {
        Ok(_) => Ok(Redirect::to(&format!("/communication/plan/{id}?done=retired")).into_response()),
        Err(error @ AppError::Conflict(_)) => {
            let status = error.status();
            Ok((status, render(&state, &principal, id, None, Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
