//! What every admin request shares: the platform, the change feed's
//! freshness, and the system tenant's verification state.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arc_swap::ArcSwapOption;
use idp::changes::Freshness;
use idp::ids::TenantSlug;
use idp::platform::Platform;
use idp::tenants::TenantState;

use crate::errors::AdminError;

/// The slug of the built-in tenant that issues admin tokens.
pub const SYSTEM_SLUG: &str = "system";

/// The audience (API identifier) of admin tokens.
pub const ADMIN_AUDIENCE: &str = "urn:idp:admin";

/// The scope admin tokens must carry.
pub const ADMIN_SCOPE: &str = "admin";

/// The system tenant's public client `idp-admin login` signs people in with
/// (authorization code + PKCE, RFC 8252 loopback redirect).
pub const CLI_CLIENT_ID: &str = "idp-admin-cli";

/// Its registered redirect URI; any loopback port matches (RFC 8252 §7.3).
pub const CLI_REDIRECT_URI: &str = "http://127.0.0.1/callback";

/// Shared state of the admin service.
#[derive(Clone)]
pub struct AdminState {
    /// Database, store, clock and config.
    pub platform: Platform,
    /// Whether cached state is known to be recent.
    pub freshness: Arc<Freshness>,
    /// The system tenant's keys and revocations, reloaded after it changes.
    pub system: Arc<SystemCache>,
    /// How many refused calls may still be audited this minute.
    pub refusals: Arc<crate::refusals::RefusalBudget>,
}

/// The system tenant as last read, and whether it changed since.
#[derive(Default)]
pub struct SystemCache {
    state: ArcSwapOption<TenantState>,
    dirty: AtomicBool,
}

impl SystemCache {
    /// Marks the cache stale (the change feed calls this).
    pub fn invalidate(&self) {
        self.dirty.store(true, Ordering::Release);
    }

    /// The system tenant's state, read again if it changed; `None` before
    /// `bootstrap` created it.
    pub async fn get(&self, platform: &Platform) -> Result<Option<Arc<TenantState>>, AdminError> {
        let dirty = self.dirty.swap(false, Ordering::AcqRel);
        if !dirty && let Some(state) = self.state.load_full() {
            return Ok(Some(state));
        }
        let slug =
            TenantSlug::parse(SYSTEM_SLUG).map_err(|e| AdminError::Internal(e.to_string()))?;
        let known = self.state.load_full().map(|s| Arc::clone(&s.keys));
        match idp::tenants::load_state(platform, &slug, known).await {
            Ok(loaded) => {
                let loaded = loaded.map(Arc::new);
                self.state.store(loaded.clone());
                Ok(loaded)
            }
            Err(e) => {
                self.dirty.store(true, Ordering::Release);
                Err(e.into())
            }
        }
    }
}
