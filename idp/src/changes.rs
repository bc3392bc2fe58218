//! Change notifications. Every change that server caches depend on bumps a
//! counter in the database inside its own transaction and is then announced on
//! the change channel (Redis pub/sub, or in process). Each server process
//! listens on the channel for speed and polls the counter on a connection of
//! its own, so a lost message, or a change made by another process on the
//! embedded default, still arrives within one poll interval. When the counter
//! cannot be read within the staleness bound, [`Freshness`] says so and
//! callers fail closed.
//!
//! Ended SSO sessions are announced on a channel of their own
//! ([`SESSIONS_CHANNEL`]), without the counter: a session lives in the
//! ephemeral store, which stays the authority, and caches of sessions trust
//! an entry only for a poll interval, which bounds a lost announcement.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::ephemeral::Subscription;
use crate::ids::TenantId;
use crate::platform::Platform;
use crate::store::queries::{changes, tenants};
use crate::store::{DbConnection, StoreError};

/// The pub/sub channel changes are announced on.
pub const CHANNEL: &str = "idp:changes";

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// Something of this tenant: drop what is cached for it.
    Tenant(TenantId),
    /// Unknown extent (the counter went backwards): drop everything.
    All,
}

/// The pub/sub channel ended sessions are announced on.
pub const SESSIONS_CHANNEL: &str = "idp:sessions-ended";

/// A session that ended (logout, or replaced by a new login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEnded {
    /// Its tenant.
    pub tenant: TenantId,
    /// Its public id.
    pub sid: String,
}

/// Announces that the session `sid` of `tenant` ended. Best effort: caches
/// of sessions stop trusting an entry within a poll interval anyway.
pub async fn announce_session_end(platform: &Platform, tenant: TenantId, sid: &str) {
    let ended = SessionEnded {
        tenant,
        sid: sid.to_owned(),
    };
    let Ok(payload) = serde_json::to_vec(&ended) else {
        return;
    };
    if let Err(e) = platform.ephemeral.publish(SESSIONS_CHANNEL, &payload).await {
        tracing::warn!(error = %e, "session end announcement lost; caches expire it");
    }
}

/// Calls `on_end` for every session end announced, by any process, until the
/// returned subscription is dropped. Must run inside a runtime; `on_end` must
/// only hand the message on.
pub fn follow_session_ends<F>(platform: &Platform, on_end: F) -> Subscription
where
    F: Fn(SessionEnded) + Send + Sync + 'static,
{
    platform
        .ephemeral
        .subscribe(SESSIONS_CHANNEL, move |payload| {
            if let Ok(ended) = serde_json::from_slice::<SessionEnded>(payload) {
                on_end(ended);
            }
        })
}

/// Announces `tenant`'s change after its transaction committed. Best effort:
/// a lost message is covered by the counter.
pub async fn announce(platform: &Platform, tenant: TenantId) {
    let Ok(payload) = serde_json::to_vec(&Change::Tenant(tenant)) else {
        return;
    };
    if let Err(e) = platform.ephemeral.publish(CHANNEL, &payload).await {
        tracing::warn!(error = %e, "change announcement lost; the counter poll will carry it");
    }
}

/// Whether cached state is known to be recent: the counter was read
/// successfully within the staleness bound.
#[derive(Debug)]
pub struct Freshness {
    base: Instant,
    last_ok_ms: AtomicU64,
    bound: Duration,
}

