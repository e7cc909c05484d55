//! Setting and changing objectives through forms, and closing or reopening them. Plain POST forms: on success
//! a redirect to the objective, on a rule broken the form again with the message and what was typed.

use super::Layout;
use super::objective::{MeasurementForm, render};
use crate::accounts;
use crate::db::objective::ObjectiveRow;
use crate::domain::ids::ObjectiveId;
use crate::domain::objective::{Direction, Frequency, Kind, Status, date_text, format_value, parse_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::api::objectives::visible;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use crate::objectives::{self, ObjectiveInput, ObjectivePatch};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

/// The objective form's fields as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ObjectiveForm {
    pub statement: String,
    pub kind: String,
    pub person_email: String,
    pub owner_email: String,
    pub target_value: String,
    pub unit: String,
    pub direction: String,
    pub due_on: String,
    pub resources: String,
    pub evaluation_method: String,
    pub frequency: String,
    pub frequency_days: String,
    pub policy_id: String,
}

/// Reads a number typed by a person; a decimal comma is accepted.
pub fn number(text: &str, what: &str) -> Result<f64, AppError> {
    let text = text.trim();
    let normalised = if text.contains('.') { text.to_string() } else { text.replace(',', ".") };
    normalised.parse::<f64>().map_err(|_| AppError::Invalid(format!("{what} '{text}' is not a number")))
}

impl ObjectiveForm {
    fn of(row: &ObjectiveRow) -> Self {
        Self {
            statement: row.statement.clone(),
            kind: row.kind.clone(),
            person_email: String::new(),
            owner_email: row.owner_email.clone(),
            target_value: format_value(row.target_value),
            unit: row.unit.clone(),
            direction: row.direction.clone(),
            due_on: date_text(row.due_on),
            resources: row.resources.clone(),
            evaluation_method: row.evaluation_method.clone(),
            frequency: row.frequency.clone(),
            frequency_days: row.frequency_days.to_string(),
            policy_id: row.policy_id.map(|p| p.to_string()).unwrap_or_default(),
        }
    }

    async fn input(&self, state: &AppState, principal: &Principal) -> Result<ObjectiveInput, AppError> {
        let member = |email: String| async move {
            match accounts::member_by_email(&state.db, principal.org_id, &email).await {
                Ok(m) => Ok(m.user_id),
                Err(AppError::NotFound(message)) => Err(AppError::Invalid(message)),
                Err(other) => Err(other),
            }
        };
        let kind = Kind::parse(&self.kind)?;
        let person = match (kind, self.person_email.trim()) {
            (Kind::Personal, email) if !email.is_empty() => Some(member(email.to_string()).await?),
            _ => None,
        };
        let days = self.frequency_days.trim();
        let days = days.parse::<i64>().ok().filter(|_| self.frequency == "days" && !days.is_empty());
        let policy = self.policy_id.trim();
        let policy_id = (!policy.is_empty()).then(|| policy.parse::<i64>()).transpose();
        Ok(ObjectiveInput {
            statement: self.statement.clone(),
            kind,
            person,
            owner: member(self.owner_email.clone()).await?,
            target_value: number(&self.target_value, "the target value")?,
            unit: self.unit.clone(),
            direction: Direction::parse(&self.direction)?,
            due_on: parse_date(&self.due_on, "the due date")?,
            resources: self.resources.clone(),
            evaluation_method: self.evaluation_method.clone(),
            frequency: Frequency::parse(&self.frequency, days)?,
            policy_id: policy_id.map_err(|_| AppError::Invalid(format!("policy '{policy}' is not a policy number")))?,
        })
    }
}

/// The form that sets or changes an objective.
#[derive(Template, WebTemplate)]
#[template(path = "objective_form.html")]
pub struct FormPage {
    layout: Layout,
    csrf: String,
    heading: String,
    action: String,
    cancel: String,
    form: ObjectiveForm,
    directions: Vec<Choice>,
    frequencies: Vec<Choice>,
    error: Option<String>,
}

/// An option of a `<select>`.
pub struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

fn choices(options: &[(&'static str, &'static str)], current: &str) -> Vec<Choice> {
    options.iter().map(|&(value, label)| Choice { value, label, selected: value == current }).collect()
}

