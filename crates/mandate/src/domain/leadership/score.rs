//! The Leadership Evidence Index's rules: how records become a score and a verdict per duty, per top manager and
//! overall, and the words that explain each figure.
//!
//! - **Authenticity over volume.** Each record arrives with a weight already judged by what followed it (a
//!   decision's action done on time weighs 1, done late ½; a budget weighs by how much of it was spent; a policy
//!   version by how many staff acknowledged it; a meeting only when it decided something). A record a top
//!   manager made themselves counts in full; one made on their behalf counts half.
//! - **Diminishing weight for repeated paperwork.** Per kind of record, the score is `1 − 2^(−w / h)`: `h`
//!   records of full weight give half the kind's value, `2h` three quarters, and so on. The tenth meeting adds
//!   little; the first adds much.
//! - **Verdicts.** `missing` when no record of the duty's kinds exists at all; `stale` when every record is older
//!   than the duty's freshness window; `contradicted` when there is fresh evidence but a façade detector's finding
//!   stands against the duty (its score is halved); `evidenced` otherwise.

use super::duty::{Duty, EvidenceKind};
use crate::clock::UnixTime;
use crate::domain::ids::UserId;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Records of one kind on one day, about one manager (or the organisation), made by them or for them.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub kind: EvidenceKind,
    /// The top manager the records are about; `None` for records of the organisation as a whole.
    pub manager: Option<UserId>,
    /// Whether the manager made the records themselves.
    pub own: bool,
    /// Midnight UTC of the day.
    pub day: UnixTime,
    pub count: i64,
    /// The sum of the records' weights, in thousandths (a record of full weight is 1000).
    pub weight_milli: i64,
}

/// How a duty stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Evidenced,
    Stale,
    Missing,
    Contradicted,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [Verdict::Evidenced, Verdict::Stale, Verdict::Missing, Verdict::Contradicted];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Evidenced => "evidenced",
            Verdict::Stale => "stale",
            Verdict::Missing => "missing",
            Verdict::Contradicted => "contradicted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Evidenced => "Evidenced",
            Verdict::Stale => "Stale",
            Verdict::Missing => "Missing",
            Verdict::Contradicted => "Contradicted",
        }
    }
}

/// How many records of full weight give half of a kind's value: frequent records need more.
pub fn half_weight(kind: EvidenceKind) -> f64 {
    match kind {
        EvidenceKind::ObjectiveMeasured | EvidenceKind::ActionDone => 4.0,
        EvidenceKind::MeetingDecided | EvidenceKind::CommunicationSent | EvidenceKind::ResourceSpent => 2.0,
        EvidenceKind::Involvement => 2.0,
        _ => 1.0,
    }
}

/// A record made on a manager's behalf counts this share of one they made themselves.
pub const ON_BEHALF_SHARE: f64 = 0.5;

/// What one kind of record contributes to a duty.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct KindPart {
    pub kind: EvidenceKind,
    /// Records inside the window.
    pub fresh: i64,
    /// Of those, made by a top manager themselves.
    pub own: i64,
    /// Records older than the window.
    pub older: i64,
    /// The newest record's day.
    pub newest: Option<UnixTime>,
    /// The kind's value, 0–1.
    pub value: f64,
    /// The effective weight behind `value`.
    #[serde(skip)]
    pub weight: f64,
}

/// A duty judged at one moment.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct DutyScore {
    pub duty: Duty,
    pub window_days: i64,
    pub verdict: Verdict,
    /// 0–100.
    pub score: u8,
    /// 0–100, before findings halve it.
    pub evidence_score: u8,
    pub parts: Vec<KindPart>,
    pub findings: usize,
}

/// Judges `duty` at `now` over `signals` (already narrowed to the manager, when scoring one), with `findings`
/// standing against it and freshness window `window_days`.
pub fn judge(duty: Duty, window_days: i64, signals: &[Signal], findings: usize, now: UnixTime) -> DutyScore {
    let from = now - window_days * DAY;
    let parts: Vec<KindPart> = duty
        .evidence()
        .iter()
        .map(|&kind| {
            let mut part = KindPart { kind, fresh: 0, own: 0, older: 0, newest: None, value: 0.0, weight: 0.0 };
            for s in signals.iter().filter(|s| s.kind == kind && s.day <= now) {
                part.newest = part.newest.max(Some(s.day));
                if s.day > from {
                    part.fresh += s.count;
                    part.own += if s.own { s.count } else { 0 };
                    let share = if s.own { 1.0 } else { ON_BEHALF_SHARE };
                    part.weight += s.weight_milli as f64 / 1000.0 * share;
                } else {
                    part.older += s.count;
                }
            }
            part.value = value_of(part.weight, kind);
            part
        })
        .collect();
    let evidence = blend(&parts);
    let any = parts.iter().any(|p| p.fresh + p.older > 0);
    let fresh = parts.iter().any(|p| p.fresh > 0);
    let verdict = if !any {
        Verdict::Missing
    } else if !fresh {
        Verdict::Stale
    } else if findings > 0 {
        Verdict::Contradicted
    } else {
        Verdict::Evidenced
    };
    let score = if verdict == Verdict::Contradicted { evidence / 2.0 } else { evidence };
    DutyScore { duty, window_days, verdict, score: percent(score), evidence_score: percent(evidence), parts, findings }
}

/// A kind's value for an effective weight: diminishing returns on repetition.
pub fn value_of(weight: f64, kind: EvidenceKind) -> f64 {
    if weight <= 0.0 { 0.0 } else { 1.0 - (-weight / half_weight(kind)).exp2() }
}

/// The duty's evidence score, 0–1: the kinds' values, the most telling kind weighing most (3, 2, 1 …).
fn blend(parts: &[KindPart]) -> f64 {
    let n = parts.len();
    let (sum, total) = parts.iter().enumerate().fold((0.0, 0.0), |(sum, total), (i, p)| {
        let w = (n.max(3) - i) as f64;
        (sum + w * p.value, total + w)
    });
    if total > 0.0 { sum / total } else { 0.0 }
}

fn percent(share: f64) -> u8 {
    (share * 100.0).round().clamp(0.0, 100.0) as u8
}

/// The mean of `scores`, 0–100 (0 when empty).
pub fn mean(scores: impl IntoIterator<Item = u8>) -> u8 {
    let (sum, n) = scores.into_iter().fold((0u32, 0u32), |(s, n), x| (s + u32::from(x), n + 1));
    if n == 0 { 0 } else { ((f64::from(sum) / f64::from(n)).round()) as u8 }
}

/// What the score would be with one more record of `kind` made by the manager themselves, when it rises.
pub fn with_one_more(judged: &DutyScore, kind: EvidenceKind) -> u8 {
    let parts: Vec<KindPart> = judged
        .parts
        .iter()
        .map(|p| {
            let mut p = p.clone();
            if p.kind == kind {
                p.weight += 1.0;
                p.value = value_of(p.weight, p.kind);
            }
            p
        })
        .collect();
    let raised = percent(blend(&parts));
    if judged.verdict == Verdict::Contradicted { raised / 2 } else { raised }
}

#[cfg(test)]
mod tests;
