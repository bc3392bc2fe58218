//! Signing keys: list (public material only) and rotate with overlap.

pub mod list;
pub mod rotate;

use idp::store::models::signing_key::SigningKeyRow;
use serde::Serialize;
use utoipa::ToSchema;

/// A signing key, public half only.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    /// Key id (RFC 7638 thumbprint).
    pub kid: String,
    /// `RS256` or `ES256`.
    pub alg: String,
    /// When it starts signing (unix seconds); it is published from creation.
    pub activates_at: i64,
    /// When it leaves the JWKS, once rotated out.
    pub retires_at: Option<i64>,
    /// The public JWK.
    #[schema(value_type = Object)]
    pub public_jwk: serde_json::Value,
}

impl From<&SigningKeyRow> for KeyView {
    fn from(row: &SigningKeyRow) -> Self {
        Self {
            kid: row.kid.clone(),
            alg: row.alg.clone(),
            activates_at: row.activates_at,
            retires_at: row.retires_at,
            public_jwk: serde_json::from_str(&row.public_jwk).unwrap_or_default(),
        }
    }
}
