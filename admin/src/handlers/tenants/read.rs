//! `GET /v1/tenants/{tenant}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::TenantView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::respond;
use crate::state::AdminState;

/// Reads a tenant; its `ETag` is what an update sends back in `If-Match`.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "tenants",
    params(("tenant" = String, Path, description = "Tenant slug")),
    responses(
        (status = 200, body = TenantView, headers(("ETag" = String))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}")]
pub async fn read_tenant(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    Ok(respond::object(
        StatusCode::OK,
        &TenantView::new(scope.tenant(), &state.platform.config.http.public_url),
    ))
}
