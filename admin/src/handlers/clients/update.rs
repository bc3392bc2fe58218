//! `PATCH /v1/tenants/{tenant}/clients/{client_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, patch, web};

use super::ClientView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::etag::IfMatch;
use crate::state::AdminState;
use crate::{respond, store};

/// Changes a client: any field of its view except `client_id`,
/// `confidential`, `token_endpoint_auth_method` and
/// `previous_secret_expires_at`. `enabled: false` stops it authenticating
/// on every server process within a second.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "clients",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("client_id" = String, Path, description = "Client id"),
        ("If-Match" = String, Header, description = "The client's ETag"),
    ),
    request_body(content = Object, description = "Fields to change"),
    responses(
        (status = 200, body = ClientView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 428, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[patch("/tenants/{tenant}/clients/{client_id}")]
pub async fn update_client(
    req: HttpRequest,
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
    body: crate::body::Json<serde_json::Value>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, client_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    let client = store::clients::update(
        &state.platform,
        &scope,
        &client_id,
        IfMatch::from_request(&req),
        body.into_inner(),
    )
    .await?;
    Ok(respond::object(StatusCode::OK, &ClientView::from(&client)))
}
