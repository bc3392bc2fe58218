//! Durable token state both binaries use: opaque access tokens and
//! revocations. A revocation bumps the tenant's revision in its transaction,
//! so every server process reloads the tenant's revocation list.

use crate::crypto::sha256;
use crate::domain::token::access_token::AccessTokenClaims;
use crate::ids::TenantId;
use crate::platform::Platform;
use crate::store::StoreError;
use crate::store::models::token::OpaqueTokenRow;
use crate::store::queries::{refresh_tokens, tokens};
use crate::writes::{Audit, Reach};

/// The stored form of an opaque token: its digest and claims.
pub fn opaque_row(tenant: TenantId, token: &str, claims: &AccessTokenClaims) -> OpaqueTokenRow {
    OpaqueTokenRow {
        tenant_id: tenant.to_string(),
        digest: sha256(token.as_bytes()).to_vec(),
        jti: claims.jti.clone(),
        client_id: claims.client_id.clone(),
        subject: claims.sub.clone(),
        audience: claims.aud.clone(),
        scope: claims.scope.clone(),
        issued_at: claims.iat,
        expires_at: claims.exp,
        revoked: false,
        grant_id: claims.gid.clone(),
    }
}

/// Stores opaque tokens in one transaction; returns once committed.
pub async fn store_opaque(
    platform: &Platform,
    rows: Vec<OpaqueTokenRow>,
) -> Result<(), StoreError> {
    platform
        .db
        .transaction(move |conn| tokens::insert_opaque(conn, &rows))
        .await
}

/// An opaque token's claims and whether it was revoked.
pub async fn find_opaque(
    platform: &Platform,
    tenant: TenantId,
    token: &str,
    issuer: String,
) -> Result<Option<(AccessTokenClaims, bool)>, StoreError> {
    let digest = sha256(token.as_bytes());
    let row = platform
        .db
        .run(move |conn| tokens::find_opaque(conn, tenant, &digest))
        .await?;
    Ok(row.map(|row| {
        let claims = AccessTokenClaims {
            iss: issuer,
            sub: row.subject,
            aud: row.audience,
            exp: row.expires_at,
            iat: row.issued_at,
            jti: row.jti,
            client_id: row.client_id,
            scope: row.scope,
            gid: row.grant_id,
        };
        (claims, row.revoked)
    }))
}

/// Revokes the token with `jti` (expiring at `expires_at`); for an opaque
/// token also marks its row. Durable once this returns; revoking twice, even
/// at the same moment, is not an error (RFC 7009 §2.2).
pub async fn revoke(
    platform: &Platform,
    tenant: TenantId,
    jti: String,
    expires_at: i64,
    opaque_token: Option<&str>,
) -> Result<(), StoreError> {
    let digest = opaque_token.map(|t| sha256(t.as_bytes()));
    for attempt in 0..2 {
        let jti = jti.clone();
        let result = platform
            .change(Reach::Tenant(tenant), Audit::none(), move |conn, now| {
                tokens::insert_revoked(conn, tenant, &jti, expires_at, now)?;
                if let Some(digest) = digest {
                    tokens::revoke_opaque(conn, tenant, &digest)?;
                }
                Ok::<_, StoreError>(())
            })
            .await;
        match result {
            // A concurrent revocation of the same token won the insert.
            Err(StoreError::Conflict(_)) if attempt == 0 => continue,
            other => other?,
        }
        break;
    }
    let now = platform.clock.now_secs();
    // Housekeeping, bounded and outside the revocation: a failure here
    // changes nothing the caller relies on.
    if let Err(e) = platform
        .db
        .run(move |conn| {
            tokens::purge_expired(conn, tenant, now, PURGE_BATCH)?;
            crate::store::queries::watermarks::purge_expired(conn, now)?;
            refresh_tokens::purge_expired(conn, tenant, now, PURGE_BATCH)
        })
        .await
    {
        tracing::warn!(error = %e, "purge of expired tokens deferred");
    }
    Ok(())
}

/// Rows purged at most per table and call (revocations, opaque tokens and
/// refresh-token families past their absolute expiry; expired watermarks,
/// few by nature, all at once).
const PURGE_BATCH: i64 = 1000;
