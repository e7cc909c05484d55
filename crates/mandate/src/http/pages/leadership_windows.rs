//! The index's freshness windows: how long a record keeps evidencing each duty, with the default beside the
//! organisation's own value. One form sets them all; each change is ledgered.

use super::Layout;
use crate::domain::leadership::Duty;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PageForm, PageQuery};
use crate::http::headers::RequestId;
use crate::leadership::windows::{MAX_DAYS, MIN_DAYS};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

pub struct WindowLine {
    pub key: &'static str,
    pub clause: &'static str,
    pub title: &'static str,
    pub evidence: String,
    pub default_days: i64,
    pub value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "leadership_windows.html")]
pub struct WindowsPage {
    layout: Layout,
    csrf: String,
    lines: Vec<WindowLine>,
    error: Option<String>,
    notice: Option<String>,
    min: i64,
    max: i64,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

fn lines(values: &HashMap<String, String>) -> Vec<WindowLine> {
    Duty::ALL
        .iter()
        .map(|d| WindowLine {
            key: d.as_str(),
            clause: d.clause(),
            title: d.title(),
            evidence: d.evidence().iter().map(|k| k.label()).collect::<Vec<_>>().join("; "),
            default_days: d.default_window_days(),
            value: values.get(d.as_str()).cloned().unwrap_or_default(),
        })
        .collect()
}

fn page(
    principal: &Principal,
    values: &HashMap<String, String>,
    error: Option<String>,
    notice: Option<String>,
) -> WindowsPage {
    WindowsPage {
        layout: Layout::member("Freshness windows", "leadership", principal),
        csrf: principal.csrf().to_string(),
        lines: lines(values),
        error,
        notice,
        min: MIN_DAYS,
        max: MAX_DAYS,
    }
}

/// `GET /leadership/windows`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PageQuery(q): PageQuery<Done>,
) -> Result<WindowsPage, PageError> {
    let mut c = state.db.read().await?;
    let windows = crate::leadership::index::windows(&mut c.conn(), principal.org_id).await?;
    let values = windows.iter().map(|(d, days)| (d.as_str().to_string(), days.to_string())).collect();
    let notice = (q.done == "saved").then(|| "The windows are saved; the index uses them from now on.".to_string());
    Ok(page(&principal, &values, None, notice))
}

/// `POST /leadership/windows`: every duty's window, by its key; the changed ones are saved together or not at all.
#[tracing::instrument(skip_all)]
pub async fn save(
    State(state): State<AppState>,
    principal: Principal,
    request: RequestId,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let result = async {
        let current = {
            let mut c = state.db.read().await?;
            crate::leadership::index::windows(&mut c.conn(), principal.org_id).await?
        };
        let mut changes = Vec::new();
        for duty in Duty::ALL {
            let Some(text) = form.get(duty.as_str()) else { continue };
            let days = text.trim().parse::<i64>().map_err(|_| {
                AppError::Invalid(format!(
                    "the window for {} must be a whole number of days, not '{}'",
                    duty.clause(),
                    text.trim()
                ))
            })?;
            if current.get(&duty) != Some(&days) {
                changes.push((duty, days));
            }
        }
        if changes.is_empty() {
            return Ok(());
        }
        let ctx = state.ctx(&principal, &request);
        crate::leadership::windows::set(&ctx, principal.org_id, principal.user_id, &changes).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/leadership/windows?done=saved").into_response()),
        Err(error @ AppError::Invalid(_)) => {
            let status = error.status();
            Ok((status, page(&principal, &form, Some(error.to_string()), None)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
