//! The RACI matrix: for each ISMS process, which catalogue role is Responsible, Accountable, Consulted or
//! Informed. A process needs exactly one Accountable role (one place where the buck stops) and at least one
//! Responsible role (someone who does the work). Rows that break this are saved but flagged, so an incomplete
//! matrix shows its gaps instead of being refused while it is being filled in.

use super::Invalid;

/// One cell of the matrix.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
pub enum Letter {
    /// Responsible: does the work.
    R,
    /// Accountable: answers for the outcome; exactly one per process.
    A,
    /// Consulted before decisions.
    C,
    /// Informed of results.
    I,
}

impl Letter {
    pub const ALL: [Letter; 4] = [Letter::R, Letter::A, Letter::C, Letter::I];

    pub fn as_str(self) -> &'static str {
        match self {
            Letter::R => "R",
            Letter::A => "A",
            Letter::C => "C",
            Letter::I => "I",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Letter::R => "Responsible",
            Letter::A => "Accountable",
            Letter::C => "Consulted",
            Letter::I => "Informed",
        }
    }

    /// Parses `R`, `A`, `C` or `I` (any case); an empty text is no letter.
    pub fn parse(text: &str) -> Result<Option<Self>, Invalid> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        Letter::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(text)).map(Some).ok_or_else(|| {
            Invalid::new(format!("'{text}' is not a RACI letter; use R, A, C, I or leave the cell empty"))
        })
    }
}

/// What is wrong with a process's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowFlag {
    /// No role is accountable.
    NoAccountable,
    /// More than one role is accountable.
    SeveralAccountable,
    /// No role is responsible.
    NoResponsible,
}

impl RowFlag {
    /// What the flag means, for people.
    pub fn message(self) -> &'static str {
        match self {
            RowFlag::NoAccountable => "no role is accountable (A); give exactly one",
            RowFlag::SeveralAccountable => "several roles are accountable (A); keep exactly one",
            RowFlag::NoResponsible => "no role is responsible (R); give at least one",
        }
    }
}

/// The flags of a row with these letters (one per role that has a cell).
pub fn check_row(letters: impl IntoIterator<Item = Letter>) -> Vec<RowFlag> {
    let (mut accountable, mut responsible) = (0, 0);
    for letter in letters {
        match letter {
            Letter::A => accountable += 1,
            Letter::R => responsible += 1,
            Letter::C | Letter::I => {}
        }
    }
    let mut flags = Vec::new();
    match accountable {
        0 => flags.push(RowFlag::NoAccountable),
        1 => {}
        _ => flags.push(RowFlag::SeveralAccountable),
    }
    if responsible == 0 {
        flags.push(RowFlag::NoResponsible);
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use Letter::*;

    #[test]
    fn exactly_one_accountable_and_at_least_one_responsible() {
        assert_eq!(check_row([A, R, C, I]), vec![]);
        assert_eq!(check_row([A, R, R]), vec![]);
        assert_eq!(check_row([R, C]), vec![RowFlag::NoAccountable]);
        assert_eq!(check_row([A, A, R]), vec![RowFlag::SeveralAccountable]);
        assert_eq!(check_row([A]), vec![RowFlag::NoResponsible]);
        assert_eq!(check_row([]), vec![RowFlag::NoAccountable, RowFlag::NoResponsible]);
    }

    #[test]
    fn letters_parse_in_any_case_and_empty_is_no_letter() {
        assert_eq!(Letter::parse("a"), Ok(Some(A)));
        assert_eq!(Letter::parse(" "), Ok(None));
        assert!(Letter::parse("X").unwrap_err().0.contains("R, A, C, I"));
    }
}
