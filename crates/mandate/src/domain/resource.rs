//! Resources (ISO/IEC 27001 7.1): commitments of money and people's time that top management grants for an
//! initiative or an objective, and what was actually spent against them.
//!
//! A commitment is requested, then approved or refused by top management citing a decision; only an approved
//! commitment takes spending and time entries; closing it records what happened to the money left over. Entries
//! are never edited: a mistake is undone by a counter-entry that reverses it, so the history stays.

pub mod flags;
pub mod money;
pub mod totals;

pub use flags::{DEFAULT_UNDERSPENT_PERCENT, Flag, Progress, flags};

use super::Invalid;
use crate::clock::UnixTime;

/// Seconds in a day; dates are stored as midnight UTC.
pub const DAY: i64 = 86_400;

/// Reads a `YYYY-MM-DD` date as midnight UTC.
pub fn parse_date(text: &str, what: &str) -> Result<UnixTime, Invalid> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Invalid::new(format!("{what} is required; write it as YYYY-MM-DD")));
    }
    (t.len() == 10)
        .then(|| crate::clock::parse_time(t))
        .flatten()
        .ok_or_else(|| Invalid::new(format!("{what} '{t}' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-31")))
}

/// Midnight UTC at the start of the day `t` falls in.
pub fn day_of(t: UnixTime) -> UnixTime {
    t - t.rem_euclid(DAY)
}

/// A stored date as `YYYY-MM-DD`.
pub fn show_date(day: UnixTime) -> String {
    crate::clock::format_utc(day).chars().take(10).collect()
}

/// Where a commitment stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Asked for; waiting for top management's decision.
    #[default]
    Requested,
    /// Granted: open for spending and time entries.
    Approved,
    /// Turned down, with a reason.
    Refused,
    /// Finished; what was left over was returned or redirected.
    Closed,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Requested, Status::Approved, Status::Refused, Status::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Requested => "requested",
            Status::Approved => "approved",
            Status::Refused => "refused",
            Status::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Requested => "Requested",
            Status::Approved => "Approved",
            Status::Refused => "Refused",
            Status::Closed => "Closed",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
            .ok_or_else(|| Invalid::new(format!("unknown status '{text}'; use requested, approved, refused or closed")))
    }
}

/// Something done to a commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Approve,
    Refuse,
    /// Record spending or time (or reverse such an entry).
    Record,
    Close,
}

/// The status a step leads to from `from`, or why it cannot be taken now (answered with 409).
pub fn next_status(from: Status, step: Step) -> Result<Status, String> {
    match (from, step) {
        (Status::Requested, Step::Approve) => Ok(Status::Approved),
        (Status::Requested, Step::Refuse) => Ok(Status::Refused),
        (Status::Approved, Step::Record) => Ok(Status::Approved),
        (Status::Approved, Step::Close) => Ok(Status::Closed),
        (from, Step::Approve | Step::Refuse) => Err(format!(
            "this commitment is already {}; only a requested commitment can be approved or refused",
            from.as_str()
        )),
        (Status::Requested, Step::Record) => Err(
            "this commitment is still requested; spending and time can be recorded only once top management has approved it"
                .into(),
        ),
        (from, Step::Record) => Err(format!(
            "this commitment is {}; spending and time can be recorded only against an approved commitment",
            from.as_str()
        )),
        (from, Step::Close) => {
            Err(format!("this commitment is {}; only an approved commitment can be closed", from.as_str()))
        }
    }
}

/// What happened to the money left over when a commitment was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Nothing was left over.
    None,
    /// Given back to the budget it came from.
    Returned,
    /// Moved to something else; the close note says where.
    Redirected,
}

impl Disposition {
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::None => "none",
            Disposition::Returned => "returned",
            Disposition::Redirected => "redirected",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        [Disposition::None, Disposition::Returned, Disposition::Redirected]
            .into_iter()
            .find(|d| d.as_str() == text.trim())
            .ok_or_else(|| {
                Invalid::new(format!("unknown choice '{text}' for the unspent money; use returned or redirected"))
            })
    }
}

/// Checks what a close says about the money left over (`unspent_minor`, never negative here) and its note.
pub fn check_close(unspent_minor: i64, disposition: Option<Disposition>, note: &str) -> Result<Disposition, Invalid> {
    let disposition = match (unspent_minor > 0, disposition) {
        (false, None | Some(Disposition::None)) => Disposition::None,
        (false, Some(_)) => {
            return Err(Invalid::new("nothing is left unspent, so there is nothing to return or redirect"));
        }
        (true, None | Some(Disposition::None)) => {
            return Err(Invalid::new(
                "money is left unspent; say whether it was returned or redirected (and where it went)",
            ));
        }
        (true, Some(d)) => d,
    };
    if disposition == Disposition::Redirected && note.trim().is_empty() {
        return Err(Invalid::new("say where the redirected money went in the note"));
    }
    Ok(disposition)
}

