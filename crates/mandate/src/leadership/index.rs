//! The Leadership Evidence Index of an organisation at one moment: every duty judged on the records (see
//! `domain::leadership::score`), per top manager, overall, and the trend over the last twelve months.

use crate::clock::UnixTime;
use crate::db::{self, Conn};
use crate::domain::ids::{OrgId, UserId};
use crate::domain::leadership::score::{self, DutyScore, Signal, Verdict, judge};
use crate::domain::leadership::{Detector, Duty, EvidenceKind, Finding, explain, review};
use crate::domain::resource::{self, Disposition, Flag, Progress, Status};
use crate::error::AppError;
use std::collections::HashMap;

const DAY: i64 = 86_400;

/// One duty on the index.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DutyLine {
    #[serde(flatten)]
    pub judged: DutyScore,
    pub key: &'static str,
    pub clause: &'static str,
    pub title: &'static str,
    pub explanation: String,
    /// The detectors whose current findings stand against the duty.
    pub detectors: Vec<Detector>,
}

/// One top manager on the index.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ManagerLine {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub name: String,
    pub score: u8,
    pub explanation: String,
    /// Records in the windows that the manager made themselves, and that were made on their behalf.
    pub own: i64,
    pub on_behalf: i64,
    pub findings: usize,
}

/// The index at the end of one month.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TrendPoint {
    /// The moment judged: the last second of the month, or now for the current month.
    pub at: UnixTime,
    pub overall: u8,
    /// Per manager, in the order of `Index::managers`.
    pub managers: Vec<u8>,
}

/// The whole index.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Index {
    pub at: UnixTime,
    pub overall: u8,
    pub explanation: String,
    pub evidenced: usize,
    pub stale: usize,
    pub missing: usize,
    pub contradicted: usize,
    pub duties: Vec<DutyLine>,
    pub managers: Vec<ManagerLine>,
    /// Twelve points, oldest first; past months count records only (findings are judged today).
    pub trend: Vec<TrendPoint>,
}

impl Index {
    /// The line of `duty`.
    pub fn duty(&self, duty: Duty) -> Result<DutyLine, AppError> {
        self.duties.iter().find(|d| d.judged.duty == duty).cloned().ok_or_else(|| AppError::not_found("duty"))
    }
}

/// The freshness window of every duty in `org`: the organisation's own where set, else the default — except 9.3,
/// whose default follows the organisation's review schedule (its interval and the grace the review detectors
/// allow), since "planned intervals" are the organisation's own.
pub async fn windows(c: &mut Conn<'_>, org: OrgId) -> Result<HashMap<Duty, i64>, AppError> {
    let mut out: HashMap<Duty, i64> = Duty::ALL.iter().map(|d| (*d, d.default_window_days())).collect();
    if let Some(schedule) = db::management_review::schedule(c, org).await? {
        let days = review::interval_days(schedule.every_months) + review::GRACE_DAYS;
        out.insert(
            Duty::ManagementReview,
            days.clamp(crate::leadership::windows::MIN_DAYS, crate::leadership::windows::MAX_DAYS),
        );
    }
    for row in db::leadership::windows(c, org).await? {
        if let Ok(duty) = Duty::parse(&row.duty) {
            out.insert(duty, row.window_days);
        }
    }
    Ok(out)
}

/// Reads `org`'s signals far enough back for the trend's first month and the longest window.
pub async fn signals(c: &mut Conn<'_>, org: OrgId, since: UnixTime, now: UnixTime) -> Result<Vec<Signal>, AppError> {
    let mut out: Vec<Signal> = db::leadership::signals(c, org, since)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(Signal {
                kind: kind_of(&row.kind)?,
                manager: row.manager,
                own: row.own != 0,
                day: row.day,
                count: row.count,
                weight_milli: row.weight,
            })
        })
        .collect();
    let percent =
        db::resource::settings(c, org).await?.map_or(resource::DEFAULT_UNDERSPENT_PERCENT, |s| s.underspent_percent);
    for row in db::leadership::commitments(c, org, since).await? {
        let progress = Progress {
            status: if row.status == "closed" { Status::Closed } else { Status::Approved },
            approved_minor: row.approved_minor,
            approved_days_x100: row.approved_days_x100,
            spent_minor: row.spent_minor,
            spent_days_x100: row.spent_days_x100,
            spent_by_due_minor: row.spent_by_due_minor,
            spent_by_due_days_x100: row.spent_by_due_days_x100,
            approved_at: Some(row.decided_at),
            due_on: row.due_on,
            disposition: row.disposition.as_deref().and_then(|d| Disposition::parse(d).ok()),
        };
        // A budget counts when it is spent: judged by its flags today, whatever the moment judged.
        let flags = resource::flags(&progress, percent, now);
        let weight = if flags.contains(&Flag::Underspent) || flags.contains(&Flag::Redirected) {
            250
        } else if flags.contains(&Flag::BehindPlan) {
            600
        } else {
            1000
        };
        out.push(Signal {
            kind: EvidenceKind::ResourceApproved,
            manager: row.decided_by,
            own: true,
            day: row.decided_at - row.decided_at.rem_euclid(DAY),
            count: 1,
            weight_milli: weight,
        });
    }
    Ok(out)
}

fn kind_of(text: &str) -> Option<EvidenceKind> {
    EvidenceKind::ALL.into_iter().find(|k| k.as_str() == text)
}

