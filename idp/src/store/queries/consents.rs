//! Queries on `consents`: the scopes each user granted each client.

use diesel::prelude::*;

use crate::ids::TenantId;
use crate::store::schema::consents::dsl;
use crate::store::{DbConnection, StoreError};

fn decode(json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt("consent scopes".into()))
}

/// The stored JSON of `user`'s grant to `client`, if any.
fn stored(
    conn: &mut DbConnection,
    tenant: TenantId,
    user: &str,
    client: &str,
) -> Result<Option<String>, StoreError> {
    Ok(dsl::consents
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::user_id.eq(user))
        .filter(dsl::client_id.eq(client))
        .select(dsl::scopes)
        .first(conn)
        .optional()?)
}

/// Scopes `user` granted `client` in `tenant` (empty if none).
pub fn granted(
    conn: &mut DbConnection,
    tenant: TenantId,
    user: &str,
    client: &str,
) -> Result<Vec<String>, StoreError> {
    stored(conn, tenant, user, client)?.map_or(Ok(Vec::new()), |j| decode(&j))
}

/// Adds `scopes` to what `user` granted `client`; returns the union. A
/// concurrent grant surfaces as `Conflict` (a first insert that lost, or an
/// update whose row changed since it was read): the caller retries.
pub fn grant(
    conn: &mut DbConnection,
    tenant: TenantId,
    user: &str,
    client: &str,
    scopes: &[String],
    now: i64,
) -> Result<Vec<String>, StoreError> {
    let existing = stored(conn, tenant, user, client)?;
    let mut union = existing.as_deref().map_or(Ok(Vec::new()), decode)?;
    for scope in scopes {
        if !union.contains(scope) {
            union.push(scope.clone());
        }
    }
    let json = serde_json::to_string(&union).map_err(|e| StoreError::Other(e.to_string()))?;
    if let Some(read) = existing {
        // Conditional on the value read: no lost update between two grants.
        let updated = diesel::update(
            dsl::consents
                .filter(dsl::tenant_id.eq(tenant.to_string()))
                .filter(dsl::user_id.eq(user))
                .filter(dsl::client_id.eq(client))
                .filter(dsl::scopes.eq(read)),
        )
        .set((dsl::scopes.eq(json), dsl::updated_at.eq(now)))
        .execute(conn)?;
        if updated == 0 {
            return Err(StoreError::Conflict("consent changed concurrently".into()));
        }
    } else {
        diesel::insert_into(dsl::consents)
            .values((
                dsl::tenant_id.eq(tenant.to_string()),
                dsl::user_id.eq(user),
                dsl::client_id.eq(client),
                dsl::scopes.eq(json),
                dsl::created_at.eq(now),
                dsl::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(union)
}

/// Removes what `user` granted `client`; returns whether there was a grant.
pub fn revoke(
    conn: &mut DbConnection,
    tenant: TenantId,
    user: &str,
    client: &str,
) -> Result<bool, StoreError> {
    let deleted = diesel::delete(
        dsl::consents
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::user_id.eq(user))
            .filter(dsl::client_id.eq(client)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}
