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

/// Users of `tenant` by id after `after`; at most `limit`. With `login`,
/// only the user whose id or username is `login`, or whose email is
/// `login` lower-cased (emails are stored lower-cased).
pub fn list(
    conn: &mut DbConnection,
    tenant: TenantId,
    login: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<User>, StoreError> {
    let mut query = dsl::users
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .into_boxed();
    if let Some(login) = login {
        let email = login.trim().to_lowercase();
        query = query.filter(
            dsl::id
                .eq(login.to_owned())
                .or(dsl::username.eq(login.to_owned()))
                .or(dsl::email.eq(email)),
        );
    }
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

#[cfg(test)]
mod tests {
    use diesel::{Connection, SqliteConnection};

    use super::*;
    use crate::domain::policy::TenantPolicy;
    use crate::domain::tenant::NewTenant;
    use crate::ids::TenantSlug;
    use crate::store::migrate;
    use crate::store::queries::tenants;

    fn user(tenant: TenantId, id: &str, username: Option<&str>, email: Option<&str>) -> UserRow {
        UserRow {
            tenant_id: tenant.to_string(),
            id: id.to_owned(),
            username: username.map(str::to_owned),
            email: email.map(str::to_owned),
            email_verified: false,
            password_hash: None,
            profile: "{}".to_owned(),
            enabled: true,
            locked_until: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn a_login_lists_the_one_user_it_names() {
        let sqlite = SqliteConnection::establish(":memory:").expect("an in-memory database");
        let mut conn = DbConnection::Sqlite(sqlite);
        migrate::run_pending(&mut conn).expect("migrations");
        let (tenant, other) = (TenantId::generate(), TenantId::generate());
        for (id, slug) in [(tenant, "one"), (other, "two")] {
            let new = NewTenant {
                slug: TenantSlug::parse(slug).expect("a slug"),
                display_name: slug.to_owned(),
                policy: TenantPolicy::default(),
            };
            tenants::insert(&mut conn, id, &new, 0).expect("a tenant");
        }
        for row in [
            user(tenant, "u1", Some("ada"), Some("ada@example.com")),
            user(tenant, "u2", Some("bob"), None),
            user(tenant, "u3", None, Some("carol@example.com")),
            user(other, "u4", Some("ada"), Some("ada@example.com")),
        ] {
            insert(&mut conn, &row).expect("a user");
        }
        let table = [
            (None, vec!["u1", "u2", "u3"]),
            (Some("ada"), vec!["u1"]),
            (Some("u2"), vec!["u2"]),
            (Some("ADA@Example.com"), vec!["u1"]),
            (Some("carol@example.com"), vec!["u3"]),
            (Some("Ada"), vec![]),
            (Some("u4"), vec![]),
            (Some(""), vec![]),
        ];
        for (login, expected) in table {
            let ids: Vec<String> = list(&mut conn, tenant, login, None, 10)
                .expect("a list")
                .into_iter()
                .map(|u| u.id.as_str().to_owned())
                .collect();
            assert_eq!(ids, expected, "{login:?}");
        }
    }
}
