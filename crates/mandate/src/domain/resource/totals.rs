//! Promised versus actual over many commitments: money per currency (amounts in different currencies are
//! never added together) and person-days.

use super::Status;
use std::collections::BTreeMap;

/// Sums for one currency, or for person-days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sums {
    /// Asked for and still waiting for a decision.
    pub pending: i64,
    /// Approved (promised), on approved and closed commitments.
    pub promised: i64,
    /// Spent, net of reversals.
    pub spent: i64,
}

impl Sums {
    fn add(&mut self, status: Status, requested: i64, approved: i64, spent: i64) {
        match status {
            Status::Requested => self.pending += requested,
            Status::Approved | Status::Closed => {
                self.promised += approved;
                self.spent += spent;
            }
            Status::Refused => {}
        }
    }
}

/// Promised versus actual over a set of commitments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    /// Money by ISO 4217 code, in minor units.
    pub money: BTreeMap<String, Sums>,
    /// Person-days, in hundredths.
    pub days_x100: Sums,
}

/// One commitment's share of the totals.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub status: Status,
    pub currency: &'a str,
    pub requested_minor: i64,
    pub approved_minor: i64,
    pub spent_minor: i64,
    pub requested_days_x100: i64,
    pub approved_days_x100: i64,
    pub spent_days_x100: i64,
}

impl Totals {
    /// Adds one commitment. A currency appears once money was asked for in it.
    pub fn add(&mut self, line: Line<'_>) {
        if line.requested_minor > 0 || line.approved_minor > 0 || line.spent_minor != 0 {
            self.money.entry(line.currency.to_string()).or_default().add(
                line.status,
                line.requested_minor,
                line.approved_minor,
                line.spent_minor,
            );
        }
        self.days_x100.add(line.status, line.requested_days_x100, line.approved_days_x100, line.spent_days_x100);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(status: Status, currency: &str, requested: i64, approved: i64, spent: i64) -> Line<'_> {
        Line {
            status,
            currency,
            requested_minor: requested,
            approved_minor: approved,
            spent_minor: spent,
            requested_days_x100: requested / 100,
            approved_days_x100: approved / 100,
            spent_days_x100: spent / 100,
        }
    }

    #[test]
    fn currencies_are_never_mixed_and_refusals_do_not_count() {
        let mut totals = Totals::default();
        totals.add(line(Status::Approved, "EUR", 50_000, 40_000, 10_000));
        totals.add(line(Status::Closed, "EUR", 20_000, 20_000, 15_000));
        totals.add(line(Status::Requested, "EUR", 7_000, 0, 0));
        totals.add(line(Status::Refused, "EUR", 99_000, 0, 0));
        totals.add(line(Status::Approved, "USD", 1_000, 1_000, 0));
        assert_eq!(totals.money["EUR"], Sums { pending: 7_000, promised: 60_000, spent: 25_000 });
        assert_eq!(totals.money["USD"], Sums { pending: 0, promised: 1_000, spent: 0 });
        assert_eq!(totals.days_x100, Sums { pending: 70, promised: 610, spent: 250 });
    }

    #[test]
    fn time_only_commitments_add_no_currency() {
        let mut totals = Totals::default();
        totals.add(Line { requested_days_x100: 500, ..line(Status::Requested, "EUR", 0, 0, 0) });
        assert!(totals.money.is_empty());
        assert_eq!(totals.days_x100.pending, 500);
    }
}
