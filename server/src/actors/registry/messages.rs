//! Messages of the tenant registry.

use std::sync::Arc;

use actix::Message;
use idp::changes::{Change, SessionEnded};
use idp::tenants::TenantState;

use crate::tenant::TenantContext;

/// Install a tenant just read from the database; starts its actors if new.
/// Returns the context requests should use.
#[derive(Message)]
#[rtype(result = "Arc<TenantContext>")]
pub struct InstallTenant {
    /// The tenant's state.
    pub state: TenantState,
    /// Cache generation when the read began.
    pub generation: u64,
}

/// Drop cached state that a change made stale.
#[derive(Message)]
#[rtype(result = "()")]
pub struct ApplyChange(pub Change);

/// Drop a session that ended (announced by any process) from its tenant's cache.
#[derive(Message)]
#[rtype(result = "()")]
pub struct ApplySessionEnd(pub SessionEnded);
