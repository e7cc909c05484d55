//! `/api/v1/policies/{id}/versions…`: writing versions, acknowledgements and campaigns; and the caller's tasks.

use super::policies::{VersionView, load, who};
use crate::clock::rfc3339;
use crate::db;
use crate::domain::campaign::Audience;
use crate::domain::ids::{EvidenceId, PolicyId, UserId};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::http::headers::RequestId;
use crate::policies::{self, VersionInput, campaign};
use crate::tasks::TaskKind;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// One version as `principal` may see it, with its acknowledgement tally.
pub async fn view(state: &AppState, principal: &Principal, id: i64, number: i64) -> Result<VersionView, AppError> {
    let (_, versions) = load(state, principal, id).await?;
    let version =
        versions.into_iter().find(|v| v.number == number).ok_or_else(|| AppError::not_found("policy version"))?;
    let mut c = state.db.read().await?;
    let tally = db::acknowledgement::tally(&mut c.conn(), principal.org_id, version.id, state.clock.now()).await?;
    Ok(VersionView::of(&version, tally))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    /// Markdown text.
    #[serde(default)]
    pub body: String,
    /// Or an uploaded evidence document holding the text.
    #[schema(value_type = Option<i64>)]
    pub document_id: Option<EvidenceId>,
    #[serde(default)]
    pub change_note: String,
}

impl VersionBody {
    fn input(self) -> VersionInput {
        VersionInput { body: self.body, document: self.document_id, change_note: self.change_note }
    }
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/versions", tag = "policies", params(("id" = i64, Path)),
    request_body = VersionBody, responses((status = 201, body = VersionView), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VersionBody>,
) -> Result<(StatusCode, Json<VersionView>), AppError> {
    let ctx = state.ctx(&principal, &request);
    let number = policies::new_version(&ctx, principal.org_id, PolicyId(id), who(&principal), &body.input()).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &principal, id, number).await?)))
}

#[utoipa::path(get, path = "/api/v1/policies/{id}/versions/{number}", tag = "policies",
    params(("id" = i64, Path), ("number" = i64, Path)), responses((status = 200, body = VersionView), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath((id, number)): ApiPath<(i64, i64)>,
) -> Result<Json<VersionView>, AppError> {
    view(&state, &principal, id, number).await.map(Json)
}