/// The last second of each of the twelve months up to `now`'s, the current month ending at `now`.
pub fn month_ends(now: UnixTime) -> Vec<UnixTime> {
    let Ok(today) = time::OffsetDateTime::from_unix_timestamp(now) else { return vec![now] };
    let mut first = today.date().replace_day(1).unwrap_or(today.date());
    let mut out = vec![now];
    for _ in 0..11 {
        let end = first.midnight().assume_utc().unix_timestamp() - 1;
        out.push(end);
        first = (first - time::Duration::days(1)).replace_day(1).unwrap_or(first);
    }
    out.reverse();
    out
}

/// How far back the signals must reach for `windows` and the trend.
pub fn since(now: UnixTime, windows: &HashMap<Duty, i64>) -> UnixTime {
    let longest = windows.values().copied().max().unwrap_or(365);
    month_ends(now).first().copied().unwrap_or(now) - (longest + 1) * DAY
}

/// Judges every duty at `at` on `signals`, with `findings` standing against duties.
pub fn judge_all(
    signals: &[Signal],
    windows: &HashMap<Duty, i64>,
    findings: &HashMap<Duty, Vec<Detector>>,
    at: UnixTime,
) -> Vec<DutyScore> {
    Duty::ALL
        .iter()
        .map(|d| {
            let against = findings.get(d).map_or(0, Vec::len);
            judge(*d, windows[d], signals, against, at)
        })
        .collect()
}

/// The top managers to show: the current ones, with their names.
pub struct Manager {
    pub user_id: UserId,
    pub name: String,
}

/// Computes the index of `org` at `now` from its signals, windows, current top managers and current
/// (undismissed) findings.
pub fn compute(
    signals: &[Signal],
    windows: &HashMap<Duty, i64>,
    managers: &[Manager],
    findings: &[Finding],
    now: UnixTime,
) -> Index {
    let against = against(findings);
    let judged = judge_all(signals, windows, &against, now);
    let duties: Vec<DutyLine> = judged
        .into_iter()
        .map(|j| {
            let mut detectors = against.get(&j.duty).cloned().unwrap_or_default();
            detectors.sort();
            detectors.dedup();
            DutyLine {
                key: j.duty.as_str(),
                clause: j.duty.clause(),
                title: j.duty.title(),
                explanation: explain::duty(&j, &detectors),
                detectors,
                judged: j,
            }
        })
        .collect();
    let count = |v: Verdict| duties.iter().filter(|d| d.judged.verdict == v).count();
    let counts =
        [count(Verdict::Evidenced), count(Verdict::Stale), count(Verdict::Missing), count(Verdict::Contradicted)];
    let overall = score::mean(duties.iter().map(|d| d.judged.score));
    let weakest = duties.iter().map(|d| &d.judged).min_by_key(|d| d.score);
    let theirs: Vec<Vec<Signal>> = managers.iter().map(|m| mine(signals, m.user_id)).collect();
    let manager_lines = managers.iter().zip(&theirs).map(|(m, t)| manager_line(m, t, windows, findings, now)).collect();
    let trend = month_ends(now)
        .into_iter()
        .map(|at| TrendPoint {
            at,
            overall: score::mean(judge_all(signals, windows, &HashMap::new(), at).iter().map(|d| d.score)),
            managers: theirs.iter().map(|t| manager_score(t, windows, &[], at).0).collect(),
        })
        .collect();
    Index {
        at: now,
        overall,
        explanation: explain::overall(overall, counts, weakest),
        evidenced: counts[0],
        stale: counts[1],
        missing: counts[2],
        contradicted: counts[3],
        duties,
        managers: manager_lines,
        trend,
    }
}

/// The detectors standing against each duty, one entry per finding.
fn against<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> HashMap<Duty, Vec<Detector>> {
    let mut out: HashMap<Duty, Vec<Detector>> = HashMap::new();
    for f in findings {
        for d in f.detector.duties() {
            out.entry(*d).or_default().push(f.detector);
        }
    }
    out
}

fn mine(signals: &[Signal], user: UserId) -> Vec<Signal> {
    signals.iter().filter(|s| s.manager == Some(user)).cloned().collect()
}

/// A manager's score: the duties judged on their records alone, with the findings that concern them.
fn manager_score(
    signals: &[Signal],
    windows: &HashMap<Duty, i64>,
    findings: &[&Finding],
    at: UnixTime,
) -> (u8, Vec<DutyScore>) {
    let judged = judge_all(signals, windows, &against(findings.iter().copied()), at);
    (score::mean(judged.iter().map(|d| d.score)), judged)
}

/// `theirs` are the signals naming manager `m`.
fn manager_line(
    m: &Manager,
    theirs: &[Signal],
    windows: &HashMap<Duty, i64>,
    findings: &[Finding],
    now: UnixTime,
) -> ManagerLine {
    let concerning: Vec<&Finding> = findings.iter().filter(|f| f.manager == Some(m.user_id)).collect();
    let (score, judged) = manager_score(theirs, windows, &concerning, now);
    let longest = windows.values().copied().max().unwrap_or(365);
    let recent = theirs.iter().filter(|s| s.day > now - longest * DAY && s.day <= now);
    let (own, on_behalf) =
        recent.fold((0, 0), |(own, behalf), s| if s.own { (own + s.count, behalf) } else { (own, behalf + s.count) });
    ManagerLine {
        user_id: m.user_id,
        name: m.name.clone(),
        score,
        explanation: explain::manager(&m.name, score, &judged, own, on_behalf),
        own,
        on_behalf,
        findings: concerning.len(),
    }
}
