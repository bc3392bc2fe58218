//! ID tokens (OIDC Core §2, §3.1.3.6): claims and `at_hash`.

use serde::{Deserialize, Serialize};

use crate::crypto::{b64url, sha256};

/// Claims of an ID token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    /// Issuer: exactly the tenant's discovery `issuer`.
    pub iss: String,
    /// Stable subject of the user.
    pub sub: String,
    /// The client.
    pub aud: String,
    /// Authorized party: the client (OIDC Core §2).
    pub azp: String,
    /// Expiry, unix seconds.
    pub exp: i64,
    /// Issued at, unix seconds.
    pub iat: i64,
    /// When the user authenticated.
    pub auth_time: i64,
    /// The request's `nonce`, byte-exact, when one was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// Hash of the access token issued with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_hash: Option<String>,
    /// Authentication context class.
    pub acr: String,
    /// Authentication methods (RFC 8176).
    pub amr: Vec<String>,
    /// Session id, for logout.
    pub sid: String,
}

/// `at_hash` for RS256 and ES256 (both SHA-256): base64url of the left half
/// of the hash of the access token's ASCII bytes (OIDC Core §3.1.3.6).
pub fn at_hash(access_token: &str) -> String {
    let digest = sha256(access_token.as_bytes());
    b64url(digest.get(..16).unwrap_or(&digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_is_the_left_half_of_sha256() {
        // Computed independently (Python hashlib + base64).
        assert_eq!(
            at_hash("eyJhbGciOiJFUzI1NiJ9.test-access-token"),
            "8dh00rmzeGNlHKTLc5Jkvw"
        );
    }

    #[test]
    fn nonce_is_omitted_when_not_sent() {
        let claims = IdTokenClaims {
            iss: "i".into(),
            sub: "s".into(),
            aud: "c".into(),
            azp: "c".into(),
            exp: 2,
            iat: 1,
            auth_time: 1,
            nonce: None,
            at_hash: None,
            acr: "0".into(),
            amr: vec!["pwd".into()],
            sid: "x".into(),
        };
        let json = serde_json::to_value(&claims).expect("json");
        assert!(json.get("nonce").is_none());
        assert!(json.get("at_hash").is_none());
    }
}
