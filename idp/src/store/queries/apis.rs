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
