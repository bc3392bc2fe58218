//! APIs (resource servers): identifier (the `aud` of their tokens), name,
//! the scopes they define (with descriptions shown on consent pages), and
//! which one is the tenant's default.

pub mod create;
pub mod delete;
pub mod list;
pub mod read;
pub mod update;

use idp::domain::api::{Api, ApiScope};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A scope an API defines.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeView {
    /// Scope name (RFC 6749 §3.3 characters).
    pub name: String,
    /// Shown on consent pages.
    #[serde(default)]
    pub description: String,
}

/// An API as the admin API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiView {
    /// Internal id.
    pub id: String,
    /// Absolute URI: the `aud` of its tokens and the RFC 8707 `resource` value.
    pub identifier: String,
    /// Display name.
    pub name: String,
    /// Scopes it defines.
    pub scopes: Vec<ScopeView>,
    /// Used when a token request names no `resource`.
    pub is_default: bool,
}

impl From<&Api> for ApiView {
    fn from(api: &Api) -> Self {
        Self {
            id: api.id.clone(),
            identifier: api.identifier.clone(),
            name: api.name.clone(),
            scopes: api
                .scopes
                .iter()
                .map(|s: &ApiScope| ScopeView {
                    name: s.name.clone(),
                    description: s.description.clone(),
                })
                .collect(),
            is_default: api.is_default,
        }
    }
}

impl From<ScopeView> for ApiScope {
    fn from(view: ScopeView) -> Self {
        Self {
            name: view.name,
            description: view.description,
        }
    }
}
