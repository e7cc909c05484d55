//! What the review API and pages show: a review with its inputs (figures, the records behind them, and the
//! previous closed review's figures beside them), attendance, outputs with their actions, and what it still needs.

use crate::clock::UnixTime;
use crate::db;
use crate::db::management_review::{ReviewRow, ScheduleRow};
use crate::domain::ids::OrgId;
use crate::domain::leadership::review::{GRACE_DAYS, OutputKind, ReviewStatus, next_due};
use crate::domain::leadership::review_figures::{Figure, change};
use crate::domain::objective::date_text;
use crate::error::AppError;
use crate::http::AppState;

/// A record a figure counts, with its page.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RecordView {
    pub record_type: String,
    pub id: i64,
    pub label: String,
    pub url: Option<String>,
}

/// A figure with the previous review's value and the change.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FigureView {
    pub key: String,
    pub label: String,
    pub value: String,
    pub records: Vec<RecordView>,
    /// Records counted but not listed.
    pub more: i64,
    pub previous_value: Option<String>,
    /// "62 → 78 (+16)" when both reviews have a number.
    pub change: Option<String>,
}

/// One input of a review.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct InputView {
    pub key: String,
    pub heading: String,
    pub required: bool,
    pub summary: String,
    pub figures: Vec<FigureView>,
    /// Markdown.
    pub notes: String,
    pub covered: bool,
    pub compiled_on: String,
}

/// A person's attendance.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttendanceView {
    pub user_id: i64,
    pub name: String,
    /// present, absent, excused, or empty when not recorded yet.
    pub presence: String,
    pub required: bool,
}

/// An action of a review decision.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OutputActionView {
    pub id: i64,
    pub title: String,
    pub owner_name: String,
    pub due_on: String,
    pub status: String,
}

/// A decision of the review with its kind and actions.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OutputView {
    pub decision_id: i64,
    pub kind: String,
    pub kind_label: String,
    pub text: String,
    pub decided_by: String,
    pub actions: Vec<OutputActionView>,
}

/// A management review.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub id: i64,
    pub title: String,
    #[schema(value_type = String)]
    pub status: ReviewStatus,
    pub planned_on: String,
    pub period_start: String,
    pub period_end: String,
    pub held_on: Option<String>,
    pub chair_id: i64,
    pub chair_name: String,
    pub meeting_id: Option<i64>,
    /// The size of the ledger checkpoint signed when it was closed.
    pub checkpoint_size: Option<i64>,
    /// The closed review the figures are compared with.
    pub previous_id: Option<i64>,
    pub inputs: Vec<InputView>,
    pub attendance: Vec<AttendanceView>,
    pub outputs: Vec<OutputView>,
    /// What still keeps it from being completed.
    pub missing: Vec<String>,
}

/// A line of the register.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewLine {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub planned_on: String,
    pub held_on: Option<String>,
    pub chair_name: String,
}

impl ReviewLine {
    pub fn of(r: &ReviewRow) -> Self {
        Self {
            id: r.id,
            title: r.title.clone(),
            status: r.status.clone(),
            planned_on: date_text(r.planned_on),
            held_on: r.held_on.map(date_text),
            chair_name: r.chair_name.clone(),
        }
    }
}

/// The schedule as shown.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ScheduleView {
    pub every_months: i64,
    pub chair_id: i64,
    pub chair_name: String,
    pub attendees: Vec<AttendanceView>,
}

/// The register: schedule, when the next review is due, and every review.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewRegister {
    pub schedule: Option<ScheduleView>,
    pub next_due: String,
    pub overdue: bool,
    pub reviews: Vec<ReviewLine>,
}

fn figures_of(text: &str) -> Vec<Figure> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The register of `org` at `now`.
pub async fn read_register(state: &AppState, org: OrgId, now: UnixTime) -> Result<ReviewRegister, AppError> {
    let mut c = state.db.read().await?;
    let schedule: Option<ScheduleRow> = db::management_review::schedule(&mut c.conn(), org).await?;
    let attendees = db::management_review::schedule_attendees(&mut c.conn(), org).await?;
    let rows = db::management_review::list(&mut c.conn(), org).await?;
    let last = db::review_findings::last_closed(&mut c.conn(), org).await?;
    let created = db::organisation::by_id(&mut c.conn(), org).await?.map_or(now, |o| o.created_at);
    let due = next_due(last.map(|l| l.2), created, schedule.as_ref().map_or(12, |s| s.every_months));
    Ok(ReviewRegister {
        schedule: schedule.map(|s| ScheduleView {
            every_months: s.every_months,
            chair_id: s.chair_id.0,
            chair_name: s.chair_name,
            attendees: attendees
                .into_iter()
                .map(|(u, name, _)| AttendanceView { user_id: u.0, name, presence: String::new(), required: true })
                .collect(),
        }),
        next_due: date_text(due),
        overdue: now > due + GRACE_DAYS * 86_400,
        reviews: rows.iter().map(ReviewLine::of).collect(),
    })
}

