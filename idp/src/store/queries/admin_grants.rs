//! Queries on `admin_grants`: which system-tenant subjects administer which
//! tenants (`*`: every tenant, the system admin).

use diesel::prelude::*;

use crate::store::schema::admin_grants::dsl;
use crate::store::{DbConnection, StoreError};

/// The tenant value that means "every tenant".
pub const ALL_TENANTS: &str = "*";

/// Tenant ids (or [`ALL_TENANTS`]) `subject` administers.
pub fn of_subject(conn: &mut DbConnection, subject: &str) -> Result<Vec<String>, StoreError> {
    Ok(dsl::admin_grants
        .filter(dsl::subject.eq(subject))
        .select(dsl::tenant_id)
        .load(conn)?)
}

/// Every grant as (subject, tenant), ordered, after `after` (the page cursor).
pub fn list(
    conn: &mut DbConnection,
    after: Option<(String, String)>,
    limit: i64,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    let mut query = dsl::admin_grants.into_boxed();
    if let Some((subject, tenant)) = after {
        query = query.filter(
            dsl::subject
                .gt(subject.clone())
                .or(dsl::subject.eq(subject).and(dsl::tenant_id.gt(tenant))),
        );
    }
    Ok(query
        .order((dsl::subject.asc(), dsl::tenant_id.asc()))
        .limit(limit)
        .select((dsl::subject, dsl::tenant_id, dsl::created_at))
        .load(conn)?)
}

/// Grants `subject` the administration of `tenant`; `Conflict` if it has it.
pub fn insert(
    conn: &mut DbConnection,
    subject: &str,
    tenant: &str,
    now: i64,
) -> Result<(), StoreError> {
    diesel::insert_into(dsl::admin_grants)
        .values((
            dsl::subject.eq(subject),
            dsl::tenant_id.eq(tenant),
            dsl::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes one grant; whether it existed.
pub fn delete(conn: &mut DbConnection, subject: &str, tenant: &str) -> Result<bool, StoreError> {
    Ok(diesel::delete(
        dsl::admin_grants
            .filter(dsl::subject.eq(subject))
            .filter(dsl::tenant_id.eq(tenant)),
    )
    .execute(conn)?
        > 0)
}

/// How many system admins exist.
pub fn count_system_admins(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(dsl::admin_grants
        .filter(dsl::tenant_id.eq(ALL_TENANTS))
        .count()
        .get_result(conn)?)
}
