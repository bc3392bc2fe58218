//! APIs (resource servers) of a tenant. An API's identifier is the `aud` of
//! the tokens issued for it and is selected with the RFC 8707 `resource`
//! parameter; the tenant's default API answers when none is given.

use serde::{Deserialize, Serialize};

/// A scope an API defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiScope {
    /// Scope token (RFC 6749 §3.3 `scope-token`).
    pub name: String,
    /// Shown on consent pages.
    pub description: String,
}

/// A resource server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// Internal id.
    pub id: String,
    /// Absolute URI; the `aud` of its tokens.
    pub identifier: String,
    /// Display name.
    pub name: String,
    /// Scopes it defines.
    pub scopes: Vec<ApiScope>,
    /// Used when a request names no `resource`.
    pub is_default: bool,
}

impl Api {
    /// Whether the API defines `scope`.
    pub fn defines(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s.name == scope)
    }
}

/// An identifier or scope that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// RFC 8707 §2: an absolute URI with no fragment.
    #[error("an API identifier is an absolute URI without a fragment")]
    BadIdentifier,
    /// RFC 6749 §3.3 scope-token characters only.
    #[error("scope names are printable ASCII without spaces, quotes or backslashes")]
    BadScope,
}

/// Checks an identifier (RFC 8707 §2) and scope names (RFC 6749 §3.3).
pub fn validate(identifier: &str, scopes: &[ApiScope]) -> Result<(), ApiError> {
    let uri = url::Url::parse(identifier).map_err(|_| ApiError::BadIdentifier)?;
    if uri.fragment().is_some() || identifier.contains('#') {
        return Err(ApiError::BadIdentifier);
    }
    if !scopes.iter().all(|s| is_scope_token(&s.name)) {
        return Err(ApiError::BadScope);
    }
    Ok(())
}

/// RFC 6749 §3.3: `1*( %x21 / %x23-5B / %x5D-7E )`.
pub fn is_scope_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_scopes() {
        let scope = |n: &str| ApiScope {
            name: n.into(),
            description: String::new(),
        };
        assert!(validate("https://api.example.com", &[scope("read:x")]).is_ok());
        assert!(validate("urn:example:api", &[]).is_ok());
        assert_eq!(validate("api", &[]), Err(ApiError::BadIdentifier));
        assert_eq!(validate("https://a/#x", &[]), Err(ApiError::BadIdentifier));
        assert_eq!(
            validate("https://a", &[scope("a b")]),
            Err(ApiError::BadScope)
        );
        assert_eq!(
            validate("https://a", &[scope("a\"")]),
            Err(ApiError::BadScope)
        );
    }
}
