//! The words beside every figure of the index: why a score is what it is, and what would raise it.

use super::finding::Detector;
use super::score::{DutyScore, KindPart, Verdict, with_one_more};
use crate::domain::resource::show_date;

/// Why `judged` is what it is and what would raise it. `detectors` are the detectors whose findings stand
/// against the duty.
pub fn duty(judged: &DutyScore, detectors: &[Detector]) -> String {
    let window = judged.window_days;
    let mut out = match judged.verdict {
        Verdict::Missing => format!(
            "No record evidences this duty: there are no {}.",
            list(judged.parts.iter().map(|p| p.kind.label()).collect())
        ),
        Verdict::Stale => {
            let newest = judged.parts.iter().filter_map(|p| p.newest).max().map(show_date).unwrap_or_default();
            format!("The newest record is from {newest}, older than the {window}-day window.")
        }
        Verdict::Evidenced | Verdict::Contradicted => format!("In the last {window} days: {}.", counted(&judged.parts)),
    };
    if judged.verdict == Verdict::Stale && judged.findings > 0 {
        let names: Vec<&str> = detectors.iter().map(|d| d.label()).collect();
        out.push_str(&format!(
            " {} also against it ({}).",
            plural(judged.findings, "finding stands", "findings stand"),
            names.join("; ")
        ));
    }
    if judged.verdict == Verdict::Contradicted {
        let names: Vec<&str> = detectors.iter().map(|d| d.label()).collect();
        out.push_str(&format!(
            " {} against it ({}) halve its score of {}; acting on them, or dismissing them with a reason, restores it.",
            plural(judged.findings, "finding stands", "findings stand"),
            names.join("; "),
            judged.evidence_score
        ));
    }
    if let Some((label, raised)) = best_next(judged) {
        out.push_str(&format!(" One more of the {label}, made by a top manager, would raise it to {raised}."));
    } else if judged.score >= 90 {
        out.push_str(" Keep it current: it is as strong as this kind of evidence gets.");
    }
    out
}

/// The kind whose next record raises the score most, with the score it would reach.
fn best_next(judged: &DutyScore) -> Option<(&'static str, u8)> {
    judged
        .parts
        .iter()
        .map(|p| (p.kind.label(), with_one_more(judged, p.kind)))
        .filter(|(_, raised)| *raised > judged.score)
        .max_by_key(|(_, raised)| *raised)
}

/// "3 policy versions approved by top management (2 by the managers themselves), 1 appointment made …".
fn counted(parts: &[KindPart]) -> String {
    let items: Vec<String> = parts
        .iter()
        .map(|p| {
            if p.fresh == 0 {
                format!("no {}", p.kind.label())
            } else if p.own == p.fresh {
                format!("{} {}", p.fresh, p.kind.label())
            } else {
                format!("{} {} ({} on a manager's behalf)", p.fresh, p.kind.label(), p.fresh - p.own)
            }
        })
        .collect();
    list(items.iter().map(String::as_str).collect())
}

/// The overall figure in words.
pub fn overall(score: u8, counts: [usize; 4], weakest: Option<&DutyScore>) -> String {
    let [evidenced, stale, missing, contradicted] = counts;
    let total = evidenced + stale + missing + contradicted;
    let mut out = format!(
        "{score} of 100: {evidenced} of {total} duties evidenced, {stale} stale, {missing} missing, {contradicted} contradicted."
    );
    if let Some(w) = weakest {
        out.push_str(&format!(
            " The weakest is {} ({}, {}): raising it adds most.",
            w.duty.clause(),
            w.duty.title().to_lowercase(),
            w.score
        ));
    }
    out
}

/// A top manager's figure in words. `scores` are the duties judged on that manager's records alone.
pub fn manager(name: &str, score: u8, scores: &[DutyScore], own: i64, on_behalf: i64) -> String {
    let best = scores.iter().max_by_key(|s| s.score);
    let worst = scores.iter().min_by_key(|s| s.score);
    let mut out = format!("{name}: {score} of 100.");
    if let (Some(b), Some(w)) = (best, worst) {
        out.push_str(&format!(
            " Strongest: {} ({}). Weakest: {} ({}).",
            b.duty.title().to_lowercase(),
            b.score,
            w.duty.title().to_lowercase(),
            w.score
        ));
    }
    if let Some(w) = worst
        && let Some((label, raised)) = best_next(w)
    {
        out.push_str(&format!(
            " One more of the {label} in their own name would raise {} to {raised}.",
            w.duty.title().to_lowercase()
        ));
    }
    let total = own + on_behalf;
    if total == 0 {
        out.push_str(" No record in any window names this manager.");
    } else if on_behalf * 2 > total {
        out.push_str(&format!(
            " {on_behalf} of {total} records were made on their behalf and count half: their own records would weigh more."
        ));
    } else {
        out.push_str(&format!(" {own} of {total} records are their own."));
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// "a, b and c".
fn list(items: Vec<&str>) -> String {
    match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
