//! Error codes of the token, introspection and revocation endpoints
//! (RFC 6749 §5.2, RFC 8707 §2, RFC 7009 §2.2.1), with fixed descriptions that
//! are safe to show (RFC 6749 App. A.7: no `"` or `\`, printable ASCII).

/// RFC 6749 §5.2 error codes, plus RFC 8707's `invalid_target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenErrorCode {
    /// Missing, repeated or malformed parameter; more than one auth method.
    InvalidRequest,
    /// Client authentication failed (401).
    InvalidClient,
    /// Grant or token invalid, expired, revoked or bound elsewhere.
    InvalidGrant,
    /// The client may not use this grant.
    UnauthorizedClient,
    /// Unknown or switched-off grant type.
    UnsupportedGrantType,
    /// Scope not allowed.
    InvalidScope,
    /// RFC 8707 §2: resource unknown or not allowed.
    InvalidTarget,
}

impl TokenErrorCode {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidTarget => "invalid_target",
        }
    }
}

/// A protocol error: a code and a fixed description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtocolError<C> {
    /// The code.
    pub code: C,
    /// Fixed, client-safe wording.
    pub description: &'static str,
}

impl<C> ProtocolError<C> {
    /// An error with `code` and `description`.
    pub const fn new(code: C, description: &'static str) -> Self {
        Self { code, description }
    }
}

/// A token-endpoint family error.
pub type TokenError = ProtocolError<TokenErrorCode>;

impl From<crate::domain::grant::client_credentials::ClientCredentialsError> for TokenError {
    fn from(error: crate::domain::grant::client_credentials::ClientCredentialsError) -> Self {
        use crate::domain::grant::client_credentials::ClientCredentialsError as E;
        match error {
            E::UnauthorizedClient => Self::new(
                TokenErrorCode::UnauthorizedClient,
                "this client may not use the client_credentials grant",
            ),
            E::InvalidTarget => Self::new(
                TokenErrorCode::InvalidTarget,
                "the resource is unknown or not allowed for this client",
            ),
            E::InvalidScope => Self::new(
                TokenErrorCode::InvalidScope,
                "a requested scope is not allowed for this client and resource",
            ),
        }
    }
}

impl From<crate::domain::grant::authorization_code::AuthorizationCodeError> for TokenError {
    fn from(error: crate::domain::grant::authorization_code::AuthorizationCodeError) -> Self {
        use crate::domain::grant::authorization_code::AuthorizationCodeError as E;
        match error {
            E::UnauthorizedClient => Self::new(
                TokenErrorCode::UnauthorizedClient,
                "this client may not use the authorization code grant",
            ),
            E::MissingCode => Self::new(TokenErrorCode::InvalidRequest, "code is required"),
            // One wording for all: the client learns nothing about which
            // binding failed, nor whether the code ever existed.
            E::UnknownCode
            | E::Replayed
            | E::ClientMismatch
            | E::RedirectMismatch
            | E::PkceMismatch
            | E::UserInactive
            | E::RevokedSinceSignIn
            | E::SessionEnded => Self::new(
                TokenErrorCode::InvalidGrant,
                "the code is invalid, expired, already used, or was issued for another request",
            ),
        }
    }
}

impl From<crate::domain::grant::refresh_token::RefreshTokenError> for TokenError {
    fn from(error: crate::domain::grant::refresh_token::RefreshTokenError) -> Self {
        use crate::domain::grant::refresh_token::RefreshTokenError as E;
        match error {
            E::UnauthorizedClient => Self::new(
                TokenErrorCode::UnauthorizedClient,
                "this client may not use refresh tokens",
            ),
            E::MissingToken => {
                Self::new(TokenErrorCode::InvalidRequest, "refresh_token is required")
            }
            E::InvalidScope => Self::new(
                TokenErrorCode::InvalidScope,
                "refresh cannot add scopes to the grant",
            ),
            E::Unknown
            | E::ClientMismatch
            | E::Revoked
            | E::Expired
            | E::Reused
            | E::UserInactive
            | E::RevokedSinceSignIn => Self::new(
                TokenErrorCode::InvalidGrant,
                "the refresh token is invalid, expired, revoked or was issued to another client",
            ),
        }
    }
}

/// RFC 6750 §3.1 error codes of a protected resource (UserInfo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerErrorCode {
    /// Malformed request: a token outside the header, a malformed header.
    InvalidRequest,
    /// Expired, revoked, malformed or foreign token (401).
    InvalidToken,
    /// The token lacks a scope the resource needs (403).
    InsufficientScope,
}

impl BearerErrorCode {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
        }
    }
}
