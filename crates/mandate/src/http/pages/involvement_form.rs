//! The one-minute entry: a short form that works on a phone (kind, date defaulting to today, place, notes), for
//! the manager themselves by default, or for a named manager when the ISMS manager logs it on their behalf.

use super::Layout;
use crate::db;
use crate::domain::ids::UserId;
use crate::domain::involvement::Kind;
use crate::domain::objective::{date_text, parse_date};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use crate::involvement::{self, InvolvementInput, Recorder};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

/// The form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct InvolvementForm {
    pub manager: String,
    pub kind: String,
    pub occurred_on: String,
    pub place: String,
    pub notes: String,
    pub record_type: String,
    pub record_id: String,
}

impl InvolvementForm {
    fn input(&self) -> Result<InvolvementInput, AppError> {
        let manager = self.manager.trim().parse::<i64>().map_err(|_| AppError::Invalid("choose the manager".into()))?;
        let record = match (self.record_type.trim(), self.record_id.trim()) {
            ("", "") => None,
            (t, id) if !t.is_empty() => {
                let id = id
                    .parse::<i64>()
                    .map_err(|_| AppError::Invalid(format!("the record number '{id}' is not a number")))?;
                Some((t.to_string(), id))
            }
            _ => return Err(AppError::Invalid("choose the type of the record the number belongs to".into())),
        };
        Ok(InvolvementInput {
            manager: UserId(manager),
            kind: Kind::parse(&self.kind)?,
            occurred_on: parse_date(&self.occurred_on, "the date")?,
            place: self.place.clone(),
            notes: self.notes.clone(),
            record,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "involvement_form.html")]
pub struct FormPage {
    layout: Layout,
    csrf: String,
    form: InvolvementForm,
    /// The managers the caller may log for: (id, name).
    managers: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    record_types: Vec<&'static str>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    principal: &Principal,
    form: InvolvementForm,
    error: Option<String>,
) -> Result<FormPage, AppError> {
    let mut c = state.db.read().await?;
    let managers = db::membership::managers(&mut c.conn(), principal.org_id, state.clock.now()).await?;
    let own_only = principal.role == Role::TopManagement;
    let managers = managers
        .into_iter()
        .filter(|m| m.role() == Role::TopManagement && (!own_only || m.user_id == principal.user_id))
        .map(|m| (m.user_id.to_string(), m.name))
        .collect();
    Ok(FormPage {
        layout: Layout::member("Log involvement", "involvement", principal),
        csrf: principal.csrf().to_string(),
        form,
        managers,
        kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        record_types: db::records::record_types(),
        error,
    })
}

/// `?kind=…&record_type=…&record_id=…` start the form for a given record (e.g. from a simulation's page).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewQuery {
    kind: String,
    record_type: String,
    record_id: String,
}

/// `GET /involvement/new`
pub async fn new(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(q): PageQuery<NewQuery>,
) -> Result<FormPage, PageError> {
    let form = InvolvementForm {
        manager: if principal.role == Role::TopManagement { principal.user_id.to_string() } else { String::new() },
        kind: if q.kind.is_empty() { "workplace_visit".into() } else { q.kind },
        occurred_on: date_text(state.clock.now()),
        record_type: q.record_type,
        record_id: q.record_id,
        ..InvolvementForm::default()
    };
    Ok(page(&state, &principal, form, None).await?)
}

/// `POST /involvement`
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<InvolvementForm>,
) -> Result<Response, PageError> {
    let result = async {
        let input = form.input()?;
        let by = Recorder { user: principal.user_id, role: principal.role };
        involvement::record(&state.ctx(&principal, &request), principal.org_id, by, &input).await
    }
    .await;
    match result {
        Ok(row) => Ok(Redirect::to(&format!("/involvement/{}?done=created", row.id)).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::BadRequest(_) | AppError::Forbidden(_))) => {
            let status = error.status();
            Ok((status, page(&state, &principal, form, Some(error.to_string())).await?).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
