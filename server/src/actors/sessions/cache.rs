//! The session actor's cache of one tenant's hot sessions: cookie digest →
//! session, with indexes by `sid` (for ends announced by id) and by user
//! (the sessions a user holds here). Request tasks read and fill it under a
//! short lock, without a message; the actor sweeps it and applies the
//! invalidations. The ephemeral store stays the authority: an entry is
//! trusted only for `trust_ms` after the store last confirmed it, then the
//! next use asks the store again.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use idp::sessions::Session;

/// Most sessions cached per tenant; beyond it the least recently confirmed
/// entry makes room.
pub const CAPACITY: usize = 10_000;

#[derive(Debug)]
struct Entry {
    session: Session,
    /// When the session ends if unused (idle expiry as of the last confirmation).
    idle_expiry_ms: i64,
    /// When the store last confirmed the session.
    confirmed_ms: i64,
}

impl Entry {
    fn expired(&self, now_ms: i64) -> bool {
        self.idle_expiry_ms <= now_ms || self.session.absolute_expiry_ms <= now_ms
    }
}

#[derive(Debug, Default)]
struct Maps {
    by_digest: HashMap<String, Entry>,
    by_sid: HashMap<String, String>,
    by_user: HashMap<String, HashSet<String>>,
    /// Bumped by every invalidation: a fill that began before one is dropped.
    generation: u64,
}

impl Maps {
    /// Removes `digest` and its index entries; every removal goes through here.
    fn remove(&mut self, digest: &str) {
        let Some(entry) = self.by_digest.remove(digest) else {
            return;
        };
        self.by_sid.remove(&entry.session.sid);
        if let Some(digests) = self.by_user.get_mut(&entry.session.user_id) {
            digests.remove(digest);
            if digests.is_empty() {
                self.by_user.remove(&entry.session.user_id);
            }
        }
    }

    fn remove_where(&mut self, gone: impl Fn(&Entry) -> bool) -> usize {
        let doomed: Vec<String> = self
            .by_digest
            .iter()
            .filter(|(_, entry)| gone(entry))
            .map(|(digest, _)| digest.clone())
            .collect();
        doomed.iter().for_each(|digest| self.remove(digest));
        doomed.len()
    }
}

/// A bounded cache of one tenant's sessions.
#[derive(Debug)]
pub struct SessionCache {
    maps: Mutex<Maps>,
    trust_ms: i64,
    capacity: usize,
}

impl SessionCache {
    /// A cache trusting each entry for `trust_ms` after confirmation.
    pub fn new(trust_ms: i64, capacity: usize) -> Self {
        Self {
            maps: Mutex::default(),
            trust_ms,
            capacity,
        }
    }

    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        self.maps.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The session behind `digest`, if the store confirmed it recently
    /// enough and it has not expired at `now_ms`.
    pub fn get(&self, digest: &str, now_ms: i64) -> Option<Session> {
        let maps = self.maps();
        let entry = maps.by_digest.get(digest)?;
        let trusted = now_ms.saturating_sub(entry.confirmed_ms) < self.trust_ms;
        (trusted && !entry.expired(now_ms)).then(|| entry.session.clone())
    }

    /// The invalidation generation; read it before asking the store, pass
    /// it to [`Self::insert`].
    pub fn generation(&self) -> u64 {
        self.maps().generation
    }

    /// Caches `session` as confirmed by the store at `now_ms`, unless an
    /// invalidation happened since `generation` was read (the answer may
    /// predate an end). Returns whether it was cached.
    pub fn insert(
        &self,
        generation: u64,
        digest: &str,
        session: Session,
        idle_expiry_ms: i64,
        now_ms: i64,
    ) -> bool {
        let mut maps = self.maps();
        if maps.generation != generation {
            return false;
        }
        maps.remove(digest);
        if maps.by_digest.len() >= self.capacity {
            maps.remove_where(|entry| entry.expired(now_ms));
        }
        if maps.by_digest.len() >= self.capacity {
            let oldest = maps
                .by_digest
                .iter()
                .min_by_key(|(_, entry)| entry.confirmed_ms)
                .map(|(digest, _)| digest.clone());
            if let Some(oldest) = oldest {
                maps.remove(&oldest);
            }
        }
        maps.by_sid.insert(session.sid.clone(), digest.to_owned());
        maps.by_user
            .entry(session.user_id.clone())
            .or_default()
            .insert(digest.to_owned());
        maps.by_digest.insert(
            digest.to_owned(),
            Entry {
                session,
                idle_expiry_ms,
                confirmed_ms: now_ms,
            },
        );
        true
    }

