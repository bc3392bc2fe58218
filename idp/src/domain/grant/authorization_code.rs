//! The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6): what a code
//! is bound to, and the checks the token endpoint makes before honouring it.

use serde::{Deserialize, Serialize};

use crate::domain::api::Api;
use crate::domain::pkce::CodeChallenge;
use crate::domain::scope;

/// Everything a code is bound to (stored with the code, never sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeGrant {
    /// The client the code was issued to.
    pub client_id: String,
    /// The redirect URI the code was sent to.
    pub redirect_uri: String,
    /// Whether the authorization request named `redirect_uri`.
    pub redirect_uri_sent: bool,
    /// The S256 challenge, if one was sent.
    pub code_challenge: Option<String>,
    /// `nonce` for the ID token.
    pub nonce: Option<String>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// The user (`sub`).
    pub user_id: String,
    /// When the user authenticated (unix seconds).
    pub auth_time: i64,
    /// The SSO session the code came from (its public `sid`).
    pub session_id: String,
    /// How the user authenticated (RFC 8176).
    #[serde(default)]
    pub amr: Vec<String>,
}

/// Why a code is not honoured. Each maps to `invalid_grant` (RFC 6749 §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Unknown, expired or already used.
    #[error("unknown, expired or used code")]
    NotFound,
    /// Issued to another client (RFC 6749 §4.1.3).
    #[error("code issued to another client")]
    ClientMismatch,
    /// `redirect_uri` missing or different from the authorization request's.
    #[error("redirect_uri does not match")]
    RedirectMismatch,
    /// Verifier missing, malformed or wrong; or a verifier for a code issued
    /// without a challenge (PKCE downgrade, RFC 9700 §4.8.2).
    #[error("PKCE verification failed")]
    PkceMismatch,
}

impl CodeGrant {
    /// Checks a token request against the code's bindings.
    pub fn check(
        &self,
        client_id: &str,
        redirect_uri: Option<&str>,
        code_verifier: Option<&str>,
    ) -> Result<(), CodeError> {
        if self.client_id != client_id {
            return Err(CodeError::ClientMismatch);
        }
        if self.redirect_uri_sent && redirect_uri != Some(self.redirect_uri.as_str()) {
            return Err(CodeError::RedirectMismatch);
        }
        if !self.redirect_uri_sent && redirect_uri.is_some_and(|r| r != self.redirect_uri) {
            return Err(CodeError::RedirectMismatch);
        }
        match (&self.code_challenge, code_verifier) {
            (Some(challenge), Some(verifier)) => CodeChallenge::stored(challenge.clone())
                .verify(verifier)
                .map_err(|_| CodeError::PkceMismatch),
            (None, None) => Ok(()),
            _ => Err(CodeError::PkceMismatch),
        }
    }
}

/// The audience of a user's access tokens: the API defining the first API
/// scope granted, else the tenant's default API, else `fallback` (the
/// userinfo endpoint, for tokens that only sign in).
pub fn audience(apis: &[Api], scopes: &[String], fallback: &str) -> String {
    let api_scope = scopes.iter().find(|s| scope::builtin(s).is_none());
    api_scope
        .and_then(|s| apis.iter().find(|api| api.defines(s)))
        .or_else(|| apis.iter().find(|api| api.is_default))
        .map_or_else(|| fallback.to_owned(), |api| api.identifier.clone())
}

/// Whether `verifier` proves a replayed code's `challenge` (both absent
/// counts: a code issued without PKCE).
pub fn proves(challenge: Option<&str>, verifier: Option<&str>) -> bool {
    match (challenge, verifier) {
        (Some(c), Some(v)) => CodeChallenge::stored(c.to_owned()).verify(v).is_ok(),
        (None, None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFIER: &str = "dBjftJeZ4CVP-mJ0kzwmaxRkEDD98AWKZ9j7uINYK8Q";
    const CHALLENGE: &str = "X8BIt3_xr8h2gJF786Od1t2JXu07KQ78f1vbnMBBg9o";

    fn grant(challenge: Option<&str>) -> CodeGrant {
        CodeGrant {
            client_id: "c".into(),
            redirect_uri: "https://c.example/cb".into(),
            redirect_uri_sent: true,
            code_challenge: challenge.map(str::to_owned),
            nonce: None,
            scopes: vec!["openid".into()],
            user_id: "u".into(),
            auth_time: 0,
            session_id: "s".into(),
            amr: vec!["pwd".into()],
        }
    }

    #[test]
    fn bindings_are_enforced() {
        let g = grant(Some(CHALLENGE));
        let uri = Some("https://c.example/cb");
        assert_eq!(g.check("c", uri, Some(VERIFIER)), Ok(()));
        assert_eq!(
            g.check("c2", uri, Some(VERIFIER)),
            Err(CodeError::ClientMismatch),
            "COD-05"
        );
        assert_eq!(
            g.check("c", Some("https://c.example/other"), Some(VERIFIER)),
            Err(CodeError::RedirectMismatch),
            "COD-06"
        );
        assert_eq!(
            g.check("c", None, Some(VERIFIER)),
            Err(CodeError::RedirectMismatch),
            "COD-06"
        );
        assert_eq!(
            g.check("c", uri, None),
            Err(CodeError::PkceMismatch),
            "PKC-04"
        );
        assert_eq!(
            g.check("c", uri, Some(CHALLENGE)),
            Err(CodeError::PkceMismatch),
            "PKC-07"
        );
        assert_eq!(
            g.check("c", uri, Some(&VERIFIER[..42])),
            Err(CodeError::PkceMismatch),
            "PKC-05"
        );
        let plain = grant(None);
        assert_eq!(plain.check("c", uri, None), Ok(()));
        assert_eq!(
            plain.check("c", uri, Some(VERIFIER)),
            Err(CodeError::PkceMismatch),
            "PKC-06"
        );
    }
}
