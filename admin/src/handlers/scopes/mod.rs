//! Scopes a tenant's clients can ask for: the OpenID Connect built-ins with
//! the claims each releases, and every API's scopes with their descriptions
//! (edited through the API they belong to).

pub mod list;

use serde::Serialize;
use utoipa::ToSchema;

/// A scope as a consent page shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScopeInfo {
    /// Scope token.
    pub name: String,
    /// Shown on the consent page.
    pub description: String,
    /// Claims it releases (OpenID Connect scopes) at userinfo and in ID tokens.
    pub claims: Vec<String>,
    /// `openid` for the built-ins, otherwise the identifier of its API.
    pub defined_by: String,
}
