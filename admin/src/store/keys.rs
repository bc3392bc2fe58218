//! Signing keys: list and rotate with overlap.

use diesel::prelude::*;
use idp::crypto::keys::{GeneratedKey, SigningAlg};
use idp::platform::Platform;
use idp::store::StoreError;
use idp::store::models::signing_key::SigningKeyRow;
use idp::store::queries::{signing_keys, tenants};
use idp::store::schema::signing_keys::dsl;
use serde_json::json;

use crate::errors::AdminError;
use crate::scope::TenantScope;

/// Seconds added to a retiring key's life for clock skew between processes
/// and the APIs that verify tokens.
const SKEW_SECS: i64 = 60;

/// The tenant's keys, oldest first.
pub async fn list(
    platform: &Platform,
    scope: &TenantScope,
) -> Result<Vec<SigningKeyRow>, AdminError> {
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
) -> Result<Vec<SigningKeyRow>, AdminError> {
    let generated = tokio::task::spawn_blocking(move || {
        algs.into_iter()
            .map(GeneratedKey::generate)
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| AdminError::Internal(e.to_string()))?
    .map_err(|e| AdminError::Internal(e.to_string()))?;
    let tenancy = &platform.config.tenancy;
    let now = platform.clock.now_secs();
    let propagation = i64::try_from(tenancy.staleness_bound_ms.div_ceil(1000)).unwrap_or(60);
    let cache = i64::try_from(tenancy.jwks_max_age_secs).unwrap_or(i64::MAX / 4);
    let activates_at = now + cache + propagation;
    let policy = &scope.tenant().policy;
    let longest_token = policy.access_token_ttl_secs.max(policy.id_token_ttl_secs);
    let retires_at = activates_at + longest_token + SKEW_SECS;
    let tenant = scope.tenant().id;
    let (sealer, audit_scope) = (platform.sealer.clone(), scope.clone());
    let rows = platform
        .db
        .transaction_or(move |conn| {
            let mut kids = Vec::new();
            for key in &generated {
                diesel::update(
                    dsl::signing_keys
                        .filter(dsl::tenant_id.eq(tenant.to_string()))
                        .filter(dsl::alg.eq(key.alg.as_str()))
                        .filter(dsl::retires_at.is_null()),
                )
                .set(dsl::retires_at.eq(Some(retires_at)))
                .execute(conn)
                .map_err(StoreError::from)?;
                signing_keys::insert(conn, tenant, &sealer, key, activates_at, now)?;
                kids.push(key.kid.as_str().to_owned());
            }
            tenants::touch(conn, tenant, now)?;
            let record = audit_scope.audit(
                "keys.rotate",
                "signing_key",
                &kids.join(","),
                json!({ "activates_at": activates_at, "previous_retire_at": retires_at }),
                now,
            );
            super::audit(conn, &record)?;
            let rows: Vec<SigningKeyRow> = signing_keys::list(conn, tenant)?
                .into_iter()
                .filter(|r| kids.contains(&r.kid))
                .collect();
            Ok::<_, AdminError>(rows)
        })
        .await??;
    idp::changes::announce(platform, tenant).await;
    Ok(rows)
}
