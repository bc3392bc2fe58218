//! Authorization codes: 256 random bits, kept in the ephemeral store under the
//! SHA-256 of the code (a store dump reveals no usable code) with their
//! bindings and expiry, and redeemed by an atomic take (Redis `GETDEL`), so of
//! concurrent redemptions across processes at most one succeeds.

use crate::crypto::{b64url, sha256};
use crate::domain::grant::authorization_code::CodeGrant;
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
/// expired or already redeemed code.
pub async fn redeem(
    platform: &Platform,
    tenant: TenantId,
    code: &str,
) -> Result<Option<CodeGrant>, EphemeralError> {
    let taken = platform
        .ephemeral
        .take(&platform.clock, &key(tenant, code))
        .await?;
    Ok(taken.and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}
