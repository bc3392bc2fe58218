//! The listener and the public URL that issuers are built from.

use serde::Deserialize;

use super::ConfigError;

/// HTTP settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Address to listen on. Default `127.0.0.1:8080`.
    pub bind: String,
    /// Base of every issuer (`{public_url}/t/{slug}`); set it to the URL clients
    /// use. Default `http://{bind}`.
    pub public_url: String,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed when
    /// throttling by source address. Default none: the peer address counts.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".to_owned(),
            public_url: String::new(),
            workers: 0,
            trusted_proxies: Vec::new(),
        }
    }
}

impl HttpConfig {
    pub(super) fn validate(&mut self) -> Result<(), ConfigError> {
        if self.bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(ConfigError::invalid(
                "http.bind",
                format!("`{}` is not an address like 127.0.0.1:8080", self.bind),
            ));
        }
        if self.public_url.is_empty() {
            self.public_url = format!("http://{}", self.bind);
        }
        let trimmed = self.public_url.trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&trimmed).map_err(|e| {
            ConfigError::invalid("http.public_url", format!("`{trimmed}` is not a URL: {e}"))
        })?;
        if !matches!(parsed.scheme(), "http" | "https")
            || parsed.host_str().is_none()
            || parsed.query().is_some()
            || parsed.fragment().is_some()
        {
            return Err(ConfigError::invalid(
                "http.public_url",
                format!("`{trimmed}` must be an http(s) URL with no query or fragment"),
            ));
        }
        self.public_url = trimmed;
        Ok(())
    }

    /// Whether the public URL is https (cookies then get `Secure` and `__Host-`).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}
