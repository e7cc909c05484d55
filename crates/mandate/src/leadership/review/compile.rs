//! Compiling a review's inputs from live data: each input is a summary and figures with the records behind
//! them. Every source is one aggregate query (`db::review_sources`), so compiling stays fast at any size.
//! Registers Mandate does not keep yet give an input that says so, and still needs the review's notes.

use super::compile_context;
use crate::clock::UnixTime;
use crate::db::Conn;
use crate::db::review_sources::{self as sources, Period};
use crate::domain::ids::{MeetingId, OrgId};
use crate::domain::leadership::review::{InputKey, NO_REGISTER};
use crate::domain::leadership::review_figures::{Figure, FigureRecord, percent, percent_text};
use crate::domain::objective::date_text;
use crate::domain::progress::Progress;
use crate::error::AppError;

/// One compiled input.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub key: InputKey,
    pub summary: String,
    pub figures: Vec<Figure>,
}

impl Compiled {
    fn new(key: InputKey, summary: String, figures: Vec<Figure>) -> Self {
        Self { key, summary, figures }
    }

    fn no_register(key: InputKey) -> Self {
        Self::new(key, NO_REGISTER.into(), Vec::new())
    }
}

/// What the compiler needs to know about the review.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub org: OrgId,
    pub period: Period,
    /// The meeting of the previous closed review, whose actions input a reports on.
    pub previous_meeting: Option<MeetingId>,
    pub now: UnixTime,
}

/// Every input of a review over `scope`, in [`InputKey::ALL`]'s order.
pub async fn compile(c: &mut Conn<'_>, scope: Scope) -> Result<Vec<Compiled>, AppError> {
    let mut out = Vec::with_capacity(InputKey::ALL.len());
    out.push(previous_actions(c, scope).await?);
    out.push(Compiled::no_register(InputKey::Issues));
    out.push(Compiled::no_register(InputKey::InterestedParties));
    out.push(Compiled::no_register(InputKey::Nonconformities));
    out.push(monitoring(c, scope).await?);
    out.push(audits(c, scope).await?);
    out.push(objectives(c, scope).await?);
    out.push(Compiled::no_register(InputKey::Feedback));
    out.push(Compiled::no_register(InputKey::Risks));
    out.push(compile_context::improvement(c, scope).await?);
    out.push(compile_context::resources(c, scope).await?);
    out.push(compile_context::policies(c, scope).await?);
    out.push(Compiled::new(
        InputKey::Continuity,
        "Business continuity (ISO 22301) is not enabled for this organisation, so no continuity inputs are compiled."
            .into(),
        Vec::new(),
    ));
    Ok(out)
}

/// a: the previous review's actions by status.
async fn previous_actions(c: &mut Conn<'_>, scope: Scope) -> Result<Compiled, AppError> {
    let Some(meeting) = scope.previous_meeting else {
        return Ok(Compiled::new(
            InputKey::PreviousActions,
            "This is the first management review: there are no actions from a previous one.".into(),
            Vec::new(),
        ));
    };
    let rows = sources::review_actions(c, scope.org, meeting).await?;
    let (mut done, mut open, mut overdue, mut cancelled) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (id, title, status, due_on) in rows {
        let record = FigureRecord::new("action", id, format!("{title} (due {})", date_text(due_on)));
        match status.as_str() {
            "done" => done.push(record),
            "cancelled" => cancelled.push(record),
            _ if due_on + 86_400 <= scope.now => overdue.push(record),
            _ => open.push(record),
        }
    }
    let total = (done.len() + open.len() + overdue.len() + cancelled.len()) as i64;
    let summary = format!(
        "{total} actions from the previous review: {} done, {} open, {} overdue, {} cancelled.",
        done.len(),
        open.len(),
        overdue.len(),
        cancelled.len()
    );
    let done_share = percent(done.len() as i64, total).map(|p| p as f64);
    let figures = vec![
        Figure::new("done_share", "Done", percent_text(done.len() as i64, total), done_share),
        Figure::count("done", "Done", done),
        Figure::count("open", "Open, not yet due", open),
        Figure::count("overdue", "Overdue", overdue),
        Figure::count("cancelled", "Cancelled", cancelled),
    ];
    Ok(Compiled::new(InputKey::PreviousActions, summary, figures))
}

