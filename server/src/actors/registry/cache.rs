//! The tenant cache: slug → context, read by request tasks under a read lock,
//! written only by the registry. A context holds the current snapshot (tenant
//! row, key ring, JWKS document), swapped whole on reload.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use actix::Addr;

use arc_swap::ArcSwap;
use idp::crypto::keys::KeyRing;
use idp::domain::api::Api;
use idp::domain::client::Client;
use idp::domain::tenant::Tenant;
use idp::domain::watermarks::Watermarks;
use idp::ids::{ClientId, TenantId, TenantSlug};
use idp::tenants::TenantState;

use crate::actors::sessions::SessionActor;

/// The JWKS document of a tenant, serialized once per change.
#[derive(Debug, Clone)]
pub struct Jwks {
    /// `{"keys":[...]}` bytes.
    pub body: Vec<u8>,
    /// Strong entity tag of `body`.
    pub etag: String,
    /// Key ids in the document and key ids that sign, for change detection.
    pub schedule: Vec<(String, bool)>,
}

impl Jwks {
    /// The document of the keys `ring` publishes at `now` (unix seconds).
    pub fn build(ring: &KeyRing, now: i64) -> Self {
        let mut schedule = Vec::new();
        let keys: Vec<serde_json::Value> = ring
            .published(now)
            .filter_map(|key| {
                schedule.push((key.kid.to_string(), key.signs_at(now)));
                let mut jwk = serde_json::to_value(&key.public).ok()?;
                let members = jwk.as_object_mut()?;
                members.insert("kid".into(), key.kid.as_str().into());
                members.insert("use".into(), "sig".into());
                members.insert("alg".into(), key.alg.as_str().into());
                Some(jwk)
            })
            .collect();
        let body = serde_json::to_vec(&serde_json::json!({ "keys": keys })).unwrap_or_default();
        let digest = idp::crypto::sha256(&body);
        let etag = format!(
            "\"{}\"",
            idp::crypto::b64url(digest.get(..16).unwrap_or(&digest))
        );
        Self {
            body,
            etag,
            schedule,
        }
    }
}

/// What requests see of a tenant; replaced whole on every change of the
/// tenant. Only its client cache fills in place, from the database.
#[derive(Debug)]
pub struct TenantSnapshot {
    /// The tenant row.
    pub tenant: Tenant,
    /// Parsed signing keys, shared by every signing request.
    pub keys: Arc<KeyRing>,
    /// The published key set.
    pub jwks: Jwks,
    /// The tenant's APIs.
    pub apis: Arc<Vec<Api>>,
    /// Revoked token ids (with their expiry) that have not expired.
    pub revoked: Arc<HashMap<String, i64>>,
    /// Browser origins the tenant's clients registered (CORS).
    pub web_origins: Arc<HashSet<String>>,
    /// Not-before watermarks (admin revocations of a user, client or the tenant).
    pub watermarks: Arc<Watermarks>,
    clients: RwLock<HashMap<ClientId, Arc<Client>>>,
}

impl TenantSnapshot {
    /// A snapshot of `state` as of `now` (unix seconds).
    pub fn new(state: TenantState, now: i64) -> Self {
        Self::with_keys(
            state.tenant,
            state.keys,
            Arc::new(state.apis),
            Arc::new(state.revoked),
            Arc::new(state.web_origins),
            Arc::new(state.watermarks),
            now,
        )
    }

    /// A snapshot from parts; the JWKS is derived at `now`.
    pub fn with_keys(
        tenant: Tenant,
        keys: Arc<KeyRing>,
        apis: Arc<Vec<Api>>,
        revoked: Arc<HashMap<String, i64>>,
        web_origins: Arc<HashSet<String>>,
        watermarks: Arc<Watermarks>,
        now: i64,
    ) -> Self {
        let jwks = Jwks::build(&keys, now);
        Self {
            tenant,
            keys,
            jwks,
            apis,
            revoked,
            web_origins,
            watermarks,
            clients: RwLock::default(),
        }
    }

    /// Whether the token with `jti` was revoked.
    pub fn is_revoked(&self, jti: &str) -> bool {
        self.revoked.contains_key(jti)
    }

