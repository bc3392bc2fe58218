//! The assembled backends a process runs on: configuration, database pool,
//! ephemeral store, sealer and clock. Built once at start and passed in.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::config::{Config, ConfigError};
use crate::crypto::at_rest::Sealer;
use crate::crypto::client_secret::SecretHasher;
use crate::crypto::master_key::{self, MasterKeyError};
use crate::crypto::password::PasswordHasher;
use crate::ephemeral::{Ephemeral, EphemeralError, MemoryStore, RedisStore};
use crate::store::key_check::{self, KeyCheck};
use crate::store::{Db, StoreError, migrate, subkey_upgrade};

/// Everything shared by the requests of one process.
#[derive(Clone, Debug)]
pub struct Platform {
    /// Validated, immutable configuration.
    pub config: Arc<Config>,
    /// Durable store.
    pub db: Db,
    /// Short-lived store and change channel.
    pub ephemeral: Ephemeral,
    /// Seals private keys at rest.
    pub sealer: Arc<Sealer>,
    /// Digests client secrets.
    pub secrets: Arc<SecretHasher>,
    /// Hashes and verifies user passwords.
    pub passwords: Arc<PasswordHasher>,
    /// The clock expiries are measured against.
    pub clock: Clock,
}

/// Why a process could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Invalid configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// No master key.
    #[error(transparent)]
    MasterKey(#[from] MasterKeyError),
    /// The database was written with another master key.
    #[error(
        "the master key does not match the one this database was written with: every process \
         of one database needs the same master key (secrets.master_key, IDP_SECRETS__MASTER_KEY, \
         or the file {{data_dir}}/master.key of the process that created the database)"
    )]
    MasterKeyMismatch,
    /// Database unreachable or migrations failed.
    #[error("database: {0}")]
    Store(#[from] StoreError),
    /// Redis URL unusable.
    #[error("redis: {0}")]
    Ephemeral(#[from] EphemeralError),
}

impl Platform {
    /// Opens the backends and applies pending migrations.
    pub async fn open(config: Config, clock: Clock) -> Result<Self, StartError> {
        let config = Arc::new(config);
        let setup = Arc::clone(&config);
        let (db, sealer, secrets, passwords) = tokio::task::spawn_blocking(move || {
            let key = master_key::load_or_create(&setup.secrets, &setup.data_dir)?;
            let db = Db::open(&setup)?;
            let mut conn = db.connector().connect()?;
            let check = migrate::run_pending_then(&mut conn, |conn| {
                let check = key_check::run(conn, &key)?;
                if check == KeyCheck::Matches {
                    subkey_upgrade::run(conn, &key)?;
                }
                Ok(check)
            })?;
            if check == KeyCheck::Differs {
                return Err(StartError::MasterKeyMismatch);
            }
            let passwords = PasswordHasher::new().map_err(|e| StoreError::Other(e.to_string()))?;
            Ok::<_, StartError>((db, Sealer::new(&key), SecretHasher::new(&key), passwords))
        })
        .await
        .map_err(|e| StoreError::Other(e.to_string()))??;
        let ephemeral = match &config.redis.url {
            Some(url) => Ephemeral::Redis(RedisStore::open(
                url,
                Duration::from_millis(config.redis.deadline_ms),
            )?),
            None => Ephemeral::Memory(MemoryStore::new(clock.clone())),
        };
        Ok(Self {
            config,
            db,
            ephemeral,
            sealer: Arc::new(sealer),
            secrets: Arc::new(secrets),
            passwords: Arc::new(passwords),
            clock,
        })
    }
}
