//! Awareness training (ISO/IEC 27001 7.2, 7.3): reading completions from CSV (`email,completed_on[,score]`)
//! row by row, with a message per bad row, and the rules of a completion.

use super::Invalid;
use super::identity::Email;
use super::objective::{date_text, day_of, parse_date};
use super::people_import::RowError;
use crate::clock::UnixTime;

/// The most rows one import takes.
pub const MAX_ROWS: usize = 50_000;

/// A completion read from a valid row.
#[derive(Debug, Clone, PartialEq)]
pub struct CompletionRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub email: String,
    pub completed_on: UnixTime,
    pub score: Option<f64>,
}

/// Reads a completions file: the valid rows and the errors per line, or one error about the file as a whole
/// (not UTF-8, not CSV, a column missing). `today` bounds the dates: nobody completes training tomorrow.
pub fn parse(bytes: &[u8], today: UnixTime) -> Result<(Vec<CompletionRow>, Vec<RowError>), String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "the file is not UTF-8 text; save it as CSV UTF-8 and try again".to_string())?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("the file is not readable CSV: {e}"))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
    let (Some(email_col), Some(date_col)) = (column("email"), column("completed_on")) else {
        return Err("the first line must name the columns: email, completed_on, and optionally score".into());
    };
    let score_col = column("score");
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        if index >= MAX_ROWS {
            return Err(format!("the file has more than {MAX_ROWS} rows; split it into several imports"));
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(RowError { line, message: format!("unreadable row: {e}") });
                continue;
            }
        };
        let field = |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("");
        match check_row(line, field(Some(email_col)), field(Some(date_col)), field(score_col), today) {
            Ok(row) => match seen.insert(row.email.clone(), line) {
                Some(first) => {
                    errors.push(RowError { line, message: format!("{} is already on line {first}", row.email) })
                }
                None => rows.push(row),
            },
            Err(message) => errors.push(RowError { line, message }),
        }
    }
    Ok((rows, errors))
}

fn check_row(line: usize, email: &str, date: &str, score: &str, today: UnixTime) -> Result<CompletionRow, String> {
    let email = Email::parse(email).map_err(|e| format!("email: {e}"))?;
    if date.trim().is_empty() {
        return Err("completed_on is empty; give the date the course was completed (YYYY-MM-DD)".into());
    }
    let completed_on =
        parse_date(date, "completed_on").and_then(|on| check_completed_on(on, today)).map_err(|e| e.0)?;
    let score = match score.trim() {
        "" => None,
        given => {
            let score = given.parse::<f64>().map_err(|_| format!("score '{given}' is not a number"))?;
            Some(check_score(score).map_err(|e| e.0)?)
        }
    };
    Ok(CompletionRow { line, email: email.as_str().to_string(), completed_on, score })
}

/// Checks a completion date: not after `today`.
pub fn check_completed_on(on: UnixTime, today: UnixTime) -> Result<UnixTime, Invalid> {
    let on = day_of(on);
    if on > day_of(today) {
        return Err(Invalid::new(format!(
            "completed_on {} is in the future; record completions once they have happened",
            date_text(on)
        )));
    }
    Ok(on)
}

/// Checks a score: a percentage from 0 to 100.
pub fn check_score(score: f64) -> Result<f64, Invalid> {
    if score.is_finite() && (0.0..=100.0).contains(&score) {
        Ok(score)
    } else {
        Err(Invalid::new("the score is a percentage from 0 to 100"))
    }
}

/// Whether an enrolment is overdue: not completed and the due day has passed.
pub fn is_overdue(completed_on: Option<UnixTime>, due_on: UnixTime, now: UnixTime) -> bool {
    completed_on.is_none() && day_of(due_on) < day_of(now)
}

/// Checks a campaign's due date: not before the day it is launched, and within two years.
pub fn check_due(due_on: UnixTime, launched: UnixTime) -> Result<UnixTime, Invalid> {
    let due = day_of(due_on);
    if due < day_of(launched) {
        return Err(Invalid::new("the due date must not be before the day the campaign is launched"));
    }
    if due > launched + 730 * 86_400 {
        return Err(Invalid::new("the due date must be within two years of the launch"));
    }
    Ok(due)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> UnixTime {
        parse_date("2026-11-23", "today").unwrap()
    }

    #[test]
    fn a_good_file_reads_in_any_column_order() {
        let text = "completed_on,Email,score\n2026-11-01,ada@x.test,88\n2026-11-23,bob@x.test,\n";
        let (rows, errors) = parse(text.as_bytes(), today()).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].score, Some(88.0));
        assert_eq!(rows[1].score, None);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn each_bad_row_says_what_is_wrong() {
        let text = "email,completed_on,score\nnot-an-email,2026-11-01,\nb@x.test,01/11/2026,\n\
                    c@x.test,2026-12-01,\nd@x.test,2026-11-02,120\ne@x.test,2026-11-02,\nE@x.test,2026-11-03,\n\
                    f@x.test,,\n";
        let (rows, errors) = parse(text.as_bytes(), today()).unwrap();
        assert_eq!(rows.len(), 1);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 7, 8], "{errors:?}");
        assert!(errors[1].message.contains("not a date"), "{errors:?}");
        assert!(errors[2].message.contains("in the future"), "{errors:?}");
        assert!(errors[3].message.contains("0 to 100"), "{errors:?}");
        assert!(errors[4].message.contains("already on line 6"), "{errors:?}");
    }

    #[test]
    fn a_broken_file_is_refused_whole() {
        assert!(parse(b"email,score\na@x.test,1\n", today()).unwrap_err().contains("completed_on"));
        assert!(parse(b"email,completed_on\n\xff\xfe@x.test,2026-11-01\n", today()).unwrap_err().contains("UTF-8"));
        assert!(parse(b"", today()).is_err());
    }

    #[test]
    fn overdue_and_due_dates() {
        let now = today();
        assert!(is_overdue(None, now - 86_400, now));
        assert!(!is_overdue(None, now, now + 3600));
        assert!(!is_overdue(Some(now), now - 86_400 * 3, now));
        assert!(check_due(now - 86_400, now).is_err());
        assert!(check_due(now + 30 * 86_400, now).is_ok());
    }
}