/// Checks a required single-line text (title, initiative, decision reference): trimmed, 1–`max` characters.
pub fn check_line(text: &str, what: &str, max: usize) -> Result<String, Invalid> {
    let line = check_text(text, what, max)?;
    if line.is_empty() {
        return Err(Invalid::new(format!("{what} is required")));
    }
    if line.contains(['\n', '\r']) {
        return Err(Invalid::new(format!("{what} must fit on one line")));
    }
    Ok(line)
}

/// Checks free text (purpose, notes, reasons): trimmed, at most `max` characters, no control characters
/// other than line breaks and tabs. May be empty; callers decide whether it is required.
pub fn check_text(text: &str, what: &str, max: usize) -> Result<String, Invalid> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(Invalid::new(format!("{what} is longer than {max} characters")));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(Invalid::new(format!("{what} contains control characters")));
    }
    Ok(text.to_string())
}

/// Checks the share of an approved amount that must be spent by the due date.
pub fn check_underspent_percent(percent: i64) -> Result<i64, Invalid> {
    if (1..=100).contains(&percent) {
        Ok(percent)
    } else {
        Err(Invalid::new("the share that must be spent by the due date is a whole percentage from 1 to 100"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_runs_requested_approved_closed() {
        assert_eq!(next_status(Status::Requested, Step::Approve), Ok(Status::Approved));
        assert_eq!(next_status(Status::Requested, Step::Refuse), Ok(Status::Refused));
        assert_eq!(next_status(Status::Approved, Step::Record), Ok(Status::Approved));
        assert_eq!(next_status(Status::Approved, Step::Close), Ok(Status::Closed));
    }

    #[test]
    fn steps_out_of_order_are_refused_with_a_reason() {
        let twice = next_status(Status::Approved, Step::Approve).unwrap_err();
        assert!(twice.contains("already approved"), "{twice}");
        assert!(next_status(Status::Refused, Step::Approve).is_err());
        assert!(next_status(Status::Closed, Step::Refuse).is_err());
        let early = next_status(Status::Requested, Step::Record).unwrap_err();
        assert!(early.contains("once top management has approved it"), "{early}");
        for from in [Status::Refused, Status::Closed] {
            assert!(next_status(from, Step::Record).unwrap_err().contains(from.as_str()));
        }
        for from in [Status::Requested, Status::Refused, Status::Closed] {
            assert!(next_status(from, Step::Close).is_err(), "{from:?}");
        }
    }

    #[test]
    fn closing_says_what_happened_to_the_rest() {
        assert_eq!(check_close(0, None, ""), Ok(Disposition::None));
        assert_eq!(check_close(500, Some(Disposition::Returned), ""), Ok(Disposition::Returned));
        assert_eq!(
            check_close(500, Some(Disposition::Redirected), "to the data centre move"),
            Ok(Disposition::Redirected)
        );
        assert!(check_close(500, Some(Disposition::Redirected), " ").unwrap_err().0.contains("where"));
        assert!(check_close(500, None, "").unwrap_err().0.contains("returned or redirected"));
        assert!(check_close(0, Some(Disposition::Redirected), "x").is_err(), "nothing to redirect");
    }

    #[test]
    fn texts_are_bounded_and_printable() {
        assert_eq!(check_line("  SIEM rollout ", "the title", 200).unwrap(), "SIEM rollout");
        assert!(check_line(" ", "the title", 200).unwrap_err().0.contains("required"));
        assert!(check_line("a\nb", "the title", 200).is_err());
        assert!(check_line(&"x".repeat(201), "the title", 200).is_err());
        assert_eq!(check_text("line one\nline two", "the note", 100).unwrap(), "line one\nline two");
        assert!(check_text("bell\u{7}", "the note", 100).is_err());
        assert_eq!(check_text("", "the note", 100).unwrap(), "");
    }

    #[test]
    fn dates_are_plain_calendar_days() {
        assert_eq!(parse_date("2026-11-23", "the due date"), Ok(1_795_392_000));
        assert_eq!(show_date(1_795_392_000), "2026-11-23");
        assert_eq!(day_of(1_795_392_000 + 86_399), 1_795_392_000);
        for bad in ["23.11.2026", "2026-02-30", "2026-11-23T10:00:00Z", "soon"] {
            assert!(parse_date(bad, "the due date").unwrap_err().0.contains("YYYY-MM-DD"), "{bad}");
        }
        assert!(parse_date(" ", "the due date").unwrap_err().0.contains("required"));
    }

    #[test]
    fn codes_parse_back() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Ok(status));
        }
        assert!(Status::parse("open").is_err());
        assert_eq!(Disposition::parse("redirected"), Ok(Disposition::Redirected));
        assert!(Disposition::parse("spent").is_err());
        assert!(check_underspent_percent(0).is_err() && check_underspent_percent(101).is_err());
        assert_eq!(check_underspent_percent(50), Ok(50));
    }
}
