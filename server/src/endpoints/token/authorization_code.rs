//! `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6, OIDC
//! Core §3.1.3). The code is taken, and its tombstone left, in one atomic
//! step before anything is checked, so a replay is recognised (even one
//! racing the redemption) for as long as the tokens it produced live. The
//! rules are `idp::domain::grant::authorization_code`'s; this handler reads,
//! decides, acts and answers.

use idp::codes;
use idp::domain::client::Client;
use idp::domain::grant::authorization_code::{self as decide, audience};
use idp::domain::token::access_token::AccessGrant;
use idp::domain::user::UserId;
use idp::ephemeral::EphemeralError;
use idp::grants::{self, UserGrant};
use idp::protocol::error::TokenError;

use crate::access_token;
use crate::errors::{ApiError, TokenEndpointError};
use crate::extract::form::OAuthForm;
use crate::issue::{self, TokenResponse};
use crate::state::AppState;
use crate::tenant::{CurrentTenant, apply_locally};

fn unavailable(e: EphemeralError) -> ApiError {
    ApiError::Unavailable(e.to_string())
}

/// Redeems the code and issues tokens.
pub async fn grant(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    form: &OAuthForm,
) -> Result<TokenResponse, TokenEndpointError> {
    let (snapshot, platform) = (&tenant.snapshot, &state.platform);
    let (tenant_id, policy) = (snapshot.tenant.id, &snapshot.tenant.policy);
    let verifier = form.get("code_verifier");
    let admitted = decide::admit(policy, client, form.get("code")).map_err(TokenError::from)?;
    let grant_id = UserGrant::new_id();
    let taken = codes::redeem(
        platform,
        tenant_id,
        admitted.code,
        &grant_id,
        admitted.tombstone_ttl,
    );
    let Some(code) = taken.await.map_err(unavailable)? else {
        return refuse(state, tenant, client, admitted.code, verifier).await;
    };
    if let Some(ttl) = admitted.shorter_tombstone(&code) {
        let shortened = codes::shorten_tombstone(platform, tenant_id, admitted.code, ttl).await;
        shortened.map_err(unavailable)?;
    }
    code.check(client.id.as_str(), form.get("redirect_uri"), verifier)
        .map_err(TokenError::from)?;
    let user = idp::users::find(platform, tenant_id, &UserId::new(code.user_id.as_str())).await?;
    let revoked = snapshot.watermarked(
        Some(client.id.as_str()),
        Some(&code.user_id),
        code.auth_time,
    );
    decide::check_user(user.is_some_and(|u| u.enabled), revoked).map_err(TokenError::from)?;
    let live = idp::sessions::is_live(platform, tenant_id, &code.session_id).await;
    decide::check_session(live.map_err(unavailable)?).map_err(TokenError::from)?;

    let userinfo = format!(
        "{}/userinfo",
        snapshot.tenant.issuer(&platform.config.http.public_url)
    );
    let aud = audience(
        &snapshot.apis,
        code.resource.as_deref(),
        &code.scopes,
        &userinfo,
    );
    decide::check_resource(&form.all("resource"), &aud).map_err(TokenError::from)?;
    let access = AccessGrant {
        subject: &code.user_id,
        audience: &aud,
        scopes: &code.scopes,
        gid: Some(&grant_id),
    };
    let issued = access_token::issue(state, tenant, client, &access).await?;
    let mut response = TokenResponse::bearer(issued);
    if code.signs_in() {
        let id_token = issue::id_token(
            state,
            tenant,
            client,
            &code.sign_in(),
            &response.access_token,
        )?;
        response.id_token = Some(id_token);
    }
    if admitted.offline(&code) {
        let user_grant = UserGrant::from_code(grant_id, client.id.as_str(), &code, aud);
        let refresh = grants::issue(platform, tenant_id, policy, &user_grant).await?;
        response.refresh_token = Some(refresh.expose().clone());
    }
    Ok(response)
}

/// Answers for a code that was not there to take. A replay that proves itself
/// revokes what the first redemption produced; one that does not revokes
/// nothing.
async fn refuse(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    code: &str,
    verifier: Option<&str>,
) -> Result<TokenResponse, TokenEndpointError> {
    let (platform, tenant_id) = (&state.platform, tenant.snapshot.tenant.id);
    let tomb = codes::tombstone(platform, tenant_id, code)
        .await
        .map_err(unavailable)?;
    let refusal = decide::refuse(tomb.as_ref(), client.id.as_str(), verifier);
    if let Some(grant_id) = refusal.revoke {
        let policy = &tenant.snapshot.tenant.policy;
        grants::revoke(platform, tenant_id, policy, vec![grant_id.to_owned()]).await?;
        apply_locally(state, tenant_id).await?;
    }
    Err(TokenError::from(refusal.error).into())
}
