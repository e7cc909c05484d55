//! Names and addresses people type: e-mail addresses, organisation names and slugs.

use super::Invalid;

/// A normalised (trimmed, lower-cased) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let email = text.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if valid {
            Ok(Self(email))
        } else {
            Err(Invalid::new(format!("'{}' is not an e-mail address; write it as name@example.org", text.trim())))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A display name for a person or organisation: 1–120 characters, no control characters.
pub fn display_name(text: &str, what: &str) -> Result<String, Invalid> {
    let name = text.trim();
    if name.is_empty() {
        return Err(Invalid::new(format!("{what} is required")));
    }
    if name.chars().count() > 120 {
        return Err(Invalid::new(format!("{what} is longer than 120 characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(Invalid::new(format!("{what} contains control characters")));
    }
    Ok(name.to_string())
}

/// An organisation's short name in URLs and commands: lower-case letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let slug = text.trim();
        let valid = (2..=40).contains(&slug.len())
            && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !slug.starts_with('-')
            && !slug.ends_with('-');
        if valid {
            Ok(Self(slug.to_string()))
        } else {
            Err(Invalid::new(format!(
                "'{slug}' is not a usable slug; use 2–40 lower-case letters, digits and hyphens, e.g. northwind-logistics"
            )))
        }
    }

    /// Derives a slug from an organisation name: lower-cased, runs of other characters become one hyphen.
    pub fn from_name(name: &str) -> Result<Self, Invalid> {
        let mut slug = String::new();
        for c in name.trim().chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        while slug.ends_with('-') {
            slug.pop();
        }
        slug.truncate(40);
        Self::parse(slug.trim_end_matches('-'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(Email::parse("  CEO@Demo.Example ").unwrap().as_str(), "ceo@demo.example");
        for bad in ["", "ceo", "ceo@", "@demo.example", "ceo@demo", "a b@demo.example", "a@b@c.d", "a@.b.c"] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn slug_from_name_lowercases_and_hyphenates() {
        assert_eq!(Slug::from_name("Northwind Logistics").unwrap().as_str(), "northwind-logistics");
        assert_eq!(Slug::from_name("  ACME & Co. (EU) ").unwrap().as_str(), "acme-co-eu");
        assert!(Slug::from_name("!!!").is_err());
        assert!(Slug::parse("Bad Slug").is_err());
        assert!(Slug::parse("-x").is_err());
        assert!(Slug::parse("demo").is_ok());
    }

    #[test]
    fn display_names_are_bounded() {
        assert_eq!(display_name("  Ada  ", "Name").unwrap(), "Ada");
        assert!(display_name(" ", "Name").is_err());
        assert!(display_name(&"x".repeat(121), "Name").is_err());
        assert!(display_name("a\u{7}b", "Name").is_err());
    }
}
