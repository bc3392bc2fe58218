//! `PATCH /v1/tenants/{tenant}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use idp::domain::tenant::Tenant;
use serde::Deserialize;
use utoipa::ToSchema;

use super::TenantView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::etag::{self, IfMatch};
use crate::ops::Edit;
use crate::patch::merge;
use crate::state::AdminState;
use crate::{ops, respond};

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

impl UpdateTenant {
    /// The edit it asks for, made only if `if_match` names the current
    /// version (of the view served under `public_url`).
    fn into_edit(self, if_match: IfMatch, public_url: String) -> Edit<Tenant, AdminError> {
        let fields = [
            ("display_name", self.display_name.is_some()),
            ("policy", self.policy.is_some()),
            ("enabled", self.enabled.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name.to_owned())
        .collect();
        Edit::new(fields, move |current: &Tenant| {
            if_match.check(&etag::of(&TenantView::new(current, &public_url)))?;
            let mut next = current.clone();
            if let Some(patch) = self.policy {
                next.policy = merge(&current.policy, patch)?;
            }
            if let Some(name) = self.display_name {
                next.display_name = name;
            }
            if let Some(enabled) = self.enabled {
                next.enabled = enabled;
            }
            Ok(next)
        })
    }
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
    let body = body.into_inner();
    if let Some(name) = &body.display_name {
        ops::tenants::check_name(name)?;
    }
    let public_url = state.platform.config.http.public_url.clone();
    let edit = body.into_edit(IfMatch::from_request(&req), public_url);
    let tenant = ops::tenants::update(&state.platform, &scope, edit).await?;
    Ok(respond::object(
        StatusCode::OK,
        &TenantView::new(&tenant, &state.platform.config.http.public_url),
    ))
}
