//! Bulk revocation through not-before watermarks: everything of a user, a
//! client or the whole tenant issued up to now dies. The watermark kills
//! access tokens (introspection, userinfo) and sessions on every server
//! process at its next change poll; refresh-token families are also marked
//! revoked here, durably, in the same transaction.

use idp::domain::token::access_token::AccessTokenClaims;
use idp::domain::user::UserId;
use idp::domain::watermarks::{self, KEEP_SECS};
use idp::ids::{ClientId, TenantId};
use idp::platform::Platform;
use idp::store::queries::refresh_tokens::{self, Owner};
use idp::store::queries::{clients, signing_keys, tokens, users, watermarks as watermark_queries};
use idp::store::{DbConnection, StoreError};
use idp::writes::{Audit, Reach};
use serde_json::json;

use super::OpError;
use crate::scope::TenantScope;

/// Whose tokens die.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every token and session of one user.
    User(String),
    /// Every token of one client (and the sessions' grants to it).
    Client(String),
    /// Everything of the tenant.
    Tenant,
}

impl Target {
    /// The watermark subject.
    pub fn subject(&self) -> String {
        match self {
            Self::User(id) => watermarks::user(id),
            Self::Client(id) => watermarks::client(id),
            Self::Tenant => watermarks::TENANT.to_owned(),
        }
    }
}

/// Raises the target's watermark to `now` and revokes its refresh-token
/// families, inside the caller's change (which bumps the tenant's
/// revision). Returns the families revoked.
pub fn revoke_all(
    conn: &mut DbConnection,
    tenant: TenantId,
    target: &Target,
    now: i64,
) -> Result<usize, StoreError> {
    watermark_queries::raise(conn, tenant, &target.subject(), now, now + KEEP_SECS)?;
    let owner = match target {
        Target::User(id) => Owner::User(id),
        Target::Client(id) => Owner::Client(id),
        Target::Tenant => Owner::Tenant,
    };
    refresh_tokens::revoke_all(conn, tenant, owner)
}

/// Revokes everything of `target` in the scope's tenant, with its audit row.
/// A user or client must exist in the tenant (not found otherwise, never
/// another tenant's). Returns the watermark and the refresh families revoked.
pub async fn revoke(
    platform: &Platform,
    scope: &TenantScope,
    target: Target,
) -> Result<(i64, usize), OpError> {
    let tenant = scope.tenant().id;
    let (kind, id) = match &target {
        Target::User(id) => ("user", id.clone()),
        Target::Client(id) => ("client", id.clone()),
        Target::Tenant => ("tenant", tenant.to_string()),
    };
    let audit = {
        let scope = scope.clone();
        Audit::row(move |&(now, families): &(i64, usize)| {
            let detail = json!({ "not_before": now, "refresh_families": families });
            scope.audit("tokens.revoke_all", kind, &id, detail)
        })
    };
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, now| {
            let exists = match &target {
                Target::User(id) => users::find(conn, tenant, &UserId::new(id))?.is_some(),
                Target::Client(id) => clients::find(conn, tenant, &ClientId::new(id))?.is_some(),
                Target::Tenant => true,
            };
            if !exists {
                return Err(OpError::NotFound(match target {
                    Target::User(_) => "user",
                    _ => "client",
                }));
            }
            let families = revoke_all(conn, tenant, &target, now)?;
            Ok((now, families))
        })
        .await
}

/// What a single-token revocation found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A JWT access token of the tenant.
    Jwt,
    /// An opaque access token of the tenant.
    Opaque,
    /// A refresh token: its whole grant (family and access tokens) is revoked.
    Refresh,
}

impl TokenKind {
    /// The kind's name in audit rows and answers.
    pub fn name(self) -> &'static str {
        match self {
            Self::Jwt => "jwt",
            Self::Opaque => "opaque",
            Self::Refresh => "refresh",
        }
    }
}

/// What one token revocation changed: the kind found and the id its audit
/// row names (the grant of a refresh token, else the token's `jti`).
type Revoked = (TokenKind, String);

/// Why a single-token revocation wrote nothing.
enum NotLive {
    /// No live token of the tenant: the change rolls back.
    Unknown,
    /// The store failed.
    Failed(OpError),
}

impl From<StoreError> for NotLive {
    fn from(error: StoreError) -> Self {
        Self::Failed(error.into())
    }
}

/// Revokes one token of the scope's tenant (an access token by its id, a
/// refresh token with its grant), with its audit row; `None` when it is not
/// a live token of this tenant (nothing is then written).
pub async fn revoke_token(
    platform: &Platform,
    scope: &TenantScope,
    token: &str,
) -> Result<Option<TokenKind>, OpError> {
    let tenant = scope.tenant().id;
    let now = platform.clock.now_secs();
    let issuer = scope.tenant().issuer(&platform.config.http.public_url);
    let digest = idp::crypto::sha256(token.as_bytes());
    // JWT: verified against the tenant's keys; otherwise the stored kinds.
    let jwt = if token.contains('.') {
        let sealer = platform.sealer.clone();
        let ring = platform
            .db
            .run(move |conn| signing_keys::load_ring(conn, tenant, &sealer, None))
            .await?;
        idp::crypto::jwt::verify::<AccessTokenClaims>(&ring, token, now)
            .map(|v| v.claims)
            .filter(|c| c.iss == issuer)
    } else {
        None
    };
    let until = now + scope.tenant().policy.access_token_ttl_secs;
    let audit = {
        let scope = scope.clone();
        Audit::row(move |(kind, id): &Revoked| {
            scope.audit("token.revoke", "token", id, json!({ "kind": kind.name() }))
        })
    };
    let found = platform
        .change(Reach::Tenant(tenant), audit, move |conn, now| {
            let (kind, jti, expires_at, grant) = if let Some(claims) = jwt {
                (TokenKind::Jwt, claims.jti, claims.exp, None)
            } else if let Some(row) = tokens::find_opaque(conn, tenant, &digest)? {
                (TokenKind::Opaque, row.jti, row.expires_at, None)
            } else if let Some(row) = refresh_tokens::find(conn, tenant, &digest)? {
                let key = AccessTokenClaims::grant_key(&row.grant_id);
                (TokenKind::Refresh, key, until, Some(row.grant_id))
            } else {
                // Nothing to revoke: roll back, so no revision or audit row.
                return Err(NotLive::Unknown);
            };
            if expires_at > now {
                tokens::insert_revoked(conn, tenant, &jti, expires_at, now)?;
            }
            if kind == TokenKind::Opaque {
                tokens::revoke_opaque(conn, tenant, &digest)?;
            }
            if let Some(grant) = &grant {
                refresh_tokens::revoke_grant(conn, tenant, grant)?;
            }
            Ok((kind, grant.unwrap_or(jti)))
        })
        .await;
    match found {
        Ok((kind, _)) => Ok(Some(kind)),
        Err(NotLive::Unknown) => Ok(None),
        Err(NotLive::Failed(e)) => Err(e),
    }
}
