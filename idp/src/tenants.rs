//! Operations on tenants that both binaries use. Each change is written with
//! its counter bump in one transaction and then announced (see [`crate::changes`]).

use std::collections::HashMap;
use std::sync::Arc;

use crate::crypto::keys::{GeneratedKey, KeyError, KeyRing, SigningAlg};
use crate::domain::api::Api;
use crate::domain::policy::{PolicyError, TenantPolicy};
use crate::domain::tenant::{NewTenant, Tenant};
use crate::domain::watermarks::Watermarks;
use crate::ids::{TenantId, TenantSlug};
use crate::platform::Platform;
use crate::store::StoreError;
use crate::store::queries::{apis, clients, signing_keys, tenants, tokens, watermarks};
use crate::writes::{Audit, Reach};

/// Why a tenant operation failed.
#[derive(Debug, thiserror::Error)]
pub enum TenantError {
    /// The slug belongs to another tenant.
    #[error("a tenant with this slug exists")]
    SlugTaken,
    /// No such tenant.
    #[error("no such tenant")]
    NotFound,
    /// A policy value is out of range.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// Key generation failed.
    #[error(transparent)]
    Keys(#[from] KeyError),
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for TenantError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(_) => Self::SlugTaken,
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

/// Creates a tenant with one RS256 and one ES256 signing key, active at once.
pub async fn create(platform: &Platform, new: NewTenant) -> Result<Tenant, TenantError> {
    create_audited(platform, new, Audit::none()).await
}

/// [`create`], with the audit row of an admin change.
pub async fn create_audited(
    platform: &Platform,
    new: NewTenant,
    audit: Audit<Tenant>,
) -> Result<Tenant, TenantError> {
    new.policy.validate()?;
    // RSA generation takes tens of milliseconds: keep it off the async threads.
    let keys = tokio::task::spawn_blocking(|| {
        SigningAlg::ALL
            .into_iter()
            .map(GeneratedKey::generate)
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| StoreError::Other(e.to_string()))??;
    let sealer = platform.sealer.clone();
    let id = TenantId::generate();
    platform
        .change(Reach::Tenant(id), audit, move |conn, now| {
            let tenant = tenants::insert(conn, id, &new, now)?;
            for key in &keys {
                signing_keys::insert(conn, tenant.id, &sealer, key, now, now)?;
            }
            Ok(tenant)
        })
        .await
}

/// The tenant with `new.slug`, created if absent. Safe when several
/// processes call it at once.
pub async fn ensure(platform: &Platform, new: NewTenant) -> Result<Tenant, TenantError> {
    let slug = new.slug.clone();
    if let Some(found) = find_by_slug(platform, &slug).await? {
        return Ok(found);
    }
    match create(platform, new).await {
        Err(TenantError::SlugTaken) => find_by_slug(platform, &slug)
            .await?
            .ok_or(TenantError::NotFound),
        other => other,
    }
}

/// The tenant with `slug`, enabled or not.
pub async fn find_by_slug(
    platform: &Platform,
    slug: &TenantSlug,
) -> Result<Option<Tenant>, TenantError> {
    let slug = slug.clone();
    Ok(platform
        .db
        .run(move |conn| tenants::find_by_slug(conn, &slug))
        .await?)
}

/// What a server process caches of a tenant, read in one database call.
#[derive(Debug)]
pub struct TenantState {
    /// The tenant row.
    pub tenant: Tenant,
    /// Its parsed signing keys.
    pub keys: Arc<KeyRing>,
    /// Its APIs.
    pub apis: Vec<Api>,
    /// Revoked token ids that have not expired, with their expiry.
    pub revoked: HashMap<String, i64>,
    /// Browser origins its clients registered (CORS).
    pub web_origins: std::collections::HashSet<String>,
    /// Not-before watermarks that still matter.
    pub watermarks: Watermarks,
}

/// Reads the state of the tenant with `slug`, if it exists. `known_keys`, the
/// ring a cached copy already holds, is reused when the keys did not change.
pub async fn load_state(
    platform: &Platform,
    slug: &TenantSlug,
    known_keys: Option<Arc<KeyRing>>,
) -> Result<Option<TenantState>, StoreError> {
    let slug = slug.clone();
    let sealer = platform.sealer.clone();
    let now = platform.clock.now_secs();
    platform
        .db
        .run(move |conn| {
            let Some(tenant) = tenants::find_by_slug(conn, &slug)? else {
                return Ok(None);
            };
            let keys = signing_keys::load_ring(conn, tenant.id, &sealer, known_keys)?;
            let apis = apis::list(conn, tenant.id)?;
            let revoked = tokens::live_revocations(conn, tenant.id, now)?
                .into_iter()
                .collect();
            let web_origins = clients::web_origins(conn, tenant.id)?;
            let watermarks = Watermarks::new(watermarks::live(conn, tenant.id, now)?);
            Ok(Some(TenantState {
                watermarks,
                tenant,
                keys,
                apis,
                revoked,
                web_origins,
            }))
        })
        .await
}

/// Replaces the tenant's policy.
pub async fn update_policy(
    platform: &Platform,
    id: TenantId,
    policy: TenantPolicy,
) -> Result<(), TenantError> {
    policy.validate()?;
    platform
        .change(Reach::Tenant(id), Audit::none(), move |conn, now| {
            Ok(tenants::update_policy(conn, id, &policy, now)?)
        })
        .await
}

/// Enables or disables the tenant; a disabled tenant's endpoints answer 404.
pub async fn set_enabled(
    platform: &Platform,
    id: TenantId,
    enabled: bool,
) -> Result<(), TenantError> {
    platform
        .change(Reach::Tenant(id), Audit::none(), move |conn, now| {
            Ok(tenants::set_enabled(conn, id, enabled, now)?)
        })
        .await
}
