//! `PUT /v1/tenants/{tenant}/users/{user_id}/password`.

use actix_web::{HttpResponse, put, web};
use idp::secret::Secret;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// The new password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPassword {
    /// 8 to 256 characters; stored as argon2id, never logged or returned.
    pub password: String,
}

impl std::fmt::Debug for SetPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SetPassword { .. }")
    }
}

/// Sets a user's password; the user's sessions and tokens die with the old one.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "users",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("user_id" = String, Path, description = "User id (`sub`)"),
    ),
    request_body = SetPassword,
    responses(
        (status = 204, description = "Set"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[put("/tenants/{tenant}/users/{user_id}/password")]
pub async fn set_user_password(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
    body: crate::body::Json<SetPassword>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, user_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    ops::users::set_password(
        &state.platform,
        &scope,
        &user_id,
        Secret::new(body.into_inner().password),
    )
    .await?;
    Ok(respond::no_content())
}
