//! Queries on `signing_keys`. Private keys are sealed on the way in and opened
//! on the way out, bound to `{tenant}/{kid}`.

use std::sync::Arc;

use diesel::prelude::*;

use crate::crypto::at_rest::Sealer;
use crate::crypto::jwk::PublicJwk;
use crate::crypto::keys::{GeneratedKey, KeyRing, SigningAlg, SigningKey};
use crate::ids::TenantId;
use crate::store::models::signing_key::SigningKeyRow;
use crate::store::schema::signing_keys::dsl;
use crate::store::{DbConnection, StoreError};

fn seal_context(tenant: TenantId, kid: &str) -> Vec<u8> {
    format!("{tenant}/{kid}").into_bytes()
}

/// Stores `key`, sealed, for `tenant`, signing from `activates_at`.
pub fn insert(
    conn: &mut DbConnection,
    tenant: TenantId,
    sealer: &Sealer,
    key: &GeneratedKey,
    activates_at: i64,
    now: i64,
) -> Result<(), StoreError> {
    let kid = key.kid.as_str();
    let public_jwk =
        serde_json::to_string(&key.public).map_err(|e| StoreError::Other(e.to_string()))?;
    diesel::insert_into(dsl::signing_keys)
        .values(SigningKeyRow {
            tenant_id: tenant.to_string(),
            kid: kid.to_owned(),
            alg: key.alg.as_str().to_owned(),
            public_jwk,
            private_key: sealer.seal(key.pkcs8.expose(), &seal_context(tenant, kid)),
            activates_at,
            retires_at: None,
            created_at: now,
        })
        .execute(conn)?;
    Ok(())
}

/// The tenant's stored rows, oldest first (ties by key id, so the order is stable).
pub fn list(conn: &mut DbConnection, tenant: TenantId) -> Result<Vec<SigningKeyRow>, StoreError> {
    Ok(dsl::signing_keys
        .filter(dsl::tenant_id.eq(tenant.to_string()))
        .order((dsl::created_at.asc(), dsl::kid.asc()))
        .select(SigningKeyRow::as_select())
        .load(conn)?)
}

/// Opens and parses every key of the tenant once, into a shareable ring.
/// When `known` holds exactly the stored keys (same ids and schedule) it is
/// returned as is: a tenant reloaded for another change costs no decryption
/// or key parsing.
pub fn load_ring(
    conn: &mut DbConnection,
    tenant: TenantId,
    sealer: &Sealer,
    known: Option<Arc<KeyRing>>,
) -> Result<Arc<KeyRing>, StoreError> {
    let rows = list(conn, tenant)?;
    if let Some(known) = known {
        let stored: Vec<(&str, i64, Option<i64>)> = rows
            .iter()
            .map(|r| (r.kid.as_str(), r.activates_at, r.retires_at))
            .collect();
        if known.schedule() == stored {
            return Ok(known);
        }
    }
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        let corrupt = |what: &str| StoreError::Corrupt(format!("key {}: {what}", row.kid));
        let alg = SigningAlg::parse(&row.alg).ok_or_else(|| corrupt("algorithm"))?;
        let pkcs8 = sealer
            .open(&row.private_key, &seal_context(tenant, &row.kid))
            .map_err(|_| corrupt("sealed private key does not open"))?;
        let key = SigningKey::from_pkcs8(alg, pkcs8.expose(), row.activates_at, row.retires_at)
            .map_err(|_| corrupt("private key"))?;
        let stored: PublicJwk =
            serde_json::from_str(&row.public_jwk).map_err(|_| corrupt("public key"))?;
        if key.kid.as_str() != row.kid || key.public != stored {
            return Err(corrupt("public and private halves differ"));
        }
        keys.push(key);
    }
    Ok(Arc::new(KeyRing::new(keys)))
}

/// (tenant id, key id, sealed private key) of every tenant's keys, newest
/// first, at most `limit` of them: for the start-up checks of the master key.
pub fn sealed(
    conn: &mut DbConnection,
    limit: Option<i64>,
) -> Result<Vec<(String, String, Vec<u8>)>, StoreError> {
    let query = dsl::signing_keys
        .order((dsl::created_at.desc(), dsl::kid.asc()))
        .select((dsl::tenant_id, dsl::kid, dsl::private_key));
    Ok(match limit {
        Some(limit) => query.limit(limit).load(conn)?,
        None => query.load(conn)?,
    })
}

/// Seals again, under the current at-rest key, every private key of every
/// tenant still sealed under the master key itself (the one-time subkey
/// upgrade). A key that does not open under this master key is left as it
/// is and counted apart: it was sealed by another master key.
pub fn reseal_legacy(
    conn: &mut DbConnection,
    sealer: &Sealer,
) -> Result<(usize, usize), StoreError> {
    let rows = sealed(conn, None)?;
    let (mut resealed, mut foreign) = (0, 0);
    for (tenant, kid, sealed) in rows {
        if Sealer::is_current(&sealed) {
            continue;
        }
        let context = format!("{tenant}/{kid}").into_bytes();
        let Ok(plain) = sealer.open(&sealed, &context) else {
            foreign += 1;
            continue;
        };
        diesel::update(
            dsl::signing_keys
                .filter(dsl::tenant_id.eq(&tenant))
                .filter(dsl::kid.eq(&kid)),
        )
        .set(dsl::private_key.eq(sealer.seal(plain.expose(), &context)))
        .execute(conn)?;
        resealed += 1;
    }
    Ok((resealed, foreign))
}

/// Sets when the tenant's current keys of `alg` (those not yet retiring)
/// retire.
pub fn retire_current(
    conn: &mut DbConnection,
    tenant: TenantId,
    alg: SigningAlg,
    retires_at: i64,
) -> Result<(), StoreError> {
    diesel::update(
        dsl::signing_keys
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::alg.eq(alg.as_str()))
            .filter(dsl::retires_at.is_null()),
    )
    .set(dsl::retires_at.eq(Some(retires_at)))
    .execute(conn)?;
    Ok(())
}
