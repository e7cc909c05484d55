//! Communication (ISO/IEC 27001 7.4): what is communicated, how often, by whom, to whom and through which
//! channel; when each planned communication is next due; and how far a communication sent reached.

use super::Invalid;
use crate::clock::UnixTime;
use crate::domain::objective::day_of;

/// How often a planned communication goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// One communication on its date.
    Once,
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Cadence {
    pub const ALL: [Cadence; 5] =
        [Cadence::Once, Cadence::Monthly, Cadence::Quarterly, Cadence::HalfYearly, Cadence::Yearly];

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Once => "once",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::HalfYearly => "half_yearly",
            Cadence::Yearly => "yearly",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Cadence::Once => "once",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::HalfYearly => "every six months",
            Cadence::Yearly => "yearly",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim()).ok_or_else(|| {
            Invalid::new(format!("unknown frequency '{text}'; use once, monthly, quarterly, half_yearly or yearly"))
        })
    }

    /// Months between two communications; `None` for a one-off.
    pub fn months(self) -> Option<i32> {
        match self {
            Cadence::Once => None,
            Cadence::Monthly => Some(1),
            Cadence::Quarterly => Some(3),
            Cadence::HalfYearly => Some(6),
            Cadence::Yearly => Some(12),
        }
    }
}

/// The way a communication reaches people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Intranet,
    TownHall,
    Video,
    Newsletter,
    Meeting,
}

impl Channel {
    pub const ALL: [Channel; 6] =
        [Channel::Email, Channel::Intranet, Channel::TownHall, Channel::Video, Channel::Newsletter, Channel::Meeting];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Intranet => "intranet",
            Channel::TownHall => "town_hall",
            Channel::Video => "video",
            Channel::Newsletter => "newsletter",
            Channel::Meeting => "meeting",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "e-mail",
            Channel::Intranet => "intranet",
            Channel::TownHall => "town hall",
            Channel::Video => "video",
            Channel::Newsletter => "newsletter",
            Channel::Meeting => "meeting",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim()).ok_or_else(|| {
            Invalid::new(format!(
                "unknown channel '{text}'; use email, intranet, town_hall, video, newsletter or meeting"
            ))
        })
    }
}

/// The day `months` calendar months after the day `t` falls on; the 31st becomes the month's last day.
pub fn add_months(t: UnixTime, months: i32) -> UnixTime {
    let Ok(date) = time::OffsetDateTime::from_unix_timestamp(day_of(t)).map(|d| d.date()) else { return t };
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let Ok(month) = time::Month::try_from(month) else { return t };
    let day = date.day().min(time::util::days_in_month(month, year));
    time::Date::from_calendar_date(year, month, day).map_or(t, |d| d.midnight().assume_utc().unix_timestamp())
}

/// When a planned communication is next due: its first date until it has been sent once; after that, one period
/// after the latest communication. A one-off that was sent is never due again (`None`).
pub fn next_due(cadence: Cadence, first_due_on: UnixTime, last_sent: Option<UnixTime>) -> Option<UnixTime> {
    match (last_sent, cadence.months()) {
        (None, _) => Some(day_of(first_due_on)),
        (Some(_), None) => None,
        (Some(sent), Some(months)) => Some(add_months(sent, months)),
    }
}

/// Whether a communication due on `due` is overdue on `now`: its day has passed.
pub fn is_overdue(due: Option<UnixTime>, now: UnixTime) -> bool {
    due.is_some_and(|due| due < day_of(now))
}

/// The largest audience a person can type for an outside audience.
pub const MAX_AUDIENCE: i64 = 10_000_000;

/// Checks what is known of a communication's reach: counts are optional, never negative, and never more than
/// the audience.
pub fn check_reach(audience_size: i64, read: Option<i64>, acknowledged: Option<i64>) -> Result<(), Invalid> {
    if !(0..=MAX_AUDIENCE).contains(&audience_size) {
        return Err(Invalid::new(format!("the audience size must be between 0 and {MAX_AUDIENCE}")));
    }
    for (count, what) in [(read, "read"), (acknowledged, "acknowledged")] {
        match count {
            Some(n) if n < 0 => return Err(Invalid::new(format!("the {what} count must not be negative"))),
            Some(n) if n > audience_size => {
                return Err(Invalid::new(format!(
                    "the {what} count ({n}) is larger than the audience ({audience_size}); check the figures"
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// `part` of `whole` in per cent, when there is a whole to speak of.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// A rate as people read it: "87 %", or "—" when unknown.
pub fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), |r| format!("{} %", r.round()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::objective::parse_date;

    fn d(text: &str) -> UnixTime {
        parse_date(text, "date").unwrap()
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2026-11-15") + 3600, 3), d("2027-02-15"));
        assert_eq!(add_months(d("2026-12-01"), 12), d("2027-12-01"));
    }

    #[test]
    fn next_due_follows_the_latest_communication() {
        let first = d("2026-03-01");
        assert_eq!(next_due(Cadence::Quarterly, first, None), Some(first));
        assert_eq!(next_due(Cadence::Quarterly, first, Some(d("2026-03-10"))), Some(d("2026-06-10")));
        assert_eq!(next_due(Cadence::Monthly, first, Some(d("2026-05-31"))), Some(d("2026-06-30")));
        assert_eq!(next_due(Cadence::Once, first, None), Some(first));
        assert_eq!(next_due(Cadence::Once, first, Some(d("2026-03-02"))), None);
    }

    #[test]
    fn overdue_once_the_due_day_has_passed() {
        let due = Some(d("2026-06-10"));
        assert!(!is_overdue(due, d("2026-06-10") + 20 * 3600));
        assert!(is_overdue(due, d("2026-06-11")));
        assert!(!is_overdue(None, d("2030-01-01")));
    }

    #[test]
    fn reach_never_exceeds_the_audience() {
        assert!(check_reach(120, Some(120), Some(80)).is_ok());
        assert!(check_reach(120, None, None).is_ok());
        assert!(check_reach(120, Some(121), None).unwrap_err().0.contains("larger than the audience"));
        assert!(check_reach(120, None, Some(-1)).is_err());
        assert!(check_reach(-1, None, None).is_err());
        assert_eq!(rate_text(rate(87, 100)), "87 %");
        assert_eq!(rate_text(rate(1, 0)), "—");
    }

    #[test]
    fn names_round_trip() {
        for c in Cadence::ALL {
            assert_eq!(Cadence::parse(c.as_str()), Ok(c));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Ok(c));
        }
        assert!(Channel::parse("fax").is_err());
    }
}
