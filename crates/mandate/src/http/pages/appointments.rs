//! The appointments page: who holds which role, appointed by whom (find by person, role and status; sort; page
//! through), and the form to record a new appointment.

use super::Layout;
use super::decision_choice::{DecisionOption, chosen, offered};
use crate::clock::UnixTime;
use crate::db;
use crate::db::appointment::{Appointer, AppointmentRow};
use crate::db::role_catalogue::RoleRow;
use crate::domain::appointment::{format_date, parse_date, status};
use crate::domain::identity::Email;
use crate::domain::ids::{OrgId, UserId};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::APPOINTMENT_WRITERS;
use crate::http::api::appointments::AppointmentQuery;
use crate::http::api::roles::seeded;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use crate::roles::appointments::{self, NewAppointment, Recorder};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: i64 = 50;

/// An appointment, worded for a table row.
pub struct AppointmentLine {
    pub row: AppointmentRow,
    pub appointed_on: String,
    pub ends_on: String,
    pub status: &'static str,
}

impl AppointmentLine {
    pub fn of(row: AppointmentRow, now: UnixTime) -> Self {
        Self {
            appointed_on: format_date(row.appointed_on),
            ends_on: row.ends_on.map(format_date).unwrap_or_else(|| "—".into()),
            status: status(row.appointed_on, row.ends_on, row.ended_at, now).as_str(),
            row,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "appointments_list.html")]
pub struct AppointmentsPage {
    layout: Layout,
    csrf: String,
    can_record: bool,
    /// The recorder is top management: they record their own appointments.
    records_own: bool,
    me: UserId,
    items: Vec<AppointmentLine>,
    roles: Vec<RoleRow>,
    appointers: Vec<Appointer>,
    /// Recent meeting decisions the form offers (only when it is shown).
    decisions: Vec<DecisionOption>,
    total: i64,
    query: ListQuery,
    today: String,
    page: i64,
    pages: i64,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub role_id: Option<i64>,
    #[serde(default)]
    pub user_id: Option<i64>,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

impl ListQuery {
    /// The query string that keeps these filters on another page.
    pub fn link(&self, page: i64) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        out.append_pair("page", &page.to_string()).append_pair("q", &self.q);
        out.append_pair("status", &self.status).append_pair("sort", &self.sort);
        if let Some(role) = self.role_id {
            out.append_pair("role_id", &role.to_string());
        }
        if let Some(user) = self.user_id {
            out.append_pair("user_id", &user.to_string());
        }
        format!("/appointments?{}", out.finish())
    }

