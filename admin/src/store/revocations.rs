//! Bulk revocation through not-before watermarks: everything of a user, a
//! client or the whole tenant issued up to now dies. The watermark kills
//! access tokens (introspection, userinfo) and sessions on every server
//! process at its next change poll; refresh-token families are also marked
//! revoked here, durably, in the same transaction.

use diesel::prelude::*;
use idp::domain::watermarks::{self, KEEP_SECS};
use idp::ids::TenantId;
use idp::store::queries::{tenants, watermarks as watermark_queries};
use idp::store::schema::refresh_tokens::dsl as rt;
use idp::store::{DbConnection, StoreError};

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
/// families, inside the caller's transaction. Returns the families revoked.
pub fn revoke_all(
    conn: &mut DbConnection,
    tenant: TenantId,
    target: &Target,
    now: i64,
) -> Result<usize, StoreError> {
    watermark_queries::raise(conn, tenant, &target.subject(), now, now + KEEP_SECS)?;
    let live = rt::refresh_tokens
        .filter(rt::tenant_id.eq(tenant.to_string()))
        .filter(rt::revoked.eq(false));
    let revoked = match target {
        Target::User(id) => diesel::update(live.filter(rt::user_id.eq(id)))
            .set(rt::revoked.eq(true))
            .execute(conn)?,
        Target::Client(id) => diesel::update(live.filter(rt::client_id.eq(id)))
            .set(rt::revoked.eq(true))
            .execute(conn)?,
        Target::Tenant => diesel::update(live)
            .set(rt::revoked.eq(true))
            .execute(conn)?,
    };
    tenants::touch(conn, tenant, now)?;
    Ok(revoked)
}

/// Revokes everything of `target` in the scope's tenant, with its audit row.
/// A user or client must exist in the tenant (404 otherwise, never another
/// tenant's). Returns the watermark and the refresh families revoked.
pub async fn revoke(
    platform: &idp::platform::Platform,
    scope: &crate::scope::TenantScope,
    target: Target,
) -> Result<(i64, usize), crate::errors::AdminError> {
    use crate::errors::AdminError;
    use idp::store::schema::{clients, users};
    let (scope_in, now) = (scope.clone(), platform.clock.now_secs());
    let tenant = scope.tenant().id;
    let revoked = platform
        .db
        .transaction_or(move |conn| {
            let key = tenant.to_string();
            let exists = match &target {
                Target::User(id) => {
                    users::table
                        .filter(users::tenant_id.eq(&key))
                        .filter(users::id.eq(id))
                        .count()
                        .get_result::<i64>(conn)
                        .map_err(StoreError::from)?
                        > 0
                }
                Target::Client(id) => {
                    clients::table
                        .filter(clients::tenant_id.eq(&key))
                        .filter(clients::client_id.eq(id))
                        .count()
                        .get_result::<i64>(conn)
                        .map_err(StoreError::from)?
                        > 0
                }
                Target::Tenant => true,
            };
            if !exists {
                return Err(AdminError::NotFound(match target {
                    Target::User(_) => "user",
                    _ => "client",
                }));
            }
            let families = revoke_all(conn, tenant, &target, now)?;
            let (kind, id) = match &target {
                Target::User(id) => ("user", id.as_str()),
                Target::Client(id) => ("client", id.as_str()),
                Target::Tenant => ("tenant", ""),
            };
            let record = scope_in.audit(
                "tokens.revoke_all",
                kind,
                if id.is_empty() { &key } else { id },
                serde_json::json!({ "not_before": now, "refresh_families": families }),
                now,
            );
            super::audit(conn, &record)?;
            Ok::<_, AdminError>(families)
        })
        .await??;
    idp::changes::announce(platform, tenant).await;
    Ok((now, revoked))
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

/// Revokes one token of the scope's tenant (an access token by its id, a
/// refresh token with its grant), with its audit row; `None` when it is not
/// a live token of this tenant.
pub async fn revoke_token(
    platform: &idp::platform::Platform,
    scope: &crate::scope::TenantScope,
    token: &str,
) -> Result<Option<TokenKind>, crate::errors::AdminError> {
    use idp::domain::token::access_token::AccessTokenClaims;
    use idp::store::queries::{refresh_tokens, tokens};

    let tenant = scope.tenant().id;
    let now = platform.clock.now_secs();
    let issuer = scope.tenant().issuer(&platform.config.http.public_url);
    let digest = idp::crypto::sha256(token.as_bytes());
    // JWT: verified against the tenant's keys; otherwise the stored kinds.
    let jwt = if token.contains('.') {
        let sealer = platform.sealer.clone();
        let ring = platform
            .db
            .run(move |conn| {
                idp::store::queries::signing_keys::load_ring(conn, tenant, &sealer, None)
            })
            .await?;
        idp::crypto::jwt::verify::<AccessTokenClaims>(&ring, token, now)
            .map(|v| v.claims)
            .filter(|c| c.iss == issuer)
    } else {
        None
    };
    let until = now + scope.tenant().policy.access_token_ttl_secs;
    let audit_scope = scope.clone();
    let found = platform
        .db
        .transaction_or(move |conn| {
            let (kind, jti, expires_at, grant) = if let Some(claims) = jwt {
                (TokenKind::Jwt, claims.jti, claims.exp, None)
            } else if let Some(row) = tokens::find_opaque(conn, tenant, &digest)? {
                (TokenKind::Opaque, row.jti, row.expires_at, None)
            } else if let Some(row) = refresh_tokens::find(conn, tenant, &digest)? {
                let key = AccessTokenClaims::grant_key(&row.grant_id);
                (TokenKind::Refresh, key, until, Some(row.grant_id))
            } else {
                return Ok(None);
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
            tenants::touch(conn, tenant, now)?;
            let kind_name = match kind {
                TokenKind::Jwt => "jwt",
                TokenKind::Opaque => "opaque",
                TokenKind::Refresh => "refresh",
            };
            let record = audit_scope.audit(
                "token.revoke",
                "token",
                grant.as_deref().unwrap_or(&jti),
                serde_json::json!({ "kind": kind_name }),
                now,
            );
            super::audit(conn, &record)?;
            Ok::<_, crate::errors::AdminError>(Some(kind))
        })
        .await??;
    if found.is_some() {
        idp::changes::announce(platform, tenant).await;
    }
    Ok(found)
}
