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
