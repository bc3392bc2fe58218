//! Tenants: create (with keys), list, read, update policies, deactivate.

pub mod create;
pub mod delete;
pub mod list;
pub mod read;
pub mod update;

use idp::domain::tenant::Tenant;
use serde::Serialize;
use utoipa::ToSchema;

/// A tenant as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantView {
    /// Internal id.
    pub id: String,
    /// URL slug: the tenant's endpoints are under `/t/{slug}`.
    pub slug: String,
    /// Name shown on hosted pages.
    pub display_name: String,
    /// A deactivated tenant's endpoints answer 404 and its tokens are inactive.
    pub enabled: bool,
    /// The tenant's issuer.
    pub issuer: String,
    /// Lifetimes (seconds, within hard caps), allowed grants, switches, branding.
    #[schema(value_type = Object)]
    pub policy: idp::domain::policy::TenantPolicy,
}

impl TenantView {
    /// The view of `tenant`, with the issuer under `public_url`.
    pub fn new(tenant: &Tenant, public_url: &str) -> Self {
        Self {
            id: tenant.id.to_string(),
            slug: tenant.slug.to_string(),
            display_name: tenant.display_name.clone(),
            enabled: tenant.enabled,
            issuer: tenant.issuer(public_url),
            policy: tenant.policy.clone(),
        }
    }
}
