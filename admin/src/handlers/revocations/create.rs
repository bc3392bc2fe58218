//! `POST /v1/tenants/{tenant}/revocations`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::store::revocations::Target;
use crate::{respond, store};

/// What to revoke: exactly one of the fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRevocation {
    /// Every access and refresh token and every session of this user.
    pub user_id: Option<String>,
    /// Every access and refresh token of this client.
    pub client_id: Option<String>,
    /// `true`: everything of the tenant.
    pub all: Option<bool>,
}

/// What was revoked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    /// `user`, `client` or `tenant`.
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
    body: web::Json<CreateRevocation>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let target = match body.into_inner() {
        CreateRevocation {
            user_id: Some(id),
            client_id: None,
            all: None,
        } => Target::User(id),
        CreateRevocation {
            user_id: None,
            client_id: Some(id),
            all: None,
        } => Target::Client(id),
        CreateRevocation {
            user_id: None,
            client_id: None,
            all: Some(true),
        } => Target::Tenant,
        _ => {
            return Err(AdminError::Invalid(
                "give exactly one of user_id, client_id or all: true".into(),
            ));
        }
    };
    let (not_before, refresh_families) =
        store::revocations::revoke(&state.platform, &scope, target.clone()).await?;
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
