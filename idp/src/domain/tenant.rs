//! A tenant: its slug, name, policy, and the issuer built from them.

use crate::domain::policy::TenantPolicy;
use crate::ids::{TenantId, TenantSlug};

/// A tenant as the rest of the platform sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// Internal id.
    pub id: TenantId,
    /// URL slug.
    pub slug: TenantSlug,
    /// Name shown on hosted pages.
    pub display_name: String,
    /// Lifetimes, grants and switches.
    pub policy: TenantPolicy,
    /// A disabled tenant answers every endpoint as if it did not exist.
    pub enabled: bool,
    /// Change counter value of the tenant's last change.
    pub revision: i64,
}

impl Tenant {
    /// `{public_url}/t/{slug}` (DESIGN; OIDC Core §16.15: one issuer per tenant).
    pub fn issuer(&self, public_url: &str) -> String {
        issuer(public_url, &self.slug)
    }
}

/// The issuer of the tenant with `slug`.
pub fn issuer(public_url: &str, slug: &TenantSlug) -> String {
    format!("{public_url}/t/{slug}")
}

/// What a new tenant is made from.
#[derive(Debug, Clone)]
pub struct NewTenant {
    /// URL slug, unique.
    pub slug: TenantSlug,
    /// Name shown on hosted pages.
    pub display_name: String,
    /// Initial policy.
    pub policy: TenantPolicy,
}

impl NewTenant {
    /// A tenant with the default policy.
    pub fn new(slug: TenantSlug, display_name: impl Into<String>) -> Self {
        Self {
            slug,
            display_name: display_name.into(),
            policy: TenantPolicy::default(),
        }
    }
}
