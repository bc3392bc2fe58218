//! Rows of `signing_keys`.

use diesel::prelude::*;

use crate::store::schema::signing_keys;

/// A stored key; `private_key` is sealed.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_keys)]
pub struct SigningKeyRow {
    /// Owner.
    pub tenant_id: String,
    /// RFC 7638 thumbprint.
    pub kid: String,
    /// JOSE algorithm name.
    pub alg: String,
    /// Public JWK JSON.
    pub public_jwk: String,
    /// Sealed PKCS#8.
    pub private_key: Vec<u8>,
    /// Unix seconds from which it signs.
    pub activates_at: i64,
    /// Unix seconds after which it is unpublished.
    pub retires_at: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
}
