//! The register of commitments: each with its status, promised versus actual and flags, filtered, sorted and
//! paged, with totals over everything that matches.
//!
//! Flags depend on the clock, so they are computed here from each commitment's sums rather than stored, and
//! filtering by flag happens after that. The whole matching set is read once per page (one grouped query);
//! that stays in the low milliseconds for the thousands of commitments an organisation accumulates.

use super::{Settings, settings};
use crate::clock::UnixTime;
use crate::db::resource::CommitmentLine;
use crate::db::{self, Conn};
use crate::domain::Invalid;
use crate::domain::ids::{CommitmentId, OrgId};
use crate::domain::resource::totals::{Line, Totals};
use crate::domain::resource::{Disposition, Flag, Progress, Status, flags};
use crate::error::AppError;

/// How the register is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Soonest due first.
    #[default]
    Due,
    /// Most recently requested first.
    Newest,
    /// Largest approved (or requested) amount first.
    Amount,
    Title,
    Status,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Due, Sort::Newest, Sort::Amount, Sort::Title, Sort::Status];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Due => "due",
            Sort::Newest => "newest",
            Sort::Amount => "amount",
            Sort::Title => "title",
            Sort::Status => "status",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Due => "Due date",
            Sort::Newest => "Newest first",
            Sort::Amount => "Largest amount",
            Sort::Title => "Title",
            Sort::Status => "Status",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        match text.trim() {
            "" => Ok(Sort::Due),
            t => Sort::ALL
                .into_iter()
                .find(|s| s.as_str() == t)
                .ok_or_else(|| Invalid::new(format!("unknown sort '{t}'; use due, newest, amount, title or status"))),
        }
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

    /// The amount the register sorts by: approved once decided, requested before.
    fn size(&self) -> i64 {
        self.line.row.approved_minor.unwrap_or(self.line.row.requested_minor)
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

/// A page of `org`'s register at `now`.
pub async fn register(c: &mut Conn<'_>, org: OrgId, query: &Query, now: UnixTime) -> Result<Register, AppError> {
    let settings = settings(c, org).await?;
    let lines = db::resource::lines(c, org, query.status.map(Status::as_str), None).await?;
    let mut items: Vec<Summary> = lines
        .into_iter()
        .map(|line| Summary::of(line, settings.underspent_percent, now))
        .filter(|s| query.flag.is_none_or(|flag| s.flags.contains(&flag)))
        .collect();
    let mut totals = Totals::default();
    for item in &items {
        totals.add(item.totals_line());
    }
    // Lines arrive newest first, and the sort is stable, so ties stay newest first.
    match query.sort {
        Sort::Due => items.sort_by_key(|s| s.line.row.due_on),
        Sort::Newest => {}
        Sort::Amount => items.sort_by_key(|s| std::cmp::Reverse(s.size())),
        Sort::Title => items.sort_by_cached_key(|s| s.line.row.title.to_lowercase()),
        Sort::Status => items.sort_by_key(|s| s.status),
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
