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
            E::InvalidTarget => Self::new(
                TokenErrorCode::InvalidTarget,
                "resource must be the one API the authorization request named, once",
            ),
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
            E::InvalidTarget => Self::new(
                TokenErrorCode::InvalidTarget,
                "resource must be the grant's own API, once",
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

/// Error codes of the authorization endpoint: RFC 6749 §4.1.2.1, plus the
/// OpenID Connect Core §3.1.2.6 codes. They only ever leave as a redirect to
/// a validated redirect URI, through [`AuthorizationResponse::redirect_url`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizeErrorCode {
    /// RFC 6749 §4.1.2.1: missing, repeated or malformed parameter.
    InvalidRequest,
    /// RFC 6749 §4.1.2.1: the client may not use this flow.
    UnauthorizedClient,
    /// RFC 6749 §4.1.2.1: the user or the server denied the request.
    AccessDenied,
    /// RFC 6749 §4.1.2.1: the `response_type` is not supported.
    UnsupportedResponseType,
    /// RFC 6749 §4.1.2.1: a requested scope is invalid or not allowed.
    InvalidScope,
    /// RFC 8707 §2: the `resource` is unknown, repeated or not allowed.
    InvalidTarget,
    /// RFC 6749 §4.1.2.1: an unexpected condition on the server.
    ServerError,
    /// RFC 6749 §4.1.2.1: the server cannot answer right now.
    TemporarilyUnavailable,
    /// OIDC Core §3.1.2.6: some user interaction is needed (`prompt=none`).
    InteractionRequired,
    /// OIDC Core §3.1.2.6: the user must sign in (`prompt=none`, or not the
    /// user the client named).
    LoginRequired,
    /// OIDC Core §3.1.2.6: the user must choose an account.
    AccountSelectionRequired,
    /// OIDC Core §3.1.2.6: the user must consent (`prompt=none`).
    ConsentRequired,
    /// OIDC Core §3.1.2.6: the `request_uri` is invalid.
    InvalidRequestUri,
    /// OIDC Core §3.1.2.6: the request object is invalid.
    InvalidRequestObject,
    /// OIDC Core §3.1.2.6: the `request` parameter is not supported.
    RequestNotSupported,
    /// OIDC Core §3.1.2.6: the `request_uri` parameter is not supported.
    RequestUriNotSupported,
    /// OIDC Core §3.1.2.6: the `registration` parameter is not supported.
    RegistrationNotSupported,
}

impl AuthorizeErrorCode {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::AccessDenied => "access_denied",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidTarget => "invalid_target",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::InteractionRequired => "interaction_required",
            Self::LoginRequired => "login_required",
            Self::AccountSelectionRequired => "account_selection_required",
            Self::ConsentRequired => "consent_required",
            Self::InvalidRequestUri => "invalid_request_uri",
            Self::InvalidRequestObject => "invalid_request_object",
            Self::RequestNotSupported => "request_not_supported",
            Self::RequestUriNotSupported => "request_uri_not_supported",
            Self::RegistrationNotSupported => "registration_not_supported",
        }
    }
}

/// An authorization-endpoint error (an empty description is left out).
pub type AuthorizeError = ProtocolError<AuthorizeErrorCode>;

/// What the authorization endpoint sends to the client's redirect URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizationResponse<'a> {
    /// RFC 6749 §4.1.2: the authorization code.
    Code(&'a str),
    /// RFC 6749 §4.1.2.1: an error.
    Error(AuthorizeError),
}

impl AuthorizationResponse<'_> {
    /// The one builder of redirects to a client: `redirect_uri` (validated
    /// before, its own query kept) with `code`, or `error` and
    /// `error_description` when there is one, then `state` byte-exact and
    /// `iss` (RFC 9207 §2), all encoded by the URL serializer.
    pub fn redirect_url(
        &self,
        redirect_uri: &str,
        state: Option<&str>,
        issuer: &str,
    ) -> Result<String, url::ParseError> {
        let mut url = url::Url::parse(redirect_uri)?;
        {
            let mut query = url.query_pairs_mut();
            match self {
                Self::Code(code) => {
                    query.append_pair("code", code);
                }
                Self::Error(error) => {
                    query.append_pair("error", error.code.as_str());
                    if !error.description.is_empty() {
                        query.append_pair("error_description", error.description);
                    }
                }
            }
            if let Some(state) = state {
                query.append_pair("state", state);
            }
            query.append_pair("iss", issuer);
        }
        Ok(url.into())
    }
}

#[cfg(test)]
mod authorize_tests {
    use super::*;

    fn pairs(url: &str) -> Vec<(String, String)> {
        url::Url::parse(url)
            .expect("url")
            .query_pairs()
            .into_owned()
            .collect()
    }

    fn owned(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_authorize_code_has_its_wire_value() {
        use AuthorizeErrorCode as C;
        let table = [
            (C::InvalidRequest, "invalid_request"),
            (C::UnauthorizedClient, "unauthorized_client"),
            (C::AccessDenied, "access_denied"),
            (C::UnsupportedResponseType, "unsupported_response_type"),
            (C::InvalidScope, "invalid_scope"),
            (C::InvalidTarget, "invalid_target"),
            (C::ServerError, "server_error"),
            (C::TemporarilyUnavailable, "temporarily_unavailable"),
            (C::InteractionRequired, "interaction_required"),
            (C::LoginRequired, "login_required"),
            (C::AccountSelectionRequired, "account_selection_required"),
            (C::ConsentRequired, "consent_required"),
            (C::InvalidRequestUri, "invalid_request_uri"),
            (C::InvalidRequestObject, "invalid_request_object"),
            (C::RequestNotSupported, "request_not_supported"),
            (C::RequestUriNotSupported, "request_uri_not_supported"),
            (C::RegistrationNotSupported, "registration_not_supported"),
        ];
        for (code, wire) in table {
            assert_eq!(code.as_str(), wire);
        }
    }

    #[test]
    fn redirects_keep_the_registered_query_and_encode_every_value() {
        let denied = AuthorizeError::new(AuthorizeErrorCode::AccessDenied, "the user said no");
        let bare = AuthorizeError::new(AuthorizeErrorCode::ServerError, "");
        let table = [
            (
                AuthorizationResponse::Code("c0de"),
                Some("a b&c=d#"),
                vec![("code", "c0de"), ("state", "a b&c=d#")],
            ),
            (
                AuthorizationResponse::Code("c0de"),
                None,
                vec![("code", "c0de")],
            ),
            (
                AuthorizationResponse::Error(denied),
                Some("S"),
                vec![
                    ("error", "access_denied"),
                    ("error_description", "the user said no"),
                    ("state", "S"),
                ],
            ),
            (
                AuthorizationResponse::Error(bare),
                None,
                vec![("error", "server_error")],
            ),
        ];
        for (response, state, expected) in table {
            let url = response
                .redirect_url(
                    "https://c.example/cb?keep=1",
                    state,
                    "https://id.example/t/a",
                )
                .expect("parses");
            let mut want = owned(&[("keep", "1")]);
            want.extend(owned(&expected));
            want.extend(owned(&[("iss", "https://id.example/t/a")]));
            assert_eq!(pairs(&url), want, "{response:?}");
            assert!(url.starts_with("https://c.example/cb?keep=1&"), "{url}");
        }
    }

    #[test]
    fn an_unparsable_redirect_uri_is_an_error_not_a_redirect() {
        let response = AuthorizationResponse::Code("c");
        assert!(response.redirect_url("not a url", None, "i").is_err());
    }
}
