//! `grant_type=refresh_token` (RFC 6749 §6, RFC 9700 §4.14.2): the token is
//! rotated on every use; a used token revokes its family. `scope` may narrow
//! the new access token, never widen it; the family keeps its scopes.

use idp::domain::client::Client;
use idp::domain::scope::OPENID;
use idp::domain::user::UserId;
use idp::grants::{self, RefreshError};
use idp::protocol::error::TokenErrorCode;
use idp::protocol::params::GrantType;

use crate::errors::TokenEndpointError;
use crate::extract::form::OAuthForm;
use crate::issue::{self, AccessGrant, SignIn, TokenResponse};
use crate::state::AppState;
use crate::tenant::{CurrentTenant, apply_locally};

fn invalid_grant() -> TokenEndpointError {
    TokenEndpointError::new(
        TokenErrorCode::InvalidGrant,
        "the refresh token is invalid, expired, revoked or was issued to another client",
    )
}

/// Rotates the refresh token and issues tokens.
pub async fn grant(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    form: &OAuthForm,
) -> Result<TokenResponse, TokenEndpointError> {
    let snapshot = &tenant.snapshot;
    let policy = &snapshot.tenant.policy;
    let platform = &state.platform;
    let tenant_id = snapshot.tenant.id;
    if !client.may_use(GrantType::RefreshToken, policy) {
        return Err(TokenEndpointError::new(
            TokenErrorCode::UnauthorizedClient,
            "this client may not use refresh tokens",
        ));
    }
    let token = form.get("refresh_token").ok_or_else(|| {
        TokenEndpointError::new(TokenErrorCode::InvalidRequest, "refresh_token is required")
    })?;
    let narrowed: Option<Vec<String>> = form
        .get("scope")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|requested| {
            let mut scopes: Vec<String> = Vec::new();
            for scope in requested.split(' ').filter(|s| !s.is_empty()) {
                if !scopes.iter().any(|s| s == scope) {
                    scopes.push(scope.to_owned());
                }
            }
            scopes
        });
    let rotated = grants::rotate(
        platform,
        tenant_id,
        policy,
        token,
        client.id.as_str(),
        narrowed.as_deref(),
    )
    .await;
    let (next, grant) = match rotated {
        Ok(rotated) => rotated,
        Err(RefreshError::Store(e)) => return Err(e.into()),
        Err(RefreshError::Reused) => {
            apply_locally(state, tenant_id).await?;
            return Err(invalid_grant());
        }
        Err(RefreshError::InvalidScope) => {
            return Err(TokenEndpointError::new(
                TokenErrorCode::InvalidScope,
                "refresh cannot add scopes to the grant",
            ));
        }
        Err(RefreshError::Invalid | RefreshError::ClientMismatch) => return Err(invalid_grant()),
    };
    let user = idp::users::find(platform, tenant_id, &UserId::new(grant.user_id.as_str())).await?;
    // An admin revocation of the user, client or tenant after this sign-in.
    let watermarked = snapshot.watermarked(
        Some(&grant.client_id),
        Some(&grant.user_id),
        grant.auth_time,
    );
    if watermarked || !user.is_some_and(|u| u.enabled) {
        grants::revoke(platform, tenant_id, policy, vec![grant.grant_id]).await?;
        apply_locally(state, tenant_id).await?;
        return Err(invalid_grant());
    }
    let scopes = narrowed.unwrap_or_else(|| grant.scopes.clone());
    let mut response = issue::access_token(
        state,
        tenant,
        client,
        AccessGrant {
            subject: &grant.user_id,
            audience: &grant.audience,
            scopes: &scopes,
            gid: Some(&grant.grant_id),
        },
    )
    .await?;
    if scopes.iter().any(|s| s == OPENID) {
        let sign_in = SignIn {
            user_id: &grant.user_id,
            auth_time: grant.auth_time,
            amr: &grant.amr,
            sid: &grant.sid,
            nonce: None,
        };
        response.id_token = Some(issue::id_token(
            state,
            tenant,
            client,
            &sign_in,
            &response.access_token,
        )?);
    }
    response.refresh_token = Some(next.expose().clone());
    Ok(response)
}
