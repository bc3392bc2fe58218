//! PKCE (RFC 7636) with S256 only: `plain`, and a challenge without a method
//! (which defaults to `plain`, §4.3), are refused (RFC 9700 §2.1.1).

use crate::crypto::{b64url, sha256};

/// Why a PKCE value is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PkceError {
    /// A challenge without `code_challenge_method`, or a method other than S256.
    #[error("code_challenge_method must be S256")]
    MethodNotS256,
    /// RFC 7636 §4.2: 43 to 128 unreserved characters.
    #[error("code_challenge is malformed")]
    MalformedChallenge,
    /// RFC 7636 §4.1: 43 to 128 unreserved characters.
    #[error("code_verifier is malformed")]
    MalformedVerifier,
    /// The verifier does not hash to the challenge.
    #[error("code_verifier does not match the code_challenge")]
    Mismatch,
}

/// RFC 7636 §4.1 `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"`, 43 to 128 long.
fn is_pkce_string(text: &str) -> bool {
    (43..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// A validated S256 challenge.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct CodeChallenge(String);

impl CodeChallenge {
    /// Validates the authorization request's `code_challenge` and method.
    pub fn parse(challenge: &str, method: Option<&str>) -> Result<Self, PkceError> {
        if method != Some("S256") {
            return Err(PkceError::MethodNotS256);
        }
        // An S256 challenge is base64url of 32 bytes: exactly 43 characters.
        if !is_pkce_string(challenge) || challenge.len() != 43 {
            return Err(PkceError::MalformedChallenge);
        }
        Ok(Self(challenge.to_owned()))
    }

    /// Wraps a challenge read back from storage.
    pub fn stored(challenge: String) -> Self {
        Self(challenge)
    }

    /// The challenge text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks the token request's `code_verifier` (RFC 7636 §4.6).
    pub fn verify(&self, verifier: &str) -> Result<(), PkceError> {
        if !is_pkce_string(verifier) {
            return Err(PkceError::MalformedVerifier);
        }
        let computed = b64url(&sha256(verifier.as_bytes()));
        if crate::secret::constant_time_eq(computed.as_bytes(), self.0.as_bytes()) {
            Ok(())
        } else {
            Err(PkceError::Mismatch)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_round_trip() {
        // BASE64URL(SHA256(verifier)), computed independently.
        let challenge =
            CodeChallenge::parse("X8BIt3_xr8h2gJF786Od1t2JXu07KQ78f1vbnMBBg9o", Some("S256"))
                .expect("valid");
        assert_eq!(
            challenge.verify("dBjftJeZ4CVP-mJ0kzwmaxRkEDD98AWKZ9j7uINYK8Q"),
            Ok(())
        );
        assert_eq!(
            challenge.verify("dBjftJeZ4CVP-mJ0kzwmaxRkEDD98AWKZ9j7uINYK8R"),
            Err(PkceError::Mismatch)
        );
        // PKC-07: the challenge itself as verifier.
        assert_eq!(
            challenge.verify(challenge.as_str()),
            Err(PkceError::Mismatch)
        );
    }

    #[test]
    fn abnf_and_method() {
        let good = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(
            CodeChallenge::parse(good, Some("plain")),
            Err(PkceError::MethodNotS256)
        );
        assert_eq!(
            CodeChallenge::parse(good, None),
            Err(PkceError::MethodNotS256)
        );
        assert_eq!(
            CodeChallenge::parse(&good[..42], Some("S256")),
            Err(PkceError::MalformedChallenge)
        );
        assert_eq!(
            CodeChallenge::parse(&"a".repeat(129), Some("S256")),
            Err(PkceError::MalformedChallenge)
        );
        let with_plus = format!("{}+", &good[..42]);
        assert_eq!(
            CodeChallenge::parse(&with_plus, Some("S256")),
            Err(PkceError::MalformedChallenge)
        );
        let challenge = CodeChallenge::parse(good, Some("S256")).expect("valid");
        assert_eq!(
            challenge.verify(&"a".repeat(42)),
            Err(PkceError::MalformedVerifier)
        );
        assert_eq!(
            challenge.verify(&"a".repeat(129)),
            Err(PkceError::MalformedVerifier)
        );
    }
}
