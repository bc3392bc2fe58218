//! Permission checks as types. Admin operations take a [`TenantScope`]
//! (or a [`SystemScope`]), and the only way to get one is a successful check
//! here, so a handler cannot forget it.

use idp::domain::tenant::Tenant;
use idp::ids::TenantSlug;
use idp::store::queries::audit::AuditRecord;

use crate::auth::{AdminPrincipal, Role};
use crate::errors::AdminError;
use crate::state::AdminState;

/// Leave to act on one tenant's objects.
#[derive(Debug, Clone)]
pub struct TenantScope {
    tenant: Tenant,
    actor: String,
}

/// Leave to act on the platform itself (tenants, admin rights).
#[derive(Debug, Clone)]
pub struct SystemScope {
    actor: String,
}

impl TenantScope {
    /// The tenant this scope covers.
    pub fn tenant(&self) -> &Tenant {
        &self.tenant
    }

    /// An audit row of this scope's actor about `resource_type`/`resource_id`.
    pub fn audit(
        &self,
        action: &str,
        resource_type: &str,
        resource_id: &str,
        detail: serde_json::Value,
    ) -> AuditRecord {
        record(
            &self.actor,
            Some(self.tenant.id.to_string()),
            action,
            resource_type,
            resource_id,
            detail,
        )
    }
}

impl SystemScope {
    /// The caller, for audit rows.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Scope over `tenant`: a system admin may act on every tenant.
    pub fn over(&self, tenant: Tenant) -> TenantScope {
        TenantScope {
            tenant,
            actor: self.actor.clone(),
        }
    }

    /// An audit row of a platform-level change.
    pub fn audit(
        &self,
        tenant_id: Option<String>,
        action: &str,
        resource_type: &str,
        resource_id: &str,
        detail: serde_json::Value,
    ) -> AuditRecord {
        record(
            &self.actor,
            tenant_id,
            action,
            resource_type,
            resource_id,
            detail,
        )
    }

    /// The scope the bootstrap command acts with (it runs with database
    /// access, before any admin exists).
    pub fn bootstrap() -> Self {
        Self {
            actor: "cli:bootstrap".into(),
        }
    }
}

fn record(
    actor: &str,
    tenant_id: Option<String>,
    action: &str,
    resource_type: &str,
    resource_id: &str,
    detail: serde_json::Value,
) -> AuditRecord {
    AuditRecord {
        id: 0,
        tenant_id,
        actor: actor.to_owned(),
        action: action.to_owned(),
        resource_type: resource_type.to_owned(),
        resource_id: resource_id.to_owned(),
        detail: detail.to_string(),
        // The change that writes the row sets its time.
        at: 0,
    }
}

impl AdminPrincipal {
    /// Platform-level leave: system admins only.
    pub fn system(&self) -> Result<SystemScope, AdminError> {
        match self.role {
            Role::System => Ok(SystemScope {
                actor: self.subject.clone(),
            }),
            Role::TenantAdmin(_) => {
                Err(AdminError::Forbidden("this operation needs a system admin"))
            }
        }
    }

    /// Leave to act on the tenant with `slug`. A tenant admin asking for any
    /// other tenant, existing or not, gets 403 (existence is not revealed);
    /// a system admin gets 404 for a tenant that does not exist.
    pub async fn scope_for(
        &self,
        state: &AdminState,
        slug: &str,
    ) -> Result<TenantScope, AdminError> {
        let found = match TenantSlug::parse(slug) {
            Ok(slug) => idp::tenants::find_by_slug(&state.platform, &slug).await?,
            Err(_) => None,
        };
        match (&self.role, found) {
            (Role::System, Some(tenant)) => Ok(TenantScope {
                tenant,
                actor: self.subject.clone(),
            }),
            (Role::System, None) => Err(AdminError::NotFound("tenant")),
            (Role::TenantAdmin(allowed), Some(tenant)) if allowed.contains(&tenant.id) => {
                Ok(TenantScope {
                    tenant,
                    actor: self.subject.clone(),
                })
            }
            (Role::TenantAdmin(_), _) => Err(AdminError::Forbidden(
                "this caller does not administer that tenant",
            )),
        }
    }
}
