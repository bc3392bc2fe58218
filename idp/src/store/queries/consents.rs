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

/// Removes every consent given to `client` (the client is deleted).
pub fn delete_of_client(
    conn: &mut DbConnection,
    tenant: TenantId,
    client: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        dsl::consents
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::client_id.eq(client)),
    )
    .execute(conn)?)
}

/// Removes every consent `user` gave (the user is deleted).
pub fn delete_of_user(
    conn: &mut DbConnection,
    tenant: TenantId,
    user: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        dsl::consents
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::user_id.eq(user)),
    )
    .execute(conn)?)
}

/// Consents of `tenant`, optionally of one user and/or client, by
/// (user, client) after `after`; at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    tenant: TenantId,
    filter: &ConsentFilter,
    limit: i64,
) -> Result<Vec<ConsentRow>, StoreError> {
    let mut q = dsl::consents
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .into_boxed();
    if let Some(user) = &filter.user_id {
        q = q.filter(dsl::user_id.eq(user.clone()));
    }
    if let Some(client) = &filter.client_id {
        q = q.filter(dsl::client_id.eq(client.clone()));
    }
    if let Some((u, c)) = &filter.after {
        q = q.filter(
            dsl::user_id
                .gt(u.clone())
                .or(dsl::user_id.eq(u.clone()).and(dsl::client_id.gt(c.clone()))),
        );
    }
    let rows: Vec<(String, String, String, i64, i64)> = q
        .order((dsl::user_id.asc(), dsl::client_id.asc()))
        .limit(limit)
        .select((
            dsl::user_id,
            dsl::client_id,
            dsl::scopes,
            dsl::created_at,
            dsl::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(user_id, client_id, scopes, created_at, updated_at)| ConsentRow {
                user_id,
                client_id,
                scopes: serde_json::from_str(&scopes).unwrap_or_default(),
                created_at,
                updated_at,
            },
        )
        .collect())
}

/// Which consents [`list`] returns.
#[derive(Debug, Clone, Default)]
pub struct ConsentFilter {
    /// Only this user's.
    pub user_id: Option<String>,
    /// Only those given to this client.
    pub client_id: Option<String>,
    /// Keyset cursor: (user, client) of the last row seen.
    pub after: Option<(String, String)>,
}

/// One consent as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRow {
    /// Who consented.
    pub user_id: String,
    /// To which client.
    pub client_id: String,
    /// The scopes consented to.
    pub scopes: Vec<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}
