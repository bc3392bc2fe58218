//! Queries on `opaque_tokens` and `revoked_tokens`.

use diesel::prelude::*;

use crate::ids::TenantId;
use crate::store::models::token::{OpaqueTokenRow, RevokedTokenRow};
use crate::store::schema::{opaque_tokens, revoked_tokens};
use crate::store::{DbConnection, StoreError};

/// Rows per multi-row `INSERT` (11 parameters each, far below both
/// databases' parameter limits).
const ROWS_PER_INSERT: usize = 256;

/// Stores opaque tokens (the caller's transaction holds a batch). One
/// multi-row `INSERT` per chunk: the query builder's multi-row `VALUES` does
/// not compile on the `MultiConnection` enum, so the statement is written
/// out, with `$n` placeholders, which both databases accept in order.
pub fn insert_opaque(conn: &mut DbConnection, rows: &[OpaqueTokenRow]) -> Result<(), StoreError> {
    use diesel::sql_types::{BigInt, Binary, Bool, Nullable, Text};
    use std::fmt::Write;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut sql = String::from(
            "INSERT INTO opaque_tokens (tenant_id, digest, jti, client_id, subject, audience, \
             scope, issued_at, expires_at, revoked, grant_id) VALUES ",
        );
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for column in 0..11 {
                n += 1;
                let sep = if column == 0 { "" } else { ", " };
                let _ = write!(sql, "{sep}${n}");
            }
            sql.push(')');
        }
        let mut query = diesel::sql_query(sql).into_boxed::<crate::store::backend::MultiBackend>();
        for row in chunk {
            query = query
                .bind::<Text, _>(row.tenant_id.as_str())
                .bind::<Binary, _>(row.digest.as_slice())
                .bind::<Text, _>(row.jti.as_str())
                .bind::<Text, _>(row.client_id.as_str())
                .bind::<Text, _>(row.subject.as_str())
                .bind::<Text, _>(row.audience.as_str())
                .bind::<Text, _>(row.scope.as_str())
                .bind::<BigInt, _>(row.issued_at)
                .bind::<BigInt, _>(row.expires_at)
                .bind::<Bool, _>(row.revoked)
                .bind::<Nullable<Text>, _>(row.grant_id.as_deref());
        }
        query.execute(conn)?;
    }
    Ok(())
}

/// The opaque token with `digest` in `tenant`.
pub fn find_opaque(
    conn: &mut DbConnection,
    tenant: TenantId,
    digest: &[u8],
) -> Result<Option<OpaqueTokenRow>, StoreError> {
    Ok(opaque_tokens::table
        .filter(opaque_tokens::tenant_id.eq(tenant.to_string()))
        .filter(opaque_tokens::digest.eq(digest))
        .select(OpaqueTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks an opaque token revoked.
pub fn revoke_opaque(
    conn: &mut DbConnection,
    tenant: TenantId,
    digest: &[u8],
) -> Result<(), StoreError> {
    diesel::update(
        opaque_tokens::table
            .filter(opaque_tokens::tenant_id.eq(tenant.to_string()))
            .filter(opaque_tokens::digest.eq(digest)),
    )
    .set(opaque_tokens::revoked.eq(true))
    .execute(conn)?;
    Ok(())
}

/// Records `jti` as revoked until `expires_at`; revoking twice is a no-op.
pub fn insert_revoked(
    conn: &mut DbConnection,
    tenant: TenantId,
    jti: &str,
    expires_at: i64,
    now: i64,
) -> Result<(), StoreError> {
    let exists = revoked_tokens::table
        .filter(revoked_tokens::tenant_id.eq(tenant.to_string()))
        .filter(revoked_tokens::jti.eq(jti))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !exists {
        diesel::insert_into(revoked_tokens::table)
            .values(RevokedTokenRow {
                tenant_id: tenant.to_string(),
                jti: jti.to_owned(),
                expires_at,
                revoked_at: now,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Whether `jti` of `tenant` is on the revocation list.
pub fn is_revoked(
    conn: &mut DbConnection,
    tenant: TenantId,
    jti: &str,
) -> Result<bool, StoreError> {
    Ok(revoked_tokens::table
        .filter(revoked_tokens::tenant_id.eq(tenant.to_string()))
        .filter(revoked_tokens::jti.eq(jti))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// Revoked ids of `tenant` whose tokens have not expired at `now`.
pub fn live_revocations(
    conn: &mut DbConnection,
    tenant: TenantId,
    now: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(revoked_tokens::table
        .filter(revoked_tokens::tenant_id.eq(tenant.to_string()))
        .filter(revoked_tokens::expires_at.gt(now))
        .select((revoked_tokens::jti, revoked_tokens::expires_at))
        .load(conn)?)
}

/// Deletes up to `limit` rows per table of what can no longer matter:
/// revocations and opaque tokens of `tenant` past their expiry.
pub fn purge_expired(
    conn: &mut DbConnection,
    tenant: TenantId,
    now: i64,
    limit: i64,
) -> Result<(), StoreError> {
    let expired_jtis: Vec<String> = revoked_tokens::table
        .filter(revoked_tokens::tenant_id.eq(tenant.to_string()))
        .filter(revoked_tokens::expires_at.le(now))
        .select(revoked_tokens::jti)
        .limit(limit)
        .load(conn)?;
    diesel::delete(
        revoked_tokens::table
            .filter(revoked_tokens::tenant_id.eq(tenant.to_string()))
            .filter(revoked_tokens::jti.eq_any(expired_jtis)),
    )
    .execute(conn)?;
    let expired_tokens: Vec<Vec<u8>> = opaque_tokens::table
        .filter(opaque_tokens::tenant_id.eq(tenant.to_string()))
        .filter(opaque_tokens::expires_at.le(now))
        .select(opaque_tokens::digest)
        .limit(limit)
        .load(conn)?;
    diesel::delete(
        opaque_tokens::table
            .filter(opaque_tokens::tenant_id.eq(tenant.to_string()))
            .filter(opaque_tokens::digest.eq_any(expired_tokens)),
    )
    .execute(conn)?;
    Ok(())
}
