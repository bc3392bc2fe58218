//! Short-lived data: codes, sessions, PAR and device requests, rate counters,
//! and the change channel. Redis in production, an in-process store on the
//! embedded default; both behind one enum chosen at start.
//!
//! Every value carries its own expiry (unix ms, checked against the injected
//! [`Clock`](crate::clock::Clock) on read); store TTLs only clean up, so tests
//! move the clock instead of sleeping. Every key is `t:{tenant}:{kind}:{id}`.

mod memory;
mod redis;

use std::time::Duration;

pub use self::memory::MemoryStore;
pub use self::redis::RedisStore;
use crate::clock::Clock;
use crate::ids::TenantId;

/// A namespaced key: `t:{tenant}:{kind}:{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key(String);

impl Key {
    /// The key of `id` of `kind` in `tenant`.
    pub fn new(tenant: TenantId, kind: &'static str, id: &str) -> Self {
        Self(format!("t:{tenant}:{kind}:{id}"))
    }

    /// The full key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The store could not answer within its deadline; nothing is known to have changed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("ephemeral store unavailable: {0}")]
pub struct EphemeralError(pub String);

/// The ephemeral store in use.
#[derive(Clone, Debug)]
pub enum Ephemeral {
    /// Redis, shared by every server process.
    Redis(RedisStore),
    /// In process, for the embedded default's single server process.
    Memory(MemoryStore),
}

/// How long past its own expiry a value may linger before the store drops it.
const CLEANUP_SLACK_MS: i64 = 60_000;

fn encode(value: &[u8], expires_at_ms: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + value.len());
    out.extend_from_slice(&expires_at_ms.to_be_bytes());
    out.extend_from_slice(value);
    out
}

fn decode(stored: Vec<u8>, now_ms: i64) -> Option<Vec<u8>> {
    let expiry: [u8; 8] = stored.get(..8)?.try_into().ok()?;
    if i64::from_be_bytes(expiry) <= now_ms {
        return None;
    }
    stored.get(8..).map(<[u8]>::to_vec)
}

impl Ephemeral {
    /// Stores `value` under `key` until `expires_at_ms` (unix ms).
    pub async fn put(
        &self,
        clock: &Clock,
        key: &Key,
        value: &[u8],
        expires_at_ms: i64,
    ) -> Result<(), EphemeralError> {
        let ttl_ms = expires_at_ms.saturating_sub(clock.now_ms()).max(1) + CLEANUP_SLACK_MS;
        let stored = encode(value, expires_at_ms);
        match self {
            Self::Redis(r) => r.put(key.as_str(), stored, ttl_ms).await,
            Self::Memory(m) => {
                m.put(key.as_str(), stored, clock.now_ms() + ttl_ms);
                Ok(())
            }
        }
    }

    /// Replaces the value under `key`, only if one is stored: a value deleted
    /// meanwhile stays deleted (a logout is not undone by a concurrent use).
    /// `false` when there was none.
    pub async fn replace(
        &self,
        clock: &Clock,
        key: &Key,
        value: &[u8],
        expires_at_ms: i64,
    ) -> Result<bool, EphemeralError> {
        let ttl_ms = expires_at_ms.saturating_sub(clock.now_ms()).max(1) + CLEANUP_SLACK_MS;
        let stored = encode(value, expires_at_ms);
        match self {
            Self::Redis(r) => r.replace(key.as_str(), stored, ttl_ms).await,
            Self::Memory(m) => {
                Ok(m.replace(key.as_str(), stored, expires_at_ms + CLEANUP_SLACK_MS))
            }
        }
    }

    /// The value under `key`, unless absent or expired.
    pub async fn get(&self, clock: &Clock, key: &Key) -> Result<Option<Vec<u8>>, EphemeralError> {
        let stored = match self {
            Self::Redis(r) => r.get(key.as_str()).await?,
            Self::Memory(m) => m.get(key.as_str()),
        };
        Ok(stored.and_then(|s| decode(s, clock.now_ms())))
    }

