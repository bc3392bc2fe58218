//! The audit log: one row per admin change, written in the change's own
//! transaction; queried per tenant (tenant admins) or platform-wide.

pub mod list;

use idp::store::queries::audit::AuditRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One audit row.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    /// Sequence number (newer rows have larger ones).
    pub id: i64,
    /// The tenant the change belongs to.
    pub tenant_id: Option<String>,
    /// Who made it: `client:{id}` or `user:{id}` of the system tenant, or `cli:bootstrap`.
    pub actor: String,
    /// What was done, e.g. `client.create`.
    pub action: String,
    /// The kind of object.
    pub resource_type: String,
    /// Its id.
    pub resource_id: String,
    /// Details (never secrets).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// Unix seconds.
    pub at: i64,
}

impl From<AuditRecord> for AuditView {
    fn from(r: AuditRecord) -> Self {
        Self {
            id: r.id,
            tenant_id: r.tenant_id,
            actor: r.actor,
            action: r.action,
            resource_type: r.resource_type,
            resource_id: r.resource_id,
            detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
            at: r.at,
        }
    }
}

/// Filters of an audit query.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this actor's changes.
    pub actor: Option<String>,
    /// Only changes of this resource type (`tenant`, `client`, `user`, ...).
    pub resource_type: Option<String>,
    /// Only changes of this object.
    pub resource_id: Option<String>,
    /// At or after, unix seconds.
    pub since: Option<i64>,
    /// At or before, unix seconds.
    pub until: Option<i64>,
    /// Items per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
