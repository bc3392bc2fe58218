//! Not-before watermarks: "every token and session of this subject issued at
//! or before T is dead". An admin revokes all of a user's, a client's or a
//! tenant's tokens by raising one; introspection, userinfo, refresh and
//! session resumption check them.

use std::collections::HashMap;

/// How long a watermark is kept: the longest anything issued before it can
/// live and still be checked against it (the session absolute lifetime cap,
/// 30 days, plus a day). Refresh tokens are also revoked in the database.
pub const KEEP_SECS: i64 = 31 * 24 * 3600;

/// The watermark subject of the whole tenant.
pub const TENANT: &str = "tenant";

/// The watermark subject of a client.
pub fn client(id: &str) -> String {
    format!("client:{id}")
}

/// The watermark subject of a user.
pub fn user(id: &str) -> String {
    format!("user:{id}")
}

/// The subject whose mark starts a fresh count of sign-in attempts on the
/// account `user_id` (an admin unlock).
pub fn sign_in_attempts(user_id: &str) -> String {
    format!("login:user:{user_id}")
}

/// A tenant's live watermarks, by subject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watermarks(HashMap<String, i64>);

impl Watermarks {
    /// From (subject, not_before) pairs.
    pub fn new(pairs: impl IntoIterator<Item = (String, i64)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// Whether something issued at `issued_at` (unix seconds) to `client`
    /// for `user` is dead. Equal seconds count as before: fail closed.
    pub fn revokes(&self, client_id: Option<&str>, user_id: Option<&str>, issued_at: i64) -> bool {
        if self.0.is_empty() {
            return false;
        }
        let dead = |subject: &str| self.0.get(subject).is_some_and(|nb| issued_at <= *nb);
        dead(TENANT)
            || client_id.is_some_and(|c| dead(&client(c)))
            || user_id.is_some_and(|u| dead(&user(u)))
    }

    /// The moment an admin last unlocked the account `user_id` (0: never):
    /// the epoch of its sign-in attempt counter, so an unlock starts a fresh
    /// count everywhere.
    pub fn login_epoch(&self, user_id: &str) -> i64 {
        self.0.get(&sign_in_attempts(user_id)).copied().unwrap_or(0)
    }

    /// How many are held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none are held.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_subject_kills_only_what_it_covers() {
        let marks = Watermarks::new([(user("u1"), 100), (client("c1"), 200)]);
        assert!(marks.revokes(Some("c2"), Some("u1"), 100));
        assert!(!marks.revokes(Some("c2"), Some("u1"), 101));
        assert!(!marks.revokes(Some("c2"), Some("u2"), 50));
        assert!(marks.revokes(Some("c1"), None, 150));
        let tenant = Watermarks::new([(TENANT.to_owned(), 10)]);
        assert!(tenant.revokes(None, None, 10));
        assert!(!tenant.revokes(None, None, 11));
    }
}
