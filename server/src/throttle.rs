//! Brute-force throttling of client authentication (RFC 6749 §2.3.1, RFC 6819
//! §4.3.5). Failures are counted per (tenant, client and source address) in a
//! fixed window in the ephemeral store, so every process adds to one count. A process that sees the
//! count pass the limit blocks that client locally until the window ends; the
//! check on the hot path is an in-memory lookup. With several processes a
//! client gets at most one more failed try per process before each blocks it.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use idp::ephemeral::Key;
use idp::ids::TenantId;
use idp::platform::Platform;

/// Failed authentications allowed per client, source address and window.
pub const MAX_FAILURES: u64 = 20;
/// The counting window.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Blocked entries kept at most; expired ones are dropped first.
const MAX_BLOCKED: usize = 100_000;

/// Clients blocked in this process, with the unix millisecond they are free again.
#[derive(Debug, Default)]
pub struct ClientThrottle {
    blocked: RwLock<HashMap<(TenantId, String), i64>>,
}

impl ClientThrottle {
    /// Seconds until `client` of `tenant` may try again, if it is blocked.
    pub fn retry_after(&self, tenant: TenantId, client: &str, now_ms: i64) -> Option<i64> {
        let blocked = self.blocked.read().unwrap_or_else(PoisonError::into_inner);
        let until = *blocked.get(&(tenant, client.to_owned()))?;
        (until > now_ms).then(|| (until - now_ms + 999) / 1000)
    }

    /// Counts a failed authentication; the failure that reaches the limit
    /// blocks the client, so the next try gets 429.
    pub async fn record_failure(&self, platform: &Platform, tenant: TenantId, client: &str) {
        let key = Key::new(tenant, "client-auth-failures", client);
        let count = match platform.ephemeral.incr(&platform.clock, &key, WINDOW).await {
            Ok(count) => count,
            Err(e) => {
                tracing::warn!(error = %e, "failed client authentication not counted");
                return;
            }
        };
        if count < MAX_FAILURES {
            return;
        }
        let now = platform.clock.now_ms();
        let window_ms = i64::try_from(WINDOW.as_millis()).unwrap_or(i64::MAX);
        let until = (now.div_euclid(window_ms) + 1) * window_ms;
        let mut blocked = self.blocked.write().unwrap_or_else(PoisonError::into_inner);
        if blocked.len() >= MAX_BLOCKED {
            blocked.retain(|_, free_at| *free_at > now);
        }
        if blocked.len() < MAX_BLOCKED {
            blocked.insert((tenant, client.to_owned()), until);
        }
    }
}
