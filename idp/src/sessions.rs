//! SSO sessions: kept in the ephemeral store (Redis in production, so any
//! server process continues a flow started on another; in process on the
//! embedded default) under the SHA-256 of the session id, with idle and
//! absolute lifetimes from the tenant policy. Each session carries its own
//! expiry; touching it moves the idle expiry, never past the absolute one.

use serde::{Deserialize, Serialize};

use crate::crypto::{b64url, sha256};
use crate::domain::policy::TenantPolicy;
use crate::ephemeral::{EphemeralError, Key};
use crate::ids::TenantId;
use crate::platform::Platform;
use crate::secret::{Secret, random_bytes};

/// A signed-in user's session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The user (`sub`).
    pub user_id: String,
    /// When the user authenticated, unix seconds.
    pub auth_time: i64,
    /// Authentication methods (RFC 8176), e.g. `pwd`.
    pub amr: Vec<String>,
    /// Public session id for `sid` claims and logout (not the cookie value).
    pub sid: String,
    /// Unix ms after which the session ends whatever its use.
    pub absolute_expiry_ms: i64,
    /// CSRF token of forms that act on the session itself (logout).
    #[serde(default)]
    pub csrf: String,
}

fn key(tenant: TenantId, cookie_value: &str) -> Key {
    Key::new(tenant, "session", &digest(cookie_value))
}

/// What the session behind `cookie_value` is known by, in the store and in
/// caches: its SHA-256, so neither holds the cookie itself.
pub fn digest(cookie_value: &str) -> String {
    b64url(&sha256(cookie_value.as_bytes()))
}

/// `sid` → the session's key digest, so a logout that names the session
/// (by its ID token) can end it without the browser's cookie.
fn sid_key(tenant: TenantId, sid: &str) -> Key {
    Key::new(tenant, "session-sid", sid)
}

fn idle_expiry(platform: &Platform, policy: &TenantPolicy, absolute_ms: i64) -> i64 {
    idle_expiry_at(platform.clock.now_ms(), policy, absolute_ms)
}

/// Unix ms at which a session used at `now_ms` ends if unused: the idle
/// lifetime later, never past its absolute expiry.
pub fn idle_expiry_at(now_ms: i64, policy: &TenantPolicy, absolute_ms: i64) -> i64 {
    now_ms
        .saturating_add(policy.session_idle_ttl_secs.saturating_mul(1000))
        .min(absolute_ms)
}

/// Starts a session for `user_id`; returns the cookie value (a fresh id at
/// every login: no session fixation) and the session.
pub async fn start(
    platform: &Platform,
    tenant: TenantId,
    policy: &TenantPolicy,
    user_id: &str,
    amr: Vec<String>,
) -> Result<(Secret<String>, Session), EphemeralError> {
    let cookie = b64url(&random_bytes::<32>());
    let now_ms = platform.clock.now_ms();
    let session = Session {
        user_id: user_id.to_owned(),
        auth_time: now_ms.div_euclid(1000),
        amr,
        sid: b64url(&random_bytes::<16>()),
        absolute_expiry_ms: now_ms + policy.session_absolute_ttl_secs.saturating_mul(1000),
        csrf: b64url(&random_bytes::<16>()),
    };
    store(platform, tenant, policy, &cookie, &session).await?;
    platform
        .ephemeral
        .put(
            &platform.clock,
            &sid_key(tenant, &session.sid),
            digest(&cookie).as_bytes(),
            session.absolute_expiry_ms,
        )
        .await?;
    Ok((Secret::new(cookie), session))
}

async fn store(
    platform: &Platform,
    tenant: TenantId,
    policy: &TenantPolicy,
    cookie: &str,
    session: &Session,
) -> Result<(), EphemeralError> {
    let value = serde_json::to_vec(session).map_err(|e| EphemeralError(e.to_string()))?;
    let expiry = idle_expiry(platform, policy, session.absolute_expiry_ms);
    platform
        .ephemeral
        .put(&platform.clock, &key(tenant, cookie), &value, expiry)
        .await
}

