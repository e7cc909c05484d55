//! Phishing simulations (ISO/IEC 27001 7.3): how far each recipient went, and the rates a simulation is judged
//! by. Results come from GoPhish's campaign results CSV (see [`gophish`]).
//!
//! How GoPhish's statuses are counted. GoPhish keeps, per recipient, the furthest stage reached:
//! `Email Sent` < `Email Opened` < `Clicked Link` < `Submitted Data`. Each stage counts in the stages below it
//! (someone who clicked also opened and was sent the e-mail). `Email Reported` (older GoPhish versions set it
//! as the status) counts as sent and reported. `Scheduled`, `Queued`, `Sending`, `Retrying` and `Unknown` mean
//! the e-mail has not gone out (yet): the row is kept and counted, but not as sent. `Error` and
//! `Error Sending Email` mean delivery failed: kept, counted as failed, not as sent. Any other status is refused.
//! Reported counts every row with `reported=true` whatever its status. Rates are shares of those sent.

pub mod gophish;

use super::Invalid;

/// The furthest stage a recipient reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Delivery failed (GoPhish `Error`).
    Failed,
    /// Not sent (yet): scheduled, queued, sending, retrying or unknown.
    NotSent,
    Sent,
    Opened,
    Clicked,
    Submitted,
}

impl Stage {
    /// The number stored for the stage.
    pub fn code(self) -> i64 {
        match self {
            Stage::Failed => -1,
            Stage::NotSent => 0,
            Stage::Sent => 1,
            Stage::Opened => 2,
            Stage::Clicked => 3,
            Stage::Submitted => 4,
        }
    }

    pub fn from_code(code: i64) -> Self {
        match code {
            -1 => Stage::Failed,
            1 => Stage::Sent,
            2 => Stage::Opened,
            3 => Stage::Clicked,
            4 => Stage::Submitted,
            _ => Stage::NotSent,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Failed => "delivery failed",
            Stage::NotSent => "not sent",
            Stage::Sent => "sent",
            Stage::Opened => "opened",
            Stage::Clicked => "clicked the link",
            Stage::Submitted => "submitted data",
        }
    }
}

/// GoPhish's statuses and how each is counted: (status, stage, whether the status itself says reported).
pub const STATUSES: &[(&str, Stage, bool)] = &[
    ("Email Sent", Stage::Sent, false),
    ("Email Opened", Stage::Opened, false),
    ("Clicked Link", Stage::Clicked, false),
    ("Submitted Data", Stage::Submitted, false),
    ("Email Reported", Stage::Sent, true),
    ("Scheduled", Stage::NotSent, false),
    ("Queued", Stage::NotSent, false),
    ("Sending", Stage::NotSent, false),
    ("Retrying", Stage::NotSent, false),
    ("Unknown", Stage::NotSent, false),
    ("Error", Stage::Failed, false),
    ("Error Sending Email", Stage::Failed, false),
];

/// The stage GoPhish's `status` means, and whether the status itself says the e-mail was reported.
pub fn stage_of(status: &str) -> Result<(Stage, bool), Invalid> {
    STATUSES.iter().find(|(name, _, _)| *name == status).map(|(_, stage, reported)| (*stage, *reported)).ok_or_else(
        || {
            let known: Vec<&str> = STATUSES.iter().map(|(name, _, _)| *name).collect();
            Invalid::new(format!("unknown status '{status}'; GoPhish writes one of: {}", known.join(", ")))
        },
    )
}

/// The counts of a simulation (or of a department within it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Tally {
    /// Every result row.
    pub results: i64,
    pub sent: i64,
    /// Opened, clicked or submitted.
    pub opened: i64,
    /// Clicked or submitted.
    pub clicked: i64,
    pub submitted: i64,
    /// Sent and `reported=true` (a report of a message never delivered is not counted, so the rate stays a
    /// share of those sent).
    pub reported: i64,
}

impl Tally {
    /// Counts one recipient.
    pub fn add(&mut self, stage: Stage, reported: bool) {
        self.results += 1;
        self.sent += i64::from(stage >= Stage::Sent);
        self.opened += i64::from(stage >= Stage::Opened);
        self.clicked += i64::from(stage >= Stage::Clicked);
        self.submitted += i64::from(stage >= Stage::Submitted);
        self.reported += i64::from(reported && stage >= Stage::Sent);
    }

    /// The rates as shares of those sent.
    pub fn rates(&self) -> Rates {
        let share = |n: i64| if self.sent == 0 { None } else { Some(n as f64 / self.sent as f64) };
        Rates {
            opened: share(self.opened),
            clicked: share(self.clicked),
            submitted: share(self.submitted),
            reported: share(self.reported),
        }
    }
}

/// Shares of those sent (0–1; `None` while nothing was sent).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Rates {
    pub opened: Option<f64>,
    pub clicked: Option<f64>,
    pub submitted: Option<f64>,
    pub reported: Option<f64>,
}

/// A share as people read it: `12.5 %`, or `—` when there is none.
pub fn percent(share: Option<f64>) -> String {
    match share {
        Some(s) => {
            let text = format!("{:.1}", s * 100.0);
            format!("{} %", text.strip_suffix(".0").unwrap_or(&text))
        }
        None => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_ordered_from_failure_to_submitting_data() {
        assert!(Stage::Failed < Stage::NotSent && Stage::NotSent < Stage::Sent);
        assert!(Stage::Sent < Stage::Opened && Stage::Opened < Stage::Clicked && Stage::Clicked < Stage::Submitted);
        for stage in [Stage::Failed, Stage::NotSent, Stage::Sent, Stage::Opened, Stage::Clicked, Stage::Submitted] {
            assert_eq!(Stage::from_code(stage.code()), stage);
        }
    }

    #[test]
    fn every_gophish_status_has_a_stage_and_others_are_refused() {
        assert_eq!(stage_of("Clicked Link").unwrap(), (Stage::Clicked, false));
        assert_eq!(stage_of("Email Reported").unwrap(), (Stage::Sent, true));
        assert_eq!(stage_of("Scheduled").unwrap(), (Stage::NotSent, false));
        assert_eq!(stage_of("Error").unwrap(), (Stage::Failed, false));
        let refused = stage_of("clicked link").unwrap_err().0;
        assert!(refused.contains("unknown status 'clicked link'") && refused.contains("Submitted Data"), "{refused}");
    }

    #[test]
    fn a_stage_counts_in_every_stage_below_it_and_rates_are_shares_of_sent() {
        let mut tally = Tally::default();
        tally.add(Stage::Sent, false);
        tally.add(Stage::Opened, false);
        tally.add(Stage::Clicked, false);
        tally.add(Stage::Submitted, true);
        tally.add(Stage::NotSent, false);
        tally.add(Stage::Failed, true);
        assert_eq!(tally, Tally { results: 6, sent: 4, opened: 3, clicked: 2, submitted: 1, reported: 1 });
        let rates = tally.rates();
        assert_eq!(rates.opened, Some(0.75));
        assert_eq!(rates.clicked, Some(0.5));
        assert_eq!(rates.submitted, Some(0.25));
        assert_eq!(rates.reported, Some(0.25), "a report counts when the message was sent");
        assert_eq!(Tally::default().rates(), Rates::default(), "no rate while nothing was sent");
        assert_eq!(percent(Some(0.125)), "12.5 %");
        assert_eq!(percent(Some(0.07)), "7 %");
        assert_eq!(percent(None), "—");
    }
}
