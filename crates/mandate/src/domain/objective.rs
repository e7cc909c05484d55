//! Information security objectives (ISO/IEC 27001 6.2): what is to be achieved (a target value in a unit, in a
//! direction, by a due date), who owns it, what it needs, how and how often it is evaluated, and whether it is
//! an organisational objective or a manager's personal ISMS objective.

use super::Invalid;
use super::ids::UserId;
use super::role::Role;
use crate::clock::UnixTime;

/// Which side of the target counts as meeting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The value must reach the target or exceed it (e.g. training completion ≥ 95 %).
    AtLeast,
    /// The value must stay at or below the target (e.g. patch time ≤ 14 days).
    AtMost,
    /// The value must equal the target (e.g. all 12 sites assessed).
    Exactly,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::AtLeast, Direction::AtMost, Direction::Exactly];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
            Direction::Exactly => "exactly",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::AtLeast => "at least",
            Direction::AtMost => "at most",
            Direction::Exactly => "exactly",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == text.trim())
            .ok_or_else(|| Invalid::new(format!("unknown direction '{text}'; use at_least, at_most or exactly")))
    }

    /// How far `value` falls short of `target`; zero when it meets it.
    pub fn shortfall(self, value: f64, target: f64) -> f64 {
        let missing = match self {
            Direction::AtLeast => target - value,
            Direction::AtMost => value - target,
            Direction::Exactly => (value - target).abs(),
        };
        // Values typed as decimals (0.1 + 0.2) must not miss an exact target by rounding noise.
        if missing <= 1e-9 * target.abs().max(1.0) { 0.0 } else { missing }
    }

    /// Whether `value` meets `target`.
    pub fn meets(self, value: f64, target: f64) -> bool {
        self.shortfall(value, target) == 0.0
    }
}

/// How often an objective is evaluated (6.2 asks for it; 9.1 for when monitoring is done).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    /// Every so many days (1–730).
    Days(i64),
}

impl Frequency {
    pub const NAMES: [&'static str; 5] = ["monthly", "quarterly", "half_yearly", "yearly", "days"];

    /// Reads a frequency name, with the number of days when the name is `days`.
    pub fn parse(name: &str, days: Option<i64>) -> Result<Self, Invalid> {
        let frequency = match name.trim() {
            "monthly" => Frequency::Monthly,
            "quarterly" => Frequency::Quarterly,
            "half_yearly" => Frequency::HalfYearly,
            "yearly" => Frequency::Yearly,
            "days" => match days {
                Some(d) if (1..=730).contains(&d) => Frequency::Days(d),
                Some(_) => return Err(Invalid::new("the evaluation interval must be between 1 and 730 days")),
                None => return Err(Invalid::new("give the evaluation interval in days (frequency_days)")),
            },
            other => {
                return Err(Invalid::new(format!(
                    "unknown evaluation frequency '{other}'; use monthly, quarterly, half_yearly, yearly or days"
                )));
            }
        };
        Ok(frequency)
    }

    pub fn name(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::HalfYearly => "half_yearly",
            Frequency::Yearly => "yearly",
            Frequency::Days(_) => "days",
        }
    }

    /// The interval in days the status rule works with (calendar periods rounded to whole days).
    pub fn days(self) -> i64 {
        match self {
            Frequency::Monthly => 30,
            Frequency::Quarterly => 91,
            Frequency::HalfYearly => 182,
            Frequency::Yearly => 365,
            Frequency::Days(days) => days,
        }
    }

    pub fn label(self) -> String {
        match self {
            Frequency::Monthly => "monthly".into(),
            Frequency::Quarterly => "quarterly".into(),
            Frequency::HalfYearly => "every six months".into(),
            Frequency::Yearly => "yearly".into(),
            Frequency::Days(1) => "daily".into(),
            Frequency::Days(days) => format!("every {days} days"),
        }
    }
}

/// Whether an objective is the organisation's or one manager's personal ISMS objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Organisational,
    Personal,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organisational => "organisational",
            Kind::Personal => "personal",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        match text.trim() {
            "organisational" => Ok(Kind::Organisational),
            "personal" => Ok(Kind::Personal),
            other => Err(Invalid::new(format!("unknown kind '{other}'; use organisational or personal"))),
        }
    }
}

