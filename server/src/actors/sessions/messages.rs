//! Messages of the session actor.

use actix::Message;
use idp::domain::policy::TenantPolicy;
use idp::ephemeral::EphemeralError;
use idp::secret::Secret;
use idp::sessions::Session;
use idp::store::StoreError;

/// Start a session for a user who just authenticated; returns the cookie
/// value and the session.
#[derive(Message)]
#[rtype(result = "Result<(Secret<String>, Session), EphemeralError>")]
pub struct StartSession {
    /// The tenant's policy (lifetimes).
    pub policy: TenantPolicy,
    /// The user.
    pub user_id: String,
    /// How they authenticated (RFC 8176).
    pub amr: Vec<String>,
    /// The cookie of the session this login replaces, which ends.
    pub replaces: Option<String>,
}

/// End a session and revoke the refresh tokens bound to it.
#[derive(Message)]
#[rtype(result = "Result<(), SessionEndError>")]
pub struct EndSession {
    /// The tenant's policy.
    pub policy: TenantPolicy,
    /// The cookie value, when the browser sent it.
    pub cookie: Option<String>,
    /// The session's public id.
    pub sid: String,
}

/// Forget a session that ended, here or on another process (from the
/// change feed, through the registry).
#[derive(Message)]
#[rtype(result = "()")]
pub struct ForgetSession {
    /// The session's public id.
    pub sid: String,
}

/// Forget every cached session: the tenant changed (policy, admin revocations).
#[derive(Message)]
#[rtype(result = "()")]
pub struct ForgetSessions;

/// Why ending a session failed; nothing is half-done that a retry would not finish.
#[derive(Debug, thiserror::Error)]
pub enum SessionEndError {
    /// The session store failed.
    #[error(transparent)]
    Ephemeral(#[from] EphemeralError),
    /// The database failed while revoking the session's refresh tokens.
    #[error(transparent)]
    Store(#[from] StoreError),
}
