//! Recording and withdrawing measurements from the objective's page: on success back to the page, on a broken
//! rule the page again with the message and what was typed.

use super::objective::{MeasurementForm, render};
use super::objective_form::number;
use crate::domain::ids::{MeasurementId, ObjectiveId};
use crate::domain::objective::parse_date;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::api::objectives::acting;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PagePath};
use crate::http::headers::RequestId;
use crate::measurements::{self, MeasurementInput};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

/// Shows the objective's page again with the message of a broken rule; other errors become error pages.
async fn refused(
    state: &AppState,
    principal: &Principal,
    id: i64,
    form: MeasurementForm,
    error: AppError,
) -> Result<Response, PageError> {
    match error {
        AppError::Invalid(_) | AppError::Conflict(_) | AppError::Forbidden(_) => {
            let status = error.status();
            let page = render(state, principal, id, form, None, Some(error.to_string())).await?;
            Ok((status, page).into_response())
        }
        other => Err(other.into()),
    }
}

/// `POST /objectives/{id}/measurements`
#[tracing::instrument(skip_all)]
pub async fn add(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<MeasurementForm>,
) -> Result<Response, PageError> {
    let result = async {
        let input = MeasurementInput {
            value: number(&form.value, "the value")?,
            measured_on: parse_date(&form.measured_on, "the measurement date")?,
            note: form.note.clone(),
        };
        let ctx = state.ctx(&principal, &request);
        measurements::add(&ctx, principal.org_id, acting(&principal), ObjectiveId(id), &input).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/objectives/{id}?done=measured")).into_response()),
        Err(error) => refused(&state, &principal, id, form, error).await,
    }
}

/// The withdraw form of a measurement row.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    reason: String,
}

/// `POST /objectives/{id}/measurements/{measurement_id}/withdraw`
#[tracing::instrument(skip_all)]
pub async fn withdraw(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PagePath((id, measurement)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<WithdrawForm>,
) -> Result<Response, PageError> {
    let ctx = state.ctx(&principal, &request);
    let (objective, measurement) = (ObjectiveId(id), MeasurementId(measurement));
    let result =
        measurements::withdraw(&ctx, principal.org_id, acting(&principal), objective, measurement, &form.reason).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/objectives/{id}?done=withdrawn")).into_response()),
        Err(error) => refused(&state, &principal, id, MeasurementForm::default(), error).await,
    }
}
