//! The tenant cache: slug → context, read by request tasks under a read lock,
//! written only by the registry. A context holds the current snapshot (tenant
//! row, key ring, JWKS document), swapped whole on reload.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use arc_swap::ArcSwap;
use idp::ids::{TenantId, TenantSlug};

use super::TenantSnapshot;
use crate::actors::sessions::SessionHandle;

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
    sessions: OnceLock<SessionHandle>,
}

impl TenantContext {
    pub(crate) fn new(snapshot: TenantSnapshot, now_ms: i64) -> Self {
        Self {
            id: snapshot.tenant.id,
            slug: snapshot.tenant.slug.clone(),
            snapshot: ArcSwap::from_pointee(snapshot),
            stale: AtomicBool::new(false),
            last_used_ms: AtomicI64::new(now_ms),
            sessions: OnceLock::new(),
        }
    }

    /// The tenant's session actor and its cache (set when the registry starts it).
    pub fn sessions(&self) -> Option<&SessionHandle> {
        self.sessions.get()
    }

    pub(crate) fn set_sessions(&self, handle: SessionHandle) {
        let _ = self.sessions.set(handle);
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

    pub(crate) fn set_stale(&self, stale: bool) {
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

    pub(crate) fn bump_generation(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn insert(&self, context: Arc<TenantContext>) -> Option<Arc<TenantContext>> {
        self.by_slug
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(context.slug.clone(), context)
    }

    pub(crate) fn mark_stale(&self, tenant: Option<TenantId>) {
        let map = self.by_slug.read().unwrap_or_else(PoisonError::into_inner);
        map.values()
            .filter(|c| tenant.is_none_or(|id| c.id == id))
            .for_each(|c| c.set_stale(true));
    }

    pub(crate) fn all(&self) -> Vec<Arc<TenantContext>> {
        self.by_slug
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect()
    }

    pub(crate) fn remove_idle(&self, cutoff_ms: i64) -> Vec<Arc<TenantContext>> {
        let mut map = self.by_slug.write().unwrap_or_else(PoisonError::into_inner);
        let idle: Vec<TenantSlug> = map
            .values()
            .filter(|c| c.last_used() < cutoff_ms)
            .map(|c| c.slug.clone())
            .collect();
        idle.iter().filter_map(|slug| map.remove(slug)).collect()
    }
}
