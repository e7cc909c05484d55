//! One objective's page: what it aims for, its progress and why, the trend chart, the measurements with their
//! evidence, and the forms to measure, withdraw, close and attach evidence.

use super::Layout;
use super::chart::Chart;
use super::objectives::{badge, target_text};
use crate::clock::format_utc;
use crate::db;
use crate::db::measurement::{EvidenceLink, MeasurementRow};
use crate::db::objective::ObjectiveRow;
use crate::domain::ids::PolicyId;
use crate::domain::objective::{Frequency, date_text, format_value, may_measure};
use crate::domain::progress::{RULE, Reading};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::{EVIDENCE_READERS, EVIDENCE_WRITERS, OBJECTIVE_EDITORS};
use crate::http::api::objectives::{acting, visible};
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::{PagePath, PageQuery};
use crate::objectives::progress;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A measurement as a row of the history.
pub struct MeasurementLine {
    pub id: i64,
    pub on: String,
    pub value: String,
    pub by: String,
    pub note: String,
    pub withdrawn: Option<String>,
    pub evidence: Vec<(i64, String)>,
}

/// What the add-measurement form holds, kept when it is sent back with an error.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MeasurementForm {
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub measured_on: String,
    #[serde(default)]
    pub note: String,
}

/// An objective's page.
#[derive(Template, WebTemplate)]
#[template(path = "objective_show.html")]
pub struct ShowPage {
    layout: Layout,
    csrf: String,
    o: ObjectiveRow,
    target: String,
    /// The policy the objective serves: (id, title).
    policy: Option<(i64, String)>,
    due: String,
    set_on: String,
    frequency: String,
    badge: &'static str,
    badge_label: &'static str,
    reason: String,
    rule: &'static [&'static str],
    chart: String,
    measurements: Vec<MeasurementLine>,
    /// The standing measurements evidence can be attached to: (id, "date: value").
    active: Vec<(i64, String)>,
    evidence: Vec<(i64, String)>,
    can_edit: bool,
    can_measure: bool,
    can_attach: bool,
    sees_evidence: bool,
    is_open: bool,
    today: String,
    form: MeasurementForm,
    notice: Option<&'static str>,
    error: Option<String>,
}

/// The standing measurements of `rows` as the progress rule reads them.
fn readings(rows: &[MeasurementRow]) -> Vec<Reading> {
    rows.iter().filter(|m| m.withdrawn_at.is_none()).map(|m| Reading { on: m.measured_on, value: m.value }).collect()
}

fn line(row: &MeasurementRow, unit: &str, evidence: &mut Vec<EvidenceLink>) -> MeasurementLine {
    let withdrawn = row.withdrawn_at.map(|at| {
        let by = row.withdrawer_name.clone().unwrap_or_default();
        format!("withdrawn {} by {by}: {}", format_utc(at), row.withdraw_reason.clone().unwrap_or_default())
    });
    MeasurementLine {
        id: row.id.0,
        on: date_text(row.measured_on),
        value: format!("{} {unit}", format_value(row.value)).trim_end().to_string(),
        by: row.measurer_name.clone(),
        note: row.note.clone(),
        withdrawn,
        evidence: evidence.extract_if(.., |(m, _, _)| *m == row.id).map(|(_, id, title)| (id.0, title)).collect(),
    }
}

/// What the page shows that is read from the database.
struct Records {
    objective: ObjectiveRow,
    measurements: Vec<MeasurementRow>,
    on_measurements: Vec<EvidenceLink>,
    on_objective: Vec<(i64, String)>,
    policy: Option<(i64, String)>,
}

