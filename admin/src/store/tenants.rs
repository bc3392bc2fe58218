//! Tenants: create, list, update, deactivate.

use diesel::prelude::*;
use idp::domain::policy::TenantPolicy;
use idp::domain::tenant::{NewTenant, Tenant};
use idp::ids::{TenantId, TenantSlug};
use idp::platform::Platform;
use idp::store::StoreError;
use idp::store::models::tenant::TenantRow;
use idp::store::queries::tenants as tenant_queries;
use idp::store::schema::tenants::dsl;
use idp::writes::Audit;
use serde_json::json;

use crate::auth::{AdminPrincipal, Role};
use crate::errors::AdminError;
use crate::etag::{self, IfMatch};
use crate::handlers::tenants::TenantView;
use crate::handlers::tenants::create::CreateTenant;
use crate::handlers::tenants::update::UpdateTenant;
use crate::scope::{SystemScope, TenantScope};
use crate::state::SYSTEM_SLUG;

fn check_name(name: &str) -> Result<(), AdminError> {
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(AdminError::Invalid(
            "display_name must be 1 to 200 characters".into(),
        ));
    }
    Ok(())
}

/// Creates a tenant with its keys; the audit row is in the same transaction.
pub async fn create(
    platform: &Platform,
    system: &SystemScope,
    body: CreateTenant,
) -> Result<Tenant, AdminError> {
    let slug = TenantSlug::parse(&body.slug).map_err(AdminError::invalid)?;
    check_name(&body.display_name)?;
    let policy = match body.policy {
        Some(patch) => super::merge(&TenantPolicy::default(), patch)?,
        None => TenantPolicy::default(),
    };
    policy.validate().map_err(AdminError::invalid)?;
    let new = NewTenant {
        slug,
        display_name: body.display_name,
        policy,
    };
    let (system, at) = (system.clone(), platform.clock.now_secs());
    idp::tenants::create_audited(
        platform,
        new,
        Audit::row(move |tenant: &Tenant| {
            let detail = json!({ "slug": tenant.slug.as_str() });
            system.audit(
                Some(tenant.id.to_string()),
                "tenant.create",
                "tenant",
                &tenant.id.to_string(),
                detail,
                at,
            )
        }),
    )
    .await
    .map_err(AdminError::from)
}

/// Tenants the caller may see, by slug, after `after`; `limit + 1` rows.
pub async fn list(
    platform: &Platform,
    principal: &AdminPrincipal,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<Tenant>, AdminError> {
    let only: Option<Vec<String>> = match &principal.role {
        Role::System => None,
        Role::TenantAdmin(ids) => Some(ids.iter().map(TenantId::to_string).collect()),
    };
    let rows = platform
        .db
        .run(move |conn| {
            let mut query = dsl::tenants.into_boxed();
            if let Some(ids) = only {
                query = query.filter(dsl::id.eq_any(ids));
            }
            if let Some(after) = after {
                query = query.filter(dsl::slug.gt(after));
            }
            query
                .order(dsl::slug.asc())
                .limit(limit + 1)
                .select(TenantRow::as_select())
                .load(conn)
                .map_err(StoreError::from)?
                .into_iter()
                .map(Tenant::try_from)
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(rows)
}

/// Applies `body` if `if_match` names the tenant's current version.
pub async fn update(
    platform: &Platform,
    scope: &TenantScope,
    if_match: IfMatch,
    body: UpdateTenant,
) -> Result<Tenant, AdminError> {
    if let Some(name) = &body.display_name {
        check_name(name)?;
    }
    let id = scope.tenant().id;
    let public_url = platform.config.http.public_url.clone();
    let now = platform.clock.now_secs();
    let scope = scope.clone();
    let updated = platform
        .db
        .transaction_or(move |conn| {
            // Lock the row before reading it: a concurrent update with the
            // same ETag waits, then sees the new version and gets 412.
            diesel::update(dsl::tenants.filter(dsl::id.eq(id.to_string())))
                .set(dsl::updated_at.eq(dsl::updated_at))
                .execute(conn)
                .map_err(StoreError::from)?;
            let current = tenant_queries::find(conn, id)?;
            apply_update(conn, &scope, current, &if_match, body, &public_url, now)
        })
        .await??;
    idp::changes::announce(platform, id).await;
    Ok(updated)
}

fn apply_update(
    conn: &mut idp::store::DbConnection,
    scope: &TenantScope,
    current: Tenant,
    if_match: &IfMatch,
    body: UpdateTenant,
    public_url: &str,
    now: i64,
) -> Result<Tenant, AdminError> {
    if_match.check(&etag::of(&TenantView::new(&current, public_url)))?;
    if body.enabled == Some(false) && current.slug.as_str() == SYSTEM_SLUG {
        return Err(AdminError::Conflict(
            "the system tenant issues admin tokens and cannot be deactivated".into(),
        ));
    }
    let policy = match body.policy.clone() {
        Some(patch) => super::merge(&current.policy, patch)?,
        None => current.policy.clone(),
    };
    policy.validate().map_err(AdminError::invalid)?;
    let mut next = current.clone();
    next.policy = policy;
    if let Some(name) = &body.display_name {
        next.display_name.clone_from(name);
    }
    if let Some(enabled) = body.enabled {
        next.enabled = enabled;
    }
    let policy_json =
        serde_json::to_string(&next.policy).map_err(|e| AdminError::Internal(e.to_string()))?;
    let revision = idp::store::queries::changes::bump(conn)?;
    diesel::update(dsl::tenants.filter(dsl::id.eq(current.id.to_string())))
        .set((
            dsl::display_name.eq(&next.display_name),
            dsl::policy.eq(policy_json),
            dsl::enabled.eq(next.enabled),
            dsl::revision.eq(revision),
            dsl::updated_at.eq(now),
        ))
        .execute(conn)
        .map_err(StoreError::from)?;
    next.revision = revision;
    let detail = serde_json::to_value(changed_fields(&body)).unwrap_or_default();
    let record = scope.audit(
        "tenant.update",
        "tenant",
        &current.id.to_string(),
        detail,
        now,
    );
    super::audit(conn, &record)?;
    Ok(next)
}

fn changed_fields(body: &UpdateTenant) -> Vec<&'static str> {
    [
        ("display_name", body.display_name.is_some()),
        ("policy", body.policy.is_some()),
        ("enabled", body.enabled.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect()
}

/// Deactivates the tenant: its endpoints answer 404 from the next change poll.
pub async fn deactivate(
    platform: &Platform,
    system: &SystemScope,
    scope: &TenantScope,
) -> Result<(), AdminError> {
    let tenant = scope.tenant().clone();
    if tenant.slug.as_str() == SYSTEM_SLUG {
        return Err(AdminError::Conflict(
            "the system tenant issues admin tokens and cannot be deactivated".into(),
        ));
    }
    let now = platform.clock.now_secs();
    let record = system.audit(
        Some(tenant.id.to_string()),
        "tenant.deactivate",
        "tenant",
        &tenant.id.to_string(),
        json!({ "slug": tenant.slug.as_str() }),
        now,
    );
    platform
        .db
        .transaction(move |conn| {
            tenant_queries::set_enabled(conn, tenant.id, false, now)?;
            super::audit(conn, &record)
        })
        .await?;
    idp::changes::announce(platform, scope.tenant().id).await;
    Ok(())
}
