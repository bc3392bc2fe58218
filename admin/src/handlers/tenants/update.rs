//! `PATCH /v1/tenants/{tenant}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::TenantView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::etag::IfMatch;
use crate::state::AdminState;
use crate::{respond, store};

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTenant {
    /// Name shown on hosted pages.
    pub display_name: Option<String>,
    /// Policy values to change (merged into the current policy, then checked
    /// against the hard caps).
    #[schema(value_type = Option<Object>)]
    pub policy: Option<serde_json::Value>,
    /// `false` deactivates the tenant, `true` reactivates it (system admins only).
    pub enabled: Option<bool>,
}

/// Updates a tenant's name, policy or state.
///
/// Requires: system admin, or tenant admin of this tenant (not `enabled`).
#[utoipa::path(
    tag = "tenants",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("If-Match" = String, Header, description = "The tenant's ETag"),
    ),
    request_body = UpdateTenant,
    responses(
        (status = 200, body = TenantView, headers(("ETag" = String))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 412, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[patch("/tenants/{tenant}")]
pub async fn update_tenant(
    req: HttpRequest,
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    body: crate::body::Json<UpdateTenant>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    if body.enabled.is_some() {
        principal.system()?;
    }
    let tenant = store::tenants::update(
        &state.platform,
        &scope,
        IfMatch::from_request(&req),
        body.into_inner(),
    )
    .await?;
    Ok(respond::object(
        StatusCode::OK,
        &TenantView::new(&tenant, &state.platform.config.http.public_url),
    ))
}
