//! The administrator's people page: list, find, add, change role, set access expiry, disable.

use super::{Layout, role_options};
use crate::accounts::{self, MemberChange, NewMember};
use crate::clock::{UnixTime, format_utc, parse_time};
use crate::db;
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath, PageQuery};
use crate::http::headers::RequestId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: i64 = 50;

pub struct MemberView {
    user_id: UserId,
    name: String,
    email: String,
    role: &'static str,
    role_label: &'static str,
    expires: String,
    expires_on: String,
    disabled: bool,
    status: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
pub struct UsersPage {
    layout: Layout,
    csrf: String,
    org_name: String,
    members: Vec<MemberView>,
    roles: Vec<(&'static str, &'static str)>,
    q: String,
    total: i64,
    page: i64,
    pages: i64,
    prev_page: Option<i64>,
    next_page: Option<i64>,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

fn date_only(t: UnixTime) -> String {
    format_utc(t).chars().take(10).collect()
}

async fn render(
    state: &AppState,
    principal: &Principal,
    query: UsersQuery,
    error: Option<String>,
) -> Result<UsersPage, AppError> {
    let now = state.clock.now();
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let mut c = state.db.read().await?;
    let listed =
        db::membership::list(&mut c.conn(), principal.org_id, &query.q, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let pages = ((listed.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let members = listed
        .members
        .iter()
        .map(|m| MemberView {
            user_id: m.user_id,
            name: m.name.clone(),
            email: m.email.clone(),
            role: m.role().as_str(),
            role_label: m.role().label(),
            expires: m.expires_at.map(format_utc).unwrap_or_else(|| "—".into()),
            expires_on: m.expires_at.map(date_only).unwrap_or_default(),
            disabled: m.disabled_at.is_some(),
            status: if m.disabled_at.is_some() {
                "disabled"
            } else if !m.active(now) {
                "expired"
            } else {
                "active"
            },
        })
        .collect();
    let notice = match query.done.as_deref() {
        Some("added") => Some("The person was added."),
        Some("changed") => Some("The change was saved."),
        _ => None,
    };
    Ok(UsersPage {
        layout: Layout::member("People", "people", principal),
        csrf: principal.csrf().to_string(),
        org_name: principal.org_name.clone(),
        members,
        roles: role_options(),
        q: query.q,
        total: listed.total,
        page,
        pages,
        prev_page: (page > 1).then_some(page - 1),
        next_page: (page < pages).then_some(page + 1),
        notice,
        error,
    })
}

/// `GET /admin/users`
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(query): PageQuery<UsersQuery>,
) -> Result<UsersPage, PageError> {
    Ok(render(&state, &principal, query, None).await?)
}

/// Re-renders the page with the error for rule violations; other errors become error pages.
async fn rerender(state: &AppState, principal: &Principal, error: AppError) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(_) | AppError::Conflict(_) | AppError::Forbidden(_) => {
            let status = error.status();
            let page = render(state, principal, UsersQuery::default(), Some(error.to_string())).await?;
            Ok((status, page).into_response())
        }
        other => Err(other.into()),
    }
}

/// Reads an optional `YYYY-MM-DD` date from a form: the end of that day, UTC.
fn parse_end_date(text: &str) -> Result<Option<UnixTime>, AppError> {
    match text.trim() {
        "" => Ok(None),
        date => parse_time(date)
            .map(|t| Some(t + 24 * 3600 - 1))
            .ok_or_else(|| AppError::Invalid(format!("'{date}' is not a date; use YYYY-MM-DD"))),
    }
}

#[derive(serde::Deserialize)]
pub struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    expires_on: String,
}

/// `POST /admin/users`
#[tracing::instrument(skip_all)]
pub async fn add(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<AddForm>,
) -> Result<Response, PageError> {
    let result = async {
        let input = NewMember {
            email: form.email,
            name: form.name,
            role: form.role.parse::<Role>()?,
            password: Some(form.password).filter(|p| !p.is_empty()),
            expires_at: parse_end_date(&form.expires_on)?,
            department: None,
        };
        accounts::add_member(&state.ctx(&principal, &request), principal.org_id, &input).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/admin/users?done=added").into_response()),
        Err(error) => rerender(&state, &principal, error).await,
    }
}

#[derive(serde::Deserialize)]
pub struct ChangeForm {
    role: String,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    disabled: Option<String>,
}

/// `POST /admin/users/{id}`
#[tracing::instrument(skip_all)]
pub async fn change(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ChangeForm>,
) -> Result<Response, PageError> {
    let result = async {
        let change = MemberChange {
            role: Some(form.role.parse::<Role>()?),
            disabled: Some(form.disabled.is_some()),
            expires_at: Some(parse_end_date(&form.expires_on)?),
        };
        accounts::change_member(&state.ctx(&principal, &request), principal.org_id, UserId(id), &change).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/users?done=changed").into_response()),
        Err(AppError::NotFound(_)) => Err(AppError::not_found("member").into()),
        Err(error) => rerender(&state, &principal, error).await,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn end_dates_are_the_end_of_the_day() {
        assert_eq!(super::parse_end_date("").unwrap(), None);
        assert_eq!(super::parse_end_date("2026-11-23").unwrap(), Some(1_795_392_000 + 86_399));
        assert!(super::parse_end_date("tomorrow").is_err());
    }

    #[test]
    fn status_code_of_rule_errors_is_kept() {
        assert_eq!(
            crate::error::AppError::Invalid(String::new()).status(),
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
