//! ID tokens (OIDC Core §2, §3.1.3.6): what they say about a sign-in, their
//! claims and `at_hash`.

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

/// What an ID token says about the sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignIn<'a> {
    /// The user.
    pub user_id: &'a str,
    /// When they authenticated.
    pub auth_time: i64,
    /// How (RFC 8176).
    pub amr: &'a [String],
    /// The session's public id.
    pub sid: &'a str,
    /// The authorization request's `nonce`.
    pub nonce: Option<&'a str>,
}

impl IdTokenClaims {
    /// The claims of an ID token for `client_id` issued by `issuer` at `now`,
    /// living `ttl` seconds, bound to `access_token` by `at_hash`.
    pub fn new(
        issuer: String,
        client_id: &str,
        sign_in: &SignIn<'_>,
        access_token: &str,
        now: i64,
        ttl: i64,
    ) -> Self {
        Self {
            iss: issuer,
            sub: sign_in.user_id.to_owned(),
            aud: client_id.to_owned(),
            azp: client_id.to_owned(),
            exp: now + ttl,
            iat: now,
            auth_time: sign_in.auth_time,
            nonce: sign_in.nonce.map(str::to_owned),
            at_hash: Some(at_hash(access_token)),
            acr: "1".to_owned(),
            amr: sign_in.amr.to_vec(),
            sid: sign_in.sid.to_owned(),
        }
    }
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
    fn claims_name_the_client_twice_and_bind_the_access_token() {
        let amr = vec!["pwd".to_owned()];
        let sign_in = SignIn {
            user_id: "u",
            auth_time: 5,
            amr: &amr,
            sid: "s",
            nonce: Some("n"),
        };
        let claims = IdTokenClaims::new("https://i".into(), "c", &sign_in, "at", 10, 60);
        assert_eq!((claims.aud.as_str(), claims.azp.as_str()), ("c", "c"));
        assert_eq!((claims.iat, claims.exp, claims.auth_time), (10, 70, 5));
        assert_eq!(claims.at_hash, Some(at_hash("at")));
        assert_eq!(claims.nonce.as_deref(), Some("n"));
        assert_eq!((claims.sub.as_str(), claims.sid.as_str()), ("u", "s"));
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
