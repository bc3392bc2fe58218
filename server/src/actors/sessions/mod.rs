//! The session actor of one tenant: it owns the lifecycle of the tenant's SSO
//! sessions and this process's cache of them. Logins start a session (a
//! fresh id each time), requests resume one (moving its idle expiry, never
//! past the absolute one), logout ends one together with the refresh tokens
//! bound to it.
//!
//! Sessions live in the ephemeral store (Redis on production, so any process
//! continues a flow started on another), which stays the authority. The actor
//! keeps a bounded [`SessionCache`] of hot sessions that requests read
//! through [`SessionHandle::resume`] without a message: an entry is trusted
//! for one poll interval after the store confirmed it, so the SSO path skips
//! the store while a session is in use. The cache forgets a session when it
//! ends here, when another process announces its end
//! ([`idp::changes::SESSIONS_CHANNEL`], fanned out by the registry), and
//! every session of the tenant on a change of the tenant (policy, admin
//! revocations); a lost announcement costs at most the trust window. The
//! actor sweeps expired entries on a timer and empties the cache when it
//! stops. Its own operations run as futures, off the mailbox: correctness
//! rests on the store, not on the actor.

mod cache;
mod handlers;
mod messages;

use std::sync::Arc;
use std::time::Duration;

use actix::{Actor, Addr, AsyncContext, Context};
use idp::domain::policy::TenantPolicy;
use idp::ephemeral::EphemeralError;
use idp::ids::TenantId;
use idp::platform::Platform;
use idp::sessions::Session;

pub use self::cache::{CAPACITY, SessionCache};
pub use self::messages::{EndSession, ForgetSession, ForgetSessions, StartSession};
use crate::actors::ActorGauge;

/// How often expired sessions leave the cache.
const SWEEP_INTERVAL: Duration = Duration::from_secs(30);

/// Per-tenant SSO session lifecycle.
pub struct SessionActor {
    tenant: TenantId,
    platform: Platform,
    gauge: ActorGauge,
    cache: Arc<SessionCache>,
}

impl SessionActor {
    /// The actor of `tenant`'s sessions, with an empty cache trusting entries
    /// for the change feed's poll interval.
    pub fn new(tenant: TenantId, platform: Platform, gauge: ActorGauge) -> Self {
        let trust_ms = i64::try_from(platform.config.tenancy.poll_interval_ms).unwrap_or(i64::MAX);
        Self {
            tenant,
            platform,
            gauge,
            cache: Arc::new(SessionCache::new(trust_ms, CAPACITY)),
        }
    }

    /// Starts the actor; returns what requests hold of it.
    pub fn launch(self) -> SessionHandle {
        let (tenant, platform, cache) =
            (self.tenant, self.platform.clone(), Arc::clone(&self.cache));
        SessionHandle {
            addr: self.start(),
            tenant,
            platform,
            cache,
        }
    }
}

impl Actor for SessionActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.gauge.started();
        ctx.run_interval(SWEEP_INTERVAL, |actor, _| {
            actor.cache.sweep(actor.platform.clock.now_ms());
        });
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        // Requests holding the handle may outlive the actor: they find nothing.
        self.cache.clear();
        self.gauge.stopped();
    }
}

/// What requests hold of a tenant's session actor: its address, for the
/// lifecycle messages, and the cache it owns, read without a message.
#[derive(Clone)]
pub struct SessionHandle {
    addr: Addr<SessionActor>,
    tenant: TenantId,
    platform: Platform,
    cache: Arc<SessionCache>,
}

impl std::fmt::Debug for SessionHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionHandle")
            .field("tenant", &self.tenant)
            .field("cached", &self.cache.len())
            .finish_non_exhaustive()
    }
}

impl SessionHandle {
    /// The actor's address.
    pub fn addr(&self) -> &Addr<SessionActor> {
        &self.addr
    }

    /// The cache the actor owns.
    pub fn cache(&self) -> &SessionCache {
        &self.cache
    }

    /// The live session behind `cookie`: from the cache while the store
    /// confirmed it within the trust window, otherwise from the store (its
    /// idle expiry moved forward), in the request task.
    pub async fn resume(
        &self,
        policy: &TenantPolicy,
        cookie: &str,
    ) -> Result<Option<Session>, EphemeralError> {
        let digest = idp::sessions::digest(cookie);
        if let Some(session) = self.cache.get(&digest, self.platform.clock.now_ms()) {
            return Ok(Some(session));
        }
        let generation = self.cache.generation();
        let session = idp::sessions::touch(&self.platform, self.tenant, policy, cookie).await?;
        match &session {
            Some(live) => {
                let now_ms = self.platform.clock.now_ms();
                let idle = idp::sessions::idle_expiry_at(now_ms, policy, live.absolute_expiry_ms);
                self.cache
                    .insert(generation, &digest, live.clone(), idle, now_ms);
            }
            // Gone from the store: ended or expired, whatever the cache held.
            None => self.cache.drop_gone(&digest),
        }
        Ok(session)
    }
}
