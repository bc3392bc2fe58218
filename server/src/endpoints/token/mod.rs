//! The token endpoint (RFC 6749 §3.2): client authentication, then the grant.
//! Every response carries `Cache-Control: no-store`.
//!
//! - [`client_credentials`]: RFC 6749 §4.4 with RFC 8707 resource indicators.
//! - [`authorization_code`]: RFC 6749 §4.1.3 with PKCE, ID tokens and replay detection.
//! - [`refresh_token`]: RFC 6749 §6 with rotation and reuse detection.

pub mod authorization_code;
pub mod client_credentials;
pub mod refresh_token;

use actix_web::{HttpRequest, HttpResponse, web};
use idp::protocol::error::TokenErrorCode;

use crate::errors::TokenEndpointError;
use crate::extract::client_auth::authenticate;
use crate::extract::form::OAuthForm;
use crate::issue::TokenResponse;
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// `POST /t/{slug}/token`.
pub async fn post_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: CurrentTenant,
    form: OAuthForm,
) -> Result<HttpResponse, TokenEndpointError> {
    let caller = authenticate(&state, &tenant, &req, &form).await?;
    let client = &caller.client;
    let response = match form.get("grant_type") {
        None => {
            return Err(TokenEndpointError::new(
                TokenErrorCode::InvalidRequest,
                "grant_type is required",
            ));
        }
        Some("client_credentials") => {
            client_credentials::grant(&state, &tenant, client, &form).await?
        }
        Some("authorization_code") => {
            let result = authorization_code::grant(&state, &tenant, client, &form).await;
            counted(&state, &tenant, &caller.throttle_key, result).await?
        }
        Some("refresh_token") => {
            let result = refresh_token::grant(&state, &tenant, client, &form).await;
            counted(&state, &tenant, &caller.throttle_key, result).await?
        }
        Some(_) => {
            return Err(TokenEndpointError::new(
                TokenErrorCode::UnsupportedGrantType,
                "this grant type is not supported",
            ));
        }
    };
    Ok(response.into_response())
}

/// Counts an `invalid_grant` towards the caller's throttle, so guessing codes
/// or refresh tokens ends in 429 like guessing secrets (RFC 6819 §5.1.4.2.4).
async fn counted(
    state: &AppState,
    tenant: &CurrentTenant,
    throttle_key: &str,
    result: Result<TokenResponse, TokenEndpointError>,
) -> Result<TokenResponse, TokenEndpointError> {
    if let Err(TokenEndpointError::Protocol { error, .. }) = &result
        && error.code == TokenErrorCode::InvalidGrant
    {
        state
            .throttle
            .record_failure(&state.platform, tenant.snapshot.tenant.id, throttle_key)
            .await;
    }
    result
}