    /// Forgets the session behind `digest` (it ended here).
    pub fn forget_digest(&self, digest: &str) {
        let mut maps = self.maps();
        maps.generation += 1;
        maps.remove(digest);
    }

    /// Drops the entry of `digest`, which the store no longer holds. Not an
    /// invalidation: removing cannot make a stale answer appear.
    pub fn drop_gone(&self, digest: &str) {
        self.maps().remove(digest);
    }

    /// Forgets the session whose public id is `sid` (it ended, maybe elsewhere).
    pub fn forget_sid(&self, sid: &str) {
        let mut maps = self.maps();
        maps.generation += 1;
        if let Some(digest) = maps.by_sid.get(sid).cloned() {
            maps.remove(&digest);
        }
    }

    /// Forgets every session (the tenant changed: policy, revocations).
    pub fn clear(&self) {
        let mut maps = self.maps();
        maps.generation += 1;
        let generation = maps.generation;
        *maps = Maps {
            generation,
            ..Maps::default()
        };
    }

    /// Removes the sessions expired at `now_ms`; returns how many.
    pub fn sweep(&self, now_ms: i64) -> usize {
        self.maps().remove_where(|entry| entry.expired(now_ms))
    }

    /// The live sessions of `user_id` this process has seen, newest login first.
    pub fn sessions_of(&self, user_id: &str, now_ms: i64) -> Vec<Session> {
        let maps = self.maps();
        let mut sessions: Vec<Session> = maps
            .by_user
            .get(user_id)
            .into_iter()
            .flatten()
            .filter_map(|digest| maps.by_digest.get(digest))
            .filter(|entry| !entry.expired(now_ms))
            .map(|entry| entry.session.clone())
            .collect();
        sessions.sort_by_key(|s| std::cmp::Reverse(s.auth_time));
        sessions
    }

    /// Number of cached sessions.
    pub fn len(&self) -> usize {
        self.maps().by_digest.len()
    }

