//! The UserInfo endpoint (OIDC Core §5.3), GET and POST. The access token
//! comes only in the `Authorization: Bearer` header ([`bearer_token`]) and is
//! checked by [`access_token::check`]; the claims released per granted scope
//! are `idp::domain::token::userinfo`'s. Errors are RFC 6750 §3 shaped
//! ([`BearerError`]).

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpRequest, HttpResponse, web};
use idp::domain::scope::OPENID;
pub use idp::domain::token::userinfo::release;
use idp::domain::user::UserId;

use crate::access_token;
use crate::errors::BearerError;
use crate::extract::bearer::bearer_token;
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// `GET` or `POST /t/{slug}/userinfo`.
pub async fn userinfo(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: CurrentTenant,
    body: web::Bytes,
) -> Result<HttpResponse, BearerError> {
    let token = bearer_token(&req, &body)?;
    let claims = access_token::check(&state, &tenant, token)
        .await?
        .ok_or(BearerError::InvalidToken("the access token is not valid"))?;
    let scopes: Vec<&str> = claims.scope.split(' ').collect();
    if !scopes.contains(&OPENID) || claims.gid.is_none() {
        return Err(BearerError::InsufficientScope);
    }
    let user = idp::users::find(
        &state.platform,
        tenant.snapshot.tenant.id,
        &UserId::new(claims.sub.as_str()),
    )
    .await?
    .filter(|u| u.enabled)
    .ok_or(BearerError::InvalidToken("the access token is not valid"))?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(release(&user, &scopes)))
}
