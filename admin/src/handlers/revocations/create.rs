//! `POST /v1/tenants/{tenant}/revocations`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::ops::revocations::Target;
use crate::state::AdminState;
use crate::{ops, respond};

/// What to revoke: exactly one of the fields. (The body may hold a token:
/// never logged.)
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRevocation {
    /// Every access and refresh token and every session of this user.
    pub user_id: Option<String>,
    /// Every access and refresh token of this client.
    pub client_id: Option<String>,
    /// `true`: everything of the tenant.
    pub all: Option<bool>,
    /// One token: an access token (JWT or opaque), or a refresh token with
    /// its whole grant.
    pub token: Option<String>,
}

/// What was revoked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    /// `user`, `client`, `tenant`, or for one token `jwt`, `opaque` or `refresh`.
    pub target: &'static str,
    /// Everything issued at or before this moment (unix seconds) is dead.
    pub not_before: i64,
    /// Refresh-token families marked revoked.
    pub refresh_families: usize,
}

/// Revokes everything issued so far to a user, a client or the tenant.
/// Access tokens introspect inactive, refresh tokens get `invalid_grant`
/// and sessions ask for a new login, on every server process within a second.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "revocations",
    params(("tenant" = String, Path, description = "Tenant slug")),
    request_body = CreateRevocation,
    responses(
        (status = 200, body = Revoked),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/tenants/{tenant}/revocations")]
pub async fn create_revocation(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    body: crate::body::Json<CreateRevocation>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let body = body.into_inner();
    let given = [
        body.user_id.is_some(),
        body.client_id.is_some(),
        body.all.is_some(),
        body.token.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 || body.all == Some(false) {
        return Err(AdminError::Invalid(
            "give exactly one of user_id, client_id, token or all: true".into(),
        ));
    }
    if let Some(token) = body.token {
        let kind = ops::revocations::revoke_token(&state.platform, &scope, &token)
            .await?
            .ok_or(AdminError::NotFound("token of this tenant"))?;
        return Ok(respond::json(
            StatusCode::OK,
            &Revoked {
                target: kind.name(),
                not_before: state.platform.clock.now_secs(),
                refresh_families: usize::from(kind == ops::revocations::TokenKind::Refresh),
            },
        ));
    }
    let target = match (body.user_id, body.client_id) {
        (Some(id), _) => Target::User(id),
        (_, Some(id)) => Target::Client(id),
        _ => Target::Tenant,
    };
    let (not_before, refresh_families) =
        ops::revocations::revoke(&state.platform, &scope, target.clone()).await?;
    let target = match target {
        Target::User(_) => "user",
        Target::Client(_) => "client",
        Target::Tenant => "tenant",
    };
    Ok(respond::json(
        StatusCode::OK,
        &Revoked {
            target,
            not_before,
            refresh_families,
        },
    ))
}
