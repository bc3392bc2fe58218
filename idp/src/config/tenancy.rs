//! Tenant caches, idle actors and how fresh cached tenant state must be.

use serde::Deserialize;

use super::ConfigError;

/// Tenancy settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TenancyConfig {
    /// A tenant's actors stop after this long unused, in seconds. Default 300.
    pub idle_timeout_secs: u64,
    /// How often idle tenants are looked for, in ms. Default 1000.
    pub sweep_interval_ms: u64,
    /// How often the database change counter is read, in ms. Default 250.
    pub poll_interval_ms: u64,
    /// Cached tenant state older than this (no successful counter read) is not
    /// trusted: requests fail with 503. In ms. Default 2000: changes arrive within one poll interval while polls succeed; this bounds how long a process that cannot read the counter keeps serving from its cache.
    pub staleness_bound_ms: u64,
    /// `Cache-Control: max-age` of the JWKS, in seconds. Default 300.
    pub jwks_max_age_secs: u64,
}

impl Default for TenancyConfig {
    fn default() -> Self {
        Self {
            idle_timeout_secs: 300,
            sweep_interval_ms: 1000,
            poll_interval_ms: 250,
            staleness_bound_ms: 2000,
            jwks_max_age_secs: 300,
        }
    }
}

impl TenancyConfig {
    pub(super) fn validate(&mut self) -> Result<(), ConfigError> {
        if self.poll_interval_ms == 0 || self.sweep_interval_ms == 0 {
            return Err(ConfigError::invalid(
                "tenancy.poll_interval_ms",
                "intervals must be positive",
            ));
        }
        if self.staleness_bound_ms < self.poll_interval_ms.saturating_mul(2) {
            return Err(ConfigError::invalid(
                "tenancy.staleness_bound_ms",
                "must be at least twice tenancy.poll_interval_ms",
            ));
        }
        Ok(())
    }
}
