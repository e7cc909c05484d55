//! The short, phone-friendly form to record a communication that was sent: pick the plan entry (or type a
//! subject), the date, and the reach where known; everything else comes from the plan entry.

use super::Layout;
use super::communication::{audience_of, channel_options};
use crate::communication::{self, SentInput};
use crate::db;
use crate::domain::communication::Channel;
use crate::domain::ids::{PlanEntryId, UserId};
use crate::domain::objective::{date_text, parse_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "communication_record.html")]
pub struct RecordPage {
    layout: Layout,
    csrf: String,
    entries: Vec<(i64, String)>,
    channels: Vec<(&'static str, &'static str)>,
    form: RecordForm,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RecordForm {
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub sent_on: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub everyone: String,
    #[serde(default)]
    pub departments: String,
    #[serde(default)]
    pub external: String,
    #[serde(default)]
    pub audience_size: String,
    #[serde(default)]
    pub read_count: String,
    #[serde(default)]
    pub acknowledged_count: String,
}

fn number(text: &str, what: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        given => given.parse().map(Some).map_err(|_| AppError::Invalid(format!("{what} must be a whole number"))),
    }
}

impl RecordForm {
    fn input(&self) -> Result<SentInput, AppError> {
        let plan_entry = number(&self.plan, "the plan entry")?.map(PlanEntryId);
        let channel = match self.channel.trim() {
            "" => None,
            given => Some(Channel::parse(given)?),
        };
        let members_given = !self.everyone.is_empty() || !self.departments.trim().is_empty();
        let audience = members_given.then(|| audience_of(&self.everyone, "", &self.departments)).transpose()?;
        Ok(SentInput {
            plan_entry,
            sent_on: parse_date(&self.sent_on, "the date sent")?,
            communicator: None::<UserId>,
            channel,
            subject: self.subject.clone(),
            summary: self.summary.clone(),
            audience,
            external_audience: Some(self.external.clone()).filter(|e| !e.trim().is_empty()),
            audience_size: number(&self.audience_size, "the audience size")?,
            read_count: number(&self.read_count, "the read count")?,
            acknowledged_count: number(&self.acknowledged_count, "the acknowledged count")?,
        })
    }
}

async fn render(
    state: &AppState,
    principal: &Principal,
    form: RecordForm,
    error: Option<String>,
) -> Result<RecordPage, AppError> {
    let mut c = state.db.read().await?;
    let (entries, _) = db::communication::list_entries(&mut c.conn(), principal.org_id, false, 500, 0).await?;
    Ok(RecordPage {
        layout: Layout::member("Record a communication", "communication", principal),
        csrf: principal.csrf().to_string(),
        entries: entries.into_iter().map(|e| (e.id.0, e.subject)).collect(),
        channels: channel_options(),
        form,
        error,
    })
}

/// `GET /communication/record` (`?plan=ID` preselects a plan entry)
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(mut form): PageQuery<RecordForm>,
) -> Result<RecordPage, PageError> {
    if form.sent_on.is_empty() {
        form.sent_on = date_text(state.clock.now());
    }
    Ok(render(&state, &principal, form, None).await?)
}

/// `POST /communication/record`
#[tracing::instrument(skip_all)]
pub async fn record(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<RecordForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result = match form.input() {
        Ok(input) => communication::record(&ctx, principal.org_id, principal.user_id, &input).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(row) => Ok(Redirect::to(&match row.plan_entry_id {
            Some(id) => format!("/communication/plan/{id}?done=recorded"),
            None => "/communication?done=recorded".into(),
        })
        .into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::NotFound(_))) => {
            let status = error.status();
            Ok((status, render(&state, &principal, form, Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