    /// Atomically reads and deletes `key` (Redis `GETDEL`): of several callers,
    /// across processes, at most one gets the value.
    pub async fn take(&self, clock: &Clock, key: &Key) -> Result<Option<Vec<u8>>, EphemeralError> {
        let stored = match self {
            Self::Redis(r) => r.take(key.as_str()).await?,
            Self::Memory(m) => m.take(key.as_str()),
        };
        Ok(stored.and_then(|s| decode(s, clock.now_ms())))
    }

    /// Deletes `key`.
    pub async fn delete(&self, key: &Key) -> Result<(), EphemeralError> {
        match self {
            Self::Redis(r) => r.delete(key.as_str()).await,
            Self::Memory(m) => {
                m.take(key.as_str());
                Ok(())
            }
        }
    }

    /// Counts one event under `key` in the current fixed window of `window`
    /// and returns the window's count so far.
    pub async fn incr(
        &self,
        clock: &Clock,
        key: &Key,
        window: Duration,
    ) -> Result<u64, EphemeralError> {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX).max(1);
        let now = clock.now_ms();
        let index = now.div_euclid(window_ms);
        let windowed = format!("{}:w{index}", key.as_str());
        let window_end = (index + 1).saturating_mul(window_ms);
        match self {
            Self::Redis(r) => r.incr(&windowed, window_end - now + CLEANUP_SLACK_MS).await,
            Self::Memory(m) => Ok(m.incr(&windowed, window_end + CLEANUP_SLACK_MS)),
        }
    }

    /// Takes back one event counted by [`Self::incr`] in the current window
    /// (an attempt counted before it was checked turned out not to count).
    pub async fn decr(
        &self,
        clock: &Clock,
        key: &Key,
        window: Duration,
    ) -> Result<(), EphemeralError> {
        let windowed = current_window(clock, key, window);
        match self {
            Self::Redis(r) => r.decr(&windowed).await,
            Self::Memory(m) => {
                m.decr(&windowed);
                Ok(())
            }
        }
    }

    /// Takes the value under `key` (as [`Self::take`]) and, in the same atomic
    /// step, leaves `note` followed by the taken value under `other` until
    /// `expires_at_ms`: whoever finds `key` gone finds `other` already there.
    pub async fn take_leaving(
        &self,
        clock: &Clock,
        key: &Key,
        other: &Key,
        note: &[u8],
        expires_at_ms: i64,
    ) -> Result<Option<Vec<u8>>, EphemeralError> {
        let ttl_ms = expires_at_ms.saturating_sub(clock.now_ms()).max(1) + CLEANUP_SLACK_MS;
        // The left value is `encode(note)` + the taken stored bytes: it decodes
        // as one value with `note` then the taken value's own encoding.
        let prefix = encode(note, expires_at_ms);
        let taken = match self {
            Self::Redis(r) => {
                r.take_leaving(key.as_str(), other.as_str(), prefix, ttl_ms)
                    .await?
            }
            Self::Memory(m) => m.take_leaving(
                key.as_str(),
                other.as_str(),
                &prefix,
                expires_at_ms + CLEANUP_SLACK_MS,
            ),
        };
        Ok(taken.and_then(|stored| decode(stored, clock.now_ms())))
    }

    /// Forgets the count of the current window of `key`.
    pub async fn reset(
        &self,
        clock: &Clock,
        key: &Key,
        window: Duration,
    ) -> Result<(), EphemeralError> {
        let windowed = current_window(clock, key, window);
        match self {
            Self::Redis(r) => r.delete(&windowed).await,
            Self::Memory(m) => {
                m.reset_counter(&windowed);
                Ok(())
            }
        }
    }

    /// Publishes `payload` on `channel` to every subscribed process.
    pub async fn publish(&self, channel: &str, payload: &[u8]) -> Result<(), EphemeralError> {
        match self {
            Self::Redis(r) => r.publish(channel, payload).await,
            Self::Memory(m) => {
                m.publish(channel, payload);
                Ok(())
            }
        }
    }

    /// Calls `on_message` with each payload published on `channel` until the
    /// returned handle is dropped. Redis subscriptions reconnect by themselves;
    /// messages sent while disconnected are lost (the change counter covers them).
    pub fn subscribe<F>(&self, channel: &str, on_message: F) -> Subscription
    where
        F: Fn(&[u8]) + Send + Sync + 'static,
    {
        let task = match self {
            Self::Redis(r) => r.subscribe(channel.to_owned(), on_message),
            Self::Memory(m) => m.subscribe(channel.to_owned(), on_message),
        };
        Subscription(task)
    }

    /// Round trip to the store, for readiness.
    pub async fn ping(&self) -> Result<(), EphemeralError> {
        match self {
            Self::Redis(r) => r.ping().await,
            Self::Memory(_) => Ok(()),
        }
    }
}