#[utoipa::path(patch, path = "/api/v1/policies/{id}/versions/{number}", tag = "policies",
    params(("id" = i64, Path), ("number" = i64, Path)), request_body = VersionBody,
    responses((status = 200, body = VersionView), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath((id, number)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<VersionBody>,
) -> Result<Json<VersionView>, AppError> {
    let ctx = state.ctx(&principal, &request);
    policies::edit_draft(&ctx, principal.org_id, PolicyId(id), number, &body.input()).await?;
    view(&state, &principal, id, number).await.map(Json)
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AcknowledgementView {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub department: Option<String>,
    pub requested_at: Option<String>,
    pub due_at: Option<String>,
    pub acknowledged_at: Option<String>,
    /// SHA-256 of the text the person acknowledged.
    pub acknowledged_sha256: Option<String>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AcknowledgementList {
    pub items: Vec<AcknowledgementView>,
    pub total: i64,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AckQuery {
    /// Only people who have not acknowledged yet.
    pub pending: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/policies/{id}/versions/{number}/acknowledgements", tag = "policies",
    params(("id" = i64, Path), ("number" = i64, Path), AckQuery), responses((status = 200, body = AcknowledgementList)))]
#[tracing::instrument(skip_all)]
pub async fn acknowledgements(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath((id, number)): ApiPath<(i64, i64)>,
    ApiQuery(query): ApiQuery<AckQuery>,
) -> Result<Json<AcknowledgementList>, AppError> {
    let (limit, offset) = super::Paging { limit: query.limit, offset: query.offset, q: None }.bounds()?;
    let (_, versions) = load(&state, &principal, id).await?;
    let version =
        versions.into_iter().find(|v| v.number == number).ok_or_else(|| AppError::not_found("policy version"))?;
    let mut c = state.db.read().await?;
    let pending = query.pending.unwrap_or(false);
    let (rows, total) =
        db::acknowledgement::for_version(&mut c.conn(), principal.org_id, version.id, pending, limit, offset).await?;
    let items = rows
        .into_iter()
        .map(|r| AcknowledgementView {
            user_id: r.user_id,
            email: r.email,
            name: r.name,
            department: r.department,
            requested_at: r.requested_at.map(rfc3339),
            due_at: r.due_at.map(rfc3339),
            acknowledged_at: r.acknowledged_at.map(rfc3339),
            acknowledged_sha256: r.acknowledged_sha256,
        })
        .collect();
    Ok(Json(AcknowledgementList { items, total }))
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/versions/{number}/acknowledgements", tag = "policies",
    params(("id" = i64, Path), ("number" = i64, Path)),
    responses((status = 201, body = VersionView), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn acknowledge(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath((id, number)): ApiPath<(i64, i64)>,
) -> Result<(StatusCode, Json<VersionView>), AppError> {
    load(&state, &principal, id).await?;
    let ctx = state.ctx(&principal, &request);
    campaign::acknowledge(&ctx, principal.org_id, PolicyId(id), number, principal.user_id).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &principal, id, number).await?)))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignBody {
    pub audience: Audience,
    /// Days people get to acknowledge (default 14).
    pub days_to_acknowledge: Option<i64>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CampaignStarted {
    pub id: i64,
    /// People newly asked (those already asked or who acknowledged are left alone).
    pub asked: u64,
}

#[utoipa::path(post, path = "/api/v1/policies/{id}/versions/{number}/campaigns", tag = "policies",
    params(("id" = i64, Path), ("number" = i64, Path)), request_body = CampaignBody,
    responses((status = 201, body = CampaignStarted), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn start_campaign(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiPath((id, number)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<CampaignBody>,
) -> Result<(StatusCode, Json<CampaignStarted>), AppError> {
    let ctx = state.ctx(&principal, &request);
    let (campaign, asked) = campaign::start(
        &ctx,
        principal.org_id,
        PolicyId(id),
        number,
        who(&principal),
        &body.audience,
        body.days_to_acknowledge,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(CampaignStarted { id: campaign.0, asked })))
}

/// Something the caller owes: acknowledging a policy version, carrying out a meeting action, completing a training.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TaskView {
    pub kind: TaskKind,
    /// The policy to acknowledge (acknowledge_policy tasks).
    pub policy_id: Option<i64>,
    /// The version to acknowledge (acknowledge_policy tasks).
    pub version: Option<i64>,
    /// The action to carry out (meeting_action tasks).
    pub action_id: Option<i64>,
    /// The training to complete (complete_training tasks).
    pub training_id: Option<i64>,
    pub title: String,
    pub due_at: String,
    pub overdue: bool,
    /// Where to do it.
    pub url: String,
}

#[utoipa::path(get, path = "/api/v1/me/tasks", tag = "people", responses((status = 200, body = Vec<TaskView>)))]
#[tracing::instrument(skip_all)]
pub async fn my_tasks(State(state): State<AppState>, principal: Principal) -> Result<Json<Vec<TaskView>>, AppError> {
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let tasks = crate::tasks::open_tasks(&mut c.conn(), principal.org_id, principal.user_id, now).await?;
    Ok(Json(
        tasks
            .into_iter()
            .map(|t| {
                let policy = t.kind == TaskKind::AcknowledgePolicy;
                TaskView {
                    kind: t.kind,
                    policy_id: policy.then_some(t.record_id),
                    version: t.version,
                    action_id: (t.kind == TaskKind::MeetingAction).then_some(t.record_id),
                    training_id: (t.kind == TaskKind::CompleteTraining).then_some(t.record_id),
                    title: t.title,
                    due_at: rfc3339(t.due_at),
                    overdue: t.overdue,
                    url: t.url,
                }
            })
            .collect(),
    ))
}
