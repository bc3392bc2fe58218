//! What the token endpoint hands out besides the access token (which
//! [`crate::access_token`] issues): the RFC 6749 §5.1 response and OIDC ID
//! tokens, signed with the tenant's cached key in the request task.

use actix_web::HttpResponse;
use actix_web::http::header::{CACHE_CONTROL, PRAGMA};
use idp::domain::client::Client;
use idp::domain::token::id_token::{IdTokenClaims, SignIn};
use serde::Serialize;

use crate::access_token::Issued;
use crate::errors::{ApiError, TokenEndpointError};
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// RFC 6749 §5.1 successful response.
#[derive(Serialize)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: String,
    /// Always `Bearer` (RFC 6750).
    pub token_type: &'static str,
    /// Seconds until expiry.
    pub expires_in: i64,
    /// Granted scopes.
    pub scope: String,
    /// OIDC ID token, for `openid` requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// The next refresh token of the grant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

impl TokenResponse {
    /// The response carrying the access token `issued`.
    pub fn bearer(issued: Issued) -> Self {
        Self {
            access_token: issued.token,
            token_type: "Bearer",
            expires_in: issued.expires_in,
            scope: issued.scope,
            id_token: None,
            refresh_token: None,
        }
    }

    /// The response with `Cache-Control: no-store` (RFC 6749 §5.1).
    pub fn into_response(self) -> HttpResponse {
        HttpResponse::Ok()
            .insert_header((CACHE_CONTROL, "no-store"))
            .insert_header((PRAGMA, "no-cache"))
            .json(self)
    }
}

/// Signs an ID token for `client` (RS256 unless the client or tenant chose
/// otherwise), bound to `access_token` by `at_hash`.
pub fn id_token(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    sign_in: &SignIn<'_>,
    access_token: &str,
) -> Result<String, TokenEndpointError> {
    let snapshot = &tenant.snapshot;
    let platform = &state.platform;
    let now = platform.clock.now_secs();
    let claims = IdTokenClaims::new(
        snapshot.tenant.issuer(&platform.config.http.public_url),
        client.id.as_str(),
        sign_in,
        access_token,
        now,
        snapshot.tenant.policy.id_token_ttl_secs,
    );
    let alg = client
        .settings
        .id_token_alg
        .unwrap_or(snapshot.tenant.policy.id_token_alg);
    let key = snapshot
        .keys
        .signer(alg, now)
        .ok_or_else(|| ApiError::Internal(format!("tenant has no active {alg:?} key")))?;
    Ok(key
        .sign_jwt("JWT", &claims)
        .map_err(|e| ApiError::Internal(e.to_string()))?)
}
