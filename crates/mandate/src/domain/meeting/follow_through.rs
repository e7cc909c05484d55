//! Follow-through: of the actions whose outcome is known (done, or still open past their due date), the share
//! done on or before the day they were due. Actions not yet due are pending and do not count either way; cancelled
//! ones (each with its reason) are left out. The counts are taken in SQL (`db::meeting_action::follow_through`).

/// Counts of actions by outcome, for a decision, a meeting or a person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct FollowThrough {
    pub on_time: i64,
    pub late: i64,
    pub overdue: i64,
    pub pending: i64,
    pub cancelled: i64,
}

impl FollowThrough {
    /// Every action, whatever its outcome.
    pub fn total(&self) -> i64 {
        self.on_time + self.late + self.overdue + self.pending + self.cancelled
    }

    /// The actions whose outcome is known: done (on time or late) or overdue.
    pub fn counted(&self) -> i64 {
        self.on_time + self.late + self.overdue
    }

    /// The share done on time, in whole percent (rounded down, so 99.6 % never shows as 100 %); `None` when no
    /// action counts yet.
    pub fn percent(&self) -> Option<i64> {
        (self.counted() > 0).then(|| self.on_time * 100 / self.counted())
    }

    /// The figure in words, honest about when there is nothing to count.
    pub fn summary(&self) -> String {
        match (self.total(), self.percent()) {
            (0, _) => "no actions".into(),
            (_, None) if self.pending > 0 => format!("{} not yet due", self.pending),
            (_, None) => "all actions cancelled".into(),
            (_, Some(percent)) => {
                let mut text = format!("{percent} % on time ({} of {})", self.on_time, self.counted());
                if self.pending > 0 {
                    text += &format!(", {} not yet due", self.pending);
                }
                text
            }
        }
    }
}