/// Review `id` of `org` with everything recorded in it.
pub async fn read_review(state: &AppState, org: OrgId, id: i64) -> Result<ReviewView, AppError> {
    let mut c = state.db.read().await?;
    let r = db::management_review::get(&mut c.conn(), org, id)
        .await?
        .ok_or_else(|| AppError::not_found("management review"))?;
    let inputs = db::management_review::inputs(&mut c.conn(), org, id).await?;
    let previous = db::management_review::previous_closed(&mut c.conn(), org, r.period_start, id).await?;
    let previous_inputs = match &previous {
        Some(p) => db::management_review::inputs(&mut c.conn(), org, p.id).await?,
        None => Vec::new(),
    };
    let inputs = inputs
        .into_iter()
        .map(|i| {
            let before =
                previous_inputs.iter().find(|p| p.key == i.key).map(|p| figures_of(&p.figures)).unwrap_or_default();
            let figures = figures_of(&i.figures)
                .into_iter()
                .map(|f| FigureView {
                    previous_value: before.iter().find(|b| b.key == f.key).map(|b| b.value.clone()),
                    change: change(&before, &f),
                    records: f
                        .records
                        .iter()
                        .map(|r| RecordView {
                            record_type: r.record_type.clone(),
                            id: r.id,
                            label: r.label.clone(),
                            url: r.url(),
                        })
                        .collect(),
                    key: f.key,
                    label: f.label,
                    value: f.value,
                    more: f.more,
                })
                .collect();
            InputView {
                key: i.key,
                heading: i.heading,
                required: i.required,
                summary: i.summary,
                figures,
                notes: i.notes,
                covered: i.covered,
                compiled_on: date_text(i.compiled_at),
            }
        })
        .collect();
    let (attendance, outputs) = match r.meeting_id {
        Some(meeting) => {
            (attendance(&mut c.conn(), org, &r, meeting).await?, outputs(&mut c.conn(), org, id, meeting).await?)
        }
        None => (Vec::new(), Vec::new()),
    };
    let missing = match ReviewStatus::from_stored(&r.status) {
        ReviewStatus::Open => crate::leadership::review::gaps(&mut c.conn(), org, &r).await?,
        _ => Vec::new(),
    };
    Ok(ReviewView {
        id: r.id,
        title: r.title,
        status: ReviewStatus::from_stored(&r.status),
        planned_on: date_text(r.planned_on),
        period_start: date_text(r.period_start),
        period_end: date_text(r.period_end),
        held_on: r.held_on.map(date_text),
        chair_id: r.chair_id.0,
        chair_name: r.chair_name,
        meeting_id: r.meeting_id.map(|m| m.0),
        checkpoint_size: r.checkpoint_size,
        previous_id: previous.map(|p| p.id),
        inputs,
        attendance,
        outputs,
        missing,
    })
}

async fn attendance(
    c: &mut db::Conn<'_>,
    org: OrgId,
    r: &ReviewRow,
    meeting: crate::domain::ids::MeetingId,
) -> Result<Vec<AttendanceView>, AppError> {
    let recorded = db::meeting::attendees(c, org, meeting).await?;
    let mut required = db::management_review::schedule_attendees(c, org).await?;
    if !required.iter().any(|(u, _, _)| *u == r.chair_id) {
        required.push((r.chair_id, r.chair_name.clone(), "top_management".into()));
    }
    let mut out: Vec<AttendanceView> = required
        .iter()
        .map(|(u, name, _)| AttendanceView {
            user_id: u.0,
            name: name.clone(),
            presence: recorded.iter().find(|a| a.user_id == *u).map_or(String::new(), |a| a.presence.clone()),
            required: true,
        })
        .collect();
    for a in recorded {
        if !out.iter().any(|o| o.user_id == a.user_id.0) {
            out.push(AttendanceView { user_id: a.user_id.0, name: a.name, presence: a.presence, required: false });
        }
    }
    Ok(out)
}

async fn outputs(
    c: &mut db::Conn<'_>,
    org: OrgId,
    review: i64,
    meeting: crate::domain::ids::MeetingId,
) -> Result<Vec<OutputView>, AppError> {
    let kinds = db::management_review::output_kinds(c, org, review).await?;
    let decisions = db::decision::for_meeting(c, org, meeting).await?;
    let filter = db::meeting_action::Filter { meeting: Some(meeting), ..Default::default() };
    let (actions, _) = db::meeting_action::list(c, org, &filter, 500, 0).await?;
    Ok(decisions
        .into_iter()
        .map(|d| {
            let kind = kinds.iter().find(|k| k.0 == d.id).map_or("improvement".to_string(), |k| k.1.clone());
            OutputView {
                decision_id: d.id.0,
                kind_label: OutputKind::parse(&kind).map_or("Decision", |k| k.label()).into(),
                kind,
                text: d.text,
                decided_by: d.decider_name,
                actions: actions
                    .iter()
                    .filter(|a| a.decision_id == Some(d.id))
                    .map(|a| OutputActionView {
                        id: a.id.0,
                        title: a.title.clone(),
                        owner_name: a.owner_name.clone(),
                        due_on: date_text(a.due_on),
                        status: a.status.clone(),
                    })
                    .collect(),
            }
        })
        .collect())
}
