//! The JSON shapes of the resources API: commitments with promised versus actual and flags, entries, totals.
//! Amounts travel as decimal strings ("12500.00") beside exact integers, never as floats.

use super::cited_decision::CitedDecision;
use crate::clock::rfc3339;
use crate::db::resource::entry::EntryRow;
use crate::domain::ids::{CommitmentId, EvidenceId, ResourceEntryId, UserId};
use crate::domain::resource::money::{digits_of, plain_decimal};
use crate::domain::resource::totals::Totals;
use crate::domain::resource::{Disposition, Flag, Status, show_date};
use crate::resources::register::Summary;

/// Money and time, each exact (integers) and as decimal text.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Amounts {
    /// Money in minor units of the commitment's currency (cents for EUR).
    pub amount_minor: i64,
    /// The same money as a decimal string, e.g. "12500.00".
    pub amount: String,
    /// People's time in hundredths of a person-day.
    pub person_days_x100: i64,
    /// The same time as a decimal string, e.g. "2.50".
    pub person_days: String,
}

impl Amounts {
    pub fn new(minor: i64, days_x100: i64, currency: &str) -> Self {
        Self {
            amount_minor: minor,
            amount: plain_decimal(minor, digits_of(currency)),
            person_days_x100: days_x100,
            person_days: plain_decimal(days_x100, 2),
        }
    }
}

/// A person named on a record.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PersonRef {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub name: String,
}

/// Top management's decision on a request.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DecisionView {
    pub decided_by: PersonRef,
    pub decided_at: String,
    /// The decision it rests on (minutes, resolution number).
    pub decision_ref: String,
    /// Why it was refused; null for an approval.
    pub refusal_reason: Option<String>,
}

/// How a commitment was closed.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ClosingView {
    pub closed_by: PersonRef,
    pub closed_at: String,
    /// Approved money left unspent at closing, in minor units, and as a decimal string.
    pub unspent_minor: i64,
    pub unspent: String,
    /// What happened to it.
    pub disposition: Disposition,
    pub note: String,
}

/// A commitment with promised versus actual and its flags.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CommitmentView {
    #[schema(value_type = i64)]
    pub id: CommitmentId,
    pub title: String,
    pub purpose: String,
    pub initiative: String,
    pub objective_id: Option<i64>,
    pub status: Status,
    /// ISO 4217 code of every amount of this commitment.
    pub currency: String,
    /// YYYY-MM-DD; spending on or before this day counts as on time.
    pub due_on: String,
    pub requested_by: PersonRef,
    pub requested: Amounts,
    /// What top management approved (promised); null until approved.
    pub approved: Option<Amounts>,
    /// Spent so far, net of reversals (actual).
    pub spent: Amounts,
    /// Spent on entries dated on or before the due date.
    pub spent_by_due: Amounts,
    pub decision: Option<DecisionView>,
    /// The meeting decision the approval rests on, if one is cited.
    pub meeting_decision: Option<CitedDecision>,
    pub closing: Option<ClosingView>,
    /// Stable codes: `underspent`, `behind_plan`, `redirected`.
    pub flags: Vec<Flag>,
    pub entry_count: i64,
    pub requested_at: String,
}

