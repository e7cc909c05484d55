//! The roles page: the catalogue (find, sort, page through), what is wrong with who holds which role
//! (segregation conflicts, missing deputies, unfilled roles), the segregation rules, and forms to add a role.

use super::Layout;
use crate::db;
use crate::db::role_catalogue::{Filter, RoleRow};
use crate::db::sod::RuleRow;
use crate::domain::appointment::format_date;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::{ROLE_EDITORS, SOD_READERS};
use crate::http::api::roles::{parse_sort, seeded};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use crate::roles::catalogue::{self, RoleInput};
use crate::roles::segregation::{self, Findings};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: i64 = 50;

/// One finding line, already worded for people.
pub struct FindingLine {
    pub text: String,
    pub href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles_list.html")]
pub struct RolesPage {
    layout: Layout,
    csrf: String,
    can_edit: bool,
    sees_findings: bool,
    roles: Vec<RoleRow>,
    all_roles: Vec<RoleRow>,
    conflicts: Vec<FindingLine>,
    missing_deputies: Vec<FindingLine>,
    unfilled: Vec<FindingLine>,
    rules: Vec<RuleRow>,
    total: i64,
    q: String,
    retired: bool,
    sort: String,
    page: i64,
    pages: i64,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RolesQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    retired: Option<String>,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

/// The findings as lines people read, each linking to what to fix.
fn finding_lines(found: Findings) -> (Vec<FindingLine>, Vec<FindingLine>, Vec<FindingLine>) {
    let conflicts = found
        .conflicts
        .into_iter()
        .map(|c| FindingLine {
            text: format!(
                "{} holds both {} and {} since {}{}",
                c.user_name,
                c.role_a.1,
                c.role_b.1,
                format_date(c.since),
                if c.via_deputy { " (at least one as deputy)" } else { "" }
            ),
            href: format!("/appointments?user_id={}&status=current", c.user_id),
        })
        .collect();
    let missing = found
        .without_deputy
        .into_iter()
        .map(|a| FindingLine {
            text: format!("{} ({}) has no deputy", a.role_name, a.user_name),
            href: format!("/appointments/{}", a.id),
        })
        .collect();
    let unfilled = found
        .unfilled
        .into_iter()
        .map(|r| FindingLine { text: format!("Nobody holds {}", r.name), href: format!("/roles/{}", r.id) })
        .collect();
    (conflicts, missing, unfilled)
}

async fn render(
    state: &AppState,
    principal: &Principal,
    request: &RequestId,
    query: RolesQuery,
    error: Option<String>,
) -> Result<RolesPage, AppError> {
    seeded(state, principal, request).await?;
    let now = state.clock.now();
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let filter =
        Filter { search: &query.q, include_retired: query.retired.is_some(), sort: parse_sort(Some(&query.sort))? };
    let mut c = state.db.read().await?;
    let org = principal.org_id;
    let (roles, total) =
        db::role_catalogue::list(&mut c.conn(), org, &filter, now, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let sees_findings = SOD_READERS.contains(&principal.role);
    let (conflicts, missing_deputies, unfilled) = if sees_findings {
        finding_lines(segregation::findings(&mut c.conn(), org, now).await?)
    } else {
        Default::default()
    };
    let rules = if sees_findings { db::sod::list(&mut c.conn(), org, true).await? } else { Vec::new() };
    let can_edit = ROLE_EDITORS.contains(&principal.role);
    let all_roles = if can_edit { db::role_catalogue::active(&mut c.conn(), org, now).await? } else { Vec::new() };
    let notice = match query.done.as_deref() {
        Some("added") => Some("The role was added to the catalogue."),
        Some("rule") => Some("The segregation rule was saved."),
        Some("deleted") => Some("The role was deleted."),
        _ => None,
    };
    Ok(RolesPage {
        layout: Layout::member("Roles and responsibilities", "roles", principal),
        csrf: principal.csrf().to_string(),
        can_edit,
        sees_findings,
        roles,
        all_roles,
        conflicts,
        missing_deputies,
        unfilled,
        rules,
        total,
        q: query.q,
        retired: query.retired.is_some(),
        sort: query.sort,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        notice,
        error,
    })
}

/// `GET /roles`
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageQuery(query): PageQuery<RolesQuery>,
) -> Result<RolesPage, PageError> {
    Ok(render(&state, &principal, &request, query, None).await?)
}

/// Shows the roles page again with the error, for rule violations; other errors become error pages.
pub async fn rerender(
    state: &AppState,
    principal: &Principal,
    request: &RequestId,
    error: AppError,
) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(_) | AppError::Conflict(_) | AppError::Forbidden(_) => {
            let status = error.status();
            let page = render(state, principal, request, RolesQuery::default(), Some(error.to_string())).await?;
            Ok((status, page).into_response())
        }
        other => Err(other.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub needs_deputy: Option<String>,
    #[serde(default)]
    pub retired: Option<String>,
}

/// `POST /roles`
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<RoleForm>,
) -> Result<Response, PageError> {
    let input = RoleInput { name: form.name, description: form.description, needs_deputy: form.needs_deputy.is_some() };
    match catalogue::create(&state.ctx(&principal, &request), principal.org_id, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/roles/{id}?done=added")).into_response()),
        Err(error) => rerender(&state, &principal, &request, error).await,
    }
}
