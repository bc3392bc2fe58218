//! Connections: one enum over PostgreSQL and SQLite, an r2d2 pool that picks
//! the backend from the URL scheme (so connection errors stay readable), and
//! [`Db::run`], which runs diesel on the blocking pool under a deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::{PgConnection, SqliteConnection};

use super::{DbConnection, StoreError};
use crate::config::{Config, DatabaseKind};

/// Opens connections for the pool.
#[derive(Debug, Clone)]
pub struct Connector {
    kind: DatabaseKind,
    url: String,
    statement_timeout_ms: u64,
}

impl Connector {
    /// A connector for the configured database.
    pub fn new(config: &Config) -> Self {
        let kind = config.database.kind();
        let mut url = config.database_url();
        if kind == DatabaseKind::Postgres && !url.contains("connect_timeout=") {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("connect_timeout=2");
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            url = path.to_owned();
        }
        Self {
            kind,
            url,
            statement_timeout_ms: config.database.statement_timeout_ms,
        }
    }

    /// Which backend this connects to.
    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    /// Opens and prepares one connection.
    pub fn connect(&self) -> Result<DbConnection, StoreError> {
        match self.kind {
            DatabaseKind::Postgres => {
                let mut conn = PgConnection::establish(&self.url)
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                conn.batch_execute(&format!(
                    "SET statement_timeout = {}",
                    self.statement_timeout_ms
                ))
                .map_err(classify)?;
                Ok(DbConnection::Pg(conn))
            }
            DatabaseKind::Sqlite => {
                if let Some(parent) = std::path::Path::new(&self.url).parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                }
                let mut conn = SqliteConnection::establish(&self.url)
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                // busy_timeout first: switching to WAL takes a lock another
                // process may hold at the same moment.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(classify)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// A pooled connection and what the pool knows of its health.
pub struct Pooled {
    conn: DbConnection,
    /// Set when a call on it failed as `Unavailable`; the pool then drops it.
    broken: bool,
    /// The suspicion epoch at which it was last known good.
    checked_epoch: u64,
}

impl r2d2::ManageConnection for Connector {
    type Connection = Pooled;
    type Error = StoreError;

    fn connect(&self) -> Result<Pooled, StoreError> {
        Ok(Pooled {
            conn: Connector::connect(self)?,
            broken: false,
            checked_epoch: 0,
        })
    }

    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), StoreError> {
        pooled.conn.batch_execute("SELECT 1").map_err(classify)
    }

    fn has_broken(&self, pooled: &mut Pooled) -> bool {
        pooled.broken
    }
}

/// The pool plus the deadline every call runs under.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Connector>,
    deadline: Duration,
    connector: Connector,
    calls: Arc<AtomicU64>,
    // Bumped whenever a call finds the database unavailable: every idle
    // connection is then pinged once before its next use. In steady state a
    // checkout costs no round trip.
    suspicion: Arc<AtomicU64>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("kind", &self.connector.kind)
            .finish()
    }
}

impl Db {
    /// Opens the pool; fails if the database cannot be reached now.
    pub fn open(config: &Config) -> Result<Self, StoreError> {
        let connector = Connector::new(config);
        let max_size = match connector.kind {
            DatabaseKind::Postgres => config.database.pool_size,
            // One writer at a time anyway; a few readers in WAL mode.
            DatabaseKind::Sqlite => config.database.pool_size.min(8),
        };
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_millis(config.database.acquire_timeout_ms))
            .test_on_check_out(false)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build(connector.clone())
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Self {
            pool,
            deadline: Duration::from_millis(config.database.deadline_ms),
            connector,
            calls: Arc::default(),
            suspicion: Arc::new(AtomicU64::new(1)),
        })
    }

    /// Database calls made through [`Db::run`] since start (benchmarks
    /// report calls per request; a warm hot path makes none).
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// The connector, for the few users that hold a connection of their own.
    pub fn connector(&self) -> &Connector {
        &self.connector
    }

    /// Runs `f` with a pooled connection on the blocking thread pool. The
    /// caller gets `Unavailable` once the deadline passes, whatever `f` is doing.
    pub async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let (pool, suspicion) = (self.pool.clone(), Arc::clone(&self.suspicion));
        let task = tokio::task::spawn_blocking(move || {
            let mut pooled = checkout(&pool, &suspicion)?;
            let result = f(&mut pooled.conn);
            if matches!(result, Err(StoreError::Unavailable(_))) {
                pooled.broken = true;
                suspicion.fetch_add(1, Ordering::AcqRel);
            }
            result
        });
        match tokio::time::timeout(self.deadline, task).await {
            Err(_) => Err(StoreError::Unavailable(format!(
                "no answer within {} ms",
                self.deadline.as_millis()
            ))),
            Ok(Err(join)) => Err(StoreError::Other(join.to_string())),
            Ok(Ok(result)) => result,
        }
    }

    /// Like [`Db::run`], inside one write transaction. On SQLite the write
    /// lock is taken first: a transaction that read before writing would fail
    /// with "database is locked" when another writer committed in between,
    /// where taking the lock first waits (busy_timeout) instead.
    pub async fn transaction<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| {
            conn.transaction(move |conn| {
                write_lock_first(conn)?;
                f(conn)
            })
        })
        .await
    }
}

