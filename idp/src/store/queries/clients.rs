//! Queries on `clients`.

use diesel::prelude::*;

use crate::domain::client::{Client, NewClient};
use crate::ids::{ClientId, TenantId};
use crate::store::models::client::ClientRow;
use crate::store::schema::clients::dsl;
use crate::store::{DbConnection, StoreError};

/// Inserts a client with id `id` and, for confidential clients, the digest
/// of its generated secret.
pub fn insert(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &ClientId,
    new: &NewClient,
    secret_digest: Option<Vec<u8>>,
    now: i64,
) -> Result<(), StoreError> {
    let settings = new.settings();
    diesel::insert_into(dsl::clients)
        .values(ClientRow {
            tenant_id: tenant.to_string(),
            client_id: id.as_str().to_owned(),
            name: new.name.clone(),
            confidential: new.is_confidential(),
            auth_method: new.auth_method.as_str().to_owned(),
            secret_digest,
            previous_secret_digest: None,
            previous_secret_expires_at: None,
            settings: serde_json::to_string(&settings)
                .map_err(|e| StoreError::Other(e.to_string()))?,
            enabled: true,
            created_at: now,
            updated_at: now,
        })
        .execute(conn)?;
    Ok(())
}

/// The client `id` of `tenant`.
pub fn find(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &ClientId,
) -> Result<Option<Client>, StoreError> {
    dsl::clients
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::client_id.eq(id.as_str()))
        .select(ClientRow::as_select())
        .first(conn)
        .optional()?
        .map(Client::try_from)
        .transpose()
}

/// The clients of `tenant` by id after `after`; at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    tenant: TenantId,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Client>, StoreError> {
    let mut query = dsl::clients
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(dsl::client_id.gt(after.to_owned()));
    }
    query
        .order(dsl::client_id.asc())
        .limit(limit)
        .select(ClientRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Client::try_from)
        .collect()
}

/// Locks the client's row for the rest of the transaction (a concurrent
/// change waits, then reads what this one wrote); `false` if there is none.
pub fn lock(conn: &mut DbConnection, tenant: TenantId, id: &ClientId) -> Result<bool, StoreError> {
    let locked = diesel::update(
        dsl::clients
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::client_id.eq(id.as_str())),
    )
    .set(dsl::updated_at.eq(dsl::updated_at))
    .execute(conn)?;
    Ok(locked > 0)
}

/// Writes the editable fields of `client`: name, enabled, settings.
pub fn update(
    conn: &mut DbConnection,
    tenant: TenantId,
    client: &Client,
    now: i64,
) -> Result<(), StoreError> {
    let settings =
        serde_json::to_string(&client.settings).map_err(|e| StoreError::Other(e.to_string()))?;
    diesel::update(
        dsl::clients
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::client_id.eq(client.id.as_str())),
    )
    .set((
        dsl::name.eq(&client.name),
        dsl::enabled.eq(client.enabled),
        dsl::settings.eq(settings),
        dsl::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(())
}

/// Deletes the client; `false` if there was none.
pub fn delete(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &ClientId,
) -> Result<bool, StoreError> {
    let deleted = diesel::delete(
        dsl::clients
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::client_id.eq(id.as_str())),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}

/// Enables or disables a client.
pub fn set_enabled(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &ClientId,
    enabled: bool,
    now: i64,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        dsl::clients
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::client_id.eq(id.as_str())),
    )
    .set((dsl::enabled.eq(enabled), dsl::updated_at.eq(now)))
    .execute(conn)?;
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Replaces the current secret digest; the old one stays valid until
/// `previous_until` (unix seconds), or not at all when `None`.
pub fn rotate_secret(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &ClientId,
    new_digest: Vec<u8>,
    previous_until: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    let target = dsl::clients
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::client_id.eq(id.as_str()));
    let current: Option<Vec<u8>> = target
        .clone()
        .select(dsl::secret_digest)
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let previous = previous_until.and(current);
    diesel::update(target)
        .set((
            dsl::secret_digest.eq(Some(new_digest)),
            dsl::previous_secret_digest.eq(previous),
            dsl::previous_secret_expires_at.eq(previous_until),
            dsl::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Browser origins registered by the enabled clients of `tenant` (CORS).
pub fn web_origins(
    conn: &mut DbConnection,
    tenant: TenantId,
) -> Result<std::collections::HashSet<String>, StoreError> {
    let settings: Vec<String> = dsl::clients
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::enabled.eq(true))
        .select(dsl::settings)
        .load(conn)?;
    Ok(settings
        .iter()
        .filter_map(|json| serde_json::from_str::<crate::domain::client::ClientSettings>(json).ok())
        .flat_map(|s| s.web_origins)
        .collect())
}

/// Wraps every client-secret digest of every tenant still in the form of
/// releases before subkeys (the one-time subkey upgrade); how many.
pub fn wrap_legacy_digests(
    conn: &mut DbConnection,
    hasher: &crate::crypto::client_secret::SecretHasher,
) -> Result<usize, StoreError> {
    type Digests = (String, String, Option<Vec<u8>>, Option<Vec<u8>>);
    let rows: Vec<Digests> = dsl::clients
        .select((
            dsl::tenant_id,
            dsl::client_id,
            dsl::secret_digest,
            dsl::previous_secret_digest,
        ))
        .load(conn)?;
    let mut wrapped = 0;
    for (tenant, client, current, previous) in rows {
        let current_wrapped = current.as_deref().and_then(|d| hasher.wrap_legacy(d));
        let previous_wrapped = previous.as_deref().and_then(|d| hasher.wrap_legacy(d));
        if current_wrapped.is_none() && previous_wrapped.is_none() {
            continue;
        }
        diesel::update(
            dsl::clients
                .filter(dsl::tenant_id.eq(&tenant))
                .filter(dsl::client_id.eq(&client)),
        )
        .set((
            dsl::secret_digest.eq(current_wrapped.or(current)),
            dsl::previous_secret_digest.eq(previous_wrapped.or(previous)),
        ))
        .execute(conn)?;
        wrapped += 1;
    }
    Ok(wrapped)
}
