//! `grant_type=refresh_token` (RFC 6749 §6, RFC 9700 §4.14.2): the token is
//! rotated on every use; a used token revokes its family. The rules are
//! `idp::domain::grant::refresh_token`'s (the rotation itself is one
//! conditional update in `idp::grants`); this handler reads, decides, acts
//! and answers.

use idp::domain::client::Client;
use idp::domain::grant::refresh_token::{self as decide, RefreshTokenError};
use idp::domain::scope::OPENID;
use idp::domain::token::access_token::AccessGrant;
use idp::domain::user::UserId;
use idp::grants::{self, RefreshError};
use idp::protocol::error::TokenError;

use crate::access_token;
use crate::errors::TokenEndpointError;
use crate::extract::form::OAuthForm;
use crate::issue::{self, TokenResponse};
use crate::state::AppState;
use crate::tenant::{CurrentTenant, apply_locally};

/// Rotates the refresh token and issues tokens.
pub async fn grant(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    form: &OAuthForm,
) -> Result<TokenResponse, TokenEndpointError> {
    let (snapshot, platform) = (&tenant.snapshot, &state.platform);
    let (tenant_id, policy) = (snapshot.tenant.id, &snapshot.tenant.policy);
    let admitted = decide::admit(policy, client, form.get("refresh_token"), form.get("scope"))
        .map_err(TokenError::from)?;
    let requested = admitted.requested.as_deref();
    let resources = form.all("resource");
    let rotated = grants::rotate(
        platform,
        tenant_id,
        policy,
        admitted.token,
        client.id.as_str(),
        requested,
        &resources,
    );
    let (next, grant) = match rotated.await {
        Ok(rotated) => rotated,
        Err(RefreshError::Store(e)) => return Err(e.into()),
        Err(RefreshError::Refused(refused)) => {
            if refused == RefreshTokenError::Reused {
                // The family is revoked: this process stops honouring it now.
                apply_locally(state, tenant_id).await?;
            }
            return Err(TokenError::from(refused).into());
        }
    };
    let user = idp::users::find(platform, tenant_id, &UserId::new(grant.user_id.as_str())).await?;
    let revoked = snapshot.watermarked(
        Some(&grant.client_id),
        Some(&grant.user_id),
        grant.auth_time,
    );
    if let Err(refused) = decide::check_user(user.is_some_and(|u| u.enabled), revoked) {
        grants::revoke(platform, tenant_id, policy, vec![grant.grant_id]).await?;
        apply_locally(state, tenant_id).await?;
        return Err(TokenError::from(refused).into());
    }

    let scopes = admitted.requested.unwrap_or_else(|| grant.scopes.clone());
    let access = AccessGrant {
        subject: &grant.user_id,
        audience: &grant.audience,
        scopes: &scopes,
        gid: Some(&grant.grant_id),
    };
    let issued = access_token::issue(state, tenant, client, &access).await?;
    let mut response = TokenResponse::bearer(issued);
    if scopes.iter().any(|s| s == OPENID) {
        let id_token = issue::id_token(
            state,
            tenant,
            client,
            &grant.sign_in(),
            &response.access_token,
        )?;
        response.id_token = Some(id_token);
    }
    response.refresh_token = Some(next.expose().clone());
    Ok(response)
}