    /// Whether no session is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every index entry points at a cached session and back.
    #[cfg(test)]
    fn consistent(&self) -> bool {
        let maps = self.maps();
        let indexed: usize = maps.by_user.values().map(HashSet::len).sum();
        indexed == maps.by_digest.len()
            && maps.by_sid.len() == maps.by_digest.len()
            && maps
                .by_sid
                .values()
                .all(|digest| maps.by_digest.contains_key(digest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST: i64 = 250;

    fn session(user: &str, sid: &str, auth_time: i64) -> Session {
        Session {
            user_id: user.to_owned(),
            auth_time,
            amr: vec!["pwd".to_owned()],
            sid: sid.to_owned(),
            absolute_expiry_ms: 100_000,
            csrf: String::new(),
        }
    }

    fn filled(capacity: usize) -> SessionCache {
        let cache = SessionCache::new(TRUST, capacity);
        let generation = cache.generation();
        assert!(cache.insert(generation, "d1", session("u", "s1", 1), 50_000, 0));
        assert!(cache.insert(generation, "d2", session("u", "s2", 2), 50_000, 10));
        assert!(cache.insert(generation, "d3", session("v", "s3", 3), 50_000, 20));
        cache
    }

    #[test]
    fn an_entry_is_trusted_for_the_trust_window_and_until_it_expires() {
        let cache = filled(CAPACITY);
        let cases = [
            // (digest, now_ms, answered)
            ("d1", 0, true),
            ("d1", TRUST - 1, true),
            ("d1", TRUST, false),
            ("d3", 20 + TRUST - 1, true),
            ("unknown", 0, false),
        ];
        for (digest, now, answered) in cases {
            assert_eq!(
                cache.get(digest, now).is_some(),
                answered,
                "{digest} at {now}"
            );
        }
        let generation = cache.generation();
        // Confirmed again just before its idle or absolute expiry: those still end it.
        assert!(cache.insert(generation, "d1", session("u", "s1", 1), 50_000, 49_900));
        assert!(cache.get("d1", 50_000).is_none(), "idle expiry");
        let short = Session {
            absolute_expiry_ms: 60,
            ..session("w", "s4", 4)
        };
        assert!(cache.insert(generation, "d4", short, 50_000, 0));
        assert!(cache.get("d4", 60).is_none(), "absolute expiry");
        assert!(cache.consistent());
    }

    #[test]
    fn every_invalidation_removes_the_entry_and_its_indexes() {
        type Case = (&'static str, fn(&SessionCache), &'static [&'static str]);
        let cases: [Case; 5] = [
            ("by digest", |c| c.forget_digest("d1"), &["d2", "d3"]),
            ("by sid", |c| c.forget_sid("s2"), &["d1", "d3"]),
            ("unknown sid", |c| c.forget_sid("nope"), &["d1", "d2", "d3"]),
            ("gone from the store", |c| c.drop_gone("d3"), &["d1", "d2"]),
            ("all", SessionCache::clear, &[]),
        ];
        for (what, invalidate, left) in cases {
            let cache = filled(CAPACITY);
            invalidate(&cache);
            let mut kept: Vec<&str> = ["d1", "d2", "d3"]
                .into_iter()
                .filter(|d| cache.get(d, 30).is_some())
                .collect();
            kept.sort_unstable();
            assert_eq!(kept, left, "{what}");
            assert_eq!(cache.len(), left.len(), "{what}");
            assert!(cache.consistent(), "{what}");
        }
    }

    #[test]
    fn a_fill_that_began_before_an_invalidation_is_dropped() {
        let cache = SessionCache::new(TRUST, CAPACITY);
        let before = cache.generation();
        cache.forget_sid("s1");
        assert!(!cache.insert(before, "d1", session("u", "s1", 1), 50_000, 0));
        assert!(cache.is_empty());
        assert!(cache.insert(cache.generation(), "d1", session("u", "s1", 1), 50_000, 0));
    }

    #[test]
    fn the_sweep_removes_expired_sessions_and_the_user_index_lists_live_ones() {
        let cache = filled(CAPACITY);
        let generation = cache.generation();
        let short = Session {
            absolute_expiry_ms: 500,
            ..session("u", "s4", 4)
        };
        assert!(cache.insert(generation, "d4", short, 50_000, 30));
        let sids = |now| -> Vec<String> {
            cache
                .sessions_of("u", now)
                .into_iter()
                .map(|s| s.sid)
                .collect()
        };
        assert_eq!(sids(100), ["s4", "s2", "s1"]);
        assert_eq!(cache.sweep(100), 0);
        assert_eq!(sids(600), ["s2", "s1"]);
        assert_eq!(cache.sweep(600), 1);
        assert_eq!(cache.sweep(50_000), 3);
        assert!(cache.is_empty() && cache.consistent());
        assert!(cache.sessions_of("u", 0).is_empty());
    }

    #[test]
    fn a_full_cache_makes_room_from_the_expired_then_the_least_recently_confirmed() {
        let cache = filled(3);
        let generation = cache.generation();
        assert!(cache.insert(generation, "d4", session("w", "s4", 4), 50_000, 30));
        assert_eq!(cache.len(), 3);
        assert!(
            cache.get("d1", 30).is_none(),
            "the oldest confirmation left"
        );
        let gone = Session {
            absolute_expiry_ms: 40,
            ..session("x", "s5", 5)
        };
        let cache = filled(3);
        assert!(cache.insert(cache.generation(), "d1", gone, 50_000, 0));
        assert!(cache.insert(cache.generation(), "d6", session("y", "s6", 6), 50_000, 45));
        assert!(cache.get("d1", 45).is_none(), "the expired one left");
        assert!(cache.get("d2", 45).is_some() && cache.get("d6", 45).is_some());
        assert!(cache.consistent());
    }
}
