//! `/api/v1/policies`: policies, their versions, and the steps from draft to published.

use super::cited_decision::CitedDecision;
use crate::clock::rfc3339;
use crate::db::policy::{Filter, PolicyRow, Sort};
use crate::db::policy_version::VersionRow;
use crate::db::{self, acknowledgement::Tally};
use crate::domain::campaign::Audience;
use crate::domain::ids::{EvidenceId, PolicyId, UserId};
use crate::domain::policy::{Step, VersionStatus};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::policies::{self, PolicyInput, StepInput, VersionInput, Who};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Who is acting, for the policy rules.
pub fn who(principal: &Principal) -> Who {
    Who { user: principal.user_id, role: principal.role }
}

/// Employees see only policies in force (and the versions they were asked to acknowledge), never drafts.
pub fn sees_drafts(role: Role) -> bool {
    role != Role::Employee
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PolicyView {
    #[schema(value_type = i64)]
    pub id: PolicyId,
    pub title: String,
    #[schema(value_type = i64)]
    pub owner_id: UserId,
    pub owner_name: String,
    pub review_months: i64,
    pub last_reviewed_at: Option<String>,
    pub next_review_at: Option<String>,
    /// Whether the next review date has passed.
    pub review_overdue: bool,
    /// The number of the version in force, if any.
    pub published_version: Option<i64>,
    pub latest_version: Option<i64>,
    pub latest_status: Option<String>,
}

impl PolicyView {
    /// The view for `role`: employees learn nothing of versions not in force.
    pub fn for_role(row: &PolicyRow, now: i64, role: Role) -> Self {
        let mut view = Self::of(row, now);
        if !sees_drafts(role) {
            view.latest_version = view.published_version;
            view.latest_status = view.published_version.map(|_| "published".into());
        }
        view
    }

    pub fn of(row: &PolicyRow, now: i64) -> Self {
        Self {
            id: row.id,
            title: row.title.clone(),
            owner_id: row.owner_id,
            owner_name: row.owner_name.clone(),
            review_months: row.review_months,
            last_reviewed_at: row.last_reviewed_at.map(rfc3339),
            next_review_at: row.next_review_at.map(rfc3339),
            review_overdue: row.next_review_at.is_some_and(|due| due < now),
            published_version: row.published_number,
            latest_version: row.latest_number,
            latest_status: row.latest_status.clone(),
        }
    }
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub number: i64,
    pub status: VersionStatus,
    /// The Markdown text (empty when the version is an attached document).
    pub body: String,
    #[schema(value_type = Option<i64>)]
    pub document_id: Option<EvidenceId>,
    pub change_note: String,
    /// SHA-256 of the content as it stands.
    pub content_sha256: String,
    pub created_by: String,
    pub created_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    /// SHA-256 of the exact content approved.
    pub approved_sha256: Option<String>,
    pub approval_decision: Option<String>,
    /// The meeting decision the approval rests on, if one is cited.
    pub meeting_decision: Option<CitedDecision>,
    pub published_at: Option<String>,
    pub ended_at: Option<String>,
    /// People asked to acknowledge this version, and how many of them have.
    pub acknowledgements_requested: i64,
    pub acknowledged_of_requested: i64,
    pub acknowledged_total: i64,
    pub acknowledgements_overdue: i64,
}

impl VersionView {
    pub fn of(v: &VersionRow, tally: Tally) -> Self {
        Self {
            number: v.number,
            status: VersionStatus::parse(&v.status).unwrap_or(VersionStatus::Draft),
            body: v.body.clone(),
            document_id: v.document_id,
            change_note: v.change_note.clone(),
            content_sha256: v.content_sha256.clone(),
            created_by: v.creator_name.clone(),
            created_at: rfc3339(v.created_at),
            approved_by: v.approver_name.clone(),
            approved_at: v.approved_at.map(rfc3339),
            approved_sha256: v.approved_sha256.clone(),
            approval_decision: v.approval_decision.clone(),
            meeting_decision: CitedDecision::of(v.decision_id, &v.cite),
            published_at: v.published_at.map(rfc3339),
            ended_at: v.ended_at.map(rfc3339),
            acknowledgements_requested: tally.requested,
            acknowledged_of_requested: tally.acknowledged_of_requested,
            acknowledged_total: tally.acknowledged,
            acknowledgements_overdue: tally.overdue,
        }
    }
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PolicyList {
    pub items: Vec<PolicyView>,
    pub total: i64,
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PolicyQuery {
    /// Only policies whose title contains this text.
    pub q: Option<String>,
    /// Only policies whose review date has passed.
    pub review_overdue: Option<bool>,
    /// Only policies whose latest version has this status (draft, in_review, approved, published, …).
    pub status: Option<String>,
    /// title (default), next_review or updated.
    pub sort: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl PolicyQuery {
    pub fn filter(&self, role: Role, now: i64) -> Result<Filter<'_>, AppError> {
        let sort = match self.sort.as_deref().unwrap_or("title") {
            "title" => Sort::Title,
            "next_review" => Sort::NextReview,
            "updated" => Sort::Updated,
            other => {
                return Err(AppError::Invalid(format!("cannot sort by '{other}'; use title, next_review or updated")));
            }
        };
        if let Some(status) = self.status.as_deref().filter(|s| !s.is_empty())
            && VersionStatus::parse(status).is_none()
        {
            return Err(AppError::Invalid(format!("unknown status '{status}'")));
        }
        Ok(Filter {
            search: self.q.as_deref().unwrap_or(""),
            review_due_before: self.review_overdue.unwrap_or(false).then_some(now),
            published_only: !sees_drafts(role),
            latest_status: self.status.as_deref().filter(|s| !s.is_empty() && sees_drafts(role)),
            sort,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/policies", tag = "policies", params(PolicyQuery),
    responses((status = 200, body = PolicyList), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<PolicyQuery>,
) -> Result<Json<PolicyList>, AppError> {
    let now = state.clock.now();
    let paging = super::Paging { limit: query.limit, offset: query.offset, q: None };
    let (limit, offset) = paging.bounds()?;
    let filter = query.filter(principal.role, now)?;
    let mut c = state.db.read().await?;
    let (rows, total) = db::policy::list(&mut c.conn(), principal.org_id, &filter, limit, offset).await?;
    Ok(Json(PolicyList { items: rows.iter().map(|r| PolicyView::for_role(r, now, principal.role)).collect(), total }))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPolicyBody {
    pub title: String,
    /// The accountable owner (a member); defaults to the caller.
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<UserId>,
    /// Months between reviews (1–60, default 12).
    pub review_months: Option<i64>,
    /// The first version's Markdown text.
    #[serde(default)]
    pub body: String,
    /// Or an uploaded evidence document holding the text.
    #[schema(value_type = Option<i64>)]
    pub document_id: Option<EvidenceId>,
    #[serde(default)]
    pub change_note: String,
}

#[utoipa::path(post, path = "/api/v1/policies", tag = "policies", request_body = NewPolicyBody,
    responses((status = 201, body = PolicyView), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewPolicyBody>,
) -> Result<(StatusCode, Json<PolicyView>), AppError> {
    let input = PolicyInput {
        title: body.title,
        owner: body.owner_id.unwrap_or(principal.user_id),
        review_months: body.review_months.unwrap_or(12),
    };
    let first = VersionInput { body: body.body, document: body.document_id, change_note: body.change_note };
    let ctx = state.ctx(&principal, &request);
    let id = policies::create(&ctx, principal.org_id, who(&principal), &input, &first).await?;
    let mut c = state.db.read().await?;
    let row =
        db::policy::get(&mut c.conn(), principal.org_id, id).await?.ok_or_else(|| AppError::not_found("policy"))?;
    Ok((StatusCode::CREATED, Json(PolicyView::of(&row, ctx.now))))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PolicyDetail {
    pub policy: PolicyView,
    /// Newest first; employees see only published and superseded versions.
    pub versions: Vec<VersionView>,
}

/// The policy and the versions `principal` may see; another organisation's policy is not found.
pub async fn load(state: &AppState, principal: &Principal, id: i64) -> Result<(PolicyRow, Vec<VersionRow>), AppError> {
    let mut c = state.db.read().await?;
    let row = db::policy::get(&mut c.conn(), principal.org_id, PolicyId(id))
        .await?
        .ok_or_else(|| AppError::not_found("policy"))?;
    let mut versions = db::policy_version::list(&mut c.conn(), principal.org_id, row.id).await?;
    if !sees_drafts(principal.role) {
        versions.retain(|v| matches!(v.status.as_str(), "published" | "superseded"));
        if versions.is_empty() {
            return Err(AppError::not_found("policy"));
        }
    }
    Ok((row, versions))
}

#[utoipa::path(get, path = "/api/v1/policies/{id}", tag = "policies", params(("id" = i64, Path)),
    responses((status = 200, body = PolicyDetail), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PolicyDetail>, AppError> {
    let now = state.clock.now();
    let (row, versions) = load(&state, &principal, id).await?;
    let mut c = state.db.read().await?;
    let tallies = db::acknowledgement::tallies(&mut c.conn(), principal.org_id, row.id, now).await?;
    let views = versions.iter().map(|v| VersionView::of(v, tallies.get(&v.id).copied().unwrap_or_default())).collect();
    Ok(Json(PolicyDetail { policy: PolicyView::for_role(&row, now, principal.role), versions: views }))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyChange {
    pub title: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<UserId>,
    pub review_months: Option<i64>,
}

#[utoipa::path(patch, path = "/api/v1/policies/{id}", tag = "policies", params(("id" = i64, Path)),
    request_body = PolicyChange, responses((status = 200, body = PolicyView), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(change): ApiJson<PolicyChange>,
) -> Result<Json<PolicyView>, AppError> {
    let (row, _) = load(&state, &principal, id).await?;
    let input = PolicyInput {
        title: change.title.unwrap_or(row.title),
        owner: change.owner_id.unwrap_or(row.owner_id),
        review_months: change.review_months.unwrap_or(row.review_months),
    };
    let ctx = state.ctx(&principal, &request);
    policies::update(&ctx, principal.org_id, row.id, &input).await?;
    let (row, _) = load(&state, &principal, id).await?;
    Ok(Json(PolicyView::of(&row, ctx.now)))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// submit, return, approve (top management only), publish or retire.
    pub step: String,
    /// The management decision an approval rests on (e.g. "Board meeting 2026-03, item 4").
    pub decision_ref: Option<String>,
    /// For an approval: a decision recorded in one of the organisation's meetings (`/api/v1/decisions/{id}`)
    /// that it rests on.
    pub decision_id: Option<i64>,
    /// Who a publication asks to acknowledge (default: everyone).
    pub audience: Option<Audience>,
    /// Days people get to acknowledge (default 14).
    pub days_to_acknowledge: Option<i64>,
    /// For an approval: the SHA-256 of the text the approver read (`content_sha256`); refused if it changed.
    pub expected_sha256: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/versions/{number}/steps", tag = "policies",
    params(("id" = i64, Path), ("number" = i64, Path)), request_body = StepBody,
    responses((status = 200, body = VersionView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn step(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath((id, number)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<StepBody>,
) -> Result<Json<VersionView>, AppError> {
    let step = Step::parse(&body.step)?;
    let input = StepInput {
        decision_ref: body.decision_ref,
        decision_id: body.decision_id,
        audience: body.audience,
        days_to_acknowledge: body.days_to_acknowledge,
        expected_sha256: body.expected_sha256,
    };
    let ctx = state.ctx(&principal, &request);
    policies::take_step(&ctx, principal.org_id, PolicyId(id), number, who(&principal), step, &input).await?;
    super::policy_versions::view(&state, &principal, id, number).await.map(Json)
}
