//! Top management's personal involvement (ISO/IEC 27001 5.1): what a manager did in person — joined an audit,
//! visited a workplace, opened a training session — when, where, and who wrote it down. A manager logging
//! their own involvement is the normal case; the ISMS manager may log it on their behalf, and that stays
//! visible, because a manager's own record weighs more than one made for them.

use super::Invalid;
use super::role::Role;
use crate::clock::UnixTime;

/// What a manager did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    JoinedAudit,
    WorkplaceVisit,
    LedImprovement,
    OpenedTraining,
    ChairedReview,
    SpokeAboutSecurity,
    SponsoredCampaign,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::JoinedAudit,
        Kind::WorkplaceVisit,
        Kind::LedImprovement,
        Kind::OpenedTraining,
        Kind::ChairedReview,
        Kind::SpokeAboutSecurity,
        Kind::SponsoredCampaign,
        Kind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::JoinedAudit => "joined_audit",
            Kind::WorkplaceVisit => "workplace_visit",
            Kind::LedImprovement => "led_improvement",
            Kind::OpenedTraining => "opened_training",
            Kind::ChairedReview => "chaired_review",
            Kind::SpokeAboutSecurity => "spoke_about_security",
            Kind::SponsoredCampaign => "sponsored_campaign",
            Kind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::JoinedAudit => "Joined an audit",
            Kind::WorkplaceVisit => "Workplace visit",
            Kind::LedImprovement => "Led an improvement project",
            Kind::OpenedTraining => "Opened a training session",
            Kind::ChairedReview => "Chaired an ISMS review",
            Kind::SpokeAboutSecurity => "Spoke about security",
            Kind::SponsoredCampaign => "Sponsored a campaign",
            Kind::Other => "Other",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim()).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|k| k.as_str()).collect();
            Invalid::new(format!("unknown kind of involvement '{}'; use one of {}", text.trim(), names.join(", ")))
        })
    }
}

/// The longest place and notes.
pub const PLACE_MAX: usize = 200;
pub const NOTES_MAX: usize = 2000;

/// Checks that the person the involvement is about is a top manager.
pub fn check_subject(role: Role, email: &str) -> Result<(), Invalid> {
    if role == Role::TopManagement {
        Ok(())
    } else {
        Err(Invalid::new(format!(
            "{email} is not a member of top management; personal involvement is logged only for top managers"
        )))
    }
}

/// Whether `by` (with `role`) may log involvement for `manager`: top managers log their own; the ISMS manager
/// and administrators log on a manager's behalf.
pub fn may_record(role: Role, by: super::ids::UserId, manager: super::ids::UserId) -> bool {
    match role {
        Role::TopManagement => by == manager,
        Role::IsmsManager | Role::Admin => true,
        Role::Auditor | Role::Employee => false,
    }
}

/// Checks the day it happened: not after today.
pub fn check_day(day: UnixTime, now: UnixTime) -> Result<UnixTime, Invalid> {
    let day = super::objective::day_of(day);
    if day > super::objective::day_of(now) {
        return Err(Invalid::new("the date is in the future; log involvement once it has happened"));
    }
    Ok(day)
}

/// The first day of the month `t` falls in, as (year, month).
pub fn month_of(t: UnixTime) -> (i32, u8) {
    let date = time::OffsetDateTime::from_unix_timestamp(t).map_or(time::Date::MIN, |d| d.date());
    (date.year(), date.month() as u8)
}

/// The twelve months ending with the month of `now`, oldest first.
pub fn last_twelve_months(now: UnixTime) -> Vec<(i32, u8)> {
    let (mut year, mut month) = month_of(now);
    let mut months = Vec::with_capacity(12);
    for _ in 0..12 {
        months.push((year, month));
        if month == 1 {
            year -= 1;
            month = 12;
        } else {
            month -= 1;
        }
    }
    months.reverse();
    months
}

/// Counts per month over [`last_twelve_months`]; days outside them are left out.
pub fn monthly_counts(days: impl Iterator<Item = UnixTime>, now: UnixTime) -> Vec<((i32, u8), usize)> {
    let mut counts: Vec<((i32, u8), usize)> = last_twelve_months(now).into_iter().map(|m| (m, 0)).collect();
    for day in days {
        let month = month_of(day);
        if let Some(slot) = counts.iter_mut().find(|(m, _)| *m == month) {
            slot.1 += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::UserId;

    #[test]
    fn kinds_round_trip_and_unknown_ones_are_refused() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Ok(kind));
        }
        assert!(Kind::parse("golf").unwrap_err().0.contains("workplace_visit"));
    }

    #[test]
    fn only_top_managers_are_subjects_and_they_log_their_own() {
        assert!(check_subject(Role::TopManagement, "ceo@x.test").is_ok());
        let refused = check_subject(Role::IsmsManager, "ciso@x.test").unwrap_err().0;
        assert!(refused.contains("ciso@x.test is not a member of top management"));
        let (ceo, cfo) = (UserId(1), UserId(2));
        assert!(may_record(Role::TopManagement, ceo, ceo));
        assert!(!may_record(Role::TopManagement, ceo, cfo));
        assert!(may_record(Role::IsmsManager, UserId(3), cfo));
        assert!(!may_record(Role::Auditor, UserId(4), cfo));
    }

    #[test]
    fn dates_not_in_the_future() {
        let now = 1_795_392_000 + 3600;
        assert_eq!(check_day(now, now), Ok(1_795_392_000));
        assert!(check_day(now + 86_400, now).is_err());
    }

    #[test]
    fn twelve_months_end_with_this_one() {
        // 2026-11-23
        let now = 1_795_392_000;
        let months = last_twelve_months(now);
        assert_eq!(months.first(), Some(&(2025, 12)));
        assert_eq!(months.last(), Some(&(2026, 11)));
        let counts = monthly_counts([now, now - 86_400 * 30, now - 86_400 * 400].into_iter(), now);
        assert_eq!(counts[11].1, 1);
        assert_eq!(counts[10].1, 1);
        assert_eq!(counts.iter().map(|c| c.1).sum::<usize>(), 2, "older days fall outside");
    }
}
