//! Who is at the browser: the tenant's SSO session behind the cookie, and the
//! `id_token_hint` a client sent, verified against the tenant's keys.

use actix_web::HttpRequest;
use idp::domain::authorize::AuthorizationRequest;
use idp::domain::authorize::step::Hint;
use idp::domain::token::id_token::IdTokenClaims;
use idp::sessions::Session;

use crate::hosted::cookies::cookie_policy;
use crate::hosted::error::PageError;
use crate::hosted::urls::issuer;
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// The live SSO session of this tenant in `req`, with its cookie value.
pub async fn current_session(
    state: &AppState,
    tenant: &CurrentTenant,
    req: &HttpRequest,
) -> Result<Option<(String, Session)>, PageError> {
    let name = cookie_policy(state).session_name(&tenant.snapshot.tenant.slug);
    let Some(cookie) = req.cookie(&name).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    let session = crate::sso::resume(tenant, &cookie).await?;
    Ok(session.map(|s| (cookie, s)))
}

/// The claims of `hint` when it is an ID token this tenant signed (expired
/// ones included, OIDC Core §3.1.2.1; never an access token).
pub fn verified_id_token(
    state: &AppState,
    tenant: &CurrentTenant,
    hint: &str,
) -> Option<IdTokenClaims> {
    let now = state.platform.clock.now_secs();
    let verified = idp::crypto::jwt::verify::<IdTokenClaims>(&tenant.snapshot.keys, hint, now)?;
    (verified.typ.as_deref() != Some("at+jwt") && verified.claims.iss == issuer(state, tenant))
        .then_some(verified.claims)
}

/// The request's `id_token_hint`, verified.
pub fn hint(state: &AppState, tenant: &CurrentTenant, request: &AuthorizationRequest) -> Hint {
    match &request.id_token_hint {
        None => Hint::Absent,
        Some(token) => verified_id_token(state, tenant, token)
            .map_or(Hint::Invalid, |claims| Hint::Subject(claims.sub)),
    }
}
