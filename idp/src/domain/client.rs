//! OAuth clients (RFC 6749 §2): type, authentication method (RFC 7591 §2
//! `token_endpoint_auth_method`), redirect URIs, grants, scopes, APIs and
//! access-token format.

use serde::{Deserialize, Serialize};

use crate::crypto::keys::SigningAlg;
use crate::domain::api::is_scope_token;
use crate::domain::policy::TenantPolicy;
use crate::domain::redirect_uri::{self, RedirectUriError};
use crate::ids::ClientId;
use crate::protocol::params::GrantType;

/// How a client authenticates at the token endpoint (RFC 7591 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// HTTP Basic with form-urlencoded id and secret (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
    /// Public client: no secret.
    None,
}

impl AuthMethod {
    /// The RFC 7591 name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
            Self::None => "none",
        }
    }

    /// Parses the RFC 7591 name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::ClientSecretBasic, Self::ClientSecretPost, Self::None]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}

/// Access-token format of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenFormat {
    /// RFC 9068 JWT, verifiable by APIs offline.
    Jwt,
    /// 256-bit random reference, checked by introspection.
    Opaque,
}

impl TokenFormat {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jwt => "jwt",
            Self::Opaque => "opaque",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "jwt" => Some(Self::Jwt),
            "opaque" => Some(Self::Opaque),
            _ => None,
        }
    }
}

/// Keyed digests of a client's live secrets: the current one, and during a
/// rotation the previous one until it expires.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecretDigests {
    /// Digest of the current secret.
    pub current: Option<Vec<u8>>,
    /// Digest of the previous secret and when it stops working (unix seconds).
    pub previous: Option<(Vec<u8>, i64)>,
}

/// What a client may do and get; stored as one JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSettings {
    /// Exact redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Grants it may use.
    pub grant_types: Vec<GrantType>,
    /// Scopes it may be given.
    pub scopes: Vec<String>,
    /// Identifiers of the APIs it may get tokens for; empty means any.
    pub apis: Vec<String>,
    /// Access-token format.
    pub token_format: TokenFormat,
    /// Access-token lifetime in seconds, capped by the tenant; `None`: the tenant's.
    pub access_token_ttl_secs: Option<i64>,
    /// JWT access-token algorithm; `None`: the tenant's.
    pub access_token_alg: Option<SigningAlg>,
    /// First-party clients skip consent.
    pub first_party: bool,
    /// ID-token algorithm; `None`: the tenant's (RS256 by default).
    #[serde(default)]
    pub id_token_alg: Option<SigningAlg>,
    /// Exact URIs RP-initiated logout may send the user back to.
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// Browser origins (`scheme://host[:port]`) allowed cross-origin calls (CORS).
    #[serde(default)]
    pub web_origins: Vec<String>,
}

/// A registered client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// `client_id`.
    pub id: ClientId,
    /// Display name.
    pub name: String,
    /// Confidential clients hold a secret; public ones cannot.
    pub confidential: bool,
    /// The one method it must authenticate with.
    pub auth_method: AuthMethod,
    /// Secret digests.
    pub secrets: SecretDigests,
    /// Grants, scopes, APIs and token settings.
    pub settings: ClientSettings,
    /// A disabled client cannot authenticate.
    pub enabled: bool,
}

impl Client {
    /// Whether the client may use `grant`: registered for it, and the
    /// tenant's policy allows it.
    pub fn may_use(&self, grant: GrantType, policy: &TenantPolicy) -> bool {
        self.settings.grant_types.contains(&grant) && policy.allows(grant)
    }

    /// Where a person may be sent back to the application when no request
    /// names a place: its first post-logout URI, else the origin of its
    /// first web redirect URI (registered values only, never a request's).
    pub fn home_page(&self) -> Option<String> {
        let s = &self.settings;
        if let Some(first) = s.post_logout_redirect_uris.first() {
            return Some(first.clone());
        }
        s.redirect_uris.iter().find_map(|uri| {
            let url = url::Url::parse(uri).ok()?;
            matches!(url.scheme(), "https" | "http")
                .then(|| url.origin().ascii_serialization() + "/")
        })
    }

    /// The registration this client answers to: an edited client must still
    /// pass [`NewClient::validate`].
    pub fn registration(&self) -> NewClient {
        let s = &self.settings;
        NewClient {
            name: self.name.clone(),
            auth_method: self.auth_method,
            redirect_uris: s.redirect_uris.clone(),
            grant_types: s.grant_types.clone(),
            scopes: s.scopes.clone(),
            apis: s.apis.clone(),
            token_format: s.token_format,
            access_token_ttl_secs: s.access_token_ttl_secs,
            access_token_alg: s.access_token_alg,
            first_party: s.first_party,
            id_token_alg: s.id_token_alg,
            post_logout_redirect_uris: s.post_logout_redirect_uris.clone(),
            web_origins: s.web_origins.clone(),
        }
    }
}

