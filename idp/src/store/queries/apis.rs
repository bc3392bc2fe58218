//! Queries on `apis`.

use diesel::prelude::*;

use crate::domain::api::Api;
use crate::ids::TenantId;
use crate::store::models::api::ApiRow;
use crate::store::schema::apis::dsl;
use crate::store::{DbConnection, StoreError};

/// Inserts `api`; if it is the default, the tenant's other APIs stop being so.
pub fn insert(
    conn: &mut DbConnection,
    tenant: TenantId,
    api: &Api,
    now: i64,
) -> Result<(), StoreError> {
    if api.is_default {
        diesel::update(dsl::apis.filter(dsl::tenant_id.eq(tenant.to_string())))
            .set(dsl::is_default.eq(false))
            .execute(conn)?;
    }
    diesel::insert_into(dsl::apis)
        .values(ApiRow {
            tenant_id: tenant.to_string(),
            id: api.id.clone(),
            identifier: api.identifier.clone(),
            name: api.name.clone(),
            scopes: serde_json::to_string(&api.scopes)
                .map_err(|e| StoreError::Other(e.to_string()))?,
            is_default: api.is_default,
            created_at: now,
        })
        .execute(conn)?;
    Ok(())
}

/// The tenant's APIs, oldest first.
pub fn list(conn: &mut DbConnection, tenant: TenantId) -> Result<Vec<Api>, StoreError> {
    dsl::apis
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .order(dsl::created_at.asc())
        .select(ApiRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Api::try_from)
        .collect()
}

/// Locks the API `id` of `tenant` for the transaction, then reads it.
pub fn lock(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &str,
) -> Result<Option<Api>, StoreError> {
    let locked = diesel::update(
        dsl::apis
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(id)),
    )
    .set(dsl::created_at.eq(dsl::created_at))
    .execute(conn)?;
    if locked == 0 {
        return Ok(None);
    }
    Ok(list(conn, tenant)?.into_iter().find(|a| a.id == id))
}

/// Writes the API's name, scopes and default flag; a new default makes the
/// tenant's other APIs stop being so.
pub fn update(conn: &mut DbConnection, tenant: TenantId, api: &Api) -> Result<(), StoreError> {
    if api.is_default {
        diesel::update(dsl::apis.filter(dsl::tenant_id.eq(tenant.to_string())))
            .set(dsl::is_default.eq(false))
            .execute(conn)?;
    }
    let scopes =
        serde_json::to_string(&api.scopes).map_err(|e| StoreError::Other(e.to_string()))?;
    diesel::update(
        dsl::apis
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(&api.id)),
    )
    .set((
        dsl::name.eq(&api.name),
        dsl::scopes.eq(scopes),
        dsl::is_default.eq(api.is_default),
    ))
    .execute(conn)?;
    Ok(())
}

/// Deletes the API `id` of `tenant`.
pub fn delete(conn: &mut DbConnection, tenant: TenantId, id: &str) -> Result<(), StoreError> {
    diesel::delete(
        dsl::apis
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(id)),
    )
    .execute(conn)?;
    Ok(())
}
