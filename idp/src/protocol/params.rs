//! Parameter values of the OAuth 2.0 and OpenID Connect wire protocols.

use serde::{Deserialize, Serialize};

/// `grant_type` values (RFC 6749 §4, RFC 8628 §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GrantType {
    /// RFC 6749 §4.1.
    #[serde(rename = "authorization_code")]
    AuthorizationCode,
    /// RFC 6749 §4.4.
    #[serde(rename = "client_credentials")]
    ClientCredentials,
    /// RFC 6749 §6.
    #[serde(rename = "refresh_token")]
    RefreshToken,
    /// RFC 8628 §3.4.
    #[serde(rename = "urn:ietf:params:oauth:grant-type:device_code")]
    DeviceCode,
    /// RFC 6749 §4.3, off unless the tenant switches it on.
    #[serde(rename = "password")]
    Password,
}

impl GrantType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::ClientCredentials => "client_credentials",
            Self::RefreshToken => "refresh_token",
            Self::DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
            Self::Password => "password",
        }
    }

    /// Whether an endpoint serves it: the others are refused in policies and
    /// client registrations rather than accepted and left doing nothing.
    pub fn is_implemented(self) -> bool {
        !matches!(self, Self::DeviceCode | Self::Password)
    }
}
