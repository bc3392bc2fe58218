//! The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC Core
//! §3.1.3): what a code is bound to, and the decisions the token endpoint
//! makes around taking it: whether the client may ask, what a missing code
//! means (a replay that proves itself revokes what the code produced, RFC
//! 6749 §4.1.2), whether the code's bindings hold, and whether its user and
//! session still stand.

use serde::{Deserialize, Serialize};

use crate::domain::api::Api;
use crate::domain::client::Client;
use crate::domain::pkce::CodeChallenge;
use crate::domain::policy::TenantPolicy;
use crate::domain::scope::{self, OFFLINE_ACCESS, OPENID};
use crate::domain::token::access_token::lifetime;
use crate::domain::token::id_token::SignIn;
use crate::protocol::params::GrantType;

/// Everything a code is bound to (stored with the code, never sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeGrant {
    /// The client the code was issued to.
    pub client_id: String,
    /// The redirect URI the code was sent to.
    pub redirect_uri: String,
    /// Whether the authorization request named `redirect_uri`.
    pub redirect_uri_sent: bool,
    /// The S256 challenge, if one was sent.
    pub code_challenge: Option<String>,
    /// `nonce` for the ID token.
    pub nonce: Option<String>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// The user (`sub`).
    pub user_id: String,
    /// When the user authenticated (unix seconds).
    pub auth_time: i64,
    /// The SSO session the code came from (its public `sid`).
    pub session_id: String,
    /// How the user authenticated (RFC 8176).
    #[serde(default)]
    pub amr: Vec<String>,
    /// The API the authorization request named (RFC 8707), the audience of
    /// every token of the grant.
    #[serde(default)]
    pub resource: Option<String>,
}

/// Why a code is not honoured; each maps to one RFC 6749 §5.2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizationCodeError {
    /// The grant is not allowed for the client or the tenant.
    #[error("client is not allowed to use authorization_code")]
    UnauthorizedClient,
    /// No `code` parameter.
    #[error("code is missing")]
    MissingCode,
    /// `resource` names another audience than the code's, or more than one.
    #[error("resource outside the code's audience")]
    InvalidTarget,
    /// Unknown or expired code.
    #[error("unknown or expired code")]
    UnknownCode,
    /// A code redeemed before (RFC 6749 §4.1.2).
    #[error("code already redeemed")]
    Replayed,
    /// Issued to another client (RFC 6749 §4.1.3).
    #[error("code issued to another client")]
    ClientMismatch,
    /// `redirect_uri` missing or different from the authorization request's.
    #[error("redirect_uri does not match")]
    RedirectMismatch,
    /// Verifier missing, malformed or wrong; or a verifier for a code issued
    /// without a challenge (PKCE downgrade, RFC 9700 §4.8.2).
    #[error("PKCE verification failed")]
    PkceMismatch,
    /// The user is unknown or disabled.
    #[error("user unknown or disabled")]
    UserInactive,
    /// An admin revoked the user, client or tenant after the sign-in.
    #[error("revoked since the sign-in")]
    RevokedSinceSignIn,
    /// The SSO session the code came from has ended (logout).
    #[error("session ended")]
    SessionEnded,
}

type Decision<T> = Result<T, AuthorizationCodeError>;

/// A request the client may make: the code to take, and what its redemption
/// may produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission<'a> {
    /// The `code` parameter.
    pub code: &'a str,
    /// Whether the client may hold refresh tokens.
    pub may_refresh: bool,
    /// Lifetime of the access tokens issued.
    pub access_ttl: i64,
    /// Lifetime of the code's tombstone: it must outlive every token the
    /// redemption may produce, refresh tokens included.
    pub tombstone_ttl: i64,
}

/// Decides whether `client` may redeem `code` at all.
pub fn admit<'a>(
    policy: &TenantPolicy,
    client: &Client,
    code: Option<&'a str>,
) -> Decision<Admission<'a>> {
    if !client.may_use(GrantType::AuthorizationCode, policy) {
        return Err(AuthorizationCodeError::UnauthorizedClient);
    }
    let code = code.ok_or(AuthorizationCodeError::MissingCode)?;
    let may_refresh = client.may_use(GrantType::RefreshToken, policy);
    let access_ttl = lifetime(policy, client);
    let tombstone_ttl = if may_refresh {
        policy.refresh_absolute_ttl_secs.max(access_ttl)
    } else {
        access_ttl
    };
    Ok(Admission {
        code,
        may_refresh,
        access_ttl,
        tombstone_ttl,
    })
}

impl Admission<'_> {
    /// Whether redeeming `grant` issues a refresh token (`offline_access`
    /// granted to a client that may refresh).
    pub fn offline(&self, grant: &CodeGrant) -> bool {
        self.may_refresh && grant.scopes.iter().any(|s| s == OFFLINE_ACCESS)
    }

    /// The tombstone's shorter lifetime when the redemption of `grant` turns
    /// out to issue access tokens only.
    pub fn shorter_tombstone(&self, grant: &CodeGrant) -> Option<i64> {
        (self.may_refresh && !self.offline(grant)).then_some(self.access_ttl)
    }
}