/// What a new client is made from; the id and secret are generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClient {
    /// Display name.
    pub name: String,
    /// Authentication method; `None` makes a public client.
    pub auth_method: AuthMethod,
    /// Exact redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Grants it may use.
    pub grant_types: Vec<GrantType>,
    /// Scopes it may be given.
    pub scopes: Vec<String>,
    /// Identifiers of the APIs it may get tokens for; empty means any.
    pub apis: Vec<String>,
    /// Access-token format.
    pub token_format: TokenFormat,
    /// Access-token lifetime override, seconds.
    pub access_token_ttl_secs: Option<i64>,
    /// JWT algorithm override.
    pub access_token_alg: Option<SigningAlg>,
    /// Skips consent.
    pub first_party: bool,
    /// ID-token algorithm override.
    pub id_token_alg: Option<SigningAlg>,
    /// Exact URIs RP-initiated logout may send the user back to.
    pub post_logout_redirect_uris: Vec<String>,
    /// Browser origins allowed cross-origin calls.
    pub web_origins: Vec<String>,
}

impl NewClient {
    /// A confidential machine client using `client_credentials` with Basic.
    pub fn machine(name: impl Into<String>, scopes: &[&str]) -> Self {
        Self {
            name: name.into(),
            auth_method: AuthMethod::ClientSecretBasic,
            redirect_uris: Vec::new(),
            grant_types: vec![GrantType::ClientCredentials],
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            apis: Vec::new(),
            token_format: TokenFormat::Jwt,
            access_token_ttl_secs: None,
            access_token_alg: None,
            first_party: false,
            id_token_alg: None,
            post_logout_redirect_uris: Vec::new(),
            web_origins: Vec::new(),
        }
    }

    /// A web application using the authorization code flow with `auth_method`
    /// (`None` makes it a public client), refresh tokens and `scopes`.
    pub fn web(
        name: impl Into<String>,
        auth_method: AuthMethod,
        redirect_uris: &[&str],
        scopes: &[&str],
    ) -> Self {
        Self {
            name: name.into(),
            auth_method,
            redirect_uris: redirect_uris.iter().map(|s| (*s).to_owned()).collect(),
            grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            ..Self::machine("", &[])
        }
    }

    /// The settings part of the registration.
    pub fn settings(&self) -> ClientSettings {
        ClientSettings {
            redirect_uris: self.redirect_uris.clone(),
            grant_types: self.grant_types.clone(),
            scopes: self.scopes.clone(),
            apis: self.apis.clone(),
            token_format: self.token_format,
            access_token_ttl_secs: self.access_token_ttl_secs,
            access_token_alg: self.access_token_alg,
            first_party: self.first_party,
            id_token_alg: self.id_token_alg,
            post_logout_redirect_uris: self.post_logout_redirect_uris.clone(),
            web_origins: self.web_origins.clone(),
        }
    }

    /// Whether the client holds a secret.
    pub fn is_confidential(&self) -> bool {
        self.auth_method != AuthMethod::None
    }

    /// Checks the registration rules.
    pub fn validate(&self) -> Result<(), ClientError> {
        if self.name.trim().is_empty() || self.name.len() > 200 {
            return Err(ClientError::Name);
        }
        for uri in &self.redirect_uris {
            redirect_uri::validate(uri, self.is_confidential())?;
        }
        for uri in &self.post_logout_redirect_uris {
            redirect_uri::validate(uri, self.is_confidential())
                .map_err(ClientError::PostLogoutRedirectUri)?;
        }
        // Without one, the client could never complete a flow.
        if self.grant_types.contains(&GrantType::AuthorizationCode) && self.redirect_uris.is_empty()
        {
            return Err(ClientError::NoRedirectUri);
        }
        if !self.web_origins.iter().all(|o| is_web_origin(o)) {
            return Err(ClientError::WebOrigin);
        }
        if !self.is_confidential() && self.grant_types.contains(&GrantType::ClientCredentials) {
            return Err(ClientError::PublicClientCredentials);
        }
        if !self.scopes.iter().all(|s| is_scope_token(s)) {
            return Err(ClientError::Scope);
        }
        if self
            .access_token_ttl_secs
            .is_some_and(|t| !(1..=86_400).contains(&t))
        {
            return Err(ClientError::Lifetime);
        }
        Ok(())
    }

    /// Refuses grants no endpoint serves yet, unless `before` (the grants of
    /// the stored client an update starts from) already had them.
    pub fn refuse_unimplemented(&self, before: Option<&[GrantType]>) -> Result<(), ClientError> {
        let new_grant = self
            .grant_types
            .iter()
            .find(|g| !g.is_implemented() && !before.is_some_and(|b| b.contains(g)));
        match new_grant {
            Some(grant) => Err(ClientError::GrantNotImplemented(grant.as_str())),
            None => Ok(()),
        }
    }
}

