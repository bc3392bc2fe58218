//! Brute-force protection of the hosted login (RFC 6819 §5.1.4.2.3-4).
//!
//! - Per (tenant, account): every attempt is counted *before* the password
//!   is checked, in the ephemeral store (so every process adds to one count,
//!   and concurrent guesses cannot all slip in before a lock is written). The
//!   count belongs to the account the login name resolved to, so a username
//!   and an email address share it; a name that matches no account has a
//!   counter of the same shape of its own, so the two behave alike. Past the
//!   tenant's `sign_in.lockout_failures` attempts (default [`USER_FAILURES`])
//!   in its `sign_in.lockout_secs` window (default [`WINDOW`]), no password
//!   is accepted, and a wrong one locks the account in the database for that
//!   long (durable: every process and both backends see it). A successful
//!   login clears the count.
//! - Per (tenant, source address): every attempt is counted before the
//!   password is checked too, and a successful one is taken back, so the
//!   count is of failures; past [`SOURCE_FAILURES`] the address gets 429
//!   until its window ends, and no password is checked for it.
//!
//! Messages stay generic: a locked account looks like a wrong password. A
//! count that cannot be taken (the store is down or late) fails the attempt
//! with 503: an uncounted guess would slip past both limits.

use std::time::Duration;

use idp::domain::policy::SignInPolicy;
use idp::domain::user::UserId;
use idp::domain::watermarks::Watermarks;
use idp::ephemeral::{EphemeralError, Key};
use idp::ids::TenantId;
use idp::platform::Platform;

/// Attempts on one account in a window before it locks.
pub const USER_FAILURES: u64 = 10;
/// Failed logins from one source address before it is refused.
pub const SOURCE_FAILURES: u64 = 100;
/// Counting window, and how long a lock lasts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Whose attempts a login counts against.
#[derive(Debug, Clone, Copy)]
pub enum Counted<'a> {
    /// The account the login name resolved to.
    Account(&'a UserId),
    /// A login name that matches no account.
    UnknownName(&'a str),
}

impl Counted<'_> {
    /// The counter's id since `epoch` (an admin unlock of the account).
    fn key(self, tenant: TenantId, epoch: i64) -> Key {
        let id = match self {
            Self::Account(user) => format!("{epoch}:u:{}", user.as_str()),
            Self::UnknownName(name) => format!("{epoch}:n:{}", name.trim().to_lowercase()),
        };
        Key::new(tenant, "login-attempts", &id)
    }

    /// The last admin unlock this process knows of (0 for unknown names).
    pub fn epoch(self, watermarks: &Watermarks) -> i64 {
        match self {
            Self::Account(user) => watermarks.login_epoch(user.as_str()),
            Self::UnknownName(_) => 0,
        }
    }
}

/// The tenant's counting window (and lock length) for accounts.
fn lock_window(policy: &SignInPolicy) -> Duration {
    Duration::from_secs(u64::try_from(policy.lockout_secs).unwrap_or(WINDOW.as_secs()))
}

fn window_ms() -> i64 {
    i64::try_from(WINDOW.as_millis()).unwrap_or(i64::MAX)
}

fn blocked_key(tenant: TenantId, source: &str) -> Key {
    Key::new(tenant, "login-source-blocked", source)
}

fn source_key(tenant: TenantId, source: &str) -> Key {
    Key::new(tenant, "login-source-failures", source)
}

/// Why an attempt is not let through to the password check.
#[derive(Debug)]
pub enum Refused {
    /// The source is over its limit for this many more seconds.
    Throttled(i64),
    /// The count could not be taken.
    Unavailable(EphemeralError),
}

/// Counts an attempt from `source` before its password is checked; refused
/// when the source is over its limit (no password is checked then) or the
/// count cannot be taken.
pub async fn admit_source(
    platform: &Platform,
    tenant: TenantId,
    source: &str,
) -> Result<(), Refused> {
    let now = platform.clock.now_ms();
    let blocked = platform
        .ephemeral
        .get(&platform.clock, &blocked_key(tenant, source))
        .await;
    match blocked {
        Ok(Some(until)) => {
            let until = std::str::from_utf8(&until)
                .ok()
                .and_then(|u| u.parse::<i64>().ok());
            if let Some(until) = until.filter(|u| *u > now) {
                return Err(Refused::Throttled((until - now + 999) / 1000));
            }
        }
        Ok(None) => {}
        Err(e) => return Err(Refused::Unavailable(e)),
    }
    let key = source_key(tenant, source);
    match platform.ephemeral.incr(&platform.clock, &key, WINDOW).await {
        Ok(count) if count > SOURCE_FAILURES => {
            let until = now + window_ms();
            let stored = platform
                .ephemeral
                .put(
                    &platform.clock,
                    &blocked_key(tenant, source),
                    until.to_string().as_bytes(),
                    until,
                )
                .await;
            if let Err(e) = stored {
                tracing::warn!(error = %e, "login source not blocked");
            }
            Err(Refused::Throttled((until - now + 999) / 1000))
        }
        Ok(_) => Ok(()),
        Err(e) => Err(Refused::Unavailable(e)),
    }
}

/// Counts an attempt on `counted`; `allowed: false` when it is over the
/// limit (the attempt must fail whatever the password).
pub async fn admit(
    platform: &Platform,
    tenant: TenantId,
    counted: Counted<'_>,
    epoch: i64,
    policy: &SignInPolicy,
) -> Result<Attempt, EphemeralError> {
    let failures = u64::try_from(policy.lockout_failures).unwrap_or(USER_FAILURES);
    let count = platform
        .ephemeral
        .incr(
            &platform.clock,
            &counted.key(tenant, epoch),
            lock_window(policy),
        )
        .await?;
    Ok(Attempt {
        allowed: count <= failures,
        last: count >= failures,
    })
}

/// Where an attempt stands against the per-account limit.
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    /// Whether a right password may succeed.
    pub allowed: bool,
    /// Whether a failure now locks the account.
    pub last: bool,
}

/// After a successful login: clears the account's count and takes the
/// attempt back from the source's.
pub async fn succeeded(
    platform: &Platform,
    tenant: TenantId,
    source: &str,
    user: &UserId,
    epoch: i64,
    policy: &SignInPolicy,
) {
    let (key, source) = (
        Counted::Account(user).key(tenant, epoch),
        source_key(tenant, source),
    );
    let (cleared, refunded) = tokio::join!(
        platform
            .ephemeral
            .reset(&platform.clock, &key, lock_window(policy)),
        platform.ephemeral.decr(&platform.clock, &source, WINDOW),
    );
    if let Err(e) = cleared.and(refunded) {
        tracing::warn!(error = %e, "login attempts not cleared");
    }
}

/// Locks `user` in the database for the window (the failure that reached
/// the limit).
pub async fn lock(platform: &Platform, tenant: TenantId, user: &UserId, policy: &SignInPolicy) {
    let until = platform.clock.now_secs() + policy.lockout_secs;
    if let Err(e) = idp::users::lock(platform, tenant, user, until).await {
        tracing::warn!(error = %e, "user not locked");
    }
}
