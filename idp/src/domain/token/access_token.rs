//! Access tokens: RFC 9068 §2.2 claims, shared by the JWT and opaque formats
//! (an opaque token's row holds the same claims), their lifetime, and when
//! they are active (RFC 7662 §2.2).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::crypto::b64url;
use crate::domain::client::Client;
use crate::domain::policy::TenantPolicy;
use crate::domain::watermarks::Watermarks;
use crate::secret::random_bytes;

/// What an access token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessGrant<'a> {
    /// `sub`: the user, or the client itself.
    pub subject: &'a str,
    /// `aud`.
    pub audience: &'a str,
    /// Scopes.
    pub scopes: &'a [String],
    /// The user grant it belongs to, if any.
    pub gid: Option<&'a str>,
}

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
    /// The claims of a new token for `grant`, issued by `issuer` to
    /// `client_id` at `now` and living `ttl` seconds, with a fresh `jti`.
    pub fn new(
        issuer: String,
        client_id: &str,
        grant: &AccessGrant<'_>,
        now: i64,
        ttl: i64,
    ) -> Self {
        Self {
            iss: issuer,
            sub: grant.subject.to_owned(),
            aud: grant.audience.to_owned(),
            exp: now + ttl,
            iat: now,
            jti: b64url(&random_bytes::<16>()),
            client_id: client_id.to_owned(),
            scope: grant.scopes.join(" "),
            gid: grant.gid.map(str::to_owned),
        }
    }

    /// Whether a token with these claims is active at `now` for the tenant
    /// whose issuer is `issuer`: unexpired, and neither it (`revoked`, keyed
    /// by `jti`), its grant, nor its user, client or tenant (`watermarks`)
    /// revoked.
    pub fn is_active(
        &self,
        issuer: &str,
        now: i64,
        revoked: &HashMap<String, i64>,
        watermarks: &Watermarks,
    ) -> bool {
        self.iss == issuer
            && self.exp > now
            && !revoked.contains_key(&self.jti)
            && !watermarks.revokes(Some(&self.client_id), Some(&self.sub), self.iat)
            && !self
                .gid
                .as_deref()
                .is_some_and(|gid| revoked.contains_key(&Self::grant_key(gid)))
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(gid: Option<&str>) -> AccessTokenClaims {
        let scopes = vec!["openid".to_owned(), "read".to_owned()];
        let grant = AccessGrant {
            subject: "u",
            audience: "https://api",
            scopes: &scopes,
            gid,
        };
        AccessTokenClaims::new("https://i/t/a".into(), "c", &grant, 100, 60)
    }

    #[test]
    fn new_claims_carry_the_grant() {
        let c = claims(Some("g"));
        assert_eq!((c.iat, c.exp), (100, 160));
        assert_eq!(c.scope, "openid read");
        assert_eq!((c.sub.as_str(), c.aud.as_str()), ("u", "https://api"));
        assert_eq!(c.client_id, "c");
        assert_eq!(c.gid.as_deref(), Some("g"));
        assert_eq!(c.jti.len(), 22, "128 random bits, base64url");
        assert_ne!(c.jti, claims(None).jti);
    }

    #[test]
    fn activity_needs_issuer_expiry_and_no_revocation() {
        let c = claims(Some("g"));
        let none = HashMap::new();
        let marks = Watermarks::default();
        assert!(c.is_active("https://i/t/a", 159, &none, &marks));
        assert!(!c.is_active("https://i/t/b", 159, &none, &marks), "issuer");
        assert!(!c.is_active("https://i/t/a", 160, &none, &marks), "expired");
        let by_jti = HashMap::from([(c.jti.clone(), 160)]);
        assert!(!c.is_active("https://i/t/a", 100, &by_jti, &marks), "jti");
        let by_grant = HashMap::from([(AccessTokenClaims::grant_key("g"), 160)]);
        assert!(!c.is_active("https://i/t/a", 100, &by_grant, &marks), "gid");
        let user = Watermarks::new([(crate::domain::watermarks::user("u"), 100)]);
        assert!(
            !c.is_active("https://i/t/a", 100, &none, &user),
            "watermark"
        );
        let earlier = Watermarks::new([(crate::domain::watermarks::client("c"), 99)]);
        assert!(c.is_active("https://i/t/a", 100, &none, &earlier));
    }
}
