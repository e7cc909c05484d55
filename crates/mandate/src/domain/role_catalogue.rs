//! The ISMS role catalogue (ISO/IEC 27001 5.3): the roles an organisation assigns (CISO, risk owner …), what
//! each is responsible for, and whether it needs a deputy. These are responsibilities within the ISMS, not the
//! access roles of [`super::role`], which say what someone may do in Mandate.

use super::Invalid;

/// A role every new catalogue starts with.
#[derive(Debug, Clone, Copy)]
pub struct SeedRole {
    pub name: &'static str,
    pub description: &'static str,
    pub needs_deputy: bool,
}

/// The catalogue a new organisation starts with. Roles whose absence would stall the ISMS (security lead,
/// system owner, continuity lead) need a deputy; the others can wait for their holder's return.
pub const SEED_ROLES: &[SeedRole] = &[
    SeedRole {
        name: "CISO",
        description: "Leads information security: owns the security strategy, reports on the ISMS's performance to \
                      top management and is the escalation point for security incidents.",
        needs_deputy: true,
    },
    SeedRole {
        name: "ISMS manager",
        description: "Runs the ISMS day to day: keeps registers and documents current, coordinates risk \
                      assessments, audits and the management review, and tracks corrective actions.",
        needs_deputy: true,
    },
    SeedRole {
        name: "BC coordinator",
        description: "Coordinates business continuity: the business impact analysis, continuity plans, exercises \
                      and the response when a disruption happens.",
        needs_deputy: true,
    },
    SeedRole {
        name: "Risk owner",
        description: "Accountable for a set of information security risks: accepts or treats them and signs off \
                      the residual risk.",
        needs_deputy: false,
    },
    SeedRole {
        name: "Data protection officer",
        description: "Advises on and monitors the protection of personal data and is the contact point for the \
                      supervisory authority and data subjects.",
        needs_deputy: false,
    },
    SeedRole {
        name: "Asset owner",
        description: "Responsible for an information asset over its life: its classification, access rights and \
                      protection.",
        needs_deputy: false,
    },
    SeedRole {
        name: "Internal auditor",
        description: "Plans and carries out internal audits of the ISMS and reports findings independently of \
                      the activities audited.",
        needs_deputy: false,
    },
];

/// The ISMS processes a new RACI matrix lists, with a short description of each.
pub const SEED_PROCESSES: &[(&str, &str)] = &[
    ("Risk assessment", "Identify, analyse and evaluate information security risks (6.1.2, 8.2)."),
    ("Risk treatment", "Choose and carry out treatments; keep the Statement of Applicability (6.1.3, 8.3)."),
    ("Internal audit", "Plan and run the audit programme; report results (9.2)."),
    ("Management review", "Review the ISMS at planned intervals with top management (9.3)."),
    ("Incident management", "Report, assess, respond to and learn from security incidents (A.5.24–5.28)."),
    ("Document control", "Create, approve, publish and review documented information (7.5)."),
    ("Awareness & training", "Make staff aware of the policy and their part in it; train them (7.2, 7.3)."),
    ("Supplier management", "Assess suppliers and keep their security obligations in view (A.5.19–5.23)."),
    ("Business continuity", "Keep critical activities going through disruption (A.5.29, 5.30, ISO 22301)."),
];

/// Segregation-of-duties pairs a new catalogue starts with: (role, role, why).
pub const SEED_SOD_PAIRS: &[(&str, &str, &str)] = &[
    (
        "Internal auditor",
        "ISMS manager",
        "An internal auditor must not audit the ISMS they run themselves (9.2 objectivity).",
    ),
    ("Internal auditor", "CISO", "An internal auditor must not audit the security function they lead (9.2, A.5.3)."),
];

/// The longest role or process name.
pub const NAME_MAX: usize = 80;
/// The longest description.
pub const DESCRIPTION_MAX: usize = 4000;

/// Checks a role or process name: 1–80 characters, no control characters; returns it trimmed.
pub fn check_name(text: &str, what: &str) -> Result<String, Invalid> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Invalid::new(format!("{what} needs a name, e.g. \"Risk owner\"")));
    }
    if name.chars().count() > NAME_MAX {
        return Err(Invalid::new(format!("the name of {what} is longer than {NAME_MAX} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(Invalid::new(format!("the name of {what} contains control characters")));
    }
    Ok(name)
}

/// The form of a name that must be unique in an organisation: case and spacing do not make a new role.
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Checks a description: at most 4,000 characters; line breaks and tabs are kept, other control characters are
/// refused. Returns it trimmed.
pub fn check_description(text: &str) -> Result<String, Invalid> {
    let text = text.trim();
    if text.chars().count() > DESCRIPTION_MAX {
        return Err(Invalid::new(format!(
            "the description is longer than {DESCRIPTION_MAX} characters; attach longer texts as evidence"
        )));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(Invalid::new("the description contains control characters"));
    }
    Ok(text.to_string())
}

/// Checks an optional short free text (a decision reference, a reason): at most `max` characters, one line.
pub fn check_short_text(text: Option<&str>, what: &str, max: usize) -> Result<Option<String>, Invalid> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > max {
        return Err(Invalid::new(format!("{what} is longer than {max} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(Invalid::new(format!("{what} must be one line without control characters")));
    }
    Ok(Some(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_bounded_and_keyed_without_case() {
        assert_eq!(check_name("  Risk   owner ", "the role").unwrap(), "Risk owner");
        assert_eq!(name_key(" Risk  OWNER"), name_key("risk owner"));
        assert!(check_name(" ", "the role").unwrap_err().0.contains("needs a name"));
        assert!(check_name(&"x".repeat(81), "the role").is_err());
        assert!(check_name("a\u{7}b", "the role").is_err());
    }

    #[test]
    fn descriptions_keep_lines_but_refuse_other_control_characters() {
        assert_eq!(check_description(" line one\nline two ").unwrap(), "line one\nline two");
        assert!(check_description("bell\u{7}").is_err());
        assert!(check_description(&"x".repeat(4001)).is_err());
        assert_eq!(check_short_text(Some("  "), "x", 10).unwrap(), None);
        assert!(check_short_text(Some("a\nb"), "x", 10).is_err());
        assert!(check_short_text(Some("abcdefghijk"), "x", 10).is_err());
    }

    #[test]
    fn seeds_are_valid_and_name_each_other_consistently() {
        for seed in SEED_ROLES {
            assert_eq!(check_name(seed.name, "the role").unwrap(), seed.name);
            assert!(check_description(seed.description).is_ok());
        }
        for (a, b, _) in SEED_SOD_PAIRS {
            for name in [a, b] {
                assert!(SEED_ROLES.iter().any(|r| r.name == *name), "{name} is not a seeded role");
            }
        }
        let mut keys: Vec<_> = SEED_PROCESSES.iter().map(|(n, _)| name_key(n)).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), SEED_PROCESSES.len());
    }
}
