//! The refresh token grant (RFC 6749 §6, RFC 9700 §4.14.2): whether the client
//! may ask, whether a presented token may be rotated, and whether its user
//! still stands. A used token is checked before anything else about it, so
//! neither an idle expiry nor a refused `scope` hides a reuse. `scope` may
//! narrow the new access token, never widen it; the family keeps its scopes.

use crate::domain::client::Client;
use crate::domain::grant::requested_scopes;
use crate::domain::policy::TenantPolicy;
use crate::protocol::params::GrantType;

/// Why a refresh token is not honoured; each maps to one RFC 6749 §5.2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefreshTokenError {
    /// The grant is not allowed for the client or the tenant.
    #[error("client is not allowed to use refresh_token")]
    UnauthorizedClient,
    /// No `refresh_token` parameter.
    #[error("refresh_token is missing")]
    MissingToken,
    /// Unknown in this tenant.
    #[error("unknown refresh token")]
    Unknown,
    /// Issued to another client: refused, and nothing is revoked.
    #[error("refresh token issued to another client")]
    ClientMismatch,
    /// Its family was revoked.
    #[error("refresh token revoked")]
    Revoked,
    /// Past its idle or its family's absolute lifetime.
    #[error("refresh token expired")]
    Expired,
    /// Already used: the family is revoked.
    #[error("refresh token reused; its grant is revoked")]
    Reused,
    /// `scope` asks for more than the grant holds; nothing changed.
    #[error("requested scope exceeds the grant")]
    InvalidScope,
    /// `resource` names another audience than the grant's, or more than
    /// one; nothing changed.
    #[error("resource outside the grant's audience")]
    InvalidTarget,
    /// The user is unknown or disabled: the grant is revoked.
    #[error("user unknown or disabled")]
    UserInactive,
    /// An admin revoked the user, client or tenant after the sign-in: the
    /// grant is revoked.
    #[error("revoked since the sign-in")]
    RevokedSinceSignIn,
}

type Decision<T> = Result<T, RefreshTokenError>;

/// A request the client may make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission<'a> {
    /// The `refresh_token` parameter.
    pub token: &'a str,
    /// The scopes asked for (`None`: all of the grant's).
    pub requested: Option<Vec<String>>,
}

/// Decides whether `client` may refresh at all; `token` and `scope` are the
/// request's parameters.
pub fn admit<'a>(
    policy: &TenantPolicy,
    client: &Client,
    token: Option<&'a str>,
    scope: Option<&str>,
) -> Decision<Admission<'a>> {
    if !client.may_use(GrantType::RefreshToken, policy) {
        return Err(RefreshTokenError::UnauthorizedClient);
    }
    let token = token.ok_or(RefreshTokenError::MissingToken)?;
    Ok(Admission {
        token,
        requested: requested_scopes(scope),
    })
}

/// What the store holds about a presented refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredToken<'a> {
    /// The client it was issued to.
    pub client_id: &'a str,
    /// Whether its family was revoked.
    pub revoked: bool,
    /// Whether it was used (rotated) before.
    pub used: bool,
    /// Its idle expiry, unix seconds.
    pub expires_at: i64,
    /// Its family's absolute expiry, unix seconds.
    pub family_expires_at: i64,
    /// The grant's scopes.
    pub scopes: &'a [String],
}

/// Decides whether `token`, presented by `client_id` at `now` asking for
/// `requested` scopes, may be rotated.
pub fn check_rotation(
    token: &StoredToken<'_>,
    client_id: &str,
    requested: Option<&[String]>,
    now: i64,
) -> Decision<()> {
    if token.client_id != client_id {
        return Err(RefreshTokenError::ClientMismatch);
    }
    if token.revoked {
        return Err(RefreshTokenError::Revoked);
    }
    if token.family_expires_at <= now {
        return Err(RefreshTokenError::Expired);
    }
    if token.used {
        return Err(RefreshTokenError::Reused);
    }
    if token.expires_at <= now {
        return Err(RefreshTokenError::Expired);
    }
    if requested.is_some_and(|r| !r.iter().all(|s| token.scopes.contains(s))) {
        return Err(RefreshTokenError::InvalidScope);
    }
    Ok(())
}

/// The refresh's `resource` values against the grant's audience (RFC 8707
/// §2.2: a refresh may narrow within the grant, never leave it).
pub fn check_resource(resources: &[&str], audience: &str) -> Decision<()> {
    if super::resource_within(resources, audience) {
        Ok(())
    } else {
        Err(RefreshTokenError::InvalidTarget)
    }
}

/// Whether the grant's user still stands: known and enabled
/// (`user_enabled`), with no admin revocation of the user, client or tenant
/// since the sign-in (`revoked_since`). A grant that fails is revoked.
pub fn check_user(user_enabled: bool, revoked_since: bool) -> Decision<()> {
    if !user_enabled {
        return Err(RefreshTokenError::UserInactive);
    }
    if revoked_since {
        return Err(RefreshTokenError::RevokedSinceSignIn);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
