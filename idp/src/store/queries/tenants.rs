//! Queries on `tenants`.

use diesel::prelude::*;

use crate::domain::policy::TenantPolicy;
use crate::domain::tenant::{NewTenant, Tenant};
use crate::ids::{TenantId, TenantSlug};
use crate::store::models::tenant::{NewTenantRow, TenantRow};
use crate::store::queries::changes;
use crate::store::schema::tenants::dsl;
use crate::store::{DbConnection, StoreError};

/// Inserts a tenant with id `id`; `Conflict` if the slug is taken.
pub fn insert(
    conn: &mut DbConnection,
    id: TenantId,
    new: &NewTenant,
    now: i64,
) -> Result<Tenant, StoreError> {
    let revision = changes::bump(conn)?;
    let policy =
        serde_json::to_string(&new.policy).map_err(|e| StoreError::Other(e.to_string()))?;
    diesel::insert_into(dsl::tenants)
        .values(NewTenantRow {
            id: id.to_string(),
            slug: new.slug.as_str(),
            display_name: &new.display_name,
            policy,
            enabled: true,
            revision,
            created_at: now,
            updated_at: now,
        })
        .execute(conn)?;
    Ok(Tenant {
        id,
        slug: new.slug.clone(),
        display_name: new.display_name.clone(),
        policy: new.policy.clone(),
        enabled: true,
        revision,
    })
}

/// The tenant with `slug`, enabled or not.
pub fn find_by_slug(
    conn: &mut DbConnection,
    slug: &TenantSlug,
) -> Result<Option<Tenant>, StoreError> {
    dsl::tenants
        .filter(dsl::slug.eq(slug.as_str()))
        .select(TenantRow::as_select())
        .first(conn)
        .optional()?
        .map(Tenant::try_from)
        .transpose()
}

/// The tenant with `id`.
pub fn find(conn: &mut DbConnection, id: TenantId) -> Result<Tenant, StoreError> {
    dsl::tenants
        .filter(dsl::id.eq(id.to_string()))
        .select(TenantRow::as_select())
        .first(conn)?
        .try_into()
}

/// Replaces the policy; bumps the change counter.
pub fn update_policy(
    conn: &mut DbConnection,
    id: TenantId,
    policy: &TenantPolicy,
    now: i64,
) -> Result<(), StoreError> {
    let revision = changes::bump(conn)?;
    let json = serde_json::to_string(policy).map_err(|e| StoreError::Other(e.to_string()))?;
    let updated = diesel::update(dsl::tenants.filter(dsl::id.eq(id.to_string())))
        .set((
            dsl::policy.eq(json),
            dsl::revision.eq(revision),
            dsl::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Enables or disables the tenant; bumps the change counter.
pub fn set_enabled(
    conn: &mut DbConnection,
    id: TenantId,
    enabled: bool,
    now: i64,
) -> Result<(), StoreError> {
    let revision = changes::bump(conn)?;
    let updated = diesel::update(dsl::tenants.filter(dsl::id.eq(id.to_string())))
        .set((
            dsl::enabled.eq(enabled),
            dsl::revision.eq(revision),
            dsl::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Marks the tenant changed without another edit (e.g. its keys changed).
pub fn touch(conn: &mut DbConnection, id: TenantId, now: i64) -> Result<(), StoreError> {
    let revision = changes::bump(conn)?;
    diesel::update(dsl::tenants.filter(dsl::id.eq(id.to_string())))
        .set((dsl::revision.eq(revision), dsl::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Ids of tenants changed after counter value `since`.
pub fn changed_since(conn: &mut DbConnection, since: i64) -> Result<Vec<TenantId>, StoreError> {
    let ids: Vec<String> = dsl::tenants
        .filter(dsl::revision.gt(since))
        .select(dsl::id)
        .load(conn)?;
    Ok(ids.iter().filter_map(|id| TenantId::parse(id)).collect())
}

/// Tenants by slug after `after`, only those in `only` when given; at most
/// `limit`.
pub fn list(
    conn: &mut DbConnection,
    only: Option<&[TenantId]>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Tenant>, StoreError> {
    let mut query = dsl::tenants.into_boxed();
    if let Some(ids) = only {
        query = query.filter(dsl::id.eq_any(ids.iter().map(TenantId::to_string)));
    }
    if let Some(after) = after {
        query = query.filter(dsl::slug.gt(after.to_owned()));
    }
    query
        .order(dsl::slug.asc())
        .limit(limit)
        .select(TenantRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Tenant::try_from)
        .collect()
}

/// Locks the tenant's row for the transaction, then reads it: a concurrent
/// edit waits and then reads the new version.
pub fn lock(conn: &mut DbConnection, id: TenantId) -> Result<Tenant, StoreError> {
    diesel::update(dsl::tenants.filter(dsl::id.eq(id.to_string())))
        .set(dsl::updated_at.eq(dsl::updated_at))
        .execute(conn)?;
    find(conn, id)
}

/// Writes the tenant's display name, policy and enabled flag. The caller's
/// change bumps the revision.
pub fn update(conn: &mut DbConnection, tenant: &Tenant, now: i64) -> Result<(), StoreError> {
    let policy =
        serde_json::to_string(&tenant.policy).map_err(|e| StoreError::Other(e.to_string()))?;
    let updated = diesel::update(dsl::tenants.filter(dsl::id.eq(tenant.id.to_string())))
        .set((
            dsl::display_name.eq(&tenant.display_name),
            dsl::policy.eq(policy),
            dsl::enabled.eq(tenant.enabled),
            dsl::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// The slug of the tenant stored as `id`, if it exists.
pub fn slug_of(conn: &mut DbConnection, id: &str) -> Result<Option<String>, StoreError> {
    Ok(dsl::tenants
        .filter(dsl::id.eq(id))
        .select(dsl::slug)
        .first::<String>(conn)
        .optional()?)
}
