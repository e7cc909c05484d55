//! The forms on a commitment's page: approve or refuse (top management), record spending or time, reverse an
//! entry, close. Each answers with a redirect to the page, or the page again with the error.

use super::decision_choice::chosen;
use super::resource_detail::{ShowQuery, render};
use crate::domain::ids::{CommitmentId, ResourceEntryId};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath};
use crate::http::headers::RequestId;
use crate::resources::entries::{self, CloseInput, EntryInput};
use crate::resources::{self, DecisionInput};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

/// After a form: back to the page with a notice, or the page again with the error and its status.
async fn answer(
    state: &AppState,
    principal: &Principal,
    id: i64,
    result: Result<&str, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/resources/{id}?done={done}")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = error.status();
            let page = render(state, principal, id, ShowQuery::default(), Some(error.to_string())).await?;
            Ok((status, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision_ref: String,
    /// A meeting decision chosen from the list; empty for none.
    #[serde(default)]
    decision_id: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    person_days: String,
    #[serde(default)]
    reason: String,
}

impl DecisionForm {
    fn input(self) -> Result<DecisionInput, AppError> {
        Ok(DecisionInput {
            decision_id: chosen(&self.decision_id)?,
            decision_ref: self.decision_ref,
            decided_by: None,
            amount: self.amount,
            person_days: self.person_days,
            reason: self.reason,
        })
    }
}

/// `POST /resources/{id}/approve` (top management)
#[tracing::instrument(skip_all)]
pub async fn approve(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result = match form.input() {
        Ok(input) => resources::approve(&ctx, principal.org_id, principal.user_id, CommitmentId(id), &input).await,
        Err(error) => Err(error),
    };
    answer(&state, &principal, id, result.map(|()| "approved")).await
}

/// `POST /resources/{id}/refuse` (top management)
#[tracing::instrument(skip_all)]
pub async fn refuse(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let result = match form.input() {
        Ok(input) => resources::refuse(&ctx, principal.org_id, principal.user_id, CommitmentId(id), &input).await,
        Err(error) => Err(error),
    };
    answer(&state, &principal, id, result.map(|()| "refused")).await
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    person_days: String,
    #[serde(default)]
    spent_on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reverses: String,
}

/// `POST /resources/{id}/entries`: a new entry, or a counter-entry when `reverses` names one.
#[tracing::instrument(skip_all)]
pub async fn record(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<EntryForm>,
) -> Result<Response, PageError> {
    let result = async {
        let reverses = match form.reverses.trim() {
            "" => None,
            text => Some(ResourceEntryId(
                text.parse().map_err(|_| AppError::Invalid(format!("'{text}' is not an entry number")))?,
            )),
        };
        let input = EntryInput {
            amount: form.amount,
            person_days: form.person_days,
            spent_on: form.spent_on,
            note: form.note,
            reverses,
            ..EntryInput::default()
        };
        let ctx = state.ctx(&principal, &request);
        entries::record(&ctx, principal.org_id, principal.user_id, CommitmentId(id), &input).await
    }
    .await;
    answer(&state, &principal, id, result.map(|_| "recorded")).await
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    unspent: String,
    #[serde(default)]
    note: String,
}

/// `POST /resources/{id}/close`
#[tracing::instrument(skip_all)]
pub async fn close(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CloseForm>,
) -> Result<Response, PageError> {
    let input = CloseInput { unspent: form.unspent, note: form.note };
    let ctx = state.ctx(&principal, &request);
    let result = entries::close(&ctx, principal.org_id, principal.user_id, CommitmentId(id), &input).await;
    answer(&state, &principal, id, result.map(|()| "closed")).await
}