/// The live session behind `cookie`, its idle expiry moved forward.
pub async fn touch(
    platform: &Platform,
    tenant: TenantId,
    policy: &TenantPolicy,
    cookie: &str,
) -> Result<Option<Session>, EphemeralError> {
    let Some(bytes) = platform
        .ephemeral
        .get(&platform.clock, &key(tenant, cookie))
        .await?
    else {
        return Ok(None);
    };
    let Ok(session) = serde_json::from_slice::<Session>(&bytes) else {
        return Ok(None);
    };
    if session.absolute_expiry_ms <= platform.clock.now_ms() {
        return Ok(None);
    }
    // Only extends a session still stored: a logout racing this use wins.
    let value = serde_json::to_vec(&session).map_err(|e| EphemeralError(e.to_string()))?;
    let expiry = idle_expiry(platform, policy, session.absolute_expiry_ms);
    let extended = platform
        .ephemeral
        .replace(&platform.clock, &key(tenant, cookie), &value, expiry)
        .await?;
    Ok(extended.then_some(session))
}

/// Ends the session behind `cookie`.
pub async fn end(
    platform: &Platform,
    tenant: TenantId,
    cookie: &str,
) -> Result<(), EphemeralError> {
    platform.ephemeral.delete(&key(tenant, cookie)).await
}

/// Ends the session behind `cookie` and returns it, if it still lived, so
/// that caches elsewhere can be told which session (its `sid`) ended.
pub async fn take(
    platform: &Platform,
    tenant: TenantId,
    cookie: &str,
) -> Result<Option<Session>, EphemeralError> {
    let taken = platform
        .ephemeral
        .take(&platform.clock, &key(tenant, cookie))
        .await?;
    Ok(taken.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

/// Whether the session whose public id is `sid` still lives (not ended by a
/// logout, not expired).
pub async fn is_live(
    platform: &Platform,
    tenant: TenantId,
    sid: &str,
) -> Result<bool, EphemeralError> {
    let Some(digest) = platform
        .ephemeral
        .get(&platform.clock, &sid_key(tenant, sid))
        .await?
    else {
        return Ok(false);
    };
    let digest = String::from_utf8_lossy(&digest).into_owned();
    Ok(platform
        .ephemeral
        .get(&platform.clock, &Key::new(tenant, "session", &digest))
        .await?
        .is_some())
}

/// Ends the session whose public id is `sid`, if it still lives.
pub async fn end_sid(
    platform: &Platform,
    tenant: TenantId,
    sid: &str,
) -> Result<(), EphemeralError> {
    let Some(digest) = platform
        .ephemeral
        .take(&platform.clock, &sid_key(tenant, sid))
        .await?
    else {
        return Ok(());
    };
    let digest = String::from_utf8_lossy(&digest).into_owned();
    platform
        .ephemeral
        .delete(&Key::new(tenant, "session", &digest))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_expiry_moves_with_use_but_never_past_the_absolute_one() {
        let policy = TenantPolicy {
            session_idle_ttl_secs: 60,
            ..TenantPolicy::default()
        };
        let cases = [
            // (used at, absolute expiry, idle expiry)
            (0, 1_000_000, 60_000),
            (10_000, 1_000_000, 70_000),
            (990_000, 1_000_000, 1_000_000),
            (i64::MAX - 1, i64::MAX, i64::MAX),
        ];
        for (now, absolute, idle) in cases {
            assert_eq!(
                idle_expiry_at(now, &policy, absolute),
                idle,
                "used at {now}"
            );
        }
    }

    #[test]
    fn the_digest_names_a_cookie_without_holding_it() {
        assert_eq!(digest("a"), digest("a"));
        assert_ne!(digest("a"), digest("b"));
        assert!(!digest("secret-cookie").contains("secret"));
    }
}