    /// Whether `role` is the role filtered on (for the select).
    pub fn is_role(&self, role: &crate::domain::ids::CatalogueRoleId) -> bool {
        self.role_id == Some(role.0)
    }
}

async fn render(
    state: &AppState,
    principal: &Principal,
    request: &RequestId,
    query: ListQuery,
    error: Option<String>,
) -> Result<AppointmentsPage, AppError> {
    seeded(state, principal, request).await?;
    let now = state.clock.now();
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let api = AppointmentQuery {
        role_id: query.role_id,
        user_id: query.user_id,
        q: Some(query.q.clone()),
        status: Some(query.status.clone()),
        sort: Some(query.sort.clone()),
        ..Default::default()
    };
    let filter = api.filter()?;
    let org = principal.org_id;
    let mut c = state.db.read().await?;
    let (rows, total) =
        db::appointment::list(&mut c.conn(), org, &filter, now, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let roles = db::role_catalogue::active(&mut c.conn(), org, now).await?;
    let can_record = APPOINTMENT_WRITERS.contains(&principal.role);
    let (appointers, decisions) = if can_record {
        (db::appointment::appointers(&mut c.conn(), org, now).await?, offered(&mut c.conn(), org).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(AppointmentsPage {
        layout: Layout::member("Appointments", "roles", principal),
        csrf: principal.csrf().to_string(),
        can_record,
        records_own: principal.role == Role::TopManagement,
        me: principal.user_id,
        items: rows.into_iter().map(|row| AppointmentLine::of(row, now)).collect(),
        roles,
        appointers,
        decisions,
        total,
        today: format_date(now),
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        notice: (query.done.as_deref() == Some("ended")).then_some("The appointment was ended; it stays as history."),
        query,
        error,
    })
}

/// `GET /appointments`
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageQuery(query): PageQuery<ListQuery>,
) -> Result<AppointmentsPage, PageError> {
    Ok(render(&state, &principal, &request, query, None).await?)
}

/// The member of `org` with this e-mail address; `what` names the field in the message.
pub async fn member_by_email(state: &AppState, org: OrgId, email: &str, what: &str) -> Result<UserId, AppError> {
    let refused =
        || AppError::Invalid(format!("{what}: there is no member with the e-mail address '{}'", email.trim()));
    let email = Email::parse(email).map_err(|e| AppError::Invalid(format!("{what}: {e}")))?;
    let mut c = state.db.read().await?;
    let user = db::user::by_email(&mut c.conn(), email.as_str()).await?.ok_or_else(refused)?;
    // Someone with an account elsewhere is still not a member here; say nothing more about them.
    db::membership::get(&mut c.conn(), org, user.id).await?.ok_or_else(refused)?;
    Ok(user.id)
}

/// The deputies listed in a text of e-mail addresses separated by commas, semicolons or spaces. The count is
/// checked before any address is looked up, so a long list costs no queries.
pub async fn members_by_emails(state: &AppState, org: OrgId, text: &str, what: &str) -> Result<Vec<UserId>, AppError> {
    let mut emails: Vec<String> = Vec::new();
    for email in text.split([',', ';', ' ', '\n', '\r', '\t']).filter(|e| !e.is_empty()).map(str::to_lowercase) {
        if !emails.contains(&email) {
            emails.push(email);
        }
    }
    let max = crate::domain::appointment::MAX_DEPUTIES;
    if emails.len() > max {
        return Err(AppError::Invalid(format!("{what}: name at most {max}")));
    }
    let mut out = Vec::with_capacity(emails.len());
    for email in &emails {
        out.push(member_by_email(state, org, email, what).await?);
    }
    Ok(out)
}

/// An optional `YYYY-MM-DD` field of a form.
pub fn form_date(text: &str, what: &str) -> Result<Option<UnixTime>, AppError> {
    Ok(Some(text.trim()).filter(|t| !t.is_empty()).map(|t| parse_date(t, what)).transpose()?)
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NewForm {
    #[serde(default)]
    role_id: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    appointed_by: String,
    #[serde(default)]
    appointed_on: String,
    #[serde(default)]
    decision_ref: String,
    /// A meeting decision chosen from the list; empty for none.
    #[serde(default)]
    decision_id: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    deputies: String,
}

/// `POST /appointments`
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<NewForm>,
) -> Result<Response, PageError> {
    let org = principal.org_id;
    let result = async {
        let role =
            form.role_id.trim().parse().map_err(|_| AppError::Invalid("choose a role from the catalogue".into()))?;
        let appointed_by = match form.appointed_by.trim() {
            "" => None,
            id => Some(UserId(id.parse().map_err(|_| AppError::Invalid("choose who made the appointment".into()))?)),
        };
        let input = NewAppointment {
            role: crate::domain::ids::CatalogueRoleId(role),
            user: member_by_email(&state, org, &form.email, "the person appointed").await?,
            appointed_by,
            appointed_on: form_date(&form.appointed_on, "appointed on")?,
            decision_ref: Some(form.decision_ref),
            decision_id: chosen(&form.decision_id)?,
            ends_on: form_date(&form.ends_on, "ends on")?,
            deputies: members_by_emails(&state, org, &form.deputies, "deputies").await?,
        };
        let by = Recorder::Member { user: principal.user_id, role: principal.role };
        appointments::appoint(&state.ctx(&principal, &request), org, by, &input).await
    }
    .await;
    match result {
        Ok(row) => Ok(Redirect::to(&format!("/appointments/{}?done=recorded", row.id)).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::Forbidden(_))) => {
            let status = error.status();
            let page = render(&state, &principal, &request, ListQuery::default(), Some(error.to_string())).await?;
            Ok((status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
