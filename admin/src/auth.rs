//! Who is calling: a bearer access token issued by the platform's own
//! `system` tenant, for the admin API audience with the `admin` scope, that
//! is active (signature, expiry, revocation, watermarks), whose subject holds
//! admin rights. Anything else about the token is 401; a valid token of a
//! subject without rights is 403.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use idp::domain::token::access_token::AccessTokenClaims;
use idp::ids::TenantId;
use idp::store::queries::admin_grants::{self, ALL_TENANTS};

use crate::errors::AdminError;
use crate::state::{ADMIN_AUDIENCE, ADMIN_SCOPE, AdminState};

/// What the caller may administer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Everything, including tenants themselves.
    System,
    /// Only these tenants.
    TenantAdmin(Vec<TenantId>),
}

/// An authenticated admin caller.
#[derive(Debug, Clone)]
pub struct AdminPrincipal {
    /// `client:{id}` or `user:{id}` of the system tenant: the audit actor.
    pub subject: String,
    /// What it may administer.
    pub role: Role,
}

const INVALID: &str = "a valid admin access token from the system tenant is required";

/// The subject an admin grant names for these claims: the user of a user
/// token, the client of a client_credentials token.
pub fn subject_of(claims: &AccessTokenClaims) -> String {
    if claims.gid.is_some() {
        format!("user:{}", claims.sub)
    } else {
        format!("client:{}", claims.client_id)
    }
}

async fn authenticate(
    state: &AdminState,
    header: Option<String>,
    req: &HttpRequest,
) -> Result<AdminPrincipal, AdminError> {
    let token = header
        .as_deref()
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AdminError::Unauthorized(INVALID))?
        .to_owned();
    if !state.freshness.is_fresh() {
        return Err(AdminError::Unavailable(
            "revocation state cannot be confirmed fresh: the database is unreachable".into(),
        ));
    }
    let system = state
        .system
        .get(&state.platform)
        .await?
        .filter(|s| s.tenant.enabled)
        .ok_or(AdminError::Unauthorized(INVALID))?;
    let platform = &state.platform;
    let now = platform.clock.now_secs();
    let issuer = system.tenant.issuer(&platform.config.http.public_url);
    let claims = if token.contains('.') {
        idp::crypto::jwt::verify::<AccessTokenClaims>(&system.keys, &token, now)
            .filter(|jwt| jwt.typ.as_deref() == Some("at+jwt"))
            .map(|jwt| jwt.claims)
    } else {
        idp::tokens::find_opaque(platform, system.tenant.id, &token, issuer.clone())
            .await?
            .and_then(|(claims, revoked)| (!revoked).then_some(claims))
    }
    .ok_or(AdminError::Unauthorized(INVALID))?;
    let active = claims.iss == issuer
        && claims.exp > now
        && claims.aud == ADMIN_AUDIENCE
        && claims.scope.split(' ').any(|s| s == ADMIN_SCOPE)
        && !system.revoked.contains_key(&claims.jti)
        && !claims.gid.as_deref().is_some_and(|gid| {
            system
                .revoked
                .contains_key(&AccessTokenClaims::grant_key(gid))
        })
        && !system
            .watermarks
            .revokes(Some(&claims.client_id), Some(&claims.sub), claims.iat);
    if !active {
        return Err(AdminError::Unauthorized(INVALID));
    }
    let subject = subject_of(&claims);
    // Whoever is refused from here on is named in the security event.
    req.extensions_mut()
        .insert(crate::refusals::Caller(subject.clone()));
    let lookup = subject.clone();
    let grants = platform
        .db
        .run(move |conn| admin_grants::of_subject(conn, &lookup))
        .await?;
    let role = if grants.iter().any(|g| g == ALL_TENANTS) {
        Role::System
    } else if grants.is_empty() {
        return Err(AdminError::Forbidden("this caller holds no admin rights"));
    } else {
        Role::TenantAdmin(grants.iter().filter_map(|g| TenantId::parse(g)).collect())
    };
    Ok(AdminPrincipal { subject, role })
}

impl FromRequest for AdminPrincipal {
    type Error = AdminError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AdminError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AdminState>>().cloned();
        let header = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| AdminError::Internal("state missing".into()))?;
            authenticate(&state, header, &req).await
        })
    }
}
