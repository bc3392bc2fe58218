//! Authorization server metadata: OIDC Discovery 1.0 §3 and RFC 8414 §2.
//! Members appear only for what the platform implements.

use serde::Serialize;

use crate::crypto::keys::SigningAlg;
use crate::domain::scope;
use crate::domain::tenant::Tenant;
use crate::protocol::params::GrantType;

/// The discovery document of one tenant.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// Exactly `{public_url}/t/{slug}`.
    pub issuer: String,
    /// RFC 6749 §3.1.
    pub authorization_endpoint: String,
    /// RFC 7517 key set of the tenant.
    pub jwks_uri: String,
    /// OIDC Core §5.3.
    pub userinfo_endpoint: String,
    /// OIDC RP-Initiated Logout §2.1.
    pub end_session_endpoint: String,
    /// RFC 6749 §3.2.
    pub token_endpoint: String,
    /// RFC 7662.
    pub introspection_endpoint: String,
    /// RFC 7009.
    pub revocation_endpoint: String,
    /// Only the code flow (implicit and hybrid are off).
    pub response_types_supported: Vec<&'static str>,
    /// Responses go in the query.
    pub response_modes_supported: Vec<&'static str>,
    /// PKCE: S256 only (RFC 7636 §4.3; `plain` refused).
    pub code_challenge_methods_supported: Vec<&'static str>,
    /// RFC 9207 §3.
    pub authorization_response_iss_parameter_supported: bool,
    /// Scopes: the OIDC built-ins and the tenant's API scopes.
    pub scopes_supported: Vec<String>,
    /// Claims the userinfo endpoint and ID tokens may release.
    pub claims_supported: Vec<&'static str>,
    /// OIDC Core §3.1.2.1 `prompt` values honoured.
    pub prompt_values_supported: Vec<&'static str>,
    /// Claims parameter is not supported.
    pub claims_parameter_supported: bool,
    /// `request` objects are not supported.
    pub request_parameter_supported: bool,
    /// `request_uri` is not supported.
    pub request_uri_parameter_supported: bool,
    /// Grants the tenant allows, of those implemented.
    pub grant_types_supported: Vec<&'static str>,
    /// Client authentication at the token endpoint (RFC 8414 §2).
    pub token_endpoint_auth_methods_supported: Vec<&'static str>,
    /// Client authentication at the introspection endpoint.
    pub introspection_endpoint_auth_methods_supported: Vec<&'static str>,
    /// Client authentication at the revocation endpoint.
    pub revocation_endpoint_auth_methods_supported: Vec<&'static str>,
    /// OIDC Discovery §3; `public` identifiers only.
    pub subject_types_supported: Vec<&'static str>,
    /// Algorithms the tenant has keys for (OIDC Core §15.1: RS256 included).
    pub id_token_signing_alg_values_supported: Vec<&'static str>,
}

impl ProviderMetadata {
    /// The document for `tenant` under `public_url`.
    pub fn for_tenant(tenant: &Tenant, public_url: &str, api_scopes: Vec<String>) -> Self {
        let issuer = tenant.issuer(public_url);
        let grant_types_supported = [
            (GrantType::AuthorizationCode, "authorization_code"),
            (GrantType::ClientCredentials, "client_credentials"),
            (GrantType::RefreshToken, "refresh_token"),
        ]
        .into_iter()
        .filter(|(grant, _)| tenant.policy.allows(*grant))
        .map(|(_, name)| name)
        .collect();
        let secret_methods = vec!["client_secret_basic", "client_secret_post"];
        let mut token_methods = secret_methods.clone();
        token_methods.push("none");
        let mut scopes_supported: Vec<String> =
            scope::BUILTIN.iter().map(|s| s.name.to_owned()).collect();
        scopes_supported.extend(api_scopes);
        let mut claims_supported = vec![
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "acr",
            "amr",
            "azp",
            "sid",
            "at_hash",
        ];
        for builtin in scope::BUILTIN {
            claims_supported.extend(builtin.claims.iter().copied());
        }
        claims_supported.dedup();
        Self {
            authorization_endpoint: format!("{issuer}/authorize"),
            userinfo_endpoint: format!("{issuer}/userinfo"),
            end_session_endpoint: format!("{issuer}/logout"),
            response_types_supported: vec!["code"],
            response_modes_supported: vec!["query"],
            code_challenge_methods_supported: vec!["S256"],
            authorization_response_iss_parameter_supported: true,
            scopes_supported,
            claims_supported,
            prompt_values_supported: vec!["none", "login", "consent"],
            claims_parameter_supported: false,
            request_parameter_supported: false,
            request_uri_parameter_supported: false,
            jwks_uri: format!("{issuer}/jwks.json"),
            token_endpoint: format!("{issuer}/token"),
            introspection_endpoint: format!("{issuer}/introspect"),
            revocation_endpoint: format!("{issuer}/revoke"),
            grant_types_supported,
            token_endpoint_auth_methods_supported: token_methods.clone(),
            introspection_endpoint_auth_methods_supported: secret_methods,
            revocation_endpoint_auth_methods_supported: token_methods,
            issuer,
            subject_types_supported: vec!["public"],
            id_token_signing_alg_values_supported: SigningAlg::ALL
                .iter()
                .map(|a| a.as_str())
                .collect(),
        }
    }
}