impl Freshness {
    fn new(bound: Duration) -> Self {
        Self {
            base: Instant::now(),
            last_ok_ms: AtomicU64::new(0),
            bound,
        }
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.base.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn mark(&self) {
        self.last_ok_ms.store(self.elapsed_ms(), Ordering::Release);
    }

    /// True when the counter was read within the bound.
    pub fn is_fresh(&self) -> bool {
        let since = self
            .elapsed_ms()
            .saturating_sub(self.last_ok_ms.load(Ordering::Acquire));
        u128::from(since) <= self.bound.as_millis()
    }
}

/// A running feed: the subscription and the poller thread. Dropping it stops both.
#[derive(Debug)]
pub struct ChangeFeed {
    freshness: Arc<Freshness>,
    stop: Arc<AtomicBool>,
    _subscription: Subscription,
}

impl ChangeFeed {
    /// Starts listening; `on_change` runs on the poller thread or a runtime
    /// task, so it must only hand the change on (e.g. `Addr::do_send`).
    pub fn start<F>(platform: &Platform, on_change: F) -> Result<Self, StoreError>
    where
        F: Fn(Change) + Send + Sync + 'static,
    {
        let tenancy = &platform.config.tenancy;
        let freshness = Arc::new(Freshness::new(Duration::from_millis(
            tenancy.staleness_bound_ms,
        )));
        let on_change = Arc::new(on_change);
        let connector = platform.db.connector().clone();
        let mut conn = connector.connect()?;
        let mut last_seen = changes::current(&mut conn)?;
        freshness.mark();

        let listener = Arc::clone(&on_change);
        let subscription = platform.ephemeral.subscribe(CHANNEL, move |payload| {
            if let Ok(change) = serde_json::from_slice::<Change>(payload) {
                listener(change);
            }
        });

        let stop = Arc::new(AtomicBool::new(false));
        let interval = Duration::from_millis(tenancy.poll_interval_ms);
        let (poll_stop, poll_fresh) = (Arc::clone(&stop), Arc::clone(&freshness));
        std::thread::Builder::new()
            .name("change-poller".to_owned())
            .spawn(move || {
                let mut conn = Some(conn);
                let mut last_start = Instant::now();
                while !poll_stop.load(Ordering::Acquire) {
                    // Polls start one interval apart, so a slow poll does
                    // not also delay the next one by a whole interval.
                    std::thread::sleep(interval.saturating_sub(last_start.elapsed()));
                    last_start = Instant::now();
                    if conn.is_none() {
                        conn = connector.connect().ok();
                    }
                    let Some(c) = conn.as_mut() else { continue };
                    let started = Instant::now();
                    let polled = poll(c, last_seen);
                    // A slow poll eats into the staleness bound: say so, to
                    // tell a slow database from a lost connection.
                    if started.elapsed() > interval * 2 {
                        tracing::warn!(
                            elapsed_ms = started.elapsed().as_millis(),
                            "change counter poll was slow"
                        );
                    }
                    match polled {
                        Ok((value, changed)) => {
                            poll_fresh.mark();
                            changed.into_iter().for_each(|change| on_change(change));
                            last_seen = value;
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "change counter unreadable");
                            conn = None;
                        }
                    }
                }
            })
            .map_err(|e| StoreError::Other(e.to_string()))?;

        Ok(Self {
            freshness,
            stop,
            _subscription: subscription,
        })
    }

    /// The freshness this feed maintains.
    pub fn freshness(&self) -> Arc<Freshness> {
        Arc::clone(&self.freshness)
    }
}

impl Drop for ChangeFeed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

fn poll(conn: &mut DbConnection, last_seen: i64) -> Result<(i64, Vec<Change>), StoreError> {
    let value = changes::current(conn)?;
    let changed = if value == last_seen {
        Vec::new()
    } else if value < last_seen {
        vec![Change::All]
    } else {
        tenants::changed_since(conn, last_seen)?
            .into_iter()
            .map(Change::Tenant)
            .collect()
    };
    Ok((value, changed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_and_session_end_payloads_round_trip_and_stay_apart() {
        let tenant = TenantId::generate();
        let ended = SessionEnded {
            tenant,
            sid: "s1".to_owned(),
        };
        let payload = serde_json::to_vec(&ended).expect("json");
        assert_eq!(
            serde_json::from_slice::<SessionEnded>(&payload).ok(),
            Some(ended)
        );
        assert!(serde_json::from_slice::<Change>(&payload).is_err());
        let change = serde_json::to_vec(&Change::Tenant(tenant)).expect("json");
        assert!(serde_json::from_slice::<SessionEnded>(&change).is_err());
        assert_ne!(CHANNEL, SESSIONS_CHANNEL);
    }
}
