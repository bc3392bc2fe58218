//! The session actor of one tenant: it owns the lifecycle of the tenant's SSO
//! sessions. Logins start a session (a fresh id each time), requests resume
//! one (moving its idle expiry, never past the absolute one), logout ends one
//! together with the refresh tokens bound to it. Sessions live in the
//! ephemeral store (Redis on production, so any process continues a flow
//! started on another), which the actor reaches asynchronously: its
//! operations run as futures, so one slow store call never holds up the
//! mailbox, and correctness rests on the store, not on the actor.

mod handlers;
mod messages;

use actix::{Actor, Context};
use idp::ids::TenantId;
use idp::platform::Platform;

pub use self::messages::{EndSession, ResumeSession, StartSession};
use crate::actors::ActorGauge;

/// Per-tenant SSO session lifecycle.
pub struct SessionActor {
    tenant: TenantId,
    platform: Platform,
    gauge: ActorGauge,
}

impl SessionActor {
    /// The actor of `tenant`'s sessions.
    pub fn new(tenant: TenantId, platform: Platform, gauge: ActorGauge) -> Self {
        Self {
            tenant,
            platform,
            gauge,
        }
    }
}

impl Actor for SessionActor {
    type Context = Context<Self>;

    fn started(&mut self, _: &mut Self::Context) {
        self.gauge.started();
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.gauge.stopped();
    }
}
