//! The master key that encrypts private keys at rest.

use serde::Deserialize;

use super::ConfigError;
use crate::secret::Secret;

/// Secret material settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecretsConfig {
    /// Base64 of 32 random bytes. Unset: read from `{data_dir}/master.key`,
    /// which is created (mode 0600) on first start.
    pub master_key: Option<Secret<String>>,
}

impl SecretsConfig {
    pub(super) fn validate(&mut self) -> Result<(), ConfigError> {
        if let Some(key) = &self.master_key
            && crate::crypto::master_key::decode(key.expose()).is_none()
        {
            return Err(ConfigError::invalid(
                "secrets.master_key",
                "must be the base64 of exactly 32 bytes",
            ));
        }
        Ok(())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret::new)
    }
}