async fn records(state: &AppState, principal: &Principal, id: i64) -> Result<Records, AppError> {
    let objective = visible(state, principal, id).await?;
    let (org, mut c) = (principal.org_id, state.db.read().await?);
    let measurements = db::measurement::for_objective(&mut c.conn(), org, objective.id).await?;
    let on_measurements = db::measurement::evidence(&mut c.conn(), org, objective.id).await?;
    let record_id = objective.id.to_string();
    let filter =
        db::evidence::Filter { record_type: Some("objective"), record_id: Some(&record_id), ..Default::default() };
    let (on_objective, _) = db::evidence::list(&mut c.conn(), org, &filter, 100, 0).await?;
    let policy = match objective.policy_id {
        Some(p) => db::policy::get(&mut c.conn(), org, PolicyId(p)).await?.map(|p| (p.id.0, p.title)),
        None => None,
    };
    let on_objective = on_objective.into_iter().map(|e| (e.id.0, e.title)).collect();
    Ok(Records { objective, measurements, on_measurements, on_objective, policy })
}

/// Builds the page for objective `id`, with an optional notice or error and the measurement form's values.
pub async fn render(
    state: &AppState,
    principal: &Principal,
    id: i64,
    form: MeasurementForm,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<ShowPage, AppError> {
    let Records { objective: o, measurements, mut on_measurements, on_objective, policy } =
        records(state, principal, id).await?;
    let now = state.clock.now();
    let readings = readings(&measurements);
    let assessment = progress(&o, &readings, now);
    let chart = Chart::build(&o, &readings, assessment.as_ref().and_then(|a| a.projected), now);
    let (badge, badge_label) = badge(&o, assessment.as_ref());
    let days = (o.frequency == "days").then_some(o.frequency_days);
    let is_open = o.status == "open";
    let lines: Vec<MeasurementLine> =
        measurements.iter().rev().map(|m| line(m, &o.unit, &mut on_measurements)).collect();
    let active = lines.iter().filter(|m| m.withdrawn.is_none()).map(|m| (m.id, format!("{}: {}", m.on, m.value)));
    Ok(ShowPage {
        layout: Layout::member("Objective", "objectives", principal),
        csrf: principal.csrf().to_string(),
        target: target_text(&o),
        policy,
        due: date_text(o.due_on),
        set_on: date_text(o.created_at),
        frequency: Frequency::parse(&o.frequency, days).map_or_else(|_| o.frequency.clone(), |f| f.label()),
        badge,
        badge_label,
        reason: assessment.map_or_else(|| format!("The objective is {}.", o.status), |a| a.reason),
        rule: &RULE,
        chart: chart.render().map_err(|e| AppError::Internal(e.into()))?,
        active: active.collect(),
        measurements: lines,
        evidence: on_objective,
        can_edit: OBJECTIVE_EDITORS.contains(&principal.role),
        can_measure: is_open && may_measure(acting(principal), o.owner_id),
        can_attach: EVIDENCE_WRITERS.contains(&principal.role),
        sees_evidence: EVIDENCE_READERS.contains(&principal.role),
        is_open,
        today: date_text(now),
        form,
        notice,
        error,
        o,
    })
}

/// Which change, if any, the page confirms.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /objectives/{id}`
#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<ShowQuery>,
) -> Result<ShowPage, PageError> {
    let notice = match query.done.as_deref() {
        Some("created") => Some("The objective was set and recorded in the ledger."),
        Some("updated") => Some("The change was saved and recorded in the ledger."),
        Some("status") => Some("The status was changed and recorded in the ledger."),
        Some("measured") => Some("The measurement was recorded in the ledger."),
        Some("withdrawn") => Some("The measurement was withdrawn; it stays in the history below."),
        _ => None,
    };
    Ok(render(&state, &principal, id, MeasurementForm::default(), notice, None).await?)
}

/// `GET /objectives/{id}/chart.svg`: the trend chart on its own, for reports and slides.
#[tracing::instrument(skip_all)]
pub async fn chart(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let o = visible(&state, &principal, id).await?;
    let mut c = state.db.read().await?;
    let rows = db::measurement::for_objective(&mut c.conn(), principal.org_id, o.id).await?;
    let readings = readings(&rows);
    let now = state.clock.now();
    let projected = progress(&o, &readings, now).and_then(|a| a.projected);
    let svg = Chart::build(&o, &readings, projected, now).render().map_err(|e| AppError::Internal(e.into()))?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
}
