//! Reading GoPhish's campaign results CSV, as its results export writes it: the header
//! `id,status,ip,latitude,longitude,send_date,reported,modified_date,email,first_name,last_name,position`, one
//! recipient per line, dates in RFC 3339 with an offset (sub-second digits allowed; GoPhish writes
//! `0001-01-01T00:00:00Z` for a date that never happened), `reported` as `true`/`false`.
//!
//! A file is taken whole or not at all: every problem is reported with its line, column, what is wrong and what
//! would be right, and a file with any problem yields no rows. The IP address and location are checked for form
//! but not kept: a simulation's rates do not need them.

use super::{Stage, stage_of};
use crate::clock::UnixTime;
use crate::domain::identity::Email;
use std::collections::HashMap;

/// The columns, in GoPhish's order.
pub const HEADER: [&str; 12] = [
    "id",
    "status",
    "ip",
    "latitude",
    "longitude",
    "send_date",
    "reported",
    "modified_date",
    "email",
    "first_name",
    "last_name",
    "position",
];

/// The most result rows one file may hold.
pub const MAX_ROWS: usize = 200_000;
/// The most problems reported; a file with more is reported with the first ones and a count.
pub const MAX_PROBLEMS: usize = 500;

/// One recipient's result, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultLine {
    /// The line of the file (the header is line 1).
    pub line: i64,
    pub gophish_id: String,
    pub status: String,
    pub stage: Stage,
    pub reported: bool,
    pub sent_at: Option<UnixTime>,
    pub modified_at: Option<UnixTime>,
    /// Lower-cased.
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub position: String,
}

/// Something wrong in the file, where, and what would be right.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// The line of the file (the header is line 1).
    pub line: usize,
    /// The column, when the problem is in one.
    pub column: Option<String>,
    pub problem: String,
    pub expected: String,
}

fn problem(line: usize, column: Option<&str>, what: impl Into<String>, expected: impl Into<String>) -> Problem {
    Problem { line, column: column.map(str::to_string), problem: what.into(), expected: expected.into() }
}

/// Reads a GoPhish date: `None` for an empty one or GoPhish's "never" (year 1).
pub fn parse_time(text: &str) -> Result<Option<UnixTime>, time::error::Parse> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)?;
    Ok((t.year() > 1).then(|| t.unix_timestamp()))
}

/// Decodes the file: UTF-8, with or without a byte-order mark. Every line holding bytes that are not UTF-8
/// is a problem.
fn decode(bytes: &[u8]) -> Result<&str, Vec<Problem>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text);
    }
    let (mut problems, mut line, mut last_line) = (Vec::new(), 1, 0);
    for chunk in bytes.utf8_chunks() {
        line += chunk.valid().matches('\n').count();
        if let Some(byte) = chunk.invalid().first()
            && line != last_line
            && problems.len() < MAX_PROBLEMS
        {
            problems.push(problem(
                line,
                None,
                format!("byte 0x{byte:02X} is not UTF-8 (the file looks like Latin-1 or Windows-1252)"),
                "a UTF-8 file: export the results from GoPhish again, or save the file as UTF-8",
            ));
            last_line = line;
        }
        line += chunk.invalid().iter().filter(|b| **b == b'\n').count();
    }
    Err(problems)
}

