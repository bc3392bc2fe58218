//! Rows of `opaque_tokens`, `refresh_tokens` and `revoked_tokens`.

use diesel::prelude::*;

use crate::store::schema::{opaque_tokens, refresh_tokens, revoked_tokens};

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
    /// The grant (refresh family) it was issued from, for user tokens.
    pub grant_id: Option<String>,
}

/// A refresh token, by digest, with what it grants.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    /// Owner.
    pub tenant_id: String,
    /// SHA-256 of the token.
    pub digest: Vec<u8>,
    /// The family: every token rotated from one code redemption.
    pub grant_id: String,
    /// Client it was issued to.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// The SSO session's public id (`sid`), for logout.
    pub session_id: String,
    /// Granted scopes, space-separated (never widened).
    pub scope: String,
    /// Audience of the access tokens it yields.
    pub audience: String,
    /// When the user authenticated.
    pub auth_time: i64,
    /// Authentication methods, space-separated.
    pub amr: String,
    /// Unix seconds.
    pub issued_at: i64,
    /// Idle expiry, unix seconds.
    pub expires_at: i64,
    /// Absolute expiry of the family, unix seconds.
    pub family_expires_at: i64,
    /// When it was rotated; a second use is reuse.
    pub used_at: Option<i64>,
    /// Revoked with its family.
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
