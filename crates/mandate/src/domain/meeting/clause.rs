//! Clause numbers an agenda item may cite: the harmonized-structure clauses 4–10 shared by ISO/IEC 27001:2022 and
//! ISO 22301:2019 (with their numbered sub-clauses), ISO 22301's operational clauses 8.4–8.6, and the Annex A
//! controls of ISO/IEC 27001:2022 written `A.5.24`.

use crate::domain::Invalid;

/// Clauses and sub-clauses of the two standards' main text.
const CLAUSES: &[&str] = &[
    "4", "4.1", "4.2", "4.3", "4.4", "5", "5.1", "5.2", "5.3", "6", "6.1", "6.1.1", "6.1.2", "6.1.3", "6.2", "6.3",
    "7", "7.1", "7.2", "7.3", "7.4", "7.5", "7.5.1", "7.5.2", "7.5.3", "8", "8.1", "8.2", "8.3", "8.4", "8.5", "8.6",
    "9", "9.1", "9.2", "9.2.1", "9.2.2", "9.3", "9.3.1", "9.3.2", "9.3.3", "10", "10.1", "10.2",
];

/// How many controls each Annex A theme has (5 organisational, 6 people, 7 physical, 8 technological).
const ANNEX_A: &[(u32, u32)] = &[(5, 37), (6, 8), (7, 14), (8, 34)];

/// Checks a clause number and returns it in its usual form (`a.5.24` becomes `A.5.24`).
pub fn check_clause(text: &str) -> Result<String, Invalid> {
    let text = text.trim();
    if CLAUSES.contains(&text) {
        return Ok(text.to_string());
    }
    if let Some(control) = text.strip_prefix("A.").or_else(|| text.strip_prefix("a.")) {
        let parts: Vec<Option<u32>> = control.split('.').map(|p| p.parse().ok()).collect();
        if let [Some(theme), Some(number)] = parts[..]
            && ANNEX_A.iter().any(|(t, count)| *t == theme && (1..=*count).contains(&number))
        {
            return Ok(format!("A.{theme}.{number}"));
        }
    }
    Err(Invalid::new(format!(
        "'{text}' is not a clause of ISO/IEC 27001 or ISO 22301; use a number such as 5.1, 6.1.2 or 9.3, or an \
         Annex A control such as A.5.24"
    )))
}
