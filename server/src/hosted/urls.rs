//! The addresses hosted pages name: the tenant's issuer and its page paths.

use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// The tenant's issuer (`{public_url}/t/{slug}`).
pub fn issuer(state: &AppState, tenant: &CurrentTenant) -> String {
    tenant
        .snapshot
        .tenant
        .issuer(&state.platform.config.http.public_url)
}

/// `/t/{slug}/{page}` of the tenant, as a path.
pub fn page_path(tenant: &CurrentTenant, page: &str) -> String {
    format!("/t/{}/{page}", tenant.snapshot.tenant.slug)
}
