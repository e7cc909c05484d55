//! Flags on a commitment: the signals that later feed the façade detectors (resources approved but not spent,
//! or moved elsewhere). Each flag has a stable code for the API.
//!
//! - `underspent`: the commitment was approved (it may since be closed), its due date has passed, and what was
//!   spent on or before the due date is below the organisation's share (default 50%) of the approved money —
//!   or of the approved person-days, when time was approved. A commitment closed early with its money returned
//!   is still flagged once the due date passes: the approval was not followed through, and the close note is
//!   where the explanation lives.
//! - `behind_plan`: an approved commitment before its due date, when at least half of the time between
//!   approval and the end of the due date has gone, and the share spent is less than half the share of time
//!   gone (60% of the time gone, less than 30% spent). It warns while there is still time to act.
//! - `redirected`: closed, and the money left over was moved to something else rather than spent or returned.
//!
//! All arithmetic is on integers (minor units, hundredths of a day, seconds); products are taken in `i128`.

use super::{DAY, Disposition, Status};
use crate::clock::UnixTime;

/// The share of the approved amount that must be spent by the due date, unless an organisation sets another.
pub const DEFAULT_UNDERSPENT_PERCENT: i64 = 50;

/// A flag's stable code.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Underspent,
    BehindPlan,
    Redirected,
}

impl Flag {
    pub const ALL: [Flag; 3] = [Flag::Underspent, Flag::BehindPlan, Flag::Redirected];

    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Underspent => "underspent",
            Flag::BehindPlan => "behind_plan",
            Flag::Redirected => "redirected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Flag::Underspent => "Underspent",
            Flag::BehindPlan => "Behind plan",
            Flag::Redirected => "Redirected",
        }
    }

    pub fn parse(text: &str) -> Result<Self, crate::domain::Invalid> {
        Flag::ALL.into_iter().find(|f| f.as_str() == text.trim()).ok_or_else(|| {
            crate::domain::Invalid::new(format!("unknown flag '{text}'; use underspent, behind_plan or redirected"))
        })
    }
}

/// What the flags look at for one commitment. Amounts are net of reversals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub status: Status,
    pub approved_minor: i64,
    pub approved_days_x100: i64,
    /// Everything spent so far.
    pub spent_minor: i64,
    pub spent_days_x100: i64,
    /// What was spent on entries dated on or before the due date.
    pub spent_by_due_minor: i64,
    pub spent_by_due_days_x100: i64,
    pub approved_at: Option<UnixTime>,
    /// Midnight UTC at the start of the due date; the due date itself still counts.
    pub due_on: UnixTime,
    pub disposition: Option<Disposition>,
}

/// Whether `spent` is below `percent`% of `approved` (never when nothing was approved).
fn below_share(spent: i64, approved: i64, percent: i64) -> bool {
    approved > 0 && i128::from(spent) * 100 < i128::from(approved) * i128::from(percent)
}

/// Whether the share `spent / approved` is under half the share of time gone, `elapsed / span`.
fn behind(spent: i64, approved: i64, elapsed: i64, span: i64) -> bool {
    approved > 0 && i128::from(spent) * i128::from(span) * 2 < i128::from(approved) * i128::from(elapsed)
}

