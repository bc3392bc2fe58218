//! Queries on `users`.

use diesel::prelude::*;

use crate::domain::user::{User, UserId};
use crate::ids::TenantId;
use crate::store::models::user::UserRow;
use crate::store::schema::users::dsl;
use crate::store::{DbConnection, StoreError};

/// Inserts a user; `Conflict` if the username or email is taken in the tenant.
pub fn insert(conn: &mut DbConnection, row: &UserRow) -> Result<(), StoreError> {
    diesel::insert_into(dsl::users).values(row).execute(conn)?;
    Ok(())
}

/// The user `id` of `tenant`.
pub fn find(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &UserId,
) -> Result<Option<User>, StoreError> {
    dsl::users
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::id.eq(id.as_str()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(User::try_from)
        .transpose()
}

/// The user whose username, or lower-cased email, is `login`, with the
/// password hash for verification.
pub fn find_by_login(
    conn: &mut DbConnection,
    tenant: TenantId,
    login: &str,
) -> Result<Option<(User, Option<String>)>, StoreError> {
    let email = login.trim().to_lowercase();
    let row = dsl::users
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::username.eq(login).or(dsl::email.eq(email)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|row| {
        let hash = row.password_hash.clone();
        User::try_from(row).map(|user| (user, hash))
    })
    .transpose()
}

/// Sets when the user's sign-in lock ends (`None` unlocks).
pub fn set_locked_until(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &UserId,
    until: Option<i64>,
    now: i64,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        dsl::users
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(id.as_str())),
    )
    .set((dsl::locked_until.eq(until), dsl::updated_at.eq(now)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Enables or disables the user.
pub fn set_enabled(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &UserId,
    enabled: bool,
    now: i64,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        dsl::users
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(id.as_str())),
    )
    .set((dsl::enabled.eq(enabled), dsl::updated_at.eq(now)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Users of `tenant` by id after `after`; at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    tenant: TenantId,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<User>, StoreError> {
    let mut query = dsl::users
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(dsl::id.gt(after.to_owned()));
    }
    query
        .order(dsl::id.asc())
        .limit(limit)
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(User::try_from)
        .collect()
}

/// Locks the user's row for the transaction, then reads it.
pub fn lock(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &UserId,
) -> Result<Option<User>, StoreError> {
    diesel::update(
        dsl::users
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(id.as_str())),
    )
    .set(dsl::updated_at.eq(dsl::updated_at))
    .execute(conn)?;
    find(conn, tenant, id)
}

/// Writes the user's editable fields (email, its verification, profile,
/// enabled); `Conflict` if the email is taken in the tenant.
pub fn update(
    conn: &mut DbConnection,
    tenant: TenantId,
    user: &User,
    now: i64,
) -> Result<(), StoreError> {
    let profile =
        serde_json::to_string(&user.profile).map_err(|e| StoreError::Other(e.to_string()))?;
    diesel::update(
        dsl::users
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(user.id.as_str())),
    )
    .set((
        dsl::email.eq(&user.email),
        dsl::email_verified.eq(user.email_verified),
        dsl::profile.eq(profile),
        dsl::enabled.eq(user.enabled),
        dsl::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(())
}

/// Replaces the user's password hash.
pub fn set_password_hash(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: &UserId,
    hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    diesel::update(
        dsl::users
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(id.as_str())),
    )
    .set((dsl::password_hash.eq(Some(hash)), dsl::updated_at.eq(now)))
    .execute(conn)?;
    Ok(())
}

/// Deletes the user.
pub fn delete(conn: &mut DbConnection, tenant: TenantId, id: &UserId) -> Result<(), StoreError> {
    diesel::delete(
        dsl::users
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(id.as_str())),
    )
    .execute(conn)?;
    Ok(())
}
