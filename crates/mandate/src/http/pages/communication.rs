//! The communication page: the plan with when each entry is next due (overdue flagged), the latest
//! communications and their reach, and (for those who run the ISMS) a form to add a plan entry.

use super::Layout;
use crate::communication::{self, PlanInput};
use crate::db;
use crate::domain::campaign::Audience;
use crate::domain::communication::{Cadence, Channel, rate, rate_text};
use crate::domain::objective::{date_text, parse_date};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::COMMUNICATION_WRITERS;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: i64 = 50;

/// A plan entry as a row of the plan.
pub struct PlanLine {
    pub id: i64,
    pub subject: String,
    pub frequency: &'static str,
    pub communicator: String,
    pub audience: String,
    pub channel: &'static str,
    pub last_sent: String,
    pub next_due: String,
    pub overdue: bool,
    pub retired: bool,
    pub reach: String,
}

/// A communication as a row of a list.
pub struct SentLine {
    pub id: i64,
    pub plan_entry: Option<(i64, String)>,
    pub sent_on: String,
    pub subject: String,
    pub communicator: String,
    pub recorder: String,
    pub channel: &'static str,
    pub audience: String,
    pub read: String,
    pub acknowledged: String,
}

impl SentLine {
    pub fn of(row: db::communication::SentRow) -> Self {
        let count = |n: Option<i64>| {
            n.map_or_else(|| "—".into(), |n| format!("{n} ({})", rate_text(rate(n, row.audience_size))))
        };
        Self {
            id: row.id.0,
            plan_entry: row.plan_entry_id.map(|id| (id.0, row.plan_subject.clone().unwrap_or_default())),
            sent_on: date_text(row.sent_on),
            communicator: row.communicator_name.clone(),
            recorder: row.recorder_name.clone(),
            channel: Channel::parse(&row.channel).map_or("", Channel::label),
            audience: format!("{} ({})", row.audience_label, row.audience_size),
            read: count(row.read_count),
            acknowledged: count(row.acknowledged_count),
            subject: row.subject,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "communication_list.html")]
pub struct ListPage {
    layout: Layout,
    csrf: String,
    can_write: bool,
    plan: Vec<PlanLine>,
    plan_total: i64,
    overdue: usize,
    page: i64,
    pages: i64,
    recent: Vec<SentLine>,
    sent_total: i64,
    members: Vec<(i64, String)>,
    departments: Vec<String>,
    roles: Vec<(&'static str, &'static str)>,
    cadences: Vec<(&'static str, &'static str)>,
    channels: Vec<(&'static str, &'static str)>,
    today: String,
    notice: bool,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

/// The cadences and channels for `<select>` elements.
pub fn cadence_options() -> Vec<(&'static str, &'static str)> {
    Cadence::ALL.iter().map(|c| (c.as_str(), c.label())).collect()
}
pub fn channel_options() -> Vec<(&'static str, &'static str)> {
    Channel::ALL.iter().map(|c| (c.as_str(), c.label())).collect()
}

async fn render(
    state: &AppState,
    principal: &Principal,
    page: i64,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let (org, now) = (principal.org_id, state.clock.now());
    let mut c = state.db.read().await?;
    let (rows, plan_total) =
        db::communication::list_entries(&mut c.conn(), org, true, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let reach = db::communication::reach(&mut c.conn(), org).await?;
    let plan: Vec<PlanLine> = rows
        .into_iter()
        .map(|r| {
            let (due, overdue) = communication::schedule(&r, now);
            let got = reach.get(&r.id).copied().unwrap_or_default();
            PlanLine {
                id: r.id.0,
                frequency: Cadence::parse(&r.frequency).map_or("", Cadence::label),
                communicator: r.communicator_name.clone(),
                audience: r.audience_label.clone(),
                channel: Channel::parse(&r.channel).map_or("", Channel::label),
                last_sent: r.last_sent_on.map_or_else(|| "never".into(), date_text),
                next_due: due.map_or_else(|| "—".into(), date_text),
                overdue,
                retired: r.retired_at.is_some(),
                reach: rate_text(rate(got.read, got.read_audience)),
                subject: r.subject,
            }
        })
        .collect();
    let (recent, sent_total) = db::communication::list_sent(&mut c.conn(), org, None, 10, 0).await?;
    let can_write = COMMUNICATION_WRITERS.contains(&principal.role);
    let (members, departments) = if can_write {
        let members = db::membership::managers(&mut c.conn(), org, now).await?;
        let members = members
            .into_iter()
            .filter(|m| m.role() != Role::Auditor)
            .map(|m| (m.user_id.0, format!("{} ({})", m.name, m.email)))
            .collect();
        (members, db::membership::departments(&mut c.conn(), org).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    let pages = ((plan_total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Ok(ListPage {
        layout: Layout::member("Communication", "communication", principal),
        csrf: principal.csrf().to_string(),
        can_write,
        overdue: plan.iter().filter(|p| p.overdue).count(),
        plan,
        plan_total,
        page,
        pages,
        recent: recent.into_iter().map(SentLine::of).collect(),
        sent_total,
        members,
        departments,
        roles: super::role_options(),
        cadences: cadence_options(),
        channels: channel_options(),
        today: date_text(now),
        notice: false,
        error,
    })
}

/// `GET /communication`
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<ListPage, PageError> {
    let mut page = render(&state, &principal, query.page.unwrap_or(1).clamp(1, 100_000), None).await?;
    page.notice = query.done.is_some();
    Ok(page)
}

/// Who a form says a communication is for: everyone, one role, and/or departments (comma-separated).
pub fn audience_of(everyone: &str, role: &str, departments: &str) -> Result<Audience, AppError> {
    let roles = match role.trim() {
        "" => Vec::new(),
        given => vec![given.parse::<Role>().map_err(|_| AppError::Invalid(format!("unknown role '{given}'")))?],
    };
    let departments = departments.split(',').map(str::trim).filter(|d| !d.is_empty()).map(String::from).collect();
    Ok(Audience { everyone: !everyone.is_empty(), roles, departments, people: Vec::new() })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    first_due_on: String,
    #[serde(default)]
    communicator: String,
    #[serde(default)]
    everyone: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    departments: String,
    #[serde(default)]
    channel: String,
}

impl PlanForm {
    fn input(&self, principal: &Principal) -> Result<PlanInput, AppError> {
        let communicator = match self.communicator.trim() {
            "" => principal.user_id,
            given => crate::domain::ids::UserId(
                given.parse().map_err(|_| AppError::Invalid("choose who communicates".into()))?,
            ),
        };
        Ok(PlanInput {
            subject: self.subject.clone(),
            description: self.description.clone(),
            frequency: Cadence::parse(&self.frequency)?,
            first_due_on: parse_date(&self.first_due_on, "the first date")?,
            communicator,
            audience: audience_of(&self.everyone, &self.role, &self.departments)?,
            channel: Channel::parse(&self.channel)?,
        })
    }
}

/// `POST /communication/plan`
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<PlanForm>,
) -> Result<Response, PageError> {
    let result = match form.input(&principal) {
        Ok(input) => {
            communication::create(&state.ctx(&principal, &request), principal.org_id, principal.user_id, &input)
                .await
                .map(|row| row.id)
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/communication/plan/{id}?done=created")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = error.status();
            Ok((status, render(&state, &principal, 1, Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
