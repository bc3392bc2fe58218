//! `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC
//! Core §3.1.3). The code is taken, and its tombstone left, in one atomic
//! step before anything is checked, so a replay is recognised (even one
//! racing the redemption) for as long as the tokens it produced live. A
//! replay that proves itself (the same client, the right verifier) revokes
//! those tokens; one that does not revokes nothing.

use idp::codes;
use idp::domain::client::Client;
use idp::domain::grant::authorization_code::{audience, proves};
use idp::domain::scope::{OFFLINE_ACCESS, OPENID};
use idp::domain::token::access_token::lifetime;
use idp::domain::user::UserId;
use idp::grants::{self, UserGrant};
use idp::protocol::error::TokenErrorCode;
use idp::protocol::params::GrantType;

use crate::errors::{ApiError, TokenEndpointError};
use crate::extract::form::OAuthForm;
use crate::issue::{self, AccessGrant, SignIn, TokenResponse};
use crate::state::AppState;
use crate::tenant::{CurrentTenant, apply_locally};

fn invalid_grant() -> TokenEndpointError {
    TokenEndpointError::new(
        TokenErrorCode::InvalidGrant,
        "the code is invalid, expired, already used, or was issued for another request",
    )
}

/// Redeems the code and issues tokens.
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
    if !client.may_use(GrantType::AuthorizationCode, policy) {
        return Err(TokenEndpointError::new(
            TokenErrorCode::UnauthorizedClient,
            "this client may not use the authorization code grant",
        ));
    }
    let code = form.get("code").ok_or_else(|| {
        TokenEndpointError::new(TokenErrorCode::InvalidRequest, "code is required")
    })?;
    let verifier = form.get("code_verifier");
    let unavailable = |e: idp::ephemeral::EphemeralError| ApiError::Unavailable(e.to_string());
    let grant_id = UserGrant::new_id();
    let may_refresh = client.may_use(GrantType::RefreshToken, policy);
    let access_ttl = lifetime(policy, client);
    // The tombstone must outlive every token the redemption may produce; it
    // is shortened below when no refresh token is issued.
    let tomb_ttl = if may_refresh {
        policy.refresh_absolute_ttl_secs.max(access_ttl)
    } else {
        access_ttl
    };
    let Some(grant) = codes::redeem(platform, tenant_id, code, &grant_id, tomb_ttl)
        .await
        .map_err(unavailable)?
    else {
        if let Some(tomb) = codes::tombstone(platform, tenant_id, code)
            .await
            .map_err(unavailable)?
            && tomb.client_id == client.id.as_str()
            && proves(tomb.code_challenge.as_deref(), verifier)
        {
            grants::revoke(platform, tenant_id, policy, vec![tomb.grant_id]).await?;
            apply_locally(state, tenant_id).await?;
        }
        return Err(invalid_grant());
    };
    let offline = may_refresh && grant.scopes.iter().any(|s| s == OFFLINE_ACCESS);
    if may_refresh && !offline {
        codes::shorten_tombstone(platform, tenant_id, code, access_ttl)
            .await
            .map_err(unavailable)?;
    }
    grant
        .check(client.id.as_str(), form.get("redirect_uri"), verifier)
        .map_err(|_| invalid_grant())?;
    let user = idp::users::find(platform, tenant_id, &UserId::new(grant.user_id.as_str())).await?;
    if !user.is_some_and(|u| u.enabled)
        || snapshot.watermarked(
            Some(client.id.as_str()),
            Some(&grant.user_id),
            grant.auth_time,
        )
    {
        return Err(invalid_grant());
    }
    // A code minted before its session ended (logout) yields nothing: the
    // logout already revoked what the session held.
    if !idp::sessions::is_live(platform, tenant_id, &grant.session_id)
        .await
        .map_err(unavailable)?
    {
        return Err(invalid_grant());
    }
    let userinfo = format!(
        "{}/userinfo",
        snapshot.tenant.issuer(&platform.config.http.public_url)
    );
    let aud = audience(&snapshot.apis, &grant.scopes, &userinfo);
    let mut response = issue::access_token(
        state,
        tenant,
        client,
        AccessGrant {
            subject: &grant.user_id,
            audience: &aud,
            scopes: &grant.scopes,
            gid: Some(&grant_id),
        },
    )
    .await?;
    if grant.scopes.iter().any(|s| s == OPENID) {
        let sign_in = SignIn {
            user_id: &grant.user_id,
            auth_time: grant.auth_time,
            amr: &grant.amr,
            sid: &grant.session_id,
            nonce: grant.nonce.as_deref(),
        };
        response.id_token = Some(issue::id_token(
            state,
            tenant,
            client,
            &sign_in,
            &response.access_token,
        )?);
    }
    if offline {
        let user_grant = UserGrant {
            grant_id,
            client_id: client.id.to_string(),
            user_id: grant.user_id.clone(),
            sid: grant.session_id.clone(),
            scopes: grant.scopes.clone(),
            audience: aud,
            auth_time: grant.auth_time,
            amr: grant.amr.clone(),
        };
        let refresh = grants::issue(platform, tenant_id, policy, &user_grant).await?;
        response.refresh_token = Some(refresh.expose().clone());
    }
    Ok(response)
}
