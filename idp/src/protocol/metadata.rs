//! Authorization server metadata: OIDC Discovery 1.0 §3 and RFC 8414 §2.
//! Members appear only for what the platform implements.

use serde::Serialize;

use crate::crypto::keys::SigningAlg;
use crate::domain::tenant::Tenant;
use crate::protocol::params::GrantType;

/// The discovery document of one tenant.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// Exactly `{public_url}/t/{slug}`.
    pub issuer: String,
    /// RFC 7517 key set of the tenant.
    pub jwks_uri: String,
    /// RFC 6749 §3.2.
    pub token_endpoint: String,
    /// RFC 7662.
    pub introspection_endpoint: String,
    /// RFC 7009.
    pub revocation_endpoint: String,
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
    pub fn for_tenant(tenant: &Tenant, public_url: &str) -> Self {
        let issuer = tenant.issuer(public_url);
        let grant_types_supported = [(GrantType::ClientCredentials, "client_credentials")]
            .into_iter()
            .filter(|(grant, _)| tenant.policy.allows(*grant))
            .map(|(_, name)| name)
            .collect();
        let secret_methods = vec!["client_secret_basic", "client_secret_post"];
        let mut token_methods = secret_methods.clone();
        token_methods.push("none");
        Self {
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
