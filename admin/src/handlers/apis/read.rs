//! `GET /v1/tenants/{tenant}/apis/{api_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::ApiView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// Reads an API.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "apis",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("api_id" = String, Path, description = "API id"),
    ),
    responses(
        (status = 200, body = ApiView, headers(("ETag" = String))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/apis/{api_id}")]
pub async fn read_api(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    let api = ops::apis::find(&state.platform, &scope, &id).await?;
    Ok(respond::object(StatusCode::OK, &ApiView::from(&api)))
}
