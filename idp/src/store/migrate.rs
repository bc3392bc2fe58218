//! Embedded migrations, one folder per backend, run at start-up. Two processes
//! starting at once on an empty database are safe: PostgreSQL migrates under
//! an advisory lock, SQLite inside an exclusive transaction.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{DbConnection, StoreError};

const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Arbitrary, fixed: the advisory lock id migrations take on PostgreSQL.
const MIGRATION_LOCK: i64 = 0x0069_6470_5f6d_6967;

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("migration: {e}"))
}

/// Applies every pending migration.
pub fn run_pending(conn: &mut DbConnection) -> Result<(), StoreError> {
    run_pending_then(conn, |_| Ok(()))
}

/// Applies every pending migration, then `upgrade` (data changes that must
/// happen once, such as `subkey_upgrade`) in one transaction that holds the
/// lock, so of two processes starting together one does it and the other
/// sees it done: on PostgreSQL the migrations' advisory lock, on SQLite the
/// write lock, taken before anything is read.
pub fn run_pending_then<T>(
    conn: &mut DbConnection,
    upgrade: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let pg = matches!(conn, DbConnection::Pg(_));
    if pg {
        conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
    }
    let result = match conn {
        DbConnection::Pg(pg) => pg.run_pending_migrations(POSTGRES).map(drop).map_err(other),
        DbConnection::Sqlite(lite) => lite.exclusive_transaction(|lite| {
            lite.run_pending_migrations(SQLITE).map(drop).map_err(other)
        }),
    }
    .and_then(|()| {
        conn.transaction(|conn| {
            super::conn::write_lock_first(conn)?;
            upgrade(conn)
        })
    });
    if pg {
        conn.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
    }
    result
}

/// Whether the schema is behind the binary (readiness reports it).
pub fn has_pending(conn: &mut DbConnection) -> Result<bool, StoreError> {
    match conn {
        DbConnection::Pg(pg) => pg.has_pending_migration(POSTGRES).map_err(other),
        DbConnection::Sqlite(lite) => lite.has_pending_migration(SQLITE).map_err(other),
    }
}

/// Reverts every migration (tests run up, down, up).
pub fn revert_all(conn: &mut DbConnection) -> Result<(), StoreError> {
    match conn {
        DbConnection::Pg(pg) => pg.revert_all_migrations(POSTGRES).map(drop).map_err(other),
        DbConnection::Sqlite(lite) => lite.revert_all_migrations(SQLITE).map(drop).map_err(other),
    }
}