/// A client registration that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// Empty or overlong name.
    #[error("client name must be 1 to 200 characters")]
    Name,
    /// A redirect URI breaks a rule.
    #[error("redirect_uris: {0}")]
    RedirectUri(#[from] RedirectUriError),
    /// A post-logout redirect URI breaks a rule.
    #[error("post_logout_redirect_uris: {0}")]
    PostLogoutRedirectUri(RedirectUriError),
    /// The authorization code grant without a redirect URI.
    #[error("redirect_uris: the authorization_code grant needs at least one redirect URI")]
    NoRedirectUri,
    /// A scope neither OpenID Connect nor any of the tenant's APIs defines.
    #[error(
        "scopes: `{0}` is neither an OpenID Connect scope nor a scope of one of the tenant's APIs"
    )]
    UnknownScope(String),
    /// A grant no endpoint serves yet.
    #[error("grant_types: `{0}` is not available yet")]
    GrantNotImplemented(&'static str),
    /// RFC 6749 §4.4: only confidential clients use client_credentials.
    #[error("public clients cannot use client_credentials")]
    PublicClientCredentials,
    /// Scope names must be RFC 6749 §3.3 scope tokens.
    #[error("scopes: invalid scope name")]
    Scope,
    /// Lifetime outside 1..=86400 seconds.
    #[error("access token lifetime must be 1 to 86400 seconds")]
    Lifetime,
    /// A web origin is not `https://host[:port]` (or loopback `http`).
    #[error("web_origins: each is https://host[:port], or http on loopback")]
    WebOrigin,
}

/// `https://host[:port]` with nothing after, or the same over `http` for
/// loopback hosts (local development).
fn is_web_origin(origin: &str) -> bool {
    let Ok(url) = url::Url::parse(origin) else {
        return false;
    };
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    scheme_ok
        && url.host_str().is_some()
        && url.path() == "/"
        && !origin.ends_with('/')
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_rules() {
        assert_eq!(NewClient::machine("m", &["read"]).validate(), Ok(()));
        let public = NewClient {
            auth_method: AuthMethod::None,
            ..NewClient::machine("p", &[])
        };
        assert_eq!(public.validate(), Err(ClientError::PublicClientCredentials));
        let http = NewClient {
            redirect_uris: vec!["http://app.example/cb".into()],
            ..NewClient::machine("w", &[])
        };
        assert!(matches!(http.validate(), Err(ClientError::RedirectUri(_))));
        let ttl = NewClient {
            access_token_ttl_secs: Some(0),
            ..NewClient::machine("t", &[])
        };
        assert_eq!(ttl.validate(), Err(ClientError::Lifetime));
        assert_eq!(
            AuthMethod::parse("client_secret_post"),
            Some(AuthMethod::ClientSecretPost)
        );
        assert_eq!(AuthMethod::parse("private_key_jwt"), None);
    }

    #[test]
    fn every_rule_names_its_field() {
        let web = || {
            NewClient::web(
                "w",
                AuthMethod::ClientSecretBasic,
                &["https://a.example/cb"],
                &[],
            )
        };
        let cases: [(NewClient, ClientError, &str); 4] = [
            (
                NewClient {
                    redirect_uris: vec![],
                    ..web()
                },
                ClientError::NoRedirectUri,
                "redirect_uris",
            ),
            (
                NewClient {
                    redirect_uris: vec!["https://u:p@a.example/cb".into()],
                    ..web()
                },
                ClientError::RedirectUri(RedirectUriError::Userinfo),
                "redirect_uris",
            ),
            (
                NewClient {
                    post_logout_redirect_uris: vec![" https://a.example/out".into()],
                    ..web()
                },
                ClientError::PostLogoutRedirectUri(RedirectUriError::Whitespace),
                "post_logout_redirect_uris",
            ),
            (
                NewClient {
                    post_logout_redirect_uris: vec!["https://u@a.example/out".into()],
                    ..web()
                },
                ClientError::PostLogoutRedirectUri(RedirectUriError::Userinfo),
                "post_logout_redirect_uris",
            ),
        ];
        for (client, error, field) in cases {
            assert_eq!(client.validate(), Err(error.clone()));
            assert!(error.to_string().starts_with(field), "{error}");
        }
        let device = NewClient {
            grant_types: vec![GrantType::DeviceCode],
            ..NewClient::machine("d", &[])
        };
        assert_eq!(
            device.refuse_unimplemented(None),
            Err(ClientError::GrantNotImplemented(
                "urn:ietf:params:oauth:grant-type:device_code"
            ))
        );
        assert_eq!(
            device.refuse_unimplemented(Some(&[GrantType::DeviceCode])),
            Ok(())
        );
        assert_eq!(web().refuse_unimplemented(None), Ok(()));
    }
}
