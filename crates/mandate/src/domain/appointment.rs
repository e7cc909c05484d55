//! Appointments to catalogue roles (ISO/IEC 27001 5.3): top management assigns a person to a role from a date,
//! optionally until a date, with deputies. Dates are whole days (midnight UTC). An appointment is held from
//! `appointed_on` up to, not including, `ends_on`: an appointment that "ended on 31 March" no longer holds on
//! that day, so ending one today takes effect at once.

use super::Invalid;
use super::ids::UserId;
use crate::clock::UnixTime;

const DAY: i64 = 86_400;
/// The most deputies one appointment may name.
pub const MAX_DEPUTIES: usize = 5;
/// How far ahead an appointment may be recorded (a decision taken now for next year's CISO).
const MAX_AHEAD_DAYS: i64 = 366;

/// Where an appointment stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Decided, but it starts on a later day.
    Planned,
    /// The person holds the role now.
    Current,
    /// It has ended; kept as history.
    Ended,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Current => "current",
            Status::Ended => "ended",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        [Status::Planned, Status::Current, Status::Ended]
            .into_iter()
            .find(|s| s.as_str() == text.trim())
            .ok_or_else(|| Invalid::new(format!("unknown status '{text}'; use planned, current or ended")))
    }
}

/// The start (midnight UTC) of the day `t` falls in.
pub fn day_of(t: UnixTime) -> UnixTime {
    t.div_euclid(DAY) * DAY
}

/// Where an appointment stands at `now`. `ended_at` is when an end was recorded: a planned appointment that was
/// cancelled has ended although its end day has not come.
pub fn status(appointed_on: UnixTime, ends_on: Option<UnixTime>, ended_at: Option<UnixTime>, now: UnixTime) -> Status {
    if ended_at.is_some() || ends_on.is_some_and(|end| end <= now) {
        Status::Ended
    } else if appointed_on > now {
        Status::Planned
    } else {
        Status::Current
    }
}

/// Parses a `YYYY-MM-DD` date (whole days only) for the field `what`.
pub fn parse_date(text: &str, what: &str) -> Result<UnixTime, Invalid> {
    let text = text.trim();
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format)
        .map(|d| d.midnight().assume_utc().unix_timestamp())
        .map_err(|_| Invalid::new(format!("{what} '{text}' is not a date; use YYYY-MM-DD, e.g. 2026-11-23")))
}

/// Formats a day as `YYYY-MM-DD`.
pub fn format_date(t: UnixTime) -> String {
    crate::clock::format_utc(t).chars().take(10).collect()
}

/// Checks the dates of a new appointment: it may be recorded after the fact, or up to a year ahead, and a
/// planned end comes after the start.
pub fn check_dates(appointed_on: UnixTime, ends_on: Option<UnixTime>, now: UnixTime) -> Result<(), Invalid> {
    if appointed_on > day_of(now) + MAX_AHEAD_DAYS * DAY {
        return Err(Invalid::new("appointed_on is more than a year ahead; record the appointment closer to its start"));
    }
    if let Some(end) = ends_on
        && end <= appointed_on
    {
        return Err(Invalid::new(format!(
            "ends_on ({}) must be after appointed_on ({})",
            format_date(end),
            format_date(appointed_on)
        )));
    }
    Ok(())
}

/// Why a change to an appointment was refused: bad input (422) or the appointment's state (409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Invalid(String),
    State(String),
}

/// Checks that an appointment at `now` may still be changed (deputies, decision, planned end).
pub fn check_changeable(ends_on: Option<UnixTime>, ended_at: Option<UnixTime>, now: UnixTime) -> Result<(), Refusal> {
    let ended = ended_at.is_some() || ends_on.is_some_and(|end| end <= now);
    if !ended {
        return Ok(());
    }
    let on = ends_on.map(|end| format!(" on {}", format_date(end))).unwrap_or_default();
    Err(Refusal::State(format!(
        "this appointment ended{on}; it is kept as history and can no longer be changed or ended again — record a new appointment instead"
    )))
}

/// Checks a new planned end for an appointment that has not ended: a later day than today and than its start.
/// Ending it now is a separate step (`end`), so the ledger says who ended it and why.
pub fn check_planned_end(appointed_on: UnixTime, ends_on: UnixTime, now: UnixTime) -> Result<(), Invalid> {
    if ends_on <= day_of(now) {
        return Err(Invalid::new("a planned end must be after today; to end the appointment now, use end"));
    }
    check_dates(appointed_on, Some(ends_on), now)
}

