//! The choice of a meeting decision that the approve and appoint forms offer, and reading it back. Only the most
//! recent decisions are offered, so the forms stay cheap however many meetings an organisation holds.

use crate::db::{self, Conn};
use crate::domain::ids::OrgId;
use crate::domain::objective::date_text;
use crate::error::AppError;

/// How many of the most recent decisions a form offers.
pub const OFFERED: i64 = 50;

/// How much of a decision's text an option shows.
const TEXT_SHOWN: usize = 80;

/// A decision as a form's option: its id and "date · meeting · text".
#[derive(Debug, Clone)]
pub struct DecisionOption {
    pub id: i64,
    pub label: String,
}

/// The most recent decisions of `org`, newest first.
pub async fn offered(c: &mut Conn<'_>, org: OrgId) -> Result<Vec<DecisionOption>, AppError> {
    let rows = db::decision::recent(c, org, OFFERED).await?;
    Ok(rows
        .into_iter()
        .map(|d| {
            let mut text: String = d.text.chars().take(TEXT_SHOWN).collect();
            if d.text.chars().count() > TEXT_SHOWN {
                text.push('…');
            }
            DecisionOption {
                id: d.id.0, label: format!("{} · {} · {text}", date_text(d.decided_on), d.meeting_title)
            }
        })
        .collect())
}

/// Reads a form's `decision_id` field: empty for none.
pub fn chosen(text: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        given => given.parse().map(Some).map_err(|_| {
            AppError::Invalid(format!("'{given}' is not a decision number; choose a decision from the list or none"))
        }),
    }
}
