//! The segregation-of-duties rule forms on the roles page: add a rule, switch one off or on.

use super::roles::rerender;
use crate::domain::ids::{CatalogueRoleId, SodRuleId};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath};
use crate::http::headers::RequestId;
use crate::roles::segregation::{self, RuleChange, RuleInput};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Debug, Default, serde::Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    role_a: String,
    #[serde(default)]
    role_b: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    active: Option<String>,
}

/// A role id chosen in a form.
fn role_id(text: &str, what: &str) -> Result<CatalogueRoleId, AppError> {
    text.trim().parse().map(CatalogueRoleId).map_err(|_| AppError::Invalid(format!("choose {what} from the catalogue")))
}

/// `POST /sod-rules`
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<RuleForm>,
) -> Result<Response, PageError> {
    let result = async {
        let input = RuleInput {
            role_a: role_id(&form.role_a, "the first role")?,
            role_b: role_id(&form.role_b, "the second role")?,
            reason: Some(form.reason),
        };
        segregation::create_rule(&state.ctx(&principal, &request), principal.org_id, &input).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/roles?done=rule").into_response()),
        Err(error) => rerender(&state, &principal, &request, error).await,
    }
}

/// `POST /sod-rules/{id}`: `active=true|false` switches the rule on or off.
#[tracing::instrument(skip_all)]
pub async fn change(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<RuleForm>,
) -> Result<Response, PageError> {
    let result = async {
        let active = match form.active.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => return Err(AppError::Invalid(format!("active must be true or false, not '{other}'"))),
        };
        let reason = Some(form.reason).filter(|r| !r.trim().is_empty());
        let change = RuleChange { reason, active };
        segregation::change_rule(&state.ctx(&principal, &request), principal.org_id, SodRuleId(id), &change).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/roles?done=rule").into_response()),
        Err(error) => rerender(&state, &principal, &request, error).await,
    }
}
