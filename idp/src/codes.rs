//! Authorization codes: 256 random bits, kept in the ephemeral store under the
//! SHA-256 of the code (a store dump reveals no usable code) with their
//! bindings and expiry, and redeemed by an atomic take (Redis `GETDEL`), so of
//! concurrent redemptions across processes at most one succeeds. A redeemed
//! code leaves a tombstone (code digest -> grant) for as long as the tokens it
//! produced live, so a replay is recognised and can revoke them.

use crate::crypto::{b64url, sha256};
use crate::domain::grant::authorization_code::CodeGrant;
pub use crate::domain::grant::authorization_code::Tombstone;
use crate::ephemeral::{EphemeralError, Key};
use crate::ids::TenantId;
use crate::platform::Platform;
use crate::secret::{Secret, random_bytes};

fn key(tenant: TenantId, code: &str) -> Key {
    Key::new(tenant, "code", &b64url(&sha256(code.as_bytes())))
}

/// Issues a code for `grant`, valid for `ttl_secs`.
pub async fn issue(
    platform: &Platform,
    tenant: TenantId,
    grant: &CodeGrant,
    ttl_secs: i64,
) -> Result<Secret<String>, EphemeralError> {
    let code = b64url(&random_bytes::<32>());
    let value = serde_json::to_vec(grant).map_err(|e| EphemeralError(e.to_string()))?;
    let expires_at = platform.clock.now_ms() + ttl_secs.saturating_mul(1000);
    platform
        .ephemeral
        .put(&platform.clock, &key(tenant, &code), &value, expires_at)
        .await?;
    Ok(Secret::new(code))
}

/// Takes the code: returns its grant once, and `None` for an unknown,
/// expired or already redeemed code. In the same atomic step the code leaves
/// its tombstone (naming `grant_id`, the grant its redemption creates) for
/// `tombstone_ttl_secs`, so a concurrent replay finds one or the other.
pub async fn redeem(
    platform: &Platform,
    tenant: TenantId,
    code: &str,
    grant_id: &str,
    tombstone_ttl_secs: i64,
) -> Result<Option<CodeGrant>, EphemeralError> {
    let mut note = grant_id.as_bytes().to_vec();
    note.push(0);
    let expires_at = platform.clock.now_ms() + tombstone_ttl_secs.saturating_mul(1000);
    let taken = platform
        .ephemeral
        .take_leaving(
            &platform.clock,
            &key(tenant, code),
            &tombstone_key(tenant, code),
            &note,
            expires_at,
        )
        .await?;
    Ok(taken.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

fn tombstone_key(tenant: TenantId, code: &str) -> Key {
    Key::new(tenant, "code-tombstone", &b64url(&sha256(code.as_bytes())))
}

/// Shortens the tombstone of `code` to `ttl_secs` (when its redemption
/// produced shorter-lived tokens than first assumed).
pub async fn shorten_tombstone(
    platform: &Platform,
    tenant: TenantId,
    code: &str,
    ttl_secs: i64,
) -> Result<(), EphemeralError> {
    let key = tombstone_key(tenant, code);
    let Some(value) = platform.ephemeral.get(&platform.clock, &key).await? else {
        return Ok(());
    };
    let expires_at = platform.clock.now_ms() + ttl_secs.saturating_mul(1000);
    platform
        .ephemeral
        .replace(&platform.clock, &key, &value, expires_at)
        .await
        .map(|_| ())
}

/// The tombstone of a redeemed `code`, if it still lives.
pub async fn tombstone(
    platform: &Platform,
    tenant: TenantId,
    code: &str,
) -> Result<Option<Tombstone>, EphemeralError> {
    let Some(bytes) = platform
        .ephemeral
        .get(&platform.clock, &tombstone_key(tenant, code))
        .await?
    else {
        return Ok(None);
    };
    // `grant_id`, a zero byte, then the code's own stored value (its expiry,
    // then its grant), as `redeem` left it.
    let Some(split) = bytes.iter().position(|b| *b == 0) else {
        return Ok(None);
    };
    let grant_id = String::from_utf8_lossy(bytes.get(..split).unwrap_or_default()).into_owned();
    let grant: Option<CodeGrant> = bytes
        .get(split + 1 + 8..)
        .and_then(|json| serde_json::from_slice(json).ok());
    Ok(grant.map(|g| Tombstone {
        client_id: g.client_id,
        code_challenge: g.code_challenge,
        grant_id,
    }))
}
