//! `/t/{slug}` resolved to a tenant: the [`CurrentTenant`] extractor. A cached,
//! fresh context answers without I/O; otherwise the tenant is read from the
//! database in the request task and handed to the registry. Requests fail
//! closed (503) when cached state cannot be known to be fresh. The cache
//! ([`TenantCache`], [`TenantContext`]) and what requests see of a tenant
//! ([`TenantSnapshot`], [`Jwks`]) live here, written by the registry actor and
//! followed by the key ring actor, so neither actor imports the other.

mod cache;
mod snapshot;

use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use idp::ids::TenantSlug;

pub use self::cache::{TenantCache, TenantContext};
pub use self::snapshot::{Jwks, TenantSnapshot};
use crate::actors::registry::{ApplyChange, InstallTenant};
use crate::errors::ApiError;
use crate::state::AppState;

/// How long a request waits for the registry to install a tenant.
const INSTALL_DEADLINE: Duration = Duration::from_secs(2);

/// The enabled tenant a request addresses, with its current snapshot.
pub struct CurrentTenant {
    /// The cached context (actors, freshness).
    pub context: Arc<TenantContext>,
    /// The snapshot this request works with, from start to end.
    pub snapshot: Arc<TenantSnapshot>,
}

impl FromRequest for CurrentTenant {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let slug = req.match_info().get("slug").map(str::to_owned);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal("no app state".into()))?;
            resolve(&state, slug.as_deref().unwrap_or_default()).await
        })
    }
}

/// Resolves `slug` for one request.
pub async fn resolve(state: &AppState, slug: &str) -> Result<CurrentTenant, ApiError> {
    let unknown = || ApiError::NotFound("no such tenant");
    let slug = TenantSlug::parse(slug).map_err(|_| unknown())?;
    if !state.freshness.is_fresh() {
        return Err(ApiError::Unavailable(
            "change counter unread within the staleness bound".into(),
        ));
    }
    let now_ms = state.platform.clock.now_ms();
    let cached = state.tenants.get(&slug);
    let context = match cached {
        Some(context) if !context.is_stale() => context,
        _ => {
            let generation = state.tenants.generation();
            let known_keys = cached.map(|c| Arc::clone(&c.snapshot().keys));
            let loaded = idp::tenants::load_state(&state.platform, &slug, known_keys)
                .await?
                .ok_or_else(unknown)?;
            state
                .registry
                .send(InstallTenant {
                    state: loaded,
                    generation,
                })
                .timeout(INSTALL_DEADLINE)
                .await
                .map_err(|e| ApiError::Unavailable(format!("tenant registry: {e}")))?
        }
    };
    context.touch(now_ms);
    let snapshot = context.snapshot();
    if !snapshot.tenant.enabled {
        return Err(unknown());
    }
    Ok(CurrentTenant { context, snapshot })
}

/// The client `id` of the tenant: from the snapshot's cache, else read once
/// from the database and cached for the snapshot's lifetime.
pub async fn find_client(
    state: &AppState,
    tenant: &CurrentTenant,
    id: &idp::ids::ClientId,
) -> Result<Option<Arc<idp::domain::client::Client>>, ApiError> {
    let snapshot = &tenant.snapshot;
    Ok(match snapshot.cached_client(id) {
        Some(client) => Some(client),
        None => idp::clients::find(&state.platform, snapshot.tenant.id, id)
            .await?
            .map(|client| snapshot.cache_client(client)),
    })
}

/// Applies a change of `tenant` in this process before answering, so the
/// caller's next request here already sees it; other processes follow the
/// change feed.
pub async fn apply_locally(state: &AppState, tenant: idp::ids::TenantId) -> Result<(), ApiError> {
    state
        .registry
        .send(ApplyChange(idp::changes::Change::Tenant(tenant)))
        .await
        .map_err(|e| ApiError::Unavailable(format!("tenant registry: {e}")))
}
