//! Redis: one multiplexed, self-reconnecting connection for commands, a
//! dedicated connection per subscription, and a deadline on every call.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::EphemeralError;

/// Redis-backed store.
#[derive(Clone)]
pub struct RedisStore {
    client: redis::Client,
    manager: ConnectionManager,
    deadline: Duration,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("deadline", &self.deadline)
            .finish()
    }
}

impl RedisStore {
    /// Connects lazily: the process starts while Redis is down and readiness
    /// reports it; calls fail within `deadline` until it is back.
    pub fn open(url: &str, deadline: Duration) -> Result<Self, EphemeralError> {
        let client = redis::Client::open(url).map_err(|e| EphemeralError(e.to_string()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(deadline))
            .set_response_timeout(Some(deadline))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let manager = ConnectionManager::new_lazy_with_config(client.clone(), config)
            .map_err(|e| EphemeralError(e.to_string()))?;
        Ok(Self {
            client,
            manager,
            deadline,
        })
    }

    async fn query<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, EphemeralError> {
        let mut conn = self.manager.clone();
        match tokio::time::timeout(self.deadline, cmd.query_async::<T>(&mut conn)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(EphemeralError(e.to_string())),
            Err(_) => Err(EphemeralError(format!(
                "no answer within {} ms",
                self.deadline.as_millis()
            ))),
        }
    }

    pub(super) async fn put(
        &self,
        key: &str,
        stored: Vec<u8>,
        ttl_ms: i64,
    ) -> Result<(), EphemeralError> {
        self.query::<()>(redis::cmd("SET").arg(key).arg(stored).arg("PX").arg(ttl_ms))
            .await
    }

    pub(super) async fn replace(
        &self,
        key: &str,
        stored: Vec<u8>,
        ttl_ms: i64,
    ) -> Result<bool, EphemeralError> {
        let reply: Option<String> = self
            .query(
                redis::cmd("SET")
                    .arg(key)
                    .arg(stored)
                    .arg("PX")
                    .arg(ttl_ms)
                    .arg("XX"),
            )
            .await?;
        Ok(reply.is_some())
    }

    pub(super) async fn take_leaving(
        &self,
        key: &str,
        other: &str,
        prefix: Vec<u8>,
        ttl_ms: i64,
    ) -> Result<Option<Vec<u8>>, EphemeralError> {
        // One script: Redis runs it atomically, so no command sees the value
        // gone and its successor not yet there.
        const SCRIPT: &str = "local v = redis.call('GETDEL', KEYS[1]) \
            if v then redis.call('SET', KEYS[2], ARGV[1] .. v, 'PX', ARGV[2]) end \
            return v";
        self.query(
            redis::cmd("EVAL")
                .arg(SCRIPT)
                .arg(2)
                .arg(key)
                .arg(other)
                .arg(prefix)
                .arg(ttl_ms),
        )
        .await
    }

    pub(super) async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, EphemeralError> {
        self.query(redis::cmd("GET").arg(key)).await
    }

    pub(super) async fn take(&self, key: &str) -> Result<Option<Vec<u8>>, EphemeralError> {
        self.query(redis::cmd("GETDEL").arg(key)).await
    }

    pub(super) async fn delete(&self, key: &str) -> Result<(), EphemeralError> {
        self.query::<()>(redis::cmd("DEL").arg(key)).await
    }

    pub(super) async fn incr(&self, key: &str, ttl_ms: i64) -> Result<u64, EphemeralError> {
        let mut conn = self.manager.clone();
        let mut pipe = redis::pipe();
        pipe.atomic()
            .incr(key, 1)
            .cmd("PEXPIRE")
            .arg(key)
            .arg(ttl_ms)
            .ignore();
        match tokio::time::timeout(self.deadline, pipe.query_async::<(u64,)>(&mut conn)).await {
            Ok(Ok((count,))) => Ok(count),
            Ok(Err(e)) => Err(EphemeralError(e.to_string())),
            Err(_) => Err(EphemeralError("no answer within the deadline".to_owned())),
        }
    }

    /// Takes one back from a counter that exists (a missing one stays
    /// missing: its window is over).
    pub(super) async fn decr(&self, key: &str) -> Result<(), EphemeralError> {
        const SCRIPT: &str = "if redis.call('EXISTS', KEYS[1]) == 1 then \
            return redis.call('DECR', KEYS[1]) end return 0";
        self.query::<i64>(redis::cmd("EVAL").arg(SCRIPT).arg(1).arg(key))
            .await
            .map(drop)
    }

    pub(super) async fn publish(
        &self,
        channel: &str,
        payload: &[u8],
    ) -> Result<(), EphemeralError> {
        self.query::<()>(redis::cmd("PUBLISH").arg(channel).arg(payload))
            .await
    }

    pub(super) async fn ping(&self) -> Result<(), EphemeralError> {
        self.query::<()>(&redis::cmd("PING")).await
    }

    pub(super) fn subscribe<F>(&self, channel: String, on_message: F) -> tokio::task::JoinHandle<()>
    where
        F: Fn(&[u8]) + Send + Sync + 'static,
    {
        let client = self.client.clone();
        let deadline = self.deadline;
        let on_message = Arc::new(on_message);
        tokio::spawn(async move {
            loop {
                let connected = tokio::time::timeout(deadline, async {
                    let mut pubsub = client.get_async_pubsub().await?;
                    pubsub.subscribe(&channel).await?;
                    Ok::<_, redis::RedisError>(pubsub)
                })
                .await;
                if let Ok(Ok(pubsub)) = connected {
                    let mut messages = pubsub.into_on_message();
                    while let Some(message) = messages.next().await {
                        on_message(message.get_payload_bytes());
                    }
                    tracing::warn!(%channel, "subscription lost; reconnecting");
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    }
}
