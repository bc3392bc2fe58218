//! User passwords: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane),
//! stored as PHC strings. Verifying against an unknown user still runs one
//! argon2id verification (on a dummy hash), so timing does not reveal which
//! accounts exist. Both are slow on purpose: call them on the blocking pool.

use std::sync::atomic::{AtomicU64, Ordering};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

use crate::secret::{Secret, random_bytes};

/// Hashing failed inside argon2 (it does not for inputs within its limits).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed")]
pub struct PasswordError;

/// Hashes and verifies passwords.
pub struct PasswordHasher {
    argon: Argon2<'static>,
    dummy: String,
    /// Verifications run so far (the brute-force limits bound them).
    verifications: AtomicU64,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHasher")
    }
}

impl PasswordHasher {
    /// A hasher with the default (OWASP) argon2id parameters.
    pub fn new() -> Result<Self, PasswordError> {
        let argon = Argon2::default();
        let dummy = argon
            .hash_password(&random_bytes::<16>())
            .map_err(|_| PasswordError)?
            .to_string();
        Ok(Self {
            argon,
            dummy,
            verifications: AtomicU64::new(0),
        })
    }

    /// The PHC string of `password`, with a fresh salt.
    pub fn hash(&self, password: &Secret<String>) -> Result<String, PasswordError> {
        self.argon
            .hash_password(password.expose().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|_| PasswordError)
    }

    /// Whether `password` matches `stored`; `None` (no such user, or no
    /// password set) verifies against the dummy hash and returns false.
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let (phc, real) = match stored {
            Some(phc) => (phc, true),
            None => (self.dummy.as_str(), false),
        };
        let Ok(parsed) = PasswordHash::new(phc) else {
            return false;
        };
        let matches = self
            .argon
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        matches && real
    }

    /// How many verifications this process has run.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_unknown_users_fail() {
        let hasher = PasswordHasher::new().expect("hasher");
        let phc = hasher
            .hash(&Secret::new("correct horse".to_owned()))
            .expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(hasher.verify("correct horse", Some(&phc)));
        assert!(!hasher.verify("wrong horse", Some(&phc)));
        assert!(!hasher.verify("correct horse", None));
        assert!(!hasher.verify("x", Some("not a phc string")));
        let again = hasher
            .hash(&Secret::new("correct horse".to_owned()))
            .expect("hash");
        assert_ne!(phc, again, "salted");
    }
}
