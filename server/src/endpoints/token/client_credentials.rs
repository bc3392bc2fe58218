//! `grant_type=client_credentials` (RFC 6749 §4.4): a token for the client
//! itself at the API `resource` selects (RFC 8707), never a refresh token.

use idp::domain::client::Client;
use idp::domain::grant::client_credentials;
use idp::domain::token::access_token::AccessGrant;
use idp::protocol::error::TokenError;

use crate::access_token;
use crate::errors::TokenEndpointError;
use crate::extract::form::OAuthForm;
use crate::issue::TokenResponse;
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// Decides and issues.
pub async fn grant(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    form: &OAuthForm,
) -> Result<TokenResponse, TokenEndpointError> {
    let snapshot = &tenant.snapshot;
    let granted = client_credentials::decide(
        &snapshot.tenant.policy,
        client,
        &snapshot.apis,
        &form.all("resource"),
        form.get("scope"),
    )
    .map_err(TokenError::from)?;
    let access = AccessGrant {
        subject: client.id.as_str(),
        audience: &granted.api.identifier,
        scopes: &granted.scopes,
        gid: None,
    };
    let issued = access_token::issue(state, tenant, client, &access).await?;
    Ok(TokenResponse::bearer(issued))
}
