//! Queries on `token_watermarks`: per tenant, the moment before which every
//! token and session of a subject (`tenant`, `client:{id}`, `user:{id}`) is dead.

use diesel::prelude::*;

use crate::ids::TenantId;
use crate::store::schema::token_watermarks::dsl;
use crate::store::{DbConnection, StoreError};

/// Raises `subject`'s watermark to `not_before` (never lowers it), kept until
/// `expires_at`.
pub fn raise(
    conn: &mut DbConnection,
    tenant: TenantId,
    subject: &str,
    not_before: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        dsl::token_watermarks
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::subject.eq(subject))
            .filter(dsl::not_before.le(not_before)),
    )
    .set((
        dsl::not_before.eq(not_before),
        dsl::expires_at.eq(expires_at),
    ))
    .execute(conn)?;
    if updated == 0 {
        let exists: i64 = dsl::token_watermarks
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::subject.eq(subject))
            .count()
            .get_result(conn)?;
        if exists == 0 {
            diesel::insert_into(dsl::token_watermarks)
                .values((
                    dsl::tenant_id.eq(tenant.to_string()),
                    dsl::subject.eq(subject),
                    dsl::not_before.eq(not_before),
                    dsl::expires_at.eq(expires_at),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The tenant's watermarks that still matter at `now`, as (subject, not_before).
pub fn live(
    conn: &mut DbConnection,
    tenant: TenantId,
    now: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(dsl::token_watermarks
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .filter(dsl::expires_at.gt(now))
        .select((dsl::subject, dsl::not_before))
        .load(conn)?)
}

/// Deletes watermarks that no longer matter.
pub fn purge_expired(conn: &mut DbConnection, now: i64) -> Result<usize, StoreError> {
    Ok(diesel::delete(dsl::token_watermarks.filter(dsl::expires_at.le(now))).execute(conn)?)
}
