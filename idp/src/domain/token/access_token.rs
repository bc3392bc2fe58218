//! Access tokens: RFC 9068 §2.2 claims, shared by the JWT and opaque formats
//! (an opaque token's row holds the same claims), and their lifetime.

use serde::{Deserialize, Serialize};

use crate::domain::client::Client;
use crate::domain::policy::TenantPolicy;

/// Claims of an access token (RFC 9068 §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenClaims {
    /// Issuer: the tenant's.
    pub iss: String,
    /// Subject: the user, or the client itself for client_credentials.
    pub sub: String,
    /// Audience: the API identifier, never the caller's client id.
    pub aud: String,
    /// Expiry, unix seconds.
    pub exp: i64,
    /// Issued at, unix seconds.
    pub iat: i64,
    /// Unique id, the revocation handle.
    pub jti: String,
    /// The client the token was issued to.
    pub client_id: String,
    /// Space-separated scopes.
    pub scope: String,
    /// The grant a user token came from: revoking the grant (code replay,
    /// refresh reuse, logout) revokes every token carrying its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<String>,
}

impl AccessTokenClaims {
    /// The revocation-list key of the grant `gid`.
    pub fn grant_key(gid: &str) -> String {
        format!("grant:{gid}")
    }
}

/// Lifetime of `client`'s access tokens: its own, capped by the tenant's.
pub fn lifetime(policy: &TenantPolicy, client: &Client) -> i64 {
    client
        .settings
        .access_token_ttl_secs
        .map_or(policy.access_token_ttl_secs, |own| {
            own.min(policy.access_token_ttl_secs)
        })
}
