//! The token endpoint (RFC 6749 §3.2): client authentication, then the grant.
//! Implemented grants: `client_credentials` (RFC 6749 §4.4) with RFC 8707
//! resource indicators. Every response carries `Cache-Control: no-store`.

use actix_web::{HttpRequest, HttpResponse, web};
use idp::domain::grant::client_credentials;
use idp::protocol::error::{TokenError, TokenErrorCode};

use crate::errors::TokenEndpointError;
use crate::extract::client_auth::authenticate;
use crate::extract::form::OAuthForm;
use crate::issue;
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
    match form.get("grant_type") {
        None => Err(TokenEndpointError::new(
            TokenErrorCode::InvalidRequest,
            "grant_type is required",
        )),
        Some("client_credentials") => {
            let snapshot = &tenant.snapshot;
            let granted = client_credentials::decide(
                &snapshot.tenant.policy,
                &caller.client,
                &snapshot.apis,
                &form.all("resource"),
                form.get("scope"),
            )
            .map_err(TokenError::from)?;
            let response = issue::access_token(
                &state,
                &tenant,
                &caller.client,
                caller.client.id.as_str(),
                &granted.api.identifier,
                &granted.scopes,
            )
            .await?;
            Ok(response.into_response())
        }
        Some(_) => Err(TokenEndpointError::new(
            TokenErrorCode::UnsupportedGrantType,
            "this grant type is not supported",
        )),
    }
}
