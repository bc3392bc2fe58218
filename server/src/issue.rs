//! Token issuance: RFC 9068 access-token JWTs signed with the tenant's cached
//! key in the request task, or opaque tokens stored (as digests with their
//! claims) before the response is sent; and OIDC ID tokens.

use actix_web::HttpResponse;
use actix_web::http::header::{CACHE_CONTROL, PRAGMA};
use idp::crypto::b64url;
use idp::domain::client::{Client, TokenFormat};
use idp::domain::token::access_token::{AccessTokenClaims, lifetime};
use idp::domain::token::id_token::{IdTokenClaims, at_hash};
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
    /// OIDC ID token, for `openid` requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// The next refresh token of the grant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
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

/// What an access token is for.
pub struct AccessGrant<'a> {
    /// `sub`: the user, or the client itself.
    pub subject: &'a str,
    /// `aud`.
    pub audience: &'a str,
    /// Scopes.
    pub scopes: &'a [String],
    /// The user grant it belongs to, if any.
    pub gid: Option<&'a str>,
}

/// Issues an access token for `grant` to `client`.
pub async fn access_token(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    grant: AccessGrant<'_>,
) -> Result<TokenResponse, TokenEndpointError> {
    let AccessGrant {
        subject,
        audience,
        scopes,
        gid,
    } = grant;
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
        gid: gid.map(str::to_owned),
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
        id_token: None,
        refresh_token: None,
    })
}

/// What an ID token says about the sign-in.
pub struct SignIn<'a> {
    /// The user.
    pub user_id: &'a str,
    /// When they authenticated.
    pub auth_time: i64,
    /// How (RFC 8176).
    pub amr: &'a [String],
    /// The session's public id.
    pub sid: &'a str,
    /// The authorization request's `nonce`.
    pub nonce: Option<&'a str>,
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
    let claims = IdTokenClaims {
        iss: snapshot.tenant.issuer(&platform.config.http.public_url),
        sub: sign_in.user_id.to_owned(),
        aud: client.id.to_string(),
        azp: client.id.to_string(),
        exp: now + snapshot.tenant.policy.id_token_ttl_secs,
        iat: now,
        auth_time: sign_in.auth_time,
        nonce: sign_in.nonce.map(str::to_owned),
        at_hash: Some(at_hash(access_token)),
        acr: "1".to_owned(),
        amr: sign_in.amr.to_vec(),
        sid: sign_in.sid.to_owned(),
    };
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
