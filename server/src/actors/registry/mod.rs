//! The tenant registry: one per process. It owns the tenant cache, which
//! request tasks read without a message; it alone writes it, starts each
//! tenant's actors on first use and stops them when the tenant is idle.

mod handlers;
mod messages;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use actix::{Actor, Addr, AsyncContext, Context};
use idp::ids::TenantId;
use idp::platform::Platform;

pub use self::messages::{ApplyChange, ApplySessionEnd, InstallTenant};
use crate::actors::key_ring::KeyRingActor;
use crate::actors::sessions::{ForgetSessions, SessionHandle};
use crate::actors::{ActorGauge, StopTenantActor};
use crate::tenant::TenantCache;

/// The per-process tenant registry.
pub struct TenantRegistry {
    platform: Platform,
    cache: Arc<TenantCache>,
    gauge: ActorGauge,
    actors: HashMap<TenantId, TenantActors>,
}

/// The actors of one tenant.
struct TenantActors {
    key_ring: Addr<KeyRingActor>,
    sessions: SessionHandle,
}

impl TenantActors {
    fn stop(&self) {
        self.key_ring.do_send(StopTenantActor);
        self.sessions.addr().do_send(StopTenantActor);
    }

    /// The tenant changed: its cached sessions are dropped.
    fn forget_sessions(&self) {
        self.sessions.addr().do_send(ForgetSessions);
    }
}

impl TenantRegistry {
    /// A registry writing into `cache`.
    pub fn new(platform: Platform, cache: Arc<TenantCache>, gauge: ActorGauge) -> Self {
        Self {
            platform,
            cache,
            gauge,
            actors: HashMap::new(),
        }
    }

    /// Stops the actors of tenants unused for the idle timeout and forgets them.
    fn sweep_idle(&mut self) {
        let idle_ms = i64::try_from(self.platform.config.tenancy.idle_timeout_secs)
            .unwrap_or(i64::MAX)
            .saturating_mul(1000);
        let cutoff = self.platform.clock.now_ms().saturating_sub(idle_ms);
        for evicted in self.cache.remove_idle(cutoff) {
            self.stop_actors(evicted.id);
        }
    }

    fn stop_actors(&mut self, tenant: TenantId) {
        if let Some(actors) = self.actors.remove(&tenant) {
            actors.stop();
        }
    }
}

impl Actor for TenantRegistry {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        let every = Duration::from_millis(self.platform.config.tenancy.sweep_interval_ms);
        ctx.run_interval(every, |registry, _| registry.sweep_idle());
    }

    fn stopping(&mut self, _: &mut Self::Context) -> actix::Running {
        for (_, actors) in self.actors.drain() {
            actors.stop();
        }
        actix::Running::Stop
    }
}
