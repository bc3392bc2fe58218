//! `DELETE /v1/tenants/{tenant}/clients/{client_id}`.

use actix_web::{HttpResponse, delete, web};

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// Deletes a client with its consents; its access and refresh tokens stop
/// working on every server process within a second.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "clients",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("client_id" = String, Path, description = "Client id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[delete("/tenants/{tenant}/clients/{client_id}")]
pub async fn delete_client(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, client_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    ops::clients::delete(&state.platform, &scope, &client_id).await?;
    Ok(respond::no_content())
}
