//! `POST /v1/tenants/{tenant}/apis`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiView, ScopeView};
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{respond, store};

/// A new API.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApi {
    /// Absolute URI without a fragment, unique in the tenant.
    pub identifier: String,
    /// Display name, 1 to 200 characters.
    pub name: String,
    /// Scopes it defines.
    #[serde(default)]
    pub scopes: Vec<ScopeView>,
    /// Make it the tenant's default API.
    #[serde(default)]
    pub is_default: bool,
}

/// Registers an API.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "apis",
    params(("tenant" = String, Path, description = "Tenant slug")),
    request_body = CreateApi,
    responses(
        (status = 201, body = ApiView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Identifier taken", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/tenants/{tenant}/apis")]
pub async fn create_api(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    body: crate::body::Json<CreateApi>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let api = store::apis::create(&state.platform, &scope, body.into_inner()).await?;
    Ok(respond::object(StatusCode::CREATED, &ApiView::from(&api)))
}
