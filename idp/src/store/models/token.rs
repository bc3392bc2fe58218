//! Rows of `opaque_tokens` and `revoked_tokens`.

use diesel::prelude::*;

use crate::store::schema::{opaque_tokens, revoked_tokens};

/// An opaque access token, by digest, with its claims.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = opaque_tokens)]
pub struct OpaqueTokenRow {
    /// Owner.
    pub tenant_id: String,
    /// SHA-256 of the token.
    pub digest: Vec<u8>,
    /// Token id.
    pub jti: String,
    /// Client it was issued to.
    pub client_id: String,
    /// Subject.
    pub subject: String,
    /// Audience.
    pub audience: String,
    /// Scopes, space-separated.
    pub scope: String,
    /// Unix seconds.
    pub issued_at: i64,
    /// Unix seconds.
    pub expires_at: i64,
    /// Revoked flag.
    pub revoked: bool,
}

/// A revoked token id.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = revoked_tokens)]
pub struct RevokedTokenRow {
    /// Owner.
    pub tenant_id: String,
    /// Token id.
    pub jti: String,
    /// When the token would have expired; the row is purged after.
    pub expires_at: i64,
    /// Unix seconds.
    pub revoked_at: i64,
}
