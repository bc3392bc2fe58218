//! The change counter: one row, bumped in the same transaction as every change
//! that server caches depend on, and read by every server process's poller.

use diesel::prelude::*;

use crate::store::schema::change_counter::dsl;
use crate::store::{DbConnection, StoreError};

/// Increments the counter and returns the new value. Call inside the
/// transaction of the change; the row lock orders concurrent changes.
pub fn bump(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(diesel::update(dsl::change_counter.filter(dsl::id.eq(1)))
        .set(dsl::value.eq(dsl::value + 1))
        .returning(dsl::value)
        .get_result(conn)?)
}

/// The counter's current value.
pub fn current(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(dsl::change_counter
        .filter(dsl::id.eq(1))
        .select(dsl::value)
        .first(conn)?)
}
