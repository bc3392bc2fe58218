//! Admin rights: list, grant, revoke.

use idp::domain::user::UserId;
use idp::ids::{ClientId, TenantId, TenantSlug};
use idp::platform::Platform;
use idp::store::StoreError;
use idp::store::queries::admin_grants::{self, ALL_TENANTS};
use idp::store::queries::{clients, tenants, users};
use idp::writes::{Audit, Reach};
use serde_json::json;

use super::OpError;
use crate::scope::SystemScope;
use crate::state::SYSTEM_SLUG;

/// One admin right: `subject` administers `tenant` (a slug, or `*` for
/// every tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminGrant {
    /// `client:{id}` or `user:{id}` of the system tenant.
    pub subject: String,
    /// The tenant's slug (its id if it no longer exists), or `*`.
    pub tenant: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// Rights by (subject, tenant) after `after`; `limit + 1` of them.
pub async fn list(
    platform: &Platform,
    _: &SystemScope,
    after: Option<(String, String)>,
    limit: i64,
) -> Result<Vec<AdminGrant>, OpError> {
    Ok(platform
        .db
        .run(move |conn| {
            let rows = admin_grants::list(conn, after, limit + 1)?;
            let mut grants = Vec::with_capacity(rows.len());
            for (subject, tenant, created_at) in rows {
                let tenant = if tenant == ALL_TENANTS {
                    tenant
                } else {
                    tenants::slug_of(conn, &tenant)?.unwrap_or(tenant)
                };
                grants.push(AdminGrant {
                    subject,
                    tenant,
                    created_at,
                });
            }
            Ok::<_, StoreError>(grants)
        })
        .await?)
}

/// The stored tenant value of `tenant` (a slug or `*`).
async fn tenant_key(platform: &Platform, tenant: &str) -> Result<String, OpError> {
    if tenant == ALL_TENANTS {
        return Ok(ALL_TENANTS.to_owned());
    }
    let slug = TenantSlug::parse(tenant).map_err(OpError::invalid)?;
    let found = idp::tenants::find_by_slug(platform, &slug)
        .await?
        .ok_or(OpError::NotFound("tenant"))?;
    Ok(found.id.to_string())
}

/// Grants `subject` the administration of `tenant`.
pub async fn grant(
    platform: &Platform,
    system: &SystemScope,
    subject: &str,
    tenant: &str,
) -> Result<AdminGrant, OpError> {
    let key = tenant_key(platform, tenant).await?;
    let slug = TenantSlug::parse(SYSTEM_SLUG).map_err(|e| OpError::Internal(e.to_string()))?;
    let owner = idp::tenants::find_by_slug(platform, &slug)
        .await?
        .ok_or(OpError::NotFound("system tenant"))?
        .id;
    let (kind, id) = subject
        .split_once(':')
        .filter(|(kind, id)| matches!(*kind, "client" | "user") && !id.is_empty())
        .ok_or_else(|| OpError::Invalid("subject is client:{id} or user:{id}".into()))?;
    let is_client = kind == "client";
    let (id, subject, shown) = (id.to_owned(), subject.to_owned(), tenant.to_owned());
    let audit = {
        let (system, key) = (system.clone(), key.clone());
        Audit::row(move |grant: &AdminGrant| {
            let tenant_id = TenantId::parse(&key).map(|t| t.to_string());
            let detail = json!({ "tenant": key });
            system.audit(
                tenant_id,
                "admin_grant.create",
                "admin_grant",
                &grant.subject,
                detail,
            )
        })
    };
    platform
        .change(Reach::Stored, audit, move |conn, now| {
            let exists = if is_client {
                clients::find(conn, owner, &ClientId::new(&id))?.is_some()
            } else {
                users::find(conn, owner, &UserId::new(&id))?.is_some()
            };
            if !exists {
                return Err(OpError::NotFound("system-tenant subject"));
            }
            admin_grants::insert(conn, &subject, &key, now).map_err(|e| match e {
                StoreError::Conflict(_) => OpError::Conflict("this right exists".into()),
                other => other.into(),
            })?;
            Ok(AdminGrant {
                subject,
                tenant: shown,
                created_at: now,
            })
        })
        .await
}

/// Removes a right; the last system admin stays.
pub async fn revoke(
    platform: &Platform,
    system: &SystemScope,
    subject: &str,
    tenant: &str,
) -> Result<(), OpError> {
    let key = tenant_key(platform, tenant).await?;
    let subject = subject.to_owned();
    let audit = {
        let (system, key, subject) = (system.clone(), key.clone(), subject.clone());
        Audit::row(move |_: &()| {
            let tenant_id = TenantId::parse(&key).map(|t| t.to_string());
            let detail = json!({ "tenant": key });
            system.audit(
                tenant_id,
                "admin_grant.delete",
                "admin_grant",
                &subject,
                detail,
            )
        })
    };
    platform
        .change(Reach::Stored, audit, move |conn, _| {
            if key == ALL_TENANTS && admin_grants::count_system_admins(conn)? <= 1 {
                return Err(OpError::Conflict(
                    "the last system admin cannot be removed".into(),
                ));
            }
            if !admin_grants::delete(conn, &subject, &key)? {
                return Err(OpError::NotFound("admin right"));
            }
            Ok(())
        })
        .await
}
