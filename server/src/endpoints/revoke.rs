//! Token revocation (RFC 7009). The caller authenticates; it can revoke only
//! tokens issued to itself; unknown, invalid or foreign tokens get 200 and
//! change nothing (§2.2). Revocations are durable and reach every server
//! process through the change feed.

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpRequest, HttpResponse, web};
use idp::protocol::error::TokenErrorCode;

use idp::changes::Change;

use crate::actors::registry::ApplyChange;
use crate::endpoints::introspect::active_claims;
use crate::errors::{ApiError, TokenEndpointError};
use crate::extract::client_auth::authenticate;
use crate::extract::form::OAuthForm;
use crate::state::AppState;
use crate::tenant::CurrentTenant;

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
    if let Some(claims) = active_claims(&state, &tenant, token).await?
        && claims.client_id == caller.client.id.as_str()
    {
        let opaque = (!token.contains('.')).then_some(token);
        let tenant_id = tenant.snapshot.tenant.id;
        idp::tokens::revoke(&state.platform, tenant_id, claims.jti, claims.exp, opaque).await?;
        // This process drops its copy before answering, so the caller's next
        // introspection here already says inactive; others follow the feed.
        state
            .registry
            .send(ApplyChange(Change::Tenant(tenant_id)))
            .await
            .map_err(|e| ApiError::Unavailable(format!("tenant registry: {e}")))?;
    }
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish())
}
