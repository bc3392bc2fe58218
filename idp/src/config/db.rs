//! The durable store: which database, pool size and deadlines.

use serde::Deserialize;

use super::ConfigError;

/// Database settings. The backend follows from the URL scheme.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `postgres://…` for PostgreSQL; a file path (optionally `sqlite://path`) for
    /// SQLite. Default: `{data_dir}/idp.sqlite`.
    pub url: Option<String>,
    /// Connections in the pool. Default 16.
    pub pool_size: u32,
    /// How long a request waits for a pooled connection, in ms. Default 1000.
    pub acquire_timeout_ms: u64,
    /// Deadline for one database call including the wait, in ms. Default 1500.
    pub deadline_ms: u64,
    /// PostgreSQL `statement_timeout`, in ms. Default 1500.
    pub statement_timeout_ms: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: None,
            pool_size: 16,
            acquire_timeout_ms: 1000,
            deadline_ms: 1500,
            statement_timeout_ms: 1500,
        }
    }
}

/// The two supported databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    /// PostgreSQL, for any number of processes.
    Postgres,
    /// SQLite, the embedded default.
    Sqlite,
}

impl DatabaseConfig {
    /// The backend the URL names.
    pub fn kind(&self) -> DatabaseKind {
        match &self.url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                DatabaseKind::Postgres
            }
            _ => DatabaseKind::Sqlite,
        }
    }

    pub(super) fn validate(&mut self) -> Result<(), ConfigError> {
        if let Some(url) = &self.url {
            let url = url.trim();
            if url.is_empty() {
                self.url = None;
            } else if let Some((scheme, _)) = url.split_once("://")
                && !matches!(scheme, "postgres" | "postgresql" | "sqlite")
            {
                return Err(ConfigError::invalid(
                    "database.url",
                    format!(
                        "scheme `{scheme}` is not supported: use postgres:// or a SQLite file path"
                    ),
                ));
            }
        }
        if self.pool_size == 0 {
            return Err(ConfigError::invalid(
                "database.pool_size",
                "must be at least 1",
            ));
        }
        if self.acquire_timeout_ms == 0 || self.deadline_ms < self.acquire_timeout_ms {
            return Err(ConfigError::invalid(
                "database.deadline_ms",
                "must be positive and at least database.acquire_timeout_ms",
            ));
        }
        Ok(())
    }
}
