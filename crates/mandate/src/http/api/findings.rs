//! `/api/v1/leadership/findings`: the façade detectors' findings, dismissing one with a reason (and withdrawing
//! the dismissal), and turning one into a tracked action (see `crate::leadership::findings`).

use crate::clock::rfc3339;
use crate::domain::ids::UserId;
use crate::domain::leadership::{Detector, Finding};
use crate::domain::objective::parse_date;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::api::meeting_views::ActionView;
use crate::http::auth::Principal;
use crate::http::error::ErrorBody;
use crate::http::extract::ApiJson;
use crate::http::headers::RequestId;
use crate::leadership::findings::{self, Current, Tracked};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A detector and what it is waiting for or approximating.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DetectorView {
    pub detector: Detector,
    pub label: String,
    /// What the detector waits for or approximates ("the incident register"), if anything.
    pub needs: Option<String>,
    /// False while the detector cannot find anything yet.
    pub runs: bool,
}

/// A dismissed finding.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DismissedView {
    pub finding: Finding,
    pub reason: String,
    pub dismissed_by: i64,
    pub dismissed_by_name: String,
    pub dismissed_at: String,
}

/// The findings of the caller's organisation today.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FindingsView {
    pub detectors: Vec<DetectorView>,
    /// Findings not dismissed, each with the action made from it.
    pub findings: Vec<Tracked>,
    pub dismissed: Vec<DismissedView>,
}

impl FindingsView {
    pub fn of(current: Current) -> Self {
        let detectors = Detector::ALL
            .into_iter()
            .map(|d| DetectorView {
                detector: d,
                label: d.label().into(),
                needs: d.needs().map(Into::into),
                runs: d.runs(),
            })
            .collect();
        let dismissed = current
            .dismissed
            .into_iter()
            .map(|d| DismissedView {
                finding: d.finding,
                reason: d.dismissal.reason,
                dismissed_by: d.dismissal.dismissed_by.0,
                dismissed_by_name: d.dismissal.dismissed_by_name,
                dismissed_at: rfc3339(d.dismissal.dismissed_at),
            })
            .collect();
        Self { detectors, findings: current.open, dismissed }
    }
}

/// `GET /api/v1/leadership/findings`: every detector, the current findings and the dismissed ones.
#[utoipa::path(get, path = "/api/v1/leadership/findings", tag = "leadership",
    responses((status = 200, body = FindingsView), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn list(State(state): State<AppState>, principal: Principal) -> Result<Json<FindingsView>, AppError> {
    let mut c = state.db.read().await?;
    let current = findings::current(&mut c.conn(), principal.org_id, state.clock.now()).await?;
    Ok(Json(FindingsView::of(current)))
}

/// A dismissal: which finding, and why.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDismissal {
    pub detector: String,
    pub subject: String,
    /// Required: why the finding does not call for action.
    pub reason: String,
}

/// A dismissal as recorded.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DismissalView {
    pub id: i64,
    pub detector: String,
    pub subject: String,
    pub reason: String,
    pub dismissed_by: i64,
    pub dismissed_at: String,
}

/// `POST /api/v1/leadership/findings/dismissals`: dismisses a current finding with a reason (kept in the ledger).
#[utoipa::path(post, path = "/api/v1/leadership/findings/dismissals", tag = "leadership", request_body = NewDismissal,
    responses((status = 201, body = DismissalView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn dismiss(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewDismissal>,
) -> Result<(StatusCode, Json<DismissalView>), AppError> {
    let ctx = state.ctx(&principal, &request);
    let row = findings::dismiss(&ctx, principal.org_id, principal.user_id, &body.detector, &body.subject, &body.reason)
        .await?;
    let view = DismissalView {
        id: row.id,
        detector: row.detector,
        subject: row.subject,
        reason: row.reason,
        dismissed_by: row.dismissed_by.0,
        dismissed_at: rfc3339(row.dismissed_at),
    };
    Ok((StatusCode::CREATED, Json(view)))
}

/// Which dismissal to withdraw.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DismissalWithdrawal {
    pub detector: String,
    pub subject: String,
}

/// `POST /api/v1/leadership/findings/dismissals/withdraw`: withdraws a dismissal (ledgered with what it said); the
/// finding is current again while its condition holds.
#[utoipa::path(post, path = "/api/v1/leadership/findings/dismissals/withdraw", tag = "leadership",
    request_body = DismissalWithdrawal,
    responses((status = 204, description = "Withdrawn"), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn withdraw(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<DismissalWithdrawal>,
) -> Result<StatusCode, AppError> {
    let ctx = state.ctx(&principal, &request);
    findings::withdraw(&ctx, principal.org_id, principal.user_id, &body.detector, &body.subject).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An action to make from a finding. Without `owner_id` the finding's suggested owner; without `due_on` in 30 days.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFindingAction {
    pub detector: String,
    pub subject: String,
    pub owner_id: Option<i64>,
    /// YYYY-MM-DD, not in the past.
    pub due_on: Option<String>,
}

/// `POST /api/v1/leadership/findings/actions`: turns a current finding into a tracked action.
#[utoipa::path(post, path = "/api/v1/leadership/findings/actions", tag = "leadership",
    request_body = NewFindingAction,
    responses((status = 201, body = ActionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn act(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    ApiJson(body): ApiJson<NewFindingAction>,
) -> Result<(StatusCode, Json<ActionView>), AppError> {
    let ctx = state.ctx(&principal, &request);
    let due_on =
        body.due_on.as_deref().filter(|d| !d.trim().is_empty()).map(|d| parse_date(d, "due_on")).transpose()?;
    let owner = body.owner_id.map(UserId);
    let row =
        findings::act(&ctx, principal.org_id, principal.user_id, &body.detector, &body.subject, owner, due_on).await?;
    Ok((StatusCode::CREATED, Json(ActionView::of(row, ctx.now))))
}