impl From<Summary> for CommitmentView {
    fn from(s: Summary) -> Self {
        let line = s.line;
        let r = line.row;
        let cur = r.currency.clone();
        let meeting_decision = CitedDecision::of(r.decision_id, &line.cite);
        let decision = match (r.decided_by, r.decided_at) {
            (Some(id), Some(at)) => Some(DecisionView {
                decided_by: PersonRef { id, name: line.decider_name.unwrap_or_default() },
                decided_at: rfc3339(at),
                decision_ref: r.decision_ref.unwrap_or_default(),
                refusal_reason: r.refusal_reason,
            }),
            _ => None,
        };
        let closing = match (r.closed_by, r.closed_at) {
            (Some(id), Some(at)) => Some(ClosingView {
                closed_by: PersonRef { id, name: line.closer_name.unwrap_or_default() },
                closed_at: rfc3339(at),
                unspent_minor: r.unspent_minor.unwrap_or(0),
                unspent: plain_decimal(r.unspent_minor.unwrap_or(0), digits_of(&cur)),
                disposition: r
                    .disposition
                    .as_deref()
                    .and_then(|d| Disposition::parse(d).ok())
                    .unwrap_or(Disposition::None),
                note: r.close_note.unwrap_or_default(),
            }),
            _ => None,
        };
        Self {
            id: r.id,
            title: r.title,
            purpose: r.purpose,
            initiative: r.initiative,
            objective_id: r.objective_id,
            status: s.status,
            due_on: show_date(r.due_on),
            requested_by: PersonRef { id: r.requested_by, name: line.requester_name },
            requested: Amounts::new(r.requested_minor, r.requested_days_x100, &cur),
            approved: r.approved_minor.map(|m| Amounts::new(m, r.approved_days_x100.unwrap_or(0), &cur)),
            spent: Amounts::new(line.spent_minor, line.spent_days_x100, &cur),
            spent_by_due: Amounts::new(line.spent_by_due_minor, line.spent_by_due_days_x100, &cur),
            decision,
            meeting_decision,
            closing,
            flags: s.flags,
            entry_count: line.entry_count,
            requested_at: rfc3339(r.created_at),
            currency: cur,
        }
    }
}

/// Promised versus actual in one currency (requested and undecided, approved, spent).
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MoneyTotals {
    pub currency: String,
    pub pending: String,
    pub promised: String,
    pub spent: String,
    pub pending_minor: i64,
    pub promised_minor: i64,
    pub spent_minor: i64,
}

/// Promised versus actual in person-days.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TimeTotals {
    pub pending: String,
    pub promised: String,
    pub spent: String,
    pub pending_x100: i64,
    pub promised_x100: i64,
    pub spent_x100: i64,
}

/// A page of the register, with totals over every matching commitment.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CommitmentList {
    pub items: Vec<CommitmentView>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    /// Money per currency; currencies are never added together.
    pub totals: Vec<MoneyTotals>,
    pub person_days: TimeTotals,
    /// The organisation's share (%) of approved resources that must be spent by the due date.
    pub underspent_percent: i64,
}

pub fn money_totals(totals: &Totals) -> Vec<MoneyTotals> {
    let text = |v: i64, code: &str| plain_decimal(v, digits_of(code));
    totals
        .money
        .iter()
        .map(|(code, s)| MoneyTotals {
            currency: code.clone(),
            pending: text(s.pending, code),
            promised: text(s.promised, code),
            spent: text(s.spent, code),
            pending_minor: s.pending,
            promised_minor: s.promised,
            spent_minor: s.spent,
        })
        .collect()
}

/// A spending or time entry, or a counter-entry reversing one.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EntryView {
    #[schema(value_type = i64)]
    pub id: ResourceEntryId,
    #[schema(value_type = i64)]
    pub commitment_id: CommitmentId,
    /// YYYY-MM-DD.
    pub spent_on: String,
    /// Negative on a counter-entry.
    pub spent: Amounts,
    pub person: PersonRef,
    pub note: String,
    #[schema(value_type = Option<i64>)]
    pub reverses: Option<ResourceEntryId>,
    #[schema(value_type = Option<i64>)]
    pub reversed_by: Option<ResourceEntryId>,
    pub recorded_by: PersonRef,
    pub recorded_at: String,
    /// Current evidence attached to this entry (record_type `resource_entry`), e.g. the invoice.
    #[schema(value_type = Vec<i64>)]
    pub evidence: Vec<EvidenceId>,
}

impl EntryView {
    pub fn of(row: EntryRow, currency: &str, evidence: Vec<EvidenceId>) -> Self {
        Self {
            id: row.id,
            commitment_id: row.commitment_id,
            spent_on: show_date(row.spent_on),
            spent: Amounts::new(row.amount_minor, row.days_x100, currency),
            person: PersonRef { id: row.person_id, name: row.person_name },
            note: row.note,
            reverses: row.reverses,
            reversed_by: row.reversed_by,
            recorded_by: PersonRef { id: row.recorded_by, name: row.recorder_name },
            recorded_at: rfc3339(row.recorded_at),
            evidence,
        }
    }
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EntryList {
    pub items: Vec<EntryView>,
    pub total: i64,
}
