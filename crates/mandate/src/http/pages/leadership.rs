//! The leadership page: the Leadership Evidence Index (every duty's verdict, score and reasons, each top
//! manager's figure, the twelve-month trend) and the façade detectors' current findings. It is top
//! management's home page; auditors read it without the forms.

use super::Layout;
use super::leadership_chart::TrendChart;
use crate::db;
use crate::domain::leadership::{Duty, Finding, Verdict};
use crate::domain::record_link;
use crate::domain::resource::show_date;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::access::LEADERSHIP_EDITORS;
use crate::http::auth::Principal;
use crate::http::error::PageError;
use crate::http::extract::PagePath;
use crate::leadership::index::{DutyLine, Index};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

/// How many findings the page lists before linking to all of them.
const FINDINGS_SHOWN: usize = 6;

/// A finding as the page lists it.
pub struct FindingLine {
    pub detector: &'static str,
    pub title: String,
    pub records: Vec<(String, Option<String>)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "leadership.html")]
pub struct LeadershipPage {
    layout: Layout,
    index: Index,
    chart: TrendChart,
    findings: Vec<FindingLine>,
    finding_total: usize,
    /// The signed-in person's tasks, shown when this is their home page.
    tasks: Option<Vec<super::home::Task>>,
    can_edit: bool,
    today: String,
}

fn verdict_class(v: &Verdict) -> &'static str {
    match v {
        Verdict::Evidenced => "good",
        Verdict::Stale => "warn",
        Verdict::Missing | Verdict::Contradicted => "bad",
    }
}

impl LeadershipPage {
    fn verdict_class(&self, v: &Verdict) -> &'static str {
        verdict_class(v)
    }
}

fn finding_line(f: &Finding) -> FindingLine {
    FindingLine {
        detector: f.detector.label(),
        title: f.title.clone(),
        records: f.records.iter().take(4).map(|r| (r.label.clone(), record_link::url(r.record_type, r.id))).collect(),
    }
}

/// Builds the page for `principal`; `home` adds their tasks.
pub async fn page(state: &AppState, principal: &Principal, home: bool) -> Result<LeadershipPage, AppError> {
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let snapshot = state.leadership.snapshot(&mut c.conn(), principal.org_id, now).await?;
    let (findings, index) = (&snapshot.findings, snapshot.index.clone());
    let tasks = if home {
        let tasks = crate::tasks::open_tasks(&mut c.conn(), principal.org_id, principal.user_id, now).await?;
        Some(tasks.into_iter().map(super::home::Task::of).collect())
    } else {
        None
    };
    let orgs = db::membership::active_for_user(&mut c.conn(), principal.user_id, now).await?;
    let (title, section) = if home { ("Home", "home") } else { ("Leadership", "leadership") };
    Ok(LeadershipPage {
        layout: Layout::member(title, section, principal).with_several_orgs(orgs.len() > 1),
        chart: TrendChart::build(&index),
        index,
        finding_total: findings.len(),
        findings: findings.iter().take(FINDINGS_SHOWN).map(finding_line).collect(),
        tasks,
        can_edit: LEADERSHIP_EDITORS.contains(&principal.role),
        today: show_date(now),
    })
}

/// `GET /leadership`
#[tracing::instrument(skip_all)]
pub async fn show(State(state): State<AppState>, principal: Principal) -> Result<LeadershipPage, PageError> {
    Ok(page(&state, &principal, false).await?)
}

/// One kind of record behind a duty, with its records.
pub struct KindBlock {
    pub label: &'static str,
    pub fresh: i64,
    pub own: i64,
    pub older: i64,
    pub value: u8,
    pub records: Vec<RecordLine>,
}

pub struct RecordLine {
    pub label: String,
    pub url: Option<String>,
    pub day: String,
    pub person: String,
    pub own: bool,
    pub fresh: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "leadership_duty.html")]
pub struct DutyPage {
    layout: Layout,
    line: DutyLine,
    kinds: Vec<KindBlock>,
    findings: Vec<FindingLine>,
    default_window: i64,
    can_edit: bool,
}

impl DutyPage {
    fn verdict_class(&self, v: &Verdict) -> &'static str {
        verdict_class(v)
    }
}

/// How many records of each kind the duty page lists.
const RECORDS_SHOWN: i64 = 25;

/// `GET /leadership/duties/{duty}`
#[tracing::instrument(skip_all)]
pub async fn duty(
    State(state): State<AppState>,
    principal: Principal,
    PagePath(key): PagePath<String>,
) -> Result<DutyPage, PageError> {
    let duty = Duty::parse(&key).map_err(|_| AppError::not_found("duty"))?;
    let now = state.clock.now();
    let mut c = state.db.read().await?;
    let snapshot = state.leadership.snapshot(&mut c.conn(), principal.org_id, now).await?;
    let findings = &snapshot.findings;
    let line = snapshot.index.duty(duty)?;
    let from = now - (line.judged.window_days + 365) * 86_400;
    let fresh_from = now - line.judged.window_days * 86_400;
    let mut kinds = Vec::new();
    for part in &line.judged.parts {
        let rows =
            db::leadership_records::records(&mut c.conn(), principal.org_id, part.kind, from, now, RECORDS_SHOWN)
                .await?;
        kinds.push(KindBlock {
            label: part.kind.label(),
            fresh: part.fresh,
            own: part.own,
            older: part.older,
            value: (part.value * 100.0).round() as u8,
            records: rows
                .into_iter()
                .map(|r| RecordLine {
                    url: record_link::url(&r.record_type, r.id),
                    label: r.label,
                    day: show_date(r.day),
                    person: r.person.unwrap_or_default(),
                    own: r.own,
                    fresh: r.day > fresh_from,
                })
                .collect(),
        });
    }
    let against: Vec<FindingLine> =
        findings.iter().filter(|f| f.detector.duties().contains(&duty)).map(finding_line).collect();
    Ok(DutyPage {
        layout: Layout::member(duty.title(), "leadership", &principal),
        default_window: duty.default_window_days(),
        line,
        kinds,
        findings: against,
        can_edit: LEADERSHIP_EDITORS.contains(&principal.role),
    })
}
