//! Recording a simulation (with who approved it) and importing its GoPhish results through forms. The import
//! form is multipart (the CSRF token rides in its action URL, as for evidence uploads): "Check" reports what
//! the file holds and changes nothing; "Import" stores it when the file has no problem.

use super::Layout;
use super::phishing::render;
use crate::db;
use crate::domain::ids::{SimulationId, UserId};
use crate::domain::objective::{date_text, parse_date};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath};
use crate::http::headers::RequestId;
use crate::phishing::import::MAX_FILE_BYTES;
use crate::phishing::{self, SimulationInput};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

/// The simulation form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SimulationForm {
    pub name: String,
    pub gophish_campaign_id: String,
    pub launched_on: String,
    pub audience: String,
    pub approved_by: String,
    pub approved_on: String,
}

impl SimulationForm {
    fn input(&self) -> Result<SimulationInput, AppError> {
        let campaign = self.gophish_campaign_id.trim();
        let campaign = (!campaign.is_empty()).then(|| campaign.parse::<i64>()).transpose().map_err(|_| {
            AppError::Invalid(format!(
                "the GoPhish campaign id '{campaign}' is not a number; leave it empty if unknown"
            ))
        })?;
        let approver = self
            .approved_by
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::Invalid("choose who approved the simulation".into()))?;
        Ok(SimulationInput {
            name: self.name.clone(),
            gophish_campaign_id: campaign,
            launched_on: parse_date(&self.launched_on, "the launch date")?,
            audience: self.audience.clone(),
            approved_by: UserId(approver),
            approved_on: parse_date(&self.approved_on, "the approval date")?,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "phishing_form.html")]
pub struct FormPage {
    layout: Layout,
    csrf: String,
    form: SimulationForm,
    /// Who may approve: (id, "name (role)").
    approvers: Vec<(String, String)>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    principal: &Principal,
    form: SimulationForm,
    error: Option<String>,
) -> Result<FormPage, AppError> {
    let mut c = state.db.read().await?;
    let managers = db::membership::managers(&mut c.conn(), principal.org_id, state.clock.now()).await?;
    let approvers = managers
        .into_iter()
        .filter(|m| matches!(m.role(), Role::TopManagement | Role::IsmsManager))
        .map(|m| (m.user_id.to_string(), format!("{} ({})", m.name, m.role().label())))
        .collect();
    Ok(FormPage {
        layout: Layout::member("Record a phishing simulation", "phishing", principal),
        csrf: principal.csrf().to_string(),
        form,
        approvers,
        error,
    })
}

/// `GET /phishing/new`
pub async fn new(State(state): State<AppState>, principal: Principal) -> Result<FormPage, PageError> {
    let today = date_text(state.clock.now());
    let form = SimulationForm {
        approved_by: principal.user_id.to_string(),
        launched_on: today.clone(),
        approved_on: today,
        ..SimulationForm::default()
    };
    Ok(page(&state, &principal, form, None).await?)
}

/// `POST /phishing`
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<SimulationForm>,
) -> Result<Response, PageError> {
    let result = async {
        let input = form.input()?;
        phishing::create(&state.ctx(&principal, &request), principal.org_id, principal.user_id, &input).await
    }
    .await;
    match result {
        Ok(row) => Ok(Redirect::to(&format!("/phishing/{}?done=created", row.id)).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::BadRequest(_))) => {
            let status = error.status();
            Ok((status, page(&state, &principal, form, Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

/// Reads the upload: the file's bytes and whether to import ("import") or only check.
async fn read_upload(mut multipart: Multipart) -> Result<(Vec<u8>, bool), AppError> {
    let (mut bytes, mut apply, mut file_seen) = (Vec::new(), false, false);
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("the upload could not be read: {e}"))
    };
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") => {
                file_seen = true;
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                        return Err(AppError::PayloadTooLarge(format!(
                            "the file is larger than {} MiB",
                            MAX_FILE_BYTES >> 20
                        )));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            Some("action") => apply = field.text().await.map_err(unreadable)? == "import",
            _ => {}
        }
    }
    if !file_seen {
        return Err(AppError::Invalid("choose GoPhish's results file (CSV) to import".into()));
    }
    Ok((bytes, apply))
}

/// `POST /phishing/{id}/results` (multipart: `file`, `action` = check or import).
#[tracing::instrument(skip_all)]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let result = async {
        let multipart = multipart
            .map_err(|e| AppError::UnsupportedMediaType(format!("send the form as multipart/form-data: {e}")))?;
        let (bytes, apply) = read_upload(multipart).await?;
        let ctx = state.ctx(&principal, &request);
        phishing::import::import(&ctx, principal.org_id, SimulationId(id), principal.user_id, &bytes, !apply).await
    }
    .await;
    match result {
        Ok(report) if report.applied => Ok(Redirect::to(&format!("/phishing/{id}?done=imported")).into_response()),
        Ok(report) => {
            let status = if report.problems.is_empty() {
                axum::http::StatusCode::OK
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((status, render(&state, &principal, id, 1, Some(report), None, None).await?).into_response())
        }
        Err(
            error @ (AppError::Invalid(_)
            | AppError::BadRequest(_)
            | AppError::PayloadTooLarge(_)
            | AppError::UnsupportedMediaType(_)),
        ) => {
            let status = error.status();
            Ok((status, render(&state, &principal, id, 1, None, Some(error.to_string()), None).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
