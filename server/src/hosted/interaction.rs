//! The authorization interaction: a validated authorization request kept in
//! the ephemeral store (Redis on production, so any process continues it)
//! while the user signs in and consents. Pages and forms carry only its random
//! id; it is bound to the browser that started it, and its CSRF token is
//! checked on every form post, so neither another site nor another browser
//! can drive it, and form fields cannot change what was requested.
//!
//! Every page loads its interaction here: [`load_bound`] for a page shown,
//! [`load_posted`] for a form posted, [`client_of`] for the client that asked.

use std::sync::Arc;

use actix_web::HttpRequest;
use idp::crypto::b64url;
use idp::domain::authorize::AuthorizationRequest;
use idp::domain::client::Client;
use idp::ephemeral::{EphemeralError, Key};
use idp::ids::{ClientId, TenantId};
use idp::platform::Platform;
use idp::secret::{constant_time_eq, random_bytes};
use serde::{Deserialize, Serialize};

use crate::hosted::cookies::{cookie_policy, current_binding};
use crate::hosted::error::PageError;
use crate::state::AppState;
use crate::tenant::{self, CurrentTenant};

/// Shown when an interaction is missing, expired or from another browser.
pub const EXPIRED: &str = "This sign-in request has expired or was opened in another browser. Go back to the application and start again.";

/// `?interaction=` of the page URLs.
#[derive(Deserialize)]
pub struct InteractionQuery {
    /// The interaction id.
    pub interaction: String,
}

/// How long a user has to sign in and consent.
pub const LIFETIME_SECS: i64 = 30 * 60;

/// A stored authorization interaction.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Interaction {
    /// The client that asked.
    pub client_id: String,
    /// The validated request; nothing a form sends can change it.
    pub request: AuthorizationRequest,
    /// Digest of the browser binding cookie.
    pub browser: String,
    /// CSRF token of this interaction's forms.
    pub csrf: String,
    /// The signed-in user consent is asked of, once known.
    pub user_id: Option<String>,
}

impl Interaction {
    /// A new interaction for `request` from the browser with `browser` binding.
    pub fn new(client_id: String, request: AuthorizationRequest, browser: String) -> Self {
        Self {
            client_id,
            request,
            browser,
            csrf: b64url(&random_bytes::<32>()),
            user_id: None,
        }
    }

    /// Whether a form post carries this interaction's CSRF token from the
    /// browser that started it.
    pub fn accepts(&self, browser: Option<&str>, csrf: Option<&str>) -> bool {
        let same_browser =
            browser.is_some_and(|b| constant_time_eq(b.as_bytes(), self.browser.as_bytes()));
        let token = csrf.is_some_and(|c| constant_time_eq(c.as_bytes(), self.csrf.as_bytes()));
        same_browser && token
    }
}

fn key(tenant: TenantId, id: &str) -> Key {
    Key::new(tenant, "interaction", id)
}

/// Stores `interaction` under a new random id, returned.
pub async fn create(
    platform: &Platform,
    tenant: TenantId,
    interaction: &Interaction,
) -> Result<String, EphemeralError> {
    let id = b64url(&random_bytes::<24>());
    save(platform, tenant, &id, interaction).await?;
    Ok(id)
}

/// Replaces the interaction `id`.
pub async fn save(
    platform: &Platform,
    tenant: TenantId,
    id: &str,
    interaction: &Interaction,
) -> Result<(), EphemeralError> {
    let value = serde_json::to_vec(interaction).map_err(|e| EphemeralError(e.to_string()))?;
    let expires_at = platform.clock.now_ms() + LIFETIME_SECS * 1000;
    platform
        .ephemeral
        .put(&platform.clock, &key(tenant, id), &value, expires_at)
        .await
}

/// The interaction `id`, if live.
pub async fn load(
    platform: &Platform,
    tenant: TenantId,
    id: &str,
) -> Result<Option<Interaction>, EphemeralError> {
    let bytes = platform
        .ephemeral
        .get(&platform.clock, &key(tenant, id))
        .await?;
    Ok(bytes.and_then(|b| serde_json::from_slice(&b).ok()))
}

/// Takes the interaction `id`: of concurrent finishes, one gets it.
pub async fn take(
    platform: &Platform,
    tenant: TenantId,
    id: &str,
) -> Result<Option<Interaction>, EphemeralError> {
    let bytes = platform
        .ephemeral
        .take(&platform.clock, &key(tenant, id))
        .await?;
    Ok(bytes.and_then(|b| serde_json::from_slice(&b).ok()))
}

/// Loads interaction `id` for the browser of `req` (a page shown).
pub async fn load_bound(
    state: &AppState,
    tenant: &CurrentTenant,
    req: &HttpRequest,
    id: &str,
) -> Result<Interaction, PageError> {
    let found = load(&state.platform, tenant.snapshot.tenant.id, id).await?;
    let browser = current_binding(req, cookie_policy(state));
    found
        .filter(|i| browser.as_deref() == Some(i.browser.as_str()))
        .ok_or(PageError::BadRequest(EXPIRED))
}

/// Loads interaction `id` for a form posted with `csrf` from `req`: from
/// another browser, or without the token, it is `forbidden`.
pub async fn load_posted(
    state: &AppState,
    tenant: &CurrentTenant,
    req: &HttpRequest,
    id: &str,
    csrf: Option<&str>,
    forbidden: &'static str,
) -> Result<Interaction, PageError> {
    let Some(pending) = load(&state.platform, tenant.snapshot.tenant.id, id).await? else {
        return Err(PageError::BadRequest(EXPIRED));
    };
    let browser = current_binding(req, cookie_policy(state));
    if !pending.accepts(browser.as_deref(), csrf) {
        return Err(PageError::Forbidden(forbidden));
    }
    Ok(pending)
}

/// The enabled client that started `pending`.
pub async fn client_of(
    state: &AppState,
    tenant: &CurrentTenant,
    pending: &Interaction,
) -> Result<Arc<Client>, PageError> {
    tenant::find_client(state, tenant, &ClientId::new(pending.client_id.as_str()))
        .await?
        .filter(|c| c.enabled)
        .ok_or(PageError::BadRequest(EXPIRED))
}
