//! Access-token issuance: RFC 9068 JWTs signed with the tenant's cached key
//! in the request task, or opaque tokens stored (as digests with their claims)
//! before the response is sent.

use actix_web::HttpResponse;
use actix_web::http::header::{CACHE_CONTROL, PRAGMA};
use idp::crypto::b64url;
use idp::domain::client::{Client, TokenFormat};
use idp::domain::token::access_token::{AccessTokenClaims, lifetime};
use idp::secret::random_bytes;
use serde::Serialize;

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
}

impl TokenResponse {
    /// The response with `Cache-Control: no-store` (RFC 6749 §5.1).
    pub fn into_response(self) -> HttpResponse {
        HttpResponse::Ok()
            .insert_header((CACHE_CONTROL, "no-store"))
            .insert_header((PRAGMA, "no-cache"))
            .json(self)
    }
}

/// Issues an access token for `subject` at `audience` with `scopes` to `client`.
pub async fn access_token(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    subject: &str,
    audience: &str,
    scopes: &[String],
) -> Result<TokenResponse, TokenEndpointError> {
    let snapshot = &tenant.snapshot;
    let platform = &state.platform;
    let now = platform.clock.now_secs();
    let ttl = lifetime(&snapshot.tenant.policy, client);
    let claims = AccessTokenClaims {
        iss: snapshot.tenant.issuer(&platform.config.http.public_url),
        sub: subject.to_owned(),
        aud: audience.to_owned(),
        exp: now + ttl,
        iat: now,
        jti: b64url(&random_bytes::<16>()),
        client_id: client.id.to_string(),
        scope: scopes.join(" "),
    };
    let access_token = match client.settings.token_format {
        TokenFormat::Jwt => {
            let alg = client
                .settings
                .access_token_alg
                .unwrap_or(snapshot.tenant.policy.access_token_alg);
            let key = snapshot
                .keys
                .signer(alg, now)
                .ok_or_else(|| ApiError::Internal(format!("tenant has no active {alg:?} key")))?;
            key.sign_jwt("at+jwt", &claims)
                .map_err(|e| ApiError::Internal(e.to_string()))?
        }
        TokenFormat::Opaque => {
            let token = b64url(&random_bytes::<32>());
            let row = idp::tokens::opaque_row(snapshot.tenant.id, &token, &claims);
            state.opaque_writer.store(row).await?;
            token
        }
    };
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: ttl,
        scope: claims.scope,
    })
}
