//! `POST /policies/{id}/versions/{number}/steps`: moving a version through review, approval (citing a decision in
//! words, a meeting decision chosen from the list, or both), publication and retirement.

use super::decision_choice::chosen;
use crate::domain::ids::PolicyId;
use crate::domain::policy::Step;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::api::policies::who;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath};
use crate::http::headers::RequestId;
use crate::policies::{self, StepInput};
use axum::extract::State;
use axum::response::Redirect;

#[derive(serde::Deserialize)]
pub struct StepForm {
    step: String,
    #[serde(default)]
    decision_ref: String,
    /// For an approval: a meeting decision chosen from the list; empty for none.
    #[serde(default)]
    decision_id: String,
    #[serde(default)]
    days: Option<i64>,
    /// The hash of the text shown on the page; an approval is refused if the text changed since.
    #[serde(default)]
    content_sha256: String,
}

/// `POST /policies/{id}/versions/{number}/steps`
#[tracing::instrument(skip_all)]
pub async fn step(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath((id, number)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<StepForm>,
) -> Result<Redirect, PageError> {
    let step = Step::parse(&form.step).map_err(AppError::from)?;
    let input = StepInput {
        decision_ref: Some(form.decision_ref),
        decision_id: chosen(&form.decision_id)?,
        audience: None,
        days_to_acknowledge: form.days,
        expected_sha256: Some(form.content_sha256),
    };
    let ctx = state.ctx(&principal, &request);
    policies::take_step(&ctx, principal.org_id, PolicyId(id), number, who(&principal), step, &input).await?;
    Ok(Redirect::to(&format!("/policies/{id}/versions/{number}?done={}", step.as_str())))
}
