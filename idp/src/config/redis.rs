//! The ephemeral store: Redis when a URL is set, in process otherwise.

use serde::Deserialize;

use super::ConfigError;

/// Redis settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedisConfig {
    /// `redis://host:port/db`. Unset: the in-process store.
    pub url: Option<String>,
    /// Deadline for one Redis call, in ms. Default 500.
    pub deadline_ms: u64,
}

impl Default for RedisConfig {
    fn default() -> Self {
        Self {
            url: None,
            deadline_ms: 500,
        }
    }
}

impl RedisConfig {
    pub(super) fn validate(&mut self) -> Result<(), ConfigError> {
        if self.url.as_deref().is_some_and(|u| u.trim().is_empty()) {
            self.url = None;
        }
        if let Some(url) = &self.url
            && !(url.starts_with("redis://") || url.starts_with("rediss://"))
        {
            return Err(ConfigError::invalid(
                "redis.url",
                format!("`{url}` must start with redis:// or rediss://"),
            ));
        }
        if self.deadline_ms == 0 {
            return Err(ConfigError::invalid(
                "redis.deadline_ms",
                "must be positive",
            ));
        }
        Ok(())
    }
}