impl Db {
    /// Like [`Db::transaction`] for callers with their own error type: an
    /// `Err` from `f` rolls the transaction back and is returned inside `Ok`.
    pub async fn transaction_or<T, E, F>(&self, f: F) -> Result<Result<T, E>, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        self.run(move |conn| {
            let mut failed: Option<E> = None;
            let outcome = conn.transaction(|conn| {
                write_lock_first(conn)?;
                f(conn).map_err(|e| {
                    failed = Some(e);
                    DieselError::RollbackTransaction
                })
            });
            match (outcome, failed) {
                (_, Some(e)) => Ok(Err(e)),
                (Ok(value), None) => Ok(Ok(value)),
                (Err(e), None) => Err(classify(e)),
            }
        })
        .await
    }
}

/// At the start of a write transaction: on SQLite, takes the write lock
/// before anything is read (a transaction that read first would fail with
/// "database is locked" when another writer committed in between, where
/// this waits for busy_timeout instead); nothing on PostgreSQL.
pub fn write_lock_first(conn: &mut DbConnection) -> Result<(), DieselError> {
    if matches!(conn, DbConnection::Sqlite(_)) {
        conn.batch_execute("UPDATE change_counter SET value = value WHERE id = 1")?;
    }
    Ok(())
}

/// A connection known good since the last suspicion: connections idle across
/// an outage are pinged once, and dropped if the ping fails.
fn checkout(
    pool: &r2d2::Pool<Connector>,
    suspicion: &AtomicU64,
) -> Result<r2d2::PooledConnection<Connector>, StoreError> {
    let unavailable = |e: r2d2::Error| StoreError::Unavailable(e.to_string());
    // Bounded: each failed ping removes a connection from the pool.
    for _ in 0..=pool.max_size() {
        let mut pooled = pool.get().map_err(unavailable)?;
        let epoch = suspicion.load(Ordering::Acquire);
        if pooled.checked_epoch == epoch {
            return Ok(pooled);
        }
        match pooled.conn.batch_execute("SELECT 1") {
            Ok(()) => {
                pooled.checked_epoch = epoch;
                return Ok(pooled);
            }
            Err(_) => pooled.broken = true,
        }
    }
    Err(StoreError::Unavailable(
        "no working database connection".into(),
    ))
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        classify(error)
    }
}

/// The one place diesel errors are sorted into [`StoreError`]s.
pub fn classify(error: DieselError) -> StoreError {
    match error {
        DieselError::NotFound => StoreError::NotFound,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            StoreError::Conflict(info.message().to_owned())
        }
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
            StoreError::Unavailable(info.message().to_owned())
        }
        // PostgreSQL text cannot hold NUL: a value a caller sent, not a fault.
        DieselError::DatabaseError(_, info) if info.message().contains("invalid byte sequence") => {
            StoreError::Invalid(info.message().to_owned())
        }
        DieselError::DatabaseError(_, info) if is_transient(info.message()) => {
            StoreError::Unavailable(info.message().to_owned())
        }
        DieselError::BrokenTransactionManager => {
            StoreError::Unavailable("connection left mid-transaction".to_owned())
        }
        DieselError::DeserializationError(e) => StoreError::Corrupt(e.to_string()),
        other => StoreError::Other(other.to_string()),
    }
}

fn is_transient(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "statement timeout",
        "connection",
        "terminating",
        "database is locked",
        "server closed",
        "could not receive",
        "could not send",
        "shutting down",
        "starting up",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}