/// Where an objective stands in its life; progress towards the target is worked out separately
/// ([`super::progress`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Achieved,
    Abandoned,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Achieved, Status::Abandoned];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Achieved => "achieved",
            Status::Abandoned => "abandoned",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
            .ok_or_else(|| Invalid::new(format!("unknown status '{text}'; use open, achieved or abandoned")))
    }
}

/// Why a status change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The input is incomplete (422).
    Invalid(String),
    /// The objective is not in a state the change starts from (409).
    State(String),
}

/// Checks a status change. An objective is achieved only when its latest measurement meets the target (so the
/// record shows why), abandoned only with a reason, and a closed objective must be reopened before it is
/// closed the other way.
pub fn check_status_change(from: Status, to: Status, latest_meets: bool, note: &str) -> Result<(), Refusal> {
    match (from, to) {
        (a, b) if a == b => Err(Refusal::State(format!("the objective is already {}", a.as_str()))),
        (Status::Open, Status::Achieved) if !latest_meets => Err(Refusal::State(
            "the latest measurement does not meet the target; record the measurement that shows it was achieved first"
                .into(),
        )),
        (Status::Open, Status::Abandoned) if note.trim().is_empty() => {
            Err(Refusal::Invalid("say why the objective is abandoned (status_note)".into()))
        }
        (Status::Open, _) | (_, Status::Open) => Ok(()),
        (from, to) => Err(Refusal::State(format!(
            "the objective is {}; reopen it before marking it {}",
            from.as_str(),
            to.as_str()
        ))),
    }
}

/// Checks a required or optional free text of at most `max` characters.
pub fn check_text(text: &str, what: &str, max: usize, required: bool) -> Result<String, Invalid> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(Invalid::new(format!("{what} is required")));
    }
    if text.chars().count() > max {
        return Err(Invalid::new(format!("{what} is longer than {max} characters")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(Invalid::new(format!("{what} contains control characters")));
    }
    Ok(text.to_string())
}

/// Checks a target or measured value: a finite number of sensible size.
pub fn check_value(value: f64, what: &str) -> Result<f64, Invalid> {
    if value.is_finite() && value.abs() <= 1e12 {
        Ok(value)
    } else {
        Err(Invalid::new(format!("{what} must be a number between -1e12 and 1e12")))
    }
}

/// Reads a `YYYY-MM-DD` date as midnight UTC.
pub fn parse_date(text: &str, what: &str) -> Result<UnixTime, Invalid> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &format)
        .map(|d| d.midnight().assume_utc().unix_timestamp())
        .map_err(|_| Invalid::new(format!("{what} '{}' is not a date; use YYYY-MM-DD", text.trim())))
}

/// Midnight UTC of the day `t` falls on.
pub fn day_of(t: UnixTime) -> UnixTime {
    t.div_euclid(86_400) * 86_400
}

/// A date as `YYYY-MM-DD`.
pub fn date_text(t: UnixTime) -> String {
    crate::clock::format_utc(t).chars().take(10).collect()
}

/// A value for people: whole numbers without decimals, others with at most three.
pub fn format_value(value: f64) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".into() } else { text.into() }
}

/// The person acting, as the objective rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acting {
    pub user: UserId,
    pub role: Role,
}

/// Who may read an objective: every member, except that employees see organisational objectives (6.2 wants
/// objectives communicated) and only their own personal ones (a manager's personal objective is about that
/// person's performance).
pub fn may_see(acting: Acting, kind: Kind, person: Option<UserId>) -> bool {
    acting.role != Role::Employee || kind == Kind::Organisational || person == Some(acting.user)
}

/// Who may record or withdraw measurements: the objective's owner, the ISMS manager and administrators.
pub fn may_measure(acting: Acting, owner: UserId) -> bool {
    matches!(acting.role, Role::Admin | Role::IsmsManager) || acting.user == owner
}

/// Who may own an objective: any member but an auditor, whose role is to stay independent and read-only.
pub fn may_own(role: Role) -> bool {
    role != Role::Auditor
}

#[cfg(test)]
mod tests;
