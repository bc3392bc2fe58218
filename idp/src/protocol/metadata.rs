//! Authorization server metadata: OIDC Discovery 1.0 §3 and RFC 8414 §2.
//! Members appear only for what the platform implements.

use serde::Serialize;

use crate::crypto::keys::SigningAlg;
use crate::domain::tenant::Tenant;

/// The discovery document of one tenant.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// Exactly `{public_url}/t/{slug}`.
    pub issuer: String,
    /// RFC 7517 key set of the tenant.
    pub jwks_uri: String,
    /// OIDC Discovery §3; `public` identifiers only.
    pub subject_types_supported: Vec<&'static str>,
    /// Algorithms the tenant has keys for (OIDC Core §15.1: RS256 included).
    pub id_token_signing_alg_values_supported: Vec<&'static str>,
}

impl ProviderMetadata {
    /// The document for `tenant` under `public_url`.
    pub fn for_tenant(tenant: &Tenant, public_url: &str) -> Self {
        let issuer = tenant.issuer(public_url);
        Self {
            jwks_uri: format!("{issuer}/jwks.json"),
            issuer,
            subject_types_supported: vec!["public"],
            id_token_signing_alg_values_supported: SigningAlg::ALL
                .iter()
                .map(|a| a.as_str())
                .collect(),
        }
    }
}