/// What a redeemed code leaves behind, for replay detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    /// The client the code was issued to.
    pub client_id: String,
    /// The code's PKCE challenge: a replay proves itself with the verifier.
    pub code_challenge: Option<String>,
    /// The grant the redemption created.
    pub grant_id: String,
}

/// Why a code that could not be taken is refused, and the grant to revoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal<'a> {
    /// The error to answer with.
    pub error: AuthorizationCodeError,
    /// The grant the first redemption created, when the replay proves itself
    /// (the same client, the right verifier): its tokens are revoked. A
    /// replay that does not prove itself revokes nothing, so nobody can
    /// revoke another client's tokens by guessing codes.
    pub revoke: Option<&'a str>,
}

/// Decides about a code that was not there to take: `tombstone` is what its
/// redemption left, if it was redeemed.
pub fn refuse<'a>(
    tombstone: Option<&'a Tombstone>,
    client_id: &str,
    code_verifier: Option<&str>,
) -> Refusal<'a> {
    match tombstone {
        None => Refusal {
            error: AuthorizationCodeError::UnknownCode,
            revoke: None,
        },
        Some(tomb) => Refusal {
            error: AuthorizationCodeError::Replayed,
            revoke: (tomb.client_id == client_id
                && proves(tomb.code_challenge.as_deref(), code_verifier))
            .then_some(tomb.grant_id.as_str()),
        },
    }
}

impl CodeGrant {
    /// Checks a token request against the code's bindings.
    pub fn check(
        &self,
        client_id: &str,
        redirect_uri: Option<&str>,
        code_verifier: Option<&str>,
    ) -> Decision<()> {
        if self.client_id != client_id {
            return Err(AuthorizationCodeError::ClientMismatch);
        }
        if self.redirect_uri_sent && redirect_uri != Some(self.redirect_uri.as_str()) {
            return Err(AuthorizationCodeError::RedirectMismatch);
        }
        if !self.redirect_uri_sent && redirect_uri.is_some_and(|r| r != self.redirect_uri) {
            return Err(AuthorizationCodeError::RedirectMismatch);
        }
        match (&self.code_challenge, code_verifier) {
            (Some(challenge), Some(verifier)) => CodeChallenge::stored(challenge.clone())
                .verify(verifier)
                .map_err(|_| AuthorizationCodeError::PkceMismatch),
            (None, None) => Ok(()),
            _ => Err(AuthorizationCodeError::PkceMismatch),
        }
    }

    /// Whether the grant signs the user in (OIDC Core §3.1.3.3: an ID token).
    pub fn signs_in(&self) -> bool {
        self.scopes.iter().any(|s| s == OPENID)
    }

    /// What the ID token says about the sign-in.
    pub fn sign_in(&self) -> SignIn<'_> {
        SignIn {
            user_id: &self.user_id,
            auth_time: self.auth_time,
            amr: &self.amr,
            sid: &self.session_id,
            nonce: self.nonce.as_deref(),
        }
    }
}

/// Whether the code's user still stands: known and enabled
/// (`user_enabled`), with no admin revocation of the user, client or tenant
/// since the sign-in (`revoked_since`).
pub fn check_user(user_enabled: bool, revoked_since: bool) -> Decision<()> {
    if !user_enabled {
        return Err(AuthorizationCodeError::UserInactive);
    }
    if revoked_since {
        return Err(AuthorizationCodeError::RevokedSinceSignIn);
    }
    Ok(())
}

/// A code minted before its session ended (logout) yields nothing: the
/// logout already revoked what the session held.
pub fn check_session(session_live: bool) -> Decision<()> {
    if session_live {
        Ok(())
    } else {
        Err(AuthorizationCodeError::SessionEnded)
    }
}

/// The audience of a user's access tokens: the API the authorization
/// request named (`resource`), else the API defining the first API scope
/// granted, else the tenant's default API, else `fallback` (the userinfo
/// endpoint, for tokens that only sign in).
pub fn audience(apis: &[Api], resource: Option<&str>, scopes: &[String], fallback: &str) -> String {
    if let Some(resource) = resource {
        return resource.to_owned();
    }
    let api_scope = scopes.iter().find(|s| scope::builtin(s).is_none());
    api_scope
        .and_then(|s| apis.iter().find(|api| api.defines(s)))
        .or_else(|| apis.iter().find(|api| api.is_default))
        .map_or_else(|| fallback.to_owned(), |api| api.identifier.clone())
}

/// The exchange's `resource` values against the code's audience.
pub fn check_resource(resources: &[&str], audience: &str) -> Decision<()> {
    if super::resource_within(resources, audience) {
        Ok(())
    } else {
        Err(AuthorizationCodeError::InvalidTarget)
    }
}

/// Whether `verifier` proves a replayed code's `challenge` (both absent
/// counts: a code issued without PKCE).
pub fn proves(challenge: Option<&str>, verifier: Option<&str>) -> bool {
    match (challenge, verifier) {
        (Some(c), Some(v)) => CodeChallenge::stored(c.to_owned()).verify(v).is_ok(),
        (None, None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
