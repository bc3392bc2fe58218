//! Authorization codes: 256 random bits, kept in the ephemeral store under the
//! SHA-256 of the code (a store dump reveals no usable code) with their
//! bindings and expiry, and redeemed by an atomic take (Redis `GETDEL`), so of
//! concurrent redemptions across processes at most one succeeds. A redeemed
//! code leaves a tombstone (code digest -> grant) for as long as the tokens it
//! produced live, so a replay is recognised and can revoke them.

use crate::crypto::{b64url, sha256};
use crate::domain::grant::authorization_code::CodeGrant;
use serde::{Deserialize, Serialize};

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

/// What a redeemed code leaves behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    /// The client the code was issued to.
    pub client_id: String,
    /// The code's PKCE challenge: a replay proves itself with the verifier.
    pub code_challenge: Option<String>,
    /// The grant the redemption created.
    pub grant_id: String,
}

fn tombstone_key(tenant: TenantId, code: &str) -> Key {
    Key::new(tenant, "code-tombstone", &b64url(&sha256(code.as_bytes())))
}

/// Records that `code` was redeemed into `tombstone`, for `ttl_secs`.
pub async fn bury(
    platform: &Platform,
    tenant: TenantId,
    code: &str,
    tombstone: &Tombstone,
    ttl_secs: i64,
) -> Result<(), EphemeralError> {
    let value = serde_json::to_vec(tombstone).map_err(|e| EphemeralError(e.to_string()))?;
    let expires_at = platform.clock.now_ms() + ttl_secs.saturating_mul(1000);
    platform
        .ephemeral
        .put(
            &platform.clock,
            &tombstone_key(tenant, code),
            &value,
            expires_at,
        )
        .await
}

/// The tombstone of a redeemed `code`, if it still lives.
pub async fn tombstone(
    platform: &Platform,
    tenant: TenantId,
    code: &str,
) -> Result<Option<Tombstone>, EphemeralError> {
    let bytes = platform
        .ephemeral
        .get(&platform.clock, &tombstone_key(tenant, code))
        .await?;
    Ok(bytes.and_then(|b| serde_json::from_slice(&b).ok()))
}
