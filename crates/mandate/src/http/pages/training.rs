//! The training page: your own training for everyone; the campaigns with their completion rates for those who
//! oversee the ISMS; and a form to launch a campaign for those who run it.

use super::Layout;
use super::communication::audience_of;
use crate::communication::training::{self, TrainingInput};
use crate::db;
use crate::domain::communication::{rate, rate_text};
use crate::domain::objective::{date_text, day_of, parse_date};
use crate::domain::training::is_overdue;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::{COMMUNICATION_WRITERS, TRAINING_OVERSEERS};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: i64 = 50;

/// A campaign as a row.
pub struct CampaignLine {
    pub id: i64,
    pub title: String,
    pub launcher: String,
    pub audience: String,
    pub due: String,
    pub enrolled: i64,
    pub completed: i64,
    pub overdue: i64,
    pub rate: String,
}

/// One of your own enrolments: (title, due, completed on, overdue).
pub struct MyLine {
    pub title: String,
    pub due: String,
    pub completed: Option<String>,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "training_list.html")]
pub struct ListPage {
    layout: Layout,
    csrf: String,
    mine: Vec<MyLine>,
    oversees: bool,
    can_write: bool,
    campaigns: Vec<CampaignLine>,
    total: i64,
    page: i64,
    pages: i64,
    departments: Vec<String>,
    roles: Vec<(&'static str, &'static str)>,
    managers: Vec<(i64, String)>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<i64>,
}

async fn render(
    state: &AppState,
    principal: &Principal,
    page: i64,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let (org, now) = (principal.org_id, state.clock.now());
    let mut c = state.db.read().await?;
    let mine = db::training::of_person(&mut c.conn(), org, principal.user_id).await?;
    let oversees = TRAINING_OVERSEERS.contains(&principal.role);
    let can_write = COMMUNICATION_WRITERS.contains(&principal.role);
    let (rows, total) = if oversees {
        db::training::list(&mut c.conn(), org, day_of(now), PAGE_SIZE, (page - 1) * PAGE_SIZE).await?
    } else {
        (Vec::new(), 0)
    };
    let (departments, managers) = if can_write {
        let managers = db::membership::managers(&mut c.conn(), org, now).await?;
        let managers = managers
            .into_iter()
            .filter(|m| m.role() != crate::domain::role::Role::Auditor)
            .map(|m| (m.user_id.0, m.name))
            .collect();
        (db::membership::departments(&mut c.conn(), org).await?, managers)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ListPage {
        layout: Layout::member("Training", "training", principal),
        csrf: principal.csrf().to_string(),
        mine: mine
            .into_iter()
            .map(|(_, title, due, done)| MyLine {
                title,
                due: date_text(due),
                completed: done.map(date_text),
                overdue: is_overdue(done, due, now),
            })
            .collect(),
        oversees,
        can_write,
        campaigns: rows
            .into_iter()
            .map(|r| CampaignLine {
                id: r.id.0,
                launcher: r.launcher_name,
                audience: r.audience_label,
                due: date_text(r.due_on),
                rate: rate_text(rate(r.completed, r.enrolled)),
                enrolled: r.enrolled,
                completed: r.completed,
                overdue: r.overdue,
                title: r.title,
            })
            .collect(),
        total,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        departments,
        roles: super::role_options(),
        managers,
        error,
    })
}

/// `GET /training`
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<ListPage, PageError> {
    Ok(render(&state, &principal, query.page.unwrap_or(1).clamp(1, 100_000), None).await?)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LaunchForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    launched_by: String,
    #[serde(default)]
    everyone: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    departments: String,
}

impl LaunchForm {
    fn input(&self) -> Result<TrainingInput, AppError> {
        let launched_by = match self.launched_by.trim() {
            "" => None,
            given => Some(crate::domain::ids::UserId(
                given.parse().map_err(|_| AppError::Invalid("choose who launches the campaign".into()))?,
            )),
        };
        Ok(TrainingInput {
            title: self.title.clone(),
            description: self.description.clone(),
            audience: audience_of(&self.everyone, &self.role, &self.departments)?,
            due_on: parse_date(&self.due_on, "the due date")?,
            launched_by,
        })
    }
}

/// `POST /training`
#[tracing::instrument(skip_all)]
pub async fn launch(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<LaunchForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result = match form.input() {
        Ok(input) => training::launch(&ctx, principal.org_id, principal.user_id, &input).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(row) => Ok(Redirect::to(&format!("/training/{}?done=launched", row.id)).into_response()),
        Err(error @ AppError::Invalid(_)) => {
            let status = error.status();
            Ok((status, render(&state, &principal, 1, Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