const FREQUENCIES: [(&str, &str); 5] = [
    ("monthly", "monthly"),
    ("quarterly", "quarterly"),
    ("half_yearly", "every six months"),
    ("yearly", "yearly"),
    ("days", "every N days"),
];

fn page(principal: &Principal, id: Option<i64>, form: ObjectiveForm, error: Option<String>) -> FormPage {
    let (heading, action, cancel) = match id {
        Some(id) => ("Change the objective".into(), format!("/objectives/{id}"), format!("/objectives/{id}")),
        None => ("Set an objective".into(), "/objectives".into(), "/objectives".into()),
    };
    FormPage {
        layout: Layout::member("Objective", "objectives", principal),
        csrf: principal.csrf().to_string(),
        heading,
        action,
        cancel,
        directions: choices(&Direction::ALL.map(|d| (d.as_str(), d.label())), &form.direction),
        frequencies: choices(&FREQUENCIES, &form.frequency),
        form,
        error,
    }
}

/// Sends the form back with the message for a broken rule; other errors become error pages.
fn refused(
    principal: &Principal,
    id: Option<i64>,
    form: ObjectiveForm,
    error: AppError,
) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(_) | AppError::Conflict(_) | AppError::BadRequest(_) => {
            let status = error.status();
            Ok((status, page(principal, id, form, Some(error.to_string()))).into_response())
        }
        other => Err(other.into()),
    }
}

/// `?kind=personal` starts the form as a personal objective.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    kind: Option<String>,
}

/// `GET /objectives/new`
pub async fn new(principal: Principal, PageQuery(query): PageQuery<NewQuery>) -> FormPage {
    let form = ObjectiveForm {
        kind: query.kind.filter(|k| k == "personal").unwrap_or_else(|| "organisational".into()),
        owner_email: principal.email.clone(),
        direction: "at_least".into(),
        frequency: "monthly".into(),
        ..ObjectiveForm::default()
    };
    page(&principal, None, form, None)
}

/// `POST /objectives`
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<ObjectiveForm>,
) -> Result<Response, PageError> {
    let result = async {
        let input = form.input(&state, &principal).await?;
        objectives::create(&state.ctx(&principal, &request), principal.org_id, principal.user_id, &input).await
    }
    .await;
    match result {
        Ok(row) => Ok(Redirect::to(&format!("/objectives/{}?done=created", row.id)).into_response()),
        Err(error) => refused(&principal, None, form, error),
    }
}

/// `GET /objectives/{id}/edit`
pub async fn edit(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
) -> Result<FormPage, PageError> {
    let row = visible(&state, &principal, id).await?;
    let mut form = ObjectiveForm::of(&row);
    if let Some(person) = row.person_id {
        let mut c = state.db.read().await?;
        let member = crate::db::membership::get(&mut c.conn(), principal.org_id, person).await?;
        form.person_email = member.map(|m| m.email).unwrap_or_default();
    }
    Ok(page(&principal, Some(id), form, None))
}

/// `POST /objectives/{id}`
#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ObjectiveForm>,
) -> Result<Response, PageError> {
    let result = async {
        let patch = ObjectivePatch::all(form.input(&state, &principal).await?);
        let ctx = state.ctx(&principal, &request);
        objectives::change(&ctx, principal.org_id, ObjectiveId(id), &patch, None).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/objectives/{id}?done=updated")).into_response()),
        Err(error) => refused(&principal, Some(id), form, error),
    }
}

/// The close/reopen form.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    status_note: String,
}

/// `POST /objectives/{id}/status`: achieve, abandon or reopen.
#[tracing::instrument(skip_all)]
pub async fn status(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    let result = async {
        let to = Status::parse(&form.status)?;
        let ctx = state.ctx(&principal, &request);
        let change = Some((to, form.status_note.as_str()));
        objectives::change(&ctx, principal.org_id, ObjectiveId(id), &ObjectivePatch::default(), change).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/objectives/{id}?done=status")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = error.status();
            let page =
                render(&state, &principal, id, MeasurementForm::default(), None, Some(error.to_string())).await?;
            Ok((status, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