    /// Whether a watermark kills what was issued at `issued_at` to
    /// `client_id` for `user_id`.
    pub fn watermarked(
        &self,
        client_id: Option<&str>,
        user_id: Option<&str>,
        issued_at: i64,
    ) -> bool {
        self.watermarks.revokes(client_id, user_id, issued_at)
    }

    /// A cached client.
    pub fn cached_client(&self, id: &ClientId) -> Option<Arc<Client>> {
        self.clients
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .cloned()
    }

    /// Caches a client read from the database for this snapshot's lifetime.
    pub fn cache_client(&self, client: Client) -> Arc<Client> {
        let client = Arc::new(client);
        self.clients
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(client.id.clone(), Arc::clone(&client));
        client
    }
}

/// One cached tenant.
#[derive(Debug)]
pub struct TenantContext {
    /// Tenant id.
    pub id: TenantId,
    /// Tenant slug (the cache key).
    pub slug: TenantSlug,
    snapshot: ArcSwap<TenantSnapshot>,
    stale: AtomicBool,
    last_used_ms: AtomicI64,
    sessions: OnceLock<Addr<SessionActor>>,
}

impl TenantContext {
    pub(super) fn new(snapshot: TenantSnapshot, now_ms: i64) -> Self {
        Self {
            id: snapshot.tenant.id,
            slug: snapshot.tenant.slug.clone(),
            snapshot: ArcSwap::from_pointee(snapshot),
            stale: AtomicBool::new(false),
            last_used_ms: AtomicI64::new(now_ms),
            sessions: OnceLock::new(),
        }
    }

    /// The tenant's session actor (set when the registry starts it).
    pub fn sessions(&self) -> Option<&Addr<SessionActor>> {
        self.sessions.get()
    }

    pub(super) fn set_sessions(&self, addr: Addr<SessionActor>) {
        let _ = self.sessions.set(addr);
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<TenantSnapshot> {
        self.snapshot.load_full()
    }

    /// Replaces the snapshot.
    pub fn replace(&self, snapshot: TenantSnapshot) {
        self.snapshot.store(Arc::new(snapshot));
    }

    /// Whether a change was announced since the snapshot was read.
    pub fn is_stale(&self) -> bool {
        self.stale.load(Ordering::Acquire)
    }

    pub(super) fn set_stale(&self, stale: bool) {
        self.stale.store(stale, Ordering::Release);
    }

    /// Records a use at `now_ms`, which postpones idle shutdown.
    pub fn touch(&self, now_ms: i64) {
        self.last_used_ms.fetch_max(now_ms, Ordering::AcqRel);
    }

    fn last_used(&self) -> i64 {
        self.last_used_ms.load(Ordering::Acquire)
    }
}

/// Slug → context, plus a generation that every change notification bumps.
#[derive(Debug, Default)]
pub struct TenantCache {
    by_slug: RwLock<HashMap<TenantSlug, Arc<TenantContext>>>,
    generation: AtomicU64,
}

impl TenantCache {
    /// The cached context of `slug`.
    pub fn get(&self, slug: &TenantSlug) -> Option<Arc<TenantContext>> {
        self.by_slug
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(slug)
            .cloned()
    }

    /// Bumped by every change notification. A load that began at another
    /// generation may have read data older than the change: it is installed stale.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Number of cached tenants.
    pub fn len(&self) -> usize {
        self.by_slug
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether no tenant is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn bump_generation(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    pub(super) fn insert(&self, context: Arc<TenantContext>) -> Option<Arc<TenantContext>> {
        self.by_slug
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(context.slug.clone(), context)
    }

    pub(super) fn mark_stale(&self, tenant: Option<TenantId>) {
        let map = self.by_slug.read().unwrap_or_else(PoisonError::into_inner);
        map.values()
            .filter(|c| tenant.is_none_or(|id| c.id == id))
            .for_each(|c| c.set_stale(true));
    }

    pub(super) fn all(&self) -> Vec<Arc<TenantContext>> {
        self.by_slug
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect()
    }

    pub(super) fn remove_idle(&self, cutoff_ms: i64) -> Vec<Arc<TenantContext>> {
        let mut map = self.by_slug.write().unwrap_or_else(PoisonError::into_inner);
        let idle: Vec<TenantSlug> = map
            .values()
            .filter(|c| c.last_used() < cutoff_ms)
            .map(|c| c.slug.clone())
            .collect();
        idle.iter().filter_map(|slug| map.remove(slug)).collect()
    }
}