/// d2: measurements, phishing simulations and training in the period.
async fn monitoring(c: &mut Conn<'_>, scope: Scope) -> Result<Compiled, AppError> {
    let measured = sources::measured(c, scope.org, scope.period).await?;
    let measurements: i64 = measured.iter().map(|m| m.2).sum();
    let objectives: Vec<FigureRecord> = measured
        .into_iter()
        .map(|(id, statement, n)| FigureRecord::new("objective", id, format!("{statement} ({n})")))
        .collect();
    let sims = sources::simulations(c, scope.org, scope.period).await?;
    let rate = |part: i64, whole: i64| percent(part, whole).map(|p| p as f64);
    let sim_records = |pick: fn(&sources::SimulationLine) -> i64| -> Vec<FigureRecord> {
        sims.iter()
            .map(|s| {
                let label =
                    format!("{} ({}): {}", s.name, date_text(s.launched_on), percent_text(pick(s), s.sent_count));
                FigureRecord::new("phishing_simulation", s.id, label)
            })
            .collect()
    };
    let trend = |pick: fn(&sources::SimulationLine) -> i64| -> String {
        match (sims.first(), sims.last()) {
            (Some(a), Some(b)) if sims.len() > 1 => {
                let show = |s: &sources::SimulationLine| {
                    percent(pick(s), s.sent_count).map_or("–".into(), |p| format!("{p} %"))
                };
                format!("{} → {}", show(a), show(b))
            }
            _ => "no trend (fewer than two simulations)".into(),
        }
    };
    let sent: i64 = sims.iter().map(|s| s.sent_count).sum();
    let clicked: i64 = sims.iter().map(|s| s.clicked_count).sum();
    let reported: i64 = sims.iter().map(|s| s.reported_count).sum();
    let training = sources::training(c, scope.org, scope.period).await?;
    let enrolled: i64 = training.iter().map(|t| t.2).sum();
    let completed: i64 = training.iter().map(|t| t.3).sum();
    let campaigns = training
        .into_iter()
        .map(|(id, title, n, done)| {
            FigureRecord::new("training_campaign", id, format!("{title}: {}", percent_text(done, n)))
        })
        .collect();
    let summary = format!(
        "{measurements} measurements of {} objectives; {} phishing simulations (click rate {}, report rate {}); \
         training completion {}.",
        objectives.len(),
        sims.len(),
        percent_text(clicked, sent),
        percent_text(reported, sent),
        percent_text(completed, enrolled)
    );
    let figures = vec![
        Figure::new("measurements", "Measurements recorded", measurements.to_string(), Some(measurements as f64)),
        Figure::count("objectives_measured", "Objectives measured", objectives),
        Figure::new("click_rate", "Phishing click rate", percent_text(clicked, sent), rate(clicked, sent))
            .with_records(sim_records(|s| s.clicked_count)),
        Figure::new("click_trend", "Click rate, first → latest simulation", trend(|s| s.clicked_count), None),
        Figure::new("report_rate", "Phishing report rate", percent_text(reported, sent), rate(reported, sent))
            .with_records(sim_records(|s| s.reported_count)),
        Figure::new("report_trend", "Report rate, first → latest simulation", trend(|s| s.reported_count), None),
        Figure::new("training", "Training completion", percent_text(completed, enrolled), rate(completed, enrolled))
            .with_records(campaigns),
    ];
    Ok(Compiled::new(InputKey::Monitoring, summary, figures))
}

/// d3: no audit register yet; top management's audit involvement in the period.
async fn audits(c: &mut Conn<'_>, scope: Scope) -> Result<Compiled, AppError> {
    let rows = sources::joined_audits(c, scope.org, scope.period).await?;
    let records: Vec<FigureRecord> = rows
        .into_iter()
        .map(|(id, name, on)| {
            FigureRecord::new("involvement", id, format!("{name} joined an audit on {}", date_text(on)))
        })
        .collect();
    let summary = format!("{NO_REGISTER}. Top management joined audits {} times in the period.", records.len());
    Ok(Compiled::new(
        InputKey::Audits,
        summary,
        vec![Figure::count("joined_audit", "Audits joined by top management", records)],
    ))
}

/// d4: objectives achieved, on track, at risk, behind, and due in the period.
async fn objectives(c: &mut Conn<'_>, scope: Scope) -> Result<Compiled, AppError> {
    let filter = crate::db::objective::Filter::default();
    let sort = crate::db::objective::Sort::Due;
    let (rows, _) = crate::db::objective::list(c, scope.org, &filter, sort, 100_000, 0).await?;
    let tracked = crate::objectives::with_progress(c, scope.org, rows, scope.now).await?;
    let (mut achieved, mut on_track, mut at_risk, mut behind, mut due) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let p = scope.period;
    for t in tracked {
        let record = FigureRecord::new("objective", t.row.id.0, t.row.statement.clone());
        if t.row.due_on >= p.start && t.row.due_on < p.end && t.row.status != "abandoned" {
            due.push(record.clone());
        }
        match (t.row.status.as_str(), t.assessment.map(|a| a.progress)) {
            ("achieved", _) if t.row.closed_at.is_some_and(|at| at >= p.start && at < p.end) => achieved.push(record),
            ("open", Some(Progress::OnTrack)) => on_track.push(record),
            ("open", Some(Progress::AtRisk)) => at_risk.push(record),
            ("open", Some(_)) => behind.push(record),
            _ => {}
        }
    }
    let open = (on_track.len() + at_risk.len() + behind.len()) as i64;
    let summary = format!(
        "{} objectives achieved in the period; of {open} open, {} on track, {} at risk, {} off track or not measured; \
         {} were due in the period.",
        achieved.len(),
        on_track.len(),
        at_risk.len(),
        behind.len(),
        due.len()
    );
    let on_track_share = percent(on_track.len() as i64, open).map(|p| p as f64);
    let figures = vec![
        Figure::new(
            "on_track_share",
            "Open objectives on track",
            percent_text(on_track.len() as i64, open),
            on_track_share,
        ),
        Figure::count("achieved", "Achieved in the period", achieved),
        Figure::count("on_track", "On track", on_track),
        Figure::count("at_risk", "At risk", at_risk),
        Figure::count("behind", "Off track or not measured", behind),
        Figure::count("due", "Due in the period", due),
    ];
    Ok(Compiled::new(InputKey::Objectives, summary, figures))
}
