//! Who owns what. The registry and key ring actors own in-memory state and do
//! no I/O: request tasks read the database and Redis and send them only the
//! resulting state change. The session actor's store calls run as futures, off
//! its mailbox, and requests read its cache without a message. Correctness
//! never rests on a mailbox (single use is atomic in the store; the store,
//! not a cache, is the authority on sessions). The tenant snapshot, context
//! and cache the actors share live in [`crate::tenant`], and the stop message
//! here, so that no actor imports another's module except the registry,
//! which starts them.
//!
//! | actor | scope | owns | messages |
//! |---|---|---|---|
//! | [`registry::TenantRegistry`] | one per process | the tenant cache (slug → context), idle shutdown, fan-out of change notifications (tenant changes, ended sessions) to the tenants' actors | `InstallTenant`, `ApplyChange`, `ApplySessionEnd` |
//! | [`key_ring::KeyRingActor`] | one per tenant | the key schedule: re-derives the published and signing keys as activation and retirement times pass; not signing, which runs in request tasks with the shared ring | `StopTenantActor` |
//! | [`sessions::SessionActor`] | one per tenant | the SSO session lifecycle: start at login (fresh id), resume (idle expiry), end at logout with the refresh tokens bound to the session; a bounded cache of hot sessions with per-`sid` and per-user indexes, read by requests without a message, swept on a timer and dropped on change notifications | `StartSession`, `EndSession`, `ForgetSession`, `ForgetSessions`, `StopTenantActor` |
//!
//! Per-tenant actors (two per tenant) start when a tenant is first used and stop when it has
//! been idle for `tenancy.idle_timeout_secs`; [`ActorGauge`] counts them.

pub mod key_ring;
pub mod registry;
pub mod sessions;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix::Message;

/// Stop: the tenant went idle or was replaced. Every per-tenant actor
/// handles it, so the registry stops them alike.
#[derive(Message)]
#[rtype(result = "()")]
pub struct StopTenantActor;

/// Number of running per-tenant actors, for tests and metrics.
#[derive(Debug, Clone, Default)]
pub struct ActorGauge(Arc<AtomicUsize>);

impl ActorGauge {
    /// Running per-tenant actors now.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Acquire)
    }

    pub(crate) fn started(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn stopped(&self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
