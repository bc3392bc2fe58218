//! `GET /v1/tenants/{tenant}/clients/{client_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::ClientView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// Reads a client (never its secret).
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "clients",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("client_id" = String, Path, description = "Client id"),
    ),
    responses(
        (status = 200, body = ClientView, headers(("ETag" = String))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/clients/{client_id}")]
pub async fn read_client(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, client_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    let client = ops::clients::find(&state.platform, &scope, &client_id).await?;
    Ok(respond::object(StatusCode::OK, &ClientView::from(&client)))
}
