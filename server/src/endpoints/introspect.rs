//! Token introspection (RFC 7662). Callers authenticate as a confidential
//! client of the same tenant. An active token gives its claims; anything else
//! (expired, revoked, malformed, another tenant's) gives exactly
//! `{"active":false}` (§2.2). [`crate::access_token::check`] decides.

use actix_web::http::header::{CACHE_CONTROL, PRAGMA};
use actix_web::{HttpRequest, HttpResponse, web};
use idp::domain::token::access_token::AccessTokenClaims;
use idp::protocol::error::TokenErrorCode;
use serde::Serialize;

use crate::access_token;
use crate::errors::TokenEndpointError;
use crate::extract::client_auth::authenticate;
use crate::extract::form::OAuthForm;
use crate::state::AppState;
use crate::tenant::CurrentTenant;

#[derive(Serialize)]
struct Active<'a> {
    active: bool,
    #[serde(flatten)]
    claims: &'a AccessTokenClaims,
    token_type: &'static str,
}

/// `POST /t/{slug}/introspect`.
pub async fn post_introspect(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: CurrentTenant,
    form: OAuthForm,
) -> Result<HttpResponse, TokenEndpointError> {
    let caller = authenticate(&state, &tenant, &req, &form).await?;
    if !caller.client.confidential {
        return Err(TokenEndpointError::new(
            TokenErrorCode::InvalidClient,
            "introspection needs a confidential client",
        ));
    }
    let token = form.get("token").ok_or_else(|| {
        TokenEndpointError::new(TokenErrorCode::InvalidRequest, "token is required")
    })?;
    let claims = access_token::check(&state, &tenant, token).await?;
    let mut response = HttpResponse::Ok();
    response
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((PRAGMA, "no-cache"));
    Ok(match claims {
        Some(claims) => response.json(Active {
            active: true,
            claims: &claims,
            token_type: "Bearer",
        }),
        None => response.json(serde_json::json!({ "active": false })),
    })
}
