//! The in-process store of the embedded default: sharded maps and a broadcast
//! channel. Entries past their cleanup time are swept as writes arrive.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::broadcast;

use crate::clock::Clock;

const SHARDS: usize = 16;
const SWEEP_EVERY: u32 = 1024;

#[derive(Default)]
struct Shard {
    entries: HashMap<String, (Vec<u8>, i64)>,
    counters: HashMap<String, (u64, i64)>,
    writes: u32,
}

impl Shard {
    fn after_write(&mut self, now_ms: i64) {
        self.writes = self.writes.wrapping_add(1);
        if self.writes.is_multiple_of(SWEEP_EVERY) {
            self.entries.retain(|_, (_, drop_at)| *drop_at > now_ms);
            self.counters.retain(|_, (_, drop_at)| *drop_at > now_ms);
        }
    }
}

/// In-process ephemeral store.
#[derive(Clone)]
pub struct MemoryStore {
    shards: Arc<[Mutex<Shard>; SHARDS]>,
    channel: broadcast::Sender<(String, Vec<u8>)>,
    clock: Clock,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryStore")
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new(Clock::default())
    }
}

impl MemoryStore {
    /// An empty store whose cleanup follows `clock`.
    pub fn new(clock: Clock) -> Self {
        let (channel, _) = broadcast::channel(1024);
        Self {
            shards: Arc::new(std::array::from_fn(|_| Mutex::new(Shard::default()))),
            channel,
            clock,
        }
    }

    fn index(key: &str) -> usize {
        let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        usize::try_from(hash % SHARDS as u64).unwrap_or(0)
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "the index is reduced modulo SHARDS"
    )]
    fn lock(&self, index: usize) -> MutexGuard<'_, Shard> {
        // A poisoned shard only means a panic elsewhere mid-insert; the map is still usable.
        self.shards[index % SHARDS]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn shard(&self, key: &str) -> MutexGuard<'_, Shard> {
        self.lock(Self::index(key))
    }

    /// Takes `key` and, if it was there, stores `prefix` + its value under
    /// `other`, with no moment in between visible to another thread. Two
    /// shards are locked in index order, so concurrent calls cannot deadlock.
    pub(super) fn take_leaving(
        &self,
        key: &str,
        other: &str,
        prefix: &[u8],
        drop_at_ms: i64,
    ) -> Option<Vec<u8>> {
        let (a, b) = (Self::index(key), Self::index(other));
        let now = self.clock.now_ms();
        let leave = |taken: &[u8]| {
            let mut value = prefix.to_vec();
            value.extend_from_slice(taken);
            value
        };
        if a == b {
            let mut shard = self.lock(a);
            let (taken, _) = shard.entries.remove(key)?;
            shard
                .entries
                .insert(other.to_owned(), (leave(&taken), drop_at_ms));
            shard.after_write(now);
            return Some(taken);
        }
        let (mut first, mut second) = (self.lock(a.min(b)), self.lock(a.max(b)));
        let (from, to) = if a < b {
            (&mut first, &mut second)
        } else {
            (&mut second, &mut first)
        };
        let (taken, _) = from.entries.remove(key)?;
        to.entries
            .insert(other.to_owned(), (leave(&taken), drop_at_ms));
        to.after_write(now);
        Some(taken)
    }

    pub(super) fn put(&self, key: &str, stored: Vec<u8>, drop_at_ms: i64) {
        let mut shard = self.shard(key);
        shard.entries.insert(key.to_owned(), (stored, drop_at_ms));
        shard.after_write(self.clock.now_ms());
    }

    pub(super) fn replace(&self, key: &str, stored: Vec<u8>, drop_at_ms: i64) -> bool {
        let mut shard = self.shard(key);
        let Some(entry) = shard.entries.get_mut(key) else {
            return false;
        };
        *entry = (stored, drop_at_ms);
        true
    }

    pub(super) fn reset_counter(&self, key: &str) {
        self.shard(key).counters.remove(key);
    }

    pub(super) fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.shard(key).entries.get(key).map(|(v, _)| v.clone())
    }

    pub(super) fn take(&self, key: &str) -> Option<Vec<u8>> {
        self.shard(key).entries.remove(key).map(|(v, _)| v)
    }

    pub(super) fn incr(&self, key: &str, drop_at_ms: i64) -> u64 {
        let mut shard = self.shard(key);
        let entry = shard
            .counters
            .entry(key.to_owned())
            .or_insert((0, drop_at_ms));
        entry.0 += 1;
        let count = entry.0;
        shard.after_write(self.clock.now_ms());
        count
    }

    pub(super) fn decr(&self, key: &str) {
        let mut shard = self.shard(key);
        if let Some(entry) = shard.counters.get_mut(key) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }

    pub(super) fn publish(&self, channel: &str, payload: &[u8]) {
        // No receiver is not an error: nobody is listening yet.
        let _ = self.channel.send((channel.to_owned(), payload.to_vec()));
    }

    pub(super) fn subscribe<F>(&self, channel: String, on_message: F) -> tokio::task::JoinHandle<()>
    where
        F: Fn(&[u8]) + Send + Sync + 'static,
    {
        let mut receiver = self.channel.subscribe();
        tokio::spawn(async move {
            loop {
                match receiver.recv().await {
                    Ok((name, payload)) if name == channel => on_message(&payload),
                    Ok(_) => {}
                    // Lagged: messages were dropped; the change counter covers them.
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        })
    }
}
