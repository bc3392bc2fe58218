//! The client credentials grant (RFC 6749 §4.4) with RFC 8707 resource
//! indicators: which API the token is for and which scopes it carries.

use crate::domain::api::Api;
use crate::domain::client::Client;
use crate::domain::grant::requested_scopes;
use crate::domain::policy::TenantPolicy;
use crate::protocol::params::GrantType;

/// Why the grant is refused; each maps to one RFC 6749 §5.2 / RFC 8707 code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientCredentialsError {
    /// Public client, or the grant is not allowed for the client or tenant.
    #[error("client is not allowed to use client_credentials")]
    UnauthorizedClient,
    /// Unknown `resource`, more than one, none and no default API, or an API
    /// the client may not use.
    #[error("no usable API for this request")]
    InvalidTarget,
    /// A requested scope is not allowed for the client at this API.
    #[error("requested scope is not allowed")]
    InvalidScope,
}

/// The API and scopes a granted token carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted<'a> {
    /// The audience.
    pub api: &'a Api,
    /// Granted scopes, in request order (or the API's order by default).
    pub scopes: Vec<String>,
}

/// Decides a client_credentials request. `resources` are the `resource`
/// values (RFC 8707 §2); `scope` is the raw `scope` parameter.
pub fn decide<'a>(
    policy: &TenantPolicy,
    client: &Client,
    apis: &'a [Api],
    resources: &[&str],
    scope: Option<&str>,
) -> Result<Granted<'a>, ClientCredentialsError> {
    if !client.confidential || !client.may_use(GrantType::ClientCredentials, policy) {
        return Err(ClientCredentialsError::UnauthorizedClient);
    }
    let api = match resources {
        [] => apis.iter().find(|a| a.is_default),
        [one] => apis.iter().find(|a| a.identifier == *one),
        _ => None,
    }
    .ok_or(ClientCredentialsError::InvalidTarget)?;
    if !client.settings.apis.is_empty() && !client.settings.apis.contains(&api.identifier) {
        return Err(ClientCredentialsError::InvalidTarget);
    }
    let allowed = |s: &str| api.defines(s) && client.settings.scopes.iter().any(|c| c == s);
    let scopes = match requested_scopes(scope) {
        None => api
            .scopes
            .iter()
            .map(|s| s.name.clone())
            .filter(|s| allowed(s))
            .collect(),
        Some(requested) if requested.iter().all(|s| allowed(s)) => requested,
        Some(_) => return Err(ClientCredentialsError::InvalidScope),
    };
    Ok(Granted { api, scopes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::api::ApiScope;
    use crate::domain::client::{AuthMethod, NewClient, SecretDigests};
    use crate::ids::ClientId;

    fn api(identifier: &str, default: bool, scopes: &[&str]) -> Api {
        Api {
            id: identifier.into(),
            identifier: identifier.into(),
            name: identifier.into(),
            scopes: scopes
                .iter()
                .map(|s| ApiScope {
                    name: (*s).into(),
                    description: String::new(),
                })
                .collect(),
            is_default: default,
        }
    }

    fn client(scopes: &[&str], apis: &[&str]) -> Client {
        let new = NewClient {
            apis: apis.iter().map(|s| (*s).to_owned()).collect(),
            ..NewClient::machine("c", scopes)
        };
        Client {
            id: ClientId::new("c"),
            name: new.name.clone(),
            confidential: true,
            auth_method: AuthMethod::ClientSecretBasic,
            secrets: SecretDigests::default(),
            settings: new.settings(),
            enabled: true,
        }
    }

    #[test]
    fn audience_and_scope_selection() {
        let policy = TenantPolicy::default();
        let apis = [
            api("https://a", true, &["a:read", "a:write"]),
            api("https://b", false, &["b:read"]),
        ];
        let c = client(&["a:read", "b:read"], &[]);
        let granted = decide(&policy, &c, &apis, &[], None).expect("default api");
        assert_eq!(granted.api.identifier, "https://a");
        assert_eq!(granted.scopes, vec!["a:read"]);
        let granted = decide(&policy, &c, &apis, &["https://b"], Some("b:read")).expect("b");
        assert_eq!(granted.api.identifier, "https://b");
        assert_eq!(
            decide(&policy, &c, &apis, &[], Some("a:write")),
            Err(ClientCredentialsError::InvalidScope)
        );
        assert_eq!(
            decide(&policy, &c, &apis, &[], Some("b:read")),
            Err(ClientCredentialsError::InvalidScope),
            "a scope of another API"
        );
        assert_eq!(
            decide(&policy, &c, &apis, &["https://nope"], None),
            Err(ClientCredentialsError::InvalidTarget)
        );
        assert_eq!(
            decide(&policy, &c, &apis, &["https://a", "https://b"], None),
            Err(ClientCredentialsError::InvalidTarget)
        );
        let limited = client(&["a:read", "b:read"], &["https://b"]);
        assert_eq!(
            decide(&policy, &limited, &apis, &[], None),
            Err(ClientCredentialsError::InvalidTarget)
        );
        let mut public = client(&[], &[]);
        public.confidential = false;
        assert_eq!(
            decide(&policy, &public, &apis, &[], None),
            Err(ClientCredentialsError::UnauthorizedClient)
        );
        let closed = TenantPolicy {
            allowed_grants: vec![],
            ..TenantPolicy::default()
        };
        assert_eq!(
            decide(&closed, &c, &apis, &[], None),
            Err(ClientCredentialsError::UnauthorizedClient)
        );
    }
}
