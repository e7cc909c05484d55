//! `/api/v1/sod-conflicts` and `/api/v1/sod-rules`: segregation-of-duties rules, and the findings on who holds
//! which role now (conflicts, holders without the deputy their role needs, roles nobody holds).

use super::roles::{PersonRef, RoleRef, seeded};
use crate::clock::rfc3339;
use crate::db;
use crate::db::sod::RuleRow;
use crate::domain::appointment::format_date;
use crate::domain::ids::{AppointmentId, CatalogueRoleId, SodRuleId};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::roles::segregation::{self, RuleChange, RuleInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A person who holds two roles a rule keeps apart.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ConflictView {
    #[schema(value_type = i64)]
    pub rule_id: SodRuleId,
    pub person: PersonRef,
    pub role_a: RoleRef,
    pub role_b: RoleRef,
    /// Since when they have held both (YYYY-MM-DD).
    pub since: String,
    /// Whether at least one of the roles is held as a deputy (deputies step into the role, so they count).
    pub via_deputy: bool,
}

/// A current appointment to a role that needs a deputy, with none named.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MissingDeputyView {
    #[schema(value_type = i64)]
    pub appointment_id: AppointmentId,
    pub role: RoleRef,
    pub person: PersonRef,
}

/// What is wrong with who holds which role now.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct FindingsView {
    pub conflicts: Vec<ConflictView>,
    pub missing_deputies: Vec<MissingDeputyView>,
    /// Roles in use that nobody holds.
    pub unfilled_roles: Vec<RoleRef>,
}

#[utoipa::path(get, path = "/api/v1/sod-conflicts", tag = "roles", responses((status = 200, body = FindingsView)))]
#[tracing::instrument(skip_all)]
pub async fn conflicts(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
) -> Result<Json<FindingsView>, AppError> {
    seeded(&state, &principal, &request).await?;
    let mut c = state.db.read().await?;
    let found = segregation::findings(&mut c.conn(), principal.org_id, state.clock.now()).await?;
    Ok(Json(FindingsView {
        conflicts: found
            .conflicts
            .into_iter()
            .map(|c| ConflictView {
                rule_id: c.rule,
                person: PersonRef { id: c.user_id, name: c.user_name },
                role_a: RoleRef { id: c.role_a.0, name: c.role_a.1 },
                role_b: RoleRef { id: c.role_b.0, name: c.role_b.1 },
                since: format_date(c.since),
                via_deputy: c.via_deputy,
            })
            .collect(),
        missing_deputies: found
            .without_deputy
            .into_iter()
            .map(|a| MissingDeputyView {
                appointment_id: a.id,
                role: RoleRef { id: a.role_id, name: a.role_name },
                person: PersonRef { id: a.user_id, name: a.user_name },
            })
            .collect(),
        unfilled_roles: found.unfilled.into_iter().map(|r| RoleRef { id: r.id, name: r.name }).collect(),
    }))
}

/// A segregation-of-duties rule.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RuleView {
    #[schema(value_type = i64)]
    pub id: SodRuleId,
    pub role_a: RoleRef,
    pub role_b: RoleRef,
    pub reason: String,
    /// Whether the rule is in force.
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<RuleRow> for RuleView {
    fn from(row: RuleRow) -> Self {
        Self {
            id: row.id,
            role_a: RoleRef { id: row.role_a, name: row.role_a_name },
            role_b: RoleRef { id: row.role_b, name: row.role_b_name },
            reason: row.reason,
            active: row.active,
            created_at: rfc3339(row.created_at),
            updated_at: rfc3339(row.updated_at),
        }
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RuleList {
    pub items: Vec<RuleView>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RuleQuery {
    /// Include rules that are switched off.
    pub include_inactive: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/sod-rules", tag = "roles", params(RuleQuery), responses((status = 200, body = RuleList)))]
#[tracing::instrument(skip_all)]
pub async fn list_rules(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiQuery(query): ApiQuery<RuleQuery>,
) -> Result<Json<RuleList>, AppError> {
    seeded(&state, &principal, &request).await?;
    let mut c = state.db.read().await?;
    let rows = db::sod::list(&mut c.conn(), principal.org_id, query.include_inactive.unwrap_or(false)).await?;
    Ok(Json(RuleList { items: rows.into_iter().map(Into::into).collect() }))
}

/// A rule to add: two different catalogue roles one person must not hold together.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    pub role_a: i64,
    pub role_b: i64,
    pub reason: Option<String>,
}

async fn fetch(state: &AppState, principal: &Principal, id: SodRuleId) -> Result<RuleView, AppError> {
    let mut c = state.db.read().await?;
    let row = db::sod::get(&mut c.conn(), principal.org_id, id).await?;
    Ok(row.ok_or_else(|| AppError::not_found("segregation rule"))?.into())
}

#[utoipa::path(post, path = "/api/v1/sod-rules", tag = "roles", request_body = NewRule,
    responses((status = 201, body = RuleView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create_rule(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(input): ApiJson<NewRule>,
) -> Result<(StatusCode, Json<RuleView>), AppError> {
    let input = RuleInput {
        role_a: CatalogueRoleId(input.role_a),
        role_b: CatalogueRoleId(input.role_b),
        reason: input.reason,
    };
    let id = segregation::create_rule(&state.ctx(&principal, &request), principal.org_id, &input).await?;
    Ok((StatusCode::CREATED, Json(fetch(&state, &principal, id).await?)))
}

/// A change to a rule; `"active": false` switches it off (kept as history), `true` on again.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleUpdate {
    pub reason: Option<String>,
    pub active: Option<bool>,
}

#[utoipa::path(patch, path = "/api/v1/sod-rules/{id}", tag = "roles", request_body = RuleUpdate,
    params(("id" = i64, Path, description = "rule id")),
    responses((status = 200, body = RuleView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update_rule(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RuleUpdate>,
) -> Result<Json<RuleView>, AppError> {
    let id = SodRuleId(id);
    let change = RuleChange { reason: input.reason, active: input.active };
    segregation::change_rule(&state.ctx(&principal, &request), principal.org_id, id, &change).await?;
    Ok(Json(fetch(&state, &principal, id).await?))
}
