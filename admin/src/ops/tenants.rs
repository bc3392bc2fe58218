//! Tenants: create, list, update, deactivate.

use idp::domain::tenant::{NewTenant, Tenant};
use idp::ids::TenantId;
use idp::platform::Platform;
use idp::store::queries::tenants as tenant_queries;
use idp::writes::{Audit, Reach};
use serde_json::json;

use super::revocations::{self, Target};
use super::{Edit, EditError, OpError};
use crate::auth::{AdminPrincipal, Role};
use crate::scope::{SystemScope, TenantScope};
use crate::state::SYSTEM_SLUG;

/// A tenant's display name: 1 to 200 characters.
pub fn check_name(name: &str) -> Result<(), OpError> {
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(OpError::Invalid(
            "display_name must be 1 to 200 characters".into(),
        ));
    }
    Ok(())
}

/// The system tenant issues admin tokens: it stays enabled.
fn keep_system(tenant: &Tenant) -> Result<(), OpError> {
    if tenant.slug.as_str() == SYSTEM_SLUG {
        return Err(OpError::Conflict(
            "the system tenant issues admin tokens and cannot be deactivated".into(),
        ));
    }
    Ok(())
}

/// Creates a tenant with its keys; the audit row is in the same transaction.
pub async fn create(
    platform: &Platform,
    system: &SystemScope,
    new: NewTenant,
) -> Result<Tenant, OpError> {
    check_name(&new.display_name)?;
    new.policy.validate().map_err(OpError::invalid)?;
    new.policy
        .refuse_unimplemented(None)
        .map_err(OpError::invalid)?;
    let system = system.clone();
    let audit = Audit::row(move |tenant: &Tenant| {
        let (id, detail) = (
            tenant.id.to_string(),
            json!({ "slug": tenant.slug.as_str() }),
        );
        system.audit(Some(id.clone()), "tenant.create", "tenant", &id, detail)
    });
    Ok(idp::tenants::create_audited(platform, new, audit).await?)
}

/// Tenants the caller may see, by slug, after `after`; `limit + 1` rows.
pub async fn list(
    platform: &Platform,
    principal: &AdminPrincipal,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<Tenant>, OpError> {
    let only: Option<Vec<TenantId>> = match &principal.role {
        Role::System => None,
        Role::TenantAdmin(ids) => Some(ids.clone()),
    };
    Ok(platform
        .db
        .run(move |conn| tenant_queries::list(conn, only.as_deref(), after.as_deref(), limit + 1))
        .await?)
}

/// Applies `edit` (display name, policy, enabled) under the tenant rules.
pub async fn update<E: EditError>(
    platform: &Platform,
    scope: &TenantScope,
    edit: Edit<Tenant, E>,
) -> Result<Tenant, E> {
    let id = scope.tenant().id;
    let (fields, apply) = (edit.fields, edit.apply);
    let audit = {
        let scope = scope.clone();
        Audit::row(move |tenant: &Tenant| {
            let detail = json!(fields);
            scope.audit("tenant.update", "tenant", &tenant.id.to_string(), detail)
        })
    };
    platform
        .change(Reach::Tenant(id), audit, move |conn, now| {
            // Locked before it is read: a concurrent update with the same
            // ETag waits, then sees the new version and is refused.
            let current = tenant_queries::lock(conn, id)?;
            let mut next = apply(&current)?;
            next.id = current.id;
            next.slug = current.slug.clone();
            check_name(&next.display_name)?;
            next.policy.validate().map_err(OpError::invalid)?;
            next.policy
                .refuse_unimplemented(Some(&current.policy))
                .map_err(OpError::invalid)?;
            if current.enabled && !next.enabled {
                keep_system(&current)?;
                kill_everything(conn, id, now)?;
            }
            tenant_queries::update(conn, &next, now)?;
            Ok(next)
        })
        .await
}

/// What deactivation does besides disabling: every token and session issued
/// until now dies for good, so a tenant reactivated after a breach does not
/// revive them (the tenant's not-before watermark, and its refresh-token
/// families revoked durably).
fn kill_everything(
    conn: &mut idp::store::DbConnection,
    tenant: TenantId,
    now: i64,
) -> Result<(), OpError> {
    revocations::revoke_all(conn, tenant, &Target::Tenant, now)?;
    Ok(())
}

/// Deactivates the tenant: its endpoints answer 404 from the next change
/// poll, and everything it issued until now stays dead after a reactivation.
pub async fn deactivate(
    platform: &Platform,
    system: &SystemScope,
    scope: &TenantScope,
) -> Result<(), OpError> {
    let tenant = scope.tenant().clone();
    keep_system(&tenant)?;
    let audit = {
        let system = system.clone();
        let (id, detail) = (
            tenant.id.to_string(),
            json!({ "slug": tenant.slug.as_str() }),
        );
        Audit::row(move |_: &()| {
            system.audit(Some(id.clone()), "tenant.deactivate", "tenant", &id, detail)
        })
    };
    platform
        .change(Reach::Tenant(tenant.id), audit, move |conn, now| {
            let next = Tenant {
                enabled: false,
                ..tenant_queries::lock(conn, tenant.id)?
            };
            kill_everything(conn, tenant.id, now)?;
            Ok::<_, OpError>(tenant_queries::update(conn, &next, now)?)
        })
        .await
}
