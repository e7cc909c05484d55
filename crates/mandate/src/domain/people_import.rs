//! Reading a people list (name, email, department, role) from CSV, row by row, with a message per bad row that
//! says what to fix. The header names the columns, in any order; `role` and `department` may be left out.

use super::identity::{Email, display_name};
use crate::domain::role::Role;

/// The most rows one import takes (a large organisation in one file).
pub const MAX_ROWS: usize = 50_000;

/// A valid row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub name: String,
    pub email: String,
    pub department: Option<String>,
    pub role: Role,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

/// Reads the file: the valid rows and the errors, or one error about the file as a whole.
pub fn parse(text: &str) -> Result<(Vec<PersonRow>, Vec<RowError>), String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("the file is not readable CSV: {e}"))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
    let (Some(name_col), Some(email_col)) = (column("name"), column("email")) else {
        return Err("the first line must name the columns: name, email, and optionally department and role".into());
    };
    let (department_col, role_col) = (column("department"), column("role"));
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        if index >= MAX_ROWS {
            return Err(format!("the file has more than {MAX_ROWS} people; split it into several imports"));
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(RowError { line, message: format!("unreadable row: {e}") });
                continue;
            }
        };
        let field = |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("").to_string();
        match check_row(line, &field(Some(name_col)), &field(Some(email_col)), &field(department_col), &field(role_col))
        {
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

fn check_row(line: usize, name: &str, email: &str, department: &str, role: &str) -> Result<PersonRow, String> {
    let email = Email::parse(email).map_err(|e| format!("email: {e}"))?;
    let name = display_name(name, "the name").map_err(|e| e.0)?;
    let department = match department.trim() {
        "" => None,
        given => Some(display_name(given, "the department").map_err(|e| e.0)?),
    };
    let role = match role.trim() {
        "" => Role::Employee,
        given => given.to_lowercase().replace([' ', '-'], "_").parse::<Role>().map_err(|_| {
            format!("role '{given}' is not one of: admin, isms_manager, top_management, auditor, employee")
        })?,
    };
    Ok(PersonRow { line, name, email: email.as_str().to_string(), department, role })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_any_order_with_defaults() {
        let (rows, errors) = parse("Email,Name,Department\nada@x.test,Ada Lovelace,IT\nbob@x.test,Bob,\n").unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows[0].name, "Ada Lovelace");
        assert_eq!(rows[0].department.as_deref(), Some("IT"));
        assert_eq!(rows[1].role, Role::Employee);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn each_bad_row_says_what_is_wrong() {
        let text =
            "name,email,role\nA,not-an-email,\nB,b@x.test,chief\n,c@x.test,\nD,d@x.test,Top management\nE,D@x.test,\n";
        let (rows, errors) = parse(text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].role, Role::TopManagement);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 6]);
        assert!(errors[1].message.contains("role 'chief'"), "{errors:?}");
        assert!(errors[3].message.contains("already on line 5"), "{errors:?}");
    }

    #[test]
    fn a_file_without_the_columns_is_refused() {
        assert!(parse("first,last\nA,B\n").is_err());
        assert!(parse("").is_err());
    }
}
