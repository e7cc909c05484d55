//! The register of commitments: each with its status, promised versus actual and flags, filtered, sorted and
//! paged, with totals over everything that matches.
//!
//! Flags depend on the clock, so they are computed here from each commitment's sums rather than stored.

use super::{Settings, settings};
use crate::clock::UnixTime;
use crate::db::resource::{CommitmentLine, LineQuery};
use crate::db::{self, Conn};
use crate::domain::Invalid;
use crate::domain::ids::{CommitmentId, OrgId};
use crate::domain::resource::totals::{Line, Totals};
use crate::domain::resource::{Disposition, Flag, Progress, Status, flags};
use crate::error::AppError;

pub use crate::db::resource::Sort;

/// The sorts people choose from: (code, label).
pub const SORTS: [(Sort, &str, &str); 5] = [
    (Sort::Due, "due", "Due date"),
    (Sort::Newest, "newest", "Newest first"),
    (Sort::Amount, "amount", "Largest amount"),
    (Sort::Title, "title", "Title"),
    (Sort::Status, "status", "Status"),
];

/// Reads a sort code; empty is the default (due date).
pub fn parse_sort(text: &str) -> Result<Sort, Invalid> {
    match text.trim() {
        "" => Ok(Sort::default()),
        t => SORTS
            .iter()
            .find(|(_, code, _)| *code == t)
            .map(|(sort, _, _)| *sort)
            .ok_or_else(|| Invalid::new(format!("unknown sort '{t}'; use due, newest, amount, title or status"))),
    }
}

/// Which commitments to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query {
    pub status: Option<Status>,
    pub flag: Option<Flag>,
    pub sort: Sort,
    pub limit: i64,
    pub offset: i64,
}

/// One commitment as the register shows it.
#[derive(Debug, Clone)]
pub struct Summary {
    pub line: CommitmentLine,
    pub status: Status,
    pub flags: Vec<Flag>,
}

impl Summary {
    /// Summarises a commitment at `now` under the organisation's underspent share.
    pub fn of(line: CommitmentLine, underspent_percent: i64, now: UnixTime) -> Self {
        let row = &line.row;
        let status = Status::parse(&row.status).unwrap_or_default();
        let progress = Progress {
            status,
            approved_minor: row.approved_minor.unwrap_or(0),
            approved_days_x100: row.approved_days_x100.unwrap_or(0),
            spent_minor: line.spent_minor,
            spent_days_x100: line.spent_days_x100,
            spent_by_due_minor: line.spent_by_due_minor,
            spent_by_due_days_x100: line.spent_by_due_days_x100,
            approved_at: matches!(status, Status::Approved | Status::Closed).then_some(row.decided_at).flatten(),
            due_on: row.due_on,
            disposition: row.disposition.as_deref().and_then(|d| Disposition::parse(d).ok()),
        };
        let flags = flags(&progress, underspent_percent, now);
        Self { line, status, flags }
    }

    /// This commitment's share of the totals.
    pub fn totals_line(&self) -> Line<'_> {
        let row = &self.line.row;
        Line {
            status: self.status,
            currency: &row.currency,
            requested_minor: row.requested_minor,
            approved_minor: row.approved_minor.unwrap_or(0),
            spent_minor: self.line.spent_minor,
            requested_days_x100: row.requested_days_x100,
            approved_days_x100: row.approved_days_x100.unwrap_or(0),
            spent_days_x100: self.line.spent_days_x100,
        }
    }
}

/// A page of the register.
#[derive(Debug, Clone)]
pub struct Register {
    pub items: Vec<Summary>,
    /// How many commitments match in all.
    pub total: i64,
    /// Promised versus actual over every matching commitment (not only this page).
    pub totals: Totals,
    pub settings: Settings,
}

/// A page of `org`'s register at `now`. Without a flag filter, the database sorts and pages and sums the totals;
/// flags depend on the clock, so filtering by one reads every commitment of the status (sorted by the database),
/// computes the flags, and pages what remains.
pub async fn register(c: &mut Conn<'_>, org: OrgId, query: &Query, now: UnixTime) -> Result<Register, AppError> {
    let settings = settings(c, org).await?;
    let percent = settings.underspent_percent;
    let status = query.status.map(Status::as_str);
    let mut totals = Totals::default();
    let Some(flag) = query.flag else {
        let page = LineQuery { status, sort: query.sort, limit: query.limit, offset: query.offset };
        let lines = db::resource::lines(c, org, &page).await?;
        let mut total = 0;
        for group in db::resource::totals(c, org, status).await? {
            total += group.commitments;
            totals.add(Line {
                status: Status::parse(&group.status).unwrap_or_default(),
                currency: &group.currency,
                requested_minor: group.requested_minor,
                approved_minor: group.approved_minor,
                spent_minor: group.spent_minor,
                requested_days_x100: group.requested_days_x100,
                approved_days_x100: group.approved_days_x100,
                spent_days_x100: group.spent_days_x100,
            });
        }
        let items = lines.into_iter().map(|line| Summary::of(line, percent, now)).collect();
        return Ok(Register { items, total, totals, settings });
    };
    let every = LineQuery { status, sort: query.sort, limit: i64::MAX, offset: 0 };
    let items: Vec<Summary> = db::resource::lines(c, org, &every)
        .await?
        .into_iter()
        .map(|line| Summary::of(line, percent, now))
        .filter(|s| s.flags.contains(&flag))
        .collect();
    for item in &items {
        totals.add(item.totals_line());
    }
    let total = items.len() as i64;
    let items = items.into_iter().skip(query.offset.max(0) as usize).take(query.limit.max(0) as usize).collect();
    Ok(Register { items, total, totals, settings })
}

/// One commitment of `org` at `now`; another organisation's is not found.
pub async fn summary(c: &mut Conn<'_>, org: OrgId, id: CommitmentId, now: UnixTime) -> Result<Summary, AppError> {
    let percent = settings(c, org).await?.underspent_percent;
    let line = db::resource::line(c, org, id).await?.ok_or_else(|| AppError::not_found("resource commitment"))?;
    Ok(Summary::of(line, percent, now))
}
