//! `POST /v1/tenants`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use idp::domain::policy::TenantPolicy;
use idp::domain::tenant::NewTenant;
use idp::ids::TenantSlug;
use serde::Deserialize;
use utoipa::ToSchema;

use super::TenantView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, patch, respond};

/// A new tenant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTenant {
    /// 1 to 63 of `a-z`, `0-9`, `-`, starting with a letter or digit.
    pub slug: String,
    /// Name shown on hosted pages (1 to 200 characters).
    pub display_name: String,
    /// Policy values to change from the defaults.
    #[schema(value_type = Option<Object>)]
    pub policy: Option<serde_json::Value>,
}

impl TryFrom<CreateTenant> for NewTenant {
    type Error = AdminError;

    /// The slug's rule, and the policy's fields over the defaults.
    fn try_from(body: CreateTenant) -> Result<Self, AdminError> {
        let slug = TenantSlug::parse(&body.slug).map_err(AdminError::invalid)?;
        let policy = match body.policy {
            Some(patch) => patch::merge(&TenantPolicy::default(), patch)?,
            None => TenantPolicy::default(),
        };
        Ok(Self {
            slug,
            display_name: body.display_name,
            policy,
        })
    }
}

/// Creates a tenant with fresh RS256 and ES256 signing keys.
///
/// Requires: system admin.
#[utoipa::path(
    tag = "tenants",
    request_body = CreateTenant,
    responses(
        (status = 201, description = "Created", body = TenantView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "Slug taken", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/tenants")]
pub async fn create_tenant(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    body: crate::body::Json<CreateTenant>,
) -> Result<HttpResponse, AdminError> {
    let system = principal.system()?;
    let tenant =
        ops::tenants::create(&state.platform, &system, body.into_inner().try_into()?).await?;
    Ok(respond::object(
        StatusCode::CREATED,
        &TenantView::new(&tenant, &state.platform.config.http.public_url),
    ))
}
