//! `idp-admin keys …`: a tenant's signing keys.

use clap::Subcommand;
use reqwest::Method;
use serde_json::json;

use super::call::Call;

const KEYS: &[&str] = &["kid", "alg", "activates_at", "retires_at"];

/// What to do with signing keys.
#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// List a tenant's signing keys (public halves and schedule).
    List {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
    },
    /// Add a new key that signs after the JWKS caches have seen it; the
    /// old one retires once its tokens have expired.
    Rotate {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// `RS256` or `ES256` (default: the tenant's access-token algorithm).
        #[arg(long)]
        alg: Option<String>,
    },
}

impl KeyAction {
    /// The call this action makes.
    pub fn call(self) -> Call {
        match self {
            Self::List { tenant } => {
                Call::new(Method::GET, "/v1/tenants/{tenant}/keys", KEYS).param("tenant", tenant)
            }
            Self::Rotate { tenant, alg } => {
                Call::new(Method::POST, "/v1/tenants/{tenant}/keys/rotate", KEYS)
                    .param("tenant", tenant)
                    .body(json!({ "alg": alg }))
            }
        }
    }
}
