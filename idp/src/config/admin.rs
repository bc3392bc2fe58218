//! The admin service's listener (it shares everything else with the server).

use serde::Deserialize;

use super::ConfigError;

/// Admin service settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    /// Address the admin service listens on. Default `127.0.0.1:8081`.
    pub bind: String,
}

impl Default for AdminConfig {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8081".to_owned(),
        }
    }
}

impl AdminConfig {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(ConfigError::invalid(
                "admin.bind",
                format!("`{}` is not an address like 127.0.0.1:8081", self.bind),
            ));
        }
        Ok(())
    }
}
