//! Admin rights: list, grant, revoke.

use diesel::prelude::*;
use idp::ids::{TenantId, TenantSlug};
use idp::platform::Platform;
use idp::store::StoreError;
use idp::store::queries::admin_grants::{self, ALL_TENANTS};
use idp::store::schema::{clients, tenants, users};
use serde_json::json;

use crate::errors::AdminError;
use crate::handlers::admins::AdminGrantView;
use crate::scope::SystemScope;
use crate::state::SYSTEM_SLUG;

/// Rights by (subject, tenant) after `after`; `limit + 1` of them.
pub async fn list(
    platform: &Platform,
    _: &SystemScope,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<AdminGrantView>, AdminError> {
    let after = after.map(|a| match a.split_once('\n') {
        Some((s, t)) => (s.to_owned(), t.to_owned()),
        None => (a, String::new()),
    });
    Ok(platform
        .db
        .run(move |conn| {
            let rows = admin_grants::list(conn, after, limit + 1)?;
            let mut views = Vec::with_capacity(rows.len());
            for (subject, tenant, created_at) in rows {
                let tenant = if tenant == ALL_TENANTS {
                    tenant
                } else {
                    tenants::table
                        .filter(tenants::id.eq(&tenant))
                        .select(tenants::slug)
                        .first::<String>(conn)
                        .optional()?
                        .unwrap_or(tenant)
                };
                views.push(AdminGrantView {
                    subject,
                    tenant,
                    created_at,
                });
            }
            Ok(views)
        })
        .await?)
}

/// The stored tenant value of `tenant` (a slug or `*`).
async fn tenant_key(platform: &Platform, tenant: &str) -> Result<String, AdminError> {
    if tenant == ALL_TENANTS {
        return Ok(ALL_TENANTS.to_owned());
    }
    let slug = TenantSlug::parse(tenant).map_err(AdminError::invalid)?;
    let found = idp::tenants::find_by_slug(platform, &slug)
        .await?
        .ok_or(AdminError::NotFound("tenant"))?;
    Ok(found.id.to_string())
}

/// Grants `subject` the administration of `tenant`.
pub async fn grant(
    platform: &Platform,
    system: &SystemScope,
    subject: &str,
    tenant: &str,
) -> Result<AdminGrantView, AdminError> {
    let key = tenant_key(platform, tenant).await?;
    let slug = TenantSlug::parse(SYSTEM_SLUG).map_err(|e| AdminError::Internal(e.to_string()))?;
    let system_tenant = idp::tenants::find_by_slug(platform, &slug)
        .await?
        .ok_or(AdminError::NotFound("system tenant"))?;
    let (kind, id) = subject
        .split_once(':')
        .filter(|(kind, id)| matches!(*kind, "client" | "user") && !id.is_empty())
        .ok_or_else(|| AdminError::Invalid("subject is client:{id} or user:{id}".into()))?;
    let (kind, id, subject) = (kind.to_owned(), id.to_owned(), subject.to_owned());
    let (system, now) = (system.clone(), platform.clock.now_secs());
    let tenant_shown = tenant.to_owned();
    let created = platform
        .db
        .transaction_or(move |conn| {
            let owner = system_tenant.id.to_string();
            let exists: i64 = if kind == "client" {
                clients::table
                    .filter(clients::tenant_id.eq(&owner))
                    .filter(clients::client_id.eq(&id))
                    .count()
                    .get_result(conn)
            } else {
                users::table
                    .filter(users::tenant_id.eq(&owner))
                    .filter(users::id.eq(&id))
                    .count()
                    .get_result(conn)
            }
            .map_err(StoreError::from)?;
            if exists == 0 {
                return Err(AdminError::NotFound("system-tenant subject"));
            }
            admin_grants::insert(conn, &subject, &key, now).map_err(|e| match e {
                StoreError::Conflict(_) => AdminError::Conflict("this right exists".into()),
                other => other.into(),
            })?;
            let tenant_id = TenantId::parse(&key).map(|t| t.to_string());
            let record = system.audit(
                tenant_id,
                "admin_grant.create",
                "admin_grant",
                &subject,
                json!({ "tenant": key }),
                now,
            );
            super::audit(conn, &record)?;
            Ok(AdminGrantView {
                subject,
                tenant: tenant_shown,
                created_at: now,
            })
        })
        .await??;
    Ok(created)
}

/// Removes a right; the last system admin stays.
pub async fn revoke(
    platform: &Platform,
    system: &SystemScope,
    subject: &str,
    tenant: &str,
) -> Result<(), AdminError> {
    let key = tenant_key(platform, tenant).await?;
    let (system, now, subject) = (
        system.clone(),
        platform.clock.now_secs(),
        subject.to_owned(),
    );
    platform
        .db
        .transaction_or(move |conn| {
            if key == ALL_TENANTS && admin_grants::count_system_admins(conn)? <= 1 {
                return Err(AdminError::Conflict(
                    "the last system admin cannot be removed".into(),
                ));
            }
            if !admin_grants::delete(conn, &subject, &key)? {
                return Err(AdminError::NotFound("admin right"));
            }
            let tenant_id = TenantId::parse(&key).map(|t| t.to_string());
            let record = system.audit(
                tenant_id,
                "admin_grant.delete",
                "admin_grant",
                &subject,
                json!({ "tenant": key }),
                now,
            );
            super::audit(conn, &record)?;
            Ok(())
        })
        .await?
}
