//! Password rules and hashing: argon2id, 8–128 characters, no composition rules, common passwords refused.

use super::Invalid;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Memory cost in KiB (19 MiB), iterations and lanes: the OWASP minimum for argon2id.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

/// Passwords people pick most often (8 characters or longer), lower-cased. From Django's list of 20,000
/// common passwords.
static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("../../data/common-passwords.txt").lines().collect());

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None).expect("argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password against the rules; the message tells the person what to change.
pub fn check_new_password(password: &str) -> Result<(), Invalid> {
    let length = password.chars().count();
    if length < 8 {
        return Err(Invalid::new("the password must be at least 8 characters long"));
    }
    if length > 128 {
        return Err(Invalid::new("the password must be at most 128 characters long"));
    }
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err(Invalid::new(
            "this password is among the most common ones and easy to guess; choose another (a few unrelated words work well)",
        ));
    }
    Ok(())
}

/// Hashes a password that passed [`check_new_password`] into a PHC string.
pub fn hash_password(password: &str) -> String {
    PasswordHasher::<PasswordHash>::hash_password(&hasher(), password.as_bytes())
        .expect("argon2id hashing with valid parameters cannot fail")
        .to_string()
}

/// Verifies a password against a stored PHC string. A malformed hash never verifies.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => {
            PasswordVerifier::<PasswordHash>::verify_password(&hasher(), password.as_bytes(), &parsed).is_ok()
        }
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when the account does not exist, so that an unknown
/// account and a wrong password take the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: LazyLock<String> = LazyLock::new(|| hash_password(&crate::secret::new_token("decoy-")));
    &DECOY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_count_characters_not_bytes() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("ééééééé").is_err());
        assert!(check_new_password("éééééééé").is_ok());
        assert!(check_new_password(&"a1".repeat(64)).is_ok());
        assert!(check_new_password(&"a1".repeat(65)).is_err());
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert!(check_new_password("password").is_err());
        assert!(check_new_password("Password1").is_err() || check_new_password("password1").is_err());
        assert!(check_new_password("12345678").is_err());
        assert!(check_new_password("QWERTYUIOP").is_err());
        assert!(check_new_password("violet harbour lantern").is_ok());
    }

    #[test]
    fn hash_is_argon2id_with_required_cost_and_verifies() {
        let phc = hash_password("violet harbour lantern");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("violet harbour lantern", &phc));
        assert!(!verify_password("violet harbour lanterm", &phc));
        assert!(!verify_password("anything", "not a hash"));
    }
}
