//! Brute-force protection of the hosted login (RFC 6819 §5.1.4.2.3-4).
//!
//! - Per (tenant, login name): every attempt is counted *before* the password
//!   is checked, in the ephemeral store (so every process adds to one count,
//!   and concurrent guesses cannot all slip in before a lock is written).
//!   Past the tenant's `sign_in.lockout_failures` attempts (default
//!   [`USER_FAILURES`]) in its `sign_in.lockout_secs` window (default
//!   [`WINDOW`]), no password is accepted, and a wrong one locks the account
//!   in the database for that long (durable: every process and both backends see it). A successful
//!   login clears the count.
//! - Per (tenant, source address): failures are counted; past
//!   [`SOURCE_FAILURES`] the address gets 429 until its window ends.
//!
//! Messages stay generic: a locked account looks like a wrong password.

use std::time::Duration;

use idp::domain::policy::SignInPolicy;
use idp::domain::user::UserId;
use idp::ephemeral::Key;
use idp::ids::TenantId;
use idp::platform::Platform;

/// Attempts on one login name in a window before it locks.
pub const USER_FAILURES: u64 = 10;
/// Failed logins from one source address before it is refused.
pub const SOURCE_FAILURES: u64 = 100;
/// Counting window, and how long a lock lasts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The tenant's counting window (and lock length) for login names.
fn lock_window(policy: &SignInPolicy) -> Duration {
    Duration::from_secs(u64::try_from(policy.lockout_secs).unwrap_or(WINDOW.as_secs()))
}

fn window_secs() -> i64 {
    i64::try_from(WINDOW.as_secs()).unwrap_or(i64::MAX)
}

fn blocked_key(tenant: TenantId, source: &str) -> Key {
    Key::new(tenant, "login-source-blocked", source)
}

fn attempts_key(tenant: TenantId, login: &str, epoch: i64) -> Key {
    idp::users::attempts_key(tenant, login, epoch)
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

/// Counts an attempt on `login`; `false` when it is over the limit (the
/// attempt must fail whatever the password). A store failure admits: the
/// durable lock still holds.
/// `epoch` is the login's last admin unlock ([`idp::domain::watermarks::Watermarks::login_epoch`]).
pub async fn admit(
    platform: &Platform,
    tenant: TenantId,
    login: &str,
    epoch: i64,
    policy: &SignInPolicy,
) -> Attempt {
    let failures = u64::try_from(policy.lockout_failures).unwrap_or(USER_FAILURES);
    match platform
        .ephemeral
        .incr(
            &platform.clock,
            &attempts_key(tenant, login, epoch),
            lock_window(policy),
        )
        .await
    {
        Ok(count) => Attempt {
            allowed: count <= failures,
            last: count >= failures,
        },
        Err(e) => {
            tracing::warn!(error = %e, "login attempt not counted");
            Attempt {
                allowed: true,
                last: false,
            }
        }
    }
}

/// Where an attempt stands against the per-login limit.
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    /// Whether a right password may succeed.
    pub allowed: bool,
    /// Whether a failure now locks the account.
    pub last: bool,
}

/// Clears the attempt count of `login` after a successful login.
pub async fn succeeded(
    platform: &Platform,
    tenant: TenantId,
    login: &str,
    epoch: i64,
    policy: &SignInPolicy,
) {
    if let Err(e) = platform
        .ephemeral
        .reset(
            &platform.clock,
            &attempts_key(tenant, login, epoch),
            lock_window(policy),
        )
        .await
    {
        tracing::warn!(error = %e, "login attempts not cleared");
    }
}

/// Records a failed login from `source`; with `lock`, locks `user` (when the
/// login named one) in the database for the window.
pub async fn failed(
    platform: &Platform,
    tenant: TenantId,
    source: &str,
    user: Option<&UserId>,
    lock: bool,
    policy: &SignInPolicy,
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
    if let Some(user) = user.filter(|_| lock) {
        let until = platform.clock.now_secs() + policy.lockout_secs;
        if let Err(e) = idp::users::lock(platform, tenant, user, until).await {
            tracing::warn!(error = %e, "user not locked");
        }
    }
}
