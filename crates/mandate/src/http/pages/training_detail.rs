//! One training campaign: completion overall and per department, the people enrolled (filtered), a form to
//! record one completion, and the CSV import with its dry-run report.

use super::Layout;
use crate::communication::training;
use crate::communication::training_import::{self, CompletionReport};
use crate::domain::communication::rate_text;
use crate::domain::ids::{TrainingId, UserId};
use crate::domain::objective::{date_text, parse_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::COMMUNICATION_WRITERS;
use crate::http::api::training::{DepartmentView, detail};
use crate::http::api::training_completions::{EnrolmentQuery, EnrolmentView, page};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: i64 = 100;

#[derive(Template, WebTemplate)]
#[template(path = "training_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    id: i64,
    title: String,
    description: String,
    audience: String,
    launcher: String,
    recorder: String,
    launched: String,
    due: String,
    enrolled: i64,
    completed: i64,
    overdue: i64,
    rate: String,
    departments: Vec<(String, i64, i64, String)>,
    people: Vec<EnrolmentView>,
    people_total: i64,
    filter: ShowQuery,
    can_write: bool,
    today: String,
    csv: String,
    report: Option<CompletionReport>,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    pub show: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub done: Option<String>,
}

async fn render(state: &AppState, principal: &Principal, id: i64, filter: ShowQuery) -> Result<ShowPage, AppError> {
    let d = detail(state, principal, TrainingId(id)).await?;
    let query = EnrolmentQuery {
        completed: match filter.show.as_str() {
            "completed" => Some(true),
            "open" => Some(false),
            _ => None,
        },
        overdue: Some(filter.show == "overdue"),
        department: Some(filter.department.clone()),
        limit: Some(PAGE_SIZE),
        offset: None,
    };
    let (people, people_total) = page(state, principal, TrainingId(id), &query).await?;
    let c = d.campaign;
    let department = |v: DepartmentView| {
        (v.department.unwrap_or_else(|| "(none)".into()), v.enrolled, v.completed, rate_text(v.completion_rate))
    };
    Ok(ShowPage {
        layout: Layout::member(&c.title, "training", principal),
        csrf: principal.csrf().to_string(),
        id,
        description: c.description,
        audience: c.audience_label,
        launcher: c.launcher_name,
        recorder: c.recorder_name,
        launched: c.launched_at.chars().take(10).collect(),
        due: c.due_on,
        enrolled: c.enrolled,
        completed: c.completed,
        overdue: c.overdue,
        rate: rate_text(c.completion_rate),
        departments: d.departments.into_iter().map(department).collect(),
        people,
        people_total,
        can_write: COMMUNICATION_WRITERS.contains(&principal.role),
        today: date_text(state.clock.now()),
        csv: String::new(),
        report: None,
        notice: match filter.done.as_deref() {
            Some("launched") => Some("The campaign was launched and its audience enrolled."),
            Some("recorded") => Some("The completion was recorded."),
            _ => None,
        },
        error: None,
        filter,
        title: c.title,
    })
}

/// `GET /training/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<ShowPage, PageError> {
    Ok(render(&state, &principal, id, query).await?)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CompletionForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    completed_on: String,
    #[serde(default)]
    score: String,
}

/// `POST /training/{id}/completions`: records one person's completion.
#[tracing::instrument(skip_all)]
pub async fn complete(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CompletionForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result = async {
        let person = UserId(form.user_id.trim().parse().map_err(|_| AppError::Invalid("choose the person".into()))?);
        let on = parse_date(&form.completed_on, "the completion date")?;
        let score = match form.score.trim() {
            "" => None,
            given => Some(given.parse::<f64>().map_err(|_| AppError::Invalid("the score must be a number".into()))?),
        };
        training::complete(&ctx, principal.org_id, TrainingId(id), principal.user_id, person, on, score).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/training/{id}?done=recorded")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = error.status();
            let mut page = render(&state, &principal, id, ShowQuery::default()).await?;
            page.error = Some(error.to_string());
            Ok((status, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
    /// "check" for a dry run, "import" to record.
    #[serde(default)]
    action: String,
}

/// `POST /training/{id}/import`: the pasted CSV, checked or imported; the page shows the report.
#[tracing::instrument(skip_all)]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ImportForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let dry_run = form.action != "import";
    let result = training_import::import(
        &ctx,
        principal.org_id,
        principal.user_id,
        TrainingId(id),
        form.csv.as_bytes(),
        dry_run,
    )
    .await;
    let mut page = render(&state, &principal, id, ShowQuery::default()).await?;
    page.csv = form.csv;
    match result {
        Ok(report) => {
            let status = if report.errors.is_empty() {
                axum::http::StatusCode::OK
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            page.report = Some(report);
            Ok((status, page).into_response())
        }
        Err(error @ AppError::Invalid(_)) => {
            let status = error.status();
            page.error = Some(error.to_string());
            Ok((status, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
