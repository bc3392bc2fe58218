//! Admin rights as a resource: which system-tenant users and clients
//! administer which tenants (`*`: every tenant, a system admin).

pub mod create;
pub mod delete;
pub mod list;

use serde::{Deserialize, Serialize};

use crate::ops::admins::AdminGrant;
use utoipa::ToSchema;

/// One admin right.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AdminGrantView {
    /// `client:{client_id}` or `user:{user_id}` of the system tenant.
    pub subject: String,
    /// The administered tenant's slug, or `*` for every tenant.
    pub tenant: String,
    /// Unix seconds.
    pub created_at: i64,
}

impl From<AdminGrant> for AdminGrantView {
    fn from(grant: AdminGrant) -> Self {
        Self {
            subject: grant.subject,
            tenant: grant.tenant,
            created_at: grant.created_at,
        }
    }
}