/// The day an appointment ends when it is ended on `ended_on` (today when not given). It may not already have
/// ended (409), and the end may be neither in the future nor before the start (422). A planned appointment
/// ended before it starts is cancelled: it ends on its first day and is never held.
pub fn check_end(
    appointed_on: UnixTime,
    ends_on: Option<UnixTime>,
    ended_at: Option<UnixTime>,
    ended_on: Option<UnixTime>,
    now: UnixTime,
) -> Result<UnixTime, Refusal> {
    check_changeable(ends_on, ended_at, now)?;
    let today = day_of(now);
    match ended_on {
        None => Ok(today.max(appointed_on)),
        Some(day) if day > today => Err(Refusal::Invalid(
            "ended_on is in the future; to plan the end of an appointment, set its ends_on instead".into(),
        )),
        Some(day) if day < appointed_on => Err(Refusal::Invalid(format!(
            "ended_on ({}) is before the appointment started ({})",
            format_date(day),
            format_date(appointed_on)
        ))),
        Some(day) => Ok(day),
    }
}

/// Checks a list of deputies: not the holder, at most [`MAX_DEPUTIES`]; duplicates are dropped.
pub fn check_deputies(holder: UserId, deputies: &[UserId]) -> Result<Vec<UserId>, Invalid> {
    let mut out: Vec<UserId> = Vec::with_capacity(deputies.len());
    for deputy in deputies {
        if *deputy == holder {
            return Err(Invalid::new("the person appointed cannot be their own deputy; name someone else"));
        }
        if !out.contains(deputy) {
            out.push(*deputy);
        }
    }
    if out.len() > MAX_DEPUTIES {
        return Err(Invalid::new(format!("name at most {MAX_DEPUTIES} deputies")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOV_23: UnixTime = 1_795_392_000; // 2026-11-23

    #[test]
    fn status_follows_the_days() {
        let noon = NOV_23 + 12 * 3600;
        assert_eq!(status(NOV_23, None, None, noon), Status::Current);
        assert_eq!(status(NOV_23 + DAY, None, None, noon), Status::Planned);
        assert_eq!(status(NOV_23 - DAY, Some(NOV_23), None, noon), Status::Ended, "ended today: no longer held");
        assert_eq!(status(NOV_23 - DAY, Some(NOV_23 + DAY), None, noon), Status::Current);
        assert_eq!(status(NOV_23 + DAY, Some(NOV_23 + DAY), Some(noon), noon), Status::Ended, "cancelled");
        assert_eq!(Status::parse("ended"), Ok(Status::Ended));
        assert!(Status::parse("gone").is_err());
    }

    #[test]
    fn dates_parse_as_whole_days() {
        assert_eq!(parse_date(" 2026-11-23 ", "appointed_on"), Ok(NOV_23));
        assert!(parse_date("23.11.2026", "appointed_on").unwrap_err().0.contains("YYYY-MM-DD"));
        assert_eq!(format_date(NOV_23 + 5), "2026-11-23");
        assert_eq!(day_of(NOV_23 + 86_399), NOV_23);
    }

    #[test]
    fn new_appointments_end_after_they_start_and_are_not_far_ahead() {
        assert!(check_dates(NOV_23 - 300 * DAY, None, NOV_23).is_ok());
        assert!(check_dates(NOV_23, Some(NOV_23), NOV_23).unwrap_err().0.contains("must be after"));
        assert!(check_dates(NOV_23 + 400 * DAY, None, NOV_23).is_err());
        assert!(check_planned_end(NOV_23 - DAY, NOV_23, NOV_23 + 10).is_err(), "today is not a planned end");
        assert!(check_planned_end(NOV_23 - DAY, NOV_23 + DAY, NOV_23).is_ok());
    }

    #[test]
    fn ending_is_refused_out_of_order() {
        let now = NOV_23 + 3600;
        let start = NOV_23 - 10 * DAY;
        assert_eq!(check_end(start, None, None, None, now), Ok(NOV_23));
        assert_eq!(check_end(start, Some(NOV_23 + 30 * DAY), None, Some(NOV_23 - DAY), now), Ok(NOV_23 - DAY));
        let Err(Refusal::State(message)) = check_end(start, Some(NOV_23), Some(now), None, now) else { panic!() };
        assert!(message.contains("ended on 2026-11-23"), "{message}");
        assert!(matches!(check_end(start, Some(NOV_23 - DAY), None, None, now), Err(Refusal::State(_))), "lapsed");
        assert!(matches!(check_end(start, None, None, Some(NOV_23 + DAY), now), Err(Refusal::Invalid(_))));
        assert!(matches!(check_end(start, None, None, Some(start - DAY), now), Err(Refusal::Invalid(_))));
        // A planned appointment ended before it starts is cancelled on its first day.
        assert_eq!(check_end(NOV_23 + 5 * DAY, None, None, None, now), Ok(NOV_23 + 5 * DAY));
    }

    #[test]
    fn deputies_are_other_people_and_few() {
        let holder = UserId(1);
        assert_eq!(check_deputies(holder, &[UserId(2), UserId(2), UserId(3)]).unwrap(), vec![UserId(2), UserId(3)]);
        assert!(check_deputies(holder, &[UserId(1)]).unwrap_err().0.contains("own deputy"));
        let many: Vec<_> = (2..9).map(UserId).collect();
        assert!(check_deputies(holder, &many).is_err());
    }
}