/// The flags of a commitment at `now`, in a fixed order.
pub fn flags(p: &Progress, underspent_percent: i64, now: UnixTime) -> Vec<Flag> {
    let mut out = Vec::new();
    let due_end = p.due_on + DAY;
    let was_approved = matches!(p.status, Status::Approved | Status::Closed);
    if was_approved
        && now >= due_end
        && (below_share(p.spent_by_due_minor, p.approved_minor, underspent_percent)
            || below_share(p.spent_by_due_days_x100, p.approved_days_x100, underspent_percent))
    {
        out.push(Flag::Underspent);
    }
    if p.status == Status::Approved
        && now < due_end
        && let Some(approved_at) = p.approved_at
    {
        let (elapsed, span) = (now - approved_at, due_end - approved_at);
        if span > 0
            && elapsed * 2 >= span
            && (behind(p.spent_minor, p.approved_minor, elapsed, span)
                || behind(p.spent_days_x100, p.approved_days_x100, elapsed, span))
        {
            out.push(Flag::BehindPlan);
        }
    }
    if p.status == Status::Closed && p.disposition == Some(Disposition::Redirected) {
        out.push(Flag::Redirected);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: UnixTime = 1_795_392_000; // 2026-11-23
    const DUE: UnixTime = T + 100 * DAY;

    fn approved(money: i64, spent: i64) -> Progress {
        Progress {
            status: Status::Approved,
            approved_minor: money,
            spent_minor: spent,
            spent_by_due_minor: spent,
            approved_at: Some(T),
            due_on: DUE,
            ..Progress::default()
        }
    }

    #[test]
    fn underspent_only_once_the_due_date_has_passed() {
        let p = approved(100_000, 40_000);
        assert_eq!(flags(&p, 50, DUE + DAY - 1), vec![Flag::BehindPlan], "the due date itself still counts");
        assert_eq!(flags(&p, 50, DUE + DAY), vec![Flag::Underspent]);
        assert_eq!(flags(&approved(100_000, 50_000), 50, DUE + DAY), vec![], "exactly the share is enough");
        assert_eq!(flags(&p, 40, DUE + 2 * DAY), vec![], "the organisation's share decides");
        let late = Progress { spent_minor: 90_000, ..p };
        assert_eq!(flags(&late, 50, DUE + DAY), vec![Flag::Underspent], "spending after the due date is too late");
    }

    #[test]
    fn underspent_counts_time_when_time_was_approved() {
        let time_only = Progress { approved_minor: 0, spent_minor: 0, spent_by_due_minor: 0, ..approved(0, 0) };
        let p = Progress { approved_days_x100: 1000, spent_by_due_days_x100: 400, ..time_only };
        assert_eq!(flags(&p, 50, DUE + DAY), vec![Flag::Underspent]);
        let done = Progress { spent_by_due_days_x100: 900, ..p };
        assert_eq!(flags(&done, 50, DUE + DAY), vec![]);
        assert_eq!(flags(&time_only, 50, DUE + DAY), vec![], "nothing approved, nothing to underspend");
    }

    #[test]
    fn refused_and_requested_commitments_carry_no_flags() {
        for status in [Status::Requested, Status::Refused] {
            let p = Progress { status, ..approved(100_000, 0) };
            assert_eq!(flags(&p, 50, DUE + 10 * DAY), vec![]);
            assert_eq!(flags(&p, 50, T + 90 * DAY), vec![]);
        }
    }

    #[test]
    fn behind_plan_when_time_runs_ahead_of_spending() {
        let span = DUE + DAY - T;
        let p = approved(100_000, 20_000);
        assert_eq!(flags(&p, 50, T + span / 2 - 1), vec![], "less than half the time gone");
        assert_eq!(flags(&p, 50, T + span / 2), vec![Flag::BehindPlan], "half gone, 20% < 25% spent");
        let on_track = approved(100_000, 30_000);
        assert_eq!(flags(&on_track, 50, T + span / 2), vec![]);
        assert_eq!(flags(&on_track, 50, T + span * 7 / 10), vec![Flag::BehindPlan], "70% gone, 30% < 35%");
        assert_eq!(flags(&on_track, 50, DUE + DAY), vec![Flag::Underspent], "after the due date it is underspent");
        let closed = Progress { status: Status::Closed, disposition: Some(Disposition::Returned), ..p };
        assert_eq!(flags(&closed, 50, T + span * 9 / 10), vec![], "a closed commitment is not behind");
    }

    #[test]
    fn redirected_when_closed_with_money_moved() {
        let spent = approved(100_000, 100_000);
        let redirected = Progress { status: Status::Closed, disposition: Some(Disposition::Redirected), ..spent };
        assert_eq!(flags(&redirected, 50, T + DAY), vec![Flag::Redirected]);
        let both = Progress { spent_by_due_minor: 10_000, ..redirected };
        assert_eq!(flags(&both, 50, DUE + DAY), vec![Flag::Underspent, Flag::Redirected]);
        let returned = Progress { disposition: Some(Disposition::Returned), ..redirected };
        assert_eq!(flags(&returned, 50, T + DAY), vec![]);
    }

    #[test]
    fn huge_amounts_do_not_overflow() {
        let max = crate::domain::resource::money::MAX_UNITS;
        let p = approved(max, max / 3);
        assert_eq!(flags(&p, 50, DUE + DAY), vec![Flag::Underspent]);
        assert_eq!(flags(&p, 50, T + (DUE - T) * 9 / 10), vec![Flag::BehindPlan]);
    }

    #[test]
    fn codes_are_stable() {
        for flag in Flag::ALL {
            assert_eq!(Flag::parse(flag.as_str()), Ok(flag));
            assert_eq!(serde_json::to_value(flag).unwrap(), flag.as_str());
        }
        assert!(Flag::parse("late").is_err());
    }
}
