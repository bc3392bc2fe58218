//! Signing keys: list and rotate with overlap.

use idp::crypto::keys::{GeneratedKey, SigningAlg};
use idp::platform::Platform;
use idp::store::models::signing_key::SigningKeyRow;
use idp::store::queries::signing_keys;
use idp::writes::{Audit, Reach};
use serde_json::json;

use super::OpError;
use crate::scope::TenantScope;

/// Seconds added to a retiring key's life for clock skew between processes
/// and the APIs that verify tokens.
const SKEW_SECS: i64 = 60;

/// The tenant's keys, oldest first.
pub async fn list(platform: &Platform, scope: &TenantScope) -> Result<Vec<SigningKeyRow>, OpError> {
    let tenant = scope.tenant().id;
    Ok(platform
        .db
        .run(move |conn| signing_keys::list(conn, tenant))
        .await?)
}

/// Adds a key per `alg`, signing from `now + JWKS max-age + staleness
/// bound`; the current keys of those algorithms retire once every token they
/// can still sign has expired. Returns the new keys.
pub async fn rotate(
    platform: &Platform,
    scope: &TenantScope,
    algs: Vec<SigningAlg>,
) -> Result<Vec<SigningKeyRow>, OpError> {
    let generated = tokio::task::spawn_blocking(move || {
        algs.into_iter()
            .map(GeneratedKey::generate)
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| OpError::Internal(e.to_string()))?
    .map_err(|e| OpError::Internal(e.to_string()))?;
    let tenancy = &platform.config.tenancy;
    let now = platform.clock.now_secs();
    let propagation = i64::try_from(tenancy.staleness_bound_ms.div_ceil(1000)).unwrap_or(60);
    let cache = i64::try_from(tenancy.jwks_max_age_secs).unwrap_or(i64::MAX / 4);
    let activates_at = now + cache + propagation;
    let policy = &scope.tenant().policy;
    let longest_token = policy.access_token_ttl_secs.max(policy.id_token_ttl_secs);
    let retires_at = activates_at + longest_token + SKEW_SECS;
    let tenant = scope.tenant().id;
    let kids: Vec<String> = generated
        .iter()
        .map(|key| key.kid.as_str().to_owned())
        .collect();
    let audit = {
        let (scope, kids) = (scope.clone(), kids.join(","));
        Audit::row(move |_: &Vec<SigningKeyRow>| {
            let detail = json!({ "activates_at": activates_at, "previous_retire_at": retires_at });
            scope.audit("keys.rotate", "signing_key", &kids, detail)
        })
    };
    let sealer = platform.sealer.clone();
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, now| {
            for key in &generated {
                signing_keys::retire_current(conn, tenant, key.alg, retires_at)?;
                signing_keys::insert(conn, tenant, &sealer, key, activates_at, now)?;
            }
            let rows: Vec<SigningKeyRow> = signing_keys::list(conn, tenant)?
                .into_iter()
                .filter(|r| kids.contains(&r.kid))
                .collect();
            Ok::<_, OpError>(rows)
        })
        .await
}
