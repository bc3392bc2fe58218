//! Queries on `refresh_tokens`. Rotation is one conditional update: of
//! concurrent uses of one token, at most one sees `used_at` still empty.

use diesel::prelude::*;

use crate::ids::TenantId;
use crate::store::models::token::RefreshTokenRow;
use crate::store::schema::refresh_tokens::dsl;
use crate::store::{DbConnection, StoreError};

/// Stores a refresh token.
pub fn insert(conn: &mut DbConnection, row: &RefreshTokenRow) -> Result<(), StoreError> {
    diesel::insert_into(dsl::refresh_tokens)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The refresh token with `digest` in `tenant`.
pub fn find(
    conn: &mut DbConnection,
    tenant: TenantId,
    digest: &[u8],
) -> Result<Option<RefreshTokenRow>, StoreError> {
    Ok(dsl::refresh_tokens
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::digest.eq(digest))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks the token used if it is still unused and live; `true` for the one
/// caller that did.
pub fn mark_used(
    conn: &mut DbConnection,
    tenant: TenantId,
    digest: &[u8],
    now: i64,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        dsl::refresh_tokens
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::digest.eq(digest))
            .filter(dsl::used_at.is_null())
            .filter(dsl::revoked.eq(false))
            .filter(dsl::expires_at.gt(now)),
    )
    .set(dsl::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Revokes every token of the grant; returns how many were live.
pub fn revoke_grant(
    conn: &mut DbConnection,
    tenant: TenantId,
    grant_id: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        dsl::refresh_tokens
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::grant_id.eq(grant_id))
            .filter(dsl::revoked.eq(false)),
    )
    .set(dsl::revoked.eq(true))
    .execute(conn)?)
}

/// Grants with a live token bound to the SSO session `sid`.
pub fn grants_of_session(
    conn: &mut DbConnection,
    tenant: TenantId,
    sid: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(dsl::refresh_tokens
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::session_id.eq(sid))
        .filter(dsl::revoked.eq(false))
        .select(dsl::grant_id)
        .distinct()
        .load(conn)?)
}

/// Grants with a live token of the user.
pub fn grants_of_user(
    conn: &mut DbConnection,
    tenant: TenantId,
    user_id: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(dsl::refresh_tokens
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::user_id.eq(user_id))
        .filter(dsl::revoked.eq(false))
        .select(dsl::grant_id)
        .distinct()
        .load(conn)?)
}

/// Deletes up to `limit` tokens of `tenant` whose family expired before `now`.
pub fn purge_expired(
    conn: &mut DbConnection,
    tenant: TenantId,
    now: i64,
    limit: i64,
) -> Result<(), StoreError> {
    let expired: Vec<Vec<u8>> = dsl::refresh_tokens
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::family_expires_at.le(now))
        .select(dsl::digest)
        .limit(limit)
        .load(conn)?;
    diesel::delete(
        dsl::refresh_tokens
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::digest.eq_any(expired)),
    )
    .execute(conn)?;
    Ok(())
}

/// Grants with a live token of `user` at `client`.
pub fn grants_of_consent(
    conn: &mut DbConnection,
    tenant: TenantId,
    user_id: &str,
    client_id: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(dsl::refresh_tokens
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::user_id.eq(user_id))
        .filter(dsl::client_id.eq(client_id))
        .filter(dsl::revoked.eq(false))
        .select(dsl::grant_id)
        .distinct()
        .load(conn)?)
}

/// Whose refresh tokens [`revoke_all`] revokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    /// Every token of one user.
    User(&'a str),
    /// Every token issued to one client.
    Client(&'a str),
    /// Every token of the tenant.
    Tenant,
}

/// Revokes every live token of `owner`; returns how many were live.
pub fn revoke_all(
    conn: &mut DbConnection,
    tenant: TenantId,
    owner: Owner<'_>,
) -> Result<usize, StoreError> {
    let live = dsl::refresh_tokens
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::revoked.eq(false));
    Ok(match owner {
        Owner::User(id) => diesel::update(live.filter(dsl::user_id.eq(id)))
            .set(dsl::revoked.eq(true))
            .execute(conn)?,
        Owner::Client(id) => diesel::update(live.filter(dsl::client_id.eq(id)))
            .set(dsl::revoked.eq(true))
            .execute(conn)?,
        Owner::Tenant => diesel::update(live)
            .set(dsl::revoked.eq(true))
            .execute(conn)?,
    })
}
