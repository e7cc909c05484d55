//! How the resources pages show amounts, shares and register rows.

use crate::clock::format_utc;
use crate::db::resource::entry::EntryRow;
use crate::domain::ids::{EvidenceId, ResourceEntryId};
use crate::domain::resource::money::{show_money, show_person_days};
use crate::domain::resource::totals::Totals;
use crate::domain::resource::{Flag, show_date};
use crate::resources::register::Summary;

/// Money and time for people: "40,000.00 EUR · 10 person-days", or "—" when both are nothing.
pub fn show_amounts(minor: i64, days_x100: i64, currency: &str) -> String {
    let mut parts = Vec::new();
    if minor != 0 {
        parts.push(show_money(minor, currency));
    }
    if days_x100 != 0 {
        parts.push(show_person_days(days_x100));
    }
    if parts.is_empty() { "—".into() } else { parts.join(" · ") }
}

/// `part` as a whole percentage of `whole`, for people ("45%"); "—" when nothing was promised.
pub fn share(part: i64, whole: i64) -> String {
    if whole <= 0 { "—".into() } else { format!("{}%", i128::from(part) * 100 / i128::from(whole)) }
}

/// A flag as a badge: (code, label, tone). Being behind plan is a warning; underspent and redirected are the
/// findings auditors ask about.
pub fn badges(flags: &[Flag]) -> Vec<(&'static str, &'static str, &'static str)> {
    flags.iter().map(|f| (f.as_str(), f.label(), if *f == Flag::BehindPlan { "warn" } else { "bad" })).collect()
}

/// One commitment as a row of the register.
pub struct LineView {
    pub id: i64,
    pub title: String,
    pub initiative: String,
    pub status: &'static str,
    pub due: String,
    pub requested: String,
    pub promised: String,
    pub spent: String,
    pub spent_share: String,
    pub flags: Vec<(&'static str, &'static str, &'static str)>,
}

impl LineView {
    pub fn of(s: &Summary) -> Self {
        let r = &s.line.row;
        let approved = r.approved_minor.unwrap_or(0);
        Self {
            id: r.id.0,
            title: r.title.clone(),
            initiative: r.initiative.clone(),
            status: s.status.label(),
            due: show_date(r.due_on),
            requested: show_amounts(r.requested_minor, r.requested_days_x100, &r.currency),
            promised: r
                .approved_minor
                .map_or("—".into(), |m| show_amounts(m, r.approved_days_x100.unwrap_or(0), &r.currency)),
            spent: show_amounts(s.line.spent_minor, s.line.spent_days_x100, &r.currency),
            spent_share: if approved > 0 {
                share(s.line.spent_minor, approved)
            } else {
                share(s.line.spent_days_x100, r.approved_days_x100.unwrap_or(0))
            },
            flags: badges(&s.flags),
        }
    }
}

/// A totals row: what it is, pending, promised, spent, share spent.
pub struct TotalRow {
    pub what: String,
    pub pending: String,
    pub promised: String,
    pub spent: String,
    pub share: String,
}

pub fn total_rows(totals: &Totals) -> Vec<TotalRow> {
    let mut rows: Vec<TotalRow> = totals
        .money
        .iter()
        .map(|(code, s)| TotalRow {
            what: format!("Money ({code})"),
            pending: show_money(s.pending, code),
            promised: show_money(s.promised, code),
            spent: show_money(s.spent, code),
            share: share(s.spent, s.promised),
        })
        .collect();
    let d = totals.days_x100;
    if d.pending != 0 || d.promised != 0 || d.spent != 0 {
        rows.push(TotalRow {
            what: "People's time".into(),
            pending: show_person_days(d.pending),
            promised: show_person_days(d.promised),
            spent: show_person_days(d.spent),
            share: share(d.spent, d.promised),
        });
    }
    rows
}

/// A row of the promised-versus-actual table.
pub struct CompareRow {
    pub what: &'static str,
    pub requested: String,
    pub promised: String,
    pub spent: String,
    pub spent_by_due: String,
    pub share: String,
}

/// An entry as the page lists it.
pub struct EntryLine {
    pub id: i64,
    pub date: String,
    pub person: String,
    pub spent: String,
    pub note: String,
    pub evidence: Vec<(i64, String)>,
    pub reverses: Option<ResourceEntryId>,
    pub reversed_by: Option<ResourceEntryId>,
    pub recorded: String,
}

/// The promised-versus-actual rows of one commitment: money, people's time, or both.
pub fn compare_rows(s: &Summary) -> Vec<CompareRow> {
    let (line, r) = (&s.line, &s.line.row);
    let cur = r.currency.as_str();
    let decided = r.approved_minor.is_some();
    let (approved, approved_days) = (r.approved_minor.unwrap_or(0), r.approved_days_x100.unwrap_or(0));
    let mut rows = Vec::new();
    if r.requested_minor > 0 || approved > 0 || line.spent_minor != 0 {
        rows.push(CompareRow {
            what: "Money",
            requested: show_money(r.requested_minor, cur),
            promised: if decided { show_money(approved, cur) } else { "—".into() },
            spent: show_money(line.spent_minor, cur),
            spent_by_due: show_money(line.spent_by_due_minor, cur),
            share: share(line.spent_minor, approved),
        });
    }
    if r.requested_days_x100 > 0 || approved_days > 0 || line.spent_days_x100 != 0 {
        rows.push(CompareRow {
            what: "People's time",
            requested: show_person_days(r.requested_days_x100),
            promised: if decided { show_person_days(approved_days) } else { "—".into() },
            spent: show_person_days(line.spent_days_x100),
            spent_by_due: show_person_days(line.spent_by_due_days_x100),
            share: share(line.spent_days_x100, approved_days),
        });
    }
    rows
}

/// Entries as the page lists them, each with the evidence attached to it.
pub fn entry_lines(
    rows: Vec<EntryRow>,
    evidence: &[(ResourceEntryId, EvidenceId, String)],
    currency: &str,
) -> Vec<EntryLine> {
    rows.into_iter()
        .map(|e| EntryLine {
            id: e.id.0,
            date: show_date(e.spent_on),
            person: e.person_name,
            spent: show_amounts(e.amount_minor, e.days_x100, currency),
            note: e.note,
            evidence: evidence
                .iter()
                .filter(|(entry, _, _)| *entry == e.id)
                .map(|(_, v, t)| (v.0, t.clone()))
                .collect(),
            reverses: e.reverses,
            reversed_by: e.reversed_by,
            recorded: format!("{} by {}", format_utc(e.recorded_at), e.recorder_name),
        })
        .collect()
}
