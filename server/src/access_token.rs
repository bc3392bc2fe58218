//! Access tokens, issued and checked in one place. Issued: RFC 9068 JWTs
//! signed with the tenant's cached key in the request task, or opaque tokens
//! stored (as digests with their claims) before the response is sent.
//! Checked: whether a presented token is an active access token of this
//! tenant (RFC 7662 §2.2), for introspection, userinfo and revocation; JWTs
//! against the cached key ring and revocation list, with no database round
//! trip. The claims themselves are `idp::domain::token::access_token`'s.

use idp::crypto::b64url;
use idp::domain::client::{Client, TokenFormat};
use idp::domain::token::access_token::{AccessGrant, AccessTokenClaims, lifetime};
use idp::secret::random_bytes;

use crate::errors::{ApiError, TokenEndpointError};
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// An issued access token.
#[derive(Debug)]
pub struct Issued {
    /// The token as the client receives it.
    pub token: String,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// Its space-separated scopes.
    pub scope: String,
}

/// Issues an access token for `grant` to `client`.
pub async fn issue(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    grant: &AccessGrant<'_>,
) -> Result<Issued, TokenEndpointError> {
    let snapshot = &tenant.snapshot;
    let platform = &state.platform;
    let now = platform.clock.now_secs();
    let ttl = lifetime(&snapshot.tenant.policy, client);
    let issuer = snapshot.tenant.issuer(&platform.config.http.public_url);
    let claims = AccessTokenClaims::new(issuer, client.id.as_str(), grant, now, ttl);
    let token = match client.settings.token_format {
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
    Ok(Issued {
        token,
        expires_in: ttl,
        scope: claims.scope,
    })
}

/// The claims of `token` if it is an active access token of this tenant.
pub async fn check(
    state: &AppState,
    tenant: &CurrentTenant,
    token: &str,
) -> Result<Option<AccessTokenClaims>, ApiError> {
    let snapshot = &tenant.snapshot;
    let now = state.platform.clock.now_secs();
    let issuer = snapshot
        .tenant
        .issuer(&state.platform.config.http.public_url);
    let found = if is_jwt(token) {
        idp::crypto::jwt::verify::<AccessTokenClaims>(&snapshot.keys, token, now)
            .filter(|jwt| jwt.typ.as_deref() == Some("at+jwt"))
            .map(|jwt| (jwt.claims, false))
    } else {
        idp::tokens::find_opaque(&state.platform, snapshot.tenant.id, token, issuer.clone()).await?
    };
    Ok(found.and_then(|(claims, revoked)| {
        let active =
            !revoked && claims.is_active(&issuer, now, &snapshot.revoked, &snapshot.watermarks);
        active.then_some(claims)
    }))
}

/// Whether `token` has the shape of a JWT (an opaque token has no dots).
pub fn is_jwt(token: &str) -> bool {
    token.contains('.')
}
