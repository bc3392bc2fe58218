//! Configuration: compiled defaults, then a TOML file, then environment
//! variables (`IDP_` prefix, `__` between levels, e.g. `IDP_HTTP__BIND`).
//! `DATABASE_URL`, `REDIS_URL` and `PUBLIC_URL` are also read under their plain
//! names. The result is validated once and immutable afterwards.

mod admin;
mod db;
mod http;
mod redis;
mod secrets;
mod tenancy;

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;

pub use admin::AdminConfig;
pub use db::{DatabaseConfig, DatabaseKind};
pub use http::HttpConfig;
pub use redis::RedisConfig;
pub use secrets::SecretsConfig;
pub use tenancy::TenancyConfig;

/// Environment variable that names the TOML file when `--config` is not given.
pub const CONFIG_FILE_ENV: &str = "IDP_CONFIG";

/// `IDP_` variables that are not configuration: the config file's name and
/// the admin CLI's connection settings (exported after `idp-admin bootstrap`).
const NOT_CONFIG: [&str; 7] = [
    "CONFIG",
    "ADMIN_URL",
    "ADMIN_TOKEN",
    "ADMIN_TOKEN_URL",
    "ADMIN_CLIENT_ID",
    "ADMIN_CLIENT_SECRET",
    "USER_PASSWORD",
];

/// Everything a process needs to start.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder for the embedded database and first-start secrets. Default `./data`.
    pub data_dir: PathBuf,
    /// Listener and public URL.
    pub http: HttpConfig,
    /// The durable store.
    pub database: DatabaseConfig,
    /// The ephemeral store.
    pub redis: RedisConfig,
    /// Master key for data at rest.
    pub secrets: SecretsConfig,
    /// Tenant caches, idle actors and change propagation.
    pub tenancy: TenancyConfig,
    /// The admin service's listener.
    pub admin: AdminConfig,
}

/// A configuration that could not be loaded or is invalid; the message names the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file or a variable did not parse.
    #[error("configuration: {0}")]
    Parse(String),
    /// A value is out of range or inconsistent with another.
    #[error("configuration key `{key}`: {message}")]
    Invalid {
        /// Dotted key, as in the TOML file.
        key: &'static str,
        /// What is wrong and what is accepted.
        message: String,
    },
}

impl ConfigError {
    pub(crate) fn invalid(key: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            key,
            message: message.into(),
        }
    }
}

impl Config {
    /// Loads defaults, then `file` (or the file named by `IDP_CONFIG`), then the
    /// environment, and validates the result.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let env_file = std::env::var_os(CONFIG_FILE_ENV).map(PathBuf::from);
        let mut figment = Figment::new();
        if let Some(path) = file.map(Path::to_path_buf).or(env_file) {
            if !path.is_file() {
                return Err(ConfigError::Parse(format!(
                    "config file {} does not exist",
                    path.display()
                )));
            }
            figment = figment.merge(Toml::file(path));
        }
        let figment = figment
            .merge(Env::prefixed("IDP_").ignore(&NOT_CONFIG).split("__"))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database.url".into()),
            )
            .merge(Env::raw().only(&["REDIS_URL"]).map(|_| "redis.url".into()))
            .merge(
                Env::raw()
                    .only(&["PUBLIC_URL"])
                    .map(|_| "http.public_url".into()),
            );
        Self::from_figment(&figment)
    }

    /// Extracts and validates a configuration from any figment (tests build their own).
    pub fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let mut config: Config = figment
            .extract()
            .map_err(|e| ConfigError::Parse(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks every section and the backend combination, and fills derived values.
    pub fn validate(&mut self) -> Result<(), ConfigError> {
        if self.data_dir.as_os_str().is_empty() {
            self.data_dir = PathBuf::from("data");
        }
        self.http.validate()?;
        self.database.validate()?;
        self.redis.validate()?;
        self.secrets.validate()?;
        self.tenancy.validate()?;
        self.admin.validate()?;
        match (self.database.kind(), self.redis.url.is_some()) {
            (DatabaseKind::Postgres, false) => Err(ConfigError::invalid(
                "redis.url",
                "PostgreSQL runs with Redis: set REDIS_URL (the in-process store cannot be \
                 shared by several server processes)",
            )),
            (DatabaseKind::Sqlite, true) => Err(ConfigError::invalid(
                "redis.url",
                "SQLite runs with the in-process store: unset REDIS_URL, or set DATABASE_URL \
                 to a postgres:// URL",
            )),
            _ => Ok(()),
        }
    }

    /// The SQLite file path on the embedded default, the Postgres URL otherwise.
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(url) => url.clone(),
            None => self.data_dir.join("idp.sqlite").display().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::providers::Serialized;

    fn with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut figment = Figment::new();
        for (key, value) in pairs {
            figment = figment.merge(Serialized::default(key, value));
        }
        Config::from_figment(&figment)
    }

    #[test]
    fn defaults_are_the_embedded_default() {
        let config = with(&[]).expect("defaults validate");
        assert_eq!(config.database.kind(), DatabaseKind::Sqlite);
        assert!(config.redis.url.is_none());
        assert_eq!(config.http.public_url, "http://127.0.0.1:8080");
    }

    #[test]
    fn mixed_backends_refuse_with_the_key_named() {
        let err = with(&[("database.url", "postgres://localhost/x")]).expect_err("mix");
        assert!(err.to_string().contains("redis.url"), "{err}");
        let err = with(&[("redis.url", "redis://127.0.0.1")]).expect_err("mix");
        assert!(err.to_string().contains("redis.url"), "{err}");
        assert!(
            with(&[
                ("database.url", "postgres://localhost/x"),
                ("redis.url", "redis://127.0.0.1")
            ])
            .is_ok()
        );
    }

    #[test]
    fn bad_values_name_their_key() {
        let err = with(&[("http.public_url", "ftp://x")]).expect_err("bad url");
        assert!(err.to_string().contains("http.public_url"), "{err}");
        let err = with(&[("database.url", "mysql://x")]).expect_err("bad db");
        assert!(err.to_string().contains("database.url"), "{err}");
        let err = with(&[("database.pool_size", "0")]).expect_err("pool");
        assert!(err.to_string().contains("database.pool_size"), "{err}");
    }

    #[test]
    fn public_url_loses_its_trailing_slash() {
        let config = with(&[("http.public_url", "https://id.example.com/")]).expect("valid");
        assert_eq!(config.http.public_url, "https://id.example.com");
    }

    #[test]
    #[expect(
        clippy::result_large_err,
        reason = "figment's Jail API returns its own error"
    )]
    fn environment_overrides_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("idp.toml", "[http]\nbind = \"127.0.0.1:9000\"\n")?;
            jail.set_env("IDP_HTTP__BIND", "127.0.0.1:9001");
            jail.set_env("PUBLIC_URL", "https://login.example.com");
            let config = Config::load(Some(Path::new("idp.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(config.http.bind, "127.0.0.1:9001");
            assert_eq!(config.http.public_url, "https://login.example.com");
            Ok(())
        });
    }
}