/// Checks the header: exactly GoPhish's twelve columns (in any order). Returns each column's position.
fn columns(header: &csv::StringRecord) -> Result<[usize; 12], Vec<Problem>> {
    let expected = format!("the header {}", HEADER.join(","));
    // One problem per stray column would let a header of millions of columns fill memory with its report.
    if header.len() > 2 * HEADER.len() {
        let what = format!("the header has {} columns; a GoPhish results file has {}", header.len(), HEADER.len());
        return Err(vec![problem(1, None, what, expected)]);
    }
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, name) in header.iter().enumerate() {
        if !HEADER.contains(&name) {
            let what = format!("column {} is named '{name}', which is not a GoPhish results column", index + 1);
            problems.push(problem(1, Some(name), what, expected.clone()));
        } else if seen.insert(name, index).is_some() {
            problems.push(problem(1, Some(name), format!("column '{name}' appears twice"), expected.clone()));
        }
    }
    for name in HEADER {
        if !seen.contains_key(name) {
            problems.push(problem(1, Some(name), format!("column '{name}' is missing"), expected.clone()));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(HEADER.map(|name| seen[name]))
}

/// Reads the file into result lines, or every problem found.
pub fn parse(bytes: &[u8]) -> Result<Vec<ResultLine>, Vec<Problem>> {
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(vec![problem(
            1,
            None,
            "the file is empty",
            format!("the header {} and one line per recipient", HEADER.join(",")),
        )]);
    }
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| vec![problem(1, None, format!("the header is not readable CSV: {e}"), "a CSV header line")])?;
    let at = columns(header)?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut emails: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                let what = match e.kind() {
                    csv::ErrorKind::UnequalLengths { len, .. } => format!("the line has {len} fields"),
                    _ => format!("the line is not readable CSV: {e}"),
                };
                problems.push(problem(line, None, what, "12 fields, one per column of the header"));
                continue;
            }
        };
        if rows.len() >= MAX_ROWS {
            return Err(vec![problem(
                0,
                None,
                format!("the file has more than {MAX_ROWS} results"),
                "split the campaign's results into several simulations",
            )]);
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |column: usize| record.get(at[column]).unwrap_or("");
        match check_line(line, &field) {
            Ok(row) => {
                let id_first = ids.insert(row.gophish_id.clone(), line);
                let email_first = emails.insert(row.email.clone(), line);
                if let Some(first) = id_first {
                    let what = format!("result id '{}' is already on line {first}", row.gophish_id);
                    problems.push(problem(
                        line,
                        Some("id"),
                        what,
                        "each result once: GoPhish gives every recipient its own id",
                    ));
                } else if let Some(first) = email_first {
                    let what = format!("{} is already on line {first}", row.email);
                    problems.push(problem(line, Some("email"), what, "each recipient once per campaign"));
                } else {
                    rows.push(row);
                }
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    if !problems.is_empty() {
        problems.truncate(MAX_PROBLEMS);
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(vec![problem(
            2,
            None,
            "the file has a header but no results",
            "one line per recipient under the header",
        )]);
    }
    Ok(rows)
}

/// Checks one line's fields; every problem of the line is reported.
fn check_line<'a>(line: usize, field: &dyn Fn(usize) -> &'a str) -> Result<ResultLine, Vec<Problem>> {
    let mut problems = Vec::new();
    let id = field(0);
    if id.is_empty() {
        problems.push(problem(line, Some("id"), "the result id is empty", "GoPhish's result id, e.g. 7sKd2Qp"));
    }
    let status = field(1);
    let (stage, status_reported) = stage_of(status).unwrap_or_else(|e| {
        problems.push(problem(
            line,
            Some("status"),
            e.0,
            "Email Sent, Email Opened, Clicked Link, Submitted Data or Email Reported",
        ));
        (Stage::NotSent, false)
    });
    for column in [3, 4] {
        let value = field(column);
        if !value.is_empty() && value.parse::<f64>().is_err() {
            problems.push(problem(
                line,
                Some(HEADER[column]),
                format!("'{value}' is not a number"),
                "a decimal number, e.g. 48.8566 (GoPhish writes 0 when unknown)",
            ));
        }
    }
    let mut date = |column: usize| match parse_time(field(column)) {
        Ok(t) => t,
        Err(_) => {
            let what = format!("'{}' is not a date and time", field(column));
            problems.push(problem(
                line,
                Some(HEADER[column]),
                what,
                "RFC 3339 with a timezone, e.g. 2024-03-05T09:12:44Z or 2024-03-05T10:12:44+01:00",
            ));
            None
        }
    };
    let (sent_at, modified_at) = (date(5), date(7));
    let reported = match field(6).to_ascii_lowercase().as_str() {
        "true" => true,
        "false" => false,
        other => {
            let what = format!("reported is '{other}'");
            problems.push(problem(line, Some("reported"), what, "true or false"));
            false
        }
    };
    let email = match field(8) {
        "" => {
            problems.push(problem(
                line,
                Some("email"),
                "the e-mail address is empty",
                "the recipient's e-mail address",
            ));
            String::new()
        }
        given => Email::parse(given).map(|e| e.as_str().to_string()).unwrap_or_else(|e| {
            problems.push(problem(line, Some("email"), e.0, "an e-mail address such as name@example.org"));
            String::new()
        }),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ResultLine {
        line: line as i64,
        gophish_id: id.to_string(),
        status: status.to_string(),
        stage,
        reported: reported || status_reported,
        sent_at,
        modified_at,
        email,
        first_name: field(9).to_string(),
        last_name: field(10).to_string(),
        position: field(11).to_string(),
    })
}

#[cfg(test)]
mod tests;
