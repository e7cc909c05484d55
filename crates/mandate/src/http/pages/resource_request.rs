//! The form to request resources, and receiving it.

use super::Layout;
use crate::domain::resource::{day_of, show_date};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::PageForm;
use crate::http::headers::RequestId;
use crate::resources::{self, RequestInput};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

/// What the request form holds, kept when it is shown again with an error.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    initiative: String,
    #[serde(default)]
    objective_id: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    person_days: String,
    #[serde(default)]
    due_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "resources_new.html")]
pub struct NewPage {
    layout: Layout,
    csrf: String,
    form: RequestForm,
    today: String,
    error: Option<String>,
}

async fn new_page(
    state: &AppState,
    principal: &Principal,
    mut form: RequestForm,
    error: Option<String>,
) -> Result<NewPage, AppError> {
    if form.currency.is_empty() {
        form.currency =
            resources::settings(&mut state.db.read().await?.conn(), principal.org_id).await?.currency.code().into();
    }
    Ok(NewPage {
        layout: Layout::member("Request resources", "resources", principal),
        csrf: principal.csrf().to_string(),
        form,
        today: show_date(day_of(state.clock.now())),
        error,
    })
}

/// `GET /resources/new`
pub async fn new(State(state): State<AppState>, principal: Principal) -> Result<NewPage, PageError> {
    Ok(new_page(&state, &principal, RequestForm::default(), None).await?)
}

/// `POST /resources`
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<RequestForm>,
) -> Result<Response, PageError> {
    let result = async {
        let objective_id = match form.objective_id.trim() {
            "" => None,
            text => Some(
                text.parse::<i64>()
                    .map_err(|_| AppError::Invalid(format!("objective '{text}' is not an objective id (a number)")))?,
            ),
        };
        let input = RequestInput {
            title: form.title.clone(),
            purpose: form.purpose.clone(),
            initiative: form.initiative.clone(),
            objective_id,
            amount: form.amount.clone(),
            currency: form.currency.clone(),
            person_days: form.person_days.clone(),
            due_on: form.due_on.clone(),
            requested_by: None,
        };
        resources::request(&state.ctx(&principal, &request), principal.org_id, principal.user_id, &input).await
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/resources/{id}?done=requested")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = error.status();
            Ok((status, new_page(&state, &principal, form, Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
