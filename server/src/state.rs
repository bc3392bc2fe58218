//! What every request can reach; built once in [`crate::boot`], never global.

use std::sync::Arc;

use actix::Addr;
use idp::changes::Freshness;
use idp::platform::Platform;

use crate::actors::ActorGauge;
use crate::actors::registry::TenantRegistry;
use crate::opaque_writer::OpaqueWriter;
use crate::tenant::TenantCache;
use crate::throttle::ClientThrottle;

/// Shared application state.
#[derive(Clone)]
pub struct AppState {
    /// Backends, configuration, clock.
    pub platform: Platform,
    /// Tenant contexts, read on every request, written by the registry.
    pub tenants: Arc<TenantCache>,
    /// The registry actor of this process.
    pub registry: Addr<TenantRegistry>,
    /// Whether cached tenant state is known to be recent.
    pub freshness: Arc<Freshness>,
    /// Number of running per-tenant actors.
    pub actors: ActorGauge,
    /// Group commit of opaque access tokens.
    pub opaque_writer: OpaqueWriter,
    /// Clients blocked after too many failed authentications.
    pub throttle: Arc<ClientThrottle>,
}
