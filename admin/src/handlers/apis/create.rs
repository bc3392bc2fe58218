//! `POST /v1/tenants/{tenant}/apis`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiView, ScopeView};
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::ops::apis::NewApi;
use crate::state::AdminState;
use crate::{ops, respond};

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

impl From<CreateApi> for NewApi {
    fn from(body: CreateApi) -> Self {
        Self {
            identifier: body.identifier,
            name: body.name,
            scopes: body.scopes.into_iter().map(Into::into).collect(),
            is_default: body.is_default,
        }
    }
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
    let new = NewApi::from(body.into_inner());
    let api = ops::apis::create(&state.platform, &scope, new).await?;
    Ok(respond::object(StatusCode::CREATED, &ApiView::from(&api)))
}
