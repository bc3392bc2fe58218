//! `POST /v1/tenants`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::TenantView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{respond, store};

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
    let tenant = store::tenants::create(&state.platform, &system, body.into_inner()).await?;
    Ok(respond::object(
        StatusCode::CREATED,
        &TenantView::new(&tenant, &state.platform.config.http.public_url),
    ))
}
