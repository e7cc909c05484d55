//! `/meetings/new`: one form records a held meeting — date, kind, chair, who attended (present, absent,
//! excused), a few agenda items with their topics and clauses, and the minutes. Decisions and actions are added
//! on the meeting's page afterwards.

use super::Layout;
use crate::db;
use crate::domain::ids::UserId;
use crate::domain::meeting::{MeetingKind, Presence, Topic};
use crate::domain::objective::{date_text, parse_date};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::PageForm;
use crate::http::headers::RequestId;
use crate::meetings::{self, AgendaInput, MeetingInput};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// How many agenda rows the form offers.
const AGENDA_ROWS: usize = 5;

/// A member who can be marked as attending.
pub struct Invitee {
    pub id: i64,
    pub name: String,
    pub presence: String,
    pub may_chair: bool,
}

/// One agenda row of the form.
pub struct AgendaRow {
    pub n: usize,
    pub title: String,
    pub topics: String,
    pub clauses: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting_new.html")]
pub struct NewPage {
    layout: Layout,
    csrf: String,
    kinds: Vec<(&'static str, &'static str)>,
    topics: String,
    invitees: Vec<Invitee>,
    agenda: Vec<AgendaRow>,
    field: HashMap<String, String>,
    error: Option<String>,
}

impl NewPage {
    /// A field's value as sent (or empty).
    fn value(&self, name: &str) -> &str {
        self.field.get(name).map_or("", String::as_str)
    }
}

async fn render(
    state: &AppState,
    principal: &Principal,
    mut field: HashMap<String, String>,
    error: Option<String>,
) -> Result<NewPage, AppError> {
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let managers = db::membership::managers(&mut c.conn(), principal.org_id, now).await?;
    field.entry("held_on".into()).or_insert_with(|| date_text(now));
    field.entry("chair".into()).or_insert_with(|| principal.user_id.to_string());
    let invitees = managers
        .into_iter()
        .map(|m| Invitee {
            presence: field.get(&format!("presence_{}", m.user_id)).cloned().unwrap_or_default(),
            // Auditors may attend but not chair (the rule in `meetings::record_meeting`).
            may_chair: m.role != Role::Auditor.as_str(),
            id: m.user_id.0,
            name: m.name,
        })
        .collect();
    let cell = |name: String| field.get(&name).cloned().unwrap_or_default();
    let agenda = (1..=AGENDA_ROWS)
        .map(|n| AgendaRow {
            n,
            title: cell(format!("item{n}_title")),
            topics: cell(format!("item{n}_topics")),
            clauses: cell(format!("item{n}_clauses")),
        })
        .collect();
    Ok(NewPage {
        layout: Layout::member("Record a meeting", "meetings", principal),
        csrf: principal.csrf().to_string(),
        kinds: MeetingKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        topics: Topic::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "),
        invitees,
        agenda,
        field,
        error,
    })
}

/// `GET /meetings/new`
pub async fn new(State(state): State<AppState>, principal: Principal) -> Result<NewPage, PageError> {
    Ok(render(&state, &principal, HashMap::new(), None).await?)
}

/// Splits "incidents, risks" into its names.
fn names(text: &str) -> Vec<String> {
    text.split([',', ';']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Reads the form into a meeting.
fn input(f: &HashMap<String, String>) -> Result<MeetingInput, AppError> {
    let get = |name: &str| f.get(name).map_or("", |v| v.trim());
    let chair = get("chair").parse().map_err(|_| AppError::Invalid("choose who chaired the meeting".into()))?;
    let mut attendees = Vec::new();
    for (key, value) in f {
        if let Some(id) = key.strip_prefix("presence_")
            && !value.is_empty()
        {
            let id = id.parse().map_err(|_| AppError::BadRequest(format!("'{key}' is not a member field")))?;
            attendees.push((UserId(id), Presence::parse(value)?));
        }
    }
    attendees.sort_by_key(|(u, _)| *u);
    let agenda = (1..=AGENDA_ROWS)
        .filter(|n| !get(&format!("item{n}_title")).is_empty() || !get(&format!("item{n}_topics")).is_empty())
        .map(|n| AgendaInput {
            title: get(&format!("item{n}_title")).to_string(),
            topics: names(get(&format!("item{n}_topics"))),
            clauses: names(get(&format!("item{n}_clauses"))),
        })
        .collect();
    Ok(MeetingInput {
        kind: MeetingKind::parse(get("kind"))?,
        title: get("title").to_string(),
        held_on: parse_date(get("held_on"), "the meeting date")?,
        place: get("place").to_string(),
        chair: UserId(chair),
        attendees,
        agenda,
        minutes: f.get("minutes").cloned().unwrap_or_default(),
    })
}

/// `POST /meetings`: records the meeting and opens its page, where decisions and actions are added.
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result = match input(&form) {
        Ok(input) => meetings::create(&ctx, principal.org_id, principal.user_id, &input).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/meetings/{id}?done=recorded")).into_response()),
        Err(error @ AppError::Invalid(_)) => {
            let status = error.status();
            Ok((status, render(&state, &principal, form, Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
