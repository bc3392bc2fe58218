//! Token revocation (RFC 7009). The caller authenticates; it can revoke only
//! tokens issued to itself; unknown, invalid or foreign tokens get 200 and
//! change nothing (§2.2). Revoking a refresh token revokes its grant, the
//! access tokens issued from it included (§2.1). Revocations are durable and reach every server
//! process through the change feed.

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpRequest, HttpResponse, web};
use idp::protocol::error::TokenErrorCode;

use crate::access_token;
use crate::errors::TokenEndpointError;
use crate::extract::client_auth::authenticate;
use crate::extract::form::OAuthForm;
use crate::state::AppState;
use crate::tenant::{CurrentTenant, apply_locally};

/// `POST /t/{slug}/revoke`.
pub async fn post_revoke(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: CurrentTenant,
    form: OAuthForm,
) -> Result<HttpResponse, TokenEndpointError> {
    let caller = authenticate(&state, &tenant, &req, &form).await?;
    let token = form.get("token").ok_or_else(|| {
        TokenEndpointError::new(TokenErrorCode::InvalidRequest, "token is required")
    })?;
    if let Some(claims) = access_token::check(&state, &tenant, token).await?
        && claims.client_id == caller.client.id.as_str()
    {
        let opaque = (!access_token::is_jwt(token)).then_some(token);
        let tenant_id = tenant.snapshot.tenant.id;
        idp::tokens::revoke(&state.platform, tenant_id, claims.jti, claims.exp, opaque).await?;
        // This process drops its copy before answering, so the caller's next
        // introspection here already says inactive; others follow the feed.
        apply_locally(&state, tenant_id).await?;
    } else if let Some(grant) =
        idp::grants::find_live(&state.platform, tenant.snapshot.tenant.id, token).await?
        && grant.client_id == caller.client.id.as_str()
    {
        // A refresh token: its whole grant goes, access tokens included.
        let tenant_id = tenant.snapshot.tenant.id;
        let policy = &tenant.snapshot.tenant.policy;
        idp::grants::revoke(&state.platform, tenant_id, policy, vec![grant.grant_id]).await?;
        apply_locally(&state, tenant_id).await?;
    }
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish())
}
