//! `DELETE /v1/tenants/{tenant}/consents/{user_id}/{client_id}`.

use actix_web::{HttpResponse, delete, web};

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// Revokes a user's consent to a client; the refresh and access tokens of
/// the grants it allowed die with it, and the next sign-in asks again.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "consents",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("user_id" = String, Path, description = "User id"),
        ("client_id" = String, Path, description = "Client id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[delete("/tenants/{tenant}/consents/{user_id}/{client_id}")]
pub async fn delete_consent(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, user_id, client_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    ops::consents::revoke(&state.platform, &scope, &user_id, &client_id).await?;
    Ok(respond::no_content())
}
