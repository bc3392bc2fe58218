//! Queries on `platform_state`: named facts about the database as a whole,
//! not about a tenant.

use diesel::prelude::*;

use crate::store::schema::platform_state::dsl;
use crate::store::{DbConnection, StoreError};

/// The value recorded under `name`, if any.
pub fn find(conn: &mut DbConnection, name: &str) -> Result<Option<String>, StoreError> {
    Ok(dsl::platform_state
        .filter(dsl::name.eq(name))
        .select(dsl::value)
        .first(conn)
        .optional()?)
}

/// Records `value` under `name` (once: a second record is `Conflict`).
pub fn insert(conn: &mut DbConnection, name: &str, value: &str) -> Result<(), StoreError> {
    diesel::insert_into(dsl::platform_state)
        .values((dsl::name.eq(name), dsl::value.eq(value)))
        .execute(conn)?;
    Ok(())
}
