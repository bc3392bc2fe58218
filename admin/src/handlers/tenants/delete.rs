//! `DELETE /v1/tenants/{tenant}`.

use actix_web::{HttpResponse, delete, web};

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// Deactivates a tenant: every endpoint of it answers 404 and its tokens
/// stop being active, on every server process within a second. Its data is
/// kept; `PATCH` with `enabled: true` brings it back.
///
/// Requires: system admin.
#[utoipa::path(
    tag = "tenants",
    params(("tenant" = String, Path, description = "Tenant slug")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[delete("/tenants/{tenant}")]
pub async fn delete_tenant(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let system = principal.system()?;
    let scope = principal.scope_for(&state, &path).await?;
    ops::tenants::deactivate(&state.platform, &system, &scope).await?;
    Ok(respond::no_content())
}
