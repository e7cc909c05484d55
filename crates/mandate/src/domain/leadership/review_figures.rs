//! The figures a review input is compiled into: each a labelled value with the records it counts, stored as a
//! JSON snapshot so the review keeps what it saw once it is closed, and compared with the previous review's.

use crate::domain::record_link;

/// A record a figure counts, by type and id, with a label.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct FigureRecord {
    pub record_type: String,
    pub id: i64,
    pub label: String,
}

impl FigureRecord {
    pub fn new(record_type: &str, id: i64, label: impl Into<String>) -> Self {
        Self { record_type: record_type.into(), id, label: label.into() }
    }

    /// The record's page, when it has one.
    pub fn url(&self) -> Option<String> {
        record_link::url(&self.record_type, self.id)
    }
}

/// Records listed per figure; beyond this the figure says how many more there are.
pub const RECORDS_MAX: usize = 25;

/// One figure of an input.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Figure {
    /// Stable within its input, so a later review's figure can be compared with it.
    pub key: String,
    pub label: String,
    /// The value as people read it ("62 %", "3 of 5").
    pub value: String,
    /// The number compared across reviews, when the figure has one.
    pub number: Option<f64>,
    pub records: Vec<FigureRecord>,
    /// Records counted but not listed.
    #[serde(default)]
    pub more: i64,
}

impl Figure {
    pub fn new(key: &str, label: &str, value: impl Into<String>, number: Option<f64>) -> Self {
        Self { key: key.into(), label: label.into(), value: value.into(), number, records: Vec::new(), more: 0 }
    }

    /// The figure with `records`, the first [`RECORDS_MAX`] listed and the rest counted.
    pub fn with_records(mut self, mut records: Vec<FigureRecord>) -> Self {
        if records.len() > RECORDS_MAX {
            self.more = (records.len() - RECORDS_MAX) as i64;
            records.truncate(RECORDS_MAX);
        }
        self.records = records;
        self
    }

    /// A count with its records.
    pub fn count(key: &str, label: &str, records: Vec<FigureRecord>) -> Self {
        let n = records.len();
        Figure::new(key, label, n.to_string(), Some(n as f64)).with_records(records)
    }
}

/// A share in whole percent, or `None` without a denominator.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| part * 100 / whole)
}

/// A percentage as text, honest about having nothing to divide by.
pub fn percent_text(part: i64, whole: i64) -> String {
    percent(part, whole).map_or_else(|| "none yet".into(), |p| format!("{p} % ({part} of {whole})"))
}

/// How a figure changed since the previous review: "62 → 78 (+16)"; `None` when either side has no number.
pub fn change(previous: &[Figure], current: &Figure) -> Option<String> {
    let before = previous.iter().find(|f| f.key == current.key)?;
    let (a, b) = (before.number?, current.number?);
    let delta = b - a;
    let sign = if delta > 0.0 { "+" } else { "" };
    Some(format!("{} → {} ({sign}{})", trim(a), trim(b), trim(delta)))
}

fn trim(v: f64) -> String {
    if v.fract().abs() < 1e-9 { format!("{}", v as i64) } else { format!("{v:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_compare_figures_with_the_same_key() {
        let before = vec![Figure::new("rate", "Follow-through", "62 %", Some(62.0))];
        let now = Figure::new("rate", "Follow-through", "78 %", Some(78.0));
        assert_eq!(change(&before, &now).as_deref(), Some("62 → 78 (+16)"));
        assert_eq!(change(&before, &Figure::new("other", "x", "1", Some(1.0))), None);
        assert_eq!(percent_text(1, 0), "none yet");
        assert_eq!(percent_text(1, 4), "25 % (1 of 4)");
    }

    #[test]
    fn long_record_lists_are_cut_and_counted() {
        let records = (0..30).map(|i| FigureRecord::new("objective", i, "o")).collect();
        let f = Figure::count("n", "n", records);
        assert_eq!((f.records.len(), f.more, f.value.as_str()), (RECORDS_MAX, 5, "30"));
    }
}
