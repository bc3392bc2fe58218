//! Brute-force protection of the hosted login (RFC 6819 §5.1.4.2.3-4).
//! Failures are counted per (tenant, user) and per (tenant, source address)
//! in the ephemeral store, so every process adds to one count. A user with
//! too many failures is locked in the database (durable: every process and
//! both backends see it) for a window; a source address with too many is
//! refused with 429 until its window ends. Messages stay generic.

use std::time::Duration;

use idp::domain::user::UserId;
use idp::ephemeral::Key;
use idp::ids::TenantId;
use idp::platform::Platform;

/// Failed logins of one user that lock the account.
pub const USER_FAILURES: u64 = 10;
/// Failed logins from one source address before it is refused.
pub const SOURCE_FAILURES: u64 = 100;
/// Counting window, and how long a lock lasts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

fn window_secs() -> i64 {
    i64::try_from(WINDOW.as_secs()).unwrap_or(i64::MAX)
}

fn blocked_key(tenant: TenantId, source: &str) -> Key {
    Key::new(tenant, "login-source-blocked", source)
}

/// Seconds until `source` may try again, when it is refused.
pub async fn source_retry_after(
    platform: &Platform,
    tenant: TenantId,
    source: &str,
) -> Option<i64> {
    match platform
        .ephemeral
        .get(&platform.clock, &blocked_key(tenant, source))
        .await
    {
        Ok(Some(until)) => {
            let until: i64 = std::str::from_utf8(&until).ok()?.parse().ok()?;
            let now = platform.clock.now_ms();
            (until > now).then(|| (until - now + 999) / 1000)
        }
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(error = %e, "login throttle unreadable");
            None
        }
    }
}

/// Counts a failed login from `source`, for `user` when the login named one;
/// locks the user or refuses the source past their limits.
pub async fn record_failure(
    platform: &Platform,
    tenant: TenantId,
    source: &str,
    user: Option<&UserId>,
) {
    let now_ms = platform.clock.now_ms();
    let key = Key::new(tenant, "login-source-failures", source);
    match platform.ephemeral.incr(&platform.clock, &key, WINDOW).await {
        Ok(count) if count >= SOURCE_FAILURES => {
            let until = now_ms + window_secs() * 1000;
            let blocked = platform
                .ephemeral
                .put(
                    &platform.clock,
                    &blocked_key(tenant, source),
                    until.to_string().as_bytes(),
                    until,
                )
                .await;
            if let Err(e) = blocked {
                tracing::warn!(error = %e, "login source not blocked");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "failed login not counted"),
    }
    let Some(user) = user else { return };
    let key = Key::new(tenant, "login-user-failures", user.as_str());
    match platform.ephemeral.incr(&platform.clock, &key, WINDOW).await {
        Ok(count) if count >= USER_FAILURES => {
            let until = platform.clock.now_secs() + window_secs();
            if let Err(e) = idp::users::lock(platform, tenant, user, until).await {
                tracing::warn!(error = %e, "user not locked");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "failed login not counted"),
    }
}
