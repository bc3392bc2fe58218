//! `DELETE /v1/tenants/{tenant}/apis/{api_id}`.

use actix_web::{HttpResponse, delete, web};

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// Deletes an API: no new token names it; tokens already issued for it
/// stay valid until they expire.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "apis",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("api_id" = String, Path, description = "API id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[delete("/tenants/{tenant}/apis/{api_id}")]
pub async fn delete_api(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    ops::apis::delete(&state.platform, &scope, &id).await?;
    Ok(respond::no_content())
}