/// A live subscription; dropping it unsubscribes.
#[derive(Debug)]
pub struct Subscription(tokio::task::JoinHandle<()>);

impl Drop for Subscription {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The key of `key`'s counter in the current fixed window of `window`.
fn current_window(clock: &Clock, key: &Key, window: Duration) -> String {
    let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX).max(1);
    let index = clock.now_ms().div_euclid(window_ms);
    format!("{}:w{index}", key.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_carry_their_expiry() {
        let stored = encode(b"v", 1000);
        assert_eq!(decode(stored.clone(), 999), Some(b"v".to_vec()));
        assert_eq!(decode(stored, 1000), None);
        assert_eq!(decode(vec![1, 2], 0), None);
    }

    #[tokio::test]
    async fn memory_store_semantics() {
        let store = Ephemeral::Memory(MemoryStore::default());
        let clock = Clock::default();
        let tenant = TenantId::generate();
        let key = Key::new(tenant, "code", "abc");
        assert!(key.as_str().starts_with(&format!("t:{tenant}:code:")));
        let exp = clock.now_ms() + 60_000;
        store.put(&clock, &key, b"grant", exp).await.expect("put");
        assert_eq!(
            store.get(&clock, &key).await.expect("get"),
            Some(b"grant".to_vec())
        );
        assert_eq!(
            store.take(&clock, &key).await.expect("take"),
            Some(b"grant".to_vec())
        );
        assert_eq!(store.take(&clock, &key).await.expect("take"), None);

        store.put(&clock, &key, b"grant", exp).await.expect("put");
        clock.advance(Duration::from_secs(61));
        assert_eq!(store.get(&clock, &key).await.expect("get"), None);

        let counter = Key::new(tenant, "login", "alice");
        let window = Duration::from_secs(60);
        assert_eq!(store.incr(&clock, &counter, window).await.expect("incr"), 1);
        assert_eq!(store.incr(&clock, &counter, window).await.expect("incr"), 2);
        clock.advance(window);
        assert_eq!(store.incr(&clock, &counter, window).await.expect("incr"), 1);
        store.reset(&clock, &counter, window).await.expect("reset");
        assert_eq!(store.incr(&clock, &counter, window).await.expect("incr"), 1);

        // take_leaving across every pairing of shards (same and different).
        for i in 0..64 {
            let from = Key::new(tenant, "code", &format!("c{i}"));
            let to = Key::new(tenant, "tomb", &format!("c{i}"));
            let exp = clock.now_ms() + 60_000;
            store.put(&clock, &from, b"grant", exp).await.expect("put");
            let taken = store
                .take_leaving(&clock, &from, &to, b"note:", exp)
                .await
                .expect("take");
            assert_eq!(taken, Some(b"grant".to_vec()));
            let left = store.get(&clock, &to).await.expect("get").expect("left");
            assert!(left.starts_with(b"note:"), "{i}");
            assert_eq!(store.get(&clock, &from).await.expect("get"), None);
            let again = store
                .take_leaving(&clock, &from, &to, b"other:", exp)
                .await
                .expect("take");
            assert_eq!(again, None, "gone once taken");
            let kept = store.get(&clock, &to).await.expect("get").expect("kept");
            assert!(kept.starts_with(b"note:"), "a miss leaves nothing");
        }
    }
}
